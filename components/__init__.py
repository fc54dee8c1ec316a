"""Rasa NLU components: thin adapters that put the core's stretch matching and red-flag checks into
Rasa's pipeline. Both are rule-based (built from content/), so they are not trained."""

from components.red_flags import RedFlagDetector
from components.sentence_embeddings import SentenceEmbeddingFeaturizer
from components.stretch_entities import StretchEntityExtractor

__all__ = ["RedFlagDetector", "SentenceEmbeddingFeaturizer", "StretchEntityExtractor"]
