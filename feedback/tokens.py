"""The per-device token that allows one check-in and one feedback per class session without naming anyone.

The random token lives only in the student's session. The database keeps a keyed hash of it (HMAC-SHA256 with
a key derived from SECRET_KEY, which is not in the database), a different one for each stage and scope: a
device's check-in and feedback rows share no value, and someone holding the database or a backup (sessions and
their tokens included) but not the key cannot match a session, or the plan in it, to any answers. Once the
feedback is in, the token is dropped from the session (only "given" marks stay), so a plan made later in the
same session shares nothing with the stored answers.
"""

import secrets

from django.utils.crypto import salted_hmac

from feedback.models import Stage
from lessons.walkthrough import LessonState

SESSION_KEY = "feedback"


def scope_of(*, package_id: int, class_session_id: int | None) -> str:
    """One scope per class session, or per package version for a self-guided lesson."""
    return f"class-{class_session_id}" if class_session_id else f"self-{package_id}"


def scope_for(lesson: LessonState) -> str:
    return scope_of(package_id=lesson.package_id, class_session_id=lesson.class_session_id)


def hash_token(token: str, *, stage: str, scope: str) -> str:
    """The token's keyed hash for one stage in one scope: the purpose label keeps each stage's hash apart.

    Rows stored before these keyed hashes hold a plain SHA-256 of the token; they cannot be recomputed (the
    token is gone), so they keep it; the "given" marks in a device's session still stop it answering twice.
    """
    return salted_hmac(f"personal-plan.feedback-token.{stage}.{scope}", token, algorithm="sha256").hexdigest()


def _scopes(session) -> dict:
    scopes = session.get(SESSION_KEY)
    return scopes if isinstance(scopes, dict) else {}


def has_given(session, scope: str, stage: str) -> bool:
    return stage in _scopes(session).get(scope, {}).get("given", [])


def is_finished(session, scope: str) -> bool:
    """After the feedback there is nothing more to ask, not even a late check-in."""
    return has_given(session, scope, Stage.FEEDBACK)


def device_token(session, scope: str) -> str:
    """This device's token for the scope, issued the first time it is needed."""
    scopes = _scopes(session)
    entry = scopes.setdefault(scope, {"given": []})
    if not entry.get("token"):
        entry["token"] = secrets.token_urlsafe(32)
        session[SESSION_KEY] = scopes
        session.modified = True
    return entry["token"]


def mark_given(session, scope: str, stage: str) -> None:
    scopes = _scopes(session)
    entry = scopes.setdefault(scope, {"given": []})
    if stage not in entry["given"]:
        entry["given"].append(stage)
    if stage == Stage.FEEDBACK:
        entry.pop("token", None)
    session[SESSION_KEY] = scopes
    session.modified = True
