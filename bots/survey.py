"""The satisfaction survey on the chat channels: the engine hands us every `survey:` button
(and, where it can, the typed comment); lapor.surveys does the work."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from bots.engine import Conversation, Engine, Incoming, Reply
from lapor import surveys


def _replies(prompts: Sequence[surveys.Prompt]) -> list[Reply]:
    return [Reply(prompt.text, prompt.buttons) for prompt in prompts]


def register(engine: Engine) -> None:
    """Route survey buttons to the survey. The optional comment needs the engine to pass
    typed text to us first (`on_text`); without that hook the survey ends after U9."""
    services = engine.services
    on_text = getattr(engine, "on_text", None)

    async def on_choice(
        conn: asyncpg.Connection, incoming: Incoming, conversation: Conversation
    ) -> list[Reply]:
        prompts = await surveys.answer_choice(
            services,
            conn,
            incoming.channel,
            incoming.chat_id,
            incoming.choice or "",
            comments=on_text is not None,
        )
        return _replies(prompts)

    async def on_comment(
        conn: asyncpg.Connection, incoming: Incoming, conversation: Conversation
    ) -> list[Reply] | None:
        if incoming.kind != "text" or not incoming.text:
            return None
        prompts = await surveys.answer_comment(
            services, conn, incoming.channel, incoming.chat_id, incoming.text
        )
        return None if prompts is None else _replies(prompts)

    engine.on_choice(surveys.CHOICE_PREFIX, on_choice)
    if on_text is not None:
        on_text(on_comment)
