"""The OpenAPI 3.1 description of the HTTP interface. A test keeps it equal to the routes."""

from __future__ import annotations

from typing import Any

from aiohttp import web

import lapor
from lapor import privacy
from lapor.web.keys import WHATSAPP

PROBLEM = {"$ref": "#/components/responses/Problem"}
TOO_MANY = {"$ref": "#/components/responses/TooManyRequests"}
CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "Tracking code, e.g. ABCDE-FGH12 (case and hyphens do not matter)",
    "schema": {"type": "string"},
}
BEARER = [{"bearer": []}]


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


PATHS: dict[str, dict[str, Any]] = {
    "/healthz": {
        "get": {"summary": "The process is alive", "responses": {"200": _json({"type": "object"})}}
    },
    "/readyz": {
        "get": {
            "summary": "The database answers",
            "responses": {"200": _json({"type": "object"}), "503": PROBLEM},
        }
    },
    "/api/openapi.json": {
        "get": {"summary": "This document", "responses": {"200": _json({"type": "object"})}}
    },
    "/api/v1/complaints": {
        "post": {
            "summary": "File a complaint",
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "The same key and body within 24 hours return the same complaint",
                    "schema": {"type": "string", "maxLength": 200},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": _ref("NewComplaint")},
                    "multipart/form-data": {"schema": _ref("NewComplaintForm")},
                },
            },
            "responses": {
                "201": _json(_ref("Filed"), "Created"),
                "400": PROBLEM,
                "413": PROBLEM,
                "415": PROBLEM,
                "422": PROBLEM,
                "429": TOO_MANY,
            },
        }
    },
    "/api/v1/complaints/{code}": {
        "get": {
            "summary": "Public status of a complaint (never the reporter)",
            "parameters": [CODE],
            "security": [{}, {"bearer": []}],
            "responses": {
                "200": _json(_ref("PublicComplaint")),
                "400": PROBLEM,
                "404": PROBLEM,
                "429": TOO_MANY,
            },
        }
    },
    "/api/v1/complaints/{code}/full": {
        "get": {
            "summary": "Officer view: text, photos, routing, deadlines, timeline, reporter "
            "unless anonim",
            "parameters": [CODE],
            "security": BEARER,
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "sla": {"oneOf": [_ref("Sla"), {"type": "null"}]},
                            "deadlines": {"type": "object"},
                            "text": {"type": "string", "description": "As the citizen wrote it"},
                            "public_copy": {
                                "type": "object",
                                "description": "What the public reads instead",
                                "properties": {
                                    "title": {"type": ["string", "null"]},
                                    "text": {"type": ["string", "null"]},
                                },
                            },
                            "privacy": {
                                "type": "object",
                                "properties": {
                                    "found": {"type": "array", "items": {"type": "string"}},
                                    "accusation": {"type": "boolean"},
                                },
                            },
                            "verified_at": {"type": ["string", "null"], "format": "date-time"},
                        },
                    }
                ),
                "401": PROBLEM,
                "403": PROBLEM,
                "404": PROBLEM,
            },
        }
    },
    "/api/v1/complaints/{code}/photos/{position}": {
        "get": {
            "summary": "One photo of a complaint (anyone; of a rahasia one: officers and the reporter)",
            "parameters": [
                CODE,
                {
                    "name": "position",
                    "in": "path",
                    "required": True,
                    "description": "1-5: the reporter's photos; from 6: officers' proof photos",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 50},
                },
                {
                    "name": "size",
                    "in": "query",
                    "description": "original (as stored: cleaned, in its own format), display "
                    "(longest side 1600 px) or thumb (320 px); display and thumb are JPEG",
                    "schema": {
                        "type": "string",
                        "enum": ["original", "display", "thumb"],
                        "default": "original",
                    },
                },
            ],
            "security": BEARER,
            "responses": {
                "200": {
                    "description": "The image, re-encoded without metadata",
                    "content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}},
                },
                "404": PROBLEM,
                "422": PROBLEM,
            },
        }
    },
    "/api/v1/complaints/{code}/actions": {
        "post": {
            "summary": "Move a complaint through its lifecycle",
            "parameters": [CODE],
            "security": BEARER,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": _ref("Action")},
                    "multipart/form-data": {"schema": _ref("ActionForm")},
                },
            },
            "responses": {
                "200": _json({"type": "object"}),
                "401": PROBLEM,
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        }
    },
    "/api/v1/queue": {
        "get": {
            "summary": "The caller's open complaints, most urgent first",
            "security": BEARER,
            "parameters": [
                {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                for name in ("status", "category", "agency", "cursor")
            ]
            + [
                {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                }
            ],
            "responses": {
                "200": _json(_ref("Queue")),
                "401": PROBLEM,
                "403": PROBLEM,
                "422": PROBLEM,
            },
        }
    },
    "/api/v1/categories": {
        "get": {
            "summary": "Complaint categories and the agency each goes to",
            "responses": {"200": _json({"type": "array"})},
        }
    },
    "/api/v1/agencies": {
        "get": {
            "summary": "The city's agencies (OPD)",
            "responses": {"200": _json({"type": "array"})},
        }
    },
}

