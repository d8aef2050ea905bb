"""The pilot lead's packages page: versions and drafts, and its buttons, which call the admin's services."""

import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from lessons.models import Package
from lessons.package_export import package_to_yaml
from lessons.package_zip import read_package_zip
from lessons.services import package_start_draft
from tests.builders import BUNDLED_PACKAGE, MINI_PACKAGE

pytestmark = pytest.mark.django_db

URL = "/teach/packages/"


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def test_it_lists_each_version_with_its_buttons(lead_client, bundled_package):
    page = lead_client.get(URL).content.decode()
    assert f'href="/teach/preview/{bundled_package.pk}/"' in page
    assert f'href="/teach/packages/{bundled_package.pk}/file.yaml"' in page
    assert f'action="/teach/packages/{bundled_package.pk}/draft/"' in page
    assert "Compare with version" not in page  # nothing before the first version
    assert 'action="/teach/packages/import/"' in page and 'enctype="multipart/form-data"' in page


def test_a_draft_is_started_previewed_edited_in_the_admin_and_published(lead_client, bundled_package):
    response = lead_client.post(f"/teach/packages/{bundled_package.pk}/draft/")
    assert response.status_code == 302 and response["Location"] == URL
    draft = Package.objects.drafts().get()
    old, new = bundled_package.version, bundled_package.version + 1
    assert draft.version == new
    text = _text(lead_client.get(URL))
    assert f"Draft of version {new} Draft: ready to publish" in text
    page = lead_client.get(URL).content.decode()
    assert f'href="/admin/lessons/package/{draft.pk}/change/"' in page  # the step text is edited there
    assert f'href="/teach/preview/{draft.pk}/"' in page
    assert "Start a draft from" not in page  # one draft at a time

    response = lead_client.post(f"/teach/packages/{draft.pk}/publish/", follow=True)
    assert "Published Personal Plan" in _text(response)
    draft.refresh_from_db()
    assert not draft.is_draft and draft.version == new
    page = lead_client.get(URL).content.decode()
    assert (
        f'href="/feedback/results/compare/personal-plan/?first={old}&amp;second={new}">Compare with version {old}'
        in page
    )


def test_a_draft_that_cannot_be_published_says_why_and_stays_a_draft(lead_client, bundled_package):
    draft = package_start_draft(source=bundled_package)
    draft.steps.filter(key="go-back").update(next_key="no-such-step")
    assert "cannot be published yet" in _text(lead_client.get(URL))
    response = lead_client.post(f"/teach/packages/{draft.pk}/publish/", follow=True)
    assert "Not published:" in _text(response)
    assert Package.objects.get(pk=draft.pk).is_draft


def test_it_downloads_a_version_as_the_file_the_admin_gives(lead_client, bundled_package):
    response = lead_client.get(f"/teach/packages/{bundled_package.pk}/file.yaml")
    name = f"personal-plan-v{bundled_package.version}.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Content-Type"] == "application/zip"
    yaml_bytes, pictures = read_package_zip(response.content, "download")
    assert yaml_bytes.decode() == package_to_yaml(bundled_package)
    assert len(pictures) == 9  # the start page and eight story steps


def test_it_imports_a_file_or_refuses_it_whole(lead_client, db):
    upload = SimpleUploadedFile("personal-plan.yaml", MINI_PACKAGE.read_bytes())
    response = lead_client.post("/teach/packages/import/", {"file": upload}, follow=True)
    assert "Imported Mini lesson" in _text(response)
    again = SimpleUploadedFile("personal-plan.yaml", MINI_PACKAGE.read_bytes())
    assert "Already here, nothing changed" in _text(
        lead_client.post("/teach/packages/import/", {"file": again}, follow=True)
    )
    data = yaml.safe_load(MINI_PACKAGE.read_text())
    data["version"] = 2
    data["steps"][0]["next"] = "no-such-step"
    broken = SimpleUploadedFile("broken.yaml", yaml.safe_dump(data).encode())
    refused = lead_client.post("/teach/packages/import/", {"file": broken})
    assert refused.status_code == 400
    assert "Nothing was imported." in _text(refused)
    assert Package.objects.count() == 1


def test_plain_yaml_naming_pictures_it_does_not_carry_is_refused(lead_client, db):
    upload = SimpleUploadedFile("personal-plan.yaml", BUNDLED_PACKAGE.read_bytes())
    refused = lead_client.post("/teach/packages/import/", {"file": upload})
    assert refused.status_code == 400
    assert (
        "the start page: picture &#x27;art/start-page.webp&#x27;: is not in the file"
        in refused.content.decode()
    )
    assert "a .zip holding package.yaml and its pictures" in _text(refused)
    assert not Package.objects.exists()


def test_teachers_get_a_404_and_only_pilot_leads_see_the_link(client, alice, lead, bundled_package):
    client.force_login(alice)
    assert client.get(URL).status_code == 404
    assert client.post(f"/teach/packages/{bundled_package.pk}/draft/").status_code == 404
    assert URL not in client.get("/teach/").content.decode()
    client.force_login(lead)
    assert f'href="{URL}"' in client.get("/teach/").content.decode()
