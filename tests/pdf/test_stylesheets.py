"""Naming a PDF stylesheet: one way, only an installed app's own .css files; and which are prepared at start."""

from pathlib import Path

import pytest
from django.conf import settings

from pdf import stylesheets
from pdf.stylesheets import stylesheet

ROOT = Path(settings.BASE_DIR)


def test_it_finds_a_stylesheet_in_the_projects_static_folder_for_the_app():
    assert stylesheet("plans/pdf-plan.css") == (ROOT / "static" / "plans" / "pdf-plan.css").resolve()
    assert (
        stylesheet("lessons/parents/handout.css") == (ROOT / "static/lessons/parents/handout.css").resolve()
    )


def test_it_finds_a_stylesheet_in_the_apps_own_static_folder():
    assert stylesheet("feedback/report.css") == (ROOT / "feedback/static/feedback/report.css").resolve()


@pytest.mark.parametrize(
    "name",
    [
        "/etc/ssl/openssl.cnf",
        str(ROOT / "static" / "plans" / "pdf-plan.css"),  # a path, not a name
        "plans/../feedback/report.css",
        "plans/../../config/settings.py",
        "plans\\pdf-plan.css",
        "pdf-plan.css",  # no app
        "plans/print.html",  # not a stylesheet
        "plans/fonts",
        "nosuchapp/pdf-plan.css",
        "plans/no-such-file.css",
        "feedback/pdf-plan.css",  # another app's file
    ],
)
def test_it_refuses_anything_but_an_apps_own_stylesheet(name):
    with pytest.raises(ValueError):
        stylesheet(name)


def test_it_refuses_a_link_that_leads_out_of_the_apps_static_folder(tmp_path, monkeypatch):
    outside = tmp_path / "outside.css"
    outside.write_text("body { color: red }")
    (tmp_path / "static" / "plans").mkdir(parents=True)
    (tmp_path / "static" / "plans" / "linked.css").symlink_to(outside)
    monkeypatch.setattr(stylesheets, "PROJECT_STATIC_DIR", tmp_path / "static")

    with pytest.raises(ValueError):
        stylesheet("plans/linked.css")


def test_every_app_registers_its_pdf_stylesheets_to_prepare_at_start():
    assert set(stylesheets.registered()) == {
        stylesheet("plans/pdf-plan.css"),
        stylesheet("feedback/report.css"),
        stylesheet("lessons/parents/handout.css"),
    }
