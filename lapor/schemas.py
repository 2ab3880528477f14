"""The edge's one schema: what the HTTP API takes and returns, as pydantic models.

Requests are checked with these models (`check`), and the OpenAPI document is generated from
them (lapor/web/openapi.py), so the rules and their description cannot drift apart. Messages
for a field stay in Indonesian, as citizens read them.

Longer than 400 lines because it is the edge's one schema: the API's contract reads in one
place, requests, parameters and responses side by side, and every edge imports it whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from lapor import i18n
from lapor.errors import FieldError, ValidationFailed

# What the API's path and query parameters look like (the handlers still parse them: a code
# with a wrong check character is a 400 that says so, see complaints.parse_code).
CODE_PATTERN = r"^[ _.\-]*(?:[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z][ _.\-]*){10}$"
CATEGORY_PATTERN = r"^[a-z0-9_]{1,40}$"
AGENCY_PATTERN = r"^[A-Z0-9_]{1,40}$"
MONTH_PATTERN = r"^[0-9]{4}-[0-9]{2}$"
PHONE_PATTERN = r"^\+?[0-9][0-9 \-]{6,18}[0-9]$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
INT64_MAX = 2**63 - 1
M = TypeVar("M", bound="BaseModel")


def _safe_text(value: str) -> str:
    """No NUL (PostgreSQL cannot store it) and no lone surrogate (not UTF-8 at all)."""
    if "\x00" in value:
        raise PydanticCustomError("nul", i18n.t("validation.nul"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("surrogate", i18n.t("validation.not_utf8")) from None
    return value


Text = Annotated[str, AfterValidator(_safe_text)]
# A pattern given with Field() on `Text | None` is checked but left out of the JSON schema;
# given with StringConstraints it is both.
CategoryCode = Annotated[
    str, StringConstraints(pattern=CATEGORY_PATTERN), AfterValidator(_safe_text)
]
Phone = Annotated[
    str, StringConstraints(max_length=30, pattern=PHONE_PATTERN), AfterValidator(_safe_text)
]
Email = Annotated[
    str, StringConstraints(max_length=200, pattern=EMAIL_PATTERN), AfterValidator(_safe_text)
]


def unsafe_text(value: Any, path: str = "body", depth: int = 0) -> FieldError | None:
    """The first string anywhere in parsed JSON that no column can hold, with its path."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            try:
                _safe_text(item)
            except PydanticCustomError as error:
                return FieldError(where, error.message())
        elif isinstance(item, dict):
            for key, inner in item.items():
                stack.append((key, where))
                stack.append((inner, key if where == "body" else f"{where}.{key}"))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{i}]") for i, inner in enumerate(item))
    return None


# ------------------------------------------------------------------------ pydantic -> 422

# pydantic's error kinds, as the citizen reads them (lapor/i18n: validation.kind.*).
_MESSAGES = i18n.section("validation.kind")


# Where a field has its own sentence for citizens (the report page shows these beside it).
_OUTSIDE = i18n.t("validation.outside_indonesia")
_FIELD_MESSAGES = {
    ("text", "missing"): i18n.t("validation.text_missing"),
    ("text", "string_too_short"): i18n.t("validation.text_too_short"),
    ("text", "string_too_long"): i18n.t("validation.text_too_long"),
    ("category", "string_pattern_mismatch"): i18n.t("validation.category_unknown"),
    ("reporter.phone", "string_pattern_mismatch"): i18n.t("validation.phone_invalid"),
    ("reporter.email", "string_pattern_mismatch"): i18n.t("validation.email_invalid"),
    ("location.lat", "greater_than_equal"): _OUTSIDE,
    ("location.lat", "less_than_equal"): _OUTSIDE,
    ("location.lon", "greater_than_equal"): _OUTSIDE,
    ("location.lon", "less_than_equal"): _OUTSIDE,
}
_BOUNDS = {"location.lat": {"ge": -11.5, "le": 6.5}, "location.lon": {"ge": 94.0, "le": 141.5}}


