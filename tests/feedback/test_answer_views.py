"""Students' check-in and feedback pages: every question kind, skipping, one answer per device, anonymity."""

import hashlib

import pytest
from django.utils import timezone

from feedback.models import FeedbackAnswer, FeedbackResponse, FocusGroupNote, Stage
from feedback.tokens import SESSION_KEY, hash_token
from lessons.services import class_session_close
from tests.builders import join_class, make_class_session, start_self_guided, walk_lesson
from tests.feedback.builders import give
from tests.plans.builders import post_part

pytestmark = pytest.mark.django_db

EVERY_ANSWER = {
    "confidence-saying-no": "4",
    "know-where-help": "Not sure",
    "kept-attention": "5",
    "tone-right": "3",
    "understand-risks": "4",
    "would-use-plan": "2",
    "would-recommend": "1",
    "useful-steps": ["the-request", "your-plan"],
    "year-group": "Year 9",
    "what-change": "More about blocking.",
}


def _useful_step_keys(package) -> list[str]:
    return list(package.steps.filter(detour=False).order_by("position").values_list("key", flat=True))


@pytest.fixture
def answers(bundled_package):
    keys = _useful_step_keys(bundled_package)
    return {**EVERY_ANSWER, "useful-steps": [keys[0], keys[-1]]}


def test_it_shows_every_question_skippable_with_the_anonymity_note_above_the_text_box(client, class_session):
    join_class(client, class_session)
    walk_lesson(client)
    post_part(client, "strategies", {"strategies": ["say-no"]})  # a plan, so the plan's questions are asked
    page = client.get("/feedback/").content.decode()
    for key in EVERY_ANSWER:
        assert f'name="{key}"' in page
    # Said once, at the top: no "Skip" answer under each question, an unanswered question is skipped.
    assert page.count("Every question is optional") == 1
    assert "skip any you like" in page
    assert "Skip this question" not in page
    assert "I would rather not say" in page
    note = page.index("Nobody will know you wrote this.")
    assert "So nobody can reply to you here." in page
    assert note < page.index('name="what-change"')
    assert "0800 1111" in page[note : page.index('name="what-change"')]


def test_it_stores_an_answer_of_every_kind(client, class_session, answers):
    join_class(client, class_session)
    post_part(client, "strategies", {"strategies": ["say-no"]})
    response = give(client, **answers)
    assert response.status_code == 302
    assert response.url == "/feedback/thanks/"
    stored = FeedbackResponse.objects.get()
    assert stored.stage == Stage.FEEDBACK
    assert stored.class_session == class_session
    assert stored.package == class_session.package
    rows = {a.question.key: a for a in stored.answers.exclude(question__kind="useful_steps")}
    assert rows["confidence-saying-no"].scale_value == 4
    assert rows["kept-attention"].scale_value == 5
    assert rows["would-recommend"].scale_value == 1
    assert rows["know-where-help"].choice == "Not sure"
    assert rows["year-group"].choice == "Year 9"
    assert rows["what-change"].text == "More about blocking."
    steps = stored.answers.filter(question__kind="useful_steps").values_list("step__key", flat=True)
    assert sorted(steps) == sorted(answers["useful-steps"])


def test_every_question_can_be_skipped(client, class_session):
    join_class(client, class_session)
    response = give(client, **{"confidence-saying-no": "", "know-where-help": "", "year-group": ""})
    assert response.status_code == 302
    stored = FeedbackResponse.objects.get()
    assert stored.answers.count() == 0


@pytest.mark.parametrize("key", list(EVERY_ANSWER))
def test_each_question_alone_is_stored_and_the_rest_skipped(client, class_session, answers, key):
    join_class(client, class_session)
    post_part(client, "strategies", {"strategies": ["say-no"]})
    give(client, **{key: answers[key]})
    stored = FeedbackResponse.objects.get()
    assert set(stored.answers.values_list("question__key", flat=True)) == {key}


def test_it_stores_the_check_in_with_its_own_questions(client, class_session):
    join_class(client, class_session)
    response = give(client, Stage.CHECKIN, **{"confidence-saying-no": "2", "know-where-help": "No"})
    first = class_session.package.steps.filter(detour=False).order_by("position").first()
    assert response.url == f"/lesson/{first.key}/"  # on along the lesson, to the story's first step
    stored = FeedbackResponse.objects.get()
    assert stored.stage == Stage.CHECKIN
    assert {a.question.key: a.scale_value or a.choice for a in stored.answers.all()} == {
        "confidence-saying-no": 2,
        "know-where-help": "No",
    }
    page = client.get(response.url).content.decode()
    assert "Thank you for your answers. Now the story starts." in page
    assert "Step 2 of" in page


