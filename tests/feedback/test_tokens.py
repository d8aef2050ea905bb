"""Linking in the database: a device's rows carry keyed hashes, one per stage and scope, that neither pair its
check-in with its feedback nor match the token kept in its session without the server's key."""

import hashlib
import hmac

import pytest
from django.utils.crypto import salted_hmac

from feedback.models import FeedbackResponse, Stage
from feedback.tokens import SESSION_KEY, hash_token
from tests.builders import join_class, walk_lesson
from tests.feedback.builders import give, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(client, class_session):
    """A device that joined, gave its check-in, walked the story and opened the feedback: its token is known."""
    join_class(client, class_session)
    give(client, Stage.CHECKIN, **{"confidence-saying-no": "2"})
    walk_lesson(client)
    client.get("/feedback/")
    token = client.session[SESSION_KEY][f"class-{class_session.pk}"]["token"]
    client.post("/feedback/", {"confidence-saying-no": "4"})
    return token


def _guesses(token: str, scope: str) -> set[str]:
    """What someone with the database and the session's token, but not the server's key, might compute."""
    guesses = {hashlib.sha256(token.encode()).hexdigest()}
    for stage in Stage.values:
        for label in (stage, f"{stage}:{scope}", f"personal-plan.feedback-token.{stage}.{scope}"):
            guesses.add(hashlib.sha256(f"{label}:{token}".encode()).hexdigest())
            guesses.add(hashlib.sha256(f"{token}:{label}".encode()).hexdigest())
            guesses.add(hmac.new(token.encode(), label.encode(), hashlib.sha256).hexdigest())
            guesses.add(salted_hmac(label, token, secret="", algorithm="sha256").hexdigest())
            guesses.add(salted_hmac(label, token, secret="not the key", algorithm="sha256").hexdigest())
    return guesses


def test_a_devices_check_in_and_feedback_rows_have_different_hashes_neither_the_tokens_sha256(
    device, class_session
):
    checkin = FeedbackResponse.objects.get(stage=Stage.CHECKIN)
    feedback = FeedbackResponse.objects.get(stage=Stage.FEEDBACK)
    assert checkin.token_hash != feedback.token_hash
    plain = hashlib.sha256(device.encode()).hexdigest()
    assert plain not in {checkin.token_hash, feedback.token_hash}


def test_the_token_and_the_database_without_the_key_match_nothing(device, class_session):
    stored = set(FeedbackResponse.objects.values_list("token_hash", flat=True))
    assert not stored & _guesses(device, f"class-{class_session.pk}")


def test_the_hash_depends_on_the_servers_key(settings, class_session):
    scope = f"class-{class_session.pk}"
    with_this_key = hash_token("a-token", stage=Stage.FEEDBACK, scope=scope)
    settings.SECRET_KEY = "another server's key, long enough to be taken for a real one"
    assert hash_token("a-token", stage=Stage.FEEDBACK, scope=scope) != with_this_key


def test_each_stage_and_scope_has_its_own_hash(class_session, bundled_package):
    scopes = [f"class-{class_session.pk}", f"self-{bundled_package.pk}"]
    hashes = {hash_token("a-token", stage=stage, scope=scope) for stage in Stage.values for scope in scopes}
    assert len(hashes) == 4


def test_one_device_is_still_stored_once_per_stage(class_session, bundled_package):
    for _ in range(2):
        for stage in Stage.values:
            store(package=bundled_package, class_session=class_session, stage=stage, token="same-device")
    assert FeedbackResponse.objects.count() == 2
