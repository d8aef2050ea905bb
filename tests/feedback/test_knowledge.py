"""Knowledge questions in feedback: asked as True / False / Not sure, scored as the share giving the right answer
before and after the lesson (summary, details, CSV, comparison of versions with a 95% interval, bundles); the
year-group breakdown from the class session; short names for the most useful parts."""

import csv
import io
import re

import pytest

from feedback import compare, results, summary
from feedback.bundles import combined as bundle_combined
from feedback.bundles import export as bundle_export
from feedback.bundles import file as bundle_file
from feedback.bundles import importing as bundle_importing
from feedback.bundles.file import BundleError
from feedback.export import CSV_HEADER
from feedback.models import BundleItem, FeedbackAnswer, Stage
from lessons.services import class_session_open
from tests.builders import join_class, make_class_session, walk_lesson
from tests.feedback.builders import answer_in_class, give, publish_next_version, sealed_bundle, store_many

pytestmark = pytest.mark.django_db

LAW = "law-under-18"  # true
PAYING = "paying-stops-it"  # false
LAW_TEXT = "It is against the law to share a nude of someone under 18, even of yourself."

# Five students: before the lesson 2 of 5 know the law is true (40%) and 1 of 5 that paying does not make it
# stop (20%); after it 4 of 5 (80%) and 5 of 5 (100%). "Not sure" is never the right answer.
CHECKINS = [
    {LAW: "True", PAYING: "True"},
    {LAW: "False", PAYING: "Not sure"},
    {LAW: "Not sure", PAYING: "True"},
    {LAW: "Not sure", PAYING: "False"},
    {LAW: "True", PAYING: "Not sure"},
]
FEEDBACK = [
    {LAW: "True", PAYING: "False", "confidence-saying-no": 4},
    {LAW: "True", PAYING: "False", "confidence-saying-no": 5},
    {LAW: "True", PAYING: "False", "confidence-saying-no": 3},
    {LAW: "True", PAYING: "False"},
    {LAW: "Not sure", PAYING: "False"},
]


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def knowledge_class(alice, current_package):
    class_session = make_class_session(teacher=alice, package=current_package)
    answer_in_class(class_session, CHECKINS, FEEDBACK)
    return class_session


def _item(stage_result, key):
    return next(item for item in stage_result.items if item.question.key == key)


def test_the_feedback_page_asks_true_false_or_not_sure_and_names_steps_by_their_short_titles(
    client, alice, current_package
):
    join_class(client, make_class_session(teacher=alice, package=current_package))
    walk_lesson(client)
    page = client.get("/feedback/").content.decode()
    law = page[page.index(LAW_TEXT) : page.index("</fieldset>", page.index(LAW_TEXT))]
    assert re.findall(r'value="([^"]+)"', law) == ["True", "False", "Not sure"]
    assert "True or false?" in page
    # The most useful parts by the names students know from the slides, never "Step 3: ...".
    for name in ["Alex asks", "Spot the pressure", "Jordan gets help"]:
        assert f"<span>{name}</span>" in page
    assert "Step 3:" not in page and "Stop and think: spot the pressure" not in page
    # Each 1–5 scale is one row of five and a Skip, the ends' labels read with 1 and 5.
    assert page.count('name="confidence-saying-no"') == 6
    assert '1</span><span class="visually-hidden"> – Not at all confident</span>' in page


def test_a_knowledge_answer_is_stored_as_given_and_a_made_up_one_is_refused_clearly(
    client, alice, current_package
):
    join_class(client, make_class_session(teacher=alice, package=current_package))
    refused = give(client, **{LAW: "Maybe"})
    assert refused.status_code == 400
    assert "Select a valid choice" in _text(refused)
    assert not FeedbackAnswer.objects.exists()

    assert give(client, walk=False, **{LAW: "Not sure", PAYING: "False"}).status_code == 302
    stored = {a.question.key: a.choice for a in FeedbackAnswer.objects.all()}
    assert stored == {LAW: "Not sure", PAYING: "False"}


