"""Spoken test audio made on the spot: espeak-ng says a text, sox turns it into 16 kHz mono 16-bit
and mixes in background noise at a chosen signal-to-noise ratio. The tests and `bench.voice` use it;
nothing is downloaded and nothing is stored in the repository.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import subprocess
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Sequence

import numpy as np

RATE = 16000
LEAD_SILENCE = 0.4  # seconds before the speech
TAIL_SILENCE = 0.8  # after it: enough for the endpointer to close the utterance


@dataclass(frozen=True)
class Take:
    """One way of saying a text: voice, words per minute, noise colour and SNR (None = clean)."""

    voice: str = "en-us"
    speed: int = 170
    noise: str | None = None  # a sox synth noise type: whitenoise, pinknoise, brownnoise
    snr_db: float = 20.0

    @property
    def label(self) -> str:
        noise = f"+{self.noise}{self.snr_db:g}dB" if self.noise else ""
        return f"{self.voice}@{self.speed}{noise}"


@dataclass(frozen=True)
class Fixture:
    text: str
    take: Take
    path: Path
    speech_end: float  # seconds into the file where the speech ends


def tools_missing() -> List[str]:
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.asarray(samples, dtype="<i2").tobytes())


def speech_bounds(samples: np.ndarray, rate: int = RATE) -> tuple[float, float]:
    """Start and end (seconds) of the part louder than 1% of the peak, in 10 ms steps."""
    if not len(samples):
        return 0.0, 0.0
    step = rate // 100
    frames = np.abs(samples[: len(samples) // step * step].astype(np.int32)).reshape(-1, step)
    loud = np.flatnonzero(frames.max(axis=1) > 0.01 * max(1, int(np.abs(samples).max())))
    if not len(loud):
        return 0.0, 0.0
    return loud[0] * 0.01, (loud[-1] + 1) * 0.01


def _run(command: Sequence[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def synthesize(text: str, take: Take, path: Path) -> Fixture:
    """Speak `text` into `path` (16 kHz mono 16-bit, padded with silence, noise mixed in)."""
    clean = path.with_suffix(".clean.wav")
    raw = path.with_suffix(".espeak.wav")
    _run(["espeak-ng", "-v", take.voice, "-s", str(take.speed), "-w", str(raw), text])
    _run(["sox", "-R", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(clean)])
    raw.unlink()
    speech = read_wav(clean)  # espeak's own short silences around the words are kept
    _, end = speech_bounds(speech)
    padded = np.concatenate(
        [np.zeros(int(LEAD_SILENCE * RATE)), speech, np.zeros(int(TAIL_SILENCE * RATE))]
    ).astype("<i2")
    write_wav(clean, padded)
    if take.noise:
        _mix_noise(clean, path, take, rms(speech))
        clean.unlink()
    else:
        clean.replace(path)
    return Fixture(text, take, path, LEAD_SILENCE + end)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0


def _mix_noise(clean: Path, out: Path, take: Take, speech_rms: float) -> None:
    seconds = len(read_wav(clean)) / RATE
    noise = out.with_suffix(".noise.wav")
    # sox's synth noise at amplitude 1 has a known RMS we measure rather than assume.
    _run(["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(noise)]
         + ["synth", f"{seconds:.3f}", take.noise, "vol", "0.3"])  # fmt: skip
    noise_rms = rms(read_wav(noise)) or 1.0
    gain = speech_rms / (noise_rms * 10 ** (take.snr_db / 20)) if speech_rms else 0.0
    _run(["sox", "-R", "-m", "-v", "1", str(clean), "-v", f"{gain:.5f}", str(noise), str(out)])
    noise.unlink()


def silence(path: Path, seconds: float = 2.0, take: Take | None = None) -> Fixture:
    """Room tone: digital silence, or only the noise of `take`."""
    samples = np.zeros(int(seconds * RATE), dtype="<i2")
    if take and take.noise:
        clean = path.with_suffix(".clean.wav")
        write_wav(clean, samples)
        _mix_noise(clean, path, take, 300.0)  # noise at the level of quiet speech
        clean.unlink()
    else:
        write_wav(path, samples)
    return Fixture("", take or Take(), path, 0.0)


def fixture_path(directory: Path, text: str, take: Take) -> Path:
    digest = hashlib.sha1(f"{text}|{take.label}".encode()).hexdigest()[:12]
    return directory / f"{digest}.wav"


def synthesize_all(
    items: Iterable[tuple[str, Take]], directory: Path, workers: int | None = None
) -> List[Fixture]:
    """Speak every (text, take) into `directory`, in parallel; existing files are reused."""
    directory.mkdir(parents=True, exist_ok=True)
    items = list(items)

    def one(item: tuple[str, Take]) -> Fixture:
        text, take = item
        path = fixture_path(directory, text, take)
        meta = path.with_suffix(".end")
        if path.exists() and meta.exists():
            return Fixture(text, take, path, float(meta.read_text()))
        fixture = synthesize(text, take, path) if text else silence(path, take=take)
        meta.write_text(f"{fixture.speech_end:.3f}")
        return fixture

    with ThreadPoolExecutor(max_workers=workers or max(2, math.ceil((_cpus() or 2) * 1.5))) as ex:
        return list(ex.map(one, items))


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


# -- the evaluation set (tests and bench) ----------------------------------------------------------
# Ways of speaking: the tests use the first four; the bench adds the others (unseen by tuning).
TEST_TAKES = (
    Take("en-us", 170),
    Take("en+f3", 140, "pinknoise", 15),
    Take("en+m3", 210),
    Take("en", 180, "brownnoise", 12),
)
BENCH_TAKES = TEST_TAKES + (
    Take("en-us", 130, "whitenoise", 20),
    Take("en+f5", 190),
    Take("en-gb-scotland", 160, "pinknoise", 18),
)
# Said to the assistant but not routine commands: near misses of command phrases first ("go on" is a
# chat command that voice mode leaves out: content/commands.yml `not_by_voice`).
NEAR_MISSES = (
    "back pain", "my back hurts", "stop sign", "next week", "go home", "hold my hand",
    "the next stretch is hard", "what's the next stretch", "i can't go on like this",
    "wait what muscles does this work", "skip rope", "how long should i hold it",
    "go back to sleep", "pause button", "time flies", "finish line", "ready or not",
    "again and again", "hold it longer", "that was good", "go on",
)  # fmt: skip
QUESTIONS = (
    "how do i do child's pose", "what muscles does this work", "is this safe for sciatica",
    "start the daily routine", "give me a five minute routine for my lower back",
    "what does the cat cow stretch do", "my lower back is stiff", "can i do this at my desk",
    "what are common mistakes", "is this stretch good for posture", "make it easier",
    "show me stretches for my upper back", "hello", "thank you", "what can you do",
)  # fmt: skip
# Spoken with the command they must give; fillers and the natural variants included.
VARIANTS = (
    ("ok pause please", "pause"), ("hey stretchbot next", "next"), ("stop please", "stop"),
    ("okay resume", "resume"), ("hold on", "pause"), ("go back", "previous"),
    ("say that again", "repeat"), ("how much longer", "time_left"),
)  # fmt: skip


def command_texts() -> List[tuple[str, str]]:
    """(text, command) for every voice command phrase of the table, and the variants."""
    from bot.commands import VOICE_COMMANDS, default_commands

    table = default_commands()
    phrases = [(p, c) for p, c in table.phrases if c in VOICE_COMMANDS and table.by_voice(p)]
    return phrases + [v for v in VARIANTS if v not in phrases]


def evaluation_items(takes: Sequence[Take]) -> List[tuple[str, Take, str | None]]:
    """(text, take, expected command) for commands in every take, non-commands in two, the
    assistant's own cues in one each (rotating), and silence or noise alone in every take."""
    items = [(text, take, command) for text, command in command_texts() for take in takes]
    for text in NEAR_MISSES + QUESTIONS:
        items += [(text, take, None) for take in takes[:2]]
    for i, cue in enumerate(own_cues()):
        items.append((cue, takes[i % len(takes)], None))
    items += [("", take, None) for take in takes]
    return items


