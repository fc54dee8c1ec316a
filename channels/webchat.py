"""The web chat: a page at /webhooks/webchat/ and a widget any site embeds with one script tag.

The widget (webchat_static/widget.js) talks to the socket.io channel of the same server (Rasa's
socket.io, with the routine's leave / come-back events: channels/socketio.py), so timed routine cues
arrive live. Everything it needs is served from here, including the socket.io client (vendored from
the npm registry, MIT): the page works with no internet.

Use it in credentials.yml as `channels.webchat.WebChatInput:` (no settings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

STATIC_DIR = Path(__file__).resolve().parent / "webchat_static"
FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "socket.io.min.js": "application/javascript; charset=utf-8",
    "index.html": "text/html; charset=utf-8",
}


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("webchat_page", __name__)

        async def serve(name: str) -> response.HTTPResponse:
            if name not in FILES:
                return response.text("Not found.", status=404)
            return await response.file(
                STATIC_DIR / name,
                mime_type=FILES[name],
                headers={"Cache-Control": "no-cache"},  # script tags load cross-site without CORS
            )

        @blueprint.route("/", methods=["GET"])
        async def page(request: Request) -> response.HTTPResponse:
            return await serve("index.html")

        @blueprint.route("/<name:str>", methods=["GET"])
        async def asset(request: Request, name: str) -> response.HTTPResponse:
            return await serve(name or "index.html")  # Sanic routes ".../webchat/" here

        return blueprint
