"""Answers given in the chat, one button or comment at a time; "Belum" reopens the complaint."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING

import asyncpg

from lapor import i18n, ikm, lifecycle, tracking
from lapor.auth import current_reporter_token
from lapor.errors import InvalidTransition
from lapor.outbox import enqueue
from lapor.repo import surveys as repo
from lapor.surveys.questions import (
    CHOICE_PREFIX,
    COMMENT_MAX,
    COMMENT_STEP,
    RESUME,
    SKIP,
    Prompt,
    _agency_name,
    _message,
    comment_prompt,
    element_prompt,
    prompt_for_step,
)

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)


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
    if value == RESUME:  # the reminder's button: the question the citizen stopped at, again
        await _ask_again(services, conn, row, channel, chat_id, now)
        return []
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


async def _ask_again(services: Services, conn, row, channel: str, chat_id: str, now) -> None:
    language, step = row["language"], row["step"]
    agency = _agency_name(services, row["agency_code"], language)
    prompt = prompt_for_step(row["id"], step, row["tracking_code"], agency, language)
    key = f"survey:{row['id']}:q{step}:again"
    await enqueue(conn, _message(channel, chat_id, prompt, row["complaint_id"], key), now)


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
