"""PocketSphinx engine: the en-us model shipped in the pocketsphinx wheel, with a language model
built at start-up from the project's own sentences (voice/language.py).

Design, from measurements on espeak-ng speech (see README "Voice mode"):
- Each command phrase is one compound token ("c_hold_on", pronounced HH OW L D AA N): the decoder
  must choose between whole phrases, never half of one ("go long"), and a phrase competes with the
  ordinary words of questions, near misses and 3000 common English words (the garbage side), so
  speech that is not a command is heard as words and rejected.
- The utterance is decoded in one go (as soon as the voice goes quiet, see voice/recognizer.py;
  the result counts once the endpointer has closed the utterance): the background measured
  just before the speech is subtracted from its spectrum (voice/denoise.py), then its level is
  normalised and a faint noise floor added: the model's noise removal and cepstral normalisation
  were trained on real recordings and mis-hear digitally clean audio (on a command-only model,
  accuracy went from 49% to 80% with this alone).
- A command is only trusted when the lattice's N-best list has no hypothesis that is another
  command scoring nearly as well (`RIVAL_MARGIN`): "quit" with "wait" close behind is dropped, since
  a wrong command is worse than none.
"""

from __future__ import annotations

import itertools
import math
import tempfile
from pathlib import Path
from typing import Dict, List

import numpy as np

from bot.commands import VOICE_COMMANDS, default_commands
from voice import language
from voice.denoise import denoise
from voice.engine import Transcript
from voice.matching import CommandMatcher

NOISE_S = 0.25  # the segmenter's pre-roll is background

PEAK = 300.0  # utterance peak after normalisation (int16 units)
FLOOR_STD = 3.0  # the noise floor added after it
FILLERS = ("ok", "okay", "please", "now", "stretchbot", "hey")
COMMAND_WEIGHT = 8  # how often each command phrase counts in the language model (see README)
# Silence put around the endpointer's cut: the noise estimate and the silence model need it.
LEAD, TAIL = int(0.3 * 16000), int(0.25 * 16000)
# The second (flat-lexicon) pass costs a third of the time and changed no result on the test set.
DECODER_OPTIONS = {"fwdflat": False}
# A command is dropped when another command's hypothesis in the N-best list is within this many
# natural-log units of path score of the best one (0.04 = 400 in PocketSphinx's log base 1.0001).
# Measured: wrong commands 3.2% -> 2.1%, false commands 3.6% -> 2.1%, right 84.5% -> 82.0%.
RIVAL_MARGIN = 0.04
NBEST = 15
ALTERNATIVES = 5  # distinct texts of the N-best list handed to the understanding step


class SphinxEngine:
    name = "PocketSphinx"
    fuzzy_commands = False  # its language model writes command phrases exactly or not at all

    def __init__(self, matcher: CommandMatcher | None = None):
        from pocketsphinx import Decoder, get_model_path

        self.matcher = matcher or CommandMatcher()
        self._dir = tempfile.TemporaryDirectory(prefix="stretchbot-lm-")
        lm_path, dict_path = build_language_model(Path(self._dir.name))
        self.decoder = Decoder(
            hmm=get_model_path("en-us/en-us"),
            lm=str(lm_path),
            dict=str(dict_path),
            samprate=16000,
            loglevel="FATAL",
            **DECODER_OPTIONS,
        )
        self._noise = np.random.default_rng(7).normal(0.0, FLOOR_STD, 16000 * 30)

    def hear(self, audio: np.ndarray) -> Transcript:
        """The words heard in one utterance (16 kHz int16), command phrases spelled out; a command
        whose rival command scored nearly as well in the N-best list is marked doubtful."""
        self.decoder.start_utt()
        self.decoder.process_raw(self.condition(audio), full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        text = spell_out(hyp.hypstr if hyp else "")
        if not text:
            return Transcript("")
        command = self.matcher.match(text).command
        scores = self._nbest()
        doubtful = bool(command) and rival_margin(scores, command) < RIVAL_MARGIN
        others = [t for t, _, _ in scores if t and t != text]
        alternatives = tuple(dict.fromkeys(others))[: ALTERNATIVES - 1]
        return Transcript(text, doubtful, alternatives)

    def transcribe(self, audio: np.ndarray) -> str:
        return self.hear(audio).text

    def _nbest(self) -> List[tuple]:
        """(words, command they give, log path score) for the lattice's N-best list."""
        scores = []
        for hyp in itertools.islice(self.decoder.nbest(), NBEST):
            if hyp is None or hyp.score <= 0:
                break
            words = " ".join(w for w in hyp.hypstr.split() if w[0] not in "<[")  # <s>, [NOISE]
            text = spell_out(words)
            scores.append((text, self.matcher.match(text).command, math.log(hyp.score)))
        return scores

    def condition(self, audio: np.ndarray) -> bytes:
        samples = audio.astype(np.float64)
        samples = denoise(samples, NOISE_S)
        samples = np.concatenate([np.zeros(LEAD), samples, np.zeros(TAIL)])
        peak = float(np.abs(samples).max()) if len(samples) else 0.0
        if peak > 0:
            samples *= PEAK / peak
        noise = np.resize(self._noise, len(samples))
        return np.clip(samples + noise, -32768, 32767).astype("<i2").tobytes()


def rival_margin(scores: List[tuple], command: str) -> float:
    """Path score of the best hypothesis less that of the best one giving another command."""
    rivals = [score for _, heard, score in scores if heard and heard != command]
    return scores[0][2] - rivals[0] if scores and rivals else math.inf


def token(words: List[str]) -> str:
    return "c_" + "_".join(w.replace("'", "") for w in words)


def spell_out(hypstr: str) -> str:
    """'ok c_hold_on' -> 'ok hold on' (the apostrophes come back from the phrase table)."""
    out = []
    for word in hypstr.split():
        out.append(_TOKENS.get(word, word) if word.startswith("c_") else word)
    return " ".join(out)


_TOKENS: Dict[str, str] = {}


def build_language_model(directory: Path) -> tuple[Path, Path]:
    """Write the trigram model and its pronunciation dictionary; return their paths."""
    from pocketsphinx.lm import ArpaBoLM

    known = dict(language.dictionary())
    sentences: List[str] = []
    table = default_commands()
    for phrase, command in table.phrases:
        words = language.words_of(phrase)
        if command not in VOICE_COMMANDS or not all(w in known for w in words):
            continue
        if not table.by_voice(phrase):
            continue  # heard as plain words (language.chat_only_sentences)
        tok = token(words)
        known[tok] = " ".join(known[w] for w in words)
        _TOKENS[tok] = " ".join(words)
        sentences += [tok] * COMMAND_WEIGHT
        sentences += [f"{tok} {f}" if f in ("please", "now") else f"{f} {tok}" for f in FILLERS]
    sentences += language.in_vocabulary(language.other_sentences(), known)
    model = ArpaBoLM(text="\n".join(sentences), add_start=True)
    for word in language.common_words():
        if word in known and word not in model.grams_1:
            model.grams_1[word] = 1
    model.compute()
    lm_path, dict_path = directory / "stretchbot.arpa", directory / "stretchbot.dict"
    model.write_file(str(lm_path))
    words = sorted(w for w in model.grams_1 if w not in ("<s>", "</s>"))
    dict_path.write_text("".join(f"{w} {known[w]}\n" for w in words))
    return lm_path, dict_path
