"""Signed results bundles: forged, altered and unsigned bundles are refused; a school's key is trusted from its
first bundle, and another key for the same school only once the pilot lead accepts it."""

import copy
import hashlib
import json
import re
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from feedback.bundles import file as bundle_file
from feedback.bundles import importing as bundle_importing
from feedback.bundles import keys as bundle_keys
from feedback.bundles.file import BundleError
from feedback.models import BundleVersion, ResultsBundle, SchoolKey
from tests.concurrency import all_at_once
from tests.feedback.builders import bundle_contents, bundle_version, signed

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _stored() -> tuple[int, int]:
    return ResultsBundle.objects.count(), BundleVersion.objects.count()


def _fingerprint(key: Ed25519PrivateKey) -> str:
    return bundle_keys.fingerprint(bundle_keys.public_key_hex(key))


def test_a_bundle_with_one_count_changed_and_its_checksum_recomputed_is_refused():
    bundle = json.loads(signed(bundle_contents()))
    item = bundle["contents"]["package_versions"][0]["stages"]["feedback"]["items"][0]
    item["distribution"], item["mean"] = [0, 0, 0, 3, 2], 4.4  # still adds up, only the figures are better
    message = bundle_file.signed_message(bundle)
    bundle["checksum"] = hashlib.sha256(message).hexdigest()
    with pytest.raises(BundleError, match="The signature does not match the contents"):
        bundle_importing.bundle_import(raw=json.dumps(bundle).encode())
    assert _stored() == (0, 0)


def test_a_bundle_signed_by_one_key_but_carrying_another_public_key_is_refused():
    attacker, school = Ed25519PrivateKey.generate(), bundle_keys.private_key()
    bundle = json.loads(signed(bundle_contents(), attacker))
    bundle["public_key"] = bundle_keys.public_key_hex(school)
    bundle["checksum"] = hashlib.sha256(bundle_file.signed_message(bundle)).hexdigest()
    with pytest.raises(BundleError, match="The signature does not match the contents"):
        bundle_importing.bundle_import(raw=json.dumps(bundle).encode())
    assert _stored() == (0, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.pop("signature"), "missing signature"),
        (lambda b: b.update(signature="00" * 64), "The signature does not match"),
        (lambda b: b.update(signature="not hexadecimal"), "its signature is missing or is not an Ed25519"),
        (lambda b: b.update(public_key="ab" * 31), "its public key is missing or is not an Ed25519 key"),
        (lambda b: b.update(public_key=None), "its public key is missing"),
        (
            lambda b: [b.pop(key) for key in ("signature", "public_key")] and b.update(format_version=2),
            "format version 2; this server reads versions 3 to 5, which are signed",
        ),
    ],
    ids=["no signature", "zero signature", "garbled signature", "short key", "null key", "format 2"],
)
def test_an_unsigned_or_badly_signed_bundle_is_refused(change, message):
    bundle = json.loads(signed(bundle_contents()))
    change(bundle)
    with pytest.raises(BundleError, match=message):
        bundle_importing.bundle_import(raw=json.dumps(bundle).encode())
    assert _stored() == (0, 0)


def test_the_first_key_for_a_school_is_recorded_with_its_fingerprint():
    stored, created = bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy")))
    key = bundle_keys.private_key()
    assert created and stored.fingerprint == _fingerprint(key)
    [school_key] = SchoolKey.objects.all()
    assert (school_key.school, school_key.public_key, school_key.status) == (
        "Northfield Academy",
        bundle_keys.public_key_hex(key),
        SchoolKey.Status.TRUSTED,
    )
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){4}", school_key.fingerprint)


def test_a_bundle_resigned_with_another_key_for_the_same_school_is_refused_until_accepted(client, lead):
    bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy")))
    school, attacker = bundle_keys.private_key(), Ed25519PrivateKey.generate()
    forged = signed(bundle_contents("  northfield   ACADEMY "), attacker)  # the same school, however typed
    with pytest.raises(BundleError) as refusal:
        bundle_importing.bundle_import(raw=forged)
    assert "says it is from northfield ACADEMY, but it is signed by a different key" in str(refusal.value)
    assert _fingerprint(attacker) in str(refusal.value) and _fingerprint(school) in str(refusal.value)
    assert _stored() == (1, 1)
    waiting = SchoolKey.objects.get(status=SchoolKey.Status.WAITING)
    assert waiting.fingerprint == _fingerprint(attacker)

    client.force_login(lead)
    response = client.post("/feedback/bundles/", {"file": _upload(forged)})
    assert response.status_code == 400
    page = _text(response)
    assert "Nothing was imported. This bundle says it is from northfield ACADEMY" in page
    assert "Keys waiting for your decision" in page
    assert "Accept this new key for northfield ACADEMY" in page
    assert SchoolKey.objects.filter(status=SchoolKey.Status.WAITING).count() == 1  # asked once, not twice

    accepted = client.post(f"/feedback/bundles/keys/{waiting.pk}/accept/", follow=True)
    assert f"signed by the key {waiting.fingerprint} are accepted from now on" in _text(accepted)
    assert client.post("/feedback/bundles/", {"file": _upload(forged)}).status_code == 302
    assert _stored() == (2, 2)
    # The school's earlier key is no longer trusted for it: a bundle signed by it now waits in its turn.
    with pytest.raises(BundleError, match="signed by a different key"):
        bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy"), school))
    assert dict(SchoolKey.objects.values_list("fingerprint", "status")) == {
        _fingerprint(attacker): SchoolKey.Status.TRUSTED,
        _fingerprint(school): SchoolKey.Status.WAITING,
    }


