"""Reading a city: find its file in ``config/cities/`` (``LAPOR_CITY`` names it), parse the TOML,
check it against lapor.city.schema, and build the frozen values of lapor.city.values.

A typo stops the service at start with CityConfigError, naming the file and every offending
key the way the file writes it (``[agencies.DLH.contacts] head_email must be ...``), instead of
sending complaints nowhere later.
"""

from __future__ import annotations

import re
import tomllib
import types
import typing
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError
from pydantic_core import ErrorDetails

from lapor.city.areas import AreaError, CityArea, load_area
from lapor.city.references import area_names, cross_check
from lapor.city.schema import CityFile, LimitEntry, Table, did_you_mean
from lapor.city.values import (
    CATEGORY_CODES,
    CATEGORY_NAMES,
    LIMIT_KEYS,
    PRIORITY_STAGES,
    SKM_ELEMENT_CODES,
    Agency,
    AgencyContacts,
    AreaRoute,
    Category,
    CityConfig,
    DuplicateRules,
    EmergencyNumber,
    External,
    Open311Terms,
    OpenDataTerms,
    PriorityHours,
    RateLimits,
    SlaRules,
    WhatsAppTemplates,
)
from lapor.ratelimit import Limit

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent.parent / "config" / "cities"

_CITY_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class CityConfigError(ValueError):
    """The city file is missing or wrong. The message names the file and every offending key."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        if len(problems) == 1:
            message = f"{path}: {problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in problems)
            message = f"{path}: {len(problems)} problems:\n{lines}"
        super().__init__(message)


def available_cities(config_dir: Path | None = None) -> list[str]:
    """The keys LAPOR_CITY may name: the stems of the TOML files in the config directory."""
    directory = DEFAULT_CONFIG_DIR if config_dir is None else config_dir
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob("*.toml") if _CITY_KEY.match(p.stem))


def load_city(name_or_path: str | Path, config_dir: Path | None = None) -> CityConfig:
    """Read and check a city: a key such as ``"bekasi"`` (looked up in ``config_dir``) or a
    path to a ``.toml`` file. Raises CityConfigError listing every problem found."""
    path = _resolve(name_or_path, config_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CityConfigError(path, [f"cannot read the file ({error.strerror})"]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CityConfigError(path, [f"not valid TOML: {error}"]) from None
    file = check(path, raw)
    return _city_config(path.stem, file, _area(path, file))


def _area(path: Path, file: CityFile) -> CityArea | None:
    """The polygons [area] geojson names: beside the city file, or else among the shipped
    cities' (a copy of a shipped city's file elsewhere keeps its shipped areas)."""
    if file.area.geojson is None:
        return None
    name = Path(file.area.geojson)
    found = path.parent / name
    if not found.is_file() and not name.is_absolute():
        shipped = DEFAULT_CONFIG_DIR / name
        found = shipped if shipped.is_file() else found
    try:
        area = load_area(found)
    except AreaError as error:
        raise CityConfigError(path, [f"[area] geojson: {error}"]) from None
    problems = area_names(file.area, area)
    if problems:
        raise CityConfigError(path, problems)
    return area


def _resolve(name_or_path: str | Path, config_dir: Path | None) -> Path:
    if isinstance(name_or_path, Path):
        return name_or_path
    if name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path:
        return Path(name_or_path)
    directory = DEFAULT_CONFIG_DIR if config_dir is None else config_dir
    # A key, never a path fragment: LAPOR_CITY="../x" must not read files outside the directory.
    if not _CITY_KEY.match(name_or_path):
        raise CityConfigError(directory, [f"{name_or_path!r} is not a city key (a-z, 0-9, _ -)"])
    path = directory / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(available_cities(directory)) or "none"
        raise CityConfigError(path, [f"no city {name_or_path!r}; available: {known}"])
    return path


def check(path: Path, raw: dict[str, Any]) -> CityFile:
    """The parsed file, validated section by section so that one wrong section leaves the
    rules between the others to run: the admin fixes every problem in one go."""
    problems: list[str] = []
    sections: dict[str, BaseModel] = {}
    known = list(CityFile.model_fields)
    for name in raw:
        if name not in known:
            problems.append(f"unknown section [{name}]{did_you_mean(name, known)}")
    for name, field in CityFile.model_fields.items():
        model = field.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        if name not in raw:
            if field.is_required():
                problems.append(f"missing section [{name}]")
            continue
        try:
            sections[name] = model.model_validate(raw[name])
        except ValidationError as error:
            problems += [_sentence(name, model, detail) for detail in error.errors()]
    problems += cross_check(sections)
    if problems:
        raise CityConfigError(path, problems)
    return CityFile.model_validate(sections)


# -- pydantic's errors as sentences about the file ----------------------------------------------


def _sentence(section: str, model: type[BaseModel], error: ErrorDetails) -> str:
    """One error, placed where the admin looks for it: ``[sla.resolution_days] simple ...``."""
    loc = list(error["loc"])
    if error["type"] == "city_file":
        if loc and loc[-1] == "[key]":  # a table's key is wrong, not its value
            return f"{_place(section, model, loc[:-2])} {error['msg']}"
        return f"{_place(section, model, loc)} {error['msg']}"
    key = str(loc[-1]) if loc else section
    table = _table_at(model, loc[:-1])
    where = _place(section, model, loc[:-1])
    if error["type"] == "extra_forbidden" and table is not None:
        noun, choices = table.key_noun, list(table.model_fields)
        return f"unknown {noun} {key!r} in {where}{did_you_mean(key, choices)}"
    if error["type"] == "missing" and table is not None:
        return table.missing_says.format(where=where, key=key)
    # Every other refusal is said by the schema's own words; this is a safety net.
    return f"{_place(section, model, loc)} is wrong: {error['msg']}, got {error['input']!r}"


def _place(section: str, model: type[BaseModel], loc: list[int | str]) -> str:
    """``[section.table.table] key key``: tables written under their own [header] go in the
    brackets; keys, inline tables and list entries follow."""
    header, rest = [section], []
    kind: Any = model
    for part in loc:
        kind = _inside(kind, part)
        table = _bare(kind)
        if typing.get_origin(table) is dict:  # a table of tables, like [area.routes]
            table = _bare(typing.get_args(table)[1])
        if (
            not rest
            and isinstance(part, str)
            and isinstance(table, type)
            and issubclass(table, Table)
            and not table.inline
        ):
            header.append(part)
        else:
            rest.append(part if isinstance(part, str) else "entry")
    return " ".join([f"[{'.'.join(header)}]", *rest])


def _table_at(model: type[BaseModel], loc: list[int | str]) -> type[Table] | None:
    kind: Any = model
    for part in loc:
        kind = _inside(kind, part)
    kind = _bare(kind)
    return kind if isinstance(kind, type) and issubclass(kind, Table) else None


def _inside(kind: Any, part: int | str) -> Any:
    """The type of the value found at ``part`` inside a value of type ``kind``."""
    kind = _bare(kind)
    if isinstance(kind, type) and issubclass(kind, RootModel):
        kind = _bare(kind.model_fields["root"].annotation)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        field = kind.model_fields.get(str(part))
        return field.annotation if field is not None else None
    arguments = typing.get_args(kind)
    if typing.get_origin(kind) is dict:
        return arguments[1]
    if typing.get_origin(kind) is tuple:
        return arguments[0]
    return None


def _bare(kind: Any) -> Any:
    """``kind`` without Annotated's metadata and without ``| None``."""
    while True:
        if typing.get_origin(kind) is typing.Annotated:
            kind = typing.get_args(kind)[0]
        elif typing.get_origin(kind) in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
            if len(options) != 1:
                return kind
            kind = options[0]
        else:
            return kind


