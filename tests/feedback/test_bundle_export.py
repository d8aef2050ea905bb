"""A school's results bundle: the suppressed figures of its sessions per package version, nothing identifying."""

import hashlib
import json
import re

import pytest
from cryptography.hazmat.primitives import serialization

from feedback.bundles import file as bundle_file
from feedback.bundles.export import bundle_for
from feedback.models import FeedbackAnswer, FeedbackResponse
from tests.builders import make_class_session
from tests.feedback.builders import answer_in_class, store_many
from tests.feedback.data import BUNDLE_FEEDBACK as FEEDBACK
from tests.feedback.data import V1_CHECKINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(alice, bob, bundled_package):
    """alice's class of five (check-in and feedback); bob's class of three; a self-guided student."""
    five = make_class_session(teacher=alice, package=bundled_package, label="Year 9, period 3")
    answer_in_class(five, V1_CHECKINS, FEEDBACK)
    FeedbackAnswer.objects.filter(text="HIDE-ME").update(hidden=True)
    three = make_class_session(teacher=bob, package=bundled_package, label="Bob's small set")
    answer_in_class(three, [], [{"kept-attention": 1, "what-change": "SMALL-GROUP-COMMENT"}] * 3)
    store_many([{"kept-attention": 1, "what-change": "SELF-GUIDED-COMMENT"}] * 6, package=bundled_package)
    return five, three


def _raw(bundle: dict) -> str:
    return bundle_file.to_json(bundle).decode()


def test_it_holds_the_figures_of_the_teachers_own_sessions(alice, school):
    bundle = bundle_for(user=alice, school="Northfield Academy")
    contents = bundle["contents"]
    assert contents["school"] == "Northfield Academy"
    assert re.fullmatch(r"\d{4}-\d{2}", contents["exported_month"])
    assert contents["minimum_group"] == 5
    assert contents["comments_included"] is False
    [version] = contents["package_versions"]
    package = school[0].package
    assert (version["slug"], version["version"], version["digest"]) == ("personal-plan", 1, package.digest)
    assert version["class_sessions"] == 1
    assert version["sessions"] == [str(school[0].reference)]  # random, so a later bundle can replace this one
    assert version["from_month"] == version["to_month"] == contents["exported_month"]
    assert version["stages"]["checkin"]["responses"] == 5
    feedback = version["stages"]["feedback"]
    assert (feedback["responses"], feedback["shown"]) == (5, True)
    attention = next(item for item in feedback["items"] if item["question"] == "kept-attention")
    assert attention == {
        "question": "kept-attention",
        "text": "It kept my attention",
        "kind": "scale",
        "answered": 5,
        "low_label": "Strongly disagree",
        "high_label": "Strongly agree",
        "distribution": [0, 1, 1, 2, 1],
        "mean": 3.6,
        "median": 4.0,
    }
    help_item = next(item for item in feedback["items"] if item["question"] == "know-where-help")
    assert help_item["options"] == [
        {"label": "Yes", "count": 2},
        {"label": "Not sure", "count": 1},
        {"label": "No", "count": 0},
    ]
    [change] = version["confidence_changes"]
    assert change["question"] == "confidence-saying-no"
    assert change["before"] == {"count": 5, "mean": 2.8, "median": 3.0}
    assert change["after"] == {"count": 5, "mean": 4.2, "median": 4.0}
    assert (change["mean_change"], change["median_change"]) == (1.4, 1.0)
    assert version["comments"] == []
    assert all(item["kind"] != "text" for item in feedback["items"])


def test_a_pilot_lead_exports_every_session_leaving_out_those_too_small_to_show(lead, school):
    [version] = bundle_for(user=lead)["contents"]["package_versions"]
    assert version["class_sessions"] == 2
    assert version["sessions"] == sorted(str(class_session.reference) for class_session in school)
    feedback = version["stages"]["feedback"]
    assert feedback["responses"] == 5  # bob's three are left out, as on the results pages
    attention = next(item for item in feedback["items"] if item["question"] == "kept-attention")
    assert attention["distribution"] == [0, 1, 1, 2, 1]


def test_a_group_under_five_gives_no_figures_and_no_comments(bob, school):
    bundle = bundle_for(user=bob, include_comments=True)
    [version] = bundle["contents"]["package_versions"]
    for stage in ("checkin", "feedback"):
        assert version["stages"][stage] == {"responses": 0, "shown": False, "items": []}
    assert version["confidence_changes"] == []
    assert version["comments"] == []
    assert "SMALL-GROUP-COMMENT" not in _raw(bundle)


