"""SQL for the numbered choices of a chat without buttons (SMS, migration 018): the data of the
last list of choices the chat was sent, kept on its bot_conversation row, so that a reply "2"
can be read as the second choice. Each statement stands alone (no transaction needed); the
pool's json codec (lapor/db.py) encodes and decodes the list."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

# No row (the conversation was erased): nothing is kept, and a reply number stays text.
REMEMBER = """
UPDATE bot_conversation SET numbered_choices = $3
WHERE channel = $1 AND chat_id = $2
"""
RECALL = """
SELECT numbered_choices FROM bot_conversation WHERE channel = $1 AND chat_id = $2
"""


async def remember(
    conn: asyncpg.Connection, channel: str, chat_id: str, choices: Sequence[str]
) -> None:
    await conn.execute(REMEMBER, channel, chat_id, list(choices))


async def recall(conn: asyncpg.Connection, channel: str, chat_id: str) -> list[str]:
    """The data of the choices last shown, in their order; empty when none were."""
    value = await conn.fetchval(RECALL, channel, chat_id)
    return [str(item) for item in value] if isinstance(value, list) else []
