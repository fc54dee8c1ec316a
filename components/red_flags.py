from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import default_checker
from components.base import ContentComponent
from components.meaning import MEANING

RED_FLAG = "red_flag"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagDetector(ContentComponent):
    """Sets the intent to `red_flag` (confidence 1.0) and adds `red_flag` entities when a message
    describes a red-flag symptom from content/safety.yml, whatever the classifier predicted; not
    when the message clears the signs it names and the learned model agrees (SafetyChecker.cleared,
    with the probability MeaningExtractor put in the parse data), as the dialogue does."""

    def __init__(self) -> None:
        self.checker = default_checker()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            hits = self.checker.check(text)
            warning = (message.get(MEANING) or {}).get("warning")
            if hits and self.checker.cleared(text, hits, warning):
                hits = []
            entities = list(message.get(ENTITIES, []))
            for hit in hits:
                entities.append(
                    {
                        "entity": RED_FLAG,
                        "value": hit.flag.id,
                        "start": 0,
                        "end": len(text),
                        "extractor": self.__class__.__name__,
                    }
                )
            message.set(ENTITIES, entities, add_to_output=True)
            if hits:
                message.set(INTENT, {"name": RED_FLAG, "confidence": 1.0}, add_to_output=True)
                ranking = [{"name": RED_FLAG, "confidence": 1.0}] + [
                    r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != RED_FLAG
                ]
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
