"""The web form an email invitation links to: open it by its token, read and submit the answers.

As in the chat: fixed? and, when fixed, a rating are required; the elements that apply to the
complaint's category are shown and each may be left blank (not answered: out of its NRR)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lapor import i18n, ikm, tracking
from lapor.errors import NotFound, ValidationFailed
from lapor.repo import surveys as repo
from lapor.surveys.chat import _say_belum, record_response
from lapor.surveys.links import read_survey_token
from lapor.surveys.questions import COMMENT_MAX, COMMENT_STEP, SurveyClosed, _agency_name

if TYPE_CHECKING:
    from lapor.context import Services


@dataclass(frozen=True)
class WebSurvey:
    survey_id: int
    tracking_code: str
    agency: str
    questions: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # code, name, subject, labels
    ratings: tuple[tuple[int, str], ...] = ()  # score, label


def _questions(elements: tuple[str, ...]) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    return tuple(
        (code, name, i18n.t(f"ikm.{code}.subject"), ikm.ANSWER_LABELS[code])
        for code, name in ikm.ELEMENTS
        if code in elements
    )


RATINGS = tuple((score, i18n.t(f"survey.chat.rating_{score}")) for score in (1, 2, 3, 4))


async def _open_row(services: Services, conn, token: str):
    survey_id = read_survey_token(services.secret_key, token, services.clock.now())
    row = await repo.lock(conn, survey_id)
    # The link went by e-mail, or by SMS to a web reporter's phone (no chat to answer in).
    by_link = row is not None and (
        row["channel"] == "email" or (row["channel"] == "sms" and row["reporter_channel"] == "web")
    )
    if not by_link:
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
        _questions(services.city.elements_for(row["category_code"])),
        RATINGS,
    )


@dataclass(frozen=True)
class WebAnswers:
    fixed: str
    rating: int | None
    scores: dict[str, int]  # the elements answered
    comment: str | None


def parse_web_answers(form: Mapping[str, str]) -> WebAnswers:
    errors = ValidationFailed(i18n.t("problem.survey_incomplete"), [])

    def refuse(field: str) -> None:
        errors.errors.append(
            ValidationFailed.on(field, i18n.t("problem.choose_an_answer")).errors[0]
        )

    fixed = form.get("fixed", "")
    if fixed not in ("sudah", "belum", "tidak_tahu"):
        refuse("fixed")
    rating: int | None = None
    scores: dict[str, int] = {}
    if fixed != "belum":
        raw = form.get("rating", "")
        if raw in ("1", "2", "3", "4"):
            rating = int(raw)
        elif raw or fixed == "sudah":  # fixed: how satisfied is the one question asked
            refuse("rating")
        for code in ikm.ELEMENT_CODES:
            raw = form.get(code.lower(), "")
            if raw in ("1", "2", "3", "4"):
                scores[code] = int(raw)
            elif raw:  # left blank: not answered
                refuse(code.lower())
    comment = (form.get("comment") or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        errors.errors.append(
            ValidationFailed.on("comment", i18n.t("problem.too_long", maximum=COMMENT_MAX)).errors[
                0
            ]
        )
    if errors.errors:
        raise errors
    return WebAnswers(fixed, rating, scores, comment)


async def submit_web_survey(services: Services, token: str, answers: WebAnswers) -> str:
    """Record a web survey once; returns the sentence to show. A second submission (or a
    double click) finds the survey answered and gets SurveyClosed. Answers to elements that
    do not apply to the complaint's category are not kept."""
    now = services.clock.now()
    async with services.pool.acquire() as conn, conn.transaction():
        row = await _open_row(services, conn, token)
        if answers.fixed == "belum":
            return await _say_belum(services, conn, row, now)
        elements = services.city.elements_for(row["category_code"])
        scores = {code: score for code, score in answers.scores.items() if code in elements}
        await record_response(
            services, conn, row, answers.fixed, answers.rating, scores, answers.comment, now
        )
        await repo.finish(conn, row["id"], "answered", now, COMMENT_STEP)
    return i18n.t("survey.thanks")
