"""The teacher's actions and panel are for the session's own teacher and pilot leads: bob gets a 404."""

import pytest
from django.test import Client

from lessons.live_responses.models import AnonymousQuestion, Poll, SharedText
from tests.builders import make_class_session
from tests.lessons.live_responses.builders import TEXT_STEP, VOTE_STEP, ask, share_text, students

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(live_class):
    (student,) = students(live_class, 1)
    share_text(student, "An answer")
    ask(student, "A question?")
    return SharedText.objects.get(), AnonymousQuestion.objects.get()


def _actions(class_session, text, question) -> list[str]:
    base = f"/teach/sessions/{class_session.pk}/responses"
    return [
        f"{base}/{VOTE_STEP}/close/",
        f"{base}/{TEXT_STEP}/close/",
        f"{base}/texts/{text.pk}/approve/",
        f"{base}/questions/{question.pk}/show/",
    ]


def test_another_teacher_gets_a_404_and_changes_nothing(live_class, answers, bob):
    client = Client()
    client.force_login(bob)
    assert client.get(f"/teach/sessions/{live_class.pk}/responses/{VOTE_STEP}/").status_code == 404
    for url in _actions(live_class, *answers):
        assert client.post(url).status_code == 404, url
    assert not Poll.objects.filter(closed=True).exists()
    assert not SharedText.objects.filter(status=SharedText.Status.APPROVED).exists()
    assert not AnonymousQuestion.objects.filter(on_projector=True).exists()


@pytest.mark.parametrize("who", ["alice", "lead"])
def test_the_sessions_teacher_and_a_pilot_lead_may_act(live_class, answers, who, request):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/teach/sessions/{live_class.pk}/responses/{VOTE_STEP}/").status_code == 200
    for url in _actions(live_class, *answers):
        assert client.post(url)["Location"] == f"/teach/sessions/{live_class.pk}/", url
    assert Poll.objects.filter(closed=True).count() == 2
    assert SharedText.objects.get().status == SharedText.Status.APPROVED
    assert AnonymousQuestion.objects.get().on_projector


def test_a_text_or_question_of_another_session_is_not_found_through_this_one(
    live_class, answers, alice, bundled_package
):
    other = make_class_session(teacher=alice, package=bundled_package)
    client = Client()
    client.force_login(alice)
    text, question = answers
    assert client.post(f"/teach/sessions/{other.pk}/responses/texts/{text.pk}/approve/").status_code == 404
    assert (
        client.post(f"/teach/sessions/{other.pk}/responses/questions/{question.pk}/show/").status_code == 404
    )


def test_an_action_a_step_does_not_have_is_not_found(live_class, alice):
    client = Client()
    client.force_login(alice)
    base = f"/teach/sessions/{live_class.pk}/responses"
    assert client.post(f"{base}/{TEXT_STEP}/reveal/").status_code == 404  # texts are approved one by one
    assert client.post(f"{base}/meet-jordan/close/").status_code == 404  # a story step takes no answers
    assert client.post(f"{base}/{VOTE_STEP}/explode/").status_code == 404


def test_students_and_visitors_are_sent_to_log_in(live_class, answers):
    (student,) = students(live_class, 1)
    for client in (student, Client()):
        for url in _actions(live_class, *answers):
            assert client.post(url)["Location"].startswith("/accounts/login/?next="), url
