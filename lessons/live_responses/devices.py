"""One answer per device without naming it: a random token in the device's session, stored only as a hash.

The token lives only in the student's (encrypted) session, for the class session they are in. The database
keeps an HMAC of it with a key derived from SECRET_KEY (not in the database) and a purpose label naming the
class session, the purpose and the step, so one device's vote on one step shares no value with its vote on
another, its words, or its count of questions. This module alone reads and writes its session keys (the token, and the notice of the last answer).
"""

import secrets
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

SESSION_KEY = "live_responses"
# What the last answer sent without JavaScript came to, shown once in the panel the student returns to.
NOTICE_KEY = "live_responses_notice"


def _token(session, class_session_id: int, *, issue: bool) -> str | None:
    raw = session.get(SESSION_KEY)
    if (
        isinstance(raw, dict)
        and raw.get("class_session") == class_session_id
        and isinstance(raw.get("token"), str)
    ):
        return raw["token"]
    if not issue:
        return None
    token = secrets.token_urlsafe(32)
    session[SESSION_KEY] = {"class_session": class_session_id, "token": token}
    return token


def _hash(token: str, class_session_id: int, purpose: str) -> str:
    label = f"personal-plan.live-responses.{class_session_id}.{purpose}"
    return salted_hmac(label, token, algorithm="sha256").hexdigest()


def device_hash(session, class_session_id: int, purpose: str) -> str:
    """This device's hash for `purpose` ("vote.<step>", "questions", ...), issuing its token if need be."""
    return _hash(_token(session, class_session_id, issue=True), class_session_id, purpose)


def known_device_hash(session, class_session_id: int, purpose: str) -> str | None:
    """The hash if this device has a token already (it has sent something); None otherwise, storing nothing."""
    token = _token(session, class_session_id, issue=False)
    return _hash(token, class_session_id, purpose) if token else None


@dataclass(frozen=True)
class Notice:
    """What an answer or action came to; a refused text answer keeps what was typed (`form`, `value`), so
    that the form shows it again and nothing typed is lost."""

    text: str
    refused: bool = False
    form: str = ""
    value: str = ""


def remember_notice(session, notice: Notice) -> None:
    session[NOTICE_KEY] = {
        "text": notice.text,
        "refused": notice.refused,
        "form": notice.form,
        "value": notice.value,
    }


def take_notice(session) -> Notice | None:
    raw = session.pop(NOTICE_KEY, None)
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(name), str) for name in ("text", "form", "value")
    ):
        return None
    return Notice(raw["text"], refused=raw.get("refused") is True, form=raw["form"], value=raw["value"])