def test_the_share_answering_correctly_before_and_after_is_in_the_details_and_the_summary(knowledge_class):
    group = results.session_report(knowledge_class).groups[0]
    before, after = _item(group.checkin, LAW), _item(group.feedback, LAW)
    assert (before.correct, before.answered, before.correct_share) == (2, 5, pytest.approx(0.4))
    assert (after.correct, after.answered, after.correct_share) == (4, 5, pytest.approx(0.8))
    assert [(o.label, o.count) for o in after.options] == [("True", 4), ("False", 0), ("Not sure", 1)]
    paying = _item(group.feedback, PAYING)
    assert (paying.correct, paying.correct_share) == (5, 1.0)

    rows = {row.label: row for row in summary.summarise(group).rows}
    law = rows[LAW_TEXT]
    assert law.value == "right answer (True): 40% at check-in, 80% after the lesson"
    assert law.unit == "points"
    assert law.difference.estimate == pytest.approx(0.4)
    assert law.difference.verdict == "too few answers to tell"  # 5 a side: under 20
    assert law.difference.low < 0 < law.difference.high or law.difference.first_count < 20
    assert rows["If someone threatens to share a picture unless you pay, paying makes it stop."].value == (
        "right answer (False): 20% at check-in, 100% after the lesson"
    )


def test_the_results_page_and_the_csv_show_who_gave_the_right_answer(client, alice, knowledge_class):
    client.force_login(alice)
    page = _text(client.get(f"/feedback/results/sessions/{knowledge_class.pk}/"))
    assert "4 gave the right answer (True), 80%" in page
    assert "right answer (True): 40% at check-in, 80% after the lesson" in page

    raw = client.get(f"/feedback/results/sessions/{knowledge_class.pk}/answers.csv").content.decode(
        "utf-8-sig"
    )
    reader = csv.reader(io.StringIO(raw))
    assert next(reader) == CSV_HEADER
    rows = [dict(zip(CSV_HEADER, row, strict=True)) for row in reader]
    law = sorted((r["Stage"], r["Answer"], r["Correct"]) for r in rows if r["Question key"] == LAW)
    assert law.count(("Feedback", "True", "yes")) == 4
    assert ("Feedback", "Not sure", "no") in law
    assert ("Check-in", "False", "no") in law
    assert all(r["Correct"] == "" for r in rows if r["Question key"] == "confidence-saying-no")


def test_the_report_pdf_gives_the_share_answering_correctly(client, alice, knowledge_class):
    from pypdf import PdfReader

    client.force_login(alice)
    response = client.get(f"/feedback/results/sessions/{knowledge_class.pk}/report.pdf")
    text = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "right answer (True): 40% at check-in, 80% after the lesson" in text


def _versions_with_feedback(alice, bob, package, first_right: int, second_right: int, size: int):
    """Two versions' feedback, `size` students each, of whom so many know the law is true."""
    second = publish_next_version(package)
    for teacher, version, right in ((alice, package, first_right), (bob, second, second_right)):
        class_session = make_class_session(teacher=teacher, package=version)
        answers = [{LAW: "True"}] * right + [{LAW: "Not sure"}] * (size - right)
        store_many(answers, package=version, class_session=class_session)
    return compare.compare_versions(package, second)


def test_comparing_versions_gives_the_difference_in_the_share_correct_with_its_interval(
    alice, bob, current_package
):
    comparison = _versions_with_feedback(alice, bob, current_package, first_right=8, second_right=18, size=20)
    headline = next(h for h in comparison.headlines if h.text == LAW_TEXT)
    assert headline.values == ("right answer (True): 40%", "right answer (True): 90%")
    assert headline.unit == "points"
    assert headline.difference.estimate == pytest.approx(0.5)
    # Newcombe's hybrid score interval for 18/20 minus 8/20 (worked out by hand from the Wilson intervals).
    assert headline.difference.low == pytest.approx(0.2068, abs=0.0005)
    assert headline.difference.high == pytest.approx(0.6950, abs=0.0005)
    assert headline.difference.verdict == "higher"
    # Each answer is compared as a share too.
    row = next(r for r in comparison.items if r.stage == Stage.FEEDBACK and r.key == LAW)
    assert [o.label for o in row.options] == ["True", "False", "Not sure"]


