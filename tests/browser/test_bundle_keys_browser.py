"""In Chromium: a bundle for a known school signed by another key is refused with both fingerprints, and the
pilot lead accepts the new key by keyboard from the bundles page; axe checks the page with the waiting key."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import expect

from feedback.bundles import importing as bundle_importing
from feedback.bundles import keys as bundle_keys
from feedback.models import SchoolKey
from tests.browser.axe import assert_no_axe_violations
from tests.browser.journeys import log_in
from tests.browser.urls import url_of
from tests.builders import make_teacher
from tests.feedback.builders import bundle_contents, signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pilot_lead_accepts_a_schools_new_key_by_keyboard(page, tmp_path, settings):
    settings.BUNDLE_SIGNING_KEY_FILE = tmp_path / "bundle_signing_key"
    make_teacher("lead", staff=True)
    bundle_importing.bundle_import(raw=signed(bundle_contents("Northfield Academy")))
    new_key = Ed25519PrivateKey.generate()
    new_bundle = tmp_path / "new.json"
    new_bundle.write_bytes(signed(bundle_contents("Northfield Academy"), new_key))
    new_fingerprint = bundle_keys.fingerprint(bundle_keys.public_key_hex(new_key))

    log_in(page, "lead")
    page.goto("/feedback/bundles/")
    page.get_by_label("Results bundle (.json)").set_input_files(new_bundle)
    with page.expect_navigation(url=url_of("/feedback/bundles/")):
        page.get_by_role("button", name="Import the bundle").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"signed by a different key (fingerprint {new_fingerprint})")
    expect(page.locator(".school-keys tbody td").first).to_have_text(new_fingerprint)
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Accept this new key for Northfield Academy").focus()
    with page.expect_navigation(url=url_of("/feedback/bundles/")):
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"signed by the key {new_fingerprint} are accepted")
    assert SchoolKey.objects.get(status=SchoolKey.Status.TRUSTED).fingerprint == new_fingerprint
    page.get_by_label("Results bundle (.json)").set_input_files(new_bundle)
    with page.expect_navigation(url=url_of("/feedback/bundles/")):
        page.get_by_role("button", name="Import the bundle").click()
    expect(page.get_by_role("status")).to_contain_text("Imported the results bundle from Northfield Academy")
    assert_no_axe_violations(page)
