"""A slice of the blind spoken evaluation (bench/voice_blind.py) in every `make test`: every second
case of the dev part of the unseen phrasings, said by three speakers of different synthesizer
engines (one with people talking behind, one starting at the very first sample), heard by the real
listener and acted on by the real voice loop with a routine running.

The floors guard what was reached (measured on the date given, figures in README "Voice mode"); the
issue's targets (>= 90% right, <= 1% wrong, <= 2% false) live in the bench and README beside them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.speech_fixtures import (
    BLIND_SPEAKERS,
    TEST_SPEAKERS,
    blind_tools_missing,
    read_wav,
    speak,
    speech_bounds,
)
from tests.voice_fixtures import needs_speech_tools

MISSING = blind_tools_missing()
pytestmark = [
    needs_speech_tools,
    pytest.mark.skipif(
        bool(MISSING), reason=f"the blind voices need {', '.join(MISSING)} (make sysdeps)"
    ),
]

# Measured on this slice on 2026-12-02 (222 commands, 108 others). With PocketSphinx and the
# best-reading rule: 26.6% right, 7.7% asked back, 14.0% wrong, 20.4% false (first contact 27.9% /
# 18.0% / 25.0%). With the Moonshine recognizer (voice/moonshine_engine.py) and the command examples
# of the same evening: 49.1% right, 2.7% asked back, 5.0% wrong, 4.6% false; with quiet before speech
# that starts at the first sample: 52.3% right (116), 3.2% asked back, 5.9% wrong (13), 5.6% false
# (6). With the command pass (a command phrase fitted to the audio, voice/moonshine_engine.py) on
# 2026-12-03: 55.9% right (124), 14.4% asked back, 4.1% wrong (9), 7.4% false (8): more commands
# obeyed and asked back, fewer wrong, two more non-commands obeyed. Later that day, with the examples
# of content/commands.yml in the command pass, a rival-command margin, a less sure fit kept as a
# second reading behind the free one, and murmur words ("and", "yeah") as non-commands: 57.7% right
# (128), 7.2% asked back, 3.6% wrong (8), 5.6% false (6); with the rest of a sentence whose start
# was obeyed never a second command: 58.1% right (129), the others unchanged. The floors guard that
# figure, less one utterance; far from the targets (90% / 1% / 2%).
# Since 2026-12-03's fifth session the slice is every second case of the dev part (111 commands, 54
# others; `make test` had reached 30 minutes, and two more blind chat parts joined it), measured on
# it with that session's code: 59.5% right (66), 8.1% asked back, 4.5% wrong (5), 9.3% false (5).
# The floors guard that figure, less one utterance.
# On 2026-12-04, with Moonshine's best non-empty reading taken when it wrote nothing for speech of
# 0.8 s or more (voice/moonshine_engine.py SPOKEN_MIN_S): 67.6% right (75), 7.2% asked back, 4.5%
# wrong (5), 9.3% false (5). Later that day, with long fitted phrases that share a word with the
# free reading taken as heard (voice/moonshine_engine.py FIT_LONG_WORDS): 70.3% right (78), 5.4%
# asked back, 4.5% wrong (5), 9.3% false (5). The floors guard that figure, less one utterance.
# On 2026-12-05 (twelfth voice pass: "what's next" is next, long phrases agreeing with the words'
# second choice, next and skip weighed as one while a stretch is introduced): 74.8% right (83), 4.5%
# asked back, 2.7% wrong (3), 9.3% false (5). MIN_RIGHT guards that figure, less one utterance.
# On 2026-12-05's last session (fifteenth voice pass: a beam of 4 readings for garbled ones,
# negated one-word commands asked back): 77.5% right (86), 4.5% asked back, 1.8% wrong (2), 7.4%
# false (4). MIN_RIGHT guards that figure, less one utterance.
# On 2026-12-06 (eighteenth voice pass: the command corpus, commands of up to 20 words): 76.6% right
# (85), 3.6% asked back, 1.8% wrong (2), 3.7% false (2): one command fewer, two false commands fewer.
# MIN_RIGHT guards that figure, less one utterance; MAX_WRONG and MAX_FALSE still guard the earlier
# figures (6 and 6), which this one is within. Later that day, with the command classifier reading
# the words beside the sentence vector (bot.understanding COMMAND_WORDS_WEIGHT): 79.3% right (88),
# 6.3% asked back, 0.9% wrong (1), 3.7% false (2). MIN_RIGHT guards that figure, less one utterance.
# `stretchbot voice --wav` reads the same files (voice.loop.read_utterances, every command allowed):
# until 2026-12-07 it printed only exact table phrases as commands.
EVERY = 2
# On 2026-12-07 (twenty-second voice pass: two more writers' phrasings in the command corpus,
# "next stretch" is next): 80.2% right (89), 5.4% asked back, 0.9% wrong (1), 3.7% false (2), the
# same as `--wav` reads it. MIN_RIGHT and MIN_WAV_RIGHT guard that figure, less one utterance.
MIN_RIGHT = 0.792  # 88 of 111
# Measured on 2026-12-07 when `--wav` came to read by meaning: 79.3% right (88, as the loop), 6.3%
# asked back, 0.9% wrong, 3.7% false; printing only table phrases, it had 23.6% right on the dev
# part's speakers 0, 2, 5, 7. The floor guards that figure, less one utterance.
MIN_WAV_RIGHT = 0.792  # 88 of 111
MAX_WRONG = 0.055  # 6 of 111
MAX_FALSE = 0.112  # 6 of 54


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from bench.voice_blind import cases, evaluate

    result = evaluate(cases("dev")[::EVERY], TEST_SPEAKERS, tmp_path_factory.mktemp("blind"))
    print(result.figures())
    return result


def test_commands_in_unseen_words_and_voices_are_obeyed(report):
    f = report.figures()
    assert f["right"] >= MIN_RIGHT, "\n".join(report.mistakes())
    assert f["wrong"] <= MAX_WRONG, "\n".join(report.mistakes())


def test_talk_that_is_not_a_command_is_not_obeyed(report):
    assert report.figures()["false"] <= MAX_FALSE, "\n".join(report.mistakes())


def test_the_slice_has_three_engines_noise_and_speech_from_the_first_sample(report):
    assert {s.engine for s in TEST_SPEAKERS} == {"espeak-ng", "flite", "festival"}
    assert any(s.noise == "babble" for s in TEST_SPEAKERS)
    assert len({s.engine for s in BLIND_SPEAKERS}) == 3
    starts_at_once = [o for o in report.outcomes if "no-lead" in o.speaker]
    assert starts_at_once


def test_a_no_lead_speaker_is_loud_from_the_first_sample(tmp_path):
    """Such a file has no silence before the speech: it is loud (by the measure that cut it)
    in its very first 10 ms, and louder than a twentieth of its peak within 20 ms."""
    speaker = next(s for s in TEST_SPEAKERS if not s.lead_s and not s.noise)
    fixture = speak("pause the timer please", speaker, tmp_path / "said.wav", tmp_path)
    samples = read_wav(fixture.path)
    assert speech_bounds(samples)[0] == 0.0
    assert abs(samples[:320].astype(int)).max() > 0.05 * abs(samples.astype(int)).max()


def test_the_wav_cli_reads_commands_by_meaning(report):
    """`stretchbot voice --wav`, as a user runs it, on files of this slice whose words are no phrase
    of content/commands.yml: it prints the command the loop obeyed (it printed null until
    2026-12-07), and nothing for a non-command."""
    from bot.commands import default_commands

    f = report.figures()["wav"]
    assert f["right"] >= MIN_WAV_RIGHT and f["false"] <= MAX_FALSE, f
    table = default_commands()
    natural = [
        o for o in report.outcomes
        if o.case.expected and o.right and o.filed_right and len(o.heard) == 1
        and table.match(o.heard[0]) is None
    ]  # fmt: skip
    quiet = [
        o for o in report.outcomes if not o.case.expected and not o.filed and len(o.heard) == 1
    ]
    picks = [natural[0], natural[len(natural) // 2], quiet[0]]
    run = subprocess.run(
        [sys.executable, "-m", "runner.cli", "voice", "--wav", *(str(o.path) for o in picks)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["wav"] for line in lines] == [str(o.path) for o in picks]
    assert [line["command"] for line in lines] == [o.case.expected for o in picks[:2]] + [None]
    assert [line["text"] for line in lines] == [o.heard[0] for o in picks]
