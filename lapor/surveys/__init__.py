"""Satisfaction surveys (SKM) after a complaint is resolved.

A sweep invites each reporter once, within office hours, some time after the resolution: on
their chat channel, one question first ("is it fixed, and how satisfied are you?", one tap),
then an offer of the questionnaire: the IKM elements that apply to the complaint's category
([survey.elements] in the city file) one at a time, then an optional comment; or by email with
a signed, expiring link to a web form asking the same. A web reporter is asked where their
notices go (lapor.notify.reach): the phone they left by WhatsApp (answered in that chat) or by
SMS carrying the web form's link, else their e-mail. "Belum" reopens the complaint. One
reminder after three days for a first question left unanswered, then the survey expires.

The first answer goes to `survey_response` at once and each element joins it as answered; an
anonim reporter's answers are stored without the complaint (see sql/006_surveys.sql, 017).

One module per seam: `questions` (what is asked, the policy), `links` (signed web-form
links), `invitations` (the sweeps), `chat` (answers in the chat), `web_form` (the form).
"""

from __future__ import annotations

from lapor.surveys.chat import answer_choice, answer_comment
from lapor.surveys.invitations import (
    SweepResult,
    in_office_hours,
    remind_and_expire_surveys,
    send_due_surveys,
)
from lapor.surveys.links import read_survey_token, survey_token, survey_url
from lapor.surveys.questions import (
    CHAT_CHANNELS,
    CHOICE_PREFIX,
    COMMENT_MAX,
    COMMENT_STEP,
    FIRST_CHOICES,
    FIXED_CHOICES,
    OFFER_STEP,
    SKIP,
    Prompt,
    SurveyClosed,
    SurveyPolicy,
    comment_prompt,
    element_prompt,
    first_answer,
    fixed_prompt,
    offer_prompt,
    prompt_for_step,
)
from lapor.surveys.web_form import (
    WebAnswers,
    WebSurvey,
    open_web_survey,
    parse_web_answers,
    submit_web_survey,
)

__all__ = [
    "CHAT_CHANNELS",
    "CHOICE_PREFIX",
    "COMMENT_MAX",
    "COMMENT_STEP",
    "FIRST_CHOICES",
    "FIXED_CHOICES",
    "OFFER_STEP",
    "SKIP",
    "Prompt",
    "SurveyClosed",
    "SurveyPolicy",
    "SweepResult",
    "WebAnswers",
    "WebSurvey",
    "answer_choice",
    "answer_comment",
    "comment_prompt",
    "element_prompt",
    "first_answer",
    "fixed_prompt",
    "offer_prompt",
    "in_office_hours",
    "open_web_survey",
    "parse_web_answers",
    "prompt_for_step",
    "read_survey_token",
    "remind_and_expire_surveys",
    "send_due_surveys",
    "submit_web_survey",
    "survey_token",
    "survey_url",
]
