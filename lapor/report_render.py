"""The monthly report as files: an HTML page, the same page as PDF (WeasyPrint), CSV tables and
PNG charts (lapor.report_charts; the number formats are lapor.report_numbers). Labels are
Indonesian.

File names start with the scope ("kota", or the agency code in lower case) and the month, so a
city's and its agencies' reports share one folder and a downloaded file says what it is.
"""

from __future__ import annotations

import base64
import csv
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import jinja2

from lapor import i18n, ikm, report_charts
from lapor.city import CATEGORY_NAMES
from lapor.report_charts import (
    chart_categories,
    chart_ikm,
    chart_sla,
    chart_trend,
    charts,
)
from lapor.report_highlights import highlights
from lapor.report_map import chart_map
from lapor.report_numbers import change, converted, number, percent
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

__all__ = [
    "CHARTS",
    "change",
    "chart_categories",
    "chart_ikm",
    "chart_sla",
    "chart_trend",
    "charts",
    "converted",
    "file_prefix",
    "number",
    "percent",
    "render_html",
    "summary_rows",
    "write_all",
    "write_csv",
    "write_pdf",
]

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("lapor", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
)
_environment.globals["t"] = i18n.for_templates()  # the report speaks Bahasa Indonesia

# The PNG files a report writes: the charts, and the map when the report has its places.
CHARTS = (*report_charts.CHARTS, "peta")


def file_prefix(report: MonthlyReport) -> str:
    scope = "kota" if report.agency is None else report.agency.lower()
    return f"{scope}-{month_key(report.month)}"


_environment.filters.update(number=number, percent=percent)


# ------------------------------------------------------------------------------ tables


def summary_rows(now: Figures, before: Figures) -> list[tuple[str, str, str, str]]:
    """(label, this month, the month before, change) for the headline table."""
    rows = [
        (i18n.t("report.row.received"), now.received, before.received, "count"),
        (i18n.t("report.row.resolved"), now.resolved, before.resolved, "count"),
        (i18n.t("report.row.backlog"), now.backlog, before.backlog, "count"),
        (i18n.t("report.row.reopened"), now.reopened, before.reopened, "count"),
        (i18n.t("reach.report.undelivered"), now.undelivered, before.undelivered, "count"),
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
            figures.undelivered,
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
        "pesan_tak_terkirim",
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
                    # those who answered this element: one that does not apply to a
                    # category is not asked of its reporters
                    report.current[s.code].ikm.answered.get(code, 0),
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


# ------------------------------------------------------------------------------ page


def render_html(report: MonthlyReport, images: dict[str, bytes]) -> str:
    """The page, self-contained: charts are embedded, so the file opens anywhere offline."""
    main = report.main_scope
    template = _environment.get_template("laporan_bulanan.html")
    local = report.generated_local
    return template.render(
        report=report,
        main=main,
        generated=f"{local:%d-%m-%Y %H:%M} {local.tzname()}",
        glance=highlights(report),
        places=report.places,
        change=change,
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
    if needs_charts and report.places is not None:
        images["peta"] = chart_map(report)
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
