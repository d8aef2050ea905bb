"""Importing schools' bundles: all or nothing, counted once, and refused when altered or malformed."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from feedback.bundles import combined as bundle_combined
from feedback.bundles import export as bundle_export
from feedback.bundles import file as bundle_file
from feedback.bundles import importing as bundle_importing
from feedback.bundles import keys as bundle_keys
from feedback.bundles.file import BundleError
from feedback.models import BundleComment, BundleItem, BundleVersion, FeedbackAnswer, ResultsBundle
from tests.builders import make_class_session
from tests.feedback.builders import answer_in_class
from tests.feedback.data import BUNDLE_FEEDBACK as FEEDBACK
from tests.feedback.data import V1_CHECKINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(alice, bundled_package) -> dict:
    """alice's class of five, exported with its comments as "Northfield Academy"."""
    class_session = make_class_session(teacher=alice, package=bundled_package)
    answer_in_class(class_session, V1_CHECKINS, FEEDBACK)
    FeedbackAnswer.objects.filter(text="HIDE-ME").update(hidden=True)
    return bundle_export.bundle_for(user=alice, school="Northfield Academy", include_comments=True)


def _stored() -> list[int]:
    return [model.objects.count() for model in (ResultsBundle, BundleVersion, BundleItem, BundleComment)]


def _resealed(bundle: dict, change) -> bytes:
    """The bundle with its contents changed and signed again by this server, so only the checks on the
    contents can refuse it."""
    contents = copy.deepcopy(bundle["contents"])
    change(contents)
    return bundle_file.to_json(bundle_file.seal(contents, bundle_keys.private_key()))


def test_it_stores_the_bundle_figures(bundle):
    stored, created = bundle_importing.bundle_import(raw=bundle_file.to_json(bundle))
    assert created
    assert (stored.school, stored.checksum, stored.minimum_group) == (
        "Northfield Academy",
        bundle["checksum"],
        5,
    )
    [version] = stored.versions.all()
    assert (version.slug, version.version, version.digest) == (
        "personal-plan",
        1,
        bundle["contents"]["package_versions"][0]["digest"],
    )
    assert (version.class_sessions, version.checkin_responses, version.feedback_responses) == (1, 5, 5)
    attention = version.items.get(stage="feedback", question_key="kept-attention")
    assert (attention.answered, attention.distribution) == (5, [0, 1, 1, 2, 1])
    assert version.items.get(stage="feedback", question_key="know-where-help").options == [
        ["Yes", 2],
        ["Not sure", 1],
        ["No", 0],
    ]
    assert sorted(version.comments.values_list("text", flat=True)) == ["More on blocking", "Shorter story"]


def test_importing_the_same_bundle_twice_counts_it_once(bundle):
    first, created = bundle_importing.bundle_import(raw=bundle_file.to_json(bundle))
    counts = _stored()
    # The same bundle saved differently (no indentation, keys in another order) is still the same bundle.
    compact = json.dumps(dict(reversed(list(bundle.items()))), separators=(",", ":")).encode()
    for raw in [bundle_file.to_json(bundle), compact]:
        again, created = bundle_importing.bundle_import(raw=raw)
        assert not created
        assert again.pk == first.pk
    assert _stored() == counts


def test_an_altered_bundle_is_refused_and_nothing_is_imported(bundle):
    altered = copy.deepcopy(bundle)
    attention = next(
        item
        for item in altered["contents"]["package_versions"][0]["stages"]["feedback"]["items"]
        if item["question"] == "kept-attention"
    )
    attention["distribution"] = [0, 0, 1, 2, 2]
    with pytest.raises(BundleError, match="The signature does not match the contents"):
        bundle_importing.bundle_import(raw=bundle_file.to_json(altered))
    renamed = copy.deepcopy(bundle)
    renamed["contents"]["school"] = "Another School"
    with pytest.raises(BundleError, match="The signature does not match"):
        bundle_importing.bundle_import(raw=bundle_file.to_json(renamed))
    assert _stored() == [0, 0, 0, 0]


