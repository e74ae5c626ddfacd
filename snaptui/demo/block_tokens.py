"""Block-token expiry and damaged transfers in the demo world: state shared by the EBS patches.

ListSnapshotBlocks (fidelity_ebs.py) hands out fresh tokens; GetSnapshotBlock
(fidelity_blocks.py) refuses expired ones and can corrupt bodies. A module of its own so that
neither fidelity module imports the other.
"""

from __future__ import annotations

import threading

_state_lock = threading.Lock()
_listed_after_expiry: set[str] = set()
_expired = False
_corrupt_left = 0


def expire_block_tokens() -> None:
    """Every block token handed out so far is now expired (until its snapshot is re-listed)."""
    global _expired
    with _state_lock:
        _expired = True
        _listed_after_expiry.clear()


def corrupt_next_blocks(count: int) -> None:
    global _corrupt_left
    with _state_lock:
        _corrupt_left = count


def reset_block_faults() -> None:
    global _expired, _corrupt_left
    with _state_lock:
        _expired = False
        _corrupt_left = 0
        _listed_after_expiry.clear()


def token_expired(snapshot_id: str) -> bool:
    with _state_lock:
        return _expired and snapshot_id not in _listed_after_expiry


def take_corruption() -> bool:
    global _corrupt_left
    with _state_lock:
        if _corrupt_left <= 0:
            return False
        _corrupt_left -= 1
        return True


def note_listed(snapshot_id: str) -> None:
    """ListSnapshotBlocks answered for the snapshot: its tokens are fresh again."""
    with _state_lock:
        _listed_after_expiry.add(snapshot_id)