def own_cues() -> List[str]:
    """The routine's cues that are not themselves command phrases (see cue_collisions)."""
    from voice.language import cue_texts

    return [cue for cue in cue_texts() if cue not in cue_collisions()]


def cue_collisions() -> List[str]:
    """Cues the phrase table reads as a command (there should be none: Stretchbot must never be
    able to obey its own words, even if the mute during playback failed)."""
    from bot.commands import default_commands
    from voice.language import cue_texts

    table = default_commands()
    return [cue for cue in cue_texts() if table.match(cue)]


# -- the blind spoken evaluation: several synthesizer engines, voices and rooms --------------------
# Speakers and rooms the recognizer was never tuned on: three synthesizer engines (espeak-ng, flite,
# festival), speed, pitch and level changed with sox, room reverb, noise of four kinds (babble is
# other synthesized people talking), and takes whose speech starts at the very first sample.
@dataclass(frozen=True)
class Speaker:
    engine: str = "espeak-ng"  # espeak-ng, flite or festival
    voice: str = "en-us"
    tempo: float = 1.0  # sox tempo factor (1.2 = 20% faster)
    pitch: int = 0  # sox pitch shift, in cents
    gain_db: float = 0.0  # level change (negative: quieter, farther from the mic)
    reverb: int = 0  # sox reverberance 0-100 (0: none)
    noise: str | None = None  # whitenoise, pinknoise, brownnoise or babble
    snr_db: float = 20.0
    lead_s: float = LEAD_SILENCE  # 0: the speech starts at the first sample

    @property
    def label(self) -> str:
        parts = [f"{self.engine}:{self.voice}"]
        if self.tempo != 1.0:
            parts.append(f"x{self.tempo:g}")
        if self.pitch:
            parts.append(f"pitch{self.pitch:+d}")
        if self.gain_db:
            parts.append(f"{self.gain_db:+g}dB")
        if self.reverb:
            parts.append(f"reverb{self.reverb}")
        if self.noise:
            parts.append(f"{self.noise}{self.snr_db:g}dB")
        if not self.lead_s:
            parts.append("no-lead")
        return " ".join(parts)


