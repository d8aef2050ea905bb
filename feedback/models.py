"""Anonymous check-in and feedback answers, and teachers' focus-group notes.

A response carries its class session (none when self-guided), its package version, the date and a hash
of a random per-device token, nothing else: no user, name, address, browser or time of day. Keys are
random UUIDs so that no number anywhere gives away the order in which students answered.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from lessons.models import ClassSession, Package, Question, Step


class Stage(models.TextChoices):
    CHECKIN = "checkin", "Check-in"
    FEEDBACK = "feedback", "Feedback"


class FeedbackResponseQuerySet(models.QuerySet):
    def self_guided(self) -> "FeedbackResponseQuerySet":
        return self.filter(class_session__isnull=True)


class FeedbackResponse(models.Model):
    """One device's check-in or feedback for one class session (or one self-guided lesson)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="feedback_responses")
    class_session = models.ForeignKey(
        ClassSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_responses",
        help_text="Empty for self-guided lessons, which are counted apart from classes.",
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    token_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the random token kept in the student's session; never the token."
    )
    submitted_on = models.DateField(default=timezone.localdate, help_text="The date only, never the time.")

    objects = FeedbackResponseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token_hash", "stage"], name="feedback_one_per_device_and_stage"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="feedback_stage_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on {self.submitted_on:%d %b %Y}"


class FeedbackAnswer(models.Model):
    """One answer to one question; a skipped question has no row. Useful steps give one row per step."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="feedback_answers")
    scale_value = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=120, blank=True, help_text="Choice and year-group answers.")
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback_answers"
    )
    text = models.TextField(blank=True, max_length=1000)
    hidden = models.BooleanField(
        default=False, help_text="A teacher hid this comment: it is left out of every result and export."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | Q(scale_value__gte=1, scale_value__lte=5),
                name="feedback_scale_one_to_five",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "step"], name="feedback_one_answer_per_step"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question.key}"


class FocusGroupNote(models.Model):
    """A teacher's record of a student-led focus group; never students' names."""

    class_session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="focus_group_notes"
    )
    held_on = models.DateField(default=timezone.localdate)
    group_size = models.PositiveSmallIntegerField()
    themes = models.CharField(
        max_length=300, blank=True, help_text="Short themes separated by commas, such as: tone, humour."
    )
    notes = models.TextField()

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(group_size__gte=1), name="focus_group_has_members"),
        ]

    def __str__(self) -> str:
        return f"Focus group on {self.held_on:%d %b %Y}"

    @property
    def theme_list(self) -> list[str]:
        return [theme.strip() for theme in self.themes.split(",") if theme.strip()]
