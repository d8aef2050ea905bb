"""Every text field has a length limit with a plain message; people are first names or roles only."""

import pytest

from plans import forms
from tests.plans.builders import post_part, typical_answers

TEXT_FIELDS = [
    ("words", "own_1", forms.LINE_LENGTH),
    ("signs", "own_signs", forms.OWN_SIGNS_LENGTH),
    ("people", "person_1", forms.PERSON_LENGTH),
    ("why", "why", forms.WHY_LENGTH),
]


@pytest.mark.parametrize(("key", "field", "limit"), TEXT_FIELDS)
def test_it_refuses_text_over_the_limit_with_a_clear_message(client, bundled_package, key, field, limit):
    response = post_part(client, key, {field: "a" * (limit + 1)})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Keep this to {limit} characters or fewer. It has {limit + 1} now." in page
    assert f'maxlength="{limit}"' in page
    assert "plan" not in client.session or field not in str(client.session["plan"])


@pytest.mark.parametrize(("key", "field", "limit"), TEXT_FIELDS)
def test_it_accepts_text_at_the_limit(client, bundled_package, key, field, limit):
    data = {field: "a" * limit}
    if key == "words":
        data.update({"own_2": "", "own_3": ""})
    assert post_part(client, key, data).status_code == 302


def test_it_limits_an_edited_example_line(client, bundled_package):
    answers = typical_answers(bundled_package)
    post_part(client, "strategies", answers["strategies"])
    post_part(client, "lines", answers["lines"])
    name = next(name for name in answers["words"] if name.startswith("line_"))
    response = post_part(client, "words", {**answers["words"], name: "b" * 201})
    assert "Keep this to 200 characters or fewer. It has 201 now." in response.content.decode()


@pytest.mark.parametrize(
    "contact", ["07700 900123", "sam@example.com", "+44 20 7946 0000", "www.example.com"]
)
def test_it_refuses_phone_numbers_and_addresses_for_people(client, bundled_package, contact):
    response = post_part(client, "people", {"person_1": f"Sam {contact}"})
    assert response.status_code == 200
    assert "Write just a first name or a role" in response.content.decode()


@pytest.mark.parametrize("person", ["my aunt", "Form tutor", "Mr Patel (Year 10)", "Sam"])
def test_it_accepts_first_names_and_roles(client, bundled_package, person):
    assert post_part(client, "people", {"person_1": person}).status_code == 302


def test_it_explains_why_not_to_write_full_names_or_numbers(client, bundled_package):
    page = client.get("/plan/people/").content.decode()
    assert "Please don't write anyone's full name or phone number" in page


def test_it_refuses_choices_that_are_not_offered(client, bundled_package):
    response = post_part(client, "strategies", {"strategies": ["not-a-strategy"]})
    assert response.status_code == 200
    assert "Choose from the list." in response.content.decode()


def test_it_lists_errors_in_a_summary_that_links_to_the_field(client, bundled_package):
    page = post_part(client, "why", {"why": "a" * 1001}).content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_why"' in page
    assert "<title>Error: " in page
