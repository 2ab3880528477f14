"""How lapor's log lines are written: text (the default), or one JSON object per line
(LAPOR_LOG_FORMAT=json) with ts, level, logger, message and the event's fields.

lapor logs its events as `"complaint moved code=%s action=%s agency=%s", ...`: the JSON line
takes each `name=%s` of the format with its argument as a field of its own (`code` is written
`tracking_code`), beside anything passed as `extra={...}`. Whatever the format, e-mail
addresses and long digit runs (phone numbers, NIK, a WhatsApp chat id) are masked in every
line: lapor logs no personal data, and a message from outside (an SMTP server's error, an
exception) must not bring any in either. Configured once, at the entry point (lapor.cli).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Fields a JSON line always has; an event's own field of the same name is left in the message.
BASE = ("ts", "level", "logger", "message")
RENAMED = {"code": "tracking_code"}
# What every LogRecord carries: anything else on a record came in through `extra`.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
}
# A %-conversion, and the `name=` written right before it (if any).
_CONVERSION = re.compile(
    r"(?:(\w+)=)?%(?:\((\w+)\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])"
)
# Masked in every line. An address's local part not right after "/" or ":" (a DSN's user is
# no e-mail); a run of ten or more digits standing alone (not inside a hex hash or a word).
_EMAIL = re.compile(r"(?<![\w.+/:-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_DIGITS = re.compile(r"(?<![\w+])\+?\d{10,}(?!\w)")


def redact(text: str) -> str:
    """`text` with e-mail addresses and long digit runs masked."""
    if "@" in text:
        text = _EMAIL.sub("<email>", text)
    return _DIGITS.sub("<number>", text)


def _plain(value: Any) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        return value
    return redact(str(value))


def event_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The `name=%s` pairs of the record's format with their arguments, in order."""
    if not isinstance(record.msg, str) or not record.args:
        return {}
    args = record.args
    if isinstance(args, Mapping):  # "%(code)s": the arguments are named already
        named = [match.group(2) for match in _CONVERSION.finditer(record.msg)]
        return {RENAMED.get(key, key): args[key] for key in named if key and key in args}
    fields: dict[str, Any] = {}
    position = 0
    for match in _CONVERSION.finditer(record.msg):
        name, mapping_key, width, precision, conversion = match.groups()
        if conversion == "%":
            continue
        if mapping_key or "*" in (width, precision):  # not a plain positional format
            return {}
        if position >= len(args):
            return {}
        if name:
            fields[RENAMED.get(name, name)] = args[position]
        position += 1
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (UTC, ISO 8601), level, logger, message, the event's
    fields, `extra` ones, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        found = event_fields(record)
        found.update(
            (name, value) for name, value in record.__dict__.items() if name not in _STANDARD
        )
        for name, value in found.items():
            if name not in BASE:
                line[name] = _plain(value)
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            line["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The text line as before, with personal data masked as in the JSON one."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter(TEXT_FORMAT)


def configure(level: str, log_format: str = "text", stream: TextIO | None = None) -> None:
    """The root logger's one handler, writing `log_format` lines to `stream` (stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(log_format))
    logging.basicConfig(level=level, handlers=[handler])
