"""One route through the lesson, the same for a class and on one's own: ground rules → check-in (step 1) → the
story (steps 2 to n+1) → the plan (n+2) → feedback (the last step) → the end. Read from the pages a student
follows, by the links and buttons on them."""

import re

import pytest

from lessons.walkthrough import Route, route_for
from tests.builders import join_class, make_class_session, start_self_guided, walk_lesson
from tests.feedback.builders import give
from tests.plans.builders import post_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_session(alice, bundled_package):
    return make_class_session(teacher=alice, package=bundled_package)


def _progress(page: str) -> str:
    found = re.search(r'id="progress-label">(Step \d+ of \d+)', page)
    return found.group(1) if found else ""


def _primary_links(page: str) -> list[tuple[str, str]]:
    """(address, text) of every primary button-link on a page, the page's main action first."""
    return re.findall(r'<a class="btn btn-primary" href="([^"]+)"[^>]*>([^<]+)</a>', page)


def test_route_numbers_the_check_in_first_and_the_feedback_last(mini_package):
    route = route_for(mini_package.pk)
    assert route.total == 5  # the mini package's main story steps
    assert route.lesson_total == 8
    assert Route.CHECKIN_NUMBER == 1
    assert [route.lesson_number(step) for step in route.main] == [2, 3, 4, 5, 6]
    assert route.plan_number == 7
    assert route.feedback_number == route.lesson_total == 8
    detour = next(step for step in route.steps if step.detour)
    choice = route.find("what-now")
    assert route.lesson_number(detour) == route.lesson_number(choice)  # an ending shares its choice's number


@pytest.mark.parametrize("way", ["class", "self-guided"])
def test_the_pages_number_the_whole_route_the_same_in_a_class_and_on_ones_own(
    client, way, class_session, bundled_package
):
    if way == "class":
        join_class(client, class_session)
    else:
        start_self_guided(client, bundled_package)
    route = route_for(bundled_package.pk)
    total = route.lesson_total
    assert total == route.total + 3

    rules = client.get("/lesson/").content.decode()
    assert _primary_links(rules)[0] == ("/feedback/check-in/", "Next: a quick check-in")
    assert "Start step 1" not in rules

    checkin = client.get("/feedback/check-in/").content.decode()
    assert _progress(checkin) == f"Step 1 of {total}"
    first = route.first
    assert f'href="/lesson/{first.key}/">Skip the check-in and start the story</a>' in checkin

    for number, step in enumerate(route.main, start=2):
        page = client.get(f"/lesson/{step.key}/").content.decode()
        assert _progress(page) == f"Step {number} of {total}", step.key
    assert ("/plan/", "Next: make your plan") in _primary_links(page)  # the story's last step

    plan = client.get("/plan/").content.decode()
    assert _progress(plan) == f"Step {total - 1} of {total}"
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert f"Step {total - 1} of {total}: my plan" in client.get("/plan/lines/").content.decode()

    summary = client.get("/plan/summary/").content.decode()
    assert _progress(summary) == f"Step {total - 1} of {total}"
    assert _primary_links(summary) == [("/feedback/", "Next: tell us what you thought")]

    feedback = client.get("/feedback/").content.decode()
    assert _progress(feedback) == f"Step {total} of {total}"
    sent = client.post("/feedback/", {"kept-attention": "4"})
    assert sent.url == "/feedback/thanks/"
    end = client.get(sent.url).content.decode()
    assert "That is the end of the lesson." in end
    assert 'href="/help/"' in end and "0800 1111" in end


def test_sending_the_check_in_leads_on_to_the_storys_first_step(client, class_session):
    join_class(client, class_session)
    first = route_for(class_session.package_id).first
    sent = give(client, "checkin", **{"confidence-saying-no": "3"})
    assert sent.url == f"/lesson/{first.key}/"
    again = give(client, "checkin")  # sent again: nothing changes, and it still leads on
    assert again.url == f"/lesson/{first.key}/"


def test_the_end_reminds_a_student_with_a_plan_to_download_it(client, class_session):
    join_class(client, class_session)
    walk_lesson(client)
    give(client, walk=False, **{"kept-attention": "4"})
    assert 'href="/plan/download/"' not in client.get("/feedback/thanks/").content.decode()  # no plan

    post_part(client, "strategies", {"strategies": ["say-no"]})
    end = client.get("/feedback/thanks/").content.decode()
    assert "Keep your plan" in end and 'href="/plan/download/"' in end
    closing = client.get("/lesson/end/").content.decode()  # the live lesson's closing slide
    assert 'href="/plan/download/"' in closing and 'href="/help/"' in closing


def test_going_straight_to_the_plan_ends_at_the_same_feedback_step(client, bundled_package):
    home = client.get("/").content.decode()
    assert 'href="/plan/">Go straight to making my plan' in home
    assert "Step" not in _progress(client.get("/plan/").content.decode())  # no lesson yet: no step number
    post_part(client, "strategies", {"strategies": ["say-no"]})
    summary = client.get("/plan/summary/").content.decode()
    assert _primary_links(summary) == [("/feedback/", "Next: tell us what you thought")]

    total = route_for(bundled_package.pk).lesson_total
    feedback = client.get("/feedback/")
    assert feedback.status_code == 200
    page = feedback.content.decode()
    assert _progress(page) == f"Step {total} of {total}"
    assert 'name="would-use-plan"' in page  # they made a plan
    assert client.post("/feedback/", {"would-use-plan": "4"}).url == "/feedback/thanks/"
