"""Builders for feedback tests: answers given the way a student gives them, or stored directly in bulk."""

import secrets

from feedback.models import Stage
from feedback.services import feedback_submit
from lessons.models import ClassSession, Package
from tests.builders import walk_lesson


def give(client, stage: str = Stage.FEEDBACK, *, walk: bool = True, **answers):
    """A student's browser opens the check-in or feedback page and sends these answers; before the feedback it
    walks the whole story first (unless `walk` is False), as the feedback counts only from a device that did."""
    url = "/feedback/check-in/" if stage == Stage.CHECKIN else "/feedback/"
    if stage == Stage.FEEDBACK and walk:
        walk_lesson(client)
    client.get(url)
    return client.post(url, answers)


def store(
    *,
    package: Package,
    class_session: ClassSession | None = None,
    stage: str = Stage.FEEDBACK,
    token: str | None = None,
    **answers,
):
    """One device's answers stored through the service, for building result data sets quickly."""
    return feedback_submit(
        package=package,
        class_session=class_session,
        stage=stage,
        token=token or secrets.token_urlsafe(16),
        answers=answers,
    )


def store_many(answer_sets: list[dict], **where) -> None:
    for answers in answer_sets:
        store(**where, **answers)


def publish_next_version(package: Package) -> Package:
    """The next published version of a package, copied from this one as a pilot lead would in the admin."""
    from lessons.services import package_publish, package_start_draft

    return package_publish(package=package_start_draft(source=package))


def answer_in_class(class_session: ClassSession, checkins: list[dict], feedback: list[dict]) -> None:
    """Stores a class's check-ins and feedback, one device per answer set."""
    store_many(checkins, package=class_session.package, class_session=class_session, stage=Stage.CHECKIN)
    store_many(feedback, package=class_session.package, class_session=class_session)


def scale_item(key: str, distribution: list[int]) -> dict:
    """A 1–5 question's figures as a bundle carries them, mean and median worked out from the counts."""
    from feedback import stats

    answered = sum(distribution)
    return {
        "question": key,
        "text": f"Question {key}",
        "kind": "scale",
        "answered": answered,
        "low_label": "Not at all",
        "high_label": "Very",
        "distribution": distribution,
        "mean": round(stats.mean_of(distribution), 4) if answered else None,
        "median": round(stats.median_of(distribution), 4) if answered else None,
    }


def options_item(key: str, kind: str, answered: int, counts: list[int]) -> dict:
    options = [{"label": f"Answer {n}", "count": count} for n, count in enumerate(counts)]
    return {
        "question": key,
        "text": f"Question {key}",
        "kind": kind,
        "answered": answered,
        "options": options,
    }


def bundle_version(
    *,
    sessions: int = 1,
    responses: int = 5,
    checkin: list[dict] | None = None,
    feedback: list[dict] | None = None,
) -> dict:
    """One package version's figures, written by hand: a slug no server here has, fresh session references."""
    import uuid

    checkin = [scale_item("confident", [0, 1, 2, 1, 1])] if checkin is None else checkin
    feedback = [scale_item("confident", [0, 0, 1, 2, 2])] if feedback is None else feedback
    return {
        "slug": "hand-made",
        "version": 1,
        "digest": "a" * 64,
        "title": "A hand-made lesson",
        "class_sessions": sessions,
        "sessions": sorted(str(uuid.uuid4()) for _ in range(sessions)),
        "from_month": "2026-01",
        "to_month": "2026-02",
        "stages": {
            "checkin": {"responses": responses, "shown": True, "items": checkin},
            "feedback": {"responses": responses, "shown": True, "items": feedback},
        },
        "confidence_changes": [],
        "comments": [],
        "plans": {"made": None, "downloaded": None},
    }


def bundle_contents(school: str = "Northfield Academy", *versions: dict) -> dict:
    return {
        "school": school,
        "exported_month": "2026-03",
        "minimum_group": 5,
        "comments_included": False,
        "package_versions": list(versions) or [bundle_version()],
    }


def signed(contents: dict, key=None) -> bytes:
    """The bundle file for these contents, signed by `key` (by default this server's own)."""
    from feedback.bundles import file as bundle_file
    from feedback.bundles import keys as bundle_keys

    return bundle_file.to_json(bundle_file.seal(contents, key or bundle_keys.private_key()))


def sealed_bundle(contents: dict, format_version: int) -> bytes:
    """A results bundle signed as a server writing `format_version` would sign it."""
    import hashlib

    from feedback.bundles import file as bundle_file
    from feedback.bundles import keys as bundle_keys

    bundle = {
        "format": bundle_file.FORMAT,
        "format_version": format_version,
        "contents": contents,
        "public_key": bundle_keys.public_key_hex(bundle_keys.private_key()),
    }
    message = bundle_file.signed_message(bundle)
    bundle["checksum"] = hashlib.sha256(message).hexdigest()
    bundle["signature"] = bundle_keys.sign(bundle_keys.private_key(), message)
    return bundle_file.to_json(bundle)
