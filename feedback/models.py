"""Anonymous check-in and feedback answers, and teachers' focus-group notes.

A response carries its class session (none when self-guided), its package version, the date, a keyed hash
of a random per-device token and whether it has been released into results, nothing else: no user, name,
address, browser or time of day. Keys are random UUIDs so that no number anywhere gives away the order in
which students answered.

Responses are released in batches (feedback.services.feedback_submit): results change only when at least
FEEDBACK_MIN_GROUP new responses have arrived in the same group, so comparing an export from before one
student answered with one from after never shows that student's answers. Every result reads
`FeedbackResponse.objects.released()` only.
"""

import unicodedata
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.access import is_pilot_lead
from lessons.models import ClassSession, Package, Question, Step


class Stage(models.TextChoices):
    CHECKIN = "checkin", "Check-in"
    FEEDBACK = "feedback", "Feedback"


class FeedbackResponseQuerySet(models.QuerySet):
    def self_guided(self) -> "FeedbackResponseQuerySet":
        return self.filter(class_session__isnull=True)

    def released(self) -> "FeedbackResponseQuerySet":
        """The responses results may show: those released in a batch, never the ones still waiting."""
        return self.filter(released=True)

    def release_group(self, *, package: Package, class_session: ClassSession | None, stage: str):
        """The responses released together: one class session's (or one version's self-guided) stage."""
        if class_session is None:
            return self.self_guided().filter(package=package, stage=stage)
        return self.filter(class_session=class_session, stage=stage)


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
        max_length=64,
        help_text="A keyed hash (HMAC-SHA256, a key not in the database) of the random token kept in the "
        "student's session, different for each stage; never the token.",
    )
    submitted_on = models.DateField(default=timezone.localdate, help_text="The date only, never the time.")
    released = models.BooleanField(
        default=False,
        help_text="In results yet: responses are released in batches of at least the minimum group size.",
    )

    objects = FeedbackResponseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token_hash", "stage"], name="feedback_one_per_device_and_stage"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="feedback_stage_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on {self.submitted_on:%d %b %Y}"


class FeedbackAnswerQuerySet(models.QuerySet):
    def released(self) -> "FeedbackAnswerQuerySet":
        """Answers of released responses only (see FeedbackResponseQuerySet.released)."""
        return self.filter(response__released=True)

    def comments_visible_to(self, user) -> "FeedbackAnswerQuerySet":
        """Free-text answers from the class sessions the user may see; self-guided ones to pilot leads only."""
        comments = self.filter(question__kind=Question.Kind.TEXT)
        if is_pilot_lead(user):
            return comments
        return comments.filter(response__class_session__in=ClassSession.objects.visible_to(user))


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

    objects = FeedbackAnswerQuerySet.as_manager()

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


class FocusGroupNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FocusGroupNoteQuerySet":
        """Notes on the class sessions the user may see (ClassSession.objects.visible_to)."""
        return self.filter(class_session__in=ClassSession.objects.visible_to(user))


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

    objects = FocusGroupNoteQuerySet.as_manager()

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


class ResultsBundle(models.Model):
    """A school's anonymous results bundle, imported on a pilot lead's server: aggregated figures only.

    Kept once however often it is imported: the checksum of its contents is unique.
    """

    checksum = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the bundle's contents.")
    school = models.CharField(max_length=120, blank=True, help_text="As the exporting school typed it.")
    public_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="The Ed25519 public key (hexadecimal) of the server that signed the bundle; empty for "
        "bundles imported before bundles were signed.",
    )
    fingerprint = models.CharField(max_length=24, blank=True, help_text="The short form of public_key.")
    exported_month = models.CharField(max_length=7, help_text="Year and month only, such as 2025-06.")
    minimum_group = models.PositiveSmallIntegerField(help_text="The exporting server's minimum group size.")
    comments_included = models.BooleanField(default=False)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school", "exported_month", "imported_at"]
        constraints = [
            models.CheckConstraint(condition=Q(minimum_group__gte=1), name="bundle_minimum_group_positive"),
        ]

    def __str__(self) -> str:
        return f"Results bundle from {self.source} ({self.exported_month})"

    @property
    def source(self) -> str:
        return self.school or "a school that gave no name"


