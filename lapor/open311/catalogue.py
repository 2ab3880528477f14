"""What lapor offers an Open311 client: the city's categories as services (their Indonesian
names, a group, a description), each category's service definition (what more it asks, e.g. a
street light's pole number), and lapor's statuses in GeoReport's words."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lapor import i18n
from lapor.errors import FieldError, NotFound

if TYPE_CHECKING:
    from lapor.city import CityConfig

# lapor's status -> (GeoReport's status, the status word of FixMyStreet's updates extension).
# The one table both the requests and the updates read.
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "received": ("open", "open"),
    "assigned": ("open", "investigating"),
    "in_progress": ("open", "in_progress"),
    "resolved": ("closed", "fixed"),
    "closed": ("closed", "closed"),
    "rejected": ("closed", "no_further_action"),
    "forwarded": ("closed", "not_councils_responsibility"),
}
# Moves whose own word says more, in the updates feed, than the status they leave behind.
MOVE_WORDS = {
    "merge": "duplicate",
    "transfer": "internal_referral",
    "not_ours": "internal_referral",
    "forward": "not_councils_responsibility",
}


def statuses_for(words: Sequence[str]) -> list[str]:
    """lapor's statuses behind GeoReport's ("open", "closed")."""
    return [status for status, (word, _) in STATUS_WORDS.items() if word in words]


# Each category's group (its name: lapor/i18n `open311.group.<key>`): the taxonomy's categories
# as a citizen looks for them, streets and lights together, services of an office together.
GROUPS = {
    "jalan": "prasarana",
    "drainase": "prasarana",
    "penerangan_jalan": "prasarana",
    "air_bersih": "prasarana",
    "lalu_lintas": "perhubungan",
    "parkir": "perhubungan",
    "sampah": "lingkungan",
    "pencemaran": "lingkungan",
    "taman_pohon": "lingkungan",
    "kebakaran": "keselamatan",
    "bencana": "keselamatan",
    "ketertiban": "keselamatan",
    "kesehatan": "layanan",
    "kependudukan": "layanan",
    "pendidikan": "layanan",
    "sosial": "layanan",
    "perizinan": "layanan",
    "pajak_daerah": "layanan",
    "layanan_digital": "layanan",
    "pasar": "ekonomi",
    "ketenagakerjaan": "ekonomi",
    "aparatur": "aparatur",
    "lainnya": "lainnya",
}

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


@dataclass(frozen=True)
class Attribute:
    """One question of a service definition; its words are lapor/i18n
    `open311.attribute.<code>` (description) and `.<key>` for each listed value."""

    code: str
    datatype: str  # one of DATATYPES (lapor asks no multivaluelist and no datetime yet)
    order: int
    required: bool = False
    values: tuple[str, ...] = ()  # the keys of a singlevaluelist
    max_length: int = 100


# What a category asks beyond the text and the place: the answers go to the officers with the
# complaint (its `attributes`), never into a public answer.
ATTRIBUTES: dict[str, tuple[Attribute, ...]] = {
    "penerangan_jalan": (
        Attribute("nomor_tiang", "string", 1, max_length=40),
        Attribute("kondisi_lampu", "singlevaluelist", 2, values=("mati", "berkedip", "siang")),
    ),
    "jalan": (
        Attribute(
            "jenis_kerusakan",
            "singlevaluelist",
            1,
            values=("berlubang", "retak", "amblas", "trotoar", "jembatan"),
        ),
    ),
    "drainase": (Attribute("tinggi_genangan_cm", "number", 1),),
}


# When this API last changed in a way a client would notice (Service Discovery's changeset).
CHANGESET = "2026-11-23T00:00:00+07:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("text/xml", "application/json")


def discovery(city: CityConfig, base_url: str) -> dict[str, Any]:
    """Service Discovery: where the one endpoint is, and whom to ask for an api_key."""
    return {
        "changeset": CHANGESET,
        "contact": i18n.t("open311.contact", city=city.name, url=base_url),
        "key_service": i18n.t("open311.key_service", city=city.name),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base_url}/open311/v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(FORMATS),
            }
        ],
    }


def _known(city: CityConfig, code: str) -> None:
    if code not in city.categories:
        raise NotFound(i18n.t("open311.unknown_service", code=code[:40]))


def services(city: CityConfig) -> list[dict[str, Any]]:
    """GET services: every category of the city, in the taxonomy's order."""
    return [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": i18n.t(f"open311.service.{category.code}"),
            "metadata": bool(ATTRIBUTES.get(category.code)),
            "type": "realtime",  # the tracking code is the answer to POST requests
            "keywords": i18n.t(f"open311.keywords.{category.code}"),
            "group": i18n.t(f"open311.group.{GROUPS[category.code]}"),
        }
        for category in city.categories.values()
    ]


