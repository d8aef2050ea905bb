"""The batch-release migration: responses stored before it stay in results."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from feedback.models import FeedbackResponse
from tests.feedback.builders import store_many

BEFORE_BATCHES = [("feedback", "0004_school_keys_and_bundle_signatures")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_responses_stored_before_batches_stay_in_results(class_session):
    store_many([{"kept-attention": 4}] * 3, package=class_session.package, class_session=class_session)
    assert FeedbackResponse.objects.released().count() == 0  # three alone would wait today
    _migrate(BEFORE_BATCHES)
    try:
        with connection.cursor() as cursor:
            columns = [
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, FeedbackResponse._meta.db_table
                )
            ]
        assert "released" not in columns  # really the database as it was before
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert FeedbackResponse.objects.released().count() == 3
