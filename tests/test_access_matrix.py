"""Who may open what: every URL pattern in the project, for every kind of visitor, by GET and by POST.

The visitors: alice (a teacher who owns a class session, its answers, comments and notes), bob (another
teacher, who must get a 404 for every one of alice's things), lead (a pilot lead, who sees everything), a
student (a browser that joined alice's class) and an anonymous visitor. A URL pattern added without a row
here fails the test, so every new page has to say who may open it.
"""

from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, resolve

from feedback.bundles import importing as bundle_importing
from feedback.bundles.file import BundleError
from feedback.models import FeedbackAnswer, FocusGroupNote, SchoolKey, Stage
from lessons.live_responses.models import AnonymousQuestion, Poll, SharedText
from lessons.models import ClassSession, Step, Strategy
from tests.builders import join_class, load_bundled_package, make_class_session, make_teacher
from tests.feedback.builders import bundle_contents, signed, store

ROLES = ("anonymous", "student", "alice", "bob", "lead")


@dataclass(frozen=True)
class World:
    """What the URLs are filled from: pks and keys of alice's things and of the things only leads see."""

    users: dict
    student_cookies: dict  # the session's, and the signed note of the class its screen follows
    values: dict


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end; each test runs in a
    savepoint of it (pytest-django's `db`), so what one request changes no other test sees."""
    keys = override_settings(BUNDLE_SIGNING_KEY_FILE=tmp_path_factory.mktemp("keys") / "bundle_signing_key")
    with django_db_blocker.unblock(), keys:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _build_world() -> World:
    package = load_bundled_package()
    alice, bob, lead = make_teacher("alice"), make_teacher("bob"), make_teacher("lead", staff=True)
    class_session = make_class_session(teacher=alice, package=package)
    store(
        package=package, class_session=class_session, stage=Stage.FEEDBACK, **{"what-change": "More on apps"}
    )
    comment = FeedbackAnswer.objects.get(question__key="what-change")
    note = FocusGroupNote.objects.create(class_session=class_session, group_size=4, notes="Liked the chat.")
    bundle, _ = bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy")))
    with pytest.raises(BundleError):  # the same school, another key: waits for the pilot lead
        bundle_importing.bundle_import(
            raw=signed(bundle_contents("Northfield Academy"), Ed25519PrivateKey.generate())
        )
    student = Client()
    assert join_class(student, class_session).status_code == 302
    poll = Poll.objects.create(class_session=class_session, step_key="spot-the-pressure")
    shared_text = SharedText.objects.create(poll=poll, text="An answer from the class")
    question = AnonymousQuestion.objects.create(class_session=class_session, text="A question from the class")
    return World(
        users={"alice": alice, "bob": bob, "lead": lead},
        student_cookies={name: student.cookies[name].value for name in ("sessionid", "live_class")},
        values={
            "session": class_session.pk,
            "package": package.pk,
            "slug": package.slug,
            "step": Step.objects.filter(package=package).first().key,
            "picture": package.start_picture_id,
            "step_pk": Step.objects.filter(package=package).first().pk,
            "strategy_pk": Strategy.objects.filter(package=package).first().pk,
            "comment": comment.pk,
            "note": note.pk,
            "bundle": bundle.pk,
            "school_key": SchoolKey.objects.get(status=SchoolKey.Status.WAITING).pk,
            "group": Group.objects.create(name="Pilot schools").pk,
            "user": alice.pk,
            "class_session_type": ContentType.objects.get_for_model(ClassSession).pk,
            "shared_text": shared_text.pk,
            "question": question.pk,
        },
    )


def _admin_model(route: str, object_id: str) -> dict[str, str]:
    """The six URLs the admin gives every registered model: list, add, history, delete, change, and the
    bare object URL that redirects to change."""
    return {
        f"admin/{route}/": f"/admin/{route}/",
        f"admin/{route}/add/": f"/admin/{route}/add/",
        f"admin/{route}/<path:object_id>/history/": f"/admin/{route}/{object_id}/history/",
        f"admin/{route}/<path:object_id>/delete/": f"/admin/{route}/{object_id}/delete/",
        f"admin/{route}/<path:object_id>/change/": f"/admin/{route}/{object_id}/change/",
        f"admin/{route}/<path:object_id>/": f"/admin/{route}/{object_id}/",
    }


# Every URL pattern, with the address the test opens for it (filled in from the World's values).
URLS = {
    "": "/",
    "start/<int:package_id>/": "/start/{package}/",
    "join": "/join",
    "join/": "/join/",
    "help/": "/help/",
    r"^pictures/(?P<sha256>[0-9a-f]{64})\.webp$": "/pictures/{picture}.webp",
    r"^pictures/(?P<sha256>[0-9a-f]{64})-small\.webp$": "/pictures/{picture}-small.webp",
    "live/": "/live/",
    "lesson/": "/lesson/",
    "lesson/resume/": "/lesson/resume/",
    "lesson/end/": "/lesson/end/",
    "lesson/<slug:key>/": "/lesson/{step}/",
    "teach/": "/teach/",
    "teach/sessions/<int:pk>/": "/teach/sessions/{session}/",
    "teach/sessions/<int:pk>/qr.svg": "/teach/sessions/{session}/qr.svg",
    "teach/sessions/<int:pk>/places/": "/teach/sessions/{session}/places/",
    "teach/sessions/<int:pk>/close/": "/teach/sessions/{session}/close/",
    "teach/sessions/<int:pk>/reopen/": "/teach/sessions/{session}/reopen/",
    "lesson/responses/question/": "/lesson/responses/question/",
    "lesson/responses/<slug:key>/vote/": "/lesson/responses/go-back/vote/",
    "lesson/responses/<slug:key>/words/": "/lesson/responses/how-jordan-feels/words/",
    "lesson/responses/<slug:key>/text/": "/lesson/responses/spot-the-pressure/text/",
    "teach/sessions/<int:pk>/responses/<slug:key>/": "/teach/sessions/{session}/responses/go-back/",
    "teach/sessions/<int:pk>/responses/<slug:key>/<slug:action>/": (
        "/teach/sessions/{session}/responses/go-back/close/"
    ),
    "teach/sessions/<int:pk>/responses/texts/<int:text_id>/<slug:action>/": (
        "/teach/sessions/{session}/responses/texts/{shared_text}/approve/"
    ),
    "teach/sessions/<int:pk>/responses/questions/<int:question_id>/<slug:action>/": (
        "/teach/sessions/{session}/responses/questions/{question}/show/"
    ),
    "teach/packages/": "/teach/packages/",
    "teach/packages/import/": "/teach/packages/import/",
    "teach/packages/<int:pk>/draft/": "/teach/packages/{package}/draft/",
    "teach/packages/<int:pk>/publish/": "/teach/packages/{package}/publish/",
    "teach/packages/<int:pk>/file.yaml": "/teach/packages/{package}/file.yaml",
    "teach/sessions/<int:pk>/console/": "/teach/sessions/{session}/console/",
    "teach/sessions/<int:pk>/projector/": "/teach/sessions/{session}/projector/",
    "teach/sessions/<int:pk>/live/": "/teach/sessions/{session}/live/",
    "teach/sessions/<int:pk>/live/show/": "/teach/sessions/{session}/live/show/",
    "teach/sessions/<int:pk>/live/pace/": "/teach/sessions/{session}/live/pace/",
    "teach/sessions/<int:pk>/live/pause/": "/teach/sessions/{session}/live/pause/",
    "teach/preview/<int:package_id>/": "/teach/preview/{package}/",
    "teach/preview/<int:package_id>/<slug:key>/": "/teach/preview/{package}/{step}/",
    "plan/": "/plan/",
    "plan/summary/": "/plan/summary/",
    "plan/print/": "/plan/print/",
    "plan/download/": "/plan/download/",
    "plan/delete/": "/plan/delete/",
    "plan/finish/": "/plan/finish/",
    "plan/cleared/": "/plan/cleared/",
    "plan/<slug:key>/": "/plan/strategies/",
    "parents/": "/parents/",
    "parents/handout.pdf": "/parents/handout.pdf",
    "feedback/": "/feedback/",
    "feedback/thanks/": "/feedback/thanks/",
    "feedback/check-in/": "/feedback/check-in/",
    "feedback/check-in/thanks/": "/feedback/check-in/thanks/",
    "feedback/results/": "/feedback/results/",
    "feedback/results/answers.csv": "/feedback/results/answers.csv",
    "feedback/results/report.pdf": "/feedback/results/report.pdf",
    "feedback/results/sessions/<int:pk>/": "/feedback/results/sessions/{session}/",
    "feedback/results/sessions/<int:pk>/answers.csv": "/feedback/results/sessions/{session}/answers.csv",
    "feedback/results/sessions/<int:pk>/report.pdf": "/feedback/results/sessions/{session}/report.pdf",
    "feedback/results/sessions/<int:pk>/notes/new/": "/feedback/results/sessions/{session}/notes/new/",
    "feedback/results/packages/<int:pk>/": "/feedback/results/packages/{package}/",
    "feedback/results/packages/<int:pk>/answers.csv": "/feedback/results/packages/{package}/answers.csv",
    "feedback/results/packages/<int:pk>/report.pdf": "/feedback/results/packages/{package}/report.pdf",
    "feedback/results/compare/<slug:slug>/": "/feedback/results/compare/{slug}/",
    "feedback/bundles/": "/feedback/bundles/",
    "feedback/bundles/export/": "/feedback/bundles/export/",
    "feedback/bundles/<int:pk>/delete/": "/feedback/bundles/{bundle}/delete/",
    "feedback/bundles/keys/<int:pk>/accept/": "/feedback/bundles/keys/{school_key}/accept/",
    "feedback/bundles/keys/<int:pk>/dismiss/": "/feedback/bundles/keys/{school_key}/dismiss/",
    "feedback/bundles/results/<slug:slug>/<int:version>/<slug:digest>/": (
        "/feedback/bundles/results/hand-made/1/" + "a" * 64 + "/"
    ),
    "feedback/comments/<uuid:pk>/hide/": "/feedback/comments/{comment}/hide/",
    "feedback/notes/<int:pk>/delete/": "/feedback/notes/{note}/delete/",
    "accounts/login/": "/accounts/login/",
    "accounts/logout/": "/accounts/logout/",
    "admin/login/": "/admin/login/",
    "admin/": "/admin/",
    "admin/logout/": "/admin/logout/",
    "admin/password_change/": "/admin/password_change/",
    "admin/password_change/done/": "/admin/password_change/done/",
    "admin/autocomplete/": "/admin/autocomplete/",
    "admin/jsi18n/": "/admin/jsi18n/",
    "admin/r/<path:content_type_id>/<path:object_id>/": "/admin/r/{class_session_type}/{session}/",
    **_admin_model("auth/group", "{group}"),
    "admin/auth/user/<id>/password/": "/admin/auth/user/{user}/password/",
    **_admin_model("auth/user", "{user}"),
    "admin/lessons/package/import/": "/admin/lessons/package/import/",
    **_admin_model("lessons/package", "{package}"),
    **_admin_model("lessons/step", "{step_pk}"),
    **_admin_model("lessons/strategy", "{strategy_pk}"),
    **_admin_model("lessons/classsession", "{session}"),
    "admin/(?P<app_label>auth|lessons)/$": "/admin/lessons/",
    "admin/(?P<url>.*)$": "/admin/no-such-page/",
    "healthz": "/healthz",
}


def url_patterns(patterns=None, prefix: str = "") -> list[tuple[str, str]]:
    """(route, name) of every URL pattern, walking included URL confs the way Django joins their routes."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).removeprefix("^") if prefix else str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += url_patterns(pattern.url_patterns, route)
        else:
            found.append((route, pattern.name or ""))
    return found


def _client(world: World, role: str) -> Client:
    client = Client()
    if role == "student":
        for name, value in world.student_cookies.items():
            client.cookies[name] = value
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


def outcome(response) -> str:
    """A response in the matrix's words: a status code, "login" or "admin login" (sent to log in), or
    "-> /path" (any other redirect)."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/accounts/login/?next="):
            return "login"
        if location.startswith("/admin/login/?next="):
            return "admin login"
        return f"-> {location}"
    return str(response.status_code)


