"""One prune at a time per account, region and policy: an advisory lock file (fcntl.flock).

Two prunes of the same policy over the same snapshots would each plan the same deletions and
report the other's as failures. The lock lives in the user's state directory; the kernel
releases it when the process ends, however it ends, so a crashed run never leaves it stuck.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from pathlib import Path
from types import TracebackType

import platformdirs

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class Busy(Exception):
    """Another prune holds the lock."""


def lock_dir() -> Path:
    return Path(platformdirs.user_state_dir("snaptui")) / "locks"


class PruneLock:
    def __init__(self, account: str, region: str, policy: str, *, wait_s: float = 0.0) -> None:
        name = "-".join(_UNSAFE.sub("_", part) for part in ("prune", account, region, policy))
        self.path = lock_dir() / f"{name}.lock"
        self.wait_s = wait_s
        self._fd: int | None = None

    def __enter__(self) -> PruneLock:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise Busy(
                        f"another snaptui prune of this account, region and policy is running "
                        f"(lock {self.path}); skipped"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
