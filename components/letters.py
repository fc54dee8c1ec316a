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
    """A message written as a letter is read without its greeting and sign-off (bot/letters.py);
    a line with a warning sign in it always stays."""

    def __init__(self) -> None:
        checker = default_checker()
        self.keep = lambda line: bool(checker.check(line) or checker.hinted(line))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text and "\n" in text:
                message.set(TEXT, body(text, self.keep), add_to_output=True)
        return messages
