"""Complaints: intake from any channel, the public and the officer views, and the queue.

One module per seam: `intake` checks what came in, `filing` files it, `views` shows one
complaint (public page, officer view, photos, the reporter's token), `officer_queue` lists
them for officers, filtered by `queue_filters`, and `export` writes that list as CSV. The names below are the package's public face; callers keep writing
`complaints.file_complaint(...)`."""

from __future__ import annotations

from lapor.complaints.filing import Filed, file_complaint
from lapor.complaints.intake import (
    CHANNELS,
    LAT_RANGE,
    LON_RANGE,
    TEXT_MAX,
    TEXT_MIN,
    Intake,
    Location,
    ReporterContact,
    parse_intake,
)
from lapor.complaints.officer_queue import current_agency, officer_scope, queue, queue_statuses
from lapor.complaints.views import (
    IDENTITY_FIELDS,
    PLACE_FIELDS,
    PUBLIC_EVENT_KINDS,
    Viewer,
    full_view,
    is_published,
    moved_view,
    photo,
    public_view,
    revoke_reporter_token,
)
from lapor.tracking import parse_code

__all__ = [
    "CHANNELS",
    "IDENTITY_FIELDS",
    "LAT_RANGE",
    "LON_RANGE",
    "PLACE_FIELDS",
    "PUBLIC_EVENT_KINDS",
    "TEXT_MAX",
    "TEXT_MIN",
    "Filed",
    "Intake",
    "Location",
    "ReporterContact",
    "Viewer",
    "current_agency",
    "file_complaint",
    "full_view",
    "is_published",
    "moved_view",
    "officer_scope",
    "parse_code",
    "parse_intake",
    "photo",
    "public_view",
    "queue",
    "queue_statuses",
    "revoke_reporter_token",
]