BLIND_SPEAKERS = (
    Speaker("espeak-ng", "en-us", lead_s=0.0),
    Speaker("flite", "slt"),
    Speaker("flite", "awb", tempo=1.15, noise="babble", snr_db=12),
    Speaker("flite", "rms", pitch=-150, gain_db=-14, noise="pinknoise", snr_db=18),
    Speaker("flite", "kal16", reverb=50, noise="whitenoise", snr_db=20, lead_s=0.0),
    Speaker("festival", "kal_diphone", tempo=0.9, noise="brownnoise", snr_db=15),
    Speaker("festival", "cmu_us_slt_arctic_hts", reverb=40, noise="babble", snr_db=10),
    Speaker("espeak-ng", "en-gb-x-rp", tempo=0.85, noise="babble", snr_db=15, lead_s=0.0),
    Speaker("espeak-ng", "en+f4", pitch=150, reverb=60, noise="pinknoise", snr_db=15),
    Speaker("flite", "slt", tempo=1.25, pitch=200, reverb=30, lead_s=0.0),
)
# The slice `make test` runs: one take of each engine, one with talk behind, one starting at once.
TEST_SPEAKERS = (BLIND_SPEAKERS[0], BLIND_SPEAKERS[2], BLIND_SPEAKERS[6])

# Background talk for the babble noise and the background-talk test: ordinary speech that is not
# addressed to the assistant (written for this project).
TALK = (
    "We drove up to the lake on Saturday and the water was far too cold for swimming, so we sat on "
    "the jetty and ate sandwiches while the dog chased the ducks along the shore.",
    "Did you see the message from your sister? She says the party moved to the Friday, because half "
    "the family is away on the weekend and the hall was already booked.",
    "The council is finally fixing the road outside the school. It has been full of holes since the "
    "winter, and the buses have been going the long way round for months.",
    "I think the recipe needs more garlic, and maybe a little lemon at the end. Last time it was fine, "
    "but the sauce was a bit thin, so leave it on the heat a while longer.",
    "My brother has started learning the piano at forty five. He practises every evening after work "
    "and says it is the best thing he has done in years, even if the neighbours disagree.",
    "The match was a disappointment. We were two goals up at half time and then we stopped playing, "
    "and by the end nobody in the stands could quite believe what had happened.",
    "Remember to water the tomatoes while I'm away. The small ones by the window need it every day, "
    "the big pots outside only when it hasn't rained.",
    "She told me the train was late again this morning, something about a signal failure, so she got "
    "to the office just in time for the meeting and had no coffee at all.",
    "We could paint the hallway a lighter colour. It always feels dark in the afternoon, and the old "
    "paint is peeling where the coats rub against the wall.",
    "The library has a new reading group on Tuesday nights. They are starting with a long novel about "
    "a family of sailors, which sounds like a lot of pages for a month.",
    "I finally called the bank about the card. They were very helpful once I got through, but I was "
    "on hold for almost twenty minutes listening to the same song.",
    "The kids want a pet for the summer. I said we would think about it, which they took as a yes, "
    "and now they are arguing about names for a rabbit we don't have.",
)  # fmt: skip
BABBLE_VOICES = (("espeak-ng", "en-us"), ("flite", "awb"), ("flite", "slt"), ("espeak-ng", "en+f3"))


def blind_tools_missing() -> List[str]:
    return [t for t in ("espeak-ng", "sox", "flite", "text2wave") if shutil.which(t) is None]


