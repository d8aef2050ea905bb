"""Running migrations in a test: the database as it was at an earlier migration, then forwards again."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@contextmanager
def migrated_back_to(targets) -> Iterator[MigrationExecutor]:
    """Inside the block the database is as it was at `targets`; afterwards it is migrated to the latest,
    so rows made inside are carried forwards by the migrations under test."""
    executor = migrate(targets)
    try:
        yield executor
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def table_columns(model) -> list[str]:
    """The columns the model's table has in the database now (not what the model says)."""
    with connection.cursor() as cursor:
        return [
            column.name
            for column in connection.introspection.get_table_description(cursor, model._meta.db_table)
        ]
