"""Every setting in one place. Paths come from the package location, never the working directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# A bad value in a STRETCHBOT_* variable never stops an import (this module is loaded inside the
# Rasa and action servers too): the default is used and the problem recorded here. `stretchbot`
# refuses to start with any recorded problem and says which variable to fix (runner/cli.py).
PROBLEMS: list[str] = []


def _number(name: str, default: float, low: float, high: float = float("inf"), kind=float):
    """The variable as a number in (low, high], or the default with a recorded problem."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low < value <= high:
        limits = f"above {low:g}" if high == float("inf") else f"from {low + 1:g} to {high:g}"
        kind_name = "a whole number" if kind is int else "a number"
        PROBLEMS.append(f"{name} must be {kind_name} {limits} (it is {raw!r}).")
        return default
    return value


def _project_dir() -> Path:
    """The folder with content/, endpoints.yml and the rest: the source checkout this package was
    loaded from, else STRETCHBOT_HOME, else the data `pip install .` puts under <prefix>/share."""
    checkout = Path(__file__).resolve().parent.parent
    if os.environ.get("STRETCHBOT_HOME"):
        return Path(os.environ["STRETCHBOT_HOME"]).expanduser().resolve()
    if (checkout / "content").is_dir():
        return checkout
    installed = Path(sys.prefix) / "share" / "stretchbot"
    return installed if (installed / "content").is_dir() else checkout


PROJECT_DIR = _project_dir()
CONTENT_DIR = Path(os.environ.get("STRETCHBOT_CONTENT_DIR", PROJECT_DIR / "content"))
# The NLU training data, and the examples the learned warning-sign model is trained on beside it.
NLU_DATA = PROJECT_DIR / "data" / "nlu.yml"
WARNING_EXAMPLES = PROJECT_DIR / "data" / "warning_signs.yml"
WARNING_CORPUS = PROJECT_DIR / "data" / "warning_corpus.yml"
# More phrasings of the routine commands, and talk that is no command, that the command classifier
# learns from beside content/commands.yml (never matched word for word, never fitted to the sound).
COMMAND_CORPUS = PROJECT_DIR / "data" / "command_corpus.yml"
# What the servers write (trained model, logs, conversations): beside the project in a checkout;
# for an installed package (its data folder is not writable), STRETCHBOT_DATA_DIR or
# ~/.local/share/stretchbot.
DATA_DIR = Path(
    os.environ.get(
        "STRETCHBOT_DATA_DIR",
        PROJECT_DIR
        if os.access(PROJECT_DIR, os.W_OK)
        else Path.home() / ".local" / "share" / "stretchbot",
    )
)
MODELS_DIR = DATA_DIR / "models"

RASA_HOST = os.environ.get("STRETCHBOT_RASA_HOST", "localhost")
RASA_PORT = _number("STRETCHBOT_RASA_PORT", 5005, 0, 65535, int)
ACTIONS_PORT = _number("STRETCHBOT_ACTIONS_PORT", 5055, 0, 65535, int)

# The channels (channels/guard.py) refuse longer messages at once, before NLU runs: a clear reply,
# no work. Ten times the longest real question in the test sets, and well under what took NLU
# seconds (a 1 MB message took 6.3 s).
MAX_INPUT_CHARS = _number("STRETCHBOT_MAX_INPUT_CHARS", 2000, 0, 1_000_000, int)
# Longest sender id the REST channel accepts (a uuid is 32-36 characters).
MAX_SENDER_CHARS = 256
# An action server that has not answered its health check for this long is given up on, and the user
# gets a short apology (the bar: within 2 s when it is down or hung). Rasa being busy
# doesn't count: the check runs outside its event loop (channels/action_watch.py).
ACTION_TIMEOUT_S = _number("STRETCHBOT_ACTION_TIMEOUT", 1.5, 0)
# How many recent texts' sentence vectors each server keeps (bot/embedding.py): greetings, "next",
# "thanks" come back often. `make bench` runs Stretchbot with 0: its few hundred questions repeat.
VECTOR_CACHE = _number("STRETCHBOT_VECTOR_CACHE", 4096, -1, 1_000_000, int)
# Rasa's own limit on one action call (5 minutes in Rasa), a last resort behind the health check.
ACTION_CALL_LIMIT_S = 60.0