# --- monthly reports and satisfaction surveys (issue 7) ---------------------------------
MONTH = {
    "name": "month",
    "in": "path",
    "required": True,
    "description": "The report's month, YYYY-MM",
    "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
}
SURVEY_TOKEN = {
    "name": "token",
    "in": "path",
    "required": True,
    "description": "The signed, expiring survey link sent by email",
    "schema": {"type": "string"},
}
PATHS.update(
    {
        "/api/v1/reports": {
            "get": {
                "summary": "Stored monthly reports: admins see all, others city-wide and their agency's",
                "security": BEARER,
                "responses": {"200": _json(_ref("ReportList")), "401": PROBLEM},
            }
        },
        "/api/v1/reports/{month}/{file}": {
            "get": {
                "summary": "One file of a stored report (HTML, PDF, CSV or PNG)",
                "security": BEARER,
                "parameters": [
                    MONTH,
                    {"name": "file", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "The file",
                        "content": {
                            "application/pdf": {},
                            "text/html": {},
                            "text/csv": {},
                            "image/png": {},
                        },
                    },
                    "401": PROBLEM,
                    "403": PROBLEM,
                    "404": PROBLEM,
                    "422": PROBLEM,
                },
            }
        },
        "/survei/{token}": {
            "get": {
                "summary": "Satisfaction survey form (HTML) behind a signed link",
                "parameters": [SURVEY_TOKEN],
                "responses": {
                    "200": {"description": "HTML", "content": {"text/html": {}}},
                    "404": {"description": "HTML"},
                    "410": {"description": "HTML: answered or expired"},
                },
            },
            "post": {
                "summary": "Submit the survey form (once)",
                "parameters": [SURVEY_TOKEN],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": _ref("SurveyForm")}
                    },
                },
                "responses": {
                    "200": {"description": "HTML", "content": {"text/html": {}}},
                    "404": {"description": "HTML"},
                    "410": {"description": "HTML: answered or expired"},
                    "422": {"description": "HTML: the form again, with what is missing"},
                },
            },
        },
    }
)
# --- end of issue 7 ----------------------------------------------------------------------

# --- personal data typed into the text, moderation (issue 14) ---------------------------
PATHS.update(
    {
        "/api/v1/complaints/{code}/public-copy": {
            "put": {
                "summary": "Edit what the public reads of a complaint's text and title (never "
                "the original), with a reason; an internal 'moderate' event. Officers of its "
                "agency, the desk, the admin",
                "parameters": [CODE],
                "security": BEARER,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("PublicCopyEdit")}},
                },
                "responses": {
                    "200": _json({"type": "object"}, "The officer view, with `public_copy`"),
                    "401": PROBLEM,
                    "403": PROBLEM,
                    "404": PROBLEM,
                    "422": PROBLEM,
                },
            }
        },
        "/api/v1/moderation": {
            "get": {
                "summary": "The moderation log, newest first: the city for the admin and the "
                "desk, an officer's own agency",
                "security": BEARER,
                "parameters": [
                    {
                        "name": "agency",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "before",
                        "in": "query",
                        "required": False,
                        "description": "next_before of the previous page",
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                    },
                ],
                "responses": {
                    "200": _json(_ref("ModerationLog")),
                    "401": PROBLEM,
                    "403": PROBLEM,
                    "422": PROBLEM,
                },
            }
        },
    }
)
PRIVACY_KINDS = list(privacy.KINDS)
# --- end of issue 14 ---------------------------------------------------------------------

