"""The comparison page: both versions side by side, suppression per side, choosing versions, who may see it."""

import re

import pytest

from tests.builders import make_class_session
from tests.feedback.builders import answer_in_class, publish_next_version
from tests.feedback.data import V1_CHECKINS, V1_FEEDBACK, V2_CHECKINS, V2_FEEDBACK

pytestmark = pytest.mark.django_db

URL = "/feedback/results/compare/personal-plan/"


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _form(response) -> str:
    main = response.content.decode().split("<main", 1)[1]
    return re.search(r"<form[^>]*>.*?</form>", main, re.S).group(0)


@pytest.fixture
def versions(alice, bob, bundled_package):
    version_2 = publish_next_version(bundled_package)
    first = make_class_session(teacher=alice, package=bundled_package)
    second = make_class_session(teacher=bob, package=version_2, label="Year 8, period 2")
    return first, second


def test_it_shows_both_versions_figures(client, lead, versions):
    first, second = versions
    answer_in_class(first, V1_CHECKINS, V1_FEEDBACK)
    answer_in_class(second, V2_CHECKINS, V2_FEEDBACK)
    client.force_login(lead)
    response = client.get(URL, {"first": 1, "second": 2})
    assert response.status_code == 200
    text = _text(response)
    assert "Check-in responses 5 10 – – Feedback responses 5 10 – –" in text
    # Change table: version 1 check-in mean (answers), feedback mean, change; then version 2's.
    # By hand: both 2.8 (variance 0.7) and 4.2 (0.7) from 5 answers: SE √(0.7/5 + 0.7/5) = 0.529, df 8,
    # t 2.306, so +1.4 ± 1.22.
    assert (
        "If someone asked you for a nude, how confident would you feel saying no? "
        "Version 1 2.8 (5) 4.2 (5) +1.4 (95% interval +0.2 to +2.6) too few answers to tell "
        "Version 2 3.5 (10) 4.7 (10) +1.2 (95% interval +0.7 to +1.7) too few answers to tell" in text
    )
    assert "It kept my attention Change in mean from version 1 to version 2: +0.7" in text
    assert "Version 1 5 answered: mean 3.6 , median 4.0 (1 to 5)." in text
    assert "Version 2 10 answered: mean 4.3 , median 4.0 (1 to 5)." in text
    page = response.content.decode()
    assert "Number of students: 1 – Strongly disagree: 0; 2: 1; 3: 1; 4: 2; 5 – Strongly agree: 1." in page
    assert "Number of students: 1 – Strongly disagree: 0; 2: 0; 3: 1; 4: 5; 5 – Strongly agree: 4." in page
    assert '<title id="v2-feedback-kept-attention-title">It kept my attention, version 2</title>' in page
    assert "style=" not in page
    assert "<script" not in page.split("</main>")[0]
    assert "{#" not in page and "#}" not in page


def test_a_side_under_five_shows_the_message_while_the_other_side_shows(client, lead, versions):
    first, second = versions
    answer_in_class(first, V1_CHECKINS, V1_FEEDBACK)
    answer_in_class(second, V2_CHECKINS[:4], V2_FEEDBACK[:4])
    client.force_login(lead)
    text = _text(client.get(URL))
    assert (
        "Check-in responses 5 Not enough responses yet – – Feedback responses 5 Not enough responses yet – –"
        in text
    )
    assert (
        "2.8 (5) 4.2 (5) +1.4 (95% interval +0.2 to +2.6) too few answers to tell Version 2 Not enough responses yet"
        in text
    )
    assert "Version 1 5 answered: mean 3.6" in text
    assert "Version 2 Not enough responses yet to keep answers anonymous." in text
    assert "Change in mean from version" not in text

    answer_in_class(second, V2_CHECKINS[4:5], V2_FEEDBACK[4:5])
    text = _text(client.get(URL))
    assert "Check-in responses 5 5 – – Feedback responses 5 5 – –" in text
    assert "Not enough responses yet" not in text


def test_the_form_lists_the_published_versions_and_works_without_javascript(client, lead, versions):
    first, _ = versions
    publish_next_version(first.package)  # version 3
    client.force_login(lead)
    form = _form(client.get(URL))
    assert 'method="get"' in form
    assert "csrfmiddlewaretoken" not in form
    assert re.findall(r'<option value="(\d+)"', form) == ["3", "2", "1", "3", "2", "1"]
    assert re.search(r'<option value="2" selected>', form)  # by default the two newest: 2 and 3
    text = _text(client.get(URL, {"first": "3", "second": "1"}))
    assert "Measure Version 3 Version 1" in text


def test_it_refuses_the_same_version_twice_or_one_that_does_not_exist(client, lead, versions):
    client.force_login(lead)
    response = client.get(URL, {"first": "2", "second": "2"})
    assert response.status_code == 400
    assert "Choose two different versions." in _text(response)
    response = client.get(URL, {"first": "9", "second": "2"})
    assert response.status_code == 400
    assert "Select a valid choice." in _text(response)


def test_with_one_published_version_there_is_nothing_to_compare(client, lead, bundled_package):
    client.force_login(lead)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Only version 1 is published so far." in _text(response)


def test_drafts_are_not_offered(client, lead, versions):
    from lessons.services import package_start_draft

    package_start_draft(source=versions[1].package)  # version 3, a draft
    client.force_login(lead)
    form = _form(client.get(URL))
    assert '<option value="2"' in form
    assert '<option value="3"' not in form
    assert client.get(URL, {"first": "3", "second": "2"}).status_code == 400


def test_it_is_for_pilot_leads_only(client, alice, versions):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(alice)  # alice taught version 1, but the page covers every school's sessions
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"first": 1, "second": 2}).status_code == 404


def test_an_unknown_package_is_not_found(client, lead, versions):
    client.force_login(lead)
    assert client.get("/feedback/results/compare/no-such-package/").status_code == 404


def test_results_pages_link_to_the_comparison_for_pilot_leads(client, lead, alice, versions):
    first, second = versions
    client.force_login(lead)
    index = client.get("/feedback/results/").content.decode()
    assert f'href="{URL}"' in index
    v1_page = client.get(f"/feedback/results/packages/{first.package.pk}/").content.decode()
    assert f'href="{URL}?first=1&amp;second=2">Compare version 1 with version 2' in v1_page
    v2_page = client.get(f"/feedback/results/packages/{second.package.pk}/").content.decode()
    assert f'href="{URL}?first=1&amp;second=2"' in v2_page

    client.force_login(alice)
    assert URL not in client.get("/feedback/results/").content.decode()
    assert URL not in client.get(f"/feedback/results/packages/{first.package.pk}/").content.decode()


def test_check_in_questions_are_compared_too(client, lead, versions):
    first, second = versions
    answer_in_class(first, V1_CHECKINS, [])
    answer_in_class(second, V2_CHECKINS, [])
    client.force_login(lead)
    text = _text(client.get(URL))
    assert "Check-in: every question" in text
    assert "Version 1 5 answered: mean 2.8 , median 3.0 (1 to 5)." in text
    assert "Version 2 10 answered: mean 3.5 , median 3.5 (1 to 5)." in text
    assert "Feedback responses Not enough responses yet Not enough responses yet" in text
