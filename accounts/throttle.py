"""Counting failed attempts in the database so that limits hold across every process and server.

Keys are HMACs of what they count (a device's CSRF secret, a network address): no address is stored.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import FailureCount


def client_address(request) -> str:
    """The client's address, read through the number of reverse proxies the settings say to trust.

    Behind nginx every request comes from 127.0.0.1; the proxy appends the real address to X-Forwarded-For.
    Only the entries our own proxies added are believed, so a client cannot forge its address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def failure_key(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _window_start(window_seconds: int, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    floored = int(now.timestamp()) // window_seconds * window_seconds
    return datetime.fromtimestamp(floored, tz=now.tzinfo)


def keys_over_limit(limits: dict[str, int], window_seconds: int) -> set[str]:
    """The keys that have reached their limit of failures in the current window (one query)."""
    window = _window_start(window_seconds)
    counts = FailureCount.objects.filter(key__in=limits, window_start=window).values_list("key", "count")
    return {key for key, count in counts if count >= limits[key]}


def over_limit(limits: dict[str, int], window_seconds: int) -> bool:
    """True when any key has reached its limit of failures in the current window."""
    return bool(keys_over_limit(limits, window_seconds))


def record_failure(keys: list[str], window_seconds: int) -> None:
    window = _window_start(window_seconds)
    for key in keys:
        with transaction.atomic():
            updated = FailureCount.objects.filter(key=key, window_start=window).update(count=F("count") + 1)
            if not updated:
                try:
                    with transaction.atomic():
                        FailureCount.objects.create(key=key, window_start=window, count=1)
                except IntegrityError:  # another process created it in the meantime
                    FailureCount.objects.filter(key=key, window_start=window).update(count=F("count") + 1)
    FailureCount.objects.filter(window_start__lt=window - timedelta(seconds=window_seconds)).delete()
