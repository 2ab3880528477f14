"""The doors of answers from external bodies (lapor/forwarding.py): a signed webhook POST per
body (/webhooks/forward/{CODE}) and the mail server's hook for e-mail replies (/webhooks/mail,
a bearer token). Both answer problem+json; a bad signature or token is a 401, an answer about
a forwarding the city has recalled a 409."""

from __future__ import annotations

from aiohttp import web

from lapor import constant_time, forwarding, hooks, i18n, schemas
from lapor.errors import Unauthorized
from lapor.web import api
from lapor.web.keys import SERVICES, SETTINGS
from lapor.web.openapi import documented

routes = web.RouteTableDef()


@routes.post("/webhooks/forward/{code}")
@documented(
    summary="An external body's answer about a complaint forwarded to it (signed)",
    path=schemas.ForwardCodePath,
    headers=schemas.ForwardSignature,
    body={"application/json": schemas.ForwardAnswer},
    returns=schemas.ForwardAnswered,
    problems=(400, 401, 404, 409, 413, 422),
    auth="webhook",
)
async def forward_answer(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    code = request.match_info["code"]
    secret = request.app[SETTINGS].external_secrets.get(code, "")
    body = await api.read_body(request)
    known = code in services.city.externals
    if not known or not hooks.signature_valid(
        secret,
        request.headers.get(hooks.TIMESTAMP_HEADER),
        request.headers.get(hooks.SIGNATURE_HEADER),
        body,
        services.clock.now(),
    ):
        raise Unauthorized(i18n.t("forward.problem_signature"))
    answer = schemas.check(schemas.ForwardAnswer, api.parse_json(body))
    event = await forwarding.answer_from_webhook(services, code, answer.model_dump())
    return web.json_response({"recorded": event is not None})


@routes.post("/webhooks/mail")
@documented(
    summary="The mail server's hook: a reply to a forwarded complaint, as the raw message",
    body={"text/plain": schemas.RawMail},
    returns=schemas.ForwardAnswered,
    problems=(401, 409, 413, 422),
    auth="officer",
)
async def mail_reply(request: web.Request) -> web.Response:
    token = request.app[SETTINGS].mail_inbound_token
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not constant_time.same(given, token):
        raise Unauthorized(i18n.t("forward.problem_mail_token"))
    event = await forwarding.answer_from_mail(request.app[SERVICES], await api.read_body(request))
    return web.json_response({"recorded": event is not None})