def _version(contents):
    return contents["package_versions"][0]


def _feedback(contents):
    return _version(contents)["stages"]["feedback"]


def _attention(contents):
    return next(item for item in _feedback(contents)["items"] if item["question"] == "kept-attention")


MALFORMED = {
    "a count given as text": (
        lambda c: _feedback(c).update(responses="5"),
        "stages.feedback.responses: expected a whole number",
    ),
    "a true/false for a count": (
        lambda c: _attention(c).update(answered=True),
        "answered: expected a whole number",
    ),
    "a negative count": (
        lambda c: _attention(c).update(distribution=[0, -1, 2, 2, 2]),
        "distribution[1]: -1 is out of range",
    ),
    "four counts for a 1 to 5 question": (
        lambda c: _attention(c).update(distribution=[1, 1, 2, 1]),
        "expected five counts",
    ),
    "counts that do not add up": (
        lambda c: _attention(c).update(distribution=[0, 1, 1, 2, 2]),
        "the counts add up to 6, not to answered (5)",
    ),
    "a mean that is not the distribution's": (
        lambda c: _attention(c).update(mean=4.9),
        "mean: 4.9 does not match the distribution",
    ),
    "a mean out of range": (lambda c: _attention(c).update(mean=7), "mean: 7 is out of range"),
    "more answers than responses": (
        lambda c: _attention(c).update(answered=6, distribution=[1, 1, 1, 2, 1], mean=2.8333, median=3.0),
        "answered: 6 is out of range (0 to 5)",
    ),
    "figures for a group under its minimum": (
        lambda c: _feedback(c).update(responses=4),
        "4 is under the bundle's own minimum of 5",
    ),
    "figures in a stage marked too small": (
        lambda c: _feedback(c).update(shown=False),
        "figures for a group too small to show",
    ),
    "comments when the bundle says there are none": (
        lambda c: c.update(comments_included=False),
        "comments in a bundle that says it includes none",
    ),
    "a day in a month field": (
        lambda c: c.update(exported_month="2025-06-14"),
        "exported_month: '2025-06-14' is not a year and month such as 2025-06",
    ),
    "a thirteenth month": (
        lambda c: _version(c).update(from_month="2025-13"),
        "from_month: '2025-13' is not a year and month such as 2025-06",
    ),
    "a digest that is not SHA-256": (
        lambda c: _version(c).update(digest="abc"),
        "digest: 'abc' is not a SHA-256 digest",
    ),
    "an unexpected field": (lambda c: _version(c).update(teacher="alice"), "unexpected teacher"),
    "a missing field": (lambda c: _version(c).pop("stages"), "missing stages"),
    "the same version twice": (
        lambda c: c["package_versions"].append(copy.deepcopy(_version(c))),
        "personal-plan version 1 appears twice",
    ),
    "an unknown kind of question": (lambda c: _attention(c).update(kind="text"), "kind: expected one of"),
    "no package versions": (lambda c: c.update(package_versions=[]), "holds no package versions"),
    "a change that does not match": (
        lambda c: _version(c)["confidence_changes"][0].update(mean_change=2.0),
        "mean_change: does not match the means",
    ),
    "empty contents": (lambda c: c.clear(), "missing comments_included"),
    "a question key with spaces": (lambda c: _attention(c).update(question="kept attention"), "is not a key"),
    "no session references": (lambda c: _version(c).pop("sessions"), "missing sessions"),
    "fewer references than class sessions": (
        lambda c: _version(c).update(sessions=[]),
        "sessions: 0 references for 1 class sessions",
    ),
    "a session listed twice": (
        lambda c: _version(c).update(sessions=_version(c)["sessions"] * 2, class_sessions=2),
        "sessions: a class session is listed twice",
    ),
    "a reference that is not a UUID": (
        lambda c: _version(c).update(sessions=["Year 9, period 3"]),
        "sessions[0]: 'Year 9, period 3' is not a class session reference",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_bundle_is_refused_with_a_clear_error_and_nothing_is_imported(bundle, case):
    change, message = MALFORMED[case]
    with pytest.raises(BundleError, match="^The bundle (is malformed at contents|holds no)") as error:
        bundle_importing.bundle_import(raw=_resealed(bundle, change))
    assert message in str(error.value)
    assert _stored() == [0, 0, 0, 0]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "it is not valid JSON"),
        (b"\xff\xfe not text", "it is not valid JSON"),
        (b"slug: personal-plan\nversion: 1\n", "it is not valid JSON"),
        (b"[1, 2, 3]", "The file is not a results bundle"),
        (b'{"format": "something-else"}', "The file is not a results bundle"),
        (
            b'{"format": "personal-plan-results-bundle", "format_version": 1, "contents": {}, "checksum": ""}',
            "format version 1; this server reads versions 3 to 5, which are signed",
        ),
        (
            b'{"format": "personal-plan-results-bundle", "format_version": 3, "contents": {}}',
            "missing checksum, public_key, signature",
        ),
        (
            b'{"format": "personal-plan-results-bundle", "format_version": 1, "contents": NaN, "checksum": ""}',
            "not valid JSON",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "it is not valid JSON"),
        (b" " * (bundle_file.MAX_BYTES + 1), "larger than a results bundle can be"),
    ],
)
def test_a_file_that_is_not_a_bundle_is_refused(raw, message, db):
    with pytest.raises(BundleError, match=message):
        bundle_importing.bundle_import(raw=raw)
    assert _stored() == [0, 0, 0, 0]