def _message(error: Mapping[str, Any], name: str = "") -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    special = _FIELD_MESSAGES.get((name, kind))
    if special is not None:
        return special.format(**{**_BOUNDS.get(name, {}), **ctx})
    if kind == "string_too_long":
        return f"paling panjang {ctx['max_length']} karakter"
    if kind == "string_too_short":
        return f"paling sedikit {ctx['min_length']} karakter"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))
        return (
            f"harus {low} sampai {high}"
            if low is not None and high is not None
            else "di luar batas"
        )
    if kind == "literal_error":
        return f"harus salah satu dari: {ctx.get('expected', '')}"
    return _MESSAGES.get(kind) or error.get("msg") or "tidak valid"


def field_errors(error: ValidationError, prefix: str = "") -> list[FieldError]:
    found = []
    for item in error.errors(include_url=False, include_input=False):
        loc = [str(part) for part in item["loc"] if not isinstance(part, int)]
        name = ".".join(loc) or "body"
        found.append(FieldError(prefix + name, _message(item, name)))
    return found


def check(model: type[M], data: Any, prefix: str = "") -> M:
    """`data` as `model`, or ValidationFailed naming every field that is wrong."""
    if not isinstance(data, Mapping):
        raise ValidationFailed.on(
            prefix.rstrip(".") or "body", "isi permintaan harus berupa objek JSON"
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed.of(field_errors(error, prefix)) from None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class Loose(BaseModel):
    """A response: the fields documented; a client ignores what it does not know."""

    model_config = ConfigDict(extra="allow")


# ---------------------------------------------------------------------------- requests


class Location(Strict):
    lat: float | None = Field(None, ge=-11.5, le=6.5, allow_inf_nan=False)
    lon: float | None = Field(None, ge=94.0, le=141.5, allow_inf_nan=False)
    address: Text | None = Field(None, max_length=300)
    kelurahan: Text | None = Field(None, max_length=100)
    kecamatan: Text | None = Field(None, max_length=100)


class Reporter(Strict):
    name: Text | None = Field(None, max_length=120)
    phone: Phone | None = None
    email: Email | None = None


class NewComplaint(Strict):
    """A complaint as JSON. `text` is stripped, then 10 to 5000 characters."""

    text: Text = Field(min_length=10, max_length=5000)
    title: Text | None = Field(None, max_length=200)
    category: CategoryCode | None = Field(
        None, description="A hint; the router and the desk decide"
    )
    rahasia: StrictBool | None = Field(None, description="Hidden from the public")
    anonim: StrictBool | None = Field(None, description="Reporter hidden from everyone")
    location: Location | None = None
    reporter: Reporter | None = None


FORM_TEXT = Annotated[Text, Field(max_length=65536)]


class NewComplaintForm(BaseModel):
    """A complaint as multipart/form-data: the same fields, flattened."""

    text: FORM_TEXT
    title: FORM_TEXT | None = None
    category: FORM_TEXT | None = None
    rahasia: Literal["true", "false", "1", "0", "ya", "tidak"] | None = None
    anonim: Literal["true", "false", "1", "0", "ya", "tidak"] | None = None
    lat: FORM_TEXT | None = None
    lon: FORM_TEXT | None = None
    address: FORM_TEXT | None = None
    kelurahan: FORM_TEXT | None = None
    kecamatan: FORM_TEXT | None = None
    reporter_name: FORM_TEXT | None = None
    reporter_phone: FORM_TEXT | None = None
    reporter_email: FORM_TEXT | None = None
    photos: list[bytes] | None = Field(
        None,
        max_length=5,
        description="JPEG, PNG or WebP of at most 40 megapixels and 5 MB each; stored "
        "re-encoded, upright and without metadata",
        json_schema_extra={"items": {"type": "string", "format": "binary"}},
    )


ACTIONS = (
    "verify",
    "transfer",
    "start",
    "respond",
    "resolve",
    "reject",
    "reopen",
    "close",
    "not_ours",
    "merge",
    "set_priority",
    "forward",
    "recall",
)
ActionName = Literal[
    "verify",
    "transfer",
    "start",
    "respond",
    "resolve",
    "reject",
    "reopen",
    "close",
    "not_ours",
    "merge",
    "set_priority",
    "forward",
    "recall",
]


class Action(Strict):
    """Move a complaint; which fields an action needs is checked by the lifecycle."""

    action: Text = Field(min_length=1, max_length=40, json_schema_extra={"enum": list(ACTIONS)})
    agency: Text | None = Field(None, max_length=40)
    category: Text | None = Field(None, max_length=40)
    note: Text | None = Field(None, max_length=5000, description="Public: the citizen sees it")
    internal_note: Text | None = Field(None, max_length=5000)
    duplicate_of: Text | None = Field(
        None, max_length=40, description="merge: the tracking code of the original complaint"
    )
    priority: Text | None = Field(
        None,
        max_length=20,
        description="set_priority: rendah, sedang, tinggi or darurat",
        json_schema_extra={"enum": ["rendah", "sedang", "tinggi", "darurat"]},
    )
    template: int | None = Field(
        None,
        ge=1,
        le=INT64_MAX,
        description="respond: answer with this reply template of the agency, filled in (the "
        "note is the template's)",
    )
    external: Text | None = Field(
        None,
        max_length=40,
        description="forward: the code of the city file's [external.CODE] body",
    )


class ActionForm(BaseModel):
    """An action as a form, to attach a proof photo to a resolution."""

    action: FORM_TEXT
    agency: FORM_TEXT | None = None
    category: FORM_TEXT | None = None
    note: FORM_TEXT | None = None
    internal_note: FORM_TEXT | None = None
    duplicate_of: FORM_TEXT | None = None
    priority: FORM_TEXT | None = None
    external: FORM_TEXT | None = None
    photo: bytes | None = Field(None, json_schema_extra={"format": "binary"})


class PublicCopyEdit(Strict):
    """At least one of text and title; an absent one stays as it is."""

    reason: Text | None = Field(None, max_length=1000, description="Why (required)")
    text: Text | None = Field(None, max_length=10_000)
    title: Text | None = Field(None, max_length=400, description="null or '': none")


class HidePhoto(Strict):
    reason: Text | None = Field(None, max_length=1000, description="Why (required)")


# ------------------------------------------------------------------------- parameters


class CodePath(BaseModel):
    code: str = Field(
        pattern=CODE_PATTERN,
        description="Tracking code, e.g. ABCDE-FGH12 (case and hyphens do not matter)",
    )


class PhotoPath(CodePath):
    position: int = Field(
        ge=0, le=INT64_MAX, description="1-5: the reporter's photos; from 6: proof photos"
    )


class OfficerPath(BaseModel):
    officer_id: int = Field(ge=0, le=INT64_MAX)


class PhotoQuery(BaseModel):
    size: Literal["original", "display", "thumb"] = Field(
        "original",
        description="original (as stored), display (longest side 1600 px) or thumb (320 px)",
    )


class QueueFilterQuery(BaseModel):
    """The queue's filters (lapor/complaints/queue_filters.py), shared by the list and its
    export; every one given must hold."""

    status: Literal["received", "assigned", "in_progress"] | None = None
    category: str | None = Field(None, pattern=CATEGORY_PATTERN)
    agency: str | None = Field(None, pattern=AGENCY_PATTERN)
    q: Text | None = Field(
        None,
        max_length=200,
        description="Words that must all occur in the title, text or address, case aside "
        "(at most 8); a tracking code finds that complaint",
    )
    code: str | None = Field(None, pattern=CODE_PATTERN)
    kelurahan: Text | None = Field(
        None, max_length=100, description="Equal to it, case and surrounding spaces aside"
    )
    kecamatan: Text | None = Field(None, max_length=100)
    created_from: date | None = Field(None, description="Received on or after this day (city time)")
    created_to: date | None = Field(None, description="Received on or before this day")
    channel: str | None = Field(None, pattern=r"^[a-z]{1,20}$", description="web, telegram, ...")
    sla: Literal["green", "amber", "red"] | None = Field(
        None, description="The colour of the working time left in the current stage"
    )
    assignee: str | None = Field(
        None,
        pattern=r"^(me|none|[0-9]{1,18})$",
        description="me: the caller's; none: nobody's yet; an officer's id; absent: the team's",
    )


class QueueQuery(QueueFilterQuery):
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)
    sort: Literal["due", "support"] = Field(
        "due",
        description="due: priority, then deadline (the default); support: the most supported "
        "first (citizens who said 'Saya juga mengalami', and merged duplicates' reporters)",
    )


