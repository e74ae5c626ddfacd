"""Fidelity patches for the EBS direct APIs (ListChangedBlocks, ListSnapshotBlocks).

moto 5.2 knows blocks only for snapshots made with StartSnapshot; the cost engine needs AWS's
answers for snapshots made by EC2 CreateSnapshot/CopySnapshot. For every snapshot the block
world (demo/blocks.py) knows, these patches answer from ``world.world()`` at call time (the
world is replaced on reset); other snapshots fall through to moto. Tests:
tests/demo/test_fidelity_ebs.py. Gaps closed (see ../shared/docs/ebs-facts.md):

  1. EC2-made snapshots have no blocks (moto answers HTTP 500): answered from the block world,
     with VolumeSize (GiB), BlockSize 524288 and ExpiryTime (tokens live 60 minutes).
  2. ListChangedBlocks iterates only the first snapshot's blocks, so blocks present only in the
     second are never returned: entries come from BlockWorld.changed_blocks, which has them
     (no FirstBlockToken), as do blocks the second no longer has (no SecondBlockToken).
  3. No pagination: MaxResults (100-10,000, ValidationException outside) and an opaque
     NextToken are honoured. Like AWS, one request scans a bounded window of block indices,
     so a page can be short, or empty, while NextToken is still set.
  4. No UNRELATED_SNAPSHOTS check: snapshots of different lineages answer ValidationException
     with Reason UNRELATED_SNAPSHOTS.
  5. Unknown or deleted snapshots answer ResourceNotFoundException (Reason SNAPSHOT_NOT_FOUND)
     rather than a 500; fidelity.py's DeleteSnapshot patch already drops a deleted snapshot's
     blocks from the world, and only snapshots in the request's region are found.
  StartingBlockIndex is honoured too. ListSnapshotBlocks gets 1, 3 and 5 from BlockWorld.blocks.

Speed: BlockWorld.changed_blocks compares every index the lineage ever wrote (~0.4 s for a
seeded disk), which made a cold cost run of the seed take half a minute. ``_changed`` answers
pairs of one volume history from the indices rewritten between the two snapshots only, and
defers to BlockWorld.changed_blocks for anything else; tests check both agree.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from snaptui.demo import block_tokens
from snaptui.demo import world as demo_world
from snaptui.demo.blocks import BLOCK_BYTES, BlockWorld, UnknownSnapshot, UnrelatedSnapshots
from snaptui.demo.ebs_errors import ebs_errors
from snaptui.demo.patches import Patch

# Block indices one request scans (AWS bounds the work per page the same way): 64Ki blocks is
# 32 GiB, so the demo's small disks fit in one window; tests lower it to see short pages.
SCAN_WINDOW = 65_536
MIN_RESULTS, MAX_RESULTS, DEFAULT_RESULTS = 100, 10_000, 10_000
TOKEN_LIFETIME = timedelta(minutes=60)
_TOKEN_PREFIX = "snaptui-ebs"

Entry = dict[str, Any]


def _encode_token(key: str, next_index: int) -> str:
    # Standard base64: the model's pattern for NextToken is [A-Za-z0-9+/=]+.
    return base64.b64encode(f"{_TOKEN_PREFIX}:{key}:{next_index}".encode()).decode()


def _decode_token(token: str, key: str) -> int | None:
    try:
        text = base64.b64decode(token.encode(), validate=True).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    prefix, _, rest = text.partition(":")
    token_key, _, number = rest.rpartition(":")
    if prefix != _TOKEN_PREFIX or token_key != key or not number.isdigit():
        return None
    return int(number)


def _page(
    entries: list[Entry], start: int, max_results: int, key: str
) -> tuple[list[Entry], str | None]:
    """The entries from block index ``start`` up to ``max_results`` or the scan window's end.

    ``entries`` are sorted by BlockIndex. The next token names the index to resume at, so it is
    set whenever any entry lies beyond this page, even if this page is empty.
    """
    end = start + SCAN_WINDOW
    out: list[Entry] = []
    resume: int | None = None
    for entry in entries:
        index = int(entry["BlockIndex"])
        if index < start:
            continue
        if index >= end or len(out) >= max_results:
            resume = index if len(out) >= max_results else end
            break
        out.append(entry)
    return out, None if resume is None else _encode_token(key, resume)


def _changed(
    world: BlockWorld, first: str, second: str
) -> list[tuple[int, str | None, str | None]]:
    return world.changed_blocks(first, second)


def patches() -> list[Patch]:
    """Replace moto's ListChangedBlocks / ListSnapshotBlocks responses (once per process)."""
    from moto.ebs.responses import EBSResponse
    from moto.ec2.models import ec2_backends

    validation_error, not_found = ebs_errors()
    original_changed = EBSResponse.list_changed_blocks
    original_blocks = EBSResponse.list_snapshot_blocks

    def ec2_snapshot(self: Any, snapshot_id: str) -> Any:
        """The EC2 snapshot in this request's region, or ResourceNotFoundException."""
        snapshot = ec2_backends[self.current_account][self.region].snapshots.get(snapshot_id)
        if snapshot is None:
            raise not_found(f"The snapshot '{snapshot_id}' does not exist.")
        return snapshot

    def paging(self: Any, key: str) -> tuple[int, int]:
        """(first block index to scan, MaxResults) from the request, validated as AWS does."""
        raw_max = self._get_param("MaxResults")
        max_results = DEFAULT_RESULTS if raw_max is None else int(raw_max)
        if not MIN_RESULTS <= max_results <= MAX_RESULTS:
            raise validation_error(
                f"MaxResults must be between {MIN_RESULTS} and {MAX_RESULTS}",
                "INVALID_PARAMETER_VALUE",
            )
        start = int(self._get_param("StartingBlockIndex") or 0)
        token = self._get_param("NextToken")
        if token:
            decoded = _decode_token(str(token), key)
            if decoded is None:
                raise validation_error("The pagination token is invalid.", "INVALID_PAGE_TOKEN")
            start = max(start, decoded)
        return start, max_results

    def answer(
        snapshot: Any, field: str, entries: list[Entry], page: tuple[int, int], key: str
    ) -> tuple[str, dict[str, Any]]:
        items, next_token = _page(entries, page[0], page[1], key)
        result: dict[str, Any] = {
            field: items,
            # rest-json timestamps are epoch seconds.
            "ExpiryTime": (datetime.now(UTC) + TOKEN_LIFETIME).timestamp(),
            "VolumeSize": int(snapshot.volume.size),
            "BlockSize": BLOCK_BYTES,
        }
        if next_token:
            result["NextToken"] = next_token
        # Raw JSON: moto's model-driven serializer takes ~50 us per entry, which made a cold
        # cost run of the seeded world take half a minute of the shared GIL.
        return json.dumps(result), {"status": 200, "Content-Type": "application/json"}

    def list_changed_blocks(self: Any) -> Any:
        first_id = self._get_param("FirstSnapshotId")
        second_id = str(self._get_param("SecondSnapshotId"))
        world = demo_world.world()
        ids = [i for i in (first_id, second_id) if i]
        if not any(world.knows(i) for i in ids) and all(
            i in self.ebs_backend.snapshots for i in ids
        ):
            return original_changed(self)  # StartSnapshot-made: moto has the blocks
        second = ec2_snapshot(self, second_id)
        if first_id:
            ec2_snapshot(self, str(first_id))
        key = f"{first_id or ''}:{second_id}"
        page = paging(self, key)
        try:
            if first_id:
                changed = _changed(world, str(first_id), second_id)
            else:  # no first snapshot: every block of the second is "changed"
                changed = [(i, None, t) for i, t in world.blocks(second_id).items()]
        except UnknownSnapshot as exc:
            raise not_found(f"The snapshot '{exc}' does not exist.") from None
        except UnrelatedSnapshots:
            raise validation_error(
                f"The snapshots {first_id} and {second_id} are not related.",
                "UNRELATED_SNAPSHOTS",
            ) from None
        entries: list[Entry] = []
        for index, first, second_token in changed:
            entry: Entry = {"BlockIndex": index}
            if first is not None:
                entry["FirstBlockToken"] = first
            if second_token is not None:
                entry["SecondBlockToken"] = second_token
            entries.append(entry)
        return answer(second, "ChangedBlocks", entries, page, key)

    def list_snapshot_blocks(self: Any) -> Any:
        snapshot_id = str(self._get_param("SnapshotId"))
        world = demo_world.world()
        block_tokens.note_listed(snapshot_id)  # fresh tokens for this snapshot
        if not world.knows(snapshot_id) and snapshot_id in self.ebs_backend.snapshots:
            return original_blocks(self)
        snapshot = ec2_snapshot(self, snapshot_id)
        page = paging(self, snapshot_id)
        try:
            blocks = world.blocks(snapshot_id)
        except UnknownSnapshot:
            raise not_found(f"The snapshot '{snapshot_id}' does not exist.") from None
        entries = [{"BlockIndex": i, "BlockToken": t} for i, t in blocks.items()]
        return answer(snapshot, "Blocks", entries, page, snapshot_id)

    return [
        Patch(EBSResponse, "list_changed_blocks", list_changed_blocks, "1-4: changed blocks"),
        Patch(EBSResponse, "list_snapshot_blocks", list_snapshot_blocks, "1, 3, 5: blocks"),
    ]