def _upload(raw: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bundle.json", raw, content_type="application/json")


@pytest.fixture
def waiting_key(db) -> SchoolKey:
    bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy")))
    with pytest.raises(BundleError):
        bundle_importing.bundle_import(
            raw=signed(bundle_contents("Northfield Academy"), Ed25519PrivateKey.generate())
        )
    return SchoolKey.objects.get(status=SchoolKey.Status.WAITING)


@pytest.mark.parametrize("action", ["accept", "dismiss"])
def test_accepting_or_dismissing_a_new_key_is_for_pilot_leads_only(client, alice, lead, waiting_key, action):
    url = f"/feedback/bundles/keys/{waiting_key.pk}/{action}/"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(alice)
    assert client.post(url).status_code == 404
    client.force_login(lead)
    assert client.get(url).status_code == 405  # a decision is never taken by following a link
    waiting_key.refresh_from_db()
    assert waiting_key.status == SchoolKey.Status.WAITING


def test_the_accept_action_needs_the_csrf_token(lead, waiting_key):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    assert client.post(f"/feedback/bundles/keys/{waiting_key.pk}/accept/").status_code == 403
    waiting_key.refresh_from_db()
    assert waiting_key.status == SchoolKey.Status.WAITING


def test_a_dismissed_key_stays_refused(client, lead, waiting_key):
    client.force_login(lead)
    client.post(f"/feedback/bundles/keys/{waiting_key.pk}/dismiss/")
    assert not SchoolKey.objects.filter(status=SchoolKey.Status.WAITING).exists()
    assert SchoolKey.objects.get().status == SchoolKey.Status.TRUSTED
    assert client.post(f"/feedback/bundles/keys/{waiting_key.pk}/accept/").status_code == 404


def test_a_bundle_from_another_key_cannot_take_over_a_schools_class_sessions():
    version = bundle_version(sessions=2)
    bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy", version)))
    # Someone who saw Northfield's file lists its sessions and one more under another name and key, so that
    # their bundle would replace Northfield's figures.
    taken = copy.deepcopy(version)
    taken["sessions"] = sorted([*version["sessions"], "00000000-0000-4000-8000-000000000000"])
    taken["class_sessions"] = 3
    with pytest.raises(BundleError, match="names another school and is signed by another key"):
        bundle_importing.bundle_import(
            raw=signed(bundle_contents("Elsewhere", taken), Ed25519PrivateKey.generate())
        )
    assert _stored() == (1, 1)
    # The school's own later bundle, from its own key, still replaces its earlier one.
    bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy", taken)))
    assert _stored() == (2, 2)


def test_a_school_name_with_hidden_direction_controls_is_refused():
    raw = signed(bundle_contents("Northfield \u202eymedacA"))
    with pytest.raises(BundleError, match=r"contents\.school: a control character \(U\+202E\)"):
        bundle_importing.bundle_import(raw=raw)


def test_the_export_page_shows_this_servers_fingerprint_and_what_the_signature_proves(client, alice):
    client.force_login(alice)
    text = _text(client.get("/feedback/bundles/export/"))
    assert f"This server's key fingerprint is {_fingerprint(bundle_keys.private_key())}" in text
    assert "nothing in the file was changed after this server signed it" in text
    assert "does not prove to the pilot lead that this server is your school's the first time" in text
    assert "it does not prove that the figures are right" in text


def test_the_signing_key_is_made_once_readable_only_by_its_owner(signing_key_file):
    assert not signing_key_file.exists()
    first = bundle_keys.public_key_hex(bundle_keys.private_key())
    assert stat.S_IMODE(signing_key_file.stat().st_mode) == 0o600
    assert bundle_keys.public_key_hex(bundle_keys.private_key()) == first
    assert [path.name for path in signing_key_file.parent.iterdir()] == [signing_key_file.name]


def test_servers_starting_at_the_same_moment_all_use_one_key(signing_key_file):
    keys = all_at_once(8, lambda n: bundle_keys.public_key_hex(bundle_keys.private_key()))
    assert len(keys) == 8 and len(set(keys)) == 1


def test_the_private_key_is_never_stored_in_the_database(client, lead, signing_key_file):
    bundle_importing.bundle_import(raw=signed(bundle_contents()))
    private = bundle_keys.private_key().private_bytes_raw().hex()
    from django.core import serializers

    everything = serializers.serialize("json", [*ResultsBundle.objects.all(), *SchoolKey.objects.all()])
    assert private not in everything and signing_key_file.read_bytes().decode() not in everything