def test_comparing_versions_with_fewer_than_20_answers_a_side_says_too_few_to_tell(
    client, lead, alice, bob, current_package
):
    comparison = _versions_with_feedback(alice, bob, current_package, first_right=0, second_right=10, size=10)
    headline = next(h for h in comparison.headlines if h.text == LAW_TEXT)
    assert headline.difference.estimate == pytest.approx(1.0)
    assert headline.difference.verdict == "too few answers to tell"
    client.force_login(lead)
    page = _text(client.get(f"/feedback/results/compare/{current_package.slug}/?first=3&second=4"))
    assert f"{LAW_TEXT} (feedback) right answer (True): 0% right answer (True): 100%" in page
    assert "too few answers to tell" in page


def test_a_bundle_carries_knowledge_and_the_combined_results_score_it(alice, knowledge_class):
    bundle = bundle_export.bundle_for(user=alice, school="Ashby School")
    assert bundle["format_version"] == bundle_file.FORMAT_VERSION
    [version] = bundle["contents"]["package_versions"]
    law = next(item for item in version["stages"]["feedback"]["items"] if item["question"] == LAW)
    assert law["kind"] == "knowledge" and law["answer"] == "True"
    assert law["options"] == [
        {"label": "True", "count": 4},
        {"label": "False", "count": 0},
        {"label": "Not sure", "count": 1},
    ]

    bundle_importing.bundle_import(raw=bundle_file.to_json(bundle))
    assert BundleItem.objects.get(stage=Stage.FEEDBACK, question_key=LAW).answer == "True"
    package = knowledge_class.package
    result = bundle_combined.combined_result(
        slug=package.slug, version=package.version, digest=package.digest
    )
    item = _item(result.feedback, LAW)
    assert (item.correct, item.answered) == (4, 5)
    rows = {row.label: row.value for row in summary.summarise(result).rows}
    assert rows[LAW_TEXT] == "right answer (True): 40% at check-in, 80% after the lesson"


def _sealed(contents: dict, format_version: int) -> bytes:
    """A bundle signed as a server writing `format_version` would sign it (before format 5, without plans)."""
    import copy

    contents = copy.deepcopy(contents)
    if format_version < 5:
        for version in contents["package_versions"]:
            version.pop("plans", None)

    return sealed_bundle(contents, format_version)


def test_a_format_3_bundle_from_before_knowledge_questions_still_imports(alice, bundled_package):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    answer_in_class(class_session, [{"confidence-saying-no": 3}] * 5, [{"confidence-saying-no": 4}] * 5)
    contents = bundle_export.bundle_for(user=alice, school="Old Server School")["contents"]
    bundle, created = bundle_importing.bundle_import(raw=_sealed(contents, 3))
    assert created
    assert BundleItem.objects.filter(bundle_version__bundle=bundle).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda law: law.update(answer="Maybe"), "answer: expected True or False"),
        (lambda law: law.pop("answer"), "missing answer"),
        (lambda law: law["options"][2].update(label="Perhaps"), "expected one of True, False, Not sure"),
    ],
)
def test_a_bundles_knowledge_item_must_say_its_right_answer_and_count_only_its_answers(
    alice, knowledge_class, change, message
):
    contents = bundle_export.bundle_for(user=alice)["contents"]
    law = next(
        i for i in contents["package_versions"][0]["stages"]["feedback"]["items"] if i["question"] == LAW
    )
    change(law)
    with pytest.raises(BundleError, match=message):
        bundle_file.read_bundle(_sealed(contents, 4))
    with pytest.raises(BundleError, match="kind: expected one of scale, choice, useful_steps, year_group"):
        bundle_file.read_bundle(_sealed(bundle_export.bundle_for(user=alice)["contents"], 3))


