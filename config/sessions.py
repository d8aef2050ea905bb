"""Database sessions that save an existing session with one UPDATE instead of a transaction around it.

Every step of the lesson saves the student's place, so this saves a BEGIN (or a savepoint pair) per page.
A single UPDATE is atomic on its own; creating a session still goes through Django's own code.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        data = self._get_session(no_load=False)
        updated = self.model.objects.filter(session_key=self.session_key).update(
            session_data=self.encode(data), expire_date=self.get_expiry_date()
        )
        if not updated:  # deleted meanwhile (expired, or "delete my plan"): Django starts a new session
            raise UpdateError
