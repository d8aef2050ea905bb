"""Stuffing and padding the feedback: only a device that joined the class and walked the story is counted,
and self-guided answers are limited per network address."""

import pytest
from django.test import Client

from accounts.models import FailureCount
from feedback.models import FeedbackResponse, Stage
from tests.builders import join_class, make_class_session, start_self_guided, walk_lesson
from tests.feedback.builders import give, publish_next_version

pytestmark = pytest.mark.django_db

ANSWER = {"kept-attention": "5", "what-change": "STUFFED"}


def test_a_device_without_a_lesson_stores_nothing_at_either_stage(client, class_session):
    for url in ["/feedback/", "/feedback/check-in/"]:
        assert client.post(url, ANSWER).url == "/"
    forged = Client()
    forged.cookies["sessionid"] = "a" * 32  # a made-up session key: the server holds no such session
    for url in ["/feedback/", "/feedback/check-in/"]:
        assert forged.post(url, ANSWER).url == "/"
    assert FeedbackResponse.objects.count() == 0


def test_a_lesson_state_that_names_a_class_of_another_version_stores_nothing(client, class_session):
    other_version = publish_next_version(class_session.package)
    start_self_guided(client, other_version)
    walk_lesson(client)
    session = client.session
    session["lesson"] = {**session["lesson"], "class_session": class_session.pk}  # not what joining writes
    session.save()
    assert client.post("/feedback/", ANSWER).url == "/"
    assert client.post("/feedback/check-in/", ANSWER).url == "/"
    assert FeedbackResponse.objects.count() == 0


def test_answers_count_only_for_the_class_the_device_joined(client, alice, class_session, bundled_package):
    other = make_class_session(teacher=alice, package=bundled_package, label="Another class")
    join_class(client, class_session)
    give(client, Stage.CHECKIN, class_session=str(other.pk), **{"confidence-saying-no": "3"})
    give(client, class_session=str(other.pk), **ANSWER)
    assert FeedbackResponse.objects.filter(class_session=other).count() == 0
    assert FeedbackResponse.objects.filter(class_session=class_session).count() == 2


def test_the_feedback_waits_until_every_step_of_the_story_was_seen(client, class_session):
    join_class(client, class_session)
    assert give(client, Stage.CHECKIN, **{"confidence-saying-no": "3"}).status_code == 302  # at the start
    walk_lesson(client, leave_out=1)
    last = class_session.package.steps.filter(detour=False).order_by("position").last()

    page = client.get("/feedback/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Finish the story first" in text
    assert 'href="/lesson/resume/"' in text
    assert f'href="/lesson/{last.key}/"' in text
    assert 'name="kept-attention"' not in text
    refused = client.post("/feedback/", ANSWER)
    assert refused.status_code == 403
    assert "Finish the story first" in refused.content.decode()
    assert FeedbackResponse.objects.filter(stage=Stage.FEEDBACK).count() == 0

    client.get(f"/lesson/{last.key}/")
    assert client.post("/feedback/", ANSWER).url == "/feedback/thanks/"
    assert FeedbackResponse.objects.filter(stage=Stage.FEEDBACK).count() == 1


def test_a_padding_loop_that_skips_the_story_adds_no_feedback(class_session):
    """A teacher scripting fake devices: each joins (a place in the class) but none walked the story."""
    for _ in range(10):
        device = Client()
        join_class(device, class_session)
        device.get("/feedback/")
        assert device.post("/feedback/", ANSWER).status_code == 403
    assert FeedbackResponse.objects.filter(stage=Stage.FEEDBACK).count() == 0


def _fake_self_guided_device(package, address: str, forwarded: str) -> int:
    """A script dropping its cookie: a new device each time, walking the story, from the same address."""
    device = Client(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)
    start_self_guided(device, package)
    return give(device, **ANSWER).status_code


def test_the_self_guided_stuffing_loop_is_capped_per_address(bundled_package, settings):
    settings.SELF_GUIDED_FEEDBACK_PER_ADDRESS = 4
    replies = [
        _fake_self_guided_device(bundled_package, "203.0.113.9", f"198.51.100.{n}") for n in range(7)
    ]  # a forged X-Forwarded-For changes nothing: no proxy is trusted
    assert replies == [302] * 4 + [429] * 3
    assert FeedbackResponse.objects.self_guided().count() == 4

    device = Client(REMOTE_ADDR="203.0.113.9")
    start_self_guided(device, bundled_package)
    refused = give(device, **ANSWER)
    assert refused.status_code == 429
    text = " ".join(refused.content.decode().split())
    assert "We cannot take more answers just now" in text
    assert "You have not done anything wrong." in text
    assert "0800 1111" in text  # help is still on the page
    assert FeedbackResponse.objects.self_guided().count() == 4

    assert _fake_self_guided_device(bundled_package, "192.0.2.1", "") == 302  # another school is not refused
    stored_keys = "".join(FailureCount.objects.values_list("key", flat=True))
    assert "203.0.113.9" not in stored_keys  # counted under an HMAC, never the address


def test_the_default_limit_leaves_room_for_a_computer_room_and_more(settings):
    assert settings.SELF_GUIDED_FEEDBACK_PER_ADDRESS >= 60


def test_a_class_in_one_room_is_not_counted_against_the_self_guided_limit(class_session, settings):
    settings.SELF_GUIDED_FEEDBACK_PER_ADDRESS = 1
    for _ in range(3):
        device = Client(REMOTE_ADDR="203.0.113.9")
        join_class(device, class_session)
        assert give(device, **ANSWER).status_code == 302
    assert FeedbackResponse.objects.filter(class_session=class_session).count() == 3


def test_a_plan_does_not_open_a_class_feedback_without_the_story(client, class_session):
    """Only on their own may a student who went straight to the plan give feedback: a class still needs the
    story walked, so a padding device cannot skip it by saving one part of a plan."""
    from tests.plans.builders import post_part

    join_class(client, class_session)
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert client.post("/feedback/", ANSWER).status_code == 403
    assert FeedbackResponse.objects.filter(stage=Stage.FEEDBACK).count() == 0