# --- issue 14, the rest: hidden photos, tokens that end -----------------------------------
PHOTO_POSITION = {
    "name": "position",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 50},
}
PATHS.update(
    {
        "/api/v1/complaints/{code}/photos/{position}/hide": {
            "post": {
                "summary": "Hide a photo from the public, with a reason (never deleted; "
                "officers still see it); an internal 'moderate' event. Officers of its "
                "agency, the desk, the admin",
                "parameters": [CODE, PHOTO_POSITION],
                "security": BEARER,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["reason"],
                                "properties": {
                                    "reason": {"type": "string", "minLength": 1, "maxLength": 1000}
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json({"type": "object"}, "The officer view; the photo `hidden`"),
                    "401": PROBLEM,
                    "403": PROBLEM,
                    "404": PROBLEM,
                    "422": PROBLEM,
                },
            }
        },
        "/api/v1/complaints/{code}/token/revoke": {
            "post": {
                "summary": "The reporter revokes their access token (Bearer lpr_...) and "
                "receives the next one; the old one stops working",
                "parameters": [CODE],
                "security": BEARER,
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["access_token"],
                            "properties": {"access_token": {"type": "string"}},
                        },
                        "The new access token",
                    ),
                    "401": PROBLEM,
                    "403": PROBLEM,
                    "404": PROBLEM,
                },
            }
        },
        "/api/v1/tokens/current": {
            "delete": {
                "summary": "Revoke the officer API token this request carries",
                "security": BEARER,
                "responses": {"204": {"description": "Revoked"}, "401": PROBLEM},
            }
        },
        "/api/v1/officers/{officer_id}/tokens": {
            "delete": {
                "summary": "The admin revokes every API token of an officer",
                "security": BEARER,
                "parameters": [
                    {
                        "name": "officer_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["revoked"],
                            "properties": {"revoked": {"type": "integer"}},
                        },
                        "How many live tokens were revoked",
                    ),
                    "401": PROBLEM,
                    "403": PROBLEM,
                    "404": PROBLEM,
                },
            }
        },
    }
)
# --- end of issue 14, the rest -------------------------------------------------------------

