"""What came in, checked: the shape of a complaint from any channel (web form, API, bots) before it
is filed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from lapor import i18n, schemas
from lapor.errors import (
    FieldError,
    ValidationFailed,
)
from lapor.photos import (
    Photo,
    check_photo_count,
)

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.city.areas import Place

TEXT_MIN, TEXT_MAX = 10, 5000
CHANNELS = ("web", "telegram", "whatsapp", "sms", "open311")
# Indonesia from Sabang to Merauke, Miangas to Rote, with a little margin at sea.
LAT_RANGE, LON_RANGE = (-11.5, 6.5), (94.0, 141.5)


@dataclass(frozen=True)
class Location:
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None


@dataclass(frozen=True)
class ReporterContact:
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    chat_id: str | None = None


@dataclass(frozen=True)
class Intake:
    text: str
    channel: str
    title: str | None = None
    category_hint: str | None = None
    rahasia: bool = False
    anonim: bool = False
    location: Location = field(default_factory=Location)
    reporter: ReporterContact | None = None
    photos: tuple[Photo, ...] = ()
    # The answers to the category's service definition (Open311 `attribute[code]`), by code.
    attributes: tuple[tuple[str, str], ...] = ()

    def fingerprint(self) -> str:
        """What makes two submissions 'the same request' for idempotency."""
        content = asdict(self)
        content["photos"] = [photo.sha256 for photo in self.photos]
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def parse_intake(
    data: Any,
    *,
    channel: str,
    category_codes: Sequence[str],
    rahasia_default: bool = False,
    anonim_default: bool = False,
    photos: Sequence[Photo] = (),
    chat_id: str | None = None,
    city: CityConfig | None = None,
) -> Intake:
    """Check a submission from any channel against the one schema (`schemas.NewComplaint`),
    then what only the city knows; every problem is reported with its field name. With the
    `city`, a point outside its boundary is refused (`location`, naming the city), and the
    kelurahan and kecamatan the citizen left empty are filled from the point."""
    errors: list[FieldError] = []
    try:
        sent = schemas.check(schemas.NewComplaint, data)
    except ValidationFailed as error:
        errors.extend(error.errors)
        sent = None
    try:
        check_photo_count(len(photos))
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    # What only the city knows, and what concerns two fields: checked on what was sent even
    # when the model refused something else, so that every problem is named at once.
    raw = data if isinstance(data, Mapping) else {}
    category = raw.get("category")
    if (
        isinstance(category, str)
        and category.strip()
        and category.strip() not in category_codes
        and "category" not in {e.field for e in errors}
    ):
        errors.append(
            FieldError(
                "category",
                i18n.t("validation.category_unknown_named", category=repr(category[:40])),
            )
        )
    where = raw.get("location")
    if isinstance(where, Mapping) and (where.get("lat") is None) != (where.get("lon") is None):
        errors.append(FieldError("location", i18n.t("validation.lat_lon_together")))
    place = None
    point = sent.location if sent is not None else _location_alone(raw.get("location"))
    if city is not None and point is not None:
        try:
            place = place_of(city, Location(point.lat, point.lon))
        except ValidationFailed as error:
            errors.extend(error.errors)
    if errors:
        raise ValidationFailed.of(errors)
    assert sent is not None
    where = sent.location or schemas.Location()
    location = Location(
        where.lat,
        where.lon,
        where.address or None,
        *_filled(where.kelurahan or None, where.kecamatan or None, place),
    )
    reporter = None
    if sent.reporter is not None:
        r = sent.reporter
        reporter = ReporterContact(r.name or None, r.phone or None, r.email or None, chat_id)
    elif chat_id is not None:
        reporter = ReporterContact(chat_id=chat_id)
    # anonim is the citizen's choice: who leaves a phone or an address to be reached by and
    # says nothing more is not hidden; the city's default is for who leaves none.
    if sent.anonim is not None:
        anonim = sent.anonim
    else:
        anonim = anonim_default and not (reporter and (reporter.phone or reporter.email))
    return Intake(
        text=sent.text,
        channel=channel,
        title=sent.title or None,
        category_hint=sent.category,
        rahasia=rahasia_default if sent.rahasia is None else sent.rahasia,
        anonim=anonim,
        location=location,
        reporter=reporter,
        photos=tuple(photos),
    )


def place_of(city: CityConfig, location: Location) -> Place | None:
    """Where a point lies in the city (None without a point, or for a city without [area]);
    a point outside its boundary is refused, naming the field `location` and the city."""
    if city.area is None or location.lat is None or location.lon is None:
        return None
    place = city.area.locate(location.lat, location.lon)
    if place is None:
        raise ValidationFailed.on("location", i18n.t("place.outside_city", city=city.name))
    return place


def _location_alone(where: Any) -> schemas.Location | None:
    """The location as sent when something else was refused, to name its problem too."""
    try:
        return schemas.check(schemas.Location, where) if isinstance(where, Mapping) else None
    except ValidationFailed:
        return None  # its own problems are named already


def _filled(
    kelurahan: str | None, kecamatan: str | None, place: Place | None
) -> tuple[str | None, str | None]:
    """(kelurahan, kecamatan): what the citizen typed stands; the point fills what they left
    empty (a kelurahan only when it lies in the kecamatan they named, if they named one)."""
    if place is None:
        return kelurahan, kecamatan
    if kelurahan is None and kecamatan in (None, place.kecamatan):
        kelurahan = place.kelurahan
    return kelurahan, kecamatan or place.kecamatan
