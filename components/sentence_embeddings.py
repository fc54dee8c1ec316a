from __future__ import annotations

from typing import Any, Dict, List

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import settings
from bot.embedding import default_encoder, embed_many
from components.base import ContentComponent

SENTENCE_VECTOR = "sentence_vector"


def nlu_text(text: str | None) -> str:
    """The part of a message's text that the vector is computed from."""
    return (text or "")[: settings.MAX_MESSAGE_CHARS]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(ContentComponent):
    """Dense sentence features: the message's meaning vector from all-MiniLM-L6-v2 (bot/embedding.py),
    so the classifier sees paraphrases, descriptions and non-native wording as close to what it was
    taught. `scale` balances the unit-length vector against the sparse word and character counts the
    classifier also reads (chosen by measurement: see BENCHMARKS.md)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"scale": 8.0, "alias": None}

    def __init__(self, config: Dict[str, Any] | None = None) -> None:
        self.config = {**self.get_default_config(), **(config or {})}
        self.encoder = default_encoder()

    @classmethod
    def create(cls, config, model_storage, resource, execution_context):
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        examples = [m for m in training_data.training_examples if m.get(TEXT)]
        self._featurize(examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize([m for m in messages if m.get(TEXT) is not None], keep=True)
        return messages

    def _featurize(self, messages: List[Message], keep: bool = False) -> None:
        if not messages:
            return
        texts = [nlu_text(m.get(TEXT)) for m in messages]
        # A message's vector may be computed already (channels/speed.py starts it ahead of NLU,
        # batched with other conversations' messages); training data goes straight to the encoder.
        units = embed_many(texts) if keep else self.encoder.encode(texts)
        vectors = units * float(self.config["scale"])
        for message, unit, vector in zip(messages, units, vectors, strict=True):
            if keep:  # the unit vector, for MeaningExtractor (not part of the parse data)
                message.set(SENTENCE_VECTOR, unit)
            message.add_features(
                Features(
                    np.asarray([vector]),
                    FEATURE_TYPE_SENTENCE,
                    TEXT,
                    self.config.get("alias") or self.__class__.__name__,
                )
            )
