"""Lesson packages (one row per version), their steps and content, and teachers' class sessions."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_pilot_lead
from lessons.class_words import CLASS_WORD_MAX_LENGTH, random_class_word
from lessons.pictures import prepare_picture
from lessons.step_kinds import STEP_KINDS

PICTURE_FIELDS = ("width", "height", "webp", "small_width", "small_height", "small_webp")
PICTURE_BYTES = ("webp", "small_webp")


class PictureManager(models.Manager):
    """Pictures without their bytes (loaded only if asked for): a page needs a picture's name and size, and
    a step's or package's picture is fetched through this manager too (Meta.base_manager_name)."""

    def get_queryset(self):
        return super().get_queryset().defer(*PICTURE_BYTES)


class Picture(models.Model):
    """A picture for a step or a start page, as lessons/pictures.py re-encoded it: named by the SHA-256 of its
    WebP, so it never changes (a published version's pictures stay what they were). Kept in the database so
    that every app server can serve it and backup_database includes it."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    webp = models.BinaryField()
    small_width = models.PositiveIntegerField()
    small_height = models.PositiveIntegerField()
    small_webp = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PictureManager()

    class Meta:
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.width} × {self.height} picture {self.sha256[:12]}"

    @classmethod
    def from_upload(cls, data: bytes) -> "Picture":
        """The stored picture for an uploaded file: checked and re-encoded (lessons/pictures.py), or raises
        PictureError. A file that is already one of this server's pictures (as in a package file exported
        from it) is that picture."""
        existing = cls.objects.filter(sha256=hashlib.sha256(data).hexdigest()).only("sha256").first()
        if existing is not None:
            return existing
        prepared = prepare_picture(data)
        fields = {name: getattr(prepared, name) for name in PICTURE_FIELDS}
        picture, _ = cls.objects.get_or_create(sha256=prepared.sha256, defaults=fields)
        return picture

    @property
    def url(self) -> str:
        return reverse("lessons:picture", args=[self.sha256])

    @property
    def small_url(self) -> str:
        return reverse("lessons:picture_small", args=[self.sha256])

    @property
    def file_name(self) -> str:
        """Its name inside an exported package file."""
        return f"pictures/{self.sha256}.webp"


class PackageQuerySet(models.QuerySet):
    def published(self) -> "PackageQuerySet":
        return self.filter(published_at__isnull=False)

    def drafts(self) -> "PackageQuerySet":
        return self.filter(published_at__isnull=True)

    def latest_versions(self) -> "PackageQuerySet":
        """The newest published version of each package, for students and teachers to choose from."""
        newest = (
            Package.objects.published()
            .filter(slug=models.OuterRef("slug"))
            .order_by("-version")
            .values("pk")[:1]
        )
        return self.filter(pk=models.Subquery(newest)).order_by("title")

    def with_results_visible_to(self, user) -> "PackageQuerySet":
        """The versions whose results the user may open: a pilot lead any; a teacher those they have run a
        class session with."""
        if is_pilot_lead(user):
            return self
        return self.filter(pk__in=ClassSession.objects.visible_to(user).values("package"))

    def with_results(self) -> "PackageQuerySet":
        """Versions that can have results: used by a class session, or with released self-guided feedback
        (through the feedback app's reverse relation, named here as a lookup, never imported)."""
        used = Q(class_sessions__isnull=False) | Q(feedback_responses__released=True)
        return self.filter(used).distinct()


class Package(models.Model):
    """One version of a lesson package: published (frozen, loaded from a file or published from a draft) or a
    draft that pilot leads edit in the admin, which becomes the next version when it is published."""

    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    audience = models.TextField(help_text="Who the package is for, shown to teachers.")
    ground_rules = models.TextField(help_text="One rule per line, shown to students before step 1.")
    teacher_notes = models.TextField(
        blank=True, help_text="Shown on the teacher's console only, never to students or on the projector."
    )
    digest = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the published content, for idempotent loads."
    )
    start_picture = models.ForeignKey(
        Picture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Shown on the start page, above the ground rules.",
    )
    start_picture_alt = models.CharField(
        "start picture's alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for students who cannot see it.",
    )
    start_picture_decorative = models.BooleanField(
        "start picture is decorative",
        default=False,
        help_text="The page says everything without it: no alt text, screen readers skip it.",
    )
    loaded_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty while this is a draft.")

    objects = PackageQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="package_unique_version"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(published_at__isnull=True), name="package_one_draft"
            ),
        ]

    def __str__(self) -> str:
        if self.is_draft:
            return f"{self.title} (draft of version {self.version})"
        return f"{self.title} (version {self.version})"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def rules(self) -> list[str]:
        return [line.strip() for line in self.ground_rules.splitlines() if line.strip()]


