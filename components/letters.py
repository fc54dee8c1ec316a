from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.letters import body
from bot.safety import default_checker
from components.base import ContentComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class LetterBody(ContentComponent):
    """A message written as a letter is read without its greeting and sign-off (bot/letters.py),
    unless that would lose a warning sign the whole message tells."""

    def __init__(self) -> None:
        self.signs = default_checker().signs

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text and "\n" in text:
                message.set(TEXT, body(text, self.signs), add_to_output=True)
        return messages
