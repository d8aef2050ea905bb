"""Migrations that change rows: run backwards and forwards on a database that already has data."""

import pytest

from lessons.models import ClassSession
from tests.builders import make_class_session
from tests.migrations import migrated_back_to, table_columns

BEFORE_REFERENCES = [("lessons", "0002_package_drafts")]


@pytest.mark.django_db(transaction=True)
def test_class_sessions_made_before_references_each_get_their_own(alice, bundled_package):
    for _ in range(3):
        make_class_session(teacher=alice, package=bundled_package)
    with migrated_back_to(BEFORE_REFERENCES):
        columns = table_columns(ClassSession)
        assert "reference" not in columns  # really the database as it was before
    references = list(ClassSession.objects.values_list("reference", flat=True))
    assert len(references) == 3
    assert None not in references
    assert len(set(references)) == 3


@pytest.mark.django_db(transaction=True)
def test_class_sessions_made_before_class_words_each_get_a_word_and_forty_places(alice, bundled_package):
    from lessons.class_words import class_words

    for _ in range(6):
        make_class_session(teacher=alice, package=bundled_package)
    with migrated_back_to([("lessons", "0003_classsession_reference")]):
        columns = table_columns(ClassSession)
        assert "class_word" not in columns and "max_students" not in columns
    rows = list(ClassSession.objects.values_list("class_word", "max_students", "students_joined"))
    assert len(rows) == 6
    assert {word for word, _, _ in rows} <= set(class_words())
    assert len({word for word, _, _ in rows}) > 1  # not one word shared by every old session
    assert {(places, joined) for _, places, joined in rows} == {(40, 0)}


@pytest.mark.django_db(transaction=True)
def test_static_images_become_stored_pictures_and_svgs_are_dropped(bundled_package, tmp_path, settings):
    import io

    from PIL import Image

    from lessons.models import Step

    (tmp_path / "lessons").mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (11, 92, 85)).save(buffer, "PNG")
    (tmp_path / "lessons" / "phone.png").write_bytes(buffer.getvalue())
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    before = [("lessons", "0008_live_presence")]
    with migrated_back_to(before) as executor:
        assert "image" in table_columns(Step) and "picture_id" not in table_columns(Step)
        old_steps = executor.loader.project_state(before).apps.get_model("lessons", "Step")
        steps = old_steps.objects.filter(package_id=bundled_package.pk)
        steps.filter(key="meet-jordan").update(image="lessons/phone.png", image_alt="A phone")
        steps.filter(key="alex-asks").update(image="favicon.svg", image_alt="An icon")  # an SVG: dropped
        steps.filter(key="spot-the-pressure").update(image="lessons/gone.png", image_alt="Gone")  # missing
    pictured = Step.objects.get(package=bundled_package, key="meet-jordan")
    assert (pictured.picture.width, pictured.picture_alt) == (640, "A phone")
    for key in ("alex-asks", "spot-the-pressure"):
        dropped = Step.objects.get(package=bundled_package, key=key)
        assert (dropped.picture, dropped.picture_alt) == (None, "")
    assert "image" not in table_columns(Step)