SCHEMAS: dict[str, Any] = {
    "Location": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "lat": {"type": "number", "minimum": -11.5, "maximum": 6.5},
            "lon": {"type": "number", "minimum": 94.0, "maximum": 141.5},
            "address": {"type": "string", "maxLength": 300},
            "kelurahan": {"type": "string", "maxLength": 100},
            "kecamatan": {"type": "string", "maxLength": 100},
        },
    },
    "NewComplaint": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "minLength": 10, "maxLength": 5000},
            "title": {"type": "string", "maxLength": 200},
            "category": {"type": "string", "description": "A hint; the router and the desk decide"},
            "rahasia": {"type": "boolean", "description": "Hidden from the public"},
            "anonim": {"type": "boolean", "description": "Reporter hidden from everyone"},
            "location": _ref("Location"),
            "reporter": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "phone": {"type": "string"},
                    "email": {"type": "string", "format": "email"},
                },
            },
        },
    },
    "NewComplaintForm": {
        "type": "object",
        "required": ["text"],
        "properties": {
            **{
                name: {"type": "string"}
                for name in (
                    "text",
                    "title",
                    "category",
                    "rahasia",
                    "anonim",
                    "lat",
                    "lon",
                    "address",
                    "kelurahan",
                    "kecamatan",
                    "reporter_name",
                    "reporter_phone",
                    "reporter_email",
                )
            },
            "photos": {
                "type": "array",
                "maxItems": 5,
                "items": {"type": "string", "contentMediaType": "image/*", "maxLength": 5242880},
                "description": "JPEG, PNG or WebP of at most 40 megapixels; stored re-encoded, "
                "upright and without metadata (EXIF, GPS, XMP, comments, text chunks)",
            },
        },
    },
    "Filed": {
        "type": "object",
        "properties": {
            "tracking_code": {"type": "string"},
            "status": {"type": "string"},
            "status_label": {"type": "string"},
            "category": {"type": ["string", "null"]},
            "agency": {"type": ["string", "null"]},
            "status_url": {"type": "string", "format": "uri"},
            "access_token": {
                "type": "string",
                "description": "Shows a rahasia complaint to its reporter",
            },
            "privacy": {
                "type": "object",
                "properties": {
                    "hidden": {
                        "type": "array",
                        "items": {"type": "string", "enum": PRIVACY_KINDS},
                        "description": "Personal data found in the text, hidden from the "
                        "public copy (officers read the original)",
                    },
                    "published": {
                        "type": "boolean",
                        "description": "Text, location and photos are public now; otherwise "
                        "after an officer's verification ([privacy] publish), never if rahasia",
                    },
                    "suggest_rahasia": {
                        "type": "boolean",
                        "description": "The text names someone in an accusation (pungli, "
                        "bribery, extortion) and rahasia was not chosen: advise it",
                    },
                    "message": {"type": ["string", "null"]},
                },
            },
        },
    },
    "PublicComplaint": {
        "type": "object",
        "properties": {
            "tracking_code": {"type": "string"},
            "display_code": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["received", "assigned", "in_progress", "resolved", "closed", "rejected"],
            },
            "status_label": {"type": "string"},
            "category": {"type": ["object", "null"]},
            "agency": {"type": ["object", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
            "published": {
                "type": "boolean",
                "description": "Whether title, text, location and photos are public: never "
                "when rahasia; after an officer's verification unless the city publishes "
                "immediately",
            },
            "title": {
                "type": ["string", "null"],
                "description": "The public copy; absent until published",
            },
            "text": {
                "type": ["string", "null"],
                "description": "The public copy (personal data replaced by placeholders such as "
                "[NIK disembunyikan]); absent until published",
            },
            "location": {"type": ["object", "null"], "description": "Absent until published"},
            "photos": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "position": {"type": "integer"},
                        "media_type": {"type": "string"},
                        "size_bytes": {"type": "integer"},
                        "proof": {"type": "boolean"},
                        "url": {"type": "string"},
                        "display_url": {"type": "string"},
                        "thumb_url": {"type": "string"},
                    },
                },
                "description": "Absent until published, and when rahasia",
            },
            "duplicate_of": {
                "type": ["string", "null"],
                "description": "Merged as a duplicate: the original's tracking code",
            },
            "timeline": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Action": {
        "type": "object",
        "additionalProperties": False,
        "required": ["action"],
        "properties": {
            "action": {
                "type": "string",
                "enum": [
                    "verify",
                    "transfer",
                    "start",
                    "respond",
                    "resolve",
                    "reject",
                    "reopen",
                    "close",
                    "not_ours",
                    "merge",
                ],
            },
            "agency": {"type": "string"},
            "category": {"type": "string"},
            "note": {
                "type": "string",
                "maxLength": 5000,
                "description": "Public: the citizen sees it",
            },
            "internal_note": {"type": "string", "maxLength": 5000},
            "duplicate_of": {
                "type": "string",
                "description": "merge: the tracking code of the original complaint; the "
                "duplicate is closed with the public note 'Digabung dengan laporan KODE'",
            },
        },
    },
    "ActionForm": {
        "type": "object",
        "description": "An action as a form, to attach a proof photo to a resolution (required "
        "when the city sets [workflow] resolve_requires_photo)",
        "required": ["action"],
        "properties": {
            "action": {"type": "string"},
            **{
                name: {"type": "string"}
                for name in ("agency", "category", "note", "internal_note", "duplicate_of")
            },
            "photo": {
                "type": "string",
                "format": "binary",
                "description": "JPEG, PNG or WebP, at most 40 megapixels; re-encoded as photos are",
            },
        },
    },
    "Sla": {
        "type": "object",
        "description": "The current stage's deadline in working time (office hours on "
        "working days in the city's time zone)",
        "properties": {
            "state": {
                "type": "string",
                "enum": ["green", "amber", "red"],
                "description": "amber from the reminder on (the last 25% by default), "
                "red once the deadline has passed",
            },
            "working_hours_left": {
                "type": "number",
                "description": "Negative once breached: the working hours overdue",
            },
            "due_at": {"type": "string", "format": "date-time"},
        },
    },
    "QueueItem": {
        "type": "object",
        "properties": {
            "tracking_code": {"type": "string"},
            "status": {"type": "string", "enum": ["received", "assigned", "in_progress"]},
            "status_label": {"type": "string"},
            "title": {"type": ["string", "null"]},
            "excerpt": {"type": "string"},
            "category": {"type": ["string", "null"]},
            "category_name": {"type": ["string", "null"]},
            "agency": {"type": ["string", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
            "due_at": {"type": ["string", "null"], "format": "date-time"},
            "sla": {"oneOf": [_ref("Sla"), {"type": "null"}]},
            "rahasia": {"type": "boolean"},
        },
    },
    "Queue": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref("QueueItem")},
            "next_cursor": {"type": ["string", "null"]},
        },
    },
    # --- issue 7
    "ReportList": {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "month": {"type": "string"},
                        "agency": {"type": ["string", "null"]},
                        "generated_at": {"type": "string", "format": "date-time"},
                        "files": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "url": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            }
        },
    },
    "SurveyForm": {
        "type": "object",
        "required": ["fixed"],
        "properties": {
            "fixed": {"type": "string", "enum": ["sudah", "belum", "tidak_tahu"]},
            **{f"u{i}": {"type": "integer", "minimum": 1, "maximum": 4} for i in range(1, 10)},
            "comment": {"type": "string", "maxLength": 2000},
        },
    },
    # --- end of issue 7
    "PublicCopyEdit": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reason"],
        "description": "At least one of text and title; an absent one stays as it is",
        "properties": {
            "text": {"type": "string", "minLength": 1, "maxLength": 10000},
            "title": {
                "type": ["string", "null"],
                "maxLength": 400,
                "description": "null or '': none",
            },
            "reason": {"type": "string", "minLength": 1, "maxLength": 1000},
        },
    },
    "ModerationLog": {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "at": {"type": "string", "format": "date-time"},
                        "tracking_code": {"type": "string"},
                        "agency": {"type": ["string", "null"]},
                        "officer": {"type": ["string", "null"]},
                        "reason": {"type": "string"},
                        "changed": {"type": "array", "items": {"enum": ["text", "title"]}},
                        "before": {"type": "object"},
                        "after": {"type": "object"},
                    },
                },
            },
            "next_before": {"type": ["integer", "null"]},
        },
    },
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
}


