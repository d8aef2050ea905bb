"""Teachers' results pages: figures on a known data set, suppression, isolation, hiding comments."""

import re

import pytest
from django.test import Client

from feedback.models import FeedbackAnswer, FeedbackResponse, Stage
from feedback.results import AskedQuestion
from tests.builders import make_class_session, make_teacher
from tests.feedback.builders import store, store_many
from tests.feedback.data import CLASS_CHECKINS as CHECKINS
from tests.feedback.data import CLASS_FEEDBACK as FEEDBACK
from tests.feedback.view_model import question_types, unsaved_rows

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's words with tags dropped and white space squeezed, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _urls(class_session) -> list[str]:
    pk = class_session.pk
    return [
        f"/feedback/results/sessions/{pk}/",
        f"/feedback/results/sessions/{pk}/answers.csv",
        f"/feedback/results/sessions/{pk}/report.pdf",
        f"/feedback/results/sessions/{pk}/notes/new/",
    ]


@pytest.fixture
def five_students(class_session):
    store_many(CHECKINS, package=class_session.package, class_session=class_session, stage=Stage.CHECKIN)
    store_many(FEEDBACK, package=class_session.package, class_session=class_session)
    return class_session


def test_it_shows_the_right_figures_for_a_known_data_set(client, alice, five_students):
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{five_students.pk}/"))
    assert "5 responses" in text
    assert "It kept my attention" in text
    assert "5 answered: mean 3.6 , median 4.0 (1 to 5)" in text
    # the change table: question, check-in mean (answers), feedback mean (answers), change, medians, change
    assert (
        "If someone asked you for a nude, how confident would you feel saying no? 2.8 (5) 4.2 (5) +1.4 3.0 4.0 +1.0"
        in text
    )
    assert "More on blocking" in text
    assert "Shorter story" in text


def test_a_schools_results_page_reads_the_same_view_model_as_the_combined_one(client, alice, five_students):
    client.force_login(alice)
    report = client.get(f"/feedback/results/sessions/{five_students.pk}/").context["report"]
    group = report.groups[0]
    assert group.feedback.items and group.changes and group.comments and group.answer_rows
    assert unsaved_rows(report) == []
    assert question_types(report) == {AskedQuestion}