# What each visitor gets, by GET and by POST (an empty form), in the order of ROLES:
#   a status code; LOGIN: sent to /accounts/login/; ADMIN: sent to the admin's log-in; to(path): redirected.
OK, NO_CONTENT, BAD, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, CONFLICT = (
    "200",
    "204",
    "400",
    "403",
    "404",
    "405",
    "409",
)
LOGIN, ADMIN = "login", "admin login"


def to(path: str) -> str:
    return f"-> {path}"


def everyone(outcome: str) -> tuple[str, ...]:
    return (outcome,) * len(ROLES)


def lead_only_admin(get: str, post: str) -> dict[str, tuple[str, ...]]:
    """An admin page: everyone but the pilot lead is sent to the admin's log-in, whatever the method."""
    return {"GET": (ADMIN, ADMIN, ADMIN, ADMIN, get), "POST": (ADMIN, ADMIN, ADMIN, ADMIN, post)}


def admin_model(route: str, object_id: str, *, editable: bool) -> dict[str, dict]:
    """The six admin pages of a model for the pilot lead (a superuser). A published package version and its
    content are frozen: it can be viewed, never added, changed or deleted in the admin."""
    change = to(f"/admin/{route}/{object_id}/change/")
    return {
        f"admin/{route}/": lead_only_admin(OK, OK),
        f"admin/{route}/add/": lead_only_admin(*(OK, OK) if editable else (FORBIDDEN, FORBIDDEN)),
        f"admin/{route}/<path:object_id>/history/": lead_only_admin(OK, OK),
        # An empty POST to delete only shows the confirmation again.
        f"admin/{route}/<path:object_id>/delete/": lead_only_admin(
            *(OK, OK) if editable else (FORBIDDEN,) * 2
        ),
        f"admin/{route}/<path:object_id>/change/": lead_only_admin(OK, OK if editable else FORBIDDEN),
        f"admin/{route}/<path:object_id>/": lead_only_admin(change, change),
    }


