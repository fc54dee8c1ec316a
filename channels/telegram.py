"""Rasa's Telegram connector, configured from the environment (credentials.yml):

- off (its URL answers 404 and nothing is sent) while TELEGRAM_TOKEN is empty;
- TELEGRAM_API_URL points it at another Bot API server (the tests' local fake; a self-hosted one);
- routine cues at the chat pace (channels/pace.py), plain text (no parse mode, so no HTML).

Use it in credentials.yml as `channels.telegram.TelegramInput` with Rasa's settings
(`access_token`, `verify`, `webhook_url`) plus `api_url` and `cues`.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint

from channels.pace import keep, not_configured, pace_of


class TelegramOutput(RasaTelegramOutput):
    def __init__(self, access_token: str, api_url: str = "", pace: str = "chat") -> None:
        server = TelegramAPIServer.from_base(api_url.rstrip("/")) if api_url else None
        if server is None:
            super().__init__(access_token)
        else:
            Bot.__init__(self, access_token, server=server)
        self.pace = pace

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        if keep(text, self.pace):
            await super().send_text_message(recipient_id, text, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: Dict, **kwargs: Any) -> None:
        pass  # custom payloads are for the web chat and voice mode, not for a chat app


class TelegramInput(RasaTelegramInput):
    @classmethod
    def from_credentials(cls, credentials: Dict | None) -> InputChannel:
        credentials = credentials or {}
        channel = cls(
            credentials.get("access_token") or "",
            credentials.get("verify") or "",
            credentials.get("webhook_url") or "",
        )
        channel.api_url = str(credentials.get("api_url") or "")
        channel.pace = pace_of(credentials)
        return channel

    api_url = ""
    pace = "chat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if not self.access_token:
            return not_configured("telegram", "Telegram")
        return super().blueprint(on_new_message)

    def get_output_channel(self) -> TelegramOutput:
        channel = TelegramOutput(self.access_token, self.api_url, self.pace)
        if not self.webhook_url:
            return channel

        async def register() -> None:  # tell Telegram where to send updates, as Rasa does
            try:
                await channel.set_webhook(url=self.webhook_url)
            finally:
                await channel.close()  # the HTTP session of this loop; the next one makes its own

        try:
            asyncio.run(register())
        except TelegramAPIError as error:
            raise RasaException(f"Telegram refused the webhook URL: {error}") from error
        return channel
