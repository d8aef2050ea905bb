"""The console's counts for a live lesson: devices joined, on each slide, plans made, check-ins and feedback.

Counts only, never a list: the console shows how many, never which device. A device is one LivePresence row
keyed by an HMAC of a random token in its session, written only when the device moves to another slide (or
first saves a plan) and only while the class session is open, and deleted with the rest of the class's live
data when the session closes.
"""

from django.db import connections, router
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from lessons import live, walkthrough
from lessons.models import ClassSession, LivePresence

# Names this HMAC's key for this use alone (Django derives it from SECRET_KEY and this label).
DEVICE_KEY_PURPOSE = "lessons.presence.device"


def device_key(token: str) -> str:
    return salted_hmac(DEVICE_KEY_PURPOSE, token, algorithm="sha256").hexdigest()


def arrive(session, slide: str) -> None:
    """Count this device on `slide` of its class's live lesson. Nothing when it is already counted there (no
    query at all); otherwise one statement."""
    state = walkthrough.lesson_state(session)
    if state is None or state.class_session_id is None or state.counted_slide == slide:
        return
    if _count(session, state.class_session_id, slide, change="slide"):
        walkthrough.remember_counted(session, slide=slide)


def plan_made(session) -> None:
    """Count this device's plan once (a device that saves a part of its plan has made one)."""
    state = walkthrough.lesson_state(session)
    if state is None or state.class_session_id is None or state.plan_counted:
        return
    if _count(session, state.class_session_id, live.PLAN, plan_made=True, change="plan_made"):
        walkthrough.remember_counted(session, plan=True)


# The names in braces are the models' own, quoted; every value is a parameter.
COUNT_STATEMENT = (
    "INSERT INTO {presence} ({class_session}, {device}, {slide}, {plan_made}) SELECT %s, %s, %s, %s "
    "WHERE EXISTS (SELECT 1 FROM {sessions} WHERE {id} = %s AND {closed_at} IS NULL AND {closes_at} > %s) "
    "ON CONFLICT ({class_session}, {device}) DO UPDATE SET {change} = excluded.{change}"
)


def _count(session, class_session_id: int, slide: str, *, plan_made: bool = False, change: str) -> bool:
    """Write the device's row, or update its one field `change`, while the class session is open: one INSERT
    ... SELECT ... WHERE the session is open ... ON CONFLICT DO UPDATE, atomic on its own, so that nothing is
    written for a closed session (whose live data is deleted) even by a page that read it open a moment
    before. SQLite and PostgreSQL both take it. Whether a row was written."""
    connection = connections[router.db_for_write(LivePresence)]
    quote = connection.ops.quote_name

    def columns(model, *names: str) -> dict[str, str]:
        return {name: quote(model._meta.get_field(name).column) for name in names}

    sql = COUNT_STATEMENT.format(
        presence=quote(LivePresence._meta.db_table),
        sessions=quote(ClassSession._meta.db_table),
        change=quote(LivePresence._meta.get_field(change).column),
        **columns(LivePresence, "class_session", "device", "slide", "plan_made"),
        **columns(ClassSession, "id", "closed_at", "closes_at"),
    )
    device = device_key(walkthrough.device_token(session))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [class_session_id, device, slide, plan_made, class_session_id, now])
        return cursor.rowcount > 0


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
