"""The table of step kinds: every kind is in it, and what it names exists in the models, templates and admin."""

import pytest
from django.contrib import admin
from django.template.loader import get_template

from lessons.models import Step
from lessons.package_rules import LIMITS
from lessons.step_kinds import CHILDREN, STEP_KINDS, missing_kinds

pytestmark = pytest.mark.django_db


def test_every_step_kind_has_an_entry_and_nothing_else_has():
    assert missing_kinds(Step.Kind.values) == []
    assert set(STEP_KINDS) == set(Step.Kind.values)


def test_a_kind_added_without_an_entry_is_caught():
    assert missing_kinds([*Step.Kind.values, "quiz"]) == ["quiz"]


@pytest.mark.parametrize("kind", STEP_KINDS.values(), ids=list(STEP_KINDS))
def test_each_kinds_template_exists(kind):
    assert get_template(kind.template)


@pytest.mark.parametrize("children", CHILDREN, ids=[c.file_list for c in CHILDREN])
def test_each_kinds_rows_are_a_model_under_the_step_with_the_fields_a_file_names(children):
    step_field = children.model._meta.get_field("step")
    assert step_field.related_model is Step and step_field.remote_field.related_name == children.related_name
    model_fields = {field.name for field in children.model._meta.get_fields()}
    assert {field for _, field in children.file_fields} <= model_fields
    assert children.file_list in LIMITS  # a file's list of them is bounded


def test_the_admin_edits_each_kinds_rows_on_its_steps_page():
    step_admin = admin.site._registry[Step]
    for kind in STEP_KINDS.values():
        inlines = step_admin.get_inlines(None, Step(kind=kind.value))
        assert [inline.model for inline in inlines] == ([kind.children.model] if kind.children else [])


def test_a_step_of_each_kind_gets_its_own_content_in_one_query(mini_package, django_assert_num_queries):
    steps = list(mini_package.steps.all())
    assert {step.kind for step in steps} == set(Step.Kind.values)  # the mini package has every kind
    for step in steps:
        kind = STEP_KINDS[step.kind]
        with django_assert_num_queries(1 if kind.content_name else 0):
            content = kind.content(step)
        assert set(content) == ({kind.content_name} if kind.content_name else set())
    what_now = next(step for step in steps if step.key == "what-now")
    assert [option.label for option in STEP_KINDS["choice"].content(what_now)["options"]] == list(
        what_now.options.values_list("label", flat=True)
    )
