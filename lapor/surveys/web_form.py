"""The web form an email invitation links to: open it by its token, read and submit the answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lapor import i18n, ikm, tracking
from lapor.errors import NotFound, ValidationFailed
from lapor.repo import surveys as repo
from lapor.surveys.chat import _finish, _say_belum
from lapor.surveys.links import read_survey_token
from lapor.surveys.questions import COMMENT_MAX, SurveyClosed, _agency_name

if TYPE_CHECKING:
    from lapor.context import Services


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
