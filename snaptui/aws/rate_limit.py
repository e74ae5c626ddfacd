"""A thread-safe token bucket per (account/profile, region) for the EBS direct APIs.

ListChangedBlocks and ListSnapshotBlocks allow 50 requests/s per account per region, shared by
every caller and not adjustable. One bucket per (profile, region), shared by all threads that
call that region, keeps us at or under the limit; throttling beyond that is somebody else's
traffic and is retried by the caller.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

EBS_DIRECT_LIMIT = 50.0  # requests per second per account per region (AWS, not adjustable)
# What we pace at: grants are spaced exactly 1/rate apart, but a thread can run a little late
# after its grant while the next is on time, so AWS could count 51 in some second at exactly 50.
# At 48/s fifty grants span 1.04 s, absorbing 40 ms of jitter for 4% of throughput.
EBS_DIRECT_RATE = 48.0

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class RateLimiter:
    """Token bucket: at most ``burst`` calls at once, ``rate`` per second sustained.

    ``acquire`` reserves a slot under the lock and sleeps outside it, so waiting threads do not
    block each other's bookkeeping and slots are handed out in call order. Calls are spaced at
    least 1/rate apart once the burst is spent, so any half-open 1-second window holds at most
    ``rate + burst - 1`` calls: exactly ``rate`` with the default burst of 1.
    """

    def __init__(
        self,
        rate: float = EBS_DIRECT_RATE,
        *,
        burst: float = 1.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = burst
        self._stamp = clock()
        self.acquired = 0  # calls let through, for benchmarks and tests
        self.waited = 0.0  # total seconds slept by callers

    def _reserve(self) -> float:
        """Take one token (possibly going into debt); returns how long the caller must wait."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1.0
            self.acquired += 1
            if self._tokens >= 0:
                return 0.0
            return -self._tokens / self.rate

    def acquire(self, cancel: threading.Event | None = None) -> bool:
        """Wait for a slot; False (slot given back) if ``cancel`` is set before it comes."""
        delay = self._reserve()
        if delay <= 0:
            return True
        with self._lock:
            self.waited += delay
        if not self._wait(delay, cancel):
            return True
        with self._lock:  # give the slot back: nobody will use it
            self._tokens = min(self.burst, self._tokens + 1.0)
            self.acquired -= 1
        return False

    def _wait(self, delay: float, cancel: threading.Event | None) -> bool:
        """Sleep ``delay``; True if cancelled meanwhile. Event.wait wakes at once on cancel."""
        if cancel is not None and self._sleep is time.sleep:
            return cancel.wait(delay)
        self._sleep(delay)
        return cancel is not None and cancel.is_set()


class LimiterRegistry:
    """One RateLimiter per (profile, region), created on first use, shared by every thread."""

    def __init__(
        self,
        rate: float = EBS_DIRECT_RATE,
        *,
        burst: float = 1.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._args = (rate, burst, clock, sleep)
        self._lock = threading.Lock()
        self._limiters: dict[tuple[str, str], RateLimiter] = {}

    def get(self, profile: str, region: str) -> RateLimiter:
        rate, burst, clock, sleep = self._args
        with self._lock:
            limiter = self._limiters.get((profile, region))
            if limiter is None:
                limiter = RateLimiter(rate, burst=burst, clock=clock, sleep=sleep)
                self._limiters[(profile, region)] = limiter
            return limiter

    def all(self) -> dict[tuple[str, str], RateLimiter]:
        with self._lock:
            return dict(self._limiters)
