"""Database sessions, encrypted at rest, read and saved with one plain SQL statement each.

Every step of the lesson reads the student's session and saves their place, so these two statements are most
of a step page's cost. Django's own store builds each through the ORM (a query object per request) and wraps
the save in a transaction; here the read is one SELECT and the save of an existing session one UPDATE, which
is atomic on its own. Creating a session still goes through Django's code (it must not overwrite another
session's key). The table, the columns and expiry are Django's, so `clearsessions` and `purge_expired` work
as before.

The data column is encrypted (AES-256-GCM, a fresh random nonce each save) with a key derived from
SECRET_KEY, which is never in the database: a copy of the database or a backup alone reads as noise, and
nothing of a student's session (their place, their plan) can be read from it. A session that does not
decrypt (another SECRET_KEY, a damaged row) reads as empty, and the student starts afresh. A row in Django's
own signed format, written before this store encrypted, is read once and rewritten encrypted at once.

On SQLite, every connection has `secure_delete` on (config/settings.py), so deleted or replaced rows are
overwritten with zeros in the database file; after a plan is deleted or a session flushed, a checkpoint
moves the write-ahead log into the database and truncates it, so their old bytes are not left in the log.
"""

import base64
import logging
import os
import zlib
from datetime import datetime
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Marks an encrypted row (and the format's version); anything else is Django's own signed format.
ENCRYPTED_PREFIX = "e1:"
# The HKDF label: this key is for session data only, unrelated to any other use of SECRET_KEY.
KEY_PURPOSE = b"personal-plan: session data at rest, v1"
NONCE_BYTES = 12
# How long erasing may wait for other requests' reads and writes before leaving it to the next erase.
ERASE_WAIT_MILLISECONDS = 2000


@lru_cache(maxsize=8)
def _cipher(secret: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_PURPOSE).derive(secret.encode())
    return AESGCM(key)


def encrypt_session_data(plaintext: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(settings.SECRET_KEY).encrypt(nonce, zlib.compress(plaintext), KEY_PURPOSE)
    return ENCRYPTED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt_session_data(text: str) -> bytes | None:
    """The plaintext, or None when no key this server holds (SECRET_KEY, then its fallbacks) opens it."""
    try:
        raw = base64.urlsafe_b64decode(text.removeprefix(ENCRYPTED_PREFIX).encode("ascii"))
    except ValueError:
        return None
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            return zlib.decompress(_cipher(secret).decrypt(nonce, sealed, KEY_PURPOSE))
        except (InvalidTag, ValueError, zlib.error):
            continue
    return None


def erase_old_copies(using: str) -> bool:
    """SQLite: checkpoint the write-ahead log into the database and truncate it, so that rows deleted or
    replaced (zeroed in the database by secure_delete) leave no old copy in the log. True when done; False
    when other requests kept it busy (the log is then truncated by the next erase). Other databases: no-op
    (PostgreSQL keeps old row versions until vacuum reuses them; they hold only ciphertext)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return True
    if connection.in_atomic_block:  # a checkpoint cannot run inside a transaction: run it after the commit
        transaction.on_commit(lambda: erase_old_copies(using), using=using)
        return True
    usual_wait = int(connection.settings_dict["OPTIONS"].get("timeout", 5) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {ERASE_WAIT_MILLISECONDS}")
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {usual_wait}")
    if busy:
        logger.info("The write-ahead log was busy; deleted session data is truncated by the next erase.")
    return not busy


class SessionStore(db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._erase_on_save = False

    def encode(self, session_dict) -> str:
        return encrypt_session_data(self.serializer().dumps(session_dict))

    def decode(self, session_data: str) -> dict:
        if not session_data.startswith(ENCRYPTED_PREFIX):
            return super().decode(session_data)  # Django's signed format, from before the upgrade
        plaintext = decrypt_session_data(session_data)
        if plaintext is None:
            return {}
        try:
            return self.serializer().loads(plaintext)
        except ValueError:
            return {}

    def erase_old_copies_on_save(self) -> None:
        """Something was removed (a plan): the next save also wipes its old bytes from the database files."""
        self._erase_on_save = True

    def _execute(self, statement: str, values: list, *, write: bool):
        """Runs `statement`, whose {table}, {key}, {data} and {expires} are the model's own names, quoted;
        every value is a parameter, and a datetime is adapted for the database. Returns the first row of a
        SELECT, or the number of rows an UPDATE changed."""
        connection = connections[self._database(write=write)]
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

    def _database(self, *, write: bool) -> str:
        return router.db_for_write(self.model) if write else router.db_for_read(self.model)

    def load(self) -> dict:
        row = self._execute(
            "SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s",
            [self.session_key, timezone.now()],
            write=False,
        )
        if row is None:  # unknown or expired: Django then starts a new session, as its own store does
            self._session_key = None
            return {}
        data = self.decode(row[0])
        if data and not row[0].startswith(ENCRYPTED_PREFIX):
            self.modified = True  # written before encryption: the response saves it encrypted
        return data

    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            super().save(must_create=must_create)
        else:
            updated = self._execute(
                "UPDATE {table} SET {data} = %s, {expires} = %s WHERE {key} = %s",
                [self.encode(self._get_session(no_load=False)), self.get_expiry_date(), self.session_key],
                write=True,
            )
            if not updated:  # deleted meanwhile (expired, or "finish and clear"): Django starts a new session
                raise UpdateError
        if self._erase_on_save:
            self._erase_on_save = False
            erase_old_copies(self._database(write=True))

    def delete(self, session_key=None) -> None:
        """Deletes the row (flush, a new key at log-in) and wipes its old bytes from the database files."""
        if session_key is None and self.session_key is None:
            return
        super().delete(session_key)
        erase_old_copies(self._database(write=True))

    @classmethod
    def clear_expired(cls) -> None:
        super().clear_expired()
        erase_old_copies(router.db_for_write(cls.get_model_class()))
