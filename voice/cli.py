"""`stretchbot voice` and `stretchbot voice-model`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot import settings


def register(subparsers) -> None:
    voice = subparsers.add_parser(
        "voice", help="hands-free voice mode (microphone and speaker), or --wav files"
    )
    voice.add_argument(
        "--wav",
        nargs="+",
        metavar="PATH",
        help="read WAV files as voice mode would; print JSON lines",
    )
    voice.add_argument("--url", default=f"http://{settings.RASA_HOST}:{settings.RASA_PORT}")
    voice.add_argument(
        "--engine", choices=("auto", "vosk", "moonshine", "pocketsphinx"), default="auto"
    )
    voice.add_argument("--device", default=None, help="input device name or number")
    voice.add_argument(
        "--no-start", action="store_true", help="don't start the bot server if it isn't running"
    )
    voice.set_defaults(func=cmd_voice)
    model = subparsers.add_parser("voice-model", help="download the Vosk speech model")
    model.add_argument("--url", default=settings.VOSK_MODEL_URL)
    model.add_argument("--sha256", default=settings.VOSK_MODEL_SHA256)
    model.add_argument("--dir", type=Path, default=settings.VOSK_MODEL_DIR)
    model.set_defaults(func=cmd_voice_model)


def _fail(message: str) -> int:
    print(f"stretchbot voice: {message}", file=sys.stderr)
    return 1


def cmd_voice(args) -> int:
    from voice.audio import AudioError

    try:
        if args.wav:
            return run_wavs(args.wav, args.engine)
        return run_live(args)
    except AudioError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print()
        return 130


def _engine(want: str, say):
    from voice.recognizer import choose_engine

    return choose_engine(say=say, want="sphinx" if want == "pocketsphinx" else want)


def run_wavs(paths, want: str = "auto", out=sys.stdout) -> int:
    """Recognize each file with the live pipeline and read each utterance as voice mode does during
    a routine (`voice.loop.read_utterances`); one JSON object per utterance."""
    from bot.understanding import default_understanding
    from voice.audio import AudioError, WavSource
    from voice.loop import read_utterances
    from voice.meaning import sure_command
    from voice.recognizer import Listener

    sources = []
    for path in paths:  # check every file before the slow engine start
        try:
            sources.append(WavSource(Path(path)))
        except AudioError as exc:
            return _fail(str(exc))
    engine = _engine(want, say=lambda line: print(line, file=sys.stderr))
    sure = sure_command(default_understanding().commands)
    for path, source in zip(paths, sources, strict=True):
        listener = Listener(source, engine)
        listener.sure = sure  # as voice mode does
        heard = []
        while True:
            try:
                item = listener.listen()
            except EOFError:
                break
            if item is not None and item.text:
                heard.append(item)
        readings = read_utterances(heard)
        for item in readings or [None]:
            print(json.dumps(_record(path, item)), file=out, flush=True)
    return 0


def _record(path, read) -> dict:
    if read is None:
        return {"wav": str(path), "text": "", "command": None, "asked": None}
    heard, reading = read
    record = {
        "wav": str(path),
        "text": heard.text,
        "command": reading.command if reading.act == "command" else None,
        "asked": reading.command if reading.act == "ask" else None,
        "start_s": round(heard.start, 3),
        "end_s": round(heard.end, 3),
        "latency_ms": round(heard.latency_s * 1000),
    }
    if reading.for_safety:
        record["stopped_for_safety"] = True
    return record


def run_live(args) -> int:
    from voice.audio import MicSource
    from voice.bot import BotClient
    from voice.loop import RoutineStore, VoiceSession
    from voice.meaning import sure_command
    from voice.recognizer import Listener
    from voice.speech import EspeakSpeaker

    speaker = EspeakSpeaker()
    bot = BotClient(args.url)
    servers = None
    if not bot.reachable():
        servers = _start_servers(args)
        if servers is None:
            return 1
    try:
        engine = _engine(args.engine, say=print)
        mic = MicSource(args.device)
        print(
            f"Listening on {mic.name}. Say 'stop' (with no routine running) or press Ctrl-C to end."
        )
        listener = Listener(mic, engine)
        session = VoiceSession(listener, speaker, bot, log=print, store=RoutineStore())
        # a command said surely in other words is handed on after 0.3 s of quiet, not 0.7
        listener.sure = sure_command(session.understanding().commands)
        try:
            session.run()
        finally:
            mic.close()
        return 0
    finally:
        if servers is not None:
            servers.stop()


def _start_servers(args):
    from voice.bot import unreachable_message

    default = f"http://{settings.RASA_HOST}:{settings.RASA_PORT}"
    if args.no_start or args.url.rstrip("/") != default:
        _fail(unreachable_message(args.url))
        return None
    from runner.servers import ServerError, Servers

    print("Stretchbot's server isn't running; starting it (about a minute the first time)...")
    servers = Servers()
    try:
        servers.start()
        servers.wait_ready()
    except ServerError as exc:
        servers.stop()
        _fail(f"{exc}\n{unreachable_message(args.url)}")
        return None
    return servers


def cmd_voice_model(args) -> int:
    from voice.download import DownloadError, download_model

    target = Path(args.dir)
    if target.exists():
        print(f"The Vosk model is already installed at {target}.")
        return 0
    print(f"Downloading {args.url}")
    digests = []
    try:
        download_model(args.url, target, sha256=args.sha256, on_digest=digests.append)
    except DownloadError as exc:
        print(f"stretchbot voice-model: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted; nothing was installed.", file=sys.stderr)
        return 130
    if not args.sha256 and digests:
        print(f"No SHA-256 was pinned; this download's is {digests[0]}.")
    print(f"Installed at {target}. `stretchbot voice` will now use Vosk.")
    return 0
