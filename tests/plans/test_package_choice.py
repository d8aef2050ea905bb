"""Which package a plan is built from: the lesson's, else the newest version of the bundled package."""

import shutil
from pathlib import Path

from lessons.package_file import load_package_file
from tests.builders import BUNDLED_PACKAGE, join_class, make_class_session, start_self_guided
from tests.plans.builders import post_part


def offered_strategies(client) -> list[str]:
    return [key for key, _ in client.get("/plan/strategies/").context["form"].fields["strategies"].choices]


def test_it_uses_the_self_guided_lessons_package(client, bundled_package, mini_package):
    start_self_guided(client, mini_package)
    assert offered_strategies(client) == ["say-no", "humour"]
    post_part(client, "strategies", {"strategies": ["humour"]})
    assert client.session["plan"]["package"] == mini_package.pk
    assert "Here is a potato instead." in client.get("/plan/lines/").content.decode()


def test_it_uses_the_class_sessions_package(client, bundled_package, mini_package, alice):
    join_class(client, make_class_session(teacher=alice, package=mini_package))
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert client.session["plan"]["package"] == mini_package.pk


def test_it_uses_the_newest_bundled_package_without_a_lesson(client, bundled_package, mini_package, tmp_path):
    newer = Path(tmp_path) / "personal-plan-v2.yaml"
    newer.write_text(BUNDLED_PACKAGE.read_text().replace("version: 1\n", "version: 2\n", 1))
    shutil.copytree(BUNDLED_PACKAGE.parent / "art", Path(tmp_path) / "art")  # its pictures, beside it
    version_2 = load_package_file(newer).package
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert client.session["plan"]["package"] == version_2.pk


def test_it_is_reachable_from_the_home_page_and_the_end_of_the_story(client, bundled_package):
    assert 'href="/plan/"' in client.get("/").content.decode()
    start_self_guided(client, bundled_package)
    last = bundled_package.steps.filter(detour=False).order_by("position").last()
    assert (
        'href="/plan/" rel="next">Next: make your plan' in client.get(f"/lesson/{last.key}/").content.decode()
    )


def test_it_keeps_the_package_a_plan_was_started_with(client, bundled_package, mini_package):
    post_part(client, "strategies", {"strategies": ["say-no"]})
    start_self_guided(client, mini_package)
    assert client.session["plan"]["package"] == bundled_package.pk
    assert "change-subject" in offered_strategies(client)