class Ordered(models.Model):
    """Package content shown in the order its position gives."""

    position = models.PositiveIntegerField()

    class Meta:
        abstract = True
        ordering = ["position"]


class StepQuerySet(models.QuerySet):
    def with_pictures(self) -> "StepQuerySet":
        """Steps with their pictures' names and sizes, in the same query (never the pictures' bytes)."""
        return self.select_related("picture").defer(*(f"picture__{name}" for name in PICTURE_BYTES))


class Step(Ordered):
    class Kind(models.TextChoices):
        STORY = "story", "Story"
        THINK = "think", "Think"
        CHOICE = "choice", "Choice"
        FACTS = "facts", "Facts"
        SUPPORT = "support", "Support"

    class Share(models.TextChoices):
        NOTHING = "", "Nothing (answers stay private)"
        WORDS = "words", "Pick up to three words"
        TEXT = "text", "A short answer the teacher approves"

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=60, help_text="Names the step in URLs and in branch targets.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    short_title = models.CharField(
        max_length=40,
        blank=True,
        help_text="A few words students recognise the step by, as feedback lists it (the title if empty).",
    )
    body = models.TextField(blank=True, help_text="Narration; a blank line starts a new paragraph.")
    question = models.TextField(
        blank=True,
        help_text="The think question (think steps), or the question above a choice's options (optional).",
    )
    picture = models.ForeignKey(Picture, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    picture_alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for students who cannot see it.",
    )
    picture_decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="The step says everything without it: no alt text, screen readers skip it.",
    )

    detour = models.BooleanField(
        default=False, help_text="Off the main path: reached only from a choice, not counted in progress."
    )
    next_key = models.SlugField(
        max_length=60, blank=True, help_text="Where Next goes instead of the following main step."
    )
    teacher_notes = models.TextField(
        blank=True, help_text="The teacher's console only: prompts and notes, never on the projector."
    )
    share = models.CharField(
        max_length=10,
        choices=Share.choices,
        blank=True,
        help_text="Think steps in a live lesson: what students may share with the class.",
    )
    words = models.TextField(
        blank=True, help_text="With 'Pick up to three words': 3 to 12 words, one per line."
    )

    objects = StepQuerySet.as_manager()

    class Meta(Ordered.Meta):
        constraints = [
            models.UniqueConstraint(fields=["package", "key"], name="step_unique_key"),
            models.UniqueConstraint(fields=["package", "position"], name="step_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]

    @property
    def template_name(self) -> str:
        return STEP_KINDS[self.kind].template

    @property
    def short_name(self) -> str:
        """How feedback and its results name the step: its short title, or its title."""
        return self.short_title or self.title

    @property
    def word_list(self) -> list[str]:
        return [line.strip() for line in self.words.splitlines() if line.strip()]


class ChatMessage(Ordered):
    """One message in a story step's phone chat."""

    class Status(models.TextChoices):
        NONE = "", "Sent"
        SEEN = "seen", "Seen"
        DELETED = "deleted", "Deleted"

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=60)
    text = models.TextField(blank=True)
    outgoing = models.BooleanField(default=False, help_text="Sent from the phone we are looking at.")
    status = models.CharField(max_length=10, choices=Status.choices, blank=True)

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"


class ChoiceOption(Ordered):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=300)
    feedback = models.TextField()
    leads_to = models.SlugField(max_length=60, blank=True, help_text="Key of a step that shows this ending.")

    def __str__(self) -> str:
        return self.label


