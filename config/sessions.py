"""Database sessions read and saved with one plain SQL statement each.

Every step of the lesson reads the student's session and saves their place, so these two statements are most
of a step page's cost. Django's own store builds each through the ORM (a query object per request) and wraps
the save in a transaction; here the read is one SELECT and the save of an existing session one UPDATE, which
is atomic on its own. The table, the columns, expiry and the signed, encoded data are Django's, unchanged, so
`clearsessions` and Django's own store read these sessions as before. Creating a session still goes through
Django's code (it must not overwrite another session's key).
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _connection(self, *, write: bool):
        alias = router.db_for_write(self.model) if write else router.db_for_read(self.model)
        return connections[alias]

    def _table(self, connection) -> tuple[str, str, str, str]:
        meta, quote = self.model._meta, connection.ops.quote_name
        return (
            quote(meta.db_table),
            quote(meta.get_field("session_key").column),
            quote(meta.get_field("session_data").column),
            quote(meta.get_field("expire_date").column),
        )

    def load(self) -> dict:
        connection = self._connection(write=False)
        table, key, data, expires = self._table(connection)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                # Names are the model's own, quoted; every value is a parameter.
                f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s",  # noqa: S608
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:  # unknown or expired: Django then starts a new session, as its own store does
            self._session_key = None
            return {}
        return self.decode(row[0])

    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        session = self._get_session(no_load=False)
        connection = self._connection(write=True)
        table, key, data, expires = self._table(connection)
        expire_date = connection.ops.adapt_datetimefield_value(self.get_expiry_date())
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {data} = %s, {expires} = %s WHERE {key} = %s",  # noqa: S608
                [self.encode(session), expire_date, self.session_key],
            )
            updated = cursor.rowcount
        if not updated:  # deleted meanwhile (expired, or "delete my plan"): Django starts a new session
            raise UpdateError