def test_check_in_does_not_offer_feedback_only_questions(client, class_session):
    join_class(client, class_session)
    page = client.get("/feedback/check-in/").content.decode()
    assert 'name="confidence-saying-no"' in page
    assert 'name="kept-attention"' not in page
    assert 'name="what-change"' not in page


def test_it_rejects_an_answer_that_is_not_offered(client, class_session):
    join_class(client, class_session)
    response = give(client, **{"kept-attention": "9", "year-group": "Year 99"})
    assert response.status_code == 400
    assert FeedbackResponse.objects.count() == 0


def test_the_token_stops_a_second_submission_which_changes_nothing_and_says_thanks_again(
    client, class_session
):
    join_class(client, class_session)
    walk_lesson(client)
    client.get("/feedback/")
    token = client.session[SESSION_KEY][f"class-{class_session.pk}"]["token"]
    first = client.post("/feedback/", {"kept-attention": "5"})
    assert first.status_code == 302
    again = client.post("/feedback/", {"kept-attention": "1"}, follow=True)
    assert "nothing has changed" in again.content.decode()
    assert "Thank you again" in again.content.decode()
    stored = FeedbackResponse.objects.get()
    assert stored.token_hash == hash_token(token, stage=Stage.FEEDBACK, scope=f"class-{class_session.pk}")
    assert list(stored.answers.values_list("scale_value", flat=True)) == [5]


def test_the_same_token_is_refused_by_the_database_even_if_the_session_forgets_it(client, class_session):
    """A double click sends two requests with the same session before either has saved its marks."""
    join_class(client, class_session)
    walk_lesson(client)
    client.get("/feedback/")
    saved = client.session[SESSION_KEY]
    client.post("/feedback/", {"kept-attention": "5"})
    session = client.session
    session[SESSION_KEY] = saved  # as the second request saw it: token issued, nothing given yet
    session.save()
    response = client.post("/feedback/", {"kept-attention": "1"}, follow=True)
    assert "Thank you again" in response.content.decode()
    assert FeedbackResponse.objects.count() == 1
    assert FeedbackAnswer.objects.get().scale_value == 5


def test_the_token_is_dropped_from_the_session_once_the_feedback_is_in(client, class_session):
    join_class(client, class_session)
    give(client, **{"kept-attention": "4"})
    entry = client.session[SESSION_KEY][f"class-{class_session.pk}"]
    assert "token" not in entry
    assert entry["given"] == [Stage.FEEDBACK]
    assert client.get("/feedback/").url == "/feedback/thanks/"
    first = class_session.package.steps.filter(detour=False).order_by("position").first()
    assert client.get("/feedback/check-in/").url == f"/lesson/{first.key}/"


def test_check_in_and_feedback_are_one_each_per_device(client, class_session):
    join_class(client, class_session)
    give(client, Stage.CHECKIN, **{"confidence-saying-no": "2"})
    give(client, Stage.CHECKIN, **{"confidence-saying-no": "3"})
    give(client, **{"confidence-saying-no": "4"})
    give(client, **{"confidence-saying-no": "5"})
    assert sorted(FeedbackResponse.objects.values_list("stage", flat=True)) == [Stage.CHECKIN, Stage.FEEDBACK]
    assert sorted(FeedbackAnswer.objects.values_list("scale_value", flat=True)) == [2, 4]
    hashes = set(FeedbackResponse.objects.values_list("token_hash", flat=True))
    assert len(hashes) == 2  # the same device, yet its check-in and feedback rows cannot be paired


def test_another_device_in_the_same_class_can_answer(client, class_session):
    from django.test import Client

    join_class(client, class_session)
    give(client, **{"kept-attention": "4"})
    other = Client()
    join_class(other, class_session)
    give(other, **{"kept-attention": "2"})
    assert FeedbackResponse.objects.count() == 2


def test_a_new_class_session_gets_a_new_token(client, alice, class_session, bundled_package):
    join_class(client, class_session)
    give(client, **{"kept-attention": "4"})
    later = make_class_session(teacher=alice, package=bundled_package, label="Year 9, next week")
    join_class(client, later)
    response = give(client, **{"kept-attention": "5"})
    assert response.url == "/feedback/thanks/"
    assert FeedbackResponse.objects.filter(class_session=later).count() == 1