# -- the checked file as the values the service uses ------------------------------------------


def _city_config(key: str, file: CityFile, area: CityArea | None = None) -> CityConfig:
    agencies = {
        code: Agency(
            code=code,
            name=table.name,
            short_name=table.short_name,
            parent=table.parent,
            kind=table.kind,
            contacts=AgencyContacts(
                head_email=table.contacts.head_email,
                head_telegram=table.contacts.head_telegram,
                officers_email=table.contacts.officers_email,
                officers_telegram=table.contacts.officers_telegram,
            ),
        )
        for code, table in file.agencies.root.items()
    }
    categories = {}
    for code in CATEGORY_CODES:
        entry = getattr(file.categories, code)
        name = entry.name or CATEGORY_NAMES[code]
        categories[code] = Category(code, name, entry.agency, entry.resolution, entry.desk)
    sla = file.sla
    threshold = file.classifier.confidence_threshold
    return CityConfig(
        key=key,
        name=file.city.name,
        timezone=file.city.timezone,
        desk_agency=file.city.desk_agency,
        agencies=MappingProxyType(agencies),
        categories=MappingProxyType(categories),
        sla=SlaRules(
            verify_days=sla.verify_days,
            first_response_days=sla.first_response_days,
            resolution_days=MappingProxyType(sla.resolution_days.model_dump()),
            auto_close_days=sla.auto_close_days,
            reminder_at=float(sla.reminder_at),
            escalate_after_days=sla.escalate_after_days,
            priority_hours=MappingProxyType(
                {
                    name: PriorityHours(
                        **{
                            stage: getattr(getattr(sla.priority, name), f"{stage}_hours")
                            for stage in PRIORITY_STAGES
                        }
                    )
                    for name in type(sla.priority).model_fields
                }
            ),
        ),
        confidence_threshold=None if threshold == "auto" else float(threshold),
        rahasia_default=file.privacy.rahasia_default,
        anonim_default=file.privacy.anonim_default,
        extra_days_off=file.calendar.extra_days_off,
        office_start=file.calendar.office_start,
        office_end=file.calendar.office_end,
        resolve_requires_photo=file.workflow.resolve_requires_photo,
        publish=file.privacy.publish,
        retain_contacts_days=file.privacy.retain_contacts_days,
        limits=_limits(file),
        whatsapp=WhatsAppTemplates(
            **file.whatsapp.templates.model_dump(), languages=file.whatsapp.languages
        ),
        emergency_numbers=tuple(
            EmergencyNumber(entry.name, entry.number) for entry in file.emergency.numbers
        ),
        area=area,
        area_routes=MappingProxyType(
            {
                code: AreaRoute(route.by, MappingProxyType(dict(route.agencies)))
                for code, route in file.area.routes.items()
            }
        ),
        open_data=OpenDataTerms(file.open_data.licence, file.open_data.licence_url),
        open311=_open311(key, file),
        survey_elements=MappingProxyType(
            {
                category: tuple(
                    element
                    for element in SKM_ELEMENT_CODES
                    if category not in getattr(file.survey.not_asked, element)
                )
                for category in CATEGORY_CODES
            }
        ),
        followup_days=file.chat.followup_days,
        duplicates=DuplicateRules(file.duplicates.radius_m, file.duplicates.similarity),
        externals=MappingProxyType(
            {
                code: External(
                    code,
                    entry.name,
                    entry.short_name or code,
                    entry.kind,
                    entry.channel,
                    entry.email,
                    entry.url,
                    entry.service_code,
                )
                for code, entry in file.external.root.items()
            }
        ),
    )


def _limit(entry: LimitEntry, default: Limit) -> Limit:
    return Limit(
        default.hits if entry.hits is None else entry.hits,
        default.window if entry.minutes is None else timedelta(minutes=entry.minutes),
    )


def _open311(key: str, file: CityFile) -> Open311Terms:
    section, default = file.open311, Open311Terms()
    return Open311Terms(
        jurisdiction_id=section.jurisdiction_id or key,
        filing_per_client=_limit(section.filing_per_client, default.filing_per_client),
    )


def _limits(file: CityFile) -> RateLimits:
    defaults = RateLimits()
    chosen = {}
    for key in LIMIT_KEYS:
        chosen[key] = _limit(getattr(file.limits, key), getattr(defaults, key))
    return RateLimits(**chosen)
