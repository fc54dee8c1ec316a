"""Rasa NLU components: thin adapters that put the core's understanding into Rasa's pipeline: a letter's body, what a message means beyond its intent, stretch entities and
red-flag checks. All are built from content/ and the pinned sentence model, so none is trained."""

from components.letters import LetterBody
from components.meaning import MeaningExtractor
from components.red_flags import RedFlagDetector
from components.sentence_embeddings import SentenceEmbeddingFeaturizer
from components.stretch_entities import StretchEntityExtractor

__all__ = [
    "LetterBody",
    "MeaningExtractor",
    "RedFlagDetector",
    "SentenceEmbeddingFeaturizer",
    "StretchEntityExtractor",
]