class BundleVersion(models.Model):
    """One package version's figures in a bundle, named by slug, version and digest: the package may not be
    on this server, and a version number alone could name different content on different servers."""

    bundle = models.ForeignKey(ResultsBundle, on_delete=models.CASCADE, related_name="versions")
    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    class_sessions = models.PositiveIntegerField()
    from_month = models.CharField(max_length=7, blank=True)
    to_month = models.CharField(max_length=7, blank=True)
    checkin_responses = models.PositiveIntegerField(help_text="0 when the school had too few to show.")
    feedback_responses = models.PositiveIntegerField(help_text="0 when the school had too few to show.")
    sessions = models.JSONField(
        default=list,
        blank=True,
        help_text="The random references of the class sessions behind these figures: a later bundle that "
        "holds all of them replaces this one, so no session is counted twice.",
    )
    # Plans made and downloaded, each with the students who joined the class sessions behind it: null when the
    # school withheld it, or its bundle (format 3 or 4) carried no plan counts.
    plans_made = models.PositiveIntegerField(null=True, blank=True)
    plans_made_joined = models.PositiveIntegerField(null=True, blank=True)
    plans_downloaded = models.PositiveIntegerField(null=True, blank=True)
    plans_downloaded_joined = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["slug", "version"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "slug", "version"], name="bundle_one_row_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version} ({self.bundle})"

    def responses(self, stage: str) -> int:
        return self.checkin_responses if stage == Stage.CHECKIN else self.feedback_responses


class BundleItem(models.Model):
    """One question's counts in one stage: a 1–5 distribution, or counts per answer for other questions."""

    bundle_version = models.ForeignKey(BundleVersion, on_delete=models.CASCADE, related_name="items")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    position = models.PositiveIntegerField()
    question_key = models.SlugField(max_length=60)
    question_text = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Question.Kind.choices)
    low_label = models.CharField(max_length=60, blank=True)
    high_label = models.CharField(max_length=60, blank=True)
    answered = models.PositiveIntegerField()
    distribution = models.JSONField(default=list, blank=True, help_text="How many chose 1, 2, 3, 4 and 5.")
    options = models.JSONField(default=list, blank=True, help_text="[answer, how many] for other questions.")
    answer = models.CharField(
        max_length=10, blank=True, help_text="A knowledge question's right answer: True or False."
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["bundle_version", "stage", "question_key"], name="bundle_one_item_per_question"
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="bundle_item_stage_known"),
        ]

    def __str__(self) -> str:
        return f"{self.question_key} ({self.stage})"


class BundleComment(models.Model):
    """A comment from a group big enough to show, included only if the exporting school chose to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bundle_version = models.ForeignKey(BundleVersion, on_delete=models.CASCADE, related_name="comments")
    question_key = models.SlugField(max_length=60)
    question_text = models.CharField(max_length=300)
    text = models.TextField(max_length=1000)

    def __str__(self) -> str:
        return f"Comment on {self.question_key}"


def school_match(name: str) -> str:
    """What makes two school names the same school: letter case, spacing and look-alike forms do not count."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class SchoolKey(models.Model):
    """A key that signed a school's results bundles, recorded on the pilot lead's server.

    The key of a school's first bundle is trusted for that school name. A bundle naming the school but signed
    by another key is refused, and its key waits here until the pilot lead accepts it (after comparing
    fingerprints with the school) or dismisses it. Private keys are never here: they stay on each school's
    server.
    """

    class Status(models.TextChoices):
        TRUSTED = "trusted", "Trusted for this school"
        WAITING = "waiting", "Waiting for the pilot lead's decision"
        REPLACED = "replaced", "Replaced by a newer key"

    school = models.CharField(max_length=120, help_text="As typed in the first bundle signed by this key.")
    school_match = models.CharField(max_length=120, help_text="The school name as compared (school_match).")
    public_key = models.CharField(max_length=64, help_text="Ed25519 public key, hexadecimal.")
    fingerprint = models.CharField(max_length=24, help_text="The short form people compare by phone.")
    status = models.CharField(max_length=10, choices=Status.choices)
    first_seen = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school_match", "first_seen"]
        constraints = [
            models.UniqueConstraint(fields=["school_match", "public_key"], name="school_key_once_per_school"),
            models.UniqueConstraint(
                fields=["school_match"],
                condition=Q(status="trusted"),
                name="school_key_one_trusted_per_school",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["trusted", "waiting", "replaced"]), name="school_key_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Key {self.fingerprint} for {self.school} ({self.get_status_display().lower()})"
