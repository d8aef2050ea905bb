"""A deleted plan leaves no trace in the SQLite files: not in the database file, not in its write-ahead log.

The session row is encrypted, so the plan's words are never in the files in plain text; these tests look for
the deleted row's own bytes (its ciphertext), which an operator holding the key could otherwise still read.
"""

from pathlib import Path

import pytest
from django.db import connection

from tests.plans.builders import build_plan, post_part

pytestmark = [
    pytest.mark.django_db(transaction=True),  # committed, as on a server: the files are what is tested
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite files are what is tested"),
]

MARKER = "Narwhal-4410 is my own line"


def database_bytes() -> bytes:
    path = Path(connection.settings_dict["NAME"])
    return b"".join(file.read_bytes() for file in (path, Path(f"{path}-wal")) if file.exists())


def row_pieces(client) -> list[bytes]:
    """Pieces of the student's stored session row, each short enough to sit within one database page."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT session_data FROM django_session WHERE session_key = %s",
            [client.cookies["sessionid"].value],
        )
        data = cursor.fetchone()[0].encode()
    return [data[start : start + 24] for start in range(3, len(data) - 24, 24)]


def build_marked_plan(client, package) -> list[bytes]:
    build_plan(client, package)
    post_part(client, "why", {"why": MARKER})
    pieces = row_pieces(client)
    on_disk = database_bytes()
    assert MARKER.encode() not in on_disk  # encrypted at rest
    assert sum(piece in on_disk for piece in pieces) > len(pieces) // 2  # the row is there to be found
    return pieces


def assert_gone(pieces: list[bytes]) -> None:
    on_disk = database_bytes()
    assert [piece for piece in pieces if piece in on_disk] == []
    assert MARKER.encode() not in on_disk


def test_delete_my_plan_now_wipes_the_plan_from_the_database_and_its_log(client, bundled_package):
    pieces = build_marked_plan(client, bundled_package)
    assert client.post("/plan/delete/").status_code == 302
    assert_gone(pieces)


def test_finish_and_clear_wipes_the_whole_session_from_the_database_and_its_log(client, bundled_package):
    pieces = build_marked_plan(client, bundled_package)
    assert client.post("/plan/finish/").status_code == 302
    assert_gone(pieces)