class Fact(Ordered):
    """A myth with the fact that answers it, or (no myth) a plain fact or point of law."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="facts")
    myth = models.CharField(max_length=300, blank=True)
    fact = models.TextField()

    def __str__(self) -> str:
        return self.myth or self.fact[:60]


class SupportServiceQuerySet(models.QuerySet):
    def _adults_last(self, last: bool) -> "SupportServiceQuerySet":
        adults = models.Case(models.When(audience=SupportService.Audience.ADULTS, then=1), default=0)
        return self.order_by(adults if last else adults.desc(), "position")

    def young_people_first(self) -> "SupportServiceQuerySet":
        """As students see them: services for young people, then services for adults."""
        return self._adults_last(True)

    def adults_first(self) -> "SupportServiceQuerySet":
        """As parents and carers see them: services for adults, then services for young people."""
        return self._adults_last(False)


class SupportService(Ordered):
    class Audience(models.TextChoices):
        YOUNG_PEOPLE = "young_people", "Young people"
        ADULTS = "adults", "Adults (parents, carers and others)"

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="support_services")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    # Students see services for young people first, and adults' services under a heading that says so.
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.YOUNG_PEOPLE)
    description = models.TextField()
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(blank=True)
    hours = models.CharField(max_length=120, blank=True)

    objects = SupportServiceQuerySet.as_manager()

    class Meta(Ordered.Meta):
        constraints = [models.UniqueConstraint(fields=["package", "key"], name="service_unique_key")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not self.phone and not self.url:
            raise ValidationError(
                "Give a phone number or a web address, so that students can reach this service."
            )


class Strategy(Ordered):
    """A way to respond when asked for a nude, offered in the plan builder with example lines."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="strategies")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta(Ordered.Meta):
        verbose_name_plural = "strategies"
        constraints = [models.UniqueConstraint(fields=["package", "key"], name="strategy_unique_key")]

    def __str__(self) -> str:
        return self.title


class ExampleLine(Ordered):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="lines")
    text = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.text


class PressureSign(Ordered):
    """A sign that someone is pressuring you, for the plan's checklist."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="pressure_signs")
    text = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.text


class AlreadyHappenedStep(Ordered):
    """What to do if an image has already been sent or someone is threatening you; always in the plan."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="already_happened_steps")
    title = models.CharField(max_length=120)
    text = models.TextField()

    def __str__(self) -> str:
        return self.title


class Question(Ordered):
    """A check-in or feedback question. A question asked at both points measures change."""

    class Kind(models.TextChoices):
        SCALE = "scale", "1 to 5"
        CHOICE = "choice", "One of several answers"
        USEFUL_STEPS = "useful_steps", "Which steps were most useful"
        YEAR_GROUP = "year_group", "Year group"
        TEXT = "text", "Free text"
        KNOWLEDGE = "knowledge", "True, false or not sure"

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    low_label = models.CharField(max_length=60, blank=True, help_text="Label for 1 on a scale.")
    high_label = models.CharField(max_length=60, blank=True, help_text="Label for 5 on a scale.")
    choices = models.TextField(blank=True, help_text="One answer per line (choice and year group).")
    in_checkin = models.BooleanField(default=False)
    in_feedback = models.BooleanField(default=True)
    needs_plan = models.BooleanField(
        default=False,
        help_text="Asked only of a student who made a plan in this lesson (such as “I would use my plan”).",
    )
    answer = models.BooleanField(
        null=True, blank=True, help_text="For a knowledge question: whether its statement is true."
    )

    class Meta(Ordered.Meta):
        constraints = [models.UniqueConstraint(fields=["package", "key"], name="question_unique_key")]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        if self.kind == self.Kind.KNOWLEDGE:
            return list(KNOWLEDGE_ANSWERS)
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def correct_answer(self) -> str:
        """A knowledge question's right answer as students see it ("True" or "False"); "" for other kinds."""
        return correct_label(self.answer) if self.kind == self.Kind.KNOWLEDGE else ""


# A knowledge question's answers, in the order students see them; "Not sure" is never correct.
TRUE, FALSE, NOT_SURE = "True", "False", "Not sure"
KNOWLEDGE_ANSWERS = (TRUE, FALSE, NOT_SURE)


def correct_label(answer: bool | None) -> str:
    return {True: TRUE, False: FALSE}.get(answer, "")


# Year groups a teacher may give a class session (England and Wales; Scotland's S1–S6 are the same ages).
YEAR_GROUPS = ["Year 7", "Year 8", "Year 9", "Year 10", "Year 11", "Year 12", "Year 13"]


# Join codes avoid characters that look alike on a projector: 0/O, 1/I/L, 5/S, 2/Z, 8/B.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6