class ModerationQuery(BaseModel):
    agency: str | None = Field(None, pattern=AGENCY_PATTERN)
    before: int | None = Field(None, ge=1, le=INT64_MAX, description="next_before of the last page")
    limit: int = Field(50, ge=1, le=200)


class DeadLetterQuery(BaseModel):
    before: int | None = Field(None, ge=1, le=INT64_MAX, description="next_before of the last page")
    limit: int = Field(50, ge=1, le=200)


class OutboxPath(BaseModel):
    message_id: int = Field(ge=0, le=INT64_MAX)


class ReportPath(BaseModel):
    month: str = Field(pattern=MONTH_PATTERN, description="The report's month, YYYY-MM")
    file: Text = Field(max_length=200)


class SurveyPath(BaseModel):
    token: str = Field(description="The signed, expiring survey link sent by email")


class SurveyForm(BaseModel):
    fixed: Literal["sudah", "belum", "tidak_tahu"]
    rating: int | None = Field(None, ge=1, le=4, description="How satisfied; required if fixed")
    u1: int | None = Field(None, ge=1, le=4)
    u2: int | None = Field(None, ge=1, le=4)
    u3: int | None = Field(None, ge=1, le=4)
    u4: int | None = Field(None, ge=1, le=4)
    u5: int | None = Field(None, ge=1, le=4)
    u6: int | None = Field(None, ge=1, le=4)
    u7: int | None = Field(None, ge=1, le=4)
    u8: int | None = Field(None, ge=1, le=4)
    u9: int | None = Field(None, ge=1, le=4)
    comment: str | None = Field(None, max_length=2000)


