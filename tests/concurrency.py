"""Many clients pressing at the same moment: the one way the tests prove that concurrent presses each get
their answer (a class joining, voting or sending feedback together; several tabs of one device; servers
starting together)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

WAIT = 60  # seconds a thread waits for the others to be ready, and the main thread for each to finish


def all_at_once(
    count: int,
    press: Callable[..., Any],
    *,
    ready: Callable[[int], Any] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list:
    """Call press(n) for n in 0..count-1, each in a thread of its own, all released together; returns what
    each press returned, in order of n.

    `ready(n)`, if given, runs first in the thread (join the class, walk the lesson) and its result is passed
    on: press(n, ready(n)). `meanwhile()`, if given, runs in this thread as soon as every press has been
    released (kill a server worker while the requests are in flight). Each thread closes its own database
    connections. Any exception in a thread (or a thread still running after 2 × WAIT seconds) fails the
    caller once every thread has finished, with all of them.
    """
    barrier = threading.Barrier(count + (meanwhile is not None))
    outcomes: list = [None] * count
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            arguments = (n, ready(n)) if ready else (n,)
            barrier.wait(timeout=WAIT)
            outcomes[n] = press(*arguments)
        except BaseException as error:  # noqa: BLE001 - raised in the caller's thread below
            errors.append(error)
            barrier.abort()  # the others stop waiting for this one
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    if meanwhile is not None:
        try:
            barrier.wait(timeout=WAIT)
        except threading.BrokenBarrierError:
            pass  # a thread failed getting ready: reported below
        else:
            try:
                meanwhile()
            except BaseException as error:  # noqa: BLE001 - raised with the others once the presses end
                errors.append(error)
    for thread in threads:
        thread.join(timeout=WAIT * 2)
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        errors.append(TimeoutError(f"{stuck} of {len(threads)} presses had not finished"))
    if errors:
        raise ExceptionGroup("presses made at once failed", errors)
    return outcomes
