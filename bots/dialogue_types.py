"""What travels through a turn of the dialogue: the message in, the replies out, the
conversation a handler sees, and the dialogue's own words (actions, typed shortcuts)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import asyncpg

from bots import strings
from bots.channels import TRAITS
from lapor.errors import DomainError
from lapor.photos import Photo

KINDS = ("text", "command", "location", "photo", "choice", "unsupported")
COMMANDS = ("start", "lapor", "status", "laporanku", "bantuan", "batal", "bahasa")
CHANNELS = tuple(TRAITS)  # telegram, whatsapp, sms: what each can carry, bots/channels.py
ADDRESS_MAX = 300
SUMMARY_TEXT_MAX = 700  # the summary repeats the description; chat messages have limits
MY_REPORTS_LIMIT = 10

# Actions of the report dialogue, as they appear in button data, and the state each applies to.
# (Drafts saved in the steps of the longer dialogue before it, "photos" and "anonim", carry on
# at the summary: see `current_state`.)
ACTIONS = {
    "next": ("describing",),
    "skip": ("location",),
    "rahasia_yes": ("rahasia",),
    "rahasia_anonim": ("rahasia",),
    "rahasia_no": ("rahasia",),
    "send": ("confirm",),
    "edit": ("confirm",),
    "make_rahasia": ("confirm",),  # typed only: "RAHASIA" at the summary
    "make_anonim": ("confirm",),  # typed only: "ANONIM" at the summary
    "make_public": ("confirm",),  # typed only: "TIDAK RAHASIA"
    "make_named": ("confirm",),  # typed only: "TIDAK ANONIM"
    "support_1": ("similar",),  # bots/dialogue_similar.py: "Saya juga mengalami"
    "support_2": ("similar",),
    "report_new": ("similar",),  # "Tetap laporkan baru"
    "cancel": ("describing", "location", "rahasia", "confirm", "editing", "similar"),
}
RETIRED_STATES = {"photos": "confirm", "anonim": "confirm"}

# Words a citizen may type instead of tapping (WhatsApp users often do), per state.
_TYPED = {
    "describing": {"lanjut": "next", "next": "next"},
    "location": {
        "lewati": "skip",
        "skip": "skip",
        "tidak ada": "skip",
        "tidak": "skip",
        "tidak tahu": "skip",
    },
    "rahasia": {
        "ya": "rahasia_yes",
        "yes": "rahasia_yes",
        "rahasia": "rahasia_yes",
        "rahasia anonim": "rahasia_anonim",
        "anonim": "rahasia_anonim",
        "keduanya": "rahasia_anonim",
        "both": "rahasia_anonim",
        "tidak": "rahasia_no",
        "no": "rahasia_no",
    },
    "similar": {
        "1": "support_1",
        "2": "support_2",
        "saya juga mengalami": "support_1",
        "me too": "support_1",
        "tetap laporkan baru": "report_new",
        "laporkan baru": "report_new",
        "baru": "report_new",
        "report new anyway": "report_new",
    },
    "confirm": {
        "kirim": "send",
        "send": "send",
        "ok": "send",
        "oke": "send",
        "ya": "send",
        "yes": "send",
        "ubah": "edit",
        "edit": "edit",
        "rahasia": "make_rahasia",
        "confidential": "make_rahasia",
        "anonim": "make_anonim",
        "anonymous": "make_anonim",
        "tidak rahasia": "make_public",
        "bukan rahasia": "make_public",
        "not confidential": "make_public",
        "tidak anonim": "make_named",
        "bukan anonim": "make_named",
        "not anonymous": "make_named",
    },
}
_CANCEL_WORDS = {"batal", "batalkan", "cancel"}
# "cek ABCDE-FGH12": only a code-shaped word counts, so "cek saluran di RT 05" stays a report.
_STATUS_TEXT = re.compile(r"^\s*(?:cek|status)\s+([0-9a-z]{5}[\s\-]?[0-9a-z]{5})\s*$", re.I)
# "status", "cek status", "cek laporan saya": the chat's open complaints, no code needed.
_STATUS_ALONE = re.compile(
    r"^\s*(?:cek\s+)?(?:status|laporan)(?:\s+laporan)?(?:\s+(?:saya|ku|aku))?\s*[?.!]*\s*$|"
    r"^\s*cek\s*[?.!]*\s*$",
    re.I,
)
# "lapor baru", "laporan baru: ...", "buat laporan": a new report, even right after filing.
_NEW_REPORT = re.compile(
    r"^\s*(?:(?:lapor|laporan|aduan)\s+baru|buat\s+laporan(?:\s+baru)?|new\s+report|lapor)"
    r"(?:\s*[:,.!-]\s*|\s+|$)(.*)$",
    re.I | re.S,
)
_SLASH_COMMAND = re.compile(r"^/([A-Za-z]+)(?:@\w+)?(?:\s+(.*))?$", re.S)


@dataclass(frozen=True)
class Incoming:
    channel: str  # "telegram" | "whatsapp" | "sms"
    chat_id: str  # where replies go (Telegram chat id, WhatsApp wa_id / phone)
    message_id: str  # unique per delivery on that channel: Telegram update_id, WhatsApp id
    kind: str  # one of KINDS
    text: str | None = None  # the text, the command's argument, or a photo caption
    command: str | None = None  # without slash, one of COMMANDS (others: answered with help)
    choice: str | None = None  # button data tapped (Telegram callback data / WhatsApp reply id)
    latitude: float | None = None
    longitude: float | None = None
    photo_ref: str | None = None  # Telegram file_id / WhatsApp media id, for the MediaFetcher
    language: str | None = None  # e.g. Telegram's from.language_code ("en", "id")
    sender_name: str | None = None


class MediaFetcher(Protocol):
    """Downloads a photo the citizen sent. PayloadTooLarge means the photo is over the limit
    (say so before downloading when the channel states the size); any other exception counts
    as a failed download."""

    async def fetch(self, ref: str) -> bytes: ...


@dataclass(frozen=True)
class Reply:
    """A message to the citizen: text and at most three (label, data) buttons."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Conversation:
    """What a choice handler may read of the conversation (a snapshot)."""

    channel: str
    chat_id: str
    language: str  # "id" | "en"
    state: str  # "idle" or a step of the report dialogue
    draft: Mapping[str, Any] | None = field(default=None)


