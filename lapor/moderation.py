"""The public copy of a complaint's title and text: what the public pages show instead of the
citizen's own words. Intake writes it with the personal data hidden (`complaints.file_complaint`
through `privacy.public_copy`); an officer may edit it with a reason, never the original,
which leaves an internal 'moderate' event; the moderation log lists those edits. Complaints
filed before the copies existed get theirs from `backfill_public_copies`.

A photo is moderated by hiding it (`hide_photo`), with a reason, never by deleting it: the
public stops seeing it everywhere, officers still do, and the log lists it with the edits."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import asyncpg

from lapor import complaints, i18n, privacy, schemas, tracking
from lapor.errors import FieldError, Forbidden, NotFound, ValidationFailed
from lapor.repo import complaints as repo
from lapor.repo import moderation as sql
from lapor.tracking import parse_code

if TYPE_CHECKING:
    from lapor.auth import Officer
    from lapor.context import Services

log = logging.getLogger(__name__)

# The public copy grows where a short number becomes a placeholder; an edit may keep it so.
PUBLIC_TEXT_MAX = 10_000
PUBLIC_TITLE_MAX = 400
REASON_MAX = 1000
LOG_PAGE = 50


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()  # an edit that leaves the title (or the text) as it is


EDIT_FIELDS = ("text", "title", "reason")  # of an edit, as the API and the page send it


@dataclass(frozen=True)
class PublicCopyEdit:
    reason: str | None
    text: str | None | _Keep = KEEP
    title: str | None | _Keep = KEEP


def _checked(edit: PublicCopyEdit) -> tuple[str, str | _Keep, str | None | _Keep]:
    errors = []
    sent = {"reason": edit.reason, "text": edit.text, "title": edit.title}
    unsafe = schemas.unsafe_text({k: v for k, v in sent.items() if isinstance(v, str)})
    if unsafe is not None:  # NUL or a lone surrogate, from any door
        raise ValidationFailed.of([unsafe])
    reason = (edit.reason or "").strip()
    if not reason:
        errors.append(FieldError("reason", i18n.t("problem.reason_required")))
    elif len(reason) > REASON_MAX:
        errors.append(FieldError("reason", i18n.t("problem.too_long", maximum=REASON_MAX)))
    text = edit.text
    if not isinstance(text, _Keep):
        text = (text or "").strip()
        if not text:
            errors.append(FieldError("text", i18n.t("problem.public_text_empty")))
        elif len(text) > PUBLIC_TEXT_MAX:
            errors.append(FieldError("text", i18n.t("problem.too_long", maximum=PUBLIC_TEXT_MAX)))
    title = edit.title
    if not isinstance(title, _Keep):
        title = (title or "").strip() or None
        if title and len(title) > PUBLIC_TITLE_MAX:
            errors.append(FieldError("title", i18n.t("problem.too_long", maximum=PUBLIC_TITLE_MAX)))
    if errors:
        raise ValidationFailed.of(errors)
    return reason, text, title


async def _record(
    conn: asyncpg.Connection,
    complaint_id: int,
    officer: Officer,
    reason: str,
    now: datetime,
    data: dict[str, object],
) -> None:
    """A moderation is one internal 'moderate' event: who, why, and what changed."""
    await repo.add_event(
        conn,
        complaint_id,
        repo.EventRow(
            "moderate", "officer", now, officer_id=officer.id, internal_note=reason, data=data
        ),
    )


async def edit_public_copy(
    services: Services, code_text: str, officer: Officer, edit: PublicCopyEdit
) -> list[str]:
    """Replace the public copy of a complaint's text and/or title; returns what changed.

    Officers of the complaint's agency, the desk and the admin may; the citizen's original
    is never touched. The edit and its reason are one internal timeline event, holding what
    the copy said before and after."""
    reason, text, title = _checked(edit)
    code = parse_code(code_text)
    now = services.clock.now()
    async with services.pool.acquire() as conn, conn.transaction():
        row = await repo.lock(conn, code)
        if not officer.may_see(row["agency_code"]):
            raise Forbidden(i18n.t("problem.not_your_agency"))
        before = {"text": row["public_body"], "title": row["public_title"]}
        after = {
            "text": before["text"] if isinstance(text, _Keep) else text,
            "title": before["title"] if isinstance(title, _Keep) else title,
        }
        changed = [name for name in ("text", "title") if after[name] != before[name]]
        if not changed:
            raise ValidationFailed.on("text", i18n.t("problem.public_copy_unchanged"))
        await sql.set_public_copy(conn, row["id"], after["title"], after["text"])
        await _record(
            conn,
            row["id"],
            officer,
            reason,
            now,
            {
                "changed": changed,
                "before": {name: before[name] for name in changed},
                "after": {name: after[name] for name in changed},
            },
        )
    log.info(
        "public copy edited code=%s officer_id=%s changed=%s", code, officer.id, ",".join(changed)
    )
    return changed


SMALLINT_MAX = 32_767
PHOTO_FIELDS = ("reason",)  # of a photo's hiding, as the API and the page send it


async def hide_photo(
    services: Services, code_text: str, officer: Officer, position: int, reason: str | None
) -> None:
    """Hide one photo of a complaint from the public, with a reason (an internal 'moderate'
    event the moderation log lists). Who may: as for the public copy. The photo is kept and
    officers still see it; hiding a hidden photo again is refused by name."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", i18n.t("problem.hide_reason_required"))
    if len(reason) > REASON_MAX:
        raise ValidationFailed.on("reason", i18n.t("problem.too_long", maximum=REASON_MAX))
    code = parse_code(code_text)
    now = services.clock.now()
    async with services.pool.acquire() as conn, conn.transaction():
        row = await repo.lock(conn, code)
        if not officer.may_see(row["agency_code"]):
            if row["rahasia"]:
                raise repo.unknown_code()
            raise Forbidden(i18n.t("problem.not_your_agency"))
        # Positions are smallints: one beyond them is a photo that does not exist.
        in_range = 1 <= position <= SMALLINT_MAX
        photo = await sql.select_photo_for_update(conn, row["id"], position) if in_range else None
        if photo is None:
            raise NotFound(i18n.t("problem.photo_not_found"))
        if photo["hidden_at"] is not None:
            raise ValidationFailed.on("position", i18n.t("problem.photo_already_hidden"))
        await sql.hide_photo(conn, row["id"], position, now)
        label = i18n.t(
            "moderation.proof_photo" if photo["event_id"] else "moderation.photo", position=position
        )
        await _record(
            conn,
            row["id"],
            officer,
            reason,
            now,
            {
                "changed": ["photo"],
                "photo": position,
                "before": {"photo": i18n.t("moderation.photo_shown", label=label)},
                "after": {"photo": i18n.t("moderation.photo_hidden", label=label)},
            },
        )
    log.info("photo hidden code=%s position=%s officer_id=%s", code, position, officer.id)


