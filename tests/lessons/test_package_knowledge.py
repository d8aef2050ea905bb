"""Knowledge questions (a statement answered True, False or Not sure, its right answer in the package) and steps'
short titles: read, checked, loaded and exported; and the bundled package's shorter question set."""

import pytest
import yaml

from lessons.models import Question
from lessons.package_export import package_to_yaml
from lessons.package_file import PackageFileError, digest_of, load_package_file, parse_package
from tests.builders import BUNDLED_PACKAGE, MINI_PACKAGE

pytestmark = pytest.mark.django_db

LAW = "It is against the law to share a nude of someone under 18, even of yourself."
PAYING = "If someone threatens to share a picture unless you pay, paying makes it stop."


def _mini(**question) -> dict:
    data = yaml.safe_load(MINI_PACKAGE.read_text())
    if question:
        data["questions"].append(question)
    return data


def _knowledge(key="law", text=LAW, answer=True, **more) -> dict:
    return {
        "key": key,
        "kind": "knowledge",
        "text": text,
        "answer": answer,
        "asked": ["checkin", "feedback"],
    } | more


def _load(tmp_path, data: dict):
    path = tmp_path / "package.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_package_file(path).package


def test_a_knowledge_question_loads_with_its_right_answer_and_an_export_keeps_false(tmp_path):
    data = _mini(**_knowledge())
    data["questions"].append(_knowledge(key="paying", text=PAYING, answer=False))
    package = _load(tmp_path, data)

    law, paying = package.questions.get(key="law"), package.questions.get(key="paying")
    assert (law.kind, law.answer, law.correct_answer) == ("knowledge", True, "True")
    assert (paying.answer, paying.correct_answer) == (False, "False")  # false is an answer, not a blank
    assert law.choice_list == ["True", "False", "Not sure"]
    assert law.in_checkin and law.in_feedback

    exported = yaml.safe_load(package_to_yaml(package))
    by_key = {q["key"]: q for q in exported["questions"]}
    assert by_key["law"] == _knowledge()
    assert by_key["paying"]["answer"] is False
    assert "choices" not in by_key["paying"]
    assert "answer" not in by_key["confidence"]  # only knowledge questions say it
    assert (
        parse_package(package_to_yaml(package), "again.yaml")["questions"]
        == parse_package(yaml.safe_dump(data), "first.yaml")["questions"]
    )


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            {k: v for k, v in _knowledge().items() if k != "answer"},
            "a knowledge question needs 'answer: true' or 'answer: false'",
        ),
        (
            _knowledge(answer="yes please"),
            "'answer' must be true or false (is the statement true?), not 'yes please'",
        ),
        (_knowledge(answer=1), "'answer' must be true or false"),
        (_knowledge(answer=None), "'answer' must be true or false"),
        (_knowledge(choices=["Yes", "No"]), "a knowledge question takes no 'choices'"),
        (
            {
                "key": "sure",
                "kind": "scale",
                "text": "How sure are you?",
                "answer": True,
                "asked": ["feedback"],
            },
            "'answer' is only for a question of kind knowledge",
        ),
    ],
)
def test_a_wrong_answer_is_refused_with_a_clear_message_naming_the_question(tmp_path, question, message):
    with pytest.raises(PackageFileError) as refused:
        _load(tmp_path, _mini(**question))
    assert message in str(refused.value)
    assert f'("{question["key"]}")' in str(refused.value)
    assert not Question.objects.exists()


def test_a_package_without_knowledge_questions_or_short_titles_keeps_its_digest():
    """Only a knowledge question gains 'answer' and only a step with a short title 'short_title', so a
    version loaded before they existed still matches its file on every server."""
    data = parse_package(MINI_PACKAGE.read_text(), "mini.yaml")
    assert not any("answer" in question for question in data["questions"])
    assert not any("short_title" in step for step in data["steps"])
    assert load_package_file(MINI_PACKAGE).package.digest == digest_of(data)


def test_a_short_title_loads_and_exports_and_a_long_one_is_refused(tmp_path):
    data = _mini()
    data["steps"][0]["short_title"] = "Alex asks"
    package = _load(tmp_path, data)
    step = package.steps.get(key=data["steps"][0]["key"])
    assert (step.short_title, step.short_name) == ("Alex asks", "Alex asks")
    other = package.steps.exclude(pk=step.pk).first()
    assert other.short_name == other.title  # none given: its title
    exported = yaml.safe_load(package_to_yaml(package))
    assert exported["steps"][0]["short_title"] == "Alex asks"
    assert "short_title" not in exported["steps"][1]

    data["version"] += 1
    data["steps"][0]["short_title"] = "x" * 41
    with pytest.raises(PackageFileError, match="'short_title' is longer than 40 characters"):
        _load(tmp_path, data)


def test_the_bundled_package_asks_four_questions_at_check_in_and_eight_in_feedback():
    package = load_package_file(BUNDLED_PACKAGE).package
    assert package.version == 3
    checkin = list(package.questions.filter(in_checkin=True))
    feedback = list(package.questions.filter(in_feedback=True))
    assert len(checkin) <= 4 and len(feedback) <= 8
    assert [q.key for q in checkin] == [
        "confidence-saying-no",
        "law-under-18",
        "paying-stops-it",
        "your-fault",
    ]
    assert [q.key for q in feedback] == [
        "confidence-saying-no",
        "law-under-18",
        "paying-stops-it",
        "your-fault",
        "know-where-help",
        "would-use-plan",
        "useful-steps",
        "what-change",
    ]
    knowledge = {q.key: q.answer for q in checkin if q.kind == "knowledge"}
    assert knowledge == {"law-under-18": True, "paying-stops-it": False, "your-fault": False}
    # Students are no longer asked their year, nor the questions the pilot dropped.
    kinds = {q.kind for q in package.questions.all()}
    assert "year_group" not in kinds
    assert not package.questions.filter(
        key__in=["kept-attention", "tone-right", "understand-risks", "would-recommend", "year-group"]
    ).exists()


def test_every_main_step_of_the_bundled_package_has_a_short_name_without_a_step_number():
    package = load_package_file(BUNDLED_PACKAGE).package
    steps = list(package.steps.filter(detour=False))
    assert all(step.short_title for step in steps)
    assert all(len(step.short_title) <= 40 and not step.short_title.startswith("Step") for step in steps)
    names = {step.key: step.short_title for step in steps}
    assert names["alex-asks"] == "Alex asks"
    assert names["spot-the-pressure"] == "Spot the pressure"
    assert names["jordan-gets-help"] == "Jordan gets help"


def test_a_drafts_knowledge_question_left_without_an_answer_cannot_be_published(bundled_package):
    """In the admin a knowledge question's answer may be left unset: publishing names the problem, rather
    than reading it as false."""
    from lessons.services import package_problems, package_publish, package_start_draft

    draft = package_start_draft(source=bundled_package)
    assert draft.questions.get(key="paying-stops-it").answer is False
    Question.objects.filter(package=draft, key="paying-stops-it").update(answer=None)
    assert "'answer' must be true or false (is the statement true?), not None" in package_problems(draft)
    with pytest.raises(PackageFileError, match=r'question \d+ \("paying-stops-it"\)'):
        package_publish(package=draft)
