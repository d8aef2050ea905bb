"""The per-device token that allows one check-in and one feedback per class session without naming anyone.

The random token lives only in the student's session and the database keeps only its SHA-256 hash. Once the
feedback is in, the token is dropped from the session (only "given" marks stay), so a plan made later in the
same session shares nothing with the stored answers.
"""

import hashlib
import secrets

from feedback.models import Stage

SESSION_KEY = "feedback"


def scope_for(lesson_state: dict) -> str:
    """One scope per class session, or per package for a self-guided lesson."""
    if lesson_state.get("class_session"):
        return f"class-{lesson_state['class_session']}"
    return f"self-{lesson_state['package']}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