async def moderation_log(
    services: Services,
    officer: Officer,
    *,
    agency: str | None = None,
    before: int | None = None,
    limit: int = LOG_PAGE,
) -> dict[str, Any]:
    """Officers' edits of public copies and hidden photos, newest first: the whole city for the admin and the
    desk, an officer's own agency's complaints for an officer."""
    agency = complaints.officer_scope(
        services,
        officer,
        agency,
        limit,
        forbidden="Petugas hanya melihat catatan moderasi instansinya sendiri.",
    )
    async with services.pool.acquire() as conn:
        rows = await sql.moderation_log(conn, agency, before, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [_entry(row) for row in rows],
        "next_before": rows[-1]["id"] if more else None,
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _entry(row: asyncpg.Record) -> dict[str, Any]:
    data = row["data"] or {}
    return {
        "id": row["id"],
        "at": _iso(row["created_at"]),
        "tracking_code": row["tracking_code"],
        "display_code": tracking.display(row["tracking_code"]),
        "agency": row["agency_code"],
        "agency_name": row["agency_name"],
        "officer": row["officer_name"],
        "reason": row["reason"],
        "changed": data.get("changed", []),
        "before": data.get("before", {}),
        "after": data.get("after", {}),
    }


async def backfill_public_copies(conn: asyncpg.Connection, batch: int = 500) -> int:
    """Write the public copy of every complaint that has none yet (filed before sql/010);
    returns how many. Safe to run from several processes at once, and again."""
    done = 0
    while True:
        async with conn.transaction():
            rows = await sql.lock_missing_public_copies(conn, batch)
            if not rows:
                break
            copies = [(row["id"], privacy.public_copy(row["body"], row["title"])) for row in rows]
            await sql.set_public_copies(
                conn, [(ident, copy.title, copy.text) for ident, copy in copies]
            )
        done += len(rows)
    if done:
        log.info("public copies written for older complaints count=%s", done)
    return done
