"""The rules that join the city file's tables: a category's agency exists and is no oversight
agency, only lainnya waits at the desk, the parent chain has no loop and ends at one kepala
daerah, the city has one verification desk of kind "desk", and a route by area names a known
category, agencies that take complaints and areas its GeoJSON has.
"""

from __future__ import annotations

from pydantic import BaseModel

from lapor.city.areas import CityArea
from lapor.city.schema import (
    AgenciesSection,
    AgencyTable,
    AreaSection,
    CategoryEntry,
    CitySection,
    ExternalSection,
    did_you_mean,
)
from lapor.city.values import CATEGORY_CODES, DESK_CATEGORY


def cross_check(sections: dict[str, BaseModel]) -> list[str]:
    """Problems in how the valid ``sections`` refer to each other. A rule needing a section
    that was itself wrong is skipped: its problem is already reported."""
    problems: list[str] = []
    agencies = sections.get("agencies")
    table = agencies.root if isinstance(agencies, AgenciesSection) else None
    city = sections.get("city")
    desk = city.desk_agency if isinstance(city, CitySection) else None
    if table is not None:
        problems += _hierarchy(table)
        if desk is not None:
            problems += _desk(desk, table)
    categories = sections.get("categories")
    if categories is not None:
        for code in CATEGORY_CODES:
            problems += _category(code, getattr(categories, code), table, desk)
    area = sections.get("area")
    if isinstance(area, AreaSection):
        problems += _area_routes(area, table)
    external = sections.get("external")
    if isinstance(external, ExternalSection) and table is not None:
        # One code, one body: a forward to PDAM must not be mistaken for a transfer to PDAM.
        problems += [
            f"[external.{code}] has the code of an agency: an external body is no city agency"
            for code in external.root
            if code in table
        ]
    return problems


def _area_routes(area: AreaSection, agencies: dict[str, AgencyTable] | None) -> list[str]:
    """A route by area names a category with an agency, and agencies that take complaints."""
    problems = []
    for code, route in area.routes.items():
        where = f"[area.routes.{code}]"
        if code not in CATEGORY_CODES:
            problems.append(f"{where} names no category{did_you_mean(code, CATEGORY_CODES)}")
        elif code == DESK_CATEGORY:
            problems.append(f"{where}: {DESK_CATEGORY} waits at the desk, it is not routed")
        if area.geojson is None:
            problems.append(f"{where} needs the areas: set [area] geojson")
        for name, agency in route.agencies.items() if agencies is not None else ():
            if agency not in agencies:
                problems.append(
                    f"{where} agencies {name!r} maps to unknown agency {agency!r}"
                    f"{did_you_mean(agency, list(agencies))}"
                )
            elif agencies[agency].kind == "oversight":
                problems.append(
                    f"{where} agencies {name!r} maps to {agency!r}, an oversight agency"
                )
    return problems


def area_names(section: AreaSection, area: CityArea) -> list[str]:
    """Every area a route names is in the city's GeoJSON (checked once it is read)."""
    problems = []
    for code, route in section.routes.items():
        known = area.names(route.by)
        for name in route.agencies:
            if name not in known:
                problems.append(
                    f"[area.routes.{code}] agencies {name!r} is no {route.by} of the city's "
                    f"GeoJSON{did_you_mean(name, known)}"
                )
    return problems


def _hierarchy(agencies: dict[str, AgencyTable]) -> list[str]:
    problems = []
    for code, agency in agencies.items():
        if agency.parent is not None and agency.parent not in agencies:
            problems.append(
                f"[agencies.{code}] parent {agency.parent!r} is not a known agency"
                f"{did_you_mean(agency.parent, list(agencies))}"
            )
    reported: set[frozenset[str]] = set()
    for start in agencies:
        path: list[str] = []
        code: str | None = start
        while code is not None and code in agencies and code not in path:
            path.append(code)
            code = agencies[code].parent
        if code is not None and code in path:
            cycle = path[path.index(code) :]
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                problems.append(f"[agencies] parent cycle: {' -> '.join([*cycle, code])}")
    tops = [code for code, agency in agencies.items() if agency.parent is None]
    # Escalation climbs parents until the kepala daerah; two tops would leave one branch with
    # nobody above it, usually because a parent line was forgotten.
    if len(tops) > 1:
        problems.append(
            f"[agencies] has {len(tops)} agencies without a parent ({', '.join(tops)}); "
            "only the kepala daerah may have none"
        )
    elif not tops and not reported:
        problems.append("[agencies] has no top agency (one without a parent)")
    return problems


def _desk(desk: str, agencies: dict[str, AgencyTable]) -> list[str]:
    problems = []
    if desk not in agencies:
        problems.append(
            f"[city] desk_agency {desk!r} is not a known agency{did_you_mean(desk, list(agencies))}"
        )
    elif agencies[desk].kind != "desk":
        problems.append(
            f"[city] desk_agency {desk!r} has kind {agencies[desk].kind!r}; "
            f'set kind = "desk" in [agencies.{desk}]'
        )
    # One verification desk: two would split the queue every complaint starts in.
    for code, agency in agencies.items():
        if agency.kind == "desk" and code != desk:
            problems.append(
                f"[agencies.{code}] has kind 'desk' but the desk_agency is {desk!r}; "
                "a city has one verification desk"
            )
    return problems


def _category(
    code: str, entry: CategoryEntry, agencies: dict[str, AgencyTable] | None, desk: str | None
) -> list[str]:
    where = f"[categories] {code}"
    problems = []
    if agencies is None:
        pass  # the agencies are wrong themselves; a reference to them proves nothing
    elif entry.agency not in agencies:
        problems.append(
            f"{where} maps to unknown agency {entry.agency!r}"
            f"{did_you_mean(entry.agency, list(agencies))}"
        )
    elif agencies[entry.agency].kind == "oversight":
        problems.append(
            f"{where} maps to {entry.agency!r}, an oversight agency; categories go to an OPD "
            "or the desk, oversight agencies only receive escalations"
        )
    if code == DESK_CATEGORY:
        if not entry.desk:
            problems.append(f"{where} must have desk = true: it waits at the desk")
        if desk is not None and entry.agency != desk:
            problems.append(
                f"{where} agency must be the desk_agency {desk!r}, got {entry.agency!r}"
            )
    elif entry.desk:
        problems.append(
            f"{where} has desk = true, but only {DESK_CATEGORY} waits at the desk; "
            "a category with an agency is routed to it"
        )
    return problems
