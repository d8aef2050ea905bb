"""This server's Ed25519 key pair for signing results bundles, and the short fingerprints people compare.

The private key is read from BUNDLE_SIGNING_KEY_FILE (by default DATA_DIR/bundle_signing_key), made there on
first use: never in the database, so a database backup or dump cannot sign a bundle, and never in git.
"""

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
FINGERPRINT_GROUPS = 5  # of four hexadecimal characters: 80 bits, short enough to read out on the phone


def key_path() -> Path:
    return Path(settings.BUNDLE_SIGNING_KEY_FILE)


def _create(path: Path) -> None:
    """Writes a new key where none is. The key is written to a private temporary file first and then linked
    into place, which fails if another process got there first: nobody ever reads a half-written key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".bundle-key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made the key a moment ago: use theirs
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def private_key() -> Ed25519PrivateKey:
    """This server's signing key, made on first use."""
    path = key_path()
    if not path.exists():
        _create(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"The bundle signing key {path} cannot be read: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"The bundle signing key {path} is not an Ed25519 private key.")
    return key


def public_key_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def fingerprint(public_key: str) -> str:
    """A short form of a public key (hexadecimal) for people to compare, such as 3F2A-91C0-7B4E-0D12-AB34."""
    digest = hashlib.sha256(bytes.fromhex(public_key)).hexdigest().upper()
    return "-".join(digest[4 * n : 4 * n + 4] for n in range(FINGERPRINT_GROUPS))


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return key.sign(message).hex()


def verify(public_key: str, signature: str, message: bytes) -> bool:
    """Whether `signature` (hexadecimal) is the signature of `message` by the key `public_key` (hexadecimal)."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True