# A handler registered with Engine.on_choice runs inside the engine's transaction, with the
# delivery recorded and the conversation row locked: what it writes on `conn` commits together
# with its replies, or not at all (and a redelivered tap never reaches it twice). It returns
# the replies in order, each a plain string or a Reply with buttons; the engine queues them as
# bot_reply messages. Raising a DomainError turns into a polite sentence with its detail; the
# conversation itself (state, draft) is left as it was.
ChoiceHandler = Callable[
    [asyncpg.Connection, Incoming, Conversation], Awaitable[Sequence[str | Reply]]
]

# A handler registered with Engine.on_text sees typed text the dialogue does not claim (see the
# precedence in the module's docstring), under the same contract as a ChoiceHandler. It returns
# None when the text is not for it: the next handler, then the dialogue, gets it (what it wrote
# on `conn` still commits, so it should write only when it takes the text).
TextHandler = Callable[
    [asyncpg.Connection, Incoming, Conversation], Awaitable[Sequence[str | Reply] | None]
]


# ------------------------------------------------------------------------ what was prepared


@dataclass(frozen=True)
class _PhotoResult:
    photo: Photo | None = None
    problem: str | None = None  # a strings key when the photo was refused


@dataclass(frozen=True)
class _StatusResult:
    code: str  # as the citizen typed it (for the answer)
    view: Mapping[str, Any] | None = None
    problem: str | None = None  # code_typo | code_malformed | code_unknown


@dataclass(frozen=True)
class _FilingResult:
    draft_number: int
    code: str | None = None
    replayed_elsewhere: bool = False  # the key already made a complaint from another text
    problem: str | None = None  # the citizen-facing reason filing failed
    limited_minutes: int | None = None  # the chat's filing limit: try again in this many


@dataclass(frozen=True)
class _Prepared:
    photo: _PhotoResult | None = None
    status: _StatusResult | None = None
    filing: _FilingResult | None = None


@dataclass
class _Turn:
    """The conversation as this delivery changes it, and what it will say."""

    incoming: Incoming
    language: str
    state: str
    draft: dict[str, Any] | None
    expires_at: datetime | None
    drafts_started: int
    replies: list[Reply] = field(default_factory=list)
    # Sentences waiting to open the next reply, so that "noted" and the next question (with
    # its buttons) arrive as one message.
    leads: list[str] = field(default_factory=list)

    def note(self, key: str, **values: object) -> None:
        self.leads.append(self.t(key, **values))

    def say(self, key: str, *buttons: tuple[str, str], **values: object) -> None:
        self.send(self.t(key, **values), buttons)

    def send(self, text: str, buttons: Sequence[tuple[str, str]] = ()) -> None:
        if self.leads:
            text = "\n\n".join([*self.leads, text])
            self.leads.clear()
        self.replies.append(Reply(text, tuple(buttons)))

    def flush(self) -> None:
        if self.leads:
            self.replies.append(Reply("\n\n".join(self.leads)))
            self.leads.clear()

    def t(self, key: str, **values: object) -> str:
        # The channel's own words where it has them (SMS: no buttons to tap, no photos).
        return strings.text(self.language, key, channel=self.incoming.channel, **values)

    def button(self, label_key: str, action: str) -> tuple[str, str]:
        draft = self.draft["number"] if self.draft else 0
        return (self.t(label_key), f"lapor:{action}:{draft}")

    def snapshot(self) -> tuple:
        return (self.language, self.state, self.draft, self.expires_at, self.drafts_started)


@dataclass(frozen=True)
class _Intent:
    name: str
    argument: str | None = None


# ----------------------------------------------------------------------------------- helpers


def current_state(state: str) -> str:
    """The state a saved conversation is in now (a retired step carries on at the summary)."""
    return RETIRED_STATES.get(state, state)


def _reason(error: DomainError) -> str:
    """One sentence for the citizen from a core error: the field messages, else the detail."""
    messages = [e.message for e in error.errors if e.message]
    return "; ".join(messages) if messages else error.detail


def _label(turn: _Turn, status: str) -> str:
    return strings.status_label(turn.language, status)


def _language_named(argument: str | None) -> str | None:
    word = (argument or "").strip().lower()
    if word in ("en", "english", "inggris", "bahasa inggris"):
        return "en"
    if word in ("id", "indonesia", "indonesian", "bahasa indonesia"):
        return "id"
    return None
