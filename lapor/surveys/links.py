"""Signed, expiring links to the web form."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import TYPE_CHECKING

from lapor import constant_time, i18n
from lapor.errors import NotFound
from lapor.surveys.questions import SurveyClosed

if TYPE_CHECKING:
    from lapor.context import Services


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
    if not constant_time.same(token, expected):
        raise NotFound(i18n.t("problem.unknown_survey_link"))
    if now.timestamp() >= int(expires):
        raise SurveyClosed(i18n.t("problem.survey_link_expired"))
    return int(survey_id)


def survey_url(services: Services, survey_id: int, expires_at: datetime) -> str:
    return f"{services.base_url}/survei/{survey_token(services.secret_key, survey_id, expires_at)}"
