"""A city's place on the map: its boundary and its kecamatan and kelurahan polygons, read once
from the GeoJSON its file names ([area] geojson), with shapely for point-in-polygon.

The GeoJSON is a FeatureCollection of Polygon or MultiPolygon features, each with a `level`
property: "kota" (the boundary), "kecamatan" (`name`) or "kelurahan" (`name` and its
`kecamatan`). A level left out is the union of the one below it: a city may ship only
kelurahan, or only a boundary. Coordinates are [longitude, latitude] (WGS 84), as GeoJSON says.
A point on a border counts as inside.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely import prepare as prepare_geometry  # (a name test_layers does not take for SQL)
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

LEVELS = ("kota", "kecamatan", "kelurahan")


class AreaError(ValueError):
    """The GeoJSON is missing or wrong; the message says what, for the city file's refusal."""


@dataclass(frozen=True)
class Place:
    """Where a point lies in the city; None where the city ships no polygon of that level."""

    kecamatan: str | None = None
    kelurahan: str | None = None


class CityArea:
    """The polygons, prepared for fast tests, and where maps open. Immutable once built."""

    def __init__(
        self,
        boundary: BaseGeometry,
        kecamatan: dict[str, BaseGeometry],
        kelurahan: dict[tuple[str, str], BaseGeometry],
    ) -> None:
        self.boundary = boundary
        self.kecamatan = dict(kecamatan)
        self.kelurahan = dict(kelurahan)  # (kecamatan, kelurahan) -> polygon
        for geometry in (boundary, *kecamatan.values(), *kelurahan.values()):
            prepare_geometry(geometry)

    def __repr__(self) -> str:
        return f"CityArea({len(self.kecamatan)} kecamatan, {len(self.kelurahan)} kelurahan)"

    def contains(self, lat: float, lon: float) -> bool:
        return bool(shapely.intersects_xy(self.boundary, lon, lat))

    def locate(self, lat: float, lon: float) -> Place | None:
        """The kecamatan and kelurahan of a point; None when it lies outside the city."""
        if not self.contains(lat, lon):
            return None
        found = next(
            (
                key
                for key, polygon in self.kelurahan.items()
                if shapely.intersects_xy(polygon, lon, lat)
            ),
            None,
        )
        if found is not None:
            return Place(*found)
        kecamatan = next(
            (
                name
                for name, polygon in self.kecamatan.items()
                if shapely.intersects_xy(polygon, lon, lat)
            ),
            None,
        )
        return Place(kecamatan)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east), as Leaflet's fitBounds takes them."""
        west, south, east, north = self.boundary.bounds
        return south, west, north, east

    def center(self) -> tuple[float, float, int]:
        """(lat, lon, zoom) where the city's maps open: the middle of its bounds, at a zoom
        that shows all of it in a map some 800 pixels wide."""
        south, west, north, east = self.bounds
        span = max(north - south, east - west, 1e-4)
        # At zoom z the world's 360 degrees are 256 * 2**z pixels wide.
        zoom = max(5, min(16, math.floor(math.log2(800 * 360 / 256 / span))))
        return round((south + north) / 2, 5), round((west + east) / 2, 5), zoom

    def names(self, level: str) -> frozenset[str]:
        if level == "kecamatan":
            return frozenset(self.kecamatan)
        return frozenset(name for _, name in self.kelurahan)


@lru_cache(maxsize=16)
def _load(path: Path, modified: float) -> CityArea:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AreaError(f"cannot read {path} ({error.strerror})") from None
    except ValueError as error:
        raise AreaError(f"{path} is not JSON: {error}") from None
    return build_area(data, str(path))


def load_area(path: Path) -> CityArea:
    """The city's polygons from its GeoJSON file, read once per file (and again if it
    changes). Raises AreaError naming what is wrong."""
    try:
        modified = path.stat().st_mtime
    except OSError as error:
        raise AreaError(f"cannot read {path} ({error.strerror})") from None
    return _load(path.resolve(), modified)


def build_area(data: Any, where: str = "the GeoJSON") -> CityArea:
    if not isinstance(data, dict):
        raise AreaError(f"{where} must be a GeoJSON FeatureCollection")
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise AreaError(f"{where} must be a GeoJSON FeatureCollection")
    by_level: dict[str, list[tuple[dict[str, Any], BaseGeometry]]] = {level: [] for level in LEVELS}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        level = properties.get("level")
        if level not in LEVELS:
            raise AreaError(f"{where}: feature {number} needs a level: one of {', '.join(LEVELS)}")
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError):
            raise AreaError(f"{where}: feature {number} has no readable geometry") from None
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or not geometry.is_valid:
            raise AreaError(f"{where}: feature {number} must be a valid (Multi)Polygon")
        if level != "kota" and not isinstance(properties.get("name"), str):
            raise AreaError(f"{where}: feature {number} ({level}) needs a name")
        if level == "kelurahan" and not isinstance(properties.get("kecamatan"), str):
            raise AreaError(f"{where}: kelurahan {properties['name']!r} needs its kecamatan")
        by_level[level].append((properties, geometry))
    kelurahan = {(p["kecamatan"], p["name"]): g for p, g in by_level["kelurahan"]}
    kecamatan = {p["name"]: g for p, g in by_level["kecamatan"]}
    for name in {k for k, _ in kelurahan} - set(kecamatan):  # from its kelurahan
        kecamatan[name] = shapely.union_all([g for (k, _), g in kelurahan.items() if k == name])
    if by_level["kota"]:
        boundary = shapely.union_all([g for _, g in by_level["kota"]])
    elif kecamatan:
        boundary = shapely.union_all(list(kecamatan.values()))
    else:
        raise AreaError(f"{where} has no polygon")
    return CityArea(boundary, kecamatan, kelurahan)