def test_nothing_identifying_is_stored(client, class_session, answers):
    join_class(client, class_session)
    walk_lesson(client)
    client.get("/feedback/")
    token = client.session[SESSION_KEY][f"class-{class_session.pk}"]["token"]
    client.post(
        "/feedback/",
        answers,
        HTTP_USER_AGENT="Mozilla/5.0 SecretBrowser/1.0",
        REMOTE_ADDR="203.0.113.77",
    )
    response_fields = {f.name for f in FeedbackResponse._meta.get_fields()}
    assert response_fields == {
        "id",
        "package",
        "class_session",
        "stage",
        "token_hash",
        "submitted_on",
        "released",
        "answers",
    }
    answer_fields = {f.name for f in FeedbackAnswer._meta.get_fields()}
    assert answer_fields == {"id", "response", "question", "scale_value", "choice", "step", "text", "hidden"}
    for model in (FeedbackResponse, FeedbackAnswer):
        for field in model._meta.concrete_fields:
            assert field.get_internal_type() not in {"DateTimeField", "TimeField", "GenericIPAddressField"}
            assert not (field.is_relation and field.related_model._meta.label == "auth.User")

    row = FeedbackResponse.objects.values().get()
    assert row["submitted_on"] == timezone.localdate()
    assert row["token_hash"] != hashlib.sha256(token.encode()).hexdigest()
    stored_text = repr(list(FeedbackResponse.objects.values_list())) + repr(
        list(FeedbackAnswer.objects.values_list())
    )
    for identifying in ["203.0.113.77", "SecretBrowser", token, client.session.session_key, "alice"]:
        assert identifying not in stored_text
    assert FocusGroupNote._meta.get_field("class_session")  # notes hang off a session, never a student


def test_closed_session_accepts_no_new_answers_and_says_so(client, class_session):
    join_class(client, class_session)
    client.get("/feedback/")
    class_session_close(class_session=class_session)
    page = client.get("/feedback/")
    assert "This lesson has closed" in page.content.decode()
    response = client.post("/feedback/", {"kept-attention": "5"})
    assert response.status_code == 403
    assert "cannot take any new answers" in response.content.decode()
    assert client.post("/feedback/check-in/", {"confidence-saying-no": "5"}).status_code == 403
    assert FeedbackResponse.objects.count() == 0


def test_self_guided_students_give_feedback_with_no_class_session(client, bundled_package):
    start_self_guided(client, bundled_package)
    response = give(client, **{"kept-attention": "3"})
    assert response.url == "/feedback/thanks/"
    stored = FeedbackResponse.objects.get()
    assert stored.class_session is None
    assert stored.package == bundled_package


def test_without_a_lesson_it_sends_the_student_to_the_start(client, bundled_package):
    response = client.get("/feedback/")
    assert response.status_code == 302
    assert response.url == "/"
    assert client.post("/feedback/", {"kept-attention": "3"}).url == "/"
    assert FeedbackResponse.objects.count() == 0


CHECK_IN_BUTTON = '<a class="btn btn-primary" href="/feedback/check-in/">Next: a quick check-in</a>'


def test_the_ground_rules_lead_a_class_to_the_check_in(client, class_session):
    join_class(client, class_session)
    assert CHECK_IN_BUTTON in client.get("/lesson/").content.decode()


def test_the_ground_rules_lead_a_student_on_their_own_to_the_check_in_too(client, bundled_package):
    start_self_guided(client, bundled_package)
    assert CHECK_IN_BUTTON in client.get("/lesson/").content.decode()


def test_a_check_in_already_given_leads_on_to_the_story(client, class_session):
    join_class(client, class_session)
    give(client, Stage.CHECKIN, **{"confidence-saying-no": "3"})
    first = class_session.package.steps.filter(detour=False).order_by("position").first()
    assert client.get("/feedback/check-in/").url == f"/lesson/{first.key}/"
    assert client.get("/feedback/check-in/thanks/").url == f"/lesson/{first.key}/"  # an older address


def test_a_package_without_check_in_questions_goes_straight_to_the_story(client, alice, mini_package):
    mini_package.questions.update(in_checkin=False)
    join_class(client, make_class_session(teacher=alice, package=mini_package))
    response = client.get("/feedback/check-in/")
    assert response.url == "/lesson/the-chat/"


def test_the_end_page_links_to_feedback(client, class_session):
    join_class(client, class_session)
    assert 'href="/feedback/"' in client.get("/lesson/end/").content.decode()
