"""Plans made and downloaded in the comparison of two versions: each version's share of the students who joined
its class sessions, the difference with Newcombe's 95% interval, and no share for self-guided lessons."""

import re

import pytest

from feedback import compare
from lessons.models import ClassSession, PlanCount
from tests.builders import make_class_session
from tests.feedback.builders import publish_next_version

pytestmark = pytest.mark.django_db

URL = "/feedback/results/compare/personal-plan/"


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _class(teacher, package, *, joined: int, made: int, downloaded: int = 0, label: str = "A class"):
    class_session = make_class_session(teacher=teacher, package=package, label=label)
    ClassSession.objects.filter(pk=class_session.pk).update(
        max_students=max(joined, 1), students_joined=joined
    )
    if made or downloaded:
        PlanCount.objects.create(
            package=package, class_session=class_session, made=made, downloaded=downloaded
        )
    return class_session


@pytest.fixture
def version_2(bundled_package):
    return publish_next_version(bundled_package)


def test_plans_made_compare_as_shares_of_the_students_who_joined(alice, bob, bundled_package, version_2):
    """48 of 80 against 56 of 70: Newcombe (1998) table II's first example, +20 points (0.0524 to 0.3339)."""
    _class(alice, bundled_package, joined=50, made=30, downloaded=10)
    _class(alice, bundled_package, joined=30, made=18, downloaded=0, label="Another class")
    _class(bob, version_2, joined=70, made=56, downloaded=9)

    made, downloaded = compare.compare_versions(bundled_package, version_2).plans

    assert made.label == "Plans made"
    assert [(cell.share.count, cell.share.joined) for cell in made.cells] == [(48, 80), (56, 70)]
    assert [cell.text for cell in made.cells] == [
        "48 of 80 students who joined (60%)",
        "56 of 70 students who joined (80%)",
    ]
    assert (made.difference.estimate, made.difference.low, made.difference.high) == pytest.approx(
        (0.2000, 0.0524, 0.3339), abs=0.00005
    )
    assert made.difference.tells and made.difference.verdict == "higher"
    # 10 of 80 against 9 of 70: an interval that includes no change
    assert [(cell.share.count, cell.share.joined) for cell in downloaded.cells] == [(10, 80), (9, 70)]
    assert downloaded.difference.verdict == "too few answers to tell"


def test_the_page_shows_the_rows_with_their_intervals(client, lead, alice, bob, bundled_package, version_2):
    _class(alice, bundled_package, joined=80, made=48, downloaded=20)
    _class(bob, version_2, joined=70, made=56, downloaded=7)
    client.force_login(lead)
    text = _text(client.get(URL, {"first": 1, "second": 2}))
    assert (
        "Plans made 48 of 80 students who joined (60%) 56 of 70 students who joined (80%) "
        "+20 points (95% interval +5 to +33) higher in version 2" in text
    )
    assert "Plans downloaded 20 of 80 students who joined (25%) 7 of 70 students who joined (10%)" in text
    assert "lower in version 2" in text[text.index("Plans downloaded") :]


def test_fewer_than_twenty_joined_on_a_side_is_too_few_to_tell(alice, bob, bundled_package, version_2):
    """5 of 19 against 19 of 19: an interval clear of no change, but fewer than 20 students on each side."""
    _class(alice, bundled_package, joined=19, made=5)
    _class(bob, version_2, joined=19, made=19)
    made, _ = compare.compare_versions(bundled_package, version_2).plans
    assert made.difference.low > 0
    assert not made.difference.tells
    assert made.difference.verdict == "too few answers to tell"


def test_a_class_whose_count_is_withheld_is_left_out_of_both_sides_of_the_share(
    alice, bob, bundled_package, version_2
):
    _class(alice, bundled_package, joined=30, made=20)
    _class(alice, bundled_package, joined=25, made=3, label="Small count")  # "fewer than 5" on its own page
    _class(alice, bundled_package, joined=20, made=0, label="No plans")  # none: nothing to withhold
    _class(bob, version_2, joined=30, made=30)
    made, _ = compare.compare_versions(bundled_package, version_2).plans
    assert (made.cells[0].share.count, made.cells[0].share.joined) == (20, 50)


def test_a_share_never_goes_above_all_who_joined(alice, bob, bundled_package, version_2):
    """A device that joins its class again starts a new lesson without a new place, so a class can count more
    plans than students joined: each class's count is capped at its students."""
    _class(alice, bundled_package, joined=20, made=23)
    _class(bob, version_2, joined=20, made=10)
    made, _ = compare.compare_versions(bundled_package, version_2).plans
    assert made.cells[0].text == "20 of 20 students who joined (100%)"


def test_self_guided_plans_are_counts_with_no_share(client, lead, bundled_package, version_2):
    PlanCount.objects.create(package=bundled_package, class_session=None, made=40, downloaded=12)
    PlanCount.objects.create(package=version_2, class_session=None, made=3, downloaded=0)
    made, downloaded = compare.compare_versions(bundled_package, version_2, self_guided=True).plans
    assert [cell.text for cell in made.cells] == ["40", "fewer than 5"]
    assert [cell.text for cell in downloaded.cells] == ["12", "none yet"]
    assert made.difference is None and downloaded.difference is None
    client.force_login(lead)
    text = _text(client.get(URL, {"first": 1, "second": 2, "group": "self-guided"}))
    assert "Plans made 40 fewer than 5 – no share: self-guided lessons have no count of students" in text
    assert "nobody joins a self-guided lesson" in text
