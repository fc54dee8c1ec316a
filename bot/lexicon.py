"""Which words are ordinary English: a word this common is meant as itself, while a rarer one may be
a name or a symptom typed or heard wrong ("spinks", "fevr"). From spaCy's word frequencies
(spacy-lookups-data, already a dependency), kept in a small cache file: the full table takes about
2 s to read.
"""

from __future__ import annotations

import gzip
import json
import os
from functools import lru_cache
from pathlib import Path

import spacy_lookups_data

from bot import settings

# A word this frequent in English (log probability) is meant as itself: "overweight" (-11.5) is not
# "overhead", "peri" (-16.0) or "spinks" (-19.5) may be a name heard wrong.
ENGLISH_LOG_PROB = -15.0


@lru_cache(maxsize=1)
def english_words() -> frozenset:
    version = getattr(spacy_lookups_data, "__version__", "")
    cached = settings.CACHE_DIR / f"english-words-{version}-{ENGLISH_LOG_PROB}.txt"
    if cached.exists():
        return frozenset(cached.read_text().split())
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    probs = json.loads(gzip.open(path).read())
    words = sorted(w for w, p in probs.items() if p >= ENGLISH_LOG_PROB and w.isalpha())
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_text("\n".join(words))
        partial.replace(cached)  # whole or not at all, for a server starting beside this one
    except OSError:
        pass  # a read-only install reads the table at each start
    return frozenset(words)
