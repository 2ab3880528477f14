"""The monthly report's map (a PNG, matplotlib's Figure API on Agg): the city's boundary and
kecamatan polygons ([area]'s GeoJSON) and the month's located complaints as points, sized by
how many share a spot, coloured by whether they are still open. Rahasia complaints are not in
the points (lapor.report_places leaves them out); the title says how many were left off."""

from __future__ import annotations

import math

from matplotlib.patches import PathPatch
from matplotlib.path import Path as GeometryPath
from shapely.geometry.base import BaseGeometry

from lapor import i18n
from lapor.report_charts import _figure, _png
from lapor.report_numbers import number
from lapor.report_places import Places
from lapor.reports import MonthlyReport, month_label

FILLS = ("#eef3f8", "#f8f1e6", "#eef6ee", "#f6eef6", "#f3f3e8", "#e9f4f4")
OPEN, DONE = "#b71c1c", "#1565c0"


def _path(geometry: BaseGeometry) -> GeometryPath:
    """A (Multi)Polygon with its holes as one matplotlib path."""
    polygons = getattr(geometry, "geoms", [geometry])
    rings = [ring for polygon in polygons for ring in (polygon.exterior, *polygon.interiors)]
    return GeometryPath.make_compound_path(
        *(GeometryPath(list(ring.coords), closed=True) for ring in rings)
    )


def _height(places: Places) -> float:
    """Inches for a figure 8 wide that fits the city's shape: a long, narrow kabupaten gets
    a tall map, a wide city a low one."""
    if places.area is None:
        return 7.0
    west, south, east, north = places.area.boundary.bounds
    across = (east - west) * math.cos(math.radians((south + north) / 2))
    return min(10.0, max(5.0, 7.0 * (north - south) / max(across, 1e-6)))


def chart_map(report: MonthlyReport) -> bytes:
    places = report.places or Places()
    area = places.area
    figure = _figure(8, _height(places))
    axes = figure.subplots()
    if area is not None:
        for index, (name, polygon) in enumerate(sorted(area.kecamatan.items())):
            axes.add_patch(
                PathPatch(
                    _path(polygon),
                    facecolor=FILLS[index % len(FILLS)],
                    edgecolor="#9e9e9e",
                    linewidth=0.6,
                )
            )
            spot = polygon.representative_point()
            axes.annotate(
                name, (spot.x, spot.y), ha="center", va="center", fontsize=7, color="#555555"
            )
        axes.add_patch(
            PathPatch(_path(area.boundary), facecolor="none", edgecolor="#424242", linewidth=1.2)
        )
    largest = max((point.count for point in places.points), default=1)
    for is_open, colour, key in ((False, DONE, "done"), (True, OPEN, "open")):
        chosen = [p for p in places.points if p.open == is_open]
        axes.scatter(
            [p.longitude for p in chosen],
            [p.latitude for p in chosen],
            s=[8 + 60 * math.sqrt(p.count / largest) for p in chosen],
            color=colour,
            alpha=0.6,
            linewidths=0,
            label=i18n.t(f"report.map.{key}", count=number(sum(p.count for p in chosen))),
        )
    if area is not None:
        west, south, east, north = area.boundary.bounds
        pad = max(east - west, north - south) * 0.04
        axes.set_xlim(west - pad, east + pad)
        axes.set_ylim(south - pad, north + pad)
        middle = (south + north) / 2
    else:
        middle = sum(p.latitude for p in places.points) / len(places.points) if places.points else 0
    # A degree of longitude is shorter than one of latitude away from the equator.
    axes.set_aspect(1 / max(math.cos(math.radians(middle)), 0.1))
    axes.set_xticks([])
    axes.set_yticks([])
    axes.legend(fontsize=8, loc="lower left")
    axes.set_title(
        i18n.t("report.map.title", month=month_label(report.month), count=number(places.drawn)),
        fontsize=10,
    )
    if not places.points:
        axes.text(
            0.5,
            0.5,
            i18n.t("report.map.no_points"),
            ha="center",
            va="center",
            transform=axes.transAxes,
        )
    return _png(figure)