def normalise_join_code(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").upper()


class ClassSessionQuerySet(models.QuerySet):
    def open(self) -> "ClassSessionQuerySet":
        return self.filter(closed_at__isnull=True, closes_at__gt=timezone.now())

    def visible_to(self, user) -> "ClassSessionQuerySet":
        """Pilot leads see every session on the server; a teacher sees their own; anyone else none."""
        if is_pilot_lead(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(teacher=user)


# The most places a teacher can give one class session (a whole year group in a hall).
MAX_STUDENTS_LIMIT = 500


def default_max_students() -> int:
    return settings.CLASS_SESSION_MAX_STUDENTS


class Pace(models.TextChoices):
    TEACHER = "teacher", "Students follow my screen"
    SELF = "self", "Students go at their own pace"


class ClassSession(models.Model):
    """A lesson a teacher runs with one class: students join with its code while it is open."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="class_sessions"
    )
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="class_sessions")
    label = models.CharField(max_length=80, blank=True, help_text="For example: Year 9, period 3.")
    year_group = models.CharField(
        max_length=20,
        blank=True,
        choices=[(year, year) for year in YEAR_GROUPS],
        help_text="The class's year group, if the teacher gave it: results break down by it.",
    )
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Random, and shown nowhere: a results bundle lists it so that a later bundle holding the same session
    # replaces the earlier one on a pilot lead's server instead of counting the session twice.
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Shown under the code; asked for with it only from an address that has sent too many wrong codes.
    class_word = models.CharField(max_length=CLASS_WORD_MAX_LENGTH, default=random_class_word)
    max_students = models.PositiveIntegerField(
        "places",
        default=default_max_students,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_STUDENTS_LIMIT)],
        help_text="How many devices may join.",
    )
    # Devices that joined, counted once each by a conditional UPDATE (see services.class_session_admit).
    students_joined = models.PositiveIntegerField(default=0)
    # The live lesson (lessons/live.py): the slide the teacher shows, how students follow it, and a number
    # that goes up whenever anything the class sees changes, so screens that poll it know when to fetch.
    live_slide = models.CharField(max_length=60, default="rules")
    live_version = models.PositiveIntegerField(default=1)
    pace = models.CharField(max_length=10, choices=Pace.choices, default=Pace.SELF)
    paused = models.BooleanField(default=False, help_text="Students see 'Eyes on the board' until resumed.")

    objects = ClassSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(students_joined__lte=F("max_students")), name="class_session_within_places"
            ),
            models.CheckConstraint(
                condition=Q(max_students__gte=1, max_students__lte=MAX_STUDENTS_LIMIT),
                name="class_session_places_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label or 'Class session'} ({self.join_code})"

    def get_absolute_url(self) -> str:
        return reverse("teach:session", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.closes_at > timezone.now()

    @property
    def is_full(self) -> bool:
        return self.students_joined >= self.max_students

    @staticmethod
    def lifetime() -> timedelta:
        return timedelta(hours=settings.CLASS_SESSION_HOURS)

    @classmethod
    def unused_join_code(cls) -> str:
        """A random code that no open session is using."""
        while True:
            code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            if not cls.objects.open().filter(join_code=code).exists():
                return code


class LivePresence(models.Model):
    """Where one student's device is in a live lesson, for the console's counts (lessons/presence.py).

    One row per device, keyed by an HMAC of a random token kept in the device's session: never the token, no
    time, nothing else of the device. The console shows counts only. The rows are deleted when the class
    session closes (or closes itself), and appear in no results, export, log or admin page.
    """

    class_session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="live_presence")
    device = models.CharField(max_length=64)
    slide = models.CharField(max_length=60)
    plan_made = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["class_session", "device"], name="live_presence_one_per_device")
        ]

    def __str__(self) -> str:
        return f"A device on {self.slide}"


class PlanCount(models.Model):
    """How many students made a plan, and downloaded one, in one class session (or in self-guided lessons,
    with no class session) of one package version: two numbers, nothing else.

    Incremented once per student's lesson (a flag in the lesson's session, lessons/plan_counts.py) and never
    linked to a plan, a feedback response or a device: the row has no more than these counts."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="plan_counts")
    class_session = models.ForeignKey(
        ClassSession, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_counts"
    )
    made = models.PositiveIntegerField(default=0)
    downloaded = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["package", "class_session"],
                condition=Q(class_session__isnull=False),
                name="plan_count_one_per_class_session",
            ),
            models.UniqueConstraint(
                fields=["package"], condition=Q(class_session__isnull=True), name="plan_count_one_self_guided"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.made} plans made, {self.downloaded} downloaded"
