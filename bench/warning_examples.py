"""Rebuilds data/warning_signs.yml, the examples the learned warning-sign model (bot/warnings.py)
is trained on, from the dev parts of the blind chat sets: every message whose case is a warning
sign is a warning sign, every other one (questions, near misses, small talk) is not. The final parts
are never read, so they stay a blind check of the model. `--cv` cross-validates the model instead:
five folds, each leaving whole blind sets out (the way WARNING_SURE was chosen); `make bench`
reports it. `--without-corpus` leaves data/warning_corpus.yml out of the training, to compare.

    python -m bench.warning_examples [--cv [--without-corpus]]
"""

from __future__ import annotations

import random
import re
import sys
from typing import Dict, List, Tuple

import yaml

from bench.chat_eval import EVAL_DIR
from bot import settings
from bot.dialogue import WARNING_HINTED, WARNING_SURE
from bot.safety import default_checker
from bot.warnings import WarningModel, nlu_examples, warning_examples

HEADER = """\
# Messages the learned warning-sign model (bot/warnings.py) is trained on, beside data/nlu.yml:
# the single messages of the dev parts of the blind chat sets (tests/data/eval/chat_*dev.yml), as
# their writers labelled them. Made by `python -m bench.warning_examples`; the final parts are never
# read, so they stay a blind check. Edit by hand only to add a phrasing: a warning sign under
# `warning_signs`, anything else (a question, a near miss) under `ordinary`.
"""


CORPUS_NOTE = " and the writers' corpus data/warning_corpus.yml"
THRESHOLDS = (0.5, 0.8, WARNING_SURE, 0.95)


def dev_cases() -> Dict[str, List[Tuple[str, str]]]:
    """Each blind set's dev part: (text, kind) per case."""
    found = {}
    for path in sorted(EVAL_DIR.glob("chat_*dev.yml")):
        name = re.sub(r"-?dev$", "", path.stem[len("chat_") :])
        cases = yaml.safe_load(path.read_text())["cases"]
        found[name] = [(" ".join(str(c["text"]).split()), c.get("kind", "")) for c in cases]
    return found


def examples() -> dict:
    warning, ordinary = [], []
    for cases in dev_cases().values():
        for text, kind in cases:
            (warning if kind == "red_flag" else ordinary).append(text)
    return {"warning_signs": sorted(set(warning)), "ordinary": sorted(set(ordinary) - set(warning))}


def cross_validate(folds: int = 5, seed: int = 0, corpus: bool = True) -> Dict:
    """The model alone on blind sets it was not trained on: per threshold, the warning signs found
    and the false alarms on ordinary messages and on near misses (data/nlu.yml and, with `corpus`,
    data/warning_corpus.yml always trained on)."""
    sets = dev_cases()
    names = sorted(sets)
    random.Random(seed).shuffle(names)
    nlu = nlu_examples(settings.NLU_DATA)
    if corpus:
        nlu += warning_examples(settings.WARNING_CORPUS)
    checker = default_checker()
    rule = f"{WARNING_SURE}, or {WARNING_HINTED} with a hint (used)"
    counts = {str(t): {"found": 0, "false": 0, "near_false": 0} for t in (*THRESHOLDS, rule)}
    totals = {"warnings": 0, "ordinary": 0, "near": 0}
    for k in range(folds):
        held = set(names[k::folds])
        train = [(t, kind == "red_flag") for n in names if n not in held for t, kind in sets[n]]
        model = WarningModel(nlu + train)
        for name in held:
            for text, kind in sets[name]:
                p = model.probability(text)
                key = {"red_flag": "warnings", "near_miss": "near"}.get(kind, "ordinary")
                totals[key] += 1
                field = {"warnings": "found", "near": "near_false"}.get(key, "false")
                for t in THRESHOLDS:
                    if p >= t:
                        counts[str(t)][field] += 1
                if p >= WARNING_SURE or (p >= WARNING_HINTED and checker.hinted(text)):
                    counts[rule][field] += 1
    return {"folds": folds, "totals": totals, "by_threshold": counts, "corpus": corpus}


def markdown(cv: Dict) -> str:
    n = cv["totals"]
    lines = [
        "### The learned warning-sign model, cross-validated",
        "",
        f"bot/warnings.py alone, {cv['folds']} folds each leaving whole blind sets' dev parts out "
        f"({n['warnings']} warning signs, {n['ordinary']} ordinary messages, {n['near']} near "
        f"misses; data/nlu.yml{CORPUS_NOTE if cv.get('corpus') else ''} always trained on). "
        f"The dialogue uses it from {WARNING_SURE}, or from {WARNING_HINTED} when a word "
        "hints at a warning sign, beside content/safety.yml's patterns.",
        "",
        "| from | warning signs found | false alarms, ordinary | false alarms, near misses |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for t, c in cv["by_threshold"].items():
        lines.append(
            f"| {t} | {c['found']}/{n['warnings']} ({c['found'] / max(n['warnings'], 1):.1%}) "
            f"| {c['false']}/{n['ordinary']} | {c['near_false']}/{n['near']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    if "--cv" in sys.argv[1:]:
        print(markdown(cross_validate(corpus="--without-corpus" not in sys.argv[1:])))
        return
    target = settings.PROJECT_DIR / "data" / "warning_signs.yml"
    body = yaml.safe_dump(examples(), allow_unicode=True, width=1000, sort_keys=False)
    target.write_text(HEADER + body)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
