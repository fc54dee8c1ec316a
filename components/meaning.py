from __future__ import annotations

from typing import List

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import settings
from bot.understanding import default_understanding
from bot.warnings import default_warning_model
from components.base import ContentComponent
from components.sentence_embeddings import SENTENCE_VECTOR

MEANING = "meaning"  # the parse data's key, read by actions/actions.py


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class MeaningExtractor(ContentComponent):
    """Adds `meaning` to the parse data: the advice topic nearest in meaning and the routine command
    meant (bot/understanding.py), from the sentence vector the featurizer already made, so the
    message is encoded once and the action server never encodes it again."""

    def __init__(self) -> None:
        self.understanding = default_understanding()
        default_warning_model()  # trained now (a few seconds), not on the first message

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "")[: settings.MAX_MESSAGE_CHARS]
            if not text.strip():
                continue
            vector = message.get(SENTENCE_VECTOR)
            meaning = self.understanding.interpret(
                text, None if vector is None else np.asarray(vector)
            )
            message.set(MEANING, meaning.to_dict(), add_to_output=True)
        return messages
