"""Database sessions read and saved with one plain SQL statement each.

Every step of the lesson reads the student's session and saves their place, so these two statements are most
of a step page's cost. Django's own store builds each through the ORM (a query object per request) and wraps
the save in a transaction; here the read is one SELECT and the save of an existing session one UPDATE, which
is atomic on its own. The table, the columns, expiry and the signed, encoded data are Django's, unchanged, so
`clearsessions` and Django's own store read these sessions as before. Creating a session still goes through
Django's code (it must not overwrite another session's key).
"""

from datetime import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _execute(self, statement: str, values: list, *, write: bool):
        """Runs `statement`, whose {table}, {key}, {data} and {expires} are the model's own names, quoted;
        every value is a parameter, and a datetime is adapted for the database. Returns the first row of a
        SELECT, or the number of rows an UPDATE changed."""
        connection = connections[router.db_for_write(self.model) if write else router.db_for_read(self.model)]
        meta, quote = self.model._meta, connection.ops.quote_name
        sql = statement.format(
            table=quote(meta.db_table),
            key=quote(meta.get_field("session_key").column),
            data=quote(meta.get_field("session_data").column),
            expires=quote(meta.get_field("expire_date").column),
        )
        values = [
            connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value
            for value in values
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.rowcount if write else cursor.fetchone()

    def load(self) -> dict:
        row = self._execute(
            "SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s",
            [self.session_key, timezone.now()],
            write=False,
        )
        if row is None:  # unknown or expired: Django then starts a new session, as its own store does
            self._session_key = None
            return {}
        return self.decode(row[0])

    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        updated = self._execute(
            "UPDATE {table} SET {data} = %s, {expires} = %s WHERE {key} = %s",
            [self.encode(self._get_session(no_load=False)), self.get_expiry_date(), self.session_key],
            write=True,
        )
        if not updated:  # deleted meanwhile (expired, or "delete my plan"): Django starts a new session
            raise UpdateError
