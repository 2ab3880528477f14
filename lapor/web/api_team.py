"""JSON API v1 handlers for a team working its queue (issue 17 §1): a complaint's owner,
internal notes, bulk actions, the export, the agency's officers and its reply templates. Each
parses the request, calls one service function and formats the answer."""

from __future__ import annotations

from aiohttp import web

from lapor import assignment, bulk, officers, reply_templates, schemas, schemas_team
from lapor.complaints import export
from lapor.complaints.queue_filters import FILTER_NAMES, QueueFilters
from lapor.web.api import _officer, params, read_json, routes
from lapor.web.downloads import stream_csv
from lapor.web.keys import SERVICES
from lapor.web.openapi import documented


@routes.get("/api/v1/queue/export")
@documented(
    summary="The filtered queue as CSV: the same filters and visibility as /api/v1/queue, "
    "every matching complaint (never the reporter's identity)",
    query=schemas_team.ExportQuery,
    returns={"text/csv": None},
    problems=(401, 403, 422),
    auth="officer",
)
async def export_queue(request: web.Request) -> web.StreamResponse:
    officer = await _officer(request, required=True)
    query = params(schemas_team.ExportQuery, request.query)
    filters = QueueFilters(**{name: getattr(query, name) for name in FILTER_NAMES})
    lines = await export.rows(request.app[SERVICES], officer, filters)
    return await stream_csv(request, lines)


@routes.post("/api/v1/queue/bulk")
@documented(
    summary="One move on each complaint of a selection (assign, start, transfer, respond with "
    "a template): every one, each with its own event, or none",
    body={"application/json": schemas_team.BulkAction},
    returns=schemas_team.BulkDone,
    problems=(400, 401, 403, 404, 409, 422),
    auth="officer",
)
async def bulk_action(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    body = schemas.check(schemas_team.BulkAction, await read_json(request))
    codes = await bulk.apply(
        request.app[SERVICES],
        officer,
        bulk.BulkRequest(
            body.action,
            tuple(body.codes),
            officer_id=body.officer_id,
            agency=body.agency,
            category=body.category,
            template_id=body.template,
            note=body.note,
            internal_note=body.internal_note,
        ),
    )
    return web.json_response({"action": body.action, "codes": codes})


@routes.post("/api/v1/complaints/{code}/assignee")
@documented(
    summary="Give a complaint to an officer of its agency, or to nobody (the head and the "
    "admin; an officer takes one nobody owns or lets go of their own)",
    path=schemas.CodePath,
    body={"application/json": schemas_team.AssigneeChange},
    returns=schemas_team.Assignment,
    problems=(400, 401, 403, 404, 409, 422),
    auth="officer",
)
async def change_assignee(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    where = params(schemas.CodePath, request.match_info)
    body = schemas.check(schemas_team.AssigneeChange, await read_json(request))
    done = await assignment.assign(
        request.app[SERVICES], where.code, officer, body.officer_id, note=body.note
    )
    owner = (
        None if done.assignee_id is None else {"id": done.assignee_id, "name": done.assignee_name}
    )
    return web.json_response({"tracking_code": done.tracking_code, "assignee": owner})


@routes.post("/api/v1/complaints/{code}/notes")
@documented(
    summary="An internal note on the complaint's timeline, without a move (never public)",
    path=schemas.CodePath,
    body={"application/json": schemas_team.NewNote},
    ok=201,
    returns=schemas_team.NoteAdded,
    problems=(400, 401, 403, 404, 422),
    auth="officer",
)
async def add_note(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    where = params(schemas.CodePath, request.match_info)
    body = schemas.check(schemas_team.NewNote, await read_json(request))
    event_id = await assignment.add_note(request.app[SERVICES], where.code, officer, body.note)
    return web.json_response({"id": event_id}, status=201)


@routes.get("/api/v1/team")
@documented(
    summary="The officers of an agency, whom its complaints may be assigned to",
    query=schemas_team.TeamQuery,
    returns=[schemas_team.TeamMember],
    problems=(401, 403, 422),
    auth="officer",
)
async def get_team(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas_team.TeamQuery, request.query)
    members = await officers.team_for(request.app[SERVICES], officer, query.agency)
    return web.json_response([member.__dict__ for member in members])


@routes.get("/api/v1/templates")
@documented(
    summary="Reply templates: the caller's agency's (the admin: any agency's, or all)",
    query=schemas_team.TemplateQuery,
    returns=[schemas_team.Template],
    problems=(401, 403, 422),
    auth="officer",
)
async def get_templates(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas_team.TemplateQuery, request.query)
    found = await reply_templates.list_templates(
        request.app[SERVICES], officer, agency=query.agency, status=query.status
    )
    return web.json_response([template.as_json() for template in found])


@routes.post("/api/v1/templates")
@documented(
    summary="A new reply template (the agency head, or the admin)",
    body={"application/json": schemas_team.TemplateIn},
    ok=201,
    returns=schemas_team.Template,
    problems=(400, 401, 403, 422),
    auth="officer",
)
async def create_template(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    body = schemas.check(schemas_team.TemplateIn, await read_json(request))
    saved = await reply_templates.save_template(
        request.app[SERVICES],
        officer,
        agency=body.agency,
        status=body.status,
        title=body.title,
        body=body.body,
    )
    return web.json_response(saved.as_json(), status=201)


@routes.put("/api/v1/templates/{template_id:\\d+}")
@documented(
    summary="Change a reply template (the agency head, or the admin)",
    path=schemas_team.TemplatePath,
    body={"application/json": schemas_team.TemplateChange},
    returns=schemas_team.Template,
    problems=(400, 401, 403, 404, 422),
    auth="officer",
)
async def change_template(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    where = params(schemas_team.TemplatePath, request.match_info)
    body = schemas.check(schemas_team.TemplateChange, await read_json(request))
    saved = await reply_templates.save_template(
        request.app[SERVICES],
        officer,
        template_id=where.template_id,
        status=body.status,
        title=body.title,
        body=body.body,
    )
    return web.json_response(saved.as_json())


@routes.delete("/api/v1/templates/{template_id:\\d+}")
@documented(
    summary="Delete a reply template (the agency head, or the admin)",
    path=schemas_team.TemplatePath,
    ok=204,
    problems=(400, 401, 403, 404),
    auth="officer",
)
async def delete_template(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    where = params(schemas_team.TemplatePath, request.match_info)
    await reply_templates.delete_template(request.app[SERVICES], officer, where.template_id)
    return web.Response(status=204)
