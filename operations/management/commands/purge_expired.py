"""Delete what has expired: students' sessions (their place and plan) and old guessing counters.

Run it from cron or a systemd timer (see docs/deploy.md); it is safe to run at any time, as often as you like.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import FailureCount


class Command(BaseCommand):
    help = "Delete expired sessions (with any plan in them) and old failed-attempt counters."

    def handle(self, *args, **options):
        now = timezone.now()
        sessions, _ = Session.objects.filter(expire_date__lte=now).delete()
        longest = max(settings.JOIN_FAILURE_WINDOW_SECONDS, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        counters, _ = FailureCount.objects.filter(window_start__lt=now - timedelta(seconds=longest)).delete()
        self.stdout.write(f"Deleted {sessions} expired sessions and {counters} old counters.")
