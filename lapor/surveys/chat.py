"""Answers given in the chat, one button or comment at a time; "Belum" reopens the complaint.

The first answer (fixed? and a rating) is recorded at once as the survey's response; the
questionnaire that may follow writes each element into that response as it is answered, so a
citizen who stops half-way has still been heard on what they answered (lapor/ikm.py counts
each element over those who answered it).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

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
    DECLINE_OFFER,
    OFFER_STEP,
    RESUME,
    SKIP,
    TAKE_OFFER,
    Prompt,
    _agency_name,
    _message,
    comment_prompt,
    element_prompt,
    first_answer,
    next_element_step,
    offer_prompt,
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


async def record_response(
    services: Services,
    conn,
    row,
    fixed: str,
    rating: int | None,
    scores: dict[str, int],
    comment: str | None,
    now: datetime,
) -> Any:
    """Insert the survey's response: month, agency and category (what the IKM is grouped by),
    the answers given (an element missing from `scores` is NULL), and the complaint only when
    its reporter is not anonim. Returns the response's id."""
    local = now.astimezone(services.city.zone)
    return await repo.insert_response(
        conn,
        None if row["anonim"] else row["complaint_id"],
        date(local.year, local.month, 1),
        row["agency_code"],
        row["category_code"],
        fixed,
        rating,
        [scores.get(code) for code in ikm.ELEMENT_CODES],
        comment,
    )


def _legacy_scores(row) -> dict[str, int]:
    """The element answers an older survey kept on its row (the elements in order, U1 up)."""
    return dict(zip(ikm.ELEMENT_CODES, row["scores"], strict=False))


async def _response_id(services: Services, conn, row, now: datetime) -> Any:
    """The response the answers go to; for a survey begun before the first answer was
    recorded at once (its partial scores on its row), the response is made now."""
    if row["response_id"] is not None:
        return row["response_id"]
    fixed = row["fixed"] or "tidak_tahu"
    return await record_response(services, conn, row, fixed, None, _legacy_scores(row), None, now)


async def finish(services: Services, conn, row, now: datetime, comment: str | None = None) -> None:
    """End a survey whose first question was answered: the comment, if any, joins its
    response, and the survey keeps only that it was answered."""
    if row["response_id"] is not None or row["scores"] or row["fixed"]:
        response_id = await _response_id(services, conn, row, now)
        if comment is not None:
            await repo.set_comment(conn, response_id, comment)
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
    outbox directly (more answer buttons than the bot reply path carries); what is returned is
    for the caller to send as its own reply. A stale or repeated tap does nothing."""
    parts = data.removeprefix(CHOICE_PREFIX).split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return [Prompt(i18n.t("survey.survey_closed", language))]
    survey_id, step, value = int(parts[0]), int(parts[1]), parts[2]
    row = await repo.lock(conn, survey_id)
    if row is None or row["channel"] != channel or row["survey_chat"] != chat_id:
        # not this chat's survey (its reporter's chat, or the phone a web reporter left):
        # say nothing about it
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
    elements = services.city.elements_for(row["category_code"])
    thanks = [Prompt(i18n.t("survey.thanks", language))]
    if step == 0:
        if value == "belum":
            return [Prompt(await _say_belum(services, conn, row, now))]
        answer = first_answer(value)
        if answer is None:
            return []
        fixed, rating = answer
        response_id = await record_response(services, conn, row, fixed, rating, {}, None, now)
        if not elements:  # the city asks this category's reporters nothing more
            await repo.finish(conn, survey_id, "answered", now, COMMENT_STEP)
            return thanks
        await repo.advance(conn, survey_id, OFFER_STEP, response_id)
        next_step, next_prompt = OFFER_STEP, offer_prompt(survey_id, len(elements), language)
    elif step == OFFER_STEP:
        if value == DECLINE_OFFER:
            await finish(services, conn, row, now)
            return thanks
        first = next_element_step(elements, 0)
        if value != TAKE_OFFER or first is None:
            return []
        await repo.advance(conn, survey_id, first)
        next_step, next_prompt = first, element_prompt(survey_id, first, language, elements)
    elif step < COMMENT_STEP:
        if value not in ("1", "2", "3", "4"):
            return []
        response_id = await _response_id(services, conn, row, now)
        await repo.set_element(conn, response_id, step, int(value))
        following = next_element_step(elements, step)
        if following is None and not comments:
            await repo.finish(conn, survey_id, "answered", now, COMMENT_STEP)
            return thanks
        next_step = COMMENT_STEP if following is None else following
        await repo.advance(conn, survey_id, next_step, response_id)
        next_prompt = (
            comment_prompt(survey_id, language)
            if following is None
            else element_prompt(survey_id, following, language, elements)
        )
    else:
        if value != SKIP:
            return []
        await finish(services, conn, row, now)
        return thanks
    await enqueue(
        conn,
        _message(
            channel, chat_id, next_prompt, row["complaint_id"], f"survey:{survey_id}:q{next_step}"
        ),
        now,
    )
    return []


async def _ask_again(services: Services, conn, row, channel: str, chat_id: str, now) -> None:
    language, step = row["language"], row["step"]
    agency = _agency_name(services, row["agency_code"], language)
    elements = services.city.elements_for(row["category_code"])
    prompt = prompt_for_step(row["id"], step, row["tracking_code"], agency, language, elements)
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
    await finish(services, conn, row, services.clock.now(), comment)
    return [Prompt(i18n.t("survey.thanks", row["language"]))]
