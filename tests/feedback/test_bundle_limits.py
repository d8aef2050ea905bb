"""Bundles cannot make the pilot lead's server do unbounded work: counts must add up within stated limits, and
combined figures are worked out from counts, never by expanding them into one value per answer."""

import re

import pytest

from feedback import stats
from feedback.bundles import combined as bundle_combined
from feedback.bundles import file as bundle_file
from feedback.bundles import importing as bundle_importing
from feedback.bundles.file import BundleError
from feedback.models import ResultsBundle
from tests.feedback.builders import bundle_contents, bundle_version, options_item, scale_item, signed

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


def test_the_amplification_bundle_is_refused_with_a_clear_message():
    """The attack: 100 questions of 100 answers each counted 1,000,000 times (776 kB)."""
    questions = [options_item(f"q{n}", "useful_steps", MILLION, [MILLION] * 100) for n in range(100)]
    raw = signed(bundle_contents("Attack", bundle_version(responses=MILLION, checkin=[], feedback=questions)))
    assert len(raw) < bundle_file.MAX_BYTES
    with pytest.raises(BundleError) as refusal:
        bundle_importing.bundle_import(raw=raw)
    assert str(refusal.value) == (
        "The bundle is malformed at contents.package_versions[0].stages.feedback.items[0].options: "
        "more than 50 entries."
    )
    assert not ResultsBundle.objects.exists()


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (
            bundle_version(feedback=[options_item("year", "year_group", 5, [5, 5])]),
            "items[0].options: the counts add up to 10, not to answered (5)",
        ),
        (
            bundle_version(feedback=[options_item("like", "choice", 5, [1, 1])]),
            "items[0].options: the counts add up to 2, not to answered (5)",
        ),
        (
            bundle_version(feedback=[options_item("steps", "useful_steps", 5, [6, 1])]),
            "items[0].options[0].count: 6 is out of range (0 to 5)",
        ),
        (
            bundle_version(
                feedback=[
                    {
                        **options_item("like", "choice", 5, [3, 2]),
                        "options": [{"label": "Yes", "count": 3}] * 2,
                    }
                ]
            ),
            "items[0].options[1].label: the same answer is counted twice",
        ),
        (bundle_version(responses=MILLION + 1), "stages.checkin.responses: 1000001 is out of range"),
        (
            bundle_version(
                checkin=[scale_item(f"c{n}", [1, 1, 1, 1, 1]) for n in range(51)],
                feedback=[scale_item(f"f{n}", [1, 1, 1, 1, 1]) for n in range(50)],
            ),
            "stages: more than 100 questions in check-in and feedback together",
        ),
        (
            bundle_version(feedback=[options_item("steps", "useful_steps", 5, [1] * 51)]),
            "items[0].options: more than 50 entries",
        ),
    ],
    ids=[
        "year groups over answered",
        "choices under answered",
        "a step over answered",
        "one answer twice",
        "a million and one",
        "101 questions",
        "51 answers",
    ],
)
def test_counts_that_do_not_add_up_or_exceed_the_limits_are_refused(version, message):
    with pytest.raises(BundleError) as refusal:
        bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy", version)))
    assert message in str(refusal.value)
    assert not ResultsBundle.objects.exists()


def test_more_package_versions_than_the_limit_are_refused():
    versions = [{**bundle_version(), "version": n} for n in range(1, bundle_file.LIMITS["versions"] + 2)]
    with pytest.raises(BundleError, match=r"contents\.package_versions: more than 100 entries"):
        bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy", *versions)))


def _version_in_millions() -> dict:
    """The most a version may hold: a million responses, 100 questions, 50 steps each counted a million
    times. Expanded into one value per answer, three schools of these would be 3.75 billion values."""
    checkin = [scale_item(f"scale-{n}", [200_000] * 5) for n in range(50)]
    feedback = [scale_item(f"scale-{n}", [100_000, 100_000, 200_000, 300_000, 300_000]) for n in range(25)]
    feedback += [options_item(f"steps-{n}", "useful_steps", MILLION, [MILLION] * 50) for n in range(25)]
    return bundle_version(sessions=3, responses=MILLION, checkin=checkin, feedback=feedback)


def test_a_large_but_valid_bundles_combined_figures_are_worked_out_from_counts(client, lead):
    for school in ("Ashby School", "Brook College", "Carr Academy"):
        bundle_importing.bundle_import(raw=signed(bundle_contents(school, _version_in_millions())))
    combined = bundle_combined.combined_result(slug="hand-made", version=1, digest="a" * 64)
    assert (combined.checkin.responses, combined.feedback.responses) == (3 * MILLION, 3 * MILLION)
    scale = combined.feedback.items[0].scale
    assert scale.distribution == (300_000, 300_000, 600_000, 900_000, 900_000)
    assert (scale.mean, scale.median) == (pytest.approx(3.6), 4.0)
    steps = combined.feedback.items[-1]
    assert [option.count for option in steps.options] == [3 * MILLION] * 50
    assert len(combined.changes) == 25
    assert combined.changes[0].change.mean_change == pytest.approx(0.6)

    client.force_login(lead)
    response = client.get("/feedback/bundles/results/hand-made/1/" + "a" * 64 + "/")
    assert response.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "Check-in 3000000 responses." in text, text[:2000]


@pytest.mark.parametrize(
    "distribution",
    [[1, 0, 0, 0, 0], [0, 2, 0, 0, 1], [1, 1, 1, 1], [3, 0, 0, 0, 3], [0, 0, 5, 0, 0], [2, 0, 1, 7, 4]],
)
def test_means_and_medians_from_counts_match_those_of_the_answers(distribution):
    distribution = [*distribution, 0][:5]
    answers = [point for point, count in zip(range(1, 6), distribution, strict=True) for _ in range(count)]
    assert stats.summarise_distribution(distribution) == stats.summarise_scale(answers)
