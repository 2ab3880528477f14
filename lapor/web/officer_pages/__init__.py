"""Pages for officers under /petugas: login, the queue, a complaint, the desk, admin.

Thin: each handler checks the session (`require_officer`), calls one service function
(sessions, complaints, lifecycle, desk, officers, models, reports) and renders a template.
Domain errors from a form come back as the same page with the message; everything else
becomes the HTML error page (403 for another agency's complaint, 404, ...).

One module per page group; each adds its handlers to the one route table in `common`, which
the app mounts as `officer_pages.routes`. Importing this package imports every group, so the
table is complete once `routes` is reachable.
"""

from __future__ import annotations

from lapor.web.officer_pages import (  # noqa: F401  (imported for their routes)
    admin,
    city,
    complaint,
    desk,
    login,
    moderation,
    outbox,
    queue,
    reports,
    team,
    webhooks,
)
from lapor.web.officer_pages.common import (
    HOME,
    LOGIN,
    SESSION_COOKIE,
    current_officer,
    require_officer,
    routes,
    safe_next,
)

__all__ = [
    "HOME",
    "LOGIN",
    "SESSION_COOKIE",
    "current_officer",
    "require_officer",
    "routes",
    "safe_next",
]
