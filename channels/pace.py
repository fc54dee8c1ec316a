"""How many of a routine's cues a channel sends.

The web chat and the terminal get every cue (`all`): a live display next to a countdown. A chat app
that pings a phone (Telegram, Slack) gets the `chat` pace: each stretch, the start of each hold or set
of reps, switching sides, the end of each hold and the rest, but not the countdown in between
("Halfway.", "10 seconds left.", each rep's number, the short "Relax for a moment." between holds).
Choose per channel in credentials.yml with `cues: all` or `cues: chat`.
"""

from __future__ import annotations

import re

CHAT_PACE_SKIPS = re.compile(r"^(Halfway\.|\d+ seconds? left\.|\d+\.|Relax for a moment\.)$")
PACES = ("all", "chat")


def pace_of(credentials: dict | None, default: str = "chat") -> str:
    pace = str((credentials or {}).get("cues") or default)
    if pace not in PACES:
        raise ValueError(f"cues must be one of {', '.join(PACES)} (it is {pace!r})")
    return pace


def keep(text: str, pace: str) -> bool:
    """Whether a message goes out at this pace (answers always do; only countdown cues are left out)."""
    return pace == "all" or not CHAT_PACE_SKIPS.match((text or "").strip())


def not_configured(name: str, label: str):
    """The blueprint of a chat-app channel whose token is not set: its webhook answers 404."""
    from sanic import Blueprint, response

    off = Blueprint(f"{name}_off", __name__)

    @off.route("/<path:path>", methods=["GET", "POST"])
    async def answer(request, path: str = "") -> response.HTTPResponse:
        return response.json({"status": f"{label} is not configured"}, status=404)

    return off
