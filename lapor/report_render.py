"""The monthly report as files: an HTML page, the same page as PDF (WeasyPrint), CSV tables and
PNG charts (matplotlib's Figure API on the Agg canvas, no pyplot state). Labels are Indonesian.

File names start with the scope ("kota", or the agency code in lower case) and the month, so a
city's and its agencies' reports share one folder and a downloaded file says what it is.
"""

from __future__ import annotations

import base64
import csv
import io
import math
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import jinja2
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lapor import i18n, ikm
from lapor.city import CATEGORY_NAMES
from lapor.reports import (
    CHANNEL_LABELS,
    CHANNELS,
    STAGE_LABELS,
    STAGES,
    Figures,
    MonthlyReport,
    add_months,
    month_key,
    month_label,
)

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("lapor", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
)
_environment.globals["t"] = i18n.for_templates()  # the report speaks Bahasa Indonesia

CHARTS = ("kategori", "sla", "ikm", "tren")


def file_prefix(report: MonthlyReport) -> str:
    scope = "kota" if report.agency is None else report.agency.lower()
    return f"{scope}-{month_key(report.month)}"


# ------------------------------------------------------------------------------ numbers


def number(value: float | int | None, places: int = 1) -> str:
    """Indonesian style: a decimal comma, a dot between thousands; "-" for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(share: float | None) -> str:
    return "-" if share is None else number(share * 100, 1) + "%"


def change(now: float | int | None, before: float | int | None, kind: str = "count") -> str:
    """The change against the month before: a count, percentage points, or IKM points."""
    if now is None or before is None:
        return "-"
    if kind == "share":
        delta = (now - before) * 100
        return ("+" if delta > 0 else "") + number(delta, 1) + " poin"
    delta = now - before
    if isinstance(delta, int):
        return ("+" if delta > 0 else "") + number(delta)
    return ("+" if delta > 0 else "") + number(delta, 2)


def converted(result: ikm.IkmResult) -> float | None:
    return None if result.converted is None else result.as_dict()["converted"]


_environment.filters.update(number=number, percent=percent)


# ------------------------------------------------------------------------------ tables


def summary_rows(now: Figures, before: Figures) -> list[tuple[str, str, str, str]]:
    """(label, this month, the month before, change) for the headline table."""
    rows = [
        (i18n.t("report.row.received"), now.received, before.received, "count"),
        (i18n.t("report.row.resolved"), now.resolved, before.resolved, "count"),
        (i18n.t("report.row.backlog"), now.backlog, before.backlog, "count"),
        (i18n.t("report.row.reopened"), now.reopened, before.reopened, "count"),
    ]
    result = [(label, number(a), number(b), change(a, b)) for label, a, b, _ in rows]
    for label, a, b in (
        (i18n.t("report.row.reopen_rate"), now.reopen_rate, before.reopen_rate),
        *(
            (
                i18n.t("report.row.compliance", stage=STAGE_LABELS[s].lower()),
                now.compliance(s).share,
                before.compliance(s).share,
            )
            for s in STAGES
        ),
        (i18n.t("report.row.response_rate"), now.response_rate, before.response_rate),
    ):
        result.append((label, percent(a), percent(b), change(a, b, "share")))
    for label, a, b in (
        (
            i18n.t("report.row.first_response"),
            now.first_response.median,
            before.first_response.median,
        ),
        (i18n.t("report.row.resolution"), now.resolution.median, before.resolution.median),
        (i18n.t("report.row.ikm"), converted(now.ikm), converted(before.ikm)),
    ):
        result.append((label, number(a, 2), number(b, 2), change(a, b, "value")))
    return result


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
    return path


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def write_csv(report: MonthlyReport, out_dir: Path, prefix: str) -> list[Path]:
    scopes = report.scopes
    month = month_key(report.month)

    def scope_row(scope, figures: Figures, which: str) -> list[object]:
        return [
            month if which == "ini" else month_key(_previous(report)),
            scope.code or "KOTA",
            scope.name,
            figures.received,
            figures.resolved,
            figures.backlog,
            figures.reopened,
            _round(figures.reopen_rate),
            figures.first_response.count,
            _round(figures.first_response.median),
            _round(figures.first_response.p90),
            figures.resolution.count,
            _round(figures.resolution.median),
            _round(figures.resolution.p90),
            *(x for s in STAGES for x in (figures.compliance(s).due, figures.compliance(s).met)),
            figures.surveys_sent,
            figures.surveys_responded,
            figures.ikm.respondents,
            converted(figures.ikm),
            figures.ikm.grade,
        ]

    summary_header = [
        "bulan",
        "kode",
        "nama",
        "diterima",
        "diselesaikan",
        "tunggakan_akhir_bulan",
        "dibuka_kembali",
        "tingkat_dibuka_kembali",
        "tanggapan_pertama_jumlah",
        "tanggapan_pertama_median_hari_kerja",
        "tanggapan_pertama_p90_hari_kerja",
        "selesai_jumlah",
        "selesai_median_hari_kerja",
        "selesai_p90_hari_kerja",
        *(f"sla_{s}_{k}" for s in STAGES for k in ("jatuh_tempo", "tepat_waktu")),
        "survei_dikirim",
        "survei_dijawab",
        "ikm_responden",
        "ikm_konversi",
        "ikm_mutu",
    ]
    summary = [scope_row(s, report.current[s.code], "ini") for s in scopes] + [
        scope_row(s, report.previous[s.code], "lalu") for s in scopes
    ]
    paths = [_csv(out_dir / f"{prefix}-ringkasan.csv", summary_header, summary)]
    paths.append(
        _csv(
            out_dir / f"{prefix}-kategori.csv",
            ["kode", "kategori", "jumlah"],
            (
                (s.code or "KOTA", category, count)
                for s in scopes
                for category, count in sorted(report.current[s.code].by_category.items())
            ),
        )
    )
    paths.append(
        _csv(
            out_dir / f"{prefix}-kanal.csv",
            ["kode", "kanal", "jumlah"],
            (
                (s.code or "KOTA", channel, report.current[s.code].by_channel.get(channel, 0))
                for s in scopes
                for channel in CHANNELS
            ),
        )
    )
    paths.append(
        _csv(
            out_dir / f"{prefix}-sla.csv",
            ["kode", "tahap", "jatuh_tempo", "tepat_waktu", "kepatuhan"],
            (
                (
                    s.code or "KOTA",
                    stage,
                    report.current[s.code].compliance(stage).due,
                    report.current[s.code].compliance(stage).met,
                    _round(report.current[s.code].compliance(stage).share),
                )
                for s in scopes
                for stage in STAGES
            ),
        )
    )
    paths.append(
        _csv(
            out_dir / f"{prefix}-eskalasi.csv",
            ["kode", "level", "jumlah"],
            (
                (s.code or "KOTA", level, count)
                for s in scopes
                for level, count in sorted(report.current[s.code].escalations.items())
            ),
        )
    )
    paths.append(
        _csv(
            out_dir / f"{prefix}-ikm.csv",
            ["kode", "unsur", "nama_unsur", "nrr", "responden"],
            (
                (
                    s.code or "KOTA",
                    code,
                    name,
                    report.current[s.code].ikm.as_dict()["nrr"].get(code),
                    report.current[s.code].ikm.respondents,
                )
                for s in scopes
                for code, name in ikm.ELEMENTS
            ),
        )
    )
    main = report.main_scope.code
    paths.append(
        _csv(
            out_dir / f"{prefix}-tren.csv",
            ["bulan", "diterima", "diselesaikan", "ikm_responden", "ikm_konversi"],
            (
                (month_key(p.month), p.received, p.resolved, p.ikm.respondents, converted(p.ikm))
                for p in report.trend[main]
            ),
        )
    )
    return paths


def _previous(report: MonthlyReport) -> date:
    return add_months(report.month, -1)


# ------------------------------------------------------------------------------ charts


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
    values = [result.nrr_float(code) if result.nrr else 0 for code in codes]
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


# ------------------------------------------------------------------------------ page


def render_html(report: MonthlyReport, images: dict[str, bytes]) -> str:
    """The page, self-contained: charts are embedded, so the file opens anywhere offline."""
    main = report.main_scope
    template = _environment.get_template("laporan_bulanan.html")
    return template.render(
        report=report,
        main=main,
        now=report.current[main.code],
        before=report.previous[main.code],
        summary=summary_rows(report.current[main.code], report.previous[main.code]),
        month_label=month_label(report.month),
        previous_label=month_label(_previous(report)),
        stages=[(stage, STAGE_LABELS[stage]) for stage in STAGES],
        channels=[(channel, CHANNEL_LABELS[channel]) for channel in CHANNELS],
        category_names=CATEGORY_NAMES,
        elements=ikm.ELEMENTS,
        converted=converted,
        images={
            name: "data:image/png;base64," + base64.b64encode(data).decode()
            for name, data in images.items()
        },
    )


def write_pdf(html: str, path: Path) -> Path:
    # Imported here: WeasyPrint needs Pango at import time, and only this function needs it.
    import weasyprint

    weasyprint.HTML(string=html).write_pdf(path)
    return path


def write_all(
    report: MonthlyReport,
    out_dir: Path,
    *,
    formats: tuple[str, ...] = ("html", "pdf", "csv", "png"),
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = file_prefix(report)
    paths: list[Path] = []
    needs_charts = {"png", "html", "pdf"} & set(formats)
    images = charts(report) if needs_charts else {}
    if "png" in formats:
        for name, data in images.items():
            path = out_dir / f"{prefix}-grafik-{name}.png"
            path.write_bytes(data)
            paths.append(path)
    if "csv" in formats:
        paths.extend(write_csv(report, out_dir, prefix))
    if "html" in formats or "pdf" in formats:
        html = render_html(report, images)
        if "html" in formats:
            path = out_dir / f"{prefix}-laporan.html"
            path.write_text(html, encoding="utf-8")
            paths.append(path)
        if "pdf" in formats:
            paths.append(write_pdf(html, out_dir / f"{prefix}-laporan.pdf"))
    return paths
