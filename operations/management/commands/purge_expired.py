"""Delete what has expired: students' sessions (their place and plan), old guessing counters, and what classes
sent in live lessons that have ended.

Run it from cron or a systemd timer (see docs/deploy.md); it is safe to run at any time, as often as you like.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import FailureCount
from lessons.live_responses.services import responses_delete_ended


class Command(BaseCommand):
    help = (
        "Delete expired sessions (with any plan in them), old failed-attempt counters, and the votes, answers "
        "and questions of class sessions that have closed or run out of time."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        sessions, _ = Session.objects.filter(expire_date__lte=now).delete()
        longest = max(settings.JOIN_FAILURE_WINDOW_SECONDS, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        counters, _ = FailureCount.objects.filter(window_start__lt=now - timedelta(seconds=longest)).delete()
        # A class session that ran out of time (CLASS_SESSION_HOURS) closed without its teacher's close button.
        answers = responses_delete_ended()
        self.stdout.write(f"Deleted {sessions} expired sessions and {counters} old counters.")
        self.stdout.write(f"Deleted {answers} records of what classes sent in live lessons that have ended.")