def definition(city: CityConfig, code: str) -> dict[str, Any]:
    """GET services/{code}: what the category asks beyond the text and the place."""
    _known(city, code)
    return {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": None,
                "order": attribute.order,
                "description": i18n.t(f"open311.attribute.{attribute.code}.description"),
                "values": [
                    {"key": key, "name": i18n.t(f"open311.attribute.{attribute.code}.{key}")}
                    for key in attribute.values
                ],
            }
            for attribute in ATTRIBUTES.get(code, ())
        ],
    }


def _answer(attribute: Attribute, value: str) -> str | None:
    """The problem with one answer, or None."""
    if attribute.datatype == "singlevaluelist":
        if value not in attribute.values:
            return i18n.t("open311.attribute_one_of", choices=", ".join(attribute.values))
    elif attribute.datatype == "number":
        try:
            number = float(value)
        except ValueError:
            return i18n.t("open311.attribute_number")
        if not math.isfinite(number):
            return i18n.t("open311.attribute_number")
    elif attribute.datatype == "datetime":
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return i18n.t("open311.attribute_datetime")
    if len(value) > attribute.max_length:
        return i18n.t("problem.too_long", maximum=attribute.max_length)
    return None


def check_attributes(
    code: str, sent: Sequence[tuple[str, str]]
) -> tuple[tuple[tuple[str, str], ...], list[FieldError]]:
    """The answers to category `code`'s definition, checked: (answers by code, problems).
    An answer to no question of this category, or a second answer to one, is a problem too:
    a client that sends what lapor would not keep should hear so."""
    asked = {attribute.code: attribute for attribute in ATTRIBUTES.get(code, ())}
    answers: dict[str, str] = {}
    errors: list[FieldError] = []
    for name, value in sent:
        field = f"attribute[{name}]"
        attribute = asked.get(name)
        if attribute is None:
            errors.append(FieldError(field, i18n.t("open311.attribute_unknown", service=code)))
        elif name in answers:
            errors.append(FieldError(field, i18n.t("open311.attribute_once")))
        elif value.strip():
            problem = _answer(attribute, value.strip())
            if problem is None:
                answers[name] = value.strip()
            else:
                errors.append(FieldError(field, problem))
    for attribute in asked.values():
        if attribute.required and attribute.code not in answers:
            errors.append(
                FieldError(f"attribute[{attribute.code}]", i18n.t("open311.attribute_required"))
            )
    return tuple(answers.items()), errors


def notice(
    city: CityConfig, status: str, category_code: str | None, agency_code: str | None
) -> str | None:
    """What happens next, in the city's own numbers: the desk verifies within its days, the
    agency resolves within the category's."""
    if STATUS_WORDS[status][0] != "open":
        return None
    agency = city.agencies.get(agency_code or "")
    category = city.categories.get(category_code or "")
    if status == "received" or agency is None or category is None:
        return i18n.t("open311.notice_desk", desk=city.desk.short_name, days=city.sla.verify_days)
    days = city.sla.resolution_days[category.resolution]
    return i18n.t("open311.notice_agency", agency=agency.short_name, days=days)
