"""Failed attempts (wrong passwords, wrong class codes) counted per hashed key and time window."""

from django.db import models
from django.db.models import Q


class FailureCount(models.Model):
    """Failed attempts (such as wrong join codes) per hashed key and time window, shared by all processes."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        # The table the lessons app made before this model moved here: its rows (live cool-offs) stay.
        db_table = "lessons_failurecount"
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="failure_unique_window"),
            models.CheckConstraint(condition=Q(count__gte=0), name="failure_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.count} failures since {self.window_start:%H:%M}"
