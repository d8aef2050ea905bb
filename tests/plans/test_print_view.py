"""The print view: the same plan as an HTML page with print styles, and plan pages with no inline code."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.plans.builders import PARTS, build_plan


def test_it_shows_the_plan_and_pocket_card_ready_to_print(client, bundled_package):
    build_plan(client, bundled_package)
    page = client.get("/plan/print/").content.decode()
    assert "No way. I&#x27;m not sending that, Jo." in page
    assert "My pocket card" in page
    assert "0800 1111" in page
    assert 'href="/static/plans/plans.css"' in page
    assert "@media print" in Path(finders.find("plans/plans.css")).read_text()


def test_it_keeps_the_quick_exit_on_every_plan_page(client, bundled_package):
    build_plan(client, bundled_package)
    for url in ["/plan/", *[f"/plan/{key}/" for key in PARTS], "/plan/summary/", "/plan/print/"]:
        assert "data-quick-exit" in client.get(url).content.decode(), url


def test_it_has_no_inline_styles_or_scripts_on_any_plan_page(client, bundled_package):
    build_plan(client, bundled_package)
    for url in ["/plan/", *[f"/plan/{key}/" for key in PARTS], "/plan/summary/", "/plan/print/"]:
        page = client.get(url).content.decode()
        assert " style=" not in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url


def test_it_never_marks_text_safe_in_plan_templates():
    folder = Path(__file__).resolve().parents[2] / "templates" / "plans"
    for template in folder.rglob("*.html"):
        source = template.read_text()
        assert "|safe" not in source and "autoescape off" not in source, template
