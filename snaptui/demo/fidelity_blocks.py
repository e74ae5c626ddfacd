"""Fidelity patch for GetSnapshotBlock: the demo's snapshots serve their blocks' bytes.

moto 5.2 serves GetSnapshotBlock only for snapshots made with StartSnapshot/PutSnapshotBlock;
for an EC2-made snapshot it answers HTTP 500. For every snapshot the block world knows, this
answers as AWS documents (tests: tests/demo/test_fidelity_blocks.py):

  1. The body is the block's 512 KiB (demo/disk_contents.py: a bound volume's filesystem
     bytes, filler otherwise), with headers x-amz-Data-Length, x-amz-Checksum (base64 of the
     SHA-256 of the body) and x-amz-Checksum-Algorithm SHA256.
  2. A BlockToken that is not the one ListSnapshotBlocks gives for that index answers
     ValidationException, Reason INVALID_BLOCK_TOKEN; a block the snapshot does not hold
     answers ValidationException, Reason INVALID_BLOCK (AWS: only listed blocks can be read).
  3. Unknown or deleted snapshots, and snapshots of another region, answer
     ResourceNotFoundException, Reason SNAPSHOT_NOT_FOUND.
  4. Block tokens expire (AWS: 7 days after they were listed). ``expire_block_tokens()``
     makes every token listed so far expire: GetSnapshotBlock then answers
     ValidationException INVALID_BLOCK_TOKEN ("expired") until the snapshot is listed again.
  5. ``corrupt_next_blocks(n)`` flips a byte in the next n bodies without fixing the checksum
     (what a damaged transfer looks like to the client), to test that readers verify it.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from typing import Any

from snaptui.demo.disk_contents import contents_of

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


def _token_expired(snapshot_id: str) -> bool:
    with _state_lock:
        return _expired and snapshot_id not in _listed_after_expiry


def _take_corruption() -> bool:
    global _corrupt_left
    with _state_lock:
        if _corrupt_left <= 0:
            return False
        _corrupt_left -= 1
        return True


def install_block_patches() -> None:
    """Serve GetSnapshotBlock from the block world (once per process, after the EBS patches)."""
    from moto.ebs.responses import EBSResponse
    from moto.ec2.models import ec2_backends

    from snaptui.demo import fidelity
    from snaptui.demo.fidelity_ebs import _errors

    validation_error, not_found = _errors()
    original_get = EBSResponse.get_snapshot_block
    listed = EBSResponse.list_snapshot_blocks

    def list_snapshot_blocks(self: Any) -> Any:
        snapshot_id = str(self._get_param("SnapshotId"))
        answer = listed(self)
        with _state_lock:
            _listed_after_expiry.add(snapshot_id)  # fresh tokens for this snapshot
        return answer

    def get_snapshot_block(self: Any) -> Any:
        snapshot_id = str(self._get_param("SnapshotId"))
        world = fidelity.world()
        if not world.knows(snapshot_id) and snapshot_id in self.ebs_backend.snapshots:
            return original_get(self)  # StartSnapshot-made: moto has the blocks
        backend = ec2_backends[self.current_account][self.region]
        if snapshot_id not in backend.snapshots or not world.knows(snapshot_id):
            raise not_found(f"The snapshot '{snapshot_id}' does not exist.")
        index = int(self._get_param("BlockIndex"))
        token = str(self._get_param("BlockToken") or "")
        expected = world.token(snapshot_id, index)
        if expected is None:
            raise validation_error(f"Block {index} is not in the snapshot.", "INVALID_BLOCK")
        if token != expected:
            raise validation_error("The block token is not valid.", "INVALID_BLOCK_TOKEN")
        if _token_expired(snapshot_id):
            raise validation_error("The block token has expired.", "INVALID_BLOCK_TOKEN")
        data = contents_of(world).block(world, snapshot_id, index)
        assert data is not None  # the token exists, so the block does
        checksum = base64.b64encode(hashlib.sha256(data).digest()).decode()
        if _take_corruption():
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        headers = {
            "status": 200,
            "Content-Type": "application/octet-stream",
            "x-amz-Data-Length": str(len(data)),
            "x-amz-Checksum": checksum,
            "x-amz-Checksum-Algorithm": "SHA256",
        }
        return data, headers

    EBSResponse.list_snapshot_blocks = list_snapshot_blocks  # type: ignore[method-assign]
    EBSResponse.get_snapshot_block = get_snapshot_block  # type: ignore[method-assign]