def test_comments_are_left_out_unless_chosen_and_never_hidden_or_from_small_groups(lead, school):
    assert "More on blocking" not in _raw(bundle_for(user=lead))
    bundle = bundle_for(user=lead, include_comments=True)
    raw = _raw(bundle)
    [version] = bundle["contents"]["package_versions"]
    [block] = version["comments"]
    assert block["question"] == "what-change"
    assert sorted(block["comments"]) == ["More on blocking", "Shorter story"]
    assert "HIDE-ME" not in raw
    assert "SMALL-GROUP-COMMENT" not in raw
    assert "SELF-GUIDED-COMMENT" not in raw


def test_nothing_in_it_identifies_a_teacher_a_class_a_student_or_a_day(lead, alice, bob, school):
    raw = _raw(bundle_for(user=lead, school="", include_comments=True))
    five, three = school
    for secret in [
        "alice",
        "bob",
        "lead",
        "Year 9, period 3",
        "Bob's small set",
        five.join_code,
        three.join_code,
    ]:
        assert secret not in raw, secret
    for response in FeedbackResponse.objects.all():
        assert response.token_hash not in raw
        assert str(response.id) not in raw
    for answer in FeedbackAnswer.objects.all():
        assert str(answer.id) not in raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}", raw)  # no day, no time: months only
    assert not re.search(r"\d{1,2}:\d{2}", raw)
    assert f'"{five.pk}"' not in raw

    def keys(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield key
                yield from keys(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from keys(inner)

    every_key = set(keys(json.loads(raw)))
    assert every_key == {
        *("format", "format_version", "contents", "checksum", "school", "exported_month", "minimum_group"),
        *("public_key", "signature"),
        *("comments_included", "package_versions", "slug", "version", "digest", "title", "class_sessions"),
        "sessions",
        *("from_month", "to_month", "stages", "checkin", "feedback", "responses", "shown", "items"),
        *("question", "text", "kind", "answered", "low_label", "high_label", "distribution", "mean"),
        *("median", "options", "label", "count", "confidence_changes", "before", "after", "mean_change"),
        *("median_change", "comments"),
        *("plans", "made", "downloaded"),  # each null here: fewer than 5 joined the class
    }


def test_it_is_signed_by_this_servers_key_over_its_canonical_contents(alice, school, signing_key_file):
    bundle = bundle_for(user=alice, school="Northfield Academy")
    unsigned = {key: value for key, value in bundle.items() if key not in ("checksum", "signature")}
    canonical = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert bundle["checksum"] == hashlib.sha256(canonical).hexdigest()
    key = serialization.load_pem_private_key(signing_key_file.read_bytes(), password=None)
    assert bundle["public_key"] == key.public_key().public_bytes_raw().hex()
    key.public_key().verify(bytes.fromhex(bundle["signature"]), canonical)  # raises if it does not verify
    assert bundle_file.read_bundle(bundle_file.to_json(bundle)) == bundle


def test_a_teacher_without_sessions_exports_an_empty_bundle(bob, bundled_package):
    assert bundle_for(user=bob)["contents"]["package_versions"] == []


def test_the_export_page_lists_what_the_file_holds_and_downloads_it(client, alice, school):
    client.force_login(alice)
    page = client.get("/feedback/bundles/export/")
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "Personal Plan: if someone asks you for a nude, version 1 1" in text
    assert "teachers' names, class names, join codes" in text

    response = client.post("/feedback/bundles/export/", {"school": "Northfield Academy, Year 9 team"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    month = bundle_for(user=alice)["contents"]["exported_month"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="results-bundle-northfield-academy-year-9-team-{month}.json"'
    )
    bundle = bundle_file.read_bundle(response.content)
    assert bundle["contents"]["school"] == "Northfield Academy, Year 9 team"
    assert bundle["contents"]["package_versions"][0]["stages"]["feedback"]["responses"] == 5


def test_the_export_page_shows_a_group_too_small_to_include(client, bob, school):
    client.force_login(bob)
    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/feedback/bundles/export/").content.decode()).split())
    assert "version 1 1 " in text
    assert text.count("Too few to include") == 4  # check-ins, feedback, plans made and plans downloaded


def test_the_export_needs_a_login(client, school):
    response = client.get("/feedback/bundles/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/feedback/bundles/export/", {"school": "x"}).status_code == 302
