from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import settings
from bot.matching import ENTITY_KINDS, char_span, default_matcher
from components.base import ContentComponent

KINDS = ENTITY_KINDS
# A description ("the one where you lie on your belly") is only looked for when the message is
# about a stretch; for recommendations it would pick a stretch the user did not ask about.
DESCRIPTION_INTENTS = ("inform", "ask_howto", "ask_muscles", "affirm")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class StretchEntityExtractor(ContentComponent):
    """Adds entities `stretch`, `area`, `tag`, `condition` and `need` found from content/."""

    def __init__(self) -> None:
        self.matcher = default_matcher()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = list(message.get(ENTITIES, []))
            if len(text) > settings.MAX_MESSAGE_CHARS:
                continue
            found = self.matcher.find(text, KINDS)
            intent = (message.get(INTENT) or {}).get("name")
            if not any(f.kind == "stretch" for f in found) and intent in DESCRIPTION_INTENTS:
                described = self.matcher.describe(text)
                if described:
                    found.append(described)
            for item in found:
                start, end = char_span(text, item)
                entities.append(
                    {
                        "entity": item.kind,
                        "value": item.value,
                        "start": start,
                        "end": end,
                        "confidence_entity": round(item.score, 3),
                        "extractor": self.__class__.__name__,
                        "match": item.how,
                    }
                )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
