"""Rasa's Slack connector, configured from the environment (credentials.yml):

- off (its URL answers 404) while SLACK_TOKEN is empty;
- SLACK_API_URL points it at another Web API server (the tests' local fake);
- replies as plain text: Slack's control characters escaped (&, <, >), so nothing is taken for a
  link or a mention; routine cues at the chat pace (channels/pace.py).

Use it in credentials.yml as `channels.slack.SlackInput` with Rasa's settings (`slack_token`,
`slack_signing_secret`, ...) plus `api_url` and `cues`.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint
from slack_sdk.web.async_client import AsyncWebClient

from channels.pace import keep, not_configured, pace_of


def plain(text: str) -> str:
    """Slack reads &, < and > as markup; escaped, the text shows as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackOutput(SlackBot):
    def __init__(
        self, token, slack_channel=None, thread_id=None, proxy=None, api_url="", pace="chat"
    ):
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:
            self.client = AsyncWebClient(token, base_url=api_url.rstrip("/") + "/", proxy=proxy)
        self.pace = pace

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        if keep(text, self.pace):
            await super().send_text_message(recipient_id, plain(text), **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: Dict, **kwargs: Any) -> None:
        pass  # custom payloads are for the web chat and voice mode, not for a chat app


class SlackInput(RasaSlackInput):
    @classmethod
    def from_credentials(cls, credentials: Dict | None) -> InputChannel:
        credentials = dict(credentials or {})
        token = credentials.get("slack_token") or ""
        if not token:
            channel = cls.__new__(cls)  # off: nothing to validate
            channel.slack_token = ""
        else:
            channel = super().from_credentials(credentials)
        channel.api_url = str(credentials.get("api_url") or "")
        channel.pace = pace_of(credentials)
        return channel

    api_url = ""
    pace = "chat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if not self.slack_token:
            return not_configured("slack", "Slack")
        return super().blueprint(on_new_message)

    def get_output_channel(self, channel=None, thread_id=None) -> SlackOutput:
        channel = channel or self.slack_channel
        return SlackOutput(
            self.slack_token, channel, thread_id, self.proxy, self.api_url, self.pace
        )
