"""The live lesson's shared state: the slide the teacher shows, how students follow, and its version number.

Everything here lives in the database (the ClassSession row), never in a process, so a console on one app
server and students on another see the same lesson. Anything that changes what the projector or students'
screens show calls `bump`, so that screens polling the version know to fetch again.
"""

from django.db.models import F

from lessons.models import ClassSession, Pace

# Slides that are not steps of the package. Every other slide key is a step's key.
RULES = "rules"
CHECKIN = "checkin"
PLAN = "plan"
FEEDBACK = "feedback"
CLOSE = "close"
SPECIAL_SLIDES = (RULES, CHECKIN, PLAN, FEEDBACK, CLOSE)

__all__ = ["CHECKIN", "CLOSE", "FEEDBACK", "PLAN", "RULES", "SPECIAL_SLIDES", "Pace", "bump"]


def bump(class_session: ClassSession, **changes) -> None:
    """Save `changes` (live_slide, pace, paused) and raise the version in one UPDATE; the instance follows."""
    ClassSession.objects.filter(pk=class_session.pk).update(live_version=F("live_version") + 1, **changes)
    class_session.refresh_from_db(fields=["live_version", *changes])
