"""Migrations that change rows: run backwards and forwards on a database that already has data."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lessons.models import ClassSession
from tests.builders import make_class_session

BEFORE_REFERENCES = [("lessons", "0002_package_drafts")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_class_sessions_made_before_references_each_get_their_own(alice, bundled_package):
    for _ in range(3):
        make_class_session(teacher=alice, package=bundled_package)
    _migrate(BEFORE_REFERENCES)
    try:
        with connection.cursor() as cursor:
            columns = [
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, ClassSession._meta.db_table
                )
            ]
        assert "reference" not in columns  # really the database as it was before
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # forwards again, to the latest
    references = list(ClassSession.objects.values_list("reference", flat=True))
    assert len(references) == 3
    assert None not in references
    assert len(set(references)) == 3


@pytest.mark.django_db(transaction=True)
def test_class_sessions_made_before_class_words_each_get_a_word_and_forty_places(alice, bundled_package):
    from lessons.class_words import class_words

    for _ in range(6):
        make_class_session(teacher=alice, package=bundled_package)
    _migrate([("lessons", "0003_classsession_reference")])
    try:
        with connection.cursor() as cursor:
            columns = [
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, ClassSession._meta.db_table
                )
            ]
        assert "class_word" not in columns and "max_students" not in columns
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    rows = list(ClassSession.objects.values_list("class_word", "max_students", "students_joined"))
    assert len(rows) == 6
    assert {word for word, _, _ in rows} <= set(class_words())
    assert len({word for word, _, _ in rows}) > 1  # not one word shared by every old session
    assert {(places, joined) for _, places, joined in rows} == {(40, 0)}
