"""The report as PDF: WeasyPrint lays out an HTML template (fonts from the system, nothing
fetched: any URL the template might name is refused)."""

from pathlib import Path

from flask import render_template
from weasyprint import CSS, HTML

from reports.content import MonthlyReport


def _no_fetching(url: str, *args, **kwargs):
    # The template names no image, font or style sheet by URL; nothing may be loaded from one.
    raise ValueError(f"the report loads nothing: {url}")


STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "report-pdf.css"


def render_pdf(report: MonthlyReport) -> bytes:
    html = render_template("reports/monthly.html", r=report, d=report.data)
    document = HTML(string=html, url_fetcher=_no_fetching)
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
