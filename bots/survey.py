"""The satisfaction survey on the chat channels: the engine hands us every `survey:` button and
the typed text it does not claim itself (the optional comment); lapor.surveys does the work."""

from __future__ import annotations

import re
from collections.abc import Sequence

import asyncpg

from bots.engine import Conversation, Engine, Incoming, Reply
from lapor import surveys

# Typed instead of tapping Lewati under the comment question (WhatsApp users often type).
_SKIP_WORDS = frozenset({"lewati", "skip", "tidak", "tidak ada", "ga ada", "gak ada", "batal"})


def _replies(prompts: Sequence[surveys.Prompt]) -> list[Reply]:
    return [Reply(prompt.text, prompt.buttons) for prompt in prompts]


def register(engine: Engine) -> None:
    """Route survey buttons, and the comment typed after the ninth question, to the survey.

    The comment question is asked only when the chat has no report draft open: the engine
    gives the text of an open draft to the draft, never to us (see bots/engine.py), so a
    citizen answering the survey mid-report finishes it after the ninth question instead of
    being asked for a comment that would land in their report."""
    services = engine.services

    async def on_choice(
        conn: asyncpg.Connection, incoming: Incoming, conversation: Conversation
    ) -> list[Reply]:
        prompts = await surveys.answer_choice(
            services,
            conn,
            incoming.channel,
            incoming.chat_id,
            incoming.choice or "",
            comments=conversation.draft is None,
            language=conversation.language,
        )
        return _replies(prompts)

    async def on_comment(
        conn: asyncpg.Connection, incoming: Incoming, conversation: Conversation
    ) -> list[Reply] | None:
        text = incoming.text or ""
        if " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split()) in _SKIP_WORDS:
            text = ""  # the same as tapping Lewati: finished without a comment
        prompts = await surveys.answer_comment(
            services, conn, incoming.channel, incoming.chat_id, text
        )
        return None if prompts is None else _replies(prompts)

    engine.on_choice(surveys.CHOICE_PREFIX, on_choice)
    engine.on_text(on_comment)
