"""Loading package files: the bundled package, idempotent loads, and bad files refused whole."""

import re

import pytest
import yaml
from django.core.management import CommandError, call_command

from lessons.models import ChatMessage, ChoiceOption, Package, Question, Step, Strategy, SupportService
from lessons.package_file import PackageFileError, load_package_file
from tests.builders import BUNDLED_PACKAGE, MINI_PACKAGE

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    models = [Package, Step, ChatMessage, ChoiceOption, SupportService, Strategy, Question]
    return {model.__name__: model.objects.count() for model in models}


def test_it_loads_every_part_of_the_mini_package():
    package = load_package_file(MINI_PACKAGE).package
    assert (package.slug, package.version, package.title) == ("mini", 1, "Mini lesson")
    assert package.rules == [
        "We talk about the characters, not about anyone in the room.",
        "Everyone has the right to pass.",
    ]
    assert list(package.steps.values_list("key", "kind")) == [
        ("the-chat", "story"),
        ("feelings", "think"),
        ("what-now", "choice"),
        ("joke-ending", "story"),
        ("myths", "facts"),
        ("help", "support"),
    ]
    chat = package.steps.get(key="the-chat").messages.all()
    assert [(m.sender, m.outgoing, m.status) for m in chat] == [
        ("Alex", False, ""),
        ("Sam", True, "seen"),
        ("Alex", False, "deleted"),
    ]
    option = package.steps.get(key="what-now").options.get(label="Reply with a joke")
    assert option.leads_to == "joke-ending"
    detour = package.steps.get(key="joke-ending")
    assert detour.detour and detour.next_key == "what-now"
    assert [s.key for s in package.support_services.all()] == ["childline", "ceop"]
    assert [line.text for line in package.strategies.get(key="say-no").lines.all()] == [
        "No.",
        "Not happening.",
    ]
    assert package.questions.get(key="confidence").in_checkin


def test_it_changes_nothing_when_the_same_file_is_loaded_twice():
    first = load_package_file(MINI_PACKAGE)
    counts = _row_counts()
    second = load_package_file(MINI_PACKAGE)
    assert first.created and not second.created
    assert second.package.pk == first.package.pk
    assert _row_counts() == counts


def test_it_keeps_each_version_when_the_version_is_raised(tmp_path):
    load_package_file(MINI_PACKAGE)
    data = yaml.safe_load(MINI_PACKAGE.read_text())
    data["version"] = 2
    data["title"] = "Mini lesson, revised"
    changed = tmp_path / "mini-v2.yaml"
    changed.write_text(yaml.safe_dump(data))
    load_package_file(changed)
    assert list(Package.objects.filter(slug="mini").values_list("version", "title")) == [
        (2, "Mini lesson, revised"),
        (1, "Mini lesson"),
    ]
    assert [p.version for p in Package.objects.latest_versions()] == [2]


def test_a_published_version_never_changes_when_a_file_reuses_its_number(tmp_path):
    load_package_file(MINI_PACKAGE)
    data = yaml.safe_load(MINI_PACKAGE.read_text())
    data["title"] = "Sneaky change"
    changed = tmp_path / "mini.yaml"
    changed.write_text(yaml.safe_dump(data))
    with pytest.raises(PackageFileError, match="already here with different content.*new version number"):
        load_package_file(changed)
    assert list(Package.objects.filter(slug="mini").values_list("title", flat=True)) == ["Mini lesson"]


def _mutate(data: dict, change) -> dict:
    change(data)
    return data


def _step(data, key):
    return next(step for step in data["steps"] if step["key"] == key)