#                     anonymous, student, alice, bob, lead
MATRIX = {
    # Students' pages: open to all; the lesson pages need a lesson started in this browser (only the student).
    "": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    "start/<int:package_id>/": {"GET": everyone(NOT_ALLOWED), "POST": everyone(to("/lesson/"))},
    "join": {"GET": everyone(OK), "POST": everyone(BAD)},
    "join/": {"GET": everyone(OK), "POST": everyone(BAD)},
    "help/": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    # Pictures of published versions and drafts alike: public, named by a hash nobody can guess.
    r"^pictures/(?P<sha256>[0-9a-f]{64})\.webp$": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    r"^pictures/(?P<sha256>[0-9a-f]{64})-small\.webp$": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    # A student's screen polls its class's live state: this student joined alice's class (the join gave the
    # device its signed note of the class); anyone else follows no class and gets 204, no content.
    "live/": {"GET": (NO_CONTENT, OK, NO_CONTENT, NO_CONTENT, NO_CONTENT), "POST": everyone(NOT_ALLOWED)},
    "lesson/": {"GET": (to("/"), OK, to("/"), to("/"), to("/")), "POST": everyone(NOT_ALLOWED)},
    "lesson/resume/": {
        "GET": (to("/"), to("/lesson/"), to("/"), to("/"), to("/")),
        "POST": everyone(NOT_ALLOWED),
    },
    "lesson/end/": {"GET": (to("/"), OK, to("/"), to("/"), to("/")), "POST": everyone(NOT_ALLOWED)},
    "lesson/<slug:key>/": {"GET": (to("/"), OK, to("/"), to("/"), to("/")), "POST": everyone(NOT_ALLOWED)},
    # Teachers' pages: alice's session is hers and the pilot lead's; bob gets a 404 as if it did not exist.
    "teach/": {"GET": (LOGIN, LOGIN, OK, OK, OK), "POST": (LOGIN, LOGIN, OK, OK, OK)},
    "teach/sessions/<int:pk>/": {
        "GET": (LOGIN, LOGIN, OK, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    },
    "teach/sessions/<int:pk>/qr.svg": {
        "GET": (LOGIN, LOGIN, OK, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    },
    "teach/sessions/<int:pk>/places/": {
        "GET": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        "POST": (LOGIN, LOGIN, BAD, NOT_FOUND, BAD),
    },
    "teach/sessions/<int:pk>/close/": {
        "GET": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        "POST": (LOGIN, LOGIN, to("/teach/sessions/{session}/"), NOT_FOUND, to("/teach/sessions/{session}/")),
    },
    "teach/sessions/<int:pk>/reopen/": {
        "GET": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        "POST": (LOGIN, LOGIN, to("/teach/sessions/{session}/"), NOT_FOUND, to("/teach/sessions/{session}/")),
    },
    # The live lesson's console, projector screen and the state they poll; its controls (an empty form
    # changes nothing and says so on the console).
    **{
        f"teach/sessions/<int:pk>/{page}": {
            "GET": (LOGIN, LOGIN, OK, NOT_FOUND, OK),
            "POST": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        }
        for page in ["console/", "projector/", "live/"]
    },
    **{
        f"teach/sessions/<int:pk>/live/{control}/": {
            "GET": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            "POST": (
                LOGIN,
                LOGIN,
                to("/teach/sessions/{session}/console/"),
                NOT_FOUND,
                to("/teach/sessions/{session}/console/"),
            ),
        }
        for control in ["show", "pace", "pause"]
    },
    # The live lesson's answers: students of the class send them (an empty form comes back to the lesson with
    # a message); alice and the lead act on them and see the console's panel; bob gets a 404.
    **{
        route: {
            "GET": everyone(NOT_ALLOWED),
            "POST": (to("/"), to("/lesson/resume/#live-responses"), to("/"), to("/"), to("/")),
        }
        for route in [
            "lesson/responses/question/",
            "lesson/responses/<slug:key>/vote/",
            "lesson/responses/<slug:key>/words/",
            "lesson/responses/<slug:key>/text/",
        ]
    },
    "teach/sessions/<int:pk>/responses/<slug:key>/": {
        "GET": (LOGIN, LOGIN, OK, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    },
    **{
        route: {
            "GET": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            "POST": (
                LOGIN,
                LOGIN,
                to("/teach/sessions/{session}/"),
                NOT_FOUND,
                to("/teach/sessions/{session}/"),
            ),
        }
        for route in [
            "teach/sessions/<int:pk>/responses/<slug:key>/<slug:action>/",
            "teach/sessions/<int:pk>/responses/texts/<int:text_id>/<slug:action>/",
            "teach/sessions/<int:pk>/responses/questions/<int:question_id>/<slug:action>/",
        ]
    },
    # The packages page and its buttons are for pilot leads; the world's package is published, so it has no
    # draft to publish, and a draft started from it goes back to the page.
    "teach/packages/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
    },
    "teach/packages/import/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, BAD),
    },
    "teach/packages/<int:pk>/draft/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, to("/teach/packages/")),
    },
    "teach/packages/<int:pk>/publish/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    },
    "teach/packages/<int:pk>/file.yaml": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
    },
    # Previews of packages (drafts as a rule) are for pilot leads.
    "teach/preview/<int:package_id>/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
    },
    "teach/preview/<int:package_id>/<slug:key>/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
    },
    # The plan is the student's alone: a signed-in teacher or pilot lead is turned away from every plan page.
    "plan/": {"GET": (OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), "POST": everyone(NOT_ALLOWED)},
    "plan/summary/": {"GET": (OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN), "POST": everyone(NOT_ALLOWED)},
    "plan/print/": {
        "GET": (to("/plan/summary/"), to("/plan/summary/"), FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "POST": everyone(NOT_ALLOWED),
    },
    "plan/download/": {
        "GET": (to("/plan/summary/"), to("/plan/summary/"), FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "POST": everyone(NOT_ALLOWED),
    },
    "plan/delete/": {
        "GET": everyone(NOT_ALLOWED),
        "POST": (to("/plan/"), to("/plan/"), FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    # Finishing clears whatever this browser holds, a teacher's log-in included.
    "plan/finish/": {"GET": everyone(NOT_ALLOWED), "POST": everyone(to("/plan/cleared/"))},
    "plan/cleared/": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    "plan/<slug:key>/": {
        "GET": (OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        "POST": (to("/plan/lines/"), to("/plan/lines/"), FORBIDDEN, FORBIDDEN, FORBIDDEN),
    },
    "parents/": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    "parents/handout.pdf": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    # Students' feedback: only from a browser in a lesson (this student has not walked the story yet, so the
    # feedback page asks them to finish it first and refuses answers).
    "feedback/": {
        "GET": (to("/"), OK, to("/"), to("/"), to("/")),
        "POST": (to("/"), FORBIDDEN, *(to("/"),) * 3),
    },
    "feedback/thanks/": {
        "GET": (to("/"), to("/feedback/"), to("/"), to("/"), to("/")),
        "POST": everyone(NOT_ALLOWED),
    },
    "feedback/check-in/": {
        "GET": (to("/"), OK, to("/"), to("/"), to("/")),
        "POST": (to("/"), to("/lesson/meet-jordan/"), to("/"), to("/"), to("/")),  # on to the story
    },
    "feedback/check-in/thanks/": {
        "GET": (to("/"), to("/feedback/check-in/"), to("/"), to("/"), to("/")),
        "POST": everyone(NOT_ALLOWED),
    },
    # Results: every teacher has their own; one session's are alice's and the lead's; one package version's
    # are for teachers who ran it and pilot leads.
    **{
        route: {
            "GET": (LOGIN, LOGIN, OK, OK, OK),
            "POST": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        }
        for route in ["feedback/results/", "feedback/results/answers.csv", "feedback/results/report.pdf"]
    },
    **{
        f"feedback/results/{scope}/<int:pk>/{page}": {
            "GET": (LOGIN, LOGIN, OK, NOT_FOUND, OK),
            "POST": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        }
        for scope in ["sessions", "packages"]
        for page in ["", "answers.csv", "report.pdf"]
    },
    "feedback/results/sessions/<int:pk>/notes/new/": {
        "GET": (LOGIN, LOGIN, OK, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, OK, NOT_FOUND, OK),
    },
    "feedback/results/compare/<slug:slug>/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
    },
    "feedback/comments/<uuid:pk>/hide/": {
        "GET": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        "POST": (LOGIN, LOGIN, to("/feedback/results/"), NOT_FOUND, to("/feedback/results/")),
    },
    "feedback/notes/<int:pk>/delete/": {
        "GET": (LOGIN, LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        "POST": (
            LOGIN,
            LOGIN,
            to("/feedback/results/sessions/{session}/"),
            NOT_FOUND,
            to("/feedback/results/sessions/{session}/"),
        ),
    },
    # Results bundles: any teacher exports their own; importing and reading schools' bundles is for leads.
    "feedback/bundles/export/": {"GET": (LOGIN, LOGIN, OK, OK, OK), "POST": (LOGIN, LOGIN, OK, OK, OK)},
    "feedback/bundles/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, OK),
    },
    **{
        route: {
            "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
            "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, to("/feedback/bundles/")),
        }
        for route in [
            "feedback/bundles/<int:pk>/delete/",
            "feedback/bundles/keys/<int:pk>/accept/",
            "feedback/bundles/keys/<int:pk>/dismiss/",
        ]
    },
    "feedback/bundles/results/<slug:slug>/<int:version>/<slug:digest>/": {
        "GET": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, OK),
        "POST": (LOGIN, LOGIN, NOT_FOUND, NOT_FOUND, NOT_ALLOWED),
    },
    # Logging in and out.
    "accounts/login/": {"GET": everyone(OK), "POST": everyone(OK)},
    "accounts/logout/": {"GET": everyone(NOT_ALLOWED), "POST": everyone(to("/accounts/login/"))},
    "admin/login/": {"GET": (OK, OK, OK, OK, to("/admin/")), "POST": everyone(OK)},
    # The admin: for pilot leads (staff) only.
    "admin/": lead_only_admin(OK, OK),
    "admin/(?P<app_label>auth|lessons)/$": lead_only_admin(OK, OK),
    "admin/(?P<url>.*)$": lead_only_admin(NOT_FOUND, NOT_FOUND),
    "admin/logout/": {
        "GET": (to("/admin/"), to("/admin/"), to("/admin/"), to("/admin/"), NOT_ALLOWED),
        "POST": (to("/admin/"), to("/admin/"), to("/admin/"), to("/admin/"), to("/accounts/login/")),
    },
    "admin/password_change/": lead_only_admin(OK, OK),
    "admin/password_change/done/": lead_only_admin(OK, NOT_ALLOWED),
    "admin/autocomplete/": lead_only_admin(FORBIDDEN, NOT_ALLOWED),  # no field named: refused
    "admin/jsi18n/": lead_only_admin(OK, NOT_ALLOWED),
    "admin/r/<path:content_type_id>/<path:object_id>/": lead_only_admin(
        to("http://testserver/teach/sessions/{session}/"), to("http://testserver/teach/sessions/{session}/")
    ),
    "admin/auth/user/<id>/password/": lead_only_admin(OK, OK),
    "admin/lessons/package/import/": lead_only_admin(OK, OK),
    **admin_model("auth/group", "{group}", editable=True),
    **admin_model("auth/user", "{user}", editable=True),
    **admin_model("lessons/package", "{package}", editable=False),
    **admin_model("lessons/step", "{step_pk}", editable=False),
    **admin_model("lessons/strategy", "{strategy_pk}", editable=False),
    **admin_model("lessons/classsession", "{session}", editable=True),
    "healthz": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
}
# alice's things in a teacher's page: bob must get a 404 for each (or a 405 for a method the page never takes).
ALICES_THINGS = ("{session}", "{comment}", "{note}", "/feedback/results/packages/")


def test_every_url_pattern_is_in_the_matrix():
    routes = [route for route, _ in url_patterns()]
    assert set(routes) == set(MATRIX), (
        f"Say who may open each new page: not in the matrix: {sorted(set(routes) - set(MATRIX))}; "
        f"no longer a URL pattern: {sorted(set(MATRIX) - set(routes))}"
    )
    assert set(URLS) == set(MATRIX)


def test_the_admins_own_log_in_without_a_limit_is_unreachable():
    """Two patterns share admin/login/: the throttled log-in, listed first in config.urls, answers it."""
    routes = [route for route, _ in url_patterns()]
    assert {route for route in routes if routes.count(route) > 1} == {"admin/login/"}
    assert [name for route, name in url_patterns() if route == "admin/login/"] == ["admin_login", "login"]
    assert resolve("/admin/login/").view_name == "admin_login"


def test_bob_gets_a_404_for_every_one_of_alices_things():
    """The matrix itself may not let another teacher in: bob's answers on alice's things are 404 (405 for a
    method the page never accepts, which says nothing about the session)."""
    bob = ROLES.index("bob")
    alices = [
        route
        for route, url in URLS.items()
        if not route.startswith("admin/") and any(t in url for t in ALICES_THINGS)
    ]
    assert len(alices) >= 15
    for route in alices:
        answers = {MATRIX[route]["GET"][bob], MATRIX[route]["POST"][bob]}
        assert NOT_FOUND in answers and answers <= {NOT_FOUND, NOT_ALLOWED}, route


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_visitor_gets_what_the_matrix_says(world, db, route):
    url = URLS[route].format(**world.values)
    assert resolve(url).route == route, f"{url} does not open {route}"
    expected, actual = {}, {}
    for method in ("GET", "POST"):
        for role, outcome_expected in zip(ROLES, MATRIX[route][method], strict=True):
            expected[method, role] = outcome_expected.format(**world.values)
            with transaction.atomic():  # each request starts from the same world
                actual[method, role] = outcome(getattr(_client(world, role), method.lower())(url))
                transaction.set_rollback(True)
    assert actual == expected