class IdempotencyHeader(BaseModel):
    idempotency_key: str | None = Field(
        None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="The same key and body within 24 hours return the same complaint",
    )


class WhatsAppVerifyQuery(BaseModel):
    mode: str = Field(alias="hub.mode")
    verify_token: str = Field(alias="hub.verify_token")
    challenge: str = Field(alias="hub.challenge")


class WhatsAppSignature(BaseModel):
    signature: str = Field(
        alias="X-Hub-Signature-256",
        description="sha256= and the hex HMAC-SHA256 of the body under the app secret",
    )


class SmsSignature(BaseModel):
    signature: str = Field(
        alias="X-Twilio-Signature",
        description="base64 of the HMAC-SHA1, under the auth token, of the webhook URL followed "
        "by every form parameter, sorted by name, as name and value",
    )


class SmsInbound(BaseModel):
    """The fields lapor reads of the gateway's form (it sends others: all are signed)."""

    model_config = ConfigDict(extra="allow")

    message_sid: str = Field(alias="MessageSid", description="SM and 32 hex digits")
    sender: str = Field(alias="From", description="The citizen's number, E.164")
    to: str = Field(alias="To", description="Our number")
    body: str = Field("", alias="Body")
    num_media: str = Field("0", alias="NumMedia", description="MMS media: not read")
    account_sid: str | None = Field(None, alias="AccountSid")
    opt_out_type: str | None = Field(
        None, alias="OptOutType", description="STOP, START or HELP: answered by the gateway"
    )


class SmsStatusCallback(BaseModel):
    """The gateway's report of a message lapor sent (its StatusCallback form; all signed)."""

    model_config = ConfigDict(extra="allow")

    message_sid: str = Field(alias="MessageSid", description="The sid the gateway gave it")
    message_status: str = Field(
        alias="MessageStatus", description="sent, delivered, undelivered, failed, ..."
    )
    error_code: str | None = Field(None, alias="ErrorCode", description="With a failure")
    account_sid: str | None = Field(None, alias="AccountSid")


class TelegramSecret(BaseModel):
    secret: str = Field(
        alias="X-Telegram-Bot-Api-Secret-Token",
        description="The webhook secret (TELEGRAM_WEBHOOK_SECRET) Telegram sends back",
    )


