"""The monthly report's PNG charts (matplotlib's Figure API on the Agg canvas, no pyplot state).
Labels are Indonesian."""

from __future__ import annotations

import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lapor import i18n, ikm
from lapor.city import CATEGORY_NAMES
from lapor.report_numbers import converted, number
from lapor.reports import STAGE_LABELS, STAGES, MonthlyReport, month_label

CHARTS = ("kategori", "sla", "ikm", "tren")


def _figure(width: float = 8.0, height: float = 4.2) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_categories(report: MonthlyReport) -> bytes:
    counts = report.current[report.main_scope.code].by_category
    items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:15]
    figure = _figure(8, 0.8 + 0.32 * max(len(items), 3))
    axes = figure.subplots()
    labels = [CATEGORY_NAMES.get(code, code) for code, _ in items][::-1]
    axes.barh(labels, [count for _, count in items][::-1], color="#b71c1c")
    axes.set_xlabel(i18n.t("report.chart.count"))
    axes.set_title(i18n.t("report.chart.categories", month=month_label(report.month)))
    if not items:
        axes.text(
            0.5,
            0.5,
            i18n.t("report.chart.no_reports"),
            ha="center",
            va="center",
            transform=axes.transAxes,
        )
    return _png(figure)


def chart_sla(report: MonthlyReport) -> bytes:
    if report.agency is None:
        scopes = report.agency_scopes
        labels = [scope.code for scope in scopes]
    else:
        scopes = [report.main_scope]
        labels = [report.main_scope.code]
    figure = _figure(9, 4.5)
    axes = figure.subplots()
    width = 0.8 / len(STAGES)
    colours = ("#1565c0", "#f9a825", "#2e7d32")
    for offset, (stage, colour) in enumerate(zip(STAGES, colours, strict=True)):
        shares = [
            (report.current[scope.code].compliance(stage).share or 0) * 100 for scope in scopes
        ]
        axes.bar(
            [i + (offset - 1) * width for i in range(len(scopes))],
            shares,
            width,
            label=STAGE_LABELS[stage],
            color=colour,
        )
    axes.set_xticks(range(len(scopes)), labels, rotation=45, ha="right", fontsize=8)
    axes.set_ylim(0, 100)
    axes.set_ylabel(i18n.t("report.chart.on_time"))
    axes.set_title(i18n.t("report.chart.sla", month=month_label(report.month)))
    axes.legend(fontsize=8, loc="lower right")
    return _png(figure)


def chart_ikm(report: MonthlyReport) -> bytes:
    result = report.current[report.main_scope.code].ikm
    figure = _figure(8, 4.2)
    axes = figure.subplots()
    codes = list(ikm.ELEMENT_CODES)
    values = [result.nrr_float(code) or 0 for code in codes]  # not asked: no bar
    axes.bar(codes, values, color="#2e7d32")
    axes.set_ylim(0, 4)
    axes.set_ylabel(i18n.t("report.chart.nrr"))
    title = i18n.t("report.chart.ikm", month=month_label(report.month))
    if result.grade:
        title += f" — IKM {number(converted(result), 2)} ({result.grade}, {result.performance})"
    else:
        axes.text(
            0.5,
            0.5,
            i18n.t("report.chart.no_respondents"),
            ha="center",
            va="center",
            transform=axes.transAxes,
        )
    axes.set_title(title, fontsize=10)
    return _png(figure)


def chart_trend(report: MonthlyReport) -> bytes:
    points = report.trend[report.main_scope.code]
    figure = _figure(9, 4.2)
    axes = figure.subplots()
    labels = [f"{p.month.month:02d}/{p.month.year % 100:02d}" for p in points]
    positions = list(range(len(points)))
    axes.bar(
        [i - 0.2 for i in positions],
        [p.received for p in points],
        0.4,
        label=i18n.t("report.chart.received"),
        color="#1565c0",
    )
    axes.bar(
        [i + 0.2 for i in positions],
        [p.resolved for p in points],
        0.4,
        label=i18n.t("report.chart.resolved"),
        color="#2e7d32",
    )
    axes.set_xticks(positions, labels, fontsize=8)
    axes.set_ylabel(i18n.t("report.chart.count"))
    index_axes = axes.twinx()
    index_axes.plot(
        positions,
        [converted(p.ikm) if p.ikm.respondents else math.nan for p in points],
        color="#b71c1c",
        marker="o",
        label="IKM",
    )
    index_axes.set_ylim(25, 100)
    index_axes.set_ylabel(i18n.t("report.chart.ikm_axis"))
    handles = axes.get_legend_handles_labels()
    extra = index_axes.get_legend_handles_labels()
    axes.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=8, loc="upper left")
    axes.set_title(i18n.t("report.chart.trend"))
    return _png(figure)


def charts(report: MonthlyReport) -> dict[str, bytes]:
    return {
        "kategori": chart_categories(report),
        "sla": chart_sla(report),
        "ikm": chart_ikm(report),
        "tren": chart_trend(report),
    }
