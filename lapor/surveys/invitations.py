"""The sweeps: invite each reporter once in office hours after the resolution, remind once, then
expire."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lapor import i18n, tracking
from lapor.message_templates import SURVEY, SURVEY_REMINDER, form, with_template
from lapor.notify import reach
from lapor.outbox import Message, enqueue
from lapor.repo import surveys as repo
from lapor.sla import calendar_for
from lapor.surveys.chat import finish
from lapor.surveys.links import survey_url
from lapor.surveys.questions import (
    CHOICE_PREFIX,
    RESUME,
    Prompt,
    SurveyPolicy,
    _agency_name,
    _message,
    fixed_prompt,
    prompt_for_step,
)

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)


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
    # The way the reporter's notices went (lapor.notify.reach): their chat; for the web, the
    # phone they left (WhatsApp, else SMS with the web form's link), else their e-mail.
    found = reach(row["channel"], row["chat_id"], row["phone"], row["email"], services.channels)
    if found is None:
        await repo.create(conn, row["id"], None, "no_contact", now, None, None)
        return 0
    channel, recipient = found
    survey_id = await repo.create(conn, row["id"], channel, "sent", now, now, expires_at)
    if survey_id is None:  # another sweep got there first
        return 0
    agency = _agency_name(services, row["agency_code"], row["language"])
    code = row["tracking_code"]
    if channel == "email" or (channel == "sms" and row["channel"] == "web"):
        message = _link(
            services, channel, survey_id, row["id"], code, agency, expires_at, recipient
        )
    else:
        prompt = fixed_prompt(survey_id, code, agency, row["language"])
        message = _message(channel, recipient, prompt, row["id"], f"survey:{survey_id}:q0")
        # Days after the last message: on WhatsApp, the template, whose three quick replies
        # (Sudah / Belum / Tidak tahu) carry no rating: a "Sudah" is recorded without one.
        template = form(
            SURVEY,
            [tracking.display(code), agency],
            language=row["language"],
            buttons=[f"{CHOICE_PREFIX}{survey_id}:0:{value}" for value in TEMPLATE_CHOICES],
        )
        message = with_template(message, template)
    await enqueue(conn, message, now)
    return 1


# The survey template's quick replies, as approved (docs/whatsapp-templates.md).
TEMPLATE_CHOICES = ("sudah", "belum", "tidak_tahu")


def _link(
    services: Services,
    channel: str,
    survey_id: int,
    complaint_id: int,
    code: str,
    agency: str,
    expires_at: datetime,
    recipient: str,
    *,
    reminder: bool = False,
) -> Message:
    """The survey as a link to the web form, by e-mail (with its subject) or by SMS to a web
    reporter (an SMS has no buttons, and a web reporter has no SMS chat to answer in); the
    reminder's line first when it is one."""
    url = survey_url(services, survey_id, expires_at)
    until = expires_at.astimezone(services.city.zone).strftime("%d-%m-%Y %H:%M")
    shown = tracking.display(code)
    words = "survey.email_text" if channel == "email" else "reach.survey.sms"
    text = i18n.t(words, code=shown, agency=agency, url=url, until=until)
    if reminder:
        text = i18n.t("survey.reminder", code=shown) + "\n\n" + text
    extra = {"url": url}
    if channel == "email":
        subject = "survey.email_reminder_subject" if reminder else "survey.email_subject"
        extra["subject"] = i18n.t(subject, code=shown)
    return Message(
        channel=channel,
        recipient=recipient,
        kind="survey",
        text=text,
        complaint_id=complaint_id,
        dedupe_key=f"survey:{survey_id}:{'reminder' if reminder else 'invite'}",
        extra=extra,
    )


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    expired: int
    completed: int = 0  # first question answered, the rest left: recorded as it stands


async def remind_and_expire_surveys(
    services: Services, policy: SurveyPolicy = SurveyPolicy()
) -> SweepResult:
    """Expire surveys past their time; remind (once, within office hours) those whose first
    question is unanswered after `policy.reminder_after`. A survey whose first question was
    answered ends answered with what was given (the questionnaire and the comment are
    optional), never expired, and is not reminded of the rest."""
    now = services.clock.now()
    reminded = 0
    async with services.pool.acquire() as conn, conn.transaction():
        uncommented = await repo.lock_answering_past(conn, now)
        for survey in uncommented:
            await finish(services, conn, await repo.lock(conn, survey["id"]), now)
        expired = await repo.expire(conn, now)
        if in_office_hours(services, now):
            rows = await repo.lock_to_remind(conn, now - policy.reminder_after, now, policy.batch)
            for row in rows:
                await repo.set_reminded(conn, row["id"], now)
                agency = _agency_name(services, row["agency_code"], row["language"])
                by_email = row["channel"] == "email"
                if by_email or (row["channel"] == "sms" and row["reporter_channel"] == "web"):
                    message = _link(
                        services,
                        row["channel"],
                        row["id"],
                        row["complaint_id"],
                        row["tracking_code"],
                        agency,
                        row["expires_at"],
                        row["email"] if by_email else row["survey_chat"],
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
                        row["survey_chat"],
                        Prompt(text + "\n\n" + prompt.text, prompt.buttons),
                        row["complaint_id"],
                        f"survey:{row['id']}:reminder",
                    )
                    # On WhatsApp, outside the window: one button that asks the question again.
                    resume = f"{CHOICE_PREFIX}{row['id']}:{row['step']}:{RESUME}"
                    template = form(SURVEY_REMINDER, [code], language=language, buttons=[resume])
                    message = with_template(message, template)
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