def test_it_draws_each_scale_as_an_svg_chart_with_the_same_numbers_in_a_table(client, alice, five_students):
    client.force_login(alice)
    page = client.get(f"/feedback/results/sessions/{five_students.pk}/").content.decode()
    chart = re.search(r'<svg class="bar-chart".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in chart
    assert "style=" not in page
    assert "<script" not in page.split("</main>")[0]
    assert "Number of students: 1 – Strongly disagree: 0; 2: 1; 3: 1; 4: 2; 5 – Strongly agree: 1." in page
    text = _text(client.get(f"/feedback/results/sessions/{five_students.pk}/"))
    table = "Number of students giving each answer Answer Students 1 – Strongly disagree 0 2 1 3 1 4 2 5 – Strongly agree 1"
    assert table in text


def test_it_hides_results_below_five_responses(client, alice, class_session):
    store_many(FEEDBACK[:4], package=class_session.package, class_session=class_session)
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{class_session.pk}/"))
    assert "Not enough responses yet to keep answers anonymous" in text
    assert "responses." not in text
    assert "mean" not in text
    assert "More on blocking" not in text
    assert "By year group" not in text
    assert "answered:" not in text


def test_it_shows_results_at_five_responses(client, alice, class_session):
    store_many(FEEDBACK, package=class_session.package, class_session=class_session)
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{class_session.pk}/"))
    assert text.count("Not enough responses yet") == 1  # only the check-in, which nobody did
    assert "5 responses" in text
    assert "More on blocking" in text


def test_it_shows_a_year_group_breakdown_only_when_every_year_group_has_five(client, alice, class_session):
    store_many(FEEDBACK, package=class_session.package, class_session=class_session)
    client.force_login(alice)
    url = f"/feedback/results/sessions/{class_session.pk}/"
    text = _text(client.get(url))
    assert "By year group" in text
    assert (
        "Question Year 9 (5) If someone asked you for a nude, how confident would you feel saying no? 4.2 It kept my attention 3.6 The tone"
        in text
    )

    store_many(FEEDBACK[:4], package=class_session.package, class_session=class_session)
    store(package=class_session.package, class_session=class_session, **{"year-group": "Year 10"})
    text = _text(client.get(url))
    assert "10 responses" in text
    assert "Not shown: at least one year group has fewer than 5 responses" in text
    assert "Year 9 (5)" not in text


def test_a_breakdown_counts_students_who_gave_no_year_group_as_a_part(client, alice, class_session):
    store_many(FEEDBACK + FEEDBACK[:4], package=class_session.package, class_session=class_session)
    store(package=class_session.package, class_session=class_session, **{"kept-attention": 1})
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{class_session.pk}/"))
    assert "Not shown: at least one year group" in text


def test_combined_results_leave_out_sessions_too_small_to_show(client, alice, bundled_package, five_students):
    small = make_class_session(teacher=alice, package=bundled_package, label="Year 8, period 1")
    store_many(
        [{"kept-attention": 1, "what-change": "SMALL-GROUP-COMMENT"}] * 3,
        package=bundled_package,
        class_session=small,
    )
    # Released before batches existed (the migration released every response then), or under a smaller
    # FEEDBACK_MIN_GROUP: a released session can still be too small, and must still be left out.
    FeedbackResponse.objects.filter(class_session=small).update(released=True)
    client.force_login(alice)
    for url in ["/feedback/results/", f"/feedback/results/packages/{bundled_package.pk}/"]:
        text = _text(client.get(url))
        assert "5 answered: mean 3.6" in text, url
        assert "SMALL-GROUP-COMMENT" not in text
        assert "Year 8, period 1" in text
        assert "fewer than 5" in text
        assert "left out of the figures below" in text


def test_a_teacher_sees_only_their_own_sessions_in_combined_results(
    client, bob, five_students, bundled_package
):
    client.force_login(bob)
    text = _text(client.get("/feedback/results/"))
    assert "Year 9, period 3" not in text
    assert "More on blocking" not in text
    assert client.get(f"/feedback/results/packages/{bundled_package.pk}/").status_code == 404


def test_another_teacher_gets_a_404_for_a_sessions_results_csv_report_and_notes(client, bob, five_students):
    client.force_login(bob)
    for url in _urls(five_students):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_log_in(client, five_students, bundled_package):
    comment = FeedbackAnswer.objects.filter(question__kind="text").first()
    urls = [
        *_urls(five_students),
        "/feedback/results/",
        "/feedback/results/answers.csv",
        "/feedback/results/report.pdf",
        f"/feedback/results/packages/{bundled_package.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url
    assert client.post(f"/feedback/comments/{comment.pk}/hide/").url.startswith("/accounts/login/")


def test_a_pilot_lead_sees_every_session_and_self_guided_feedback_counted_apart(
    client, lead, five_students, bundled_package
):
    store_many([{"kept-attention": 1, "what-change": "SELF-GUIDED-COMMENT"}] * 5, package=bundled_package)
    client.force_login(lead)
    assert client.get(f"/feedback/results/sessions/{five_students.pk}/").status_code == 200
    text = _text(client.get(f"/feedback/results/packages/{bundled_package.pk}/"))
    assert "Class sessions" in text
    assert "Self-guided (counted apart from classes)" in text
    assert "5 answered: mean 3.6" in text  # the class, without the self-guided answers
    assert "5 answered: mean 1.0" in text  # the self-guided group on its own
    assert "SELF-GUIDED-COMMENT" in text


def test_teachers_never_see_self_guided_feedback(client, alice, five_students, bundled_package):
    store_many([{"what-change": "SELF-GUIDED-COMMENT"}] * 5, package=bundled_package)
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/packages/{bundled_package.pk}/"))
    assert "Self-guided" not in text
    assert "SELF-GUIDED-COMMENT" not in text


def test_a_teacher_hides_a_comment_for_everyone_and_the_count_is_shown(client, alice, lead, five_students):
    comment = FeedbackAnswer.objects.get(text="Shorter story")
    client.force_login(alice)
    url = f"/feedback/results/sessions/{five_students.pk}/"
    response = client.post(f"/feedback/comments/{comment.pk}/hide/", {"next": url})
    assert response.url == url
    comment.refresh_from_db()
    assert comment.hidden
    text = _text(client.get(url))
    assert "Shorter story" not in text
    assert "1 comment hidden by a teacher" in text
    assert "More on blocking" in text
    lead_client = Client()
    lead_client.force_login(lead)
    assert "Shorter story" not in _text(lead_client.get(url))


def test_hiding_ignores_a_next_address_on_another_site(client, alice, five_students):
    comment = FeedbackAnswer.objects.get(text="Shorter story")
    client.force_login(alice)
    response = client.post(f"/feedback/comments/{comment.pk}/hide/", {"next": "https://evil.example/"})
    assert response.url == "/feedback/results/"


def test_another_teacher_cannot_hide_a_comment(client, bob, five_students):
    comment = FeedbackAnswer.objects.get(text="Shorter story")
    client.force_login(bob)
    assert client.post(f"/feedback/comments/{comment.pk}/hide/").status_code == 404
    comment.refresh_from_db()
    assert not comment.hidden


def test_only_a_pilot_lead_can_hide_a_self_guided_comment(client, alice, lead, bundled_package):
    store(package=bundled_package, **{"what-change": "self-guided words"})
    comment = FeedbackAnswer.objects.get()
    client.force_login(alice)
    assert client.post(f"/feedback/comments/{comment.pk}/hide/").status_code == 404
    client.force_login(lead)
    assert client.post(f"/feedback/comments/{comment.pk}/hide/").status_code == 302
    comment.refresh_from_db()
    assert comment.hidden


def test_comments_come_in_random_order(client, alice, class_session):
    store_many(
        [{"what-change": f"comment {n:02}"} for n in range(12)],
        package=class_session.package,
        class_session=class_session,
    )
    client.force_login(alice)
    orders = set()
    for _ in range(5):
        page = client.get(f"/feedback/results/sessions/{class_session.pk}/").content.decode()
        orders.add(tuple(re.findall(r"comment \d\d", page)))
    assert len(orders) > 1


def test_the_results_page_takes_a_fixed_number_of_queries(
    client, alice, five_students, django_assert_num_queries
):
    client.force_login(alice)
    url = f"/feedback/results/sessions/{five_students.pk}/"
    client.get(url)
    # session, user, class session, counts, questions, steps, answers, plan counts, notes: not one per answer
    with django_assert_num_queries(9):
        client.get(url)
    store_many(FEEDBACK, package=five_students.package, class_session=five_students)
    with django_assert_num_queries(9):
        client.get(url)


def test_the_teacher_pages_link_to_results(client, alice, five_students):
    client.force_login(alice)
    assert (
        f"/feedback/results/sessions/{five_students.pk}/"
        in client.get(f"/teach/sessions/{five_students.pk}/").content.decode()
    )
    assert "/feedback/results/" in client.get("/teach/").content.decode()


def test_another_teachers_combined_results_are_their_own(client, alice, bundled_package, five_students):
    charlie = make_teacher("charlie")
    theirs = make_class_session(teacher=charlie, package=bundled_package, label="Charlie's class")
    store_many(FEEDBACK, package=bundled_package, class_session=theirs)
    client.force_login(alice)
    text = _text(client.get("/feedback/results/"))
    assert "Charlie's class" not in text
    assert "5 responses" in text


def test_a_pilot_lead_reaches_a_package_used_only_self_guided(client, lead, alice, mini_package):
    store_many([{"confidence": 4}] * 5, package=mini_package)
    client.force_login(lead)
    assert (
        f"/feedback/results/packages/{mini_package.pk}/" in client.get("/feedback/results/").content.decode()
    )
    client.force_login(alice)
    assert (
        f"/feedback/results/packages/{mini_package.pk}/"
        not in client.get("/feedback/results/").content.decode()
    )
    assert client.get(f"/feedback/results/packages/{mini_package.pk}/").status_code == 404
