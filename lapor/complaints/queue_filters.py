"""What an officer may ask of the queue (and of its export): the filters, checked, and the
visibility of the queue applied to them, as the repository's `Where`.

Visibility is the queue's own and the same for the list, the API and the export: an agency's
officer sees the complaints their agency works on now, the desk what waits at it, the admin
every open complaint (`queue_statuses`, `officer_scope`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta

from lapor import i18n, schemas, sla
from lapor.auth import Officer
from lapor.context import Services
from lapor.errors import FieldError, Forbidden, ValidationFailed
from lapor.lifecycle import OPEN_STATUSES
from lapor.repo.queue import SlaBounds, Where
from lapor.tracking import CodeProblem, normalize

SLA_STATES = (sla.GREEN, sla.AMBER, sla.RED)
# The owner filter: "me" (mine), "none" (nobody's yet), or an officer's id; absent: the team.
MINE, UNASSIGNED = "me", "none"
Q_MAX, WORDS_MAX, PLACE_MAX = 200, 8, 100
PAGE_MAX = 200


@dataclass(frozen=True)
class QueueFilters:
    """The filters as asked (strings from a page or the API; dates as dates or ISO text)."""

    status: str | None = None
    category: str | None = None
    agency: str | None = None
    q: str | None = None  # words that must all occur in the title, text or address
    code: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None
    created_from: date | str | None = None  # received on or after this day (city time)
    created_to: date | str | None = None  # ... and on or before this one
    channel: str | None = None
    sla: str | None = None
    assignee: str | None = None

    def chosen(self) -> dict[str, str]:
        """The filters in use, as query parameters (the next page, the export link)."""
        return {
            name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in asdict(self).items()
            if value not in (None, "")
        }


FILTER_NAMES = tuple(f.name for f in fields(QueueFilters))


def queue_statuses(officer: Officer) -> tuple[str, ...]:
    if officer.role == "verifier":
        return ("received",)
    if officer.role == "admin":
        return OPEN_STATUSES
    return ("assigned", "in_progress")


def officer_scope(
    services: Services, officer: Officer, agency: str | None, limit: int, *, forbidden: str
) -> str | None:
    """The agency an officer's list covers, and its page size checked: an officer sees only
    their own agency (naming another is `forbidden`); the admin and the desk see the agency
    they name, or all (None)."""
    if officer.role == "officer":
        if agency is not None and agency != officer.agency_code:
            raise Forbidden(forbidden)
        agency = officer.agency_code
    elif agency is not None and agency not in services.city.agencies:
        raise ValidationFailed.on(
            "agency", i18n.t("problem.unknown_agency", value=repr(agency[:40]))
        )
    if not 1 <= limit <= PAGE_MAX:
        raise ValidationFailed.on("limit", i18n.t("queue_problem.limit", most=PAGE_MAX))
    return agency


# The days a date filter may name: a complaint's lifetime, with room (a year 1 or 9999 would
# overflow when made a moment in the city's time zone).
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9000, 12, 31)
_CHANNEL = re.compile(r"^[a-z]{1,20}$")


def _day(value: date | str | None, name: str, errors: list[FieldError]) -> date | None:
    if value is None:
        return None
    try:
        day = value if isinstance(value, date) else date.fromisoformat(value.strip())
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        errors.append(FieldError(name, i18n.t("team.problem.bad_date")))
        return None
    return day


def sla_bounds(services: Services, state: str, now: datetime) -> SlaBounds:
    """The deadlines that part green, amber and red at `now`, per stage and category."""
    city = services.city
    categories = list(city.categories)
    per_category = [sla.amber_from(city, "resolve", now, code) for code in categories]
    moments = {
        "verify": sla.amber_from(city, "verify", now),
        "response": sla.amber_from(city, "response", now),
        "none": sla.amber_from(city, "resolve", now),
    }
    every = [*moments.values(), *per_category]
    return SlaBounds(
        state,
        now,
        moments["verify"],
        moments["response"],
        categories,
        per_category,
        moments["none"],
        min(every),
        max(every),
    )


def colour(
    bounds: SlaBounds, stage: str | None, category: str | None, due: datetime | None
) -> str | None:
    """An open complaint's SLA colour from the bounds (what `sla.sla_state` says, without
    counting working hours: the export colours every row)."""
    if stage is None or due is None:
        return None
    if due <= bounds.now:
        return sla.RED
    if stage == "verify":
        amber_until = bounds.verify_from
    elif stage == "response":
        amber_until = bounds.response_from
    elif category in bounds.categories:
        amber_until = bounds.category_from[bounds.categories.index(category)]
    else:
        amber_until = bounds.uncategorised_from
    return sla.AMBER if due < amber_until else sla.GREEN


def where(
    services: Services,
    officer: Officer,
    filters: QueueFilters,
    *,
    limit: int = 50,
    after: tuple[datetime | None, datetime, int, int] | None = None,
) -> Where:
    """The filters checked (every wrong one named at once) within the officer's visibility."""
    city = services.city
    errors: list[FieldError] = []
    texts = {
        name: value
        for name in ("q", "code", "kelurahan", "kecamatan", "channel")
        if isinstance(value := getattr(filters, name), str)
    }
    if (unsafe := schemas.unsafe_text(texts)) is not None:  # a page passes what it was sent
        raise ValidationFailed.of([unsafe])
    statuses = queue_statuses(officer)
    if filters.status is not None:
        if filters.status in statuses:
            statuses = (filters.status,)
        else:
            errors.append(
                FieldError("status", i18n.t("queue_problem.status", choices=", ".join(statuses)))
            )
    if filters.category is not None and filters.category not in city.categories:
        errors.append(
            FieldError(
                "category", i18n.t("problem.unknown_category", value=repr(filters.category[:40]))
            )
        )
    code = None
    words: list[str] = []
    q = (filters.q or "").strip()
    if len(q) > Q_MAX:
        errors.append(FieldError("q", i18n.t("problem.too_long", maximum=Q_MAX)))
    elif q:
        # A tracking code typed in the search box finds that complaint.
        as_code = normalize(q) if len(q) <= 20 else CodeProblem.MALFORMED
        if isinstance(as_code, str):
            code = as_code
        else:
            words = list(dict.fromkeys(q.casefold().split()))
            if len(words) > WORDS_MAX:
                errors.append(
                    FieldError("q", i18n.t("team.problem.too_many_words", most=WORDS_MAX))
                )
    if filters.code:
        found = normalize(filters.code)
        if isinstance(found, str):
            code = found
        else:
            errors.append(FieldError("code", i18n.t("problem.code_malformed_field")))
    places = {}
    for name in ("kelurahan", "kecamatan"):
        value = (getattr(filters, name) or "").strip() or None
        if value is not None and len(value) > PLACE_MAX:
            errors.append(FieldError(name, i18n.t("problem.too_long", maximum=PLACE_MAX)))
        places[name] = value
    first, last = (
        _day(filters.created_from, "created_from", errors),
        _day(filters.created_to, "created_to", errors),
    )
    if first and last and last < first:
        errors.append(FieldError("created_to", i18n.t("team.problem.dates_reversed")))
    if filters.channel is not None and not _CHANNEL.match(filters.channel):
        errors.append(FieldError("channel", i18n.t("team.problem.bad_channel")))
    if filters.sla is not None and filters.sla not in SLA_STATES:
        errors.append(FieldError("sla", i18n.t("queue_problem.sla", choices=", ".join(SLA_STATES))))
    assignee, unassigned = None, False
    if filters.assignee == MINE:
        assignee = officer.id
    elif filters.assignee == UNASSIGNED:
        unassigned = True
    elif filters.assignee is not None:
        if filters.assignee.isdigit() and len(filters.assignee) <= 18:
            assignee = int(filters.assignee)
        else:
            errors.append(FieldError("assignee", i18n.t("team.problem.bad_assignee")))
    agency = None
    try:
        agency = officer_scope(
            services,
            officer,
            filters.agency,
            limit,
            forbidden=i18n.t("queue_problem.own_agency"),
        )
    except ValidationFailed as error:
        errors.extend(error.errors)
    if errors:
        raise ValidationFailed.of(errors)
    zone = city.zone
    now = services.clock.now()
    return Where(
        statuses=list(statuses),
        agency=agency,
        category=filters.category,
        code=code,
        words=words,
        kelurahan=places["kelurahan"],
        kecamatan=places["kecamatan"],
        created_from=None if first is None else datetime.combine(first, time(0), zone),
        created_before=(
            None if last is None else datetime.combine(last + timedelta(days=1), time(0), zone)
        ),
        channel=filters.channel,
        assignee=assignee,
        unassigned=unassigned,
        sla=None if filters.sla is None else sla_bounds(services, filters.sla, now),
        after=after,
    )