# Longer messages are not searched for stretch names (the red-flag check still reads all of them).
MAX_MESSAGE_CHARS = 1000
# Typos in stretch names are forgiven by edit distance: 1 edit for names of 5-8 letters, 2 from 9
# (see bot/matching.py: _max_edits).
# Describing a stretch without naming it: the share of a `describe` phrase's content words that must appear.
DESCRIPTION_MIN_OVERLAP = 0.6
# Sentence vectors of content phrases, kept between runs (bot/understanding.py); safe to delete.
CACHE_DIR = DATA_DIR / "var" / "cache"
MODEL_PATH = MODELS_DIR / "stretchbot.tar.gz"
LOG_DIR = DATA_DIR / "logs"
ENDPOINTS_FILE = PROJECT_DIR / "endpoints.yml"
# Conversations (and the routine each one is doing) are kept here, so they survive a restart.
CHAT_SESSION_FILE = Path(
    os.environ.get("STRETCHBOT_CHAT_SESSION_FILE", DATA_DIR / "var" / "chat_session")
)
# A voice routine is kept here between voice sessions, so it survives a crash (offered to resume).
VOICE_ROUTINE_FILE = Path(
    os.environ.get("STRETCHBOT_VOICE_ROUTINE_FILE", DATA_DIR / "var" / "voice_routine.json")
)
TRACKER_DB = Path(os.environ.get("STRETCHBOT_TRACKER_DB", DATA_DIR / "var" / "tracker.db"))
CREDENTIALS_FILE = PROJECT_DIR / "credentials.yml"
# How long `stretchbot serve` waits for both servers to answer before giving up.
STARTUP_TIMEOUT_S = _number("STRETCHBOT_STARTUP_TIMEOUT", 240.0, 0)


# Every routine duration (holds, rests, reps) is multiplied by this; tests and demos use a small value
# to run a whole routine in seconds. Nothing else about behaviour depends on it.
TIME_SCALE = _number("STRETCHBOT_TIME_SCALE", 1.0, 0)

# Voice mode (voice/). The Vosk model `stretchbot voice-model` downloads, and where it goes; any other
# Vosk model is used by pointing VOSK_MODEL_PATH at its folder. Without one, PocketSphinx is used.
VOSK_MODEL_URL = "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
# SHA-256 of that zip (the official file, as other projects pin it); STRETCHBOT_VOSK_SHA256 overrides,
# and an empty value skips the check (the zip's own CRCs are still checked).
VOSK_MODEL_SHA256 = os.environ.get(
    "STRETCHBOT_VOSK_SHA256", "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
)
VOSK_MODEL_DIR = MODELS_DIR / "vosk-model-small-en-us-0.15"
VOSK_MODEL_PATH = os.environ.get("VOSK_MODEL_PATH", "")
# The microphone is muted while Stretchbot speaks and for this long after (room echo, speaker tail).
VOICE_GUARD_S = _number("STRETCHBOT_VOICE_GUARD_MS", 250.0, -1) / 1000
# End of speech: the endpointer closes an utterance after this much audio that is mostly silence.
VOICE_ENDPOINT_WINDOW_S = _number("STRETCHBOT_VOICE_ENDPOINT_MS", 100.0, 0) / 1000
VOICE_MAX_UTTERANCE_S = 8.0  # longer speech is cut here (a running tap, a TV)
VOICE_BOT_TIMEOUT_S = 15.0  # one request to the bot