class ForwardSignature(BaseModel):
    """An external body's answer, signed as lapor signs its own webhooks (lapor/hooks.py)."""

    timestamp: str = Field(alias="X-Lapor-Timestamp", description="Unix seconds")
    signature: str = Field(
        alias="X-Lapor-Signature",
        description='"v1=" and the hex HMAC-SHA256, under LAPOR_EXTERNAL_<CODE>_SECRET, of '
        'the timestamp, ".", and the body',
    )


class ForwardCodePath(BaseModel):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{0,39}$", description="[external.CODE]")


class ForwardAnswer(Loose):
    """What an external body answers about a complaint forwarded to it."""

    tracking_code: str = Field(max_length=40)
    text: str = Field(min_length=1, max_length=5000)
    status: str | None = Field(None, max_length=100)


class RawMail(RootModel[str]):
    """A whole e-mail message as the mail server received it (RFC 5322: headers, a blank
    line, the body), its subject or text carrying the [lapor:TOKEN] of the forwarding."""


class ForwardAnswered(Loose):
    recorded: bool


# --------------------------------------------------------------------------- responses

Status = Literal[
    "received", "assigned", "in_progress", "resolved", "closed", "rejected", "forwarded"
]


class Named(Loose):
    code: str
    name: str | None = None


class Event(Loose):
    kind: str
    status: str | None = None
    status_label: str | None = None
    agency: Named | None = None
    note: str | None = None
    at: str | None = None


class PhotoLink(Loose):
    position: int
    media_type: str
    size_bytes: int
    proof: bool
    by_reporter: bool = Field(False, description="Sent by the reporter after filing (officers)")
    url: str
    display_url: str
    thumb_url: str


class PlaceOut(Loose):
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None


class PublicComplaint(Loose):
    tracking_code: str
    display_code: str
    status: Status
    status_label: str
    category: Named | None
    agency: Named | None
    forwarded_to: Named | None = Field(
        None, description="forwarded: the body outside the local government it went to"
    )
    rahasia: bool
    published: bool
    duplicate_of: str | None
    support_count: int = Field(0, description="Citizens who support it (Saya juga mengalami)")
    created_at: str
    updated_at: str | None = None
    timeline: list[Event]
    title: str | None = Field(None, description="The public copy; absent until published")
    text: str | None = Field(None, description="The public copy; absent until published")
    location: PlaceOut | None = None
    photos: list[PhotoLink] | None = None


class Sla(Loose):
    state: Literal["green", "amber", "red"]
    working_hours_left: float = Field(
        description="Negative once overdue; 0 while no working time has passed since the "
        "deadline (after office hours, a weekend, a holiday)"
    )
    due_at: str | None = None
    overdue: bool = Field(description="The deadline has passed, whatever the hour")
    time_left: str = Field(
        description='The time left in words: "sisa 2 jam kerja", "lewat 3 jam kerja", '
        '"lewat batas waktu"'
    )


class PublicCopy(Loose):
    title: str | None = None
    text: str | None = None


class PrivacyFound(Loose):
    found: list[str]
    accusation: bool


Priority = Literal["rendah", "sedang", "tinggi", "darurat"]


class Owner(Loose):
    id: int
    name: str


class FullComplaint(PublicComplaint):
    priority: Priority
    priority_label: str
    public_copy: PublicCopy
    privacy: PrivacyFound
    verified_at: str | None
    anonim: bool
    channel: str
    category_hint: str | None
    routing: dict[str, Any]
    sla: Sla | None
    deadlines: dict[str, str | None]
    reporter: dict[str, Any] | None
    identity_views: list[dict[str, Any]] | None = None
    assignee: Owner | None = Field(None, description="The officer who owns it; null: nobody yet")


class PrivacyAnswer(Loose):
    hidden: list[str]
    published: bool
    suggest_rahasia: bool
    message: str | None


class EmergencyNumber(Loose):
    name: str
    number: str


class EmergencyAnswer(Loose):
    """The city's emergency numbers, given first when a report reads as an emergency."""

    message: str
    numbers: list[EmergencyNumber]


class Filed(Loose):
    emergency: EmergencyAnswer | None = Field(
        description="Present when the text reads as an emergency under way (a fire, a "
        "collapse, someone hurt): call these numbers now; the report is filed as well"
    )
    tracking_code: str
    status: Status
    status_label: str
    category: str | None
    agency: str | None
    status_url: str
    access_token: str = Field(description="Shows a rahasia complaint to its reporter")
    privacy: PrivacyAnswer
    priority: Priority = Field(description="Suggested from the text; the desk may change it")


