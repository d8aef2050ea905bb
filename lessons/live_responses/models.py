"""What a class sends in a live lesson, kept only while its class session is open (services.responses_delete).

Nothing here names a student, a device or a time: a row that must be one per device holds a keyed hash of a
random token in the device's session (devices.py), a different one for every step and purpose. None of these
models is registered in the admin, and their names say nothing of what a student wrote, because the admin's
page for deleting a class session lists the rows that go with it by their names.
"""

from django.db import models

from lessons.models import ClassSession

TEXT_MAX_LENGTH = 140
QUESTION_MAX_LENGTH = 280
DEVICE_HASH_LENGTH = 64  # hex SHA-256


class Poll(models.Model):
    """The class's answers to one step: a vote on a choice step, or words and texts on a think step."""

    class_session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="polls")
    step_key = models.SlugField(max_length=60)
    closed = models.BooleanField(default=False, help_text="No more answers; the teacher may open it again.")
    revealed = models.BooleanField(default=False, help_text="The chart shows on the projector and console.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["class_session", "step_key"], name="poll_one_per_step"),
            models.CheckConstraint(
                condition=~models.Q(revealed=True, closed=False), name="poll_revealed_closed"
            ),
        ]

    def __str__(self) -> str:
        return "Answers to one step"


class Vote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    device = models.CharField(max_length=DEVICE_HASH_LENGTH)
    option = models.PositiveIntegerField(help_text="The chosen ChoiceOption's position.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "device"], name="vote_one_per_device")]

    def __str__(self) -> str:
        return "A vote"


class WordPick(models.Model):
    """One of the (up to three) words a device shared on a think step."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="word_picks")
    device = models.CharField(max_length=DEVICE_HASH_LENGTH)
    word = models.CharField(max_length=30)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "device", "word"], name="word_pick_once")]

    def __str__(self) -> str:
        return "A shared word"


class SharedText(models.Model):
    """A short answer shared on a think step: on the projector only once the teacher approves it."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the teacher"
        APPROVED = "approved", "On the board"
        HIDDEN = "hidden", "Hidden"

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="texts")
    text = models.CharField(max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)

    def __str__(self) -> str:
        return "A shared answer"


class AnonymousQuestion(models.Model):
    """A question from the question box: on the console only, unless the teacher shows it on the projector."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        HIDDEN = "hidden", "Hidden"

    class_session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="anonymous_questions"
    )
    text = models.CharField(max_length=QUESTION_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    on_projector = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "An anonymous question"


class DeviceAllowance(models.Model):
    """How many of a limited thing (questions in a lesson, a text on a step) one device has sent.

    Kept apart from what was sent, so that no question or text holds anything of the device that sent it.
    """

    class_session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="allowances")
    device = models.CharField(max_length=DEVICE_HASH_LENGTH)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["class_session", "device"], name="allowance_one_per_device")
        ]

    def __str__(self) -> str:
        return "A device's allowance"
