"""A learned second opinion on warning signs: how likely a message is to describe one, from a model
trained on examples (data/warning_signs.yml: warning signs and ordinary messages, near misses among
them, from the blind sets' dev parts; data/warning_corpus.yml: the same kinds, written as training
examples by writers who saw only the seed articles; data/nlu.yml: the red_flag intent's examples
against every other intent's).

content/safety.yml's patterns match warning signs by their wording, and they catch what they were
written for; people describe the same signs in words no pattern has ("the bits you sit on feel kind
of dead"). This model reads the words and their parts (so typos and new wordings still count) and
gives a probability; the dialogue gives the cautious reply from WARNING_SURE up, or from
WARNING_HINTED when a word hints at a warning sign (bot/dialogue.py). It takes a pattern's warning
away only when the sign is urgent (never an emergency) and it gives the message next to nothing, or
the message says the sign has passed (bot/safety.py, ALL_CLEAR_BELOW and LEARNED_CLEAR_BELOW).

Trained when first used (a few seconds on one core; the servers do it as they start), from the data
alone: a new example is a data change, never code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import List, Tuple

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot import settings

WARNING_INTENT = "red_flag"
# Chosen by cross-validation on the dev parts, five folds that each leave whole blind sets out
# (2026-12-06): word pairs and character runs of 2-4, weak regularisation (C = 300).
C = 300.0
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def intent_examples(path: Path) -> List[Tuple[str, str]]:
    """data/nlu.yml's examples, entity marks removed, each with its intent."""
    found = []
    for block in yaml.safe_load(path.read_text()).get("nlu") or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append((ANNOTATION.sub(r"\1", line[2:]), block["intent"]))
    return found


def nlu_examples(path: Path) -> List[Tuple[str, bool]]:
    """data/nlu.yml's examples, entity marks removed, each with whether its intent is red_flag."""
    return [(text, intent == WARNING_INTENT) for text, intent in intent_examples(path)]


def warning_examples(path: Path) -> List[Tuple[str, bool]]:
    data = yaml.safe_load(path.read_text()) or {}
    return [(str(t), True) for t in data.get("warning_signs") or []] + [
        (str(t), False) for t in data.get("ordinary") or []
    ]


class WarningModel:
    def __init__(self, examples: List[Tuple[str, bool]]):
        if not any(label for _, label in examples) or all(label for _, label in examples):
            raise ValueError("warning-sign examples need both warning signs and ordinary messages")
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True
                    ),
                ),
            ]
        )
        self.pipeline = Pipeline(
            [("features", features), ("model", LogisticRegression(C=C, max_iter=3000))]
        )
        self.pipeline.fit([_clean(t) for t, _ in examples], [label for _, label in examples])

    def probability(self, text: str) -> float:
        """How likely the message describes a warning sign, 0 to 1."""
        if not text.strip():
            return 0.0
        return float(self.pipeline.predict_proba([_clean(text)])[0][1])


def _clean(text: str) -> str:
    return " ".join(text[: settings.MAX_MESSAGE_CHARS].lower().split())


@lru_cache(maxsize=1)
def default_warning_model() -> WarningModel:
    return WarningModel(
        nlu_examples(settings.NLU_DATA)
        + warning_examples(settings.WARNING_CORPUS)
        + warning_examples(settings.WARNING_EXAMPLES)
    )
