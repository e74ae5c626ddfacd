"""The one registry of the demo world's fidelity patches.

Each fidelity module declares its patches as data (``Patch``: a moto class, an attribute, the
replacement, and the AWS behaviour it reproduces) from a ``patches()`` function, built from
moto's own methods. ``install()`` applies them all once per process and refuses two patches
of one attribute, so no patch wraps another and the order of modules never matters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_lock = threading.Lock()
_installed: list[Patch] = []


@dataclass(frozen=True, slots=True)
class Patch:
    owner: type
    name: str
    value: Any
    why: str  # the AWS behaviour reproduced (or moto's gap closed)


def _modules() -> Sequence[Callable[[], list[Patch]]]:
    from snaptui.demo import (
        fidelity,
        fidelity_actions,
        fidelity_blocks,
        fidelity_ebs,
        fidelity_fleet,
        fidelity_kms,
        fidelity_time,
    )

    return (
        fidelity.patches,
        fidelity_actions.patches,
        fidelity_ebs.patches,
        fidelity_blocks.patches,
        fidelity_kms.patches,
        fidelity_fleet.patches,
        fidelity_time.patches,
    )


def check_unique(patches: Sequence[Patch]) -> None:
    seen: dict[tuple[type, str], Patch] = {}
    for patch in patches:
        key = (patch.owner, patch.name)
        if key in seen:
            raise RuntimeError(
                f"{patch.owner.__name__}.{patch.name} is patched twice "
                f"({seen[key].why!r} and {patch.why!r}): merge them into one patch"
            )
        seen[key] = patch


def install() -> list[Patch]:
    """Apply every fidelity patch, once per process; returns what was applied."""
    with _lock:
        if not _installed:
            patches = [p for build in _modules() for p in build()]
            check_unique(patches)
            for patch in patches:
                setattr(patch.owner, patch.name, patch.value)
            _installed.extend(patches)
        return list(_installed)
