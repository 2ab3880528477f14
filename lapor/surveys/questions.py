"""What a survey asks and how: its policy, the fixed question and the nine IKM elements as chat
prompts, and the message that carries one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from lapor import i18n, ikm, tracking
from lapor.errors import DomainError
from lapor.outbox import Message

if TYPE_CHECKING:
    from lapor.context import Services


CHOICE_PREFIX = "survey:"
COMMENT_STEP = len(ikm.ELEMENTS) + 1  # steps: 0 fixed?, 1-9 elements, 10 comment
COMMENT_MAX = 2000
CHAT_CHANNELS = ("telegram", "whatsapp", "sms")

# Citizen-facing words are lapor/i18n's `survey.` and `ikm.` keys, in the language the chat
# chose (bot_conversation.language); e-mail and the web form are in Indonesian.
FIXED_CHOICES = tuple(
    (i18n.t(f"survey.button_{value}"), value) for value in ("sudah", "belum", "tidak_tahu")
)
SKIP = "skip"  # the data of the comment question's Lewati/Skip button
# The WhatsApp reminder's one button (its template, outside the chat's window): ask again.
RESUME = "resume"


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
