"""What each process keeps in memory for students' step pages, and the rule that keeps it safe to share."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from lessons.models import Package

Key = TypeVar("Key", bound=Hashable)
Kept = TypeVar("Kept")
# The versions of packages in use at once on one server: a few classes on this year's version, a few on last.
VERSIONS_KEPT = 16


class RecentlyUsed(Generic[Key, Kept]):
    """The `size` values used most recently, by key, shared by a process's threads."""

    def __init__(self, size: int):
        self._size = size
        self._values: OrderedDict[Key, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> Kept | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def keep(self, key: Key, value: Kept) -> Kept:
        """Keep `value` unless another thread kept one for `key` first; the value kept either way."""
        with self._lock:
            value = self._values.setdefault(key, value)
            while len(self._values) > self._size:
                self._values.popitem(last=False)
            return value

    def values(self) -> list[Kept]:
        with self._lock:
            return list(self._values.values())

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class PerVersion(Generic[Kept]):
    """One value for each of the published package versions used most recently in this process.

    A published version never changes, so what is worked out from it can be kept. The key holds the
    version's digest as well as its id, so a version replaced under the same id is never served stale; a
    draft changes as it is edited, so it is never kept.
    """

    def __init__(self, size: int = VERSIONS_KEPT):
        self._recent: RecentlyUsed[tuple[int, str], Kept] = RecentlyUsed(size)

    def get(self, package_id: int, digest: str) -> Kept | None:
        return self._recent.get((package_id, digest))

    def get_or_keep(self, package: Package, make: Callable[[], Kept]) -> Kept:
        """The value kept for this version, made (and kept, if it is published) the first time it is asked."""
        value = self.get(package.pk, package.digest)
        if value is None:
            value = make()
            if not package.is_draft:
                value = self._recent.keep((package.pk, package.digest), value)
        return value

    def values(self) -> list[Kept]:
        return self._recent.values()

    def clear(self) -> None:
        self._recent.clear()


def messages_waiting(request) -> bool:
    """Whether a message (such as "That lesson is no longer on this site") waits to be shown to this user."""
    return bool(request.COOKIES.get("messages")) or "_messages" in request.session


class StepPageCache:
    """Students' step pages, rendered once per process and given to every student of the same version.

    What it may hold: a page that is the same for every anonymous student of one published package version:
    the step, its content, its progress number and links, and the page around it. A step page has no form
    (the choice is a GET), no name and nothing from the student's session, and base.html shows a student
    nothing of their own but waiting messages.

    What would make it unsafe: anything of one user in the page: who is signed in, a message waiting for
    them, a CSRF token, or anything from their session (their place, their plan). So it neither stores nor
    serves a page for a signed-in user, nor while a message waits, nor a page whose rendering asked for the
    CSRF token, nor one of a draft. A template that starts to show anything else of a user on a step page
    breaks this rule; tests/lessons/test_step_cache.py reads the pages kept to catch it.
    """

    def __init__(self, size: int = VERSIONS_KEPT):
        self._versions: PerVersion[dict[tuple[str, int | None], str]] = PerVersion(size)

    @staticmethod
    def may_share(request) -> bool:
        return not (request.user.is_authenticated or messages_waiting(request))

    def get(self, request, package: Package, page: tuple[str, int | None]) -> str | None:
        """The page kept for (step key, chosen option), or None: also whenever this request may not share."""
        if not self.may_share(request):
            return None
        pages = self._versions.get(package.pk, package.digest)
        return pages.get(page) if pages is not None else None

    def put(self, request, package: Package, page: tuple[str, int | None], html: str) -> None:
        """Keep a page just rendered for this request, if it may be shared (a draft's never is: PerVersion)."""
        if not self.may_share(request) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return
        self._versions.get_or_keep(package, dict)[page] = html

    def pages(self) -> list[str]:
        """Every page kept, for tests that check what the cache holds."""
        return [html for pages in self._versions.values() for html in pages.values()]

    def clear(self) -> None:
        self._versions.clear()


step_pages = StepPageCache()
