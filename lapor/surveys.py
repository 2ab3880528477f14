"""Satisfaction surveys (SKM) after a complaint is resolved.

A sweep invites each reporter once, within office hours, some time after the resolution: on
their chat channel ("Apakah masalah Anda sudah selesai?", then the nine IKM elements one at a
time, then an optional comment), or by email with a signed, expiring link to a web form.
"Belum" reopens the complaint. One reminder after three days, then the survey expires.

Answers move to `survey_response` when the survey is complete; an anonim reporter's answers
are stored without the complaint (see sql/006_surveys.sql).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import asyncpg

from lapor import i18n, ikm, lifecycle, tracking
from lapor.auth import current_reporter_token
from lapor.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from lapor.outbox import Message, enqueue
from lapor.repo import surveys as repo
from lapor.sla import calendar_for

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

CHOICE_PREFIX = "survey:"
COMMENT_STEP = len(ikm.ELEMENTS) + 1  # steps: 0 fixed?, 1-9 elements, 10 comment
COMMENT_MAX = 2000
CHAT_CHANNELS = ("telegram", "whatsapp")

# Citizen-facing words are lapor/i18n's `survey.` and `ikm.` keys, in the language the chat
# chose (bot_conversation.language); e-mail and the web form are in Indonesian.
FIXED_CHOICES = tuple(
    (i18n.t(f"survey.button_{value}"), value) for value in ("sudah", "belum", "tidak_tahu")
)
SKIP = "skip"  # the data of the comment question's Lewati/Skip button


@dataclass(frozen=True)
class SurveyPolicy:
    delay: timedelta = timedelta(hours=1)  # after the resolution, then the next office hour
    reminder_after: timedelta = timedelta(days=3)
    expire_after_reminder: timedelta = timedelta(days=3)
    # A resolution older than this when the sweep first sees it is not surveyed (e.g. the
    # history of a city that just turned surveys on).
    lookback: timedelta = timedelta(days=7)
    batch: int = 200

    @property
    def lifetime(self) -> timedelta:
        return self.reminder_after + self.expire_after_reminder


class SurveyClosed(DomainError):
    status = 410
    title = "Gone"
    slug = "survey-closed"


@dataclass(frozen=True)
class Prompt:
    """A question for the citizen: text and (label, data) buttons."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()


# ------------------------------------------------------------------------------ questions


def fixed_prompt(survey_id: int, code: str, agency: str, language: str = i18n.DEFAULT) -> Prompt:
    return Prompt(
        i18n.t("survey.ask_fixed", language, code=tracking.display(code), agency=agency),
        tuple(
            (i18n.t(f"survey.button_{value}", language), f"{CHOICE_PREFIX}{survey_id}:0:{value}")
            for _, value in FIXED_CHOICES
        ),
    )


def element_prompt(survey_id: int, step: int, language: str = i18n.DEFAULT) -> Prompt:
    element = ikm.ELEMENT_CODES[step - 1]
    subject = i18n.t(f"ikm.{element}.subject", language)
    return Prompt(
        i18n.t(
            "survey.ask_element", language, number=step, total=len(ikm.ELEMENTS), subject=subject
        ),
        tuple(
            (label, f"{CHOICE_PREFIX}{survey_id}:{step}:{score}")
            for score, label in enumerate(ikm.answer_labels(element, language), start=1)
        ),
    )


def comment_prompt(survey_id: int, language: str = i18n.DEFAULT) -> Prompt:
    skip = (
        i18n.t("survey.button_skip", language),
        f"{CHOICE_PREFIX}{survey_id}:{COMMENT_STEP}:{SKIP}",
    )
    return Prompt(i18n.t("survey.ask_comment", language), (skip,))


def prompt_for_step(
    survey_id: int, step: int, code: str, agency: str, language: str = i18n.DEFAULT
) -> Prompt:
    if step == 0:
        return fixed_prompt(survey_id, code, agency, language)
    if step < COMMENT_STEP:
        return element_prompt(survey_id, step, language)
    return comment_prompt(survey_id, language)


def _agency_name(services: Services, code: str | None, language: str = i18n.DEFAULT) -> str:
    agency = services.city.agencies.get(code or "")
    return agency.short_name if agency else i18n.t("survey.unknown_agency", language)


def _message(
    channel: str, recipient: str, prompt: Prompt, complaint_id: int, dedupe_key: str
) -> Message:
    return Message(
        channel=channel,
        recipient=recipient,
        kind="survey",
        text=prompt.text,
        buttons=prompt.buttons,
        complaint_id=complaint_id,
        dedupe_key=dedupe_key,
    )


# ------------------------------------------------------------------------------ signed links