def test_nothing_is_kept_when_storing_fails_part_way(bundle, monkeypatch):
    def second_version(contents):
        extra = copy.deepcopy(_version(contents))
        extra["version"] = 2
        contents["package_versions"].append(extra)

    raw = _resealed(bundle, second_version)
    calls = []
    store = bundle_importing._store_version

    def failing(stored, figures):
        calls.append(figures["version"])
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        store(stored, figures)

    monkeypatch.setattr(bundle_importing, "_store_version", failing)
    with pytest.raises(RuntimeError):
        bundle_importing.bundle_import(raw=raw)
    assert calls == [1, 2]
    assert _stored() == [0, 0, 0, 0]


def test_a_version_unknown_here_is_kept_by_slug_version_and_digest(bundle):
    def elsewhere(contents):
        _version(contents).update(slug="county-remix", version=3, digest="d" * 64, title="A county remix")

    stored, created = bundle_importing.bundle_import(raw=_resealed(bundle, elsewhere))
    assert created
    [version] = stored.versions.all()
    assert (version.slug, version.version, version.digest) == ("county-remix", 3, "d" * 64)
    [listed] = bundle_combined.combined_versions()
    assert (listed.slug, listed.version, listed.on_this_server, listed.schools) == (
        "county-remix",
        3,
        False,
        1,
    )


def test_the_command_imports_once_and_refuses_a_bad_file(bundle, tmp_path, capsys):
    path = tmp_path / "bundle.json"
    path.write_bytes(bundle_file.to_json(bundle))
    call_command("import_results_bundle", str(path))
    assert "Imported the results bundle from Northfield Academy" in capsys.readouterr().out
    call_command("import_results_bundle", str(path))
    assert "Already imported, nothing changed" in capsys.readouterr().out
    assert ResultsBundle.objects.count() == 1

    altered = tmp_path / "altered.json"
    altered.write_text(bundle_file.to_json(bundle).decode().replace('"Northfield Academy"', '"Elsewhere"'))
    with pytest.raises(CommandError, match="nothing was imported. The signature does not match"):
        call_command("import_results_bundle", str(altered))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_results_bundle", str(tmp_path / "missing.json"))
    assert ResultsBundle.objects.count() == 1
