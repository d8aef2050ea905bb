"""One set of package rules for files and drafts, and drafts copied row by row."""

import pytest
from django.db.models import F

from lessons.models import ChatMessage, ChoiceOption, Package, Question, Step, SupportService
from lessons.package_export import package_to_file_data, package_to_yaml
from lessons.package_file import PackageFileError, parse_package
from lessons.package_rules import validate
from lessons.services import PACKAGE_CONTENT, package_problems, package_publish, package_start_draft

pytestmark = pytest.mark.django_db

# Text as a pilot lead may type it in the admin: Windows line breaks, spaces at the ends of lines, tabs,
# characters YAML gives a meaning to, and text that YAML would read as another type if it were not quoted.
AWKWARD = [
    "First line  \r\nsecond line\t\r\n\r\n  third, indented",
    "key: value # not a comment\n- not a list\n'quoted' and \"double\"",
    "null",
    "08001111",
    "yes",
    "Emoji 🙂 and accents: café, naïve\u2028and a line separator",
    "  leading and trailing spaces  ",
]


def _awkward_draft(source: Package) -> Package:
    draft = package_start_draft(source=source)
    for n, text in enumerate(AWKWARD):
        Step.objects.filter(package=draft, position=n + 1).update(body=text, teacher_notes=text)
    ChatMessage.objects.filter(step__package=draft).update(text=AWKWARD[0])
    ChoiceOption.objects.filter(step__package=draft).update(feedback=AWKWARD[1])
    SupportService.objects.filter(package=draft).update(hours=AWKWARD[4])
    Question.objects.filter(package=draft).update(text=AWKWARD[5][:300])
    return draft


def test_a_drafts_rows_give_the_data_its_exported_file_gives(bundled_package):
    draft = _awkward_draft(bundled_package)
    source = f"{draft.title} (draft)"
    assert validate(package_to_file_data(draft), source=source) == parse_package(
        package_to_yaml(draft), source
    )


def test_a_drafts_problem_is_named_as_its_exported_file_would_name_it(bundled_package):
    draft = _awkward_draft(bundled_package)
    ChoiceOption.objects.filter(step__package=draft, step__key="go-back").exclude(position=0).delete()
    with pytest.raises(PackageFileError) as from_file:
        parse_package(package_to_yaml(draft), f"{draft.title} (draft)")
    assert package_problems(draft) == str(from_file.value)
    assert "'options' needs at least 2 items" in str(from_file.value)
    with pytest.raises(PackageFileError, match="'options' needs at least 2 items"):
        package_publish(package=draft)


def test_published_awkward_text_gets_the_digest_its_file_gets_on_another_server(bundled_package):
    published = package_publish(package=_awkward_draft(bundled_package))
    data = parse_package(package_to_yaml(published), "v2.yaml")
    Package.objects.filter(pk=published.pk).delete()
    from lessons.package_file import load_package_data

    assert load_package_data(data, "v2.yaml").package.digest == published.digest


def _rows(package: Package) -> dict[str, list[dict]]:
    """Every content row of the package, as its values without ids (of itself or of the rows it hangs from)."""
    rows = {}
    for model, child_models in PACKAGE_CONTENT:
        parents = model.objects.filter(package=package).order_by("position")
        rows[model.__name__] = [_values(row) for row in parents]
        for child_model in child_models:
            parent_field = next(f.name for f in child_model._meta.get_fields() if f.related_model is model)
            children = child_model.objects.filter(**{f"{parent_field}__package": package})
            rows[child_model.__name__] = [
                (getattr(child, parent_field).position, _values(child))
                for child in children.order_by(f"{parent_field}__position", "position")
            ]
    return rows


def _values(row) -> dict:
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not (field.primary_key or field.is_relation)
    }


def test_a_draft_copies_every_row_as_it_is(bundled_package):
    # Positions with gaps, as after rows are deleted in the admin: a copy keeps them, and everything else.
    ChatMessage.objects.filter(step__package=bundled_package).update(position=F("position") * 10 + 5)
    Step.objects.filter(package=bundled_package).update(position=F("position") + 100)
    draft = package_start_draft(source=bundled_package)
    original, copy = _rows(bundled_package), _rows(draft)
    assert copy == original
    assert all(original[model.__name__] for model, _ in PACKAGE_CONTENT)  # the package has rows of each
    assert len(original["ChatMessage"]) > 5 and original["ChatMessage"][0][1]["position"] % 10 == 5
    assert (draft.title, draft.ground_rules, draft.version) == (
        bundled_package.title,
        bundled_package.ground_rules,
        bundled_package.version + 1,
    )


def test_a_drafts_rows_are_its_own(bundled_package):
    draft = package_start_draft(source=bundled_package)
    ChoiceOption.objects.filter(step__package=draft).update(label="Changed in the draft")
    assert not ChoiceOption.objects.filter(
        step__package=bundled_package, label="Changed in the draft"
    ).exists()
    assert (
        ChoiceOption.objects.filter(step__package=draft).count()
        == ChoiceOption.objects.filter(step__package=bundled_package).count()
    )