# -- Where people talk (channels/, endpoints.yml, credentials.yml) ---------------------------------
# endpoints.yml and credentials.yml read ${STRETCHBOT_...} variables; `stretchbot serve` fills them
# in from here (rasa_environment), and `stretchbot env` prints them for running `rasa` by hand.
# The address the servers listen on (0.0.0.0 in a container); STRETCHBOT_RASA_HOST is for URLs.
BIND_HOST = os.environ.get("STRETCHBOT_BIND_HOST", "127.0.0.1")
# Where Rasa finds the action server; default http://<STRETCHBOT_RASA_HOST>:<actions port>/webhook.
ACTIONS_URL = os.environ.get("STRETCHBOT_ACTIONS_URL", "")
# The tracker store as an SQLAlchemy URL (postgresql://user:pass@host/db); default SQLite at
# TRACKER_DB. The lock store: Redis with a redis:// URL, else in memory (one process only).
DB_URL = os.environ.get("STRETCHBOT_DB_URL", "")
REDIS_URL = os.environ.get("STRETCHBOT_REDIS_URL", "")
# Rasa's HTTP API (conversations, model) is on only with one of these: a token (?token=...) or a
# JWT secret (Authorization: Bearer <JWT signed HS256>).
API_TOKEN = os.environ.get("STRETCHBOT_API_TOKEN", "")
JWT_SECRET = os.environ.get("STRETCHBOT_JWT_SECRET", "")
# Browser origins allowed to call the server (HTTP CORS and socket.io), separated by spaces or
# commas; default the server's own origin on localhost / 127.0.0.1. Never "*".
CORS_ORIGINS = os.environ.get("STRETCHBOT_CORS_ORIGINS", "")
# Telegram and Slack (README "Telegram" and "Slack"); empty = that channel is off.
CHANNEL_VARIABLES = (
    "TELEGRAM_TOKEN", "TELEGRAM_BOT_NAME", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_API_URL",
    "SLACK_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL",
)  # fmt: skip


def cors_origins(rasa_port: int = RASA_PORT) -> list:
    if CORS_ORIGINS.strip():
        origins = CORS_ORIGINS.replace(",", " ").split()
    else:
        origins = [f"http://{host}:{rasa_port}" for host in (RASA_HOST, "localhost", "127.0.0.1")]
    if "*" in origins:
        raise SystemExit(
            "STRETCHBOT_CORS_ORIGINS can't be '*': list the sites that embed the chat."
        )
    return list(dict.fromkeys(origins))


def rasa_environment(
    rasa_port: int = RASA_PORT,
    actions_port: int = ACTIONS_PORT,
    tracker_db: Path = TRACKER_DB,
    db_url: str = DB_URL,
    redis_url: str = REDIS_URL,
) -> dict:
    """The ${...} values endpoints.yml and credentials.yml read."""
    from urllib.parse import urlsplit

    redis = urlsplit(redis_url) if redis_url else None
    if redis and redis.scheme != "redis":
        raise SystemExit(f"STRETCHBOT_REDIS_URL must start with redis:// (it is {redis_url!r}).")
    if not db_url:  # SQLite makes the file, not its folder
        Path(tracker_db).parent.mkdir(parents=True, exist_ok=True)
    env = {
        "STRETCHBOT_ACTIONS_URL": ACTIONS_URL or f"http://{RASA_HOST}:{actions_port}/webhook",
        "STRETCHBOT_DB_URL": db_url or f"sqlite:///{Path(tracker_db).resolve()}",
        "STRETCHBOT_LOCK_STORE": "redis" if redis else "in_memory",
        "STRETCHBOT_REDIS_HOST": (redis.hostname or "localhost") if redis else "",
        "STRETCHBOT_REDIS_PORT": str((redis.port or 6379) if redis else 6379),
        "STRETCHBOT_REDIS_DB": (redis.path.strip("/") or "0") if redis else "0",
        "STRETCHBOT_REDIS_PASSWORD": (redis.password or "") if redis else "",
        "STRETCHBOT_CORS_ORIGINS": " ".join(cors_origins(rasa_port)),
    }
    env.update({name: os.environ.get(name, "") for name in CHANNEL_VARIABLES})
    return env