def test_results_break_down_by_the_year_group_the_teacher_gave_each_class(client, alice, current_package):
    """Students are not asked their year: each class session's year group places its students, and a year
    group is shown only if every part of the breakdown is big enough."""
    year_9 = class_session_open(teacher=alice, package=current_package, label="9A", year_group="Year 9")
    year_10 = class_session_open(teacher=alice, package=current_package, label="10B", year_group="Year 10")
    store_many([{"confidence-saying-no": 5, LAW: "True"}] * 5, package=current_package, class_session=year_9)
    year_10_answers = [{"confidence-saying-no": 3, LAW: "True" if n < 5 else "Not sure"} for n in range(10)]
    store_many(year_10_answers, package=current_package, class_session=year_10)
    # A third class of four: too few to release, so it is in no figure, and Year 8 is named nowhere.
    year_8 = class_session_open(teacher=alice, package=current_package, label="8C", year_group="Year 8")
    store_many([{"confidence-saying-no": 1}] * 4, package=current_package, class_session=year_8)

    [group] = results.teacher_report(alice).groups
    assert [(part.label, part.responses) for part in group.breakdown.parts] == [
        ("Year 9", 5),
        ("Year 10", 10),
    ]
    [row] = [row for row in group.breakdown.rows if row.question.key == "confidence-saying-no"]
    assert row.means == [5.0, 3.0]
    [law] = [row for row in group.breakdown.rows if row.question.key == LAW]
    assert (law.shares, law.means) == (True, [1.0, 0.5])  # the share giving the right answer

    client.force_login(alice)
    page = _text(client.get("/feedback/results/"))
    assert "By year group" in page and "Year 9 (5)" in page and "Year 10 (10)" in page
    assert f"{LAW_TEXT} (right answer: True) 100% 50%" in page
    assert "Year 8" not in page.replace("8C", "")
    # Nor in any export of these results.
    csv_text = client.get("/feedback/results/answers.csv").content.decode("utf-8-sig")
    assert "9A" in csv_text and "8C" not in csv_text and "Year 8" not in csv_text
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(client.get("/feedback/results/report.pdf").content))
    pdf_text = " ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split())
    assert "Year 10 (10)" in pdf_text and "Year 8" not in pdf_text
    bundle = bundle_file.to_json(bundle_export.bundle_for(user=alice)).decode()
    assert "Year 8" not in bundle  # a bundle carries no year groups at all
    assert "Year 9" not in bundle


def test_a_class_too_small_to_show_puts_its_year_group_nowhere(alice, current_package, settings):
    """Each part of the breakdown is whole classes big enough to show: a class under the minimum (here, the
    minimum raised after its answers were released) is left out, and its year group with it."""
    year_9 = class_session_open(teacher=alice, package=current_package, year_group="Year 9")
    year_10 = class_session_open(teacher=alice, package=current_package, year_group="Year 10")
    store_many([{"confidence-saying-no": 5}] * 5, package=current_package, class_session=year_9)
    store_many([{"confidence-saying-no": 4}] * 10, package=current_package, class_session=year_10)
    group = results.teacher_report(alice).groups[0]
    assert [(part.label, part.responses) for part in group.breakdown.parts] == [
        ("Year 9", 5),
        ("Year 10", 10),
    ]
    settings.FEEDBACK_MIN_GROUP = 6
    group = results.teacher_report(alice).groups[0]
    assert [(part.label, part.responses) for part in group.breakdown.parts] == [("Year 10", 10)]
    assert group.feedback.responses == 10


def test_a_class_without_a_year_group_counts_as_not_given_and_none_given_means_no_breakdown(
    alice, current_package
):
    given = class_session_open(teacher=alice, package=current_package, year_group="Year 9")
    not_given = class_session_open(teacher=alice, package=current_package)
    store_many([{"confidence-saying-no": 5}] * 5, package=current_package, class_session=given)
    store_many([{"confidence-saying-no": 1}] * 5, package=current_package, class_session=not_given)
    group = results.teacher_report(alice).groups[0]
    assert [(part.label, part.responses) for part in group.breakdown.parts] == [
        ("Year 9", 5),
        ("Not given", 5),
    ]
    assert results.session_report(not_given).groups[0].breakdown is None


def test_the_teacher_gives_the_year_group_when_opening_a_class_session(client, alice, current_package):
    client.force_login(alice)
    page = client.get("/teach/").content.decode()
    assert "Year group (optional)" in page and '<option value="Year 13">' in page
    response = client.post(
        "/teach/",
        {"package": current_package.pk, "label": "Period 3", "year_group": "Year 10", "pace": "self"},
    )
    assert response.status_code == 302
    class_session = alice.class_sessions.get()
    assert class_session.year_group == "Year 10"
    assert "Year 10." in client.get(response.url).content.decode()
    refused = client.post("/teach/", {"package": current_package.pk, "year_group": "Year 14", "pace": "self"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert alice.class_sessions.count() == 1
