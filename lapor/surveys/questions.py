"""What a survey asks and how: its policy, the first question (fixed? and a rating), the offer
of the questionnaire, the IKM elements that apply as chat prompts, and the message that carries
one."""

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
# Steps: 0 the first question (fixed? and a rating); 11 the offer of the questionnaire; 1-9
# the element of that number (only those that apply to the complaint's category); 10 the
# optional comment.
COMMENT_STEP = len(ikm.ELEMENTS) + 1
OFFER_STEP = COMMENT_STEP + 1
COMMENT_MAX = 2000
CHAT_CHANNELS = ("telegram", "whatsapp", "sms")

# Citizen-facing words are lapor/i18n's `survey.` and `ikm.` keys, in the language the chat
# chose (bot_conversation.language); e-mail and the web form are in Indonesian.
FIXED_CHOICES = tuple(
    (i18n.t(f"survey.button_{value}"), value) for value in ("sudah", "belum", "tidak_tahu")
)
# The first question's answers in the chat: fixed, with how satisfied (4 best), or not yet
# (reopens), or does not know. A button "sudah" without a rating (an invitation sent before
# the rating was asked) still counts.
FIRST_CHOICES = ("sudah.4", "sudah.3", "sudah.2", "sudah.1", "belum", "tidak_tahu")
RATINGS = (1, 2, 3, 4)
SKIP = "skip"  # the data of the comment question's Lewati/Skip button
# The WhatsApp reminder's one button (its template, outside the chat's window): ask again.
RESUME = "resume"
TAKE_OFFER, DECLINE_OFFER = "ya", "tidak"


def first_answer(value: str) -> tuple[str, int | None] | None:
    """(fixed, rating) for a first-question answer ("sudah.4", "tidak_tahu"); None if it is
    none ("belum" is handled on its own: it reopens)."""
    fixed, _, rating = value.partition(".")
    if fixed == "sudah" and rating in ("", *map(str, RATINGS)):
        return fixed, int(rating) if rating else None
    if value == "tidak_tahu":
        return value, None
    return None


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
    """The first question: fixed? and, if so, how satisfied; one tap answers both."""
    return Prompt(
        i18n.t("survey.ask_fixed", language, code=tracking.display(code), agency=agency),
        tuple(
            (
                i18n.t(f"survey.chat.button_{value.replace('.', '_')}", language),
                f"{CHOICE_PREFIX}{survey_id}:0:{value}",
            )
            for value in FIRST_CHOICES
        ),
    )


def offer_prompt(survey_id: int, count: int, language: str = i18n.DEFAULT) -> Prompt:
    """After the first answer: the questionnaire of the elements that apply, if wished."""
    return Prompt(
        i18n.t("survey.chat.offer", language, count=count),
        tuple(
            (
                i18n.t(f"survey.chat.button_offer_{value}", language),
                f"{CHOICE_PREFIX}{survey_id}:{OFFER_STEP}:{value}",
            )
            for value in (TAKE_OFFER, DECLINE_OFFER)
        ),
    )


def element_prompt(
    survey_id: int,
    step: int,
    language: str = i18n.DEFAULT,
    elements: tuple[str, ...] = ikm.ELEMENT_CODES,
) -> Prompt:
    """The question on element `step` (U1 = 1), numbered among the `elements` asked."""
    element = ikm.ELEMENT_CODES[step - 1]
    subject = i18n.t(f"ikm.{element}.subject", language)
    return Prompt(
        i18n.t(
            "survey.ask_element",
            language,
            number=elements.index(element) + 1,
            total=len(elements),
            subject=subject,
        ),
        tuple(
            (label, f"{CHOICE_PREFIX}{survey_id}:{step}:{score}")
            for score, label in enumerate(ikm.answer_labels(element, language), start=1)
        ),
    )


def next_element_step(elements: tuple[str, ...], after_step: int) -> int | None:
    """The step of the first element asked after step `after_step` (0: the first of all)."""
    for element in elements:
        step = ikm.ELEMENT_CODES.index(element) + 1
        if step > after_step:
            return step
    return None


def comment_prompt(survey_id: int, language: str = i18n.DEFAULT) -> Prompt:
    skip = (
        i18n.t("survey.button_skip", language),
        f"{CHOICE_PREFIX}{survey_id}:{COMMENT_STEP}:{SKIP}",
    )
    return Prompt(i18n.t("survey.ask_comment", language), (skip,))


def prompt_for_step(
    survey_id: int,
    step: int,
    code: str,
    agency: str,
    language: str = i18n.DEFAULT,
    elements: tuple[str, ...] = ikm.ELEMENT_CODES,
) -> Prompt:
    if step == 0:
        return fixed_prompt(survey_id, code, agency, language)
    if step == OFFER_STEP:
        return offer_prompt(survey_id, len(elements), language)
    if step < COMMENT_STEP:
        return element_prompt(survey_id, step, language, elements)
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