def _say(engine: str, voice: str, text: str, raw: Path) -> None:
    if engine == "espeak-ng":
        _run(["espeak-ng", "-v", voice, "-w", str(raw), text])
    elif engine == "flite":
        _run(["flite", "-voice", voice, "-t", text, "-o", str(raw)])
    elif engine == "festival":
        subprocess.run(
            ["text2wave", "-eval", f"({'voice_' + voice})", "-o", str(raw)],
            input=text.encode(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
    else:
        raise ValueError(f"unknown synthesizer engine: {engine}")


def speak(text: str, speaker: Speaker, path: Path, directory: Path) -> Fixture:
    """`text` said by `speaker` into `path` (16 kHz mono 16-bit), in its room, with its noise."""
    raw, clean = path.with_suffix(".raw.wav"), path.with_suffix(".clean.wav")
    _say(speaker.engine, speaker.voice, text, raw)
    effects: List[str] = []
    if speaker.tempo != 1.0:
        effects += ["tempo", "-s", f"{speaker.tempo:g}"]
    if speaker.pitch:
        effects += ["pitch", str(speaker.pitch)]
    if speaker.reverb:
        effects += ["reverb", str(speaker.reverb)]
    if speaker.gain_db:
        effects += ["gain", f"{speaker.gain_db:g}"]
    _run(["sox", "-R", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(clean), *effects])
    raw.unlink()
    speech = read_wav(clean)
    clean.unlink()
    start, end = speech_bounds(speech)
    if not speaker.lead_s:  # the speech starts at the very first sample
        speech, end = speech[int(start * RATE) :], end - start
    lead = np.zeros(int(speaker.lead_s * RATE))
    samples = np.concatenate([lead, speech, np.zeros(int(TAIL_SILENCE * RATE))])
    if speaker.noise:
        noise = noise_track(speaker.noise, len(samples), directory, seed=len(text))
        level = rms(speech)
        samples = samples + noise * (level / (rms(noise) * 10 ** (speaker.snr_db / 20)))
    write_wav(path, np.clip(np.round(samples), -32768, 32767))
    return Fixture(text, speaker, path, speaker.lead_s + end)  # type: ignore[arg-type]


def noise_track(kind: str, length: int, directory: Path, seed: int = 0) -> np.ndarray:
    """`length` samples of noise: sox's synth colours, or babble (several people talking)."""
    source = babble(directory) if kind == "babble" else _synth_noise(kind, directory)
    offset = (seed * 7919) % max(1, len(source) - length) if len(source) > length else 0
    return np.resize(source[offset:], length).astype(np.float64)


def _synth_noise(kind: str, directory: Path) -> np.ndarray:
    path = directory / f"noise-{kind}.wav"
    if not path.exists():
        tmp = path.with_suffix(".tmp.wav")
        _run(["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(tmp)]
             + ["synth", "60", kind, "vol", "0.3"])  # fmt: skip
        tmp.replace(path)
    return read_wav(path)


def babble(directory: Path) -> np.ndarray:
    """About a minute of three or four people talking at once, from the TALK sentences."""
    path = directory / "noise-babble.wav"
    if path.exists():
        return read_wav(path)
    streams = []
    for i, (engine, voice) in enumerate(BABBLE_VOICES):
        parts = []
        for j, text in enumerate(TALK[i:] + TALK[:i]):
            raw = directory / f"babble-{i}-{j}.wav"
            _say(engine, voice, text, raw)
            one = directory / f"babble-{i}-{j}.16k.wav"
            _run(["sox", "-R", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(one)])
            samples = read_wav(one).astype(np.float64)
            raw.unlink()
            one.unlink()
            parts.append(samples / max(1.0, rms(samples)))
        streams.append(np.concatenate(parts))
    length = min(len(s) for s in streams)
    mixed = sum(s[:length] for s in streams)
    mixed *= 3000.0 / max(1.0, rms(mixed))
    tmp = path.with_suffix(".tmp.wav")
    write_wav(tmp, np.clip(mixed, -32768, 32767))
    tmp.replace(path)
    return read_wav(path)


def speak_all(
    items: Iterable[tuple[str, Speaker]], directory: Path, workers: int | None = None
) -> List[Fixture]:
    """Every (text, speaker) spoken into `directory` (files kept there and reused)."""
    directory.mkdir(parents=True, exist_ok=True)
    items = list(items)
    for kind in sorted({s.noise for _, s in items if s.noise}):  # made once, before the threads
        noise_track(kind, 1, directory)

    def one(item: tuple[str, Speaker]) -> Fixture:
        text, speaker = item
        digest = hashlib.sha1(f"{text}|{speaker.label}".encode()).hexdigest()[:14]
        path, meta = directory / f"{digest}.wav", directory / f"{digest}.end"
        if path.exists() and meta.exists():
            return Fixture(text, speaker, path, float(meta.read_text()))  # type: ignore[arg-type]
        fixture = speak(text, speaker, path, directory)
        meta.write_text(f"{fixture.speech_end:.3f}")
        return fixture

    with ThreadPoolExecutor(max_workers=workers or max(2, _cpus())) as ex:
        return list(ex.map(one, items))