class QueueItem(Loose):
    tracking_code: str
    status: Status
    status_label: str
    title: str | None = None
    excerpt: str | None = None
    category: str | None = None
    category_name: str | None = None
    agency: str | None = None
    created_at: str
    due_at: str | None = None
    sla: Sla | None = None
    rahasia: bool
    priority: Priority
    priority_label: str
    kelurahan: str | None = None
    kecamatan: str | None = None
    channel: str | None = None
    assignee: Owner | None = Field(None, description="The officer who owns it; null: nobody yet")
    support_count: int = Field(0, description="Citizens who support it (lapor/support.py)")


class Queue(Loose):
    items: list[QueueItem]
    next_cursor: str | None


class DeskQuery(BaseModel):
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the last page")
    limit: int = Field(20, ge=1, le=100)


class DeskSuggestion(Loose):
    category: str
    name: str
    agency: str
    agency_name: str
    confidence: float | None = Field(None, description="null: not from a model")
    reporters_choice: bool


class DeskItem(QueueItem):
    text: str
    category_hint: str | None = None
    non_complaint: bool
    refused_agencies: list[str] = Field(
        description='Agencies that answered "bukan wewenang"; never suggested again'
    )
    suggestions: list[DeskSuggestion] = Field(
        description="Up to three categories, best first; the next-ranked replace a refused agency's"
    )
    suggestion_source: str
    priority_words: list[str]


class Desk(Loose):
    items: list[DeskItem]
    next_cursor: str | None


class Category(Loose):
    code: str
    name: str
    agency: str
    agency_name: str
    desk: bool


class Agency(Loose):
    code: str
    name: str
    short_name: str | None
    kind: str | None
    parent: str | None
    categories: list[str]


class ReportFileLink(Loose):
    name: str
    url: str


class StoredReport(Loose):
    month: str
    agency: str | None
    generated_at: str
    files: list[ReportFileLink]


class ReportList(Loose):
    items: list[StoredReport]


class ModerationEntry(Loose):
    id: int
    at: str
    tracking_code: str
    agency: str | None
    officer: str | None
    reason: str | None
    changed: list[str]


class ModerationLog(Loose):
    items: list[ModerationEntry]
    next_before: int | None


class DeadLetter(Loose):
    id: int
    channel: Literal["telegram", "whatsapp", "email", "sms"]
    kind: str
    error: str | None = Field(description="The last error, as the channel gave it")
    attempts: int = Field(description="Tries that failed (a 429 is not counted)")
    tracking_code: str | None = Field(description="The complaint the message was about, if any")
    display_code: str | None
    created_at: str
    died_at: str


class DeadLetters(Loose):
    total: int = Field(description="Dead messages in all")
    items: list[DeadLetter]
    next_before: int | None


class Retried(Loose):
    id: int
    status: Literal["pending"]


class NewAccessToken(Loose):
    access_token: str = Field(description="The reporter's new token; the old one stops working")


class Revoked(Loose):
    revoked: int = Field(description="How many live tokens were revoked")


class Health(Loose):
    status: str


class WebhookReceived(Loose):
    received: int


class ProblemField(BaseModel):
    field: str
    message: str


class Problem(Loose):
    """RFC 9457 problem details: the only shape an error leaves the API in."""

    type: str
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    errors: list[ProblemField] | None = None
    allowed_actions: list[str] | None = None
    retry_after: int | None = None


# --- Issue 16: "Lupa kode?"


class LostCodesRequest(Strict):
    contact: Text = Field(
        max_length=200,
        description="The phone number or e-mail address given when reporting (a WhatsApp "
        "reporter's number)",
    )


class LostCodesAnswer(Loose):
    detail: str = Field(
        description="The same sentence whether or not the contact filed anything: the codes "
        "go to the contact, never into the answer"
    )


# ------------------------------------------------------------------------- open data


class OpenDataPath(BaseModel):
    format: Literal["csv", "geojson"]


