"""The satisfaction survey as a web form, behind the signed link a web reporter gets by email.

No CSRF token: the link itself is the secret, and it works once.
"""

from __future__ import annotations

from aiohttp import web

from lapor import schemas, surveys
from lapor.errors import DomainError, ValidationFailed
from lapor.web import pagekit
from lapor.web.keys import SERVICES
from lapor.web.openapi import documented

routes = web.RouteTableDef()
FORM_MAX_BYTES = 16 * 1024


def _page(request: web.Request, context: dict, status: int = 200) -> web.Response:
    services = request.app[SERVICES]
    response = pagekit.render(
        request,
        "survey.html",
        {"city": services.city, "fixed_choices": surveys.FIXED_CHOICES, **context},
        status=status,
    )
    # The link is the credential: keep it out of caches and of other sites' Referer headers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@routes.get("/survei/{token}")
@documented(
    summary="Satisfaction survey form (HTML) behind a signed link",
    path=schemas.SurveyPath,
    problems=(404, 410),
    html=True,
)
async def survey_form(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    try:
        survey = await surveys.open_web_survey(services, request.match_info["token"])
    except DomainError as error:
        return _page(request, {"message": error.detail}, error.status)
    return _page(request, {"survey": survey, "answers": {}, "errors": {}})


@routes.post("/survei/{token}")
@documented(
    summary="Submit the survey form (once)",
    path=schemas.SurveyPath,
    body={"application/x-www-form-urlencoded": schemas.SurveyForm},
    problems=(404, 410, 413, 422),
    html=True,
)
async def survey_submit(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    token = request.match_info["token"]
    if request.content_length is not None and request.content_length > FORM_MAX_BYTES:
        return _page(request, {"message": "Isian terlalu besar."}, 413)
    form = {key: str(value) for key, value in (await request.post()).items()}
    try:
        answers = surveys.parse_web_answers(form)
        message = await surveys.submit_web_survey(services, token, answers)
    except ValidationFailed as error:
        try:
            survey = await surveys.open_web_survey(services, token)
        except DomainError as closed:
            return _page(request, {"message": closed.detail}, closed.status)
        errors = {item.field: item.message for item in error.errors}
        return _page(request, {"survey": survey, "answers": form, "errors": errors}, 422)
    except DomainError as error:
        return _page(request, {"message": error.detail}, error.status)
    return _page(request, {"message": message, "done": True})