# Served only when the WhatsApp settings are complete (see create_app).
WHATSAPP_PATHS: dict[str, dict[str, Any]] = {
    "/webhooks/whatsapp": {
        "get": {
            "summary": "WhatsApp Cloud API webhook verification (Meta's subscription check)",
            "parameters": [
                {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
                for name in ("hub.mode", "hub.verify_token", "hub.challenge")
            ],
            "responses": {
                "200": {
                    "description": "hub.challenge, echoed",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                "403": PROBLEM,
            },
        },
        "post": {
            "summary": "WhatsApp Cloud API webhook: citizens' messages and delivery statuses",
            "parameters": [
                {
                    "name": "X-Hub-Signature-256",
                    "in": "header",
                    "required": True,
                    "description": "sha256= and the hex HMAC-SHA256 of the body under the app secret",
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "200": _json({"type": "object"}, "Received"),
                "400": PROBLEM,
                "401": PROBLEM,
                "403": PROBLEM,
                "413": PROBLEM,
            },
        },
    }
}


def _paths(app: web.Application | None) -> dict[str, dict[str, Any]]:
    paths = dict(PATHS)
    if app is not None and WHATSAPP in app:
        paths.update(WHATSAPP_PATHS)
    return paths


def openapi_document(app: web.Application | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "lapor API",
            "version": lapor.__version__,
            "description": "Citizen complaints for Indonesian local governments. Errors are application/problem+json.",
        },
        "paths": _paths(app),
        "components": {
            "schemas": SCHEMAS,
            "responses": {
                "Problem": {
                    "description": "Problem details",
                    "content": {"application/problem+json": {"schema": _ref("Problem")}},
                },
                "TooManyRequests": {
                    "description": "Past the city's rate limit for this client address; "
                    "`retry_after` in the body as in the header",
                    "headers": {
                        "Retry-After": {
                            "description": "Seconds until the limit's window ends",
                            "schema": {"type": "integer", "minimum": 1},
                        }
                    },
                    "content": {"application/problem+json": {"schema": _ref("Problem")}},
                },
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
