"""Exports of a results view: a CSV of the answers behind it and the pilot report PDF."""

import csv
import io

from django.template.loader import render_to_string

from feedback.models import Stage
from feedback.results import Report
from pdf.engine import render_pdf  # the shared set-up: bundled fonts, no fetches, PDF/UA
from pdf.stylesheets import stylesheet

CSV_HEADER = [
    "Group",
    "Package",
    "Version",
    "Source",
    "Stage",
    "Question key",
    "Question",
    "Answer",
    "Correct",  # yes or no, for a knowledge question's answer
]
NOT_ENOUGH = "Not enough responses yet to keep answers anonymous"
# A cell starting with one of these is read as a formula by spreadsheets; a leading quote makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPORT_STYLESHEET = stylesheet("feedback/report.css")


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_csv(report: Report) -> str:
    """One row per answer, with the same suppression as the page; answers are never linked to each other.

    Rows carry no response number, so one student's answers cannot be put back together (which would let
    a reader make breakdowns the page withholds). Starts with a byte-order mark so spreadsheets read UTF-8.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for group in report.groups:
        package = [group.title, group.package.title, group.package.version]
        for stage in group.stages:
            if not stage.shown:
                writer.writerow([_cell(v) for v in [*package, "", stage.label, "", "", NOT_ENOUGH, ""]])
        if group.plans is not None:  # counts, not answers: a row each, suppressed as on the page
            for key, label, text in [
                ("plans-made", "Plans made", group.plans.made_text),
                ("plans-downloaded", "Plans downloaded", group.plans.downloaded_text),
            ]:
                writer.writerow([_cell(v) for v in [*package, "", "Plan", key, label, text, ""]])
        for row in group.answer_rows:
            stage_label = Stage(row.stage).label
            writer.writerow(
                [
                    _cell(v)
                    for v in [
                        *package,
                        row.source,
                        stage_label,
                        row.question.key,
                        row.question.text,
                        row.answer,
                        row.correct,
                    ]
                ]
            )
    return out.getvalue()


def report_html(report: Report) -> str:
    return render_to_string("feedback/report.html", {"report": report, "scope": report.scope})


def report_pdf(report: Report) -> bytes:
    return render_pdf(report_html(report), title=report.title, stylesheets=(REPORT_STYLESHEET,))
