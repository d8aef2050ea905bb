"""The student walk-through: ground rules, every step kind, branching, progress and the query budget."""

import re

import pytest
from django.urls import reverse

from lessons.models import Package
from tests.builders import start_self_guided

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(client, mini_package):
    start_self_guided(client, mini_package)
    return client


def _page(client, key: str, **params) -> str:
    response = client.get(reverse("lessons:step", args=[key]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_starts_self_guided_with_the_ground_rules(client, mini_package):
    response = start_self_guided(client, mini_package)
    assert response.url == reverse("lessons:rules")
    page = client.get(response.url).content.decode()
    assert "We talk about the characters, not about anyone in the room." in page
    assert "Everyone has the right to pass." in page
    assert '<a class="btn btn-primary" href="/feedback/check-in/">Next: a quick check-in</a>' in page
    assert "The lesson has 8 steps" in page  # the check-in, 5 story steps, the plan and the feedback


def test_it_sends_a_student_without_a_lesson_to_the_start(client, mini_package):
    for url in ["/lesson/", "/lesson/the-chat/", "/lesson/end/", "/lesson/resume/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/", url


def test_it_shows_a_story_as_a_phone_chat(student):
    page = _page(student, "the-chat")
    assert "Step 2 of 8" in page
    assert "Sam is on the bus." in page and "A message pops up." in page
    assert "send me a pic" in page
    assert 'class="chat-message outgoing"' in page and "Seen" in page
    assert "This message was deleted" in page


def test_it_asks_a_think_question_and_says_answers_are_not_saved(student):
    page = _page(student, "feelings")
    assert "Step 3 of 8" in page and "How might Sam be feeling?" in page
    assert "Your answer is not saved anywhere." in page
    assert "<textarea" not in page


def _shown_options(page: str) -> list[str]:
    """The options whose feedback the page shows: every option's is there, and all but the chosen are hidden."""
    return re.findall(r'data-choice-option="\d+">\s*<p class="fw-bold mb-1">You picked: ([^<]*)</p>', page)


def test_it_gives_feedback_on_a_choice_and_offers_the_branch(student):
    page = _page(student, "what-now")
    assert (
        '<button class="btn btn-outline-primary choice-option text-start" type="submit" name="option" value="1"'
        in page
    )
    assert "Send it" in page and "Reply with a joke" in page
    assert _shown_options(page) == []
    page = _page(student, "what-now", option="0")
    assert _shown_options(page) == ["Send it"]
    assert "Once it is sent, Sam loses control of it." in page
    page = _page(student, "what-now", option="1")
    assert _shown_options(page) == ["Reply with a joke"]
    assert "A joke can change the subject." in page
    assert page.count('href="/lesson/joke-ending/"') == 1  # only the joke leads to an ending


@pytest.mark.parametrize("option", ["99", "-1", "abc", "1e3", "", "０"])
def test_it_ignores_an_option_that_does_not_exist(student, option):
    page = _page(student, "what-now", option=option)
    assert _shown_options(page) == []


def test_a_detour_returns_to_its_choice_and_is_not_counted(student):
    page = _page(student, "joke-ending")
    assert "Step 4 of 8: another ending" in page
    assert "Sam sends a picture of a potato." in page
    assert 'href="/lesson/what-now/">Back to the story' in page
    choice = _page(student, "what-now")
    assert 'href="/lesson/myths/" rel="next"' in choice
    assert 'href="/lesson/feelings/" rel="prev"' in choice


def test_it_shows_myths_and_facts(student):
    page = _page(student, "myths")
    assert 'Myth<span class="visually-hidden">:</span></span> Everyone does it.' in page
    assert 'Fact<span class="visually-hidden">:</span></span> Most young people never send a nude.' in page
    assert "Sharing a nude of anyone under 18 is against the law." in page


def test_it_lists_the_package_support_services_and_then_finishes(student):
    page = _page(student, "help")
    assert "Step 6 of 8" in page
    assert "Childline" in page and 'href="tel:08001111"' in page and "24 hours" in page
    assert 'href="https://www.ceop.police.uk/"' in page
    assert 'href="/plan/" rel="next">Next: make your plan' in page
    plan = student.get("/plan/").content.decode()
    assert "Step 7 of 8" in plan and 'href="/feedback/"' in plan


def test_it_remembers_the_place_across_a_refresh_and_a_new_visit(student):
    _page(student, "the-chat")
    _page(student, "myths")
    response = student.get("/lesson/resume/")
    assert response.url == "/lesson/myths/"
    rules = student.get("/lesson/").content.decode()
    assert "Carry on from step 5" in rules
    assert "Carry on where you left off" in student.get("/").content.decode()


def test_an_unknown_step_is_a_404(student):
    assert student.get("/lesson/no-such-step/").status_code == 404


def test_teacher_notes_never_reach_a_student(student, mini_package):
    for step in mini_package.steps.all():
        assert "SECRET-TEACHER-PROMPT" not in _page(student, step.key)


def test_every_student_page_has_the_support_panel_and_quick_exit(student, settings):
    urls = ["/", "/join/", "/help/", "/lesson/", "/lesson/end/"]
    urls += [
        f"/lesson/{key}/" for key in ["the-chat", "feelings", "what-now", "joke-ending", "myths", "help"]
    ]
    for url in urls:
        page = student.get(url).content.decode()
        assert 'href="tel:08001111"' in page, url
        assert "Report Remove" in page and "https://www.ceop.police.uk/" in page, url
        assert f'href="{settings.QUICK_EXIT_URL}"' in page and "data-quick-exit" in page, url
        assert "does not clear your browser history" in page, url


def test_a_step_page_stays_within_five_queries(student, django_assert_max_num_queries):
    from lessons import walkthrough

    walkthrough.lesson_contents.clear()  # the first visits in a new process are the dearest: count those
    for key in ["the-chat", "feelings", "what-now", "joke-ending", "myths", "help", "the-chat"]:
        with django_assert_max_num_queries(5):
            assert student.get(f"/lesson/{key}/", {"option": "1"}).status_code == 200


def test_it_stores_nothing_about_the_student_but_their_place(student):
    from django.contrib.sessions.models import Session

    from config.sessions import SessionStore

    _page(student, "myths")
    (session,) = Session.objects.all()
    package = Package.objects.get()
    assert SessionStore().decode(session.session_data) == {
        "lesson": {
            "package": package.pk,
            "digest": package.digest,
            "class_session": None,
            "step": "myths",
            "seen": [package.steps.get(key="myths").position],  # main-path steps seen, by position only
        }
    }


def test_a_step_page_is_served_from_memory_after_the_first_visit(student, django_assert_num_queries):
    student.get("/lesson/the-chat/")
    student.get("/lesson/myths/")
    with django_assert_num_queries(1):  # the session, and nothing else: same step, nothing to save
        assert "Most young people never send a nude." in student.get("/lesson/myths/").content.decode()
    with django_assert_num_queries(2):  # the session, and saving the new place
        assert "send me a pic" in student.get("/lesson/the-chat/").content.decode()


def test_students_stay_on_their_version_when_a_new_one_is_published(client, mini_package):
    from django.test import Client

    from lessons.models import Step
    from lessons.services import package_publish, package_start_draft

    start_self_guided(client, mini_package)
    assert "A message arrives" in client.get("/lesson/the-chat/").content.decode()
    draft = package_start_draft(source=mini_package)
    Step.objects.filter(package=draft, key="the-chat").update(title="A message, version two")
    version_two = package_publish(package=draft)
    newcomer = Client()
    start_self_guided(newcomer, version_two)
    assert "A message, version two" in newcomer.get("/lesson/the-chat/").content.decode()
    assert "A message arrives" in client.get("/lesson/the-chat/").content.decode()


def test_only_published_versions_can_be_started(client, mini_package):
    from lessons.services import package_start_draft

    draft = package_start_draft(source=mini_package)
    assert start_self_guided(client, draft).status_code == 404
    assert "lesson" not in client.session


def test_every_student_gets_the_same_step_page_with_nothing_of_their_own_in_it(mini_package):
    from django.test import Client

    pages = []
    for _ in range(2):
        student = Client()
        start_self_guided(student, mini_package)
        pages.append(student.get("/lesson/what-now/", {"option": "1"}).content)
    assert pages[0] == pages[1]
    assert b"csrfmiddlewaretoken" not in pages[0] and b"A joke can change the subject." in pages[0]


def test_a_waiting_message_is_shown_on_the_next_step_page(student):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    student.get("/lesson/myths/")  # the page is now kept in memory
    storage = CookieStorage(type("Request", (), {"COOKIES": {}})())
    student.cookies["messages"] = storage._encode([Message(constants.INFO, "A note for this student only")])
    assert "A note for this student only" in student.get("/lesson/myths/").content.decode()
    assert "A note for this student only" not in student.get("/lesson/myths/").content.decode()


def test_a_lesson_whose_package_has_gone_starts_again_calmly(student, mini_package):
    from lessons import walkthrough
    from lessons.models import Package

    Package.objects.filter(pk=mini_package.pk).delete()
    walkthrough.lesson_contents.clear()  # as in a process that has not shown this version yet
    response = student.get("/lesson/the-chat/")
    assert response.status_code == 302 and response.url == "/"
    assert "That lesson is no longer on this site" in student.get("/").content.decode()


def test_it_records_each_main_step_seen_once_by_position_and_never_a_detour(student, mini_package):
    from lessons import walkthrough

    for key in ["the-chat", "what-now", "joke-ending", "the-chat", "myths"]:
        _page(student, key)
    positions = {step.key: step.position for step in mini_package.steps.all()}
    state = student.session["lesson"]
    assert state["seen"] == [positions["the-chat"], positions["what-now"], positions["myths"]]
    route = walkthrough.route_for(mini_package.pk)
    lesson = walkthrough.lesson_state(student.session)
    assert [step.key for step in lesson.unseen_steps(route)] == ["feelings", "help"]
    _page(student, "feelings")
    _page(student, "help")
    assert walkthrough.lesson_state(student.session).unseen_steps(route) == []


def test_a_new_start_forgets_the_steps_seen(student, mini_package):
    _page(student, "the-chat")
    start_self_guided(student, mini_package)
    assert student.session["lesson"].get("seen", []) == []
