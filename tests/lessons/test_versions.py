"""Package versions: drafts, publishing, immutability, preview, and export and import between servers."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from lessons.models import ChoiceOption, ClassSession, Package, Picture, Step, SupportService
from lessons.package_export import package_pictures, package_to_yaml
from lessons.package_file import PackageFileError, load_package_data, parse_package, pictures_beside
from lessons.package_zip import read_package_zip
from lessons.services import package_problems, package_publish, package_start_draft
from tests.builders import BUNDLED_PACKAGE, make_class_session

pytestmark = pytest.mark.django_db


def _content(package: Package) -> dict:
    """The package as data, without its number: what students see."""
    data = parse_package(package_to_yaml(package), "export")
    data.pop("version")
    return data


def test_export_then_import_gives_the_same_package(bundled_package, tmp_path):
    exported = tmp_path / "personal-plan-v1.zip"
    call_command("export_package", "personal-plan", output=str(exported))
    yaml_bytes, pictures = read_package_zip(exported.read_bytes(), "exported")
    assert sorted(pictures) == sorted(package_pictures(bundled_package))
    assert parse_package(yaml_bytes.decode(), "exported") == parse_package(
        package_to_yaml(bundled_package), "x"
    )
    # Another school's server: the package arrives only as the exported file.
    original = _content(bundled_package)
    Package.objects.all().delete()
    Picture.objects.all().delete()
    call_command("load_package", str(exported))
    imported = Package.objects.get()
    assert imported.digest == bundled_package.digest
    assert _content(imported) == {k: v for k, v in original.items() if k != "version"}
    assert imported.start_picture_id and imported.steps.exclude(picture=None).count() == 8
    assert imported.steps.count() == 16 and ChoiceOption.objects.filter(leads_to="joke-ending").exists()


def test_a_draft_copies_the_newest_version_and_will_be_the_next_number(bundled_package):
    draft = package_start_draft(source=bundled_package)
    assert draft.is_draft and draft.version == bundled_package.version + 1
    assert _content(draft) == _content(bundled_package)
    assert package_start_draft(source=bundled_package).pk == draft.pk  # one draft at a time
    assert list(Package.objects.latest_versions()) == [bundled_package]  # students never see drafts


def test_publishing_freezes_the_draft_and_new_sessions_use_it(bundled_package, alice):
    old_session = make_class_session(teacher=alice, package=bundled_package)
    draft = package_start_draft(source=bundled_package)
    Step.objects.filter(package=draft, key="meet-jordan").update(title="Jordan and Alex, version two")
    published = package_publish(package=draft)
    assert (published.version, published.is_draft) == (bundled_package.version + 1, False)
    assert list(Package.objects.latest_versions()) == [published]
    old_session.refresh_from_db()
    assert old_session.package == bundled_package
    assert bundled_package.steps.get(key="meet-jordan").title == "Jordan and Alex"
    assert published.steps.get(key="meet-jordan").title == "Jordan and Alex, version two"
    with pytest.raises(PackageFileError, match="already published"):
        package_publish(package=published)
    # Its export loads elsewhere as the new version with the same digest.
    data = parse_package(package_to_yaml(published), "next")
    assert data["version"] == bundled_package.version + 1
    Package.objects.filter(pk=published.pk).delete()
    assert load_package_data(data, "next.yaml").package.digest == published.digest


def test_a_draft_with_problems_cannot_be_published(bundled_package):
    draft = package_start_draft(source=bundled_package)
    ChoiceOption.objects.filter(step__package=draft, leads_to="joke-ending").update(leads_to="nowhere")
    assert "'leads_to' names step 'nowhere', which does not exist" in package_problems(draft)
    with pytest.raises(PackageFileError):
        package_publish(package=draft)
    draft.refresh_from_db()
    assert draft.is_draft


def test_loading_a_file_over_a_draft_is_refused(bundled_package):
    package_start_draft(source=bundled_package)
    data = yaml.safe_load(BUNDLED_PACKAGE.read_text())
    data["version"] = bundled_package.version + 1
    with pytest.raises(PackageFileError, match=f"a draft of version {data['version']}"):
        load_package_data(
            parse_package(yaml.safe_dump(data), "v2.yaml"), "v2.yaml", pictures_beside(BUNDLED_PACKAGE)
        )


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def test_a_published_version_cannot_be_edited_in_the_admin(lead_client, bundled_package):
    url = f"/admin/lessons/package/{bundled_package.pk}/change/"
    page = lead_client.get(url)
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    response = lead_client.post(url, {"title": "Changed", "audience": "x", "ground_rules": "x"})
    assert response.status_code == 403
    step = bundled_package.steps.get(key="go-back")
    assert lead_client.post(f"/admin/lessons/step/{step.pk}/change/", {"title": "Changed"}).status_code == 403
    bundled_package.refresh_from_db()
    assert (
        bundled_package.title.startswith("Personal Plan") and step.title == "Go back to the moment Alex asked"
    )


def _management_form(prefix: str, forms: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for f in forms if f.get("id"))),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, form in enumerate(forms):
        data.update({f"{prefix}-{number}-{key}": value for key, value in form.items()})
    return data


def _step_post(step: Step, options: list[dict], **changes) -> dict:
    data = {
        "package": step.package_id,
        "position": step.position,
        "key": step.key,
        "kind": step.kind,
        "title": step.title,
        "body": step.body,
        "question": step.question,
        "picture_alt": step.picture_alt,
        "picture_decorative": "on" if step.picture_decorative else "",
        "next_key": step.next_key,
        "teacher_notes": step.teacher_notes,
        **changes,
    }
    return {**data, **_management_form("options", options)}


def _option_rows(step: Step, **extra) -> list[dict]:
    """The step's options as the admin's inline form posts them."""
    return [
        {
            "id": o.pk,
            "step": step.pk,
            "position": o.position,
            "label": o.label,
            "feedback": o.feedback,
            "leads_to": o.leads_to,
            **extra,
        }
        for o in step.options.all()
    ]


def test_the_admin_edits_a_draft_step_and_catches_a_branch_to_a_missing_step(lead_client, bundled_package):
    draft = package_start_draft(source=bundled_package)
    step = draft.steps.get(key="go-back")
    options = _option_rows(step)
    url = f"/admin/lessons/step/{step.pk}/change/"
    options[1]["leads_to"] = "no-such-step"
    refused = lead_client.post(url, _step_post(step, options))
    assert refused.status_code == 200
    assert (
        "There is no step with the key &#x27;no-such-step&#x27; in this package." in refused.content.decode()
    )
    options[1]["leads_to"] = "joke-ending"
    saved = lead_client.post(url, _step_post(step, options, title="What else could Jordan do?"))
    assert saved.status_code == 302
    assert Step.objects.get(pk=step.pk).title == "What else could Jordan do?"


def test_the_admin_refuses_a_choice_without_options(lead_client, bundled_package):
    draft = package_start_draft(source=bundled_package)
    step = draft.steps.get(key="go-back")
    options = _option_rows(step, DELETE="on")
    response = lead_client.post(f"/admin/lessons/step/{step.pk}/change/", _step_post(step, options))
    assert response.status_code == 200
    assert "A choice step needs at least two options." in response.content.decode()
    assert step.options.count() == 5


def test_a_support_service_needs_contact_details():
    from django.core.exceptions import ValidationError

    service = SupportService(name="Helpful", key="helpful", description="x", position=1)
    with pytest.raises(ValidationError, match="Give a phone number or a web address"):
        service.clean()


def test_the_admin_publishes_a_draft_and_starts_a_new_one(lead_client, bundled_package):
    changelist = "/admin/lessons/package/"
    lead_client.post(changelist, {"action": "start_draft", "_selected_action": [bundled_package.pk]})
    draft = Package.objects.drafts().get()
    response = lead_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Published" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_draft and draft.version == bundled_package.version + 1


def test_the_admin_downloads_and_imports_package_files(lead_client, bundled_package):
    exported = lead_client.post(
        "/admin/lessons/package/", {"action": "export_file", "_selected_action": [bundled_package.pk]}
    )
    name = f"personal-plan-v{bundled_package.version}.zip"
    assert exported["Content-Disposition"] == f'attachment; filename="{name}"'
    text = package_to_yaml(bundled_package)
    Package.objects.all().delete()
    Picture.objects.all().delete()
    upload = SimpleUploadedFile(name, exported.content, content_type="application/zip")
    response = lead_client.post("/admin/lessons/package/import/", {"file": upload})
    assert response.status_code == 302
    assert Package.objects.get().digest == bundled_package.digest
    broken = SimpleUploadedFile("broken.yaml", text.replace("kind: choice", "kind: quiz", 1).encode())
    refused = lead_client.post("/admin/lessons/package/import/", {"file": broken})
    assert "broken.yaml: step 6" in refused.content.decode() and Package.objects.count() == 1


def test_a_pilot_lead_previews_a_draft_exactly_as_a_student_would_see_it(
    lead_client, client, alice, bundled_package
):
    draft = package_start_draft(source=bundled_package)
    Step.objects.filter(package=draft, key="meet-jordan").update(title="A new first step")
    rules = lead_client.get(f"/teach/preview/{draft.pk}/").content.decode()
    assert "not published" in rules and f'href="/teach/preview/{draft.pk}/meet-jordan/"' in rules
    step = lead_client.get(f"/teach/preview/{draft.pk}/meet-jordan/").content.decode()
    assert "A new first step" in step and "Step 2 of 16" in step  # numbered as students see it
    assert f'href="/teach/preview/{draft.pk}/alex-asks/" rel="next"' in step
    choice = lead_client.get(f"/teach/preview/{draft.pk}/go-back/", {"option": "1"}).content.decode()
    assert f'href="/teach/preview/{draft.pk}/joke-ending/"' in choice
    assert 'href="tel:08001111"' in step  # the support panel, as students see it
    # Not for teachers or anyone else, and never in the students' list.
    client.force_login(alice)
    assert client.get(f"/teach/preview/{draft.pk}/").status_code == 404
    assert "A new first step" not in lead_client.get("/").content.decode()
    assert ClassSession.objects.count() == 0