BAD_FILES = [
    ("missing title", lambda d: d.pop("title"), r"mini\.yaml: missing 'title'"),
    ("version not a number", lambda d: d.update(version="one"), "'version' must be a whole number"),
    ("unknown field", lambda d: d.update(titel="x"), "unknown field 'titel'"),
    ("no ground rules", lambda d: d.update(ground_rules=[]), "'ground_rules' needs at least 1 item"),
    (
        "unknown step kind",
        lambda d: _step(d, "feelings").update(kind="quiz"),
        r'step 2 \("feelings"\): \'kind\'',
    ),
    (
        "think without question",
        lambda d: _step(d, "feelings").pop("question"),
        r"step 2 .*'question' must not be empty",
    ),
    (
        "choice with one option",
        lambda d: _step(d, "what-now").update(options=_step(d, "what-now")["options"][:1]),
        r'step 3 \("what-now"\): \'options\' needs at least 2 items',
    ),
    (
        "branch to a missing step",
        lambda d: _step(d, "what-now")["options"][1].update(leads_to="nowhere"),
        r"step 3 \(\"what-now\"\), option 2: 'leads_to' names step 'nowhere', which does not exist",
    ),
    (
        "next to a missing step",
        lambda d: _step(d, "joke-ending").update(next="gone"),
        "'next' names step 'gone'",
    ),
    (
        "unreachable detour",
        lambda d: _step(d, "what-now")["options"][1].pop("leads_to"),
        r'step 4 \("joke-ending"\): this detour is not reached',
    ),
    (
        "duplicate step key",
        lambda d: _step(d, "myths").update(key="feelings"),
        "key is already used by step 2",
    ),
    ("bad step key", lambda d: _step(d, "myths").update(key="Myths!"), "lower-case letters"),
    ("facts without facts", lambda d: _step(d, "myths").update(facts=[]), r"'facts' needs at least 1 item"),
    (
        "support step without services",
        lambda d: d.update(support_services=[]),
        r'step 6 \("help"\): a support step needs',
    ),
    (
        "service without contact details",
        lambda d: [d["support_services"][1].pop("url")],
        r'support service 2 \("ceop"\): needs a \'phone\' or a \'url\'',
    ),
    (
        "service with an insecure address",
        lambda d: d["support_services"][1].update(url="http://example.org/"),
        "must start with https://",
    ),
    (
        "picture without alt text",
        lambda d: _step(d, "the-chat").update(picture="art/phone.webp"),
        "a picture needs 'picture_alt' text for students who cannot see it, or 'picture_decorative: true'",
    ),
    (
        "alt text without a picture",
        lambda d: _step(d, "the-chat").update(picture_alt="A phone"),
        "'picture_alt' and 'picture_decorative' need a 'picture'",
    ),
    (
        "picture that is not a picture file name",
        lambda d: _step(d, "the-chat").update(picture="notes.txt", picture_alt="A phone"),
        "'picture' must be a .webp, .png or .jpg file",
    ),
    (
        "start picture without alt text",
        lambda d: d.update(start_picture="art/start.webp"),
        "the start page: a picture needs 'start_picture_alt'",
    ),
    ("bad message status", lambda d: _step(d, "the-chat")["messages"][0].update(status="read"), "'status'"),
    ("strategy without lines", lambda d: d["plan"]["strategies"][0].update(lines=[]), "strategy 1: 'lines'"),
    ("question asked nowhere", lambda d: d["questions"][0].update(asked=["later"]), "'asked' may list only"),
    (
        "share something unknown",
        lambda d: _step(d, "feelings").update(share="pictures"),
        r'step 2 \("feelings"\): \'share\' must be one of text, words',
    ),
    (
        "share words with too few words",
        lambda d: _step(d, "feelings").update(share="words", words=["sad", "cross"]),
        r"step 2 \(\"feelings\"\): 'share: words' needs a 'words' list of 3 to 12 words",
    ),
    (
        "share words with too many words",
        lambda d: _step(d, "feelings").update(share="words", words=[f"word{n}" for n in range(13)]),
        r"step 2 \(\"feelings\"\): 'words' has more than 12 items",
    ),
    (
        "words without share words",
        lambda d: _step(d, "feelings").update(words=["sad", "cross", "alone"]),
        "'words' is only for a step with 'share: words'",
    ),
    (
        "words with share text",
        lambda d: _step(d, "feelings").update(share="text", words=["sad", "cross", "alone"]),
        "'words' is only for a step with 'share: words'",
    ),
    (
        "the same word twice",
        lambda d: _step(d, "feelings").update(share="words", words=["sad", "alone", "Sad"]),
        "lists the same word twice",
    ),
    (
        "a word too long",
        lambda d: _step(d, "feelings").update(share="words", words=["sad", "alone", "x" * 31]),
        r"'words' item 3 is longer than 30 characters",
    ),
    ("share on a choice step", lambda d: _step(d, "what-now").update(share="text"), "unknown field 'share'"),
    (
        "useful steps in the check-in",
        lambda d: d["questions"][1].update(asked=["checkin"]),
        "can only be asked in feedback",
    ),
    (
        "a question about the plan in the check-in",
        lambda d: d["questions"][0].update(asked=["checkin", "feedback"], needs_plan=True),
        "'needs_plan' can only be asked in feedback, after the plan",
    ),
    (
        "needs_plan that is not true or false",
        lambda d: d["questions"][0].update(asked=["feedback"], needs_plan="yes"),
        "'needs_plan' must be true or false",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [(c, m) for _, c, m in BAD_FILES], ids=[n for n, _, _ in BAD_FILES]
)
def test_it_refuses_a_bad_file_with_a_clear_error_and_loads_nothing(tmp_path, change, message):
    data = _mutate(yaml.safe_load(MINI_PACKAGE.read_text()), change)
    bad = tmp_path / "mini.yaml"
    bad.write_text(yaml.safe_dump(data, sort_keys=False))
    before = _row_counts()
    with pytest.raises(PackageFileError) as error:
        load_package_file(bad)
    assert re.search(message, str(error.value)), str(error.value)
    assert str(error.value).startswith(str(bad))
    assert _row_counts() == before


def test_it_names_the_line_of_broken_yaml(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("slug: mini\nversion: 1\ntitle: [unclosed\n")
    with pytest.raises(PackageFileError, match=r"broken\.yaml: line \d+: not valid YAML"):
        load_package_file(bad)


def test_it_refuses_a_file_that_is_not_a_mapping(tmp_path):
    bad = tmp_path / "list.yaml"
    bad.write_text("- just\n- a list\n")
    with pytest.raises(PackageFileError, match="expected a set of 'name: value' fields"):
        load_package_file(bad)


def test_the_command_reports_what_it_did_and_fails_clearly(tmp_path, capsys):
    call_command("load_package", str(MINI_PACKAGE))
    call_command("load_package", str(MINI_PACKAGE))
    output = capsys.readouterr().out
    assert "Loaded Mini lesson (version 1, 6 steps)" in output
    assert "Already loaded, nothing changed: Mini lesson" in output
    missing = tmp_path / "missing.yaml"
    with pytest.raises(CommandError, match="missing.yaml: cannot be read"):
        call_command("load_package", str(missing))


def test_the_bundled_package_is_a_complete_lesson():
    package = load_package_file(BUNDLED_PACKAGE).package
    steps = list(package.steps.all())
    kinds = {step.kind for step in steps}
    assert 10 <= len(steps) <= 16
    assert kinds == {"story", "think", "choice", "facts", "support"}
    assert sum(step.kind == "choice" for step in steps) >= 2
    detours = {step.key for step in steps if step.detour}
    assert detours and ChoiceOption.objects.filter(step__package=package, leads_to__in=detours).exists()
    assert len(package.rules) >= 4
    services = {service.key: service for service in package.support_services.all()}
    assert services["childline"].phone == "0800 1111"
    assert {"report-remove", "ceop"} <= services.keys()
    assert package.strategies.count() >= 5 and package.already_happened_steps.exists()
    everything = " ".join(step.body + " " + step.question for step in steps).lower()
    for advice in ["do not pay", "keep evidence", "stop replying"]:
        assert advice in everything or advice in " ".join(f.fact.lower() for f in _facts(package)), advice


def test_think_steps_may_share_words_or_a_text_and_an_export_keeps_them(tmp_path):
    from lessons.package_export import package_to_yaml

    data = yaml.safe_load(MINI_PACKAGE.read_text())
    _step(data, "feelings").update(share="words", words=["scared", "let down", "alone"])
    shared = tmp_path / "shared.yaml"
    shared.write_text(yaml.safe_dump(data, sort_keys=False))
    package = load_package_file(shared).package
    step = package.steps.get(key="feelings")
    assert (step.share, step.word_list) == ("words", ["scared", "let down", "alone"])
    exported = yaml.safe_load(package_to_yaml(package))
    assert {k: v for k, v in _step(exported, "feelings").items() if k in ("share", "words")} == {
        "share": "words",
        "words": ["scared", "let down", "alone"],
    }


def test_a_file_that_shares_nothing_keeps_the_digest_it_had_before_sharing_existed():
    """A step's data gains 'share' only when it shares, so servers that loaded a file keep matching it."""
    from lessons.package_file import digest_of, parse_package

    data = parse_package(MINI_PACKAGE.read_text(), "mini.yaml")
    assert not any("share" in step or "words" in step for step in data["steps"])
    assert load_package_file(MINI_PACKAGE).package.digest == digest_of(data)


def test_the_bundled_package_shares_words_and_a_text_on_its_think_steps():
    package = load_package_file(BUNDLED_PACKAGE).package
    feels, pressure = package.steps.get(key="how-jordan-feels"), package.steps.get(key="spot-the-pressure")
    assert feels.share == "words" and {"embarrassed", "scared", "alone", "angry", "let down"} <= set(
        feels.word_list
    )
    assert pressure.share == "text" and not pressure.word_list


def _facts(package):
    from lessons.models import Fact

    return Fact.objects.filter(step__package=package)


def test_a_question_may_need_a_plan_and_an_export_keeps_it(tmp_path):
    from lessons.package_export import package_to_yaml
    from lessons.package_file import digest_of, parse_package

    plain = parse_package(MINI_PACKAGE.read_text(), "mini.yaml")
    assert not any("needs_plan" in question for question in plain["questions"])  # digests stay as they were
    data = yaml.safe_load(MINI_PACKAGE.read_text())
    data["questions"][0].update(asked=["feedback"], needs_plan=True)
    asking = tmp_path / "asking.yaml"
    asking.write_text(yaml.safe_dump(data, sort_keys=False))
    package = load_package_file(asking).package
    key = data["questions"][0]["key"]
    assert package.questions.get(key=key).needs_plan
    assert not package.questions.exclude(key=key).filter(needs_plan=True).exists()
    exported = yaml.safe_load(package_to_yaml(package))
    assert [q.get("needs_plan") for q in exported["questions"]][:1] == [True]
    assert "needs_plan" not in exported["questions"][1]
    assert digest_of(parse_package(package_to_yaml(package), "export")) == package.digest


def test_the_bundled_package_asks_would_use_plan_only_after_a_plan():
    package = load_package_file(BUNDLED_PACKAGE).package
    assert list(package.questions.filter(needs_plan=True).values_list("key", flat=True)) == ["would-use-plan"]