def survey_token(secret_key: str, survey_id: int, expires_at: datetime | int) -> str:
    """`id.expiry.signature`: the id and expiry (epoch seconds) signed with the secret key."""
    epoch = expires_at if isinstance(expires_at, int) else int(expires_at.timestamp())
    payload = f"{survey_id}.{epoch}"
    digest = hmac.new(secret_key.encode(), b"survey:" + payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{base64.urlsafe_b64encode(digest[:18]).decode()}"


def read_survey_token(secret_key: str, token: str, now: datetime) -> int:
    """The survey id of a genuine, unexpired link; NotFound or SurveyClosed otherwise."""
    survey_id, _, rest = token.partition(".")
    expires, _, _signature = rest.partition(".")
    if not (survey_id.isdigit() and expires.isdigit()):
        raise NotFound(i18n.t("problem.unknown_survey_link"))
    expected = survey_token(secret_key, int(survey_id), int(expires))
    if not hmac.compare_digest(expected.encode(), token.encode()):
        raise NotFound(i18n.t("problem.unknown_survey_link"))
    if now.timestamp() >= int(expires):
        raise SurveyClosed(i18n.t("problem.survey_link_expired"))
    return int(survey_id)


def survey_url(services: Services, survey_id: int, expires_at: datetime) -> str:
    return f"{services.base_url}/survei/{survey_token(services.secret_key, survey_id, expires_at)}"


# ------------------------------------------------------------------------------ sweeps


def in_office_hours(services: Services, now: datetime) -> bool:
    calendar = calendar_for(services.city)
    local = now.astimezone(calendar.timezone)
    return (
        calendar.is_working_day(local.date())
        and calendar.office_start <= local.time() <= calendar.office_end
    )


async def send_due_surveys(services: Services, policy: SurveyPolicy = SurveyPolicy()) -> int:
    """Invite the reporters of complaints resolved at least `policy.delay` ago; only within
    office hours. Returns how many invitations were queued. Safe to run on several instances:
    the unique survey per complaint lets exactly one of them invite."""
    now = services.clock.now()
    if not in_office_hours(services, now):
        return 0
    invited = 0
    async with services.pool.acquire() as conn, conn.transaction():
        rows = await repo.due(conn, now - policy.delay, now - policy.lookback, policy.batch)
        for row in rows:
            invited += await _invite(services, conn, row, now, policy)
    if invited:
        log.info("surveys sent count=%d", invited)
    return invited


async def _invite(services: Services, conn, row, now: datetime, policy: SurveyPolicy) -> int:
    expires_at = now + policy.lifetime
    if row["channel"] in CHAT_CHANNELS and row["chat_id"]:
        channel = row["channel"]
    elif row["channel"] == "web" and row["email"]:
        channel = "email"
    else:
        await repo.create(conn, row["id"], None, "no_contact", now, None, None)
        return 0
    survey_id = await repo.create(conn, row["id"], channel, "sent", now, now, expires_at)
    if survey_id is None:  # another sweep got there first
        return 0
    agency = _agency_name(services, row["agency_code"], row["language"])
    code = row["tracking_code"]
    if channel == "email":
        message = _email(
            services, survey_id, row["id"], code, agency, expires_at, row["email"], reminder=False
        )
    else:
        prompt = fixed_prompt(survey_id, code, agency, row["language"])
        message = _message(channel, row["chat_id"], prompt, row["id"], f"survey:{survey_id}:q0")
    await enqueue(conn, message, now)
    return 1


def _email(
    services: Services,
    survey_id: int,
    complaint_id: int,
    code: str,
    agency: str,
    expires_at: datetime,
    email: str,
    *,
    reminder: bool,
) -> Message:
    url = survey_url(services, survey_id, expires_at)
    until = expires_at.astimezone(services.city.zone).strftime("%d-%m-%Y %H:%M")
    shown = tracking.display(code)
    text = i18n.t("survey.email_text", code=shown, agency=agency, url=url, until=until)
    if reminder:
        text = i18n.t("survey.reminder", code=shown) + "\n\n" + text
    subject = i18n.t(
        "survey.email_reminder_subject" if reminder else "survey.email_subject", code=shown
    )
    return Message(
        channel="email",
        recipient=email,
        kind="survey",
        text=text,
        complaint_id=complaint_id,
        dedupe_key=f"survey:{survey_id}:{'reminder' if reminder else 'invite'}",
        extra={"subject": subject, "url": url},
    )


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    expired: int
    completed: int = 0  # left at the optional comment: recorded without it


async def remind_and_expire_surveys(
    services: Services, policy: SurveyPolicy = SurveyPolicy()
) -> SweepResult:
    """Expire surveys past their time; remind (once, within office hours) those unanswered
    for `policy.reminder_after`, repeating the question they stopped at. A survey that only
    lacks its optional comment is recorded without it rather than expired."""
    now = services.clock.now()
    reminded = 0
    async with services.pool.acquire() as conn, conn.transaction():
        uncommented = await repo.lock_uncommented(conn, COMMENT_STEP, now)
        for survey in uncommented:
            row = await repo.lock(conn, survey["id"])
            await _finish(services, conn, row, row["fixed"], list(row["scores"]), None, now)
        expired = await repo.expire(conn, now)
        if in_office_hours(services, now):
            rows = await repo.lock_to_remind(conn, now - policy.reminder_after, now, policy.batch)
            for row in rows:
                await repo.set_reminded(conn, row["id"], now)
                agency = _agency_name(services, row["agency_code"], row["language"])
                if row["channel"] == "email":
                    message = _email(
                        services,
                        row["id"],
                        row["complaint_id"],
                        row["tracking_code"],
                        agency,
                        row["expires_at"],
                        row["email"],
                        reminder=True,
                    )
                else:
                    language = row["language"]
                    prompt = prompt_for_step(
                        row["id"], row["step"], row["tracking_code"], agency, language
                    )
                    code = tracking.display(row["tracking_code"])
                    text = i18n.t("survey.reminder", language, code=code)
                    message = _message(
                        row["channel"],
                        row["chat_id"],
                        Prompt(text + "\n\n" + prompt.text, prompt.buttons),
                        row["complaint_id"],
                        f"survey:{row['id']}:reminder",
                    )
                await enqueue(conn, message, now)
                reminded += 1
    if reminded or expired or uncommented:
        log.info(
            "surveys swept reminded=%d expired=%d completed=%d",
            reminded,
            expired,
            len(uncommented),
        )
    return SweepResult(reminded, expired, len(uncommented))


# ------------------------------------------------------------------------------ answering


async def _reopen(services: Services, conn, row) -> bool:
    """'Belum': reopen as the reporter would, in the caller's transaction. False when the
    complaint can no longer be reopened (already closed); an earlier attempt that did reopen
    it counts as done."""
    code = row["tracking_code"]
    try:
        await lifecycle.act(
            services,
            code,
            lifecycle.ActionRequest("reopen", note=i18n.t("survey.reopen_note")),
            reporter_token=await current_reporter_token(conn, services.secret_key, code),
            conn=conn,
        )
    except InvalidTransition:
        status = await repo.complaint_status(conn, row["complaint_id"])
        return status != "closed"
    return True


async def _finish(
    services: Services,
    conn,
    row,
    fixed: str,
    scores: list[int],
    comment: str | None,
    now: datetime,
) -> None:
    local = now.astimezone(services.city.zone)
    await repo.insert_response(
        conn,
        None if row["anonim"] else row["complaint_id"],
        date(local.year, local.month, 1),
        row["agency_code"],
        row["category_code"],
        fixed,
        list(scores),
        comment,
    )
    await repo.finish(conn, row["id"], "answered", now, COMMENT_STEP)
    log.info("survey answered survey=%s agency=%s", row["id"], row["agency_code"])


async def _say_belum(services: Services, conn, row, now: datetime) -> str:
    reopened = await _reopen(services, conn, row)
    await repo.finish(conn, row["id"], "reopened", now, 0)
    log.info("survey belum survey=%s reopened=%s", row["id"], reopened)
    key = "survey.thanks_belum" if reopened else "survey.closed_belum"
    return i18n.t(key, row["language"], code=tracking.display(row["tracking_code"]))


async def answer_choice(
    services: Services,
    conn: asyncpg.Connection,
    channel: str,
    chat_id: str,
    data: str,
    *,
    comments: bool = True,
    language: str = i18n.DEFAULT,
) -> list[Prompt]:
    """A tapped survey button, in the caller's transaction. The next question is queued in the
    outbox directly (four answer buttons; the bot reply path carries at most three); what is
    returned is for the caller to send as its own reply. A stale or repeated tap does nothing."""
    parts = data.removeprefix(CHOICE_PREFIX).split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return [Prompt(i18n.t("survey.survey_closed", language))]
    survey_id, step, value = int(parts[0]), int(parts[1]), parts[2]
    row = await repo.lock(conn, survey_id)
    if row is None or row["reporter_channel"] != channel or row["chat_id"] != chat_id:
        # not this chat's survey: say nothing about it
        return [Prompt(i18n.t("survey.survey_closed", language))]
    language = row["language"]
    if row["status"] not in ("sent", "answering"):
        return [Prompt(i18n.t("survey.survey_closed", language))]
    if step != row["step"]:
        return []  # a second tap on an answered question
    now = services.clock.now()
    if step == 0:
        if value == "belum":
            return [Prompt(await _say_belum(services, conn, row, now))]
        if value not in ("sudah", "tidak_tahu"):
            return []
        await repo.advance(conn, survey_id, 1, value, [])
        next_prompt = element_prompt(survey_id, 1, language)
    elif step < COMMENT_STEP:
        if value not in ("1", "2", "3", "4"):
            return []
        scores = [*row["scores"], int(value)]
        if step == len(ikm.ELEMENTS) and not comments:
            await _finish(services, conn, row, row["fixed"], scores, None, now)
            return [Prompt(i18n.t("survey.thanks", language))]
        await repo.advance(conn, survey_id, step + 1, None, [int(value)])
        next_prompt = (
            element_prompt(survey_id, step + 1, language)
            if step < len(ikm.ELEMENTS)
            else comment_prompt(survey_id, language)
        )
    else:
        if value != SKIP:
            return []
        await _finish(services, conn, row, row["fixed"], list(row["scores"]), None, now)
        return [Prompt(i18n.t("survey.thanks", language))]
    await enqueue(
        conn,
        _message(
            channel, chat_id, next_prompt, row["complaint_id"], f"survey:{survey_id}:q{step + 1}"
        ),
        now,
    )
    return []


async def answer_comment(
    services: Services, conn: asyncpg.Connection, channel: str, chat_id: str, text: str
) -> list[Prompt] | None:
    """A typed message from a chat whose survey waits for its comment: that is the comment.
    None when no survey of this chat waits for one (the message is not ours)."""
    survey_id = await repo.awaiting_comment(conn, channel, chat_id, COMMENT_STEP)
    if survey_id is None:
        return None
    row = await repo.lock(conn, survey_id)
    if row["status"] != "answering" or row["step"] != COMMENT_STEP:
        return None
    comment = text.strip()[:COMMENT_MAX] or None
    await _finish(
        services, conn, row, row["fixed"], list(row["scores"]), comment, services.clock.now()
    )
    return [Prompt(i18n.t("survey.thanks", row["language"]))]


# ------------------------------------------------------------------------------ web form


@dataclass(frozen=True)
class WebSurvey:
    survey_id: int
    tracking_code: str
    agency: str
    questions: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # code, name, subject, labels


def _questions() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    return tuple(
        (code, name, i18n.t(f"ikm.{code}.subject"), ikm.ANSWER_LABELS[code])
        for code, name in ikm.ELEMENTS
    )


async def _open_row(services: Services, conn, token: str):
    survey_id = read_survey_token(services.secret_key, token, services.clock.now())
    row = await repo.lock(conn, survey_id)
    if row is None or row["channel"] != "email":
        raise NotFound(i18n.t("problem.unknown_survey_link"))
    if row["status"] != "sent":
        raise SurveyClosed(i18n.t("problem.survey_answered"))
    return row


async def open_web_survey(services: Services, token: str) -> WebSurvey:
    async with services.pool.acquire() as conn, conn.transaction():
        row = await _open_row(services, conn, token)
    return WebSurvey(
        row["id"],
        tracking.display(row["tracking_code"]),
        _agency_name(services, row["agency_code"]),
        _questions(),
    )


@dataclass(frozen=True)
class WebAnswers:
    fixed: str
    scores: list[int] | None
    comment: str | None


def parse_web_answers(form: Mapping[str, str]) -> WebAnswers:
    errors = ValidationFailed(i18n.t("problem.survey_incomplete"), [])
    fixed = form.get("fixed", "")
    if fixed not in ("sudah", "belum", "tidak_tahu"):
        errors.errors.append(
            ValidationFailed.on("fixed", i18n.t("problem.choose_an_answer")).errors[0]
        )
    scores: list[int] = []
    if fixed != "belum":
        for code in ikm.ELEMENT_CODES:
            raw = form.get(code.lower(), "")
            if raw not in ("1", "2", "3", "4"):
                errors.errors.append(
                    ValidationFailed.on(code.lower(), i18n.t("problem.choose_an_answer")).errors[0]
                )
            else:
                scores.append(int(raw))
    comment = (form.get("comment") or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        errors.errors.append(
            ValidationFailed.on("comment", i18n.t("problem.too_long", maximum=COMMENT_MAX)).errors[
                0
            ]
        )
    if errors.errors:
        raise errors
    return WebAnswers(fixed, None if fixed == "belum" else scores, comment)


async def submit_web_survey(services: Services, token: str, answers: WebAnswers) -> str:
    """Record a web survey once; returns the sentence to show. A second submission (or a
    double click) finds the survey answered and gets SurveyClosed."""
    now = services.clock.now()
    async with services.pool.acquire() as conn, conn.transaction():
        row = await _open_row(services, conn, token)
        if answers.fixed == "belum":
            return await _say_belum(services, conn, row, now)
        await _finish(
            services, conn, row, answers.fixed, answers.scores or [], answers.comment, now
        )
    return i18n.t("survey.thanks")