class OpenDataQuery(BaseModel):
    """The public list's filters (/laporan), by the same names."""

    kategori: str | None = Field(None, pattern=CATEGORY_PATTERN)
    status: Literal["belum", "diproses", "selesai", "ditolak"] | None = None
    kecamatan: Text | None = Field(None, max_length=100)
    instansi: str | None = Field(None, pattern=AGENCY_PATTERN)


class DumpPath(BaseModel):
    name: str = Field(
        pattern=r"^laporan-[0-9]{4}-[0-9]{2}-[0-9]{2}\.(csv|geojson)$",
        description="A daily dump, as /data/harian/ lists it",
    )


class Licence(Loose):
    name: str
    url: str


class DumpEntry(Loose):
    name: str
    date: str
    size_bytes: int
    url: str


class DumpList(Loose):
    licence: Licence
    files: list[DumpEntry]


# ------------------------------------------------------- support (one incident, many reporters)


class SimilarQuery(BaseModel):
    """What the citizen typed and where: the open complaints it may be about."""

    text: Text = Field(min_length=3, max_length=5000, description="The report's words so far")
    category: CategoryCode | None = Field(None, description="Absent: the router's guess")
    lat: float = Field(ge=-11.5, le=6.5, allow_inf_nan=False)
    lon: float = Field(ge=94.0, le=141.5, allow_inf_nan=False)


class SimilarCandidate(Loose):
    """An open, public complaint: its public words only, never its reporter."""

    tracking_code: str
    display_code: str
    title: str | None = None
    summary: str = Field(description="The public copy (personal data hidden), cut short")
    category: str | None = None
    distance_m: int = Field(description="Metres from the point asked about")
    support_count: int
    similarity: float = Field(description="pg_trgm similarity of the texts, 0 to 1")


class SimilarAnswer(Loose):
    items: list[SimilarCandidate]
    radius_m: int = Field(description="The city's [duplicates] radius_m")


class SupportRequest(Strict):
    """Who supports it: a way to reach them with its news (optional: then only counted)."""

    reporter: Reporter | None = None


class SupportAnswer(Loose):
    tracking_code: str
    display_code: str
    support_count: int
    status_url: str
    following: bool = Field(description="The contact given will be told of its public changes")
    replayed: bool = Field(description="Supported before by this contact or key: nothing added")


# ------------------------------------------------------------ the admin's city edits (§6)

EditDays = Annotated[int, Field(ge=1, le=365)]


class AgencyPath(BaseModel):
    code: str = Field(pattern=AGENCY_PATTERN)


class CategoryPath(BaseModel):
    code: str = Field(pattern=CATEGORY_PATTERN)


class AgencyEdit(Strict):
    """Only the fields given change; the city file stays the seed underneath."""

    name: Text | None = Field(None, min_length=1, max_length=200)
    short_name: Text | None = Field(None, min_length=1, max_length=60)


class CategoryEdit(Strict):
    """Only the fields given change; `resolution_days: null` goes back to the days of the
    category's resolution kind."""

    name: Text | None = Field(None, min_length=1, max_length=200)
    agency: str | None = Field(None, pattern=AGENCY_PATTERN)
    resolution_days: EditDays | None = None


class SlaEdit(Strict):
    """The city's SLA numbers in working days; only the fields given change."""

    verify_days: EditDays | None = None
    first_response_days: EditDays | None = None
    auto_close_days: EditDays | None = None
    resolution_days_simple: EditDays | None = None
    resolution_days_no_field_check: EditDays | None = None
    resolution_days_field_check: EditDays | None = None


class SlaNumbers(Loose):
    verify_days: int
    first_response_days: int
    auto_close_days: int
    resolution_days: dict[str, int]


class EditedCategory(Category):
    resolution_days: int | None = Field(
        None, description="The admin's days to resolve; null: the resolution kind's"
    )


class CityEditQuery(BaseModel):
    limit: int = Field(50, ge=1, le=200)


class CityEditEntry(Loose):
    id: int
    kind: Literal["agency", "category", "sla"]
    code: str
    field: str
    before: str | int | None = None
    after: str | int | None = None
    officer: Owner | None = None
    edited_at: str


class CityEditLog(Loose):
    items: list[CityEditEntry]
