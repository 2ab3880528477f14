"""Reading a message: which command, button, typed shortcut or step of the report dialogue it
is, given the conversation's state."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bots.dialogue_types import (
    _CANCEL_WORDS,
    _NEW_REPORT,
    _SLASH_COMMAND,
    _STATUS_ALONE,
    _STATUS_TEXT,
    _TYPED,
    ACTIONS,
    COMMANDS,
    Incoming,
    _Intent,
)


def intent_of(incoming: Incoming, state: str, draft: Mapping[str, Any] | None) -> _Intent:
    """What the citizen means by this message in this state of the dialogue."""
    kind = incoming.kind
    if kind == "text" and incoming.text and (match := _SLASH_COMMAND.match(incoming.text.strip())):
        kind = "command"
        incoming = replace(incoming, command=match.group(1), text=match.group(2))
    if kind == "command":
        command = (incoming.command or "").lower().lstrip("/")
        if command not in COMMANDS:
            return _Intent("unknown_command")
        argument = (incoming.text or "").strip() or None
        if command == "status":
            return _Intent("status", argument)
        if command == "batal":
            return _Intent("cancel")
        return _Intent(command, argument)
    if kind == "choice":
        data = incoming.choice or ""
        if data.startswith("bahasa:"):
            return _Intent("set_language", data.removeprefix("bahasa:"))
        parts = data.split(":")
        if len(parts) == 3 and parts[0] == "lapor":
            action, number = parts[1], parts[2]
            current = str(draft["number"]) if draft else None
            if action in ACTIONS and number == current and state in ACTIONS[action]:
                return _Intent(action)
        return _Intent("stale")
    if kind == "text":
        text = incoming.text or ""
        word = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
        if draft is not None and word in _CANCEL_WORDS:
            return _Intent("cancel")
        if match := _STATUS_TEXT.match(text):
            return _Intent("status", match.group(1))
        typed = _TYPED.get(state, {}).get(word)
        if typed is not None:
            return _Intent(typed)
        if _STATUS_ALONE.match(text):
            return _Intent("status")
        if state in ("idle", "describing") and (match := _NEW_REPORT.match(text)):
            return _Intent("lapor", match.group(1).strip() or None)
        return _Intent("text", text)
    if kind in ("location", "photo"):
        return _Intent(kind)
    return _Intent("unsupported")
