"""Delete what has expired: students' sessions (their place and plan), old guessing counters, and the live
data of class sessions that have closed (or closed themselves after CLASS_SESSION_HOURS): what the class sent
(votes, answers, questions) and where devices were.

Run it from cron or a systemd timer (see docs/deploy.md); it is safe to run at any time, as often as you like.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import FailureCount
from lessons.live_responses.services import responses_delete_ended
from lessons.models import ClassSession, LivePresence


class Command(BaseCommand):
    help = (
        "Delete expired sessions (with any plan in them), old failed-attempt counters, and the live data of "
        "class sessions that have closed or run out of time."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        sessions, _ = Session.objects.filter(expire_date__lte=now).delete()
        longest = max(settings.JOIN_FAILURE_WINDOW_SECONDS, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        counters, _ = FailureCount.objects.filter(window_start__lt=now - timedelta(seconds=longest)).delete()
        # A class session that ran out of time (CLASS_SESSION_HOURS) closed without its teacher's close button.
        closed = ClassSession.objects.exclude(pk__in=ClassSession.objects.open().values("pk"))
        live, _ = LivePresence.objects.filter(class_session__in=closed).delete()
        answers = responses_delete_ended()
        self.stdout.write(
            f"Deleted {sessions} expired sessions, {counters} old counters and {live} rows of closed lessons' "
            "live data."
        )
        self.stdout.write(f"Deleted {answers} records of what classes sent in live lessons that have ended.")
