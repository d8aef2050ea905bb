"""The console's counts for a live lesson: devices joined, on each slide, plans made, check-ins and feedback.

Counts only, never a list: the console shows how many, never which device. A device is one LivePresence row
keyed by an HMAC of a random token in its session, written only when the device moves to another slide (or
first saves a plan), and deleted with the rest of the class's live data when the session closes.
"""

from django.db.models import Count, Q
from django.utils.crypto import salted_hmac

from lessons import live, walkthrough
from lessons.models import ClassSession, LivePresence

# Names this HMAC's key for this use alone (Django derives it from SECRET_KEY and this label).
DEVICE_KEY_PURPOSE = "lessons.presence.device"


def device_key(token: str) -> str:
    return salted_hmac(DEVICE_KEY_PURPOSE, token, algorithm="sha256").hexdigest()


def _counted_class(state: walkthrough.LessonState, class_state: live.LiveState | None) -> int | None:
    """The open class this device's lesson is in, or None (closed, or gone): a closed session's live data is
    deleted, so nothing may be written for it again. One query unless the caller has just read the state."""
    class_state = class_state or live.live_state(state.class_session_id)
    return state.class_session_id if class_state is not None and class_state.is_open else None


def arrive(session, slide: str, class_state: live.LiveState | None = None) -> None:
    """Count this device on `slide` of its class's live lesson. Nothing when it is already counted there (no
    query at all); otherwise the class's state (is it still open?), unless given, and one
    INSERT ... ON CONFLICT UPDATE."""
    state = walkthrough.lesson_state(session)
    if state is None or state.class_session_id is None or state.counted_slide == slide:
        return
    if (class_session_id := _counted_class(state, class_state)) is None:
        return
    _count(session, LivePresence(class_session_id=class_session_id, slide=slide), change="slide")
    walkthrough.remember_counted(session, slide=slide)


def plan_made(session) -> None:
    """Count this device's plan once (a device that saves a part of its plan has made one)."""
    state = walkthrough.lesson_state(session)
    if state is None or state.class_session_id is None or state.plan_counted:
        return
    if (class_session_id := _counted_class(state, None)) is None:
        return
    row = LivePresence(class_session_id=class_session_id, slide=live.PLAN, plan_made=True)
    _count(session, row, change="plan_made")
    walkthrough.remember_counted(session, plan=True)


def _count(session, row: LivePresence, *, change: str) -> None:
    """Write the device's row in one INSERT ... ON CONFLICT UPDATE of the one field `change`."""
    row.device = device_key(walkthrough.device_token(session))
    LivePresence.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["class_session", "device"], update_fields=[change]
    )


def live_counts(class_session: ClassSession) -> dict:
    """What the console counts: joined, checked_in, feedback_sent, plans_made, and on_slide (devices by the
    slide they are on). Two queries. Check-ins and feedback are counted through the feedback app's reverse
    relation, named here as a lookup and never imported (the feedback app sits above this one)."""
    answered = (
        ClassSession.objects.filter(pk=class_session.pk)
        .annotate(
            checked_in=Count("feedback_responses", filter=Q(feedback_responses__stage="checkin")),
            feedback_sent=Count("feedback_responses", filter=Q(feedback_responses__stage="feedback")),
        )
        .values("students_joined", "checked_in", "feedback_sent")
        .first()
    ) or {"students_joined": 0, "checked_in": 0, "feedback_sent": 0}
    on_slide, plans_made = {}, 0
    rows = (
        LivePresence.objects.filter(class_session=class_session)
        .values("slide")
        .annotate(devices=Count("pk"), plans=Count("pk", filter=Q(plan_made=True)))
    )
    for row in rows:
        on_slide[row["slide"]] = row["devices"]
        plans_made += row["plans"]
    return {
        "joined": answered["students_joined"],
        "checked_in": answered["checked_in"],
        "feedback_sent": answered["feedback_sent"],
        "plans_made": plans_made,
        "on_slide": on_slide,
    }
