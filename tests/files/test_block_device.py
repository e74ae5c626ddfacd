"""The snapshot block device against the demo world's GetSnapshotBlock (fidelity_blocks.py)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from botocore.exceptions import ClientError

from snaptui.aws.block_cache import BlockCache, DiskBlocks
from snaptui.aws.rate_limit import RateLimiter
from snaptui.aws.session import AwsContext
from snaptui.aws.snapshot_device import BLOCK_BYTES, BlockReader, ChecksumMismatch, SnapshotFile
from snaptui.demo import fidelity_blocks
from snaptui.demo.disk_images import DiskImage
from snaptui.files.session import FilesSession


@pytest.fixture(autouse=True)
def _clean_faults() -> None:
    fidelity_blocks.reset_block_faults()


def _reader(ctx: AwsContext, snapshot_id: str, cache: BlockCache | None = None) -> BlockReader:
    return BlockReader(
        ctx.client("ebs", "us-east-1"),
        snapshot_id,
        RateLimiter(48),
        RateLimiter(960, burst=50),
        cache or BlockCache(),
    )


def test_get_snapshot_block_serves_the_disk_image_with_its_checksum(
    demo_ctx: AwsContext, web_root: list[str], image: DiskImage
) -> None:
    ebs = demo_ctx.client("ebs", "us-east-1")
    listed = ebs.list_snapshot_blocks(SnapshotId=web_root[0])["Blocks"]
    first = listed[0]
    answer = ebs.get_snapshot_block(
        SnapshotId=web_root[0], BlockIndex=first["BlockIndex"], BlockToken=first["BlockToken"]
    )
    data = answer["BlockData"].read()
    assert answer["DataLength"] == BLOCK_BYTES == len(data)
    assert answer["ChecksumAlgorithm"] == "SHA256"
    assert answer["Checksum"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert data == image.block(0, first["BlockIndex"])  # the GPT's protective MBR block


def test_unlisted_block_and_wrong_token_are_refused_as_aws_does(
    demo_ctx: AwsContext, web_root: list[str]
) -> None:
    ebs = demo_ctx.client("ebs", "us-east-1")
    listed = {
        b["BlockIndex"]: b["BlockToken"]
        for b in ebs.list_snapshot_blocks(SnapshotId=web_root[0])["Blocks"]
    }
    missing = next(i for i in range(16384) if i not in listed)
    with pytest.raises(ClientError) as err:
        ebs.get_snapshot_block(SnapshotId=web_root[0], BlockIndex=missing, BlockToken="x")
    assert err.value.response["Reason"] == "INVALID_BLOCK"
    with pytest.raises(ClientError) as err:
        ebs.get_snapshot_block(SnapshotId=web_root[0], BlockIndex=0, BlockToken="1.0.999")
    assert err.value.response["Reason"] == "INVALID_BLOCK_TOKEN"


def test_unlisted_blocks_read_as_zeros_without_a_call(
    demo_ctx: AwsContext, web_root: list[str]
) -> None:
    reader = _reader(demo_ctx, web_root[0])
    missing = next(i for i in range(16384) if not reader.written(i))
    device = SnapshotFile(reader)
    device.seek(missing * BLOCK_BYTES)
    assert device.read(BLOCK_BYTES) == bytes(BLOCK_BYTES)
    assert reader.stats.get_calls == 0
    assert reader.stats.zero_blocks == 1
    assert reader.stats.list_calls == 1


def test_a_block_whose_checksum_does_not_match_is_refused(
    demo_ctx: AwsContext, web_root: list[str]
) -> None:
    reader = _reader(demo_ctx, web_root[0])
    reader.listing  # noqa: B018 - list first, so only the block read is corrupted
    fidelity_blocks.corrupt_next_blocks(1)
    with pytest.raises(ChecksumMismatch):
        reader.block(0)
    assert reader.block(0)[510:512] == b"\x55\xaa"  # the next answer is sound: MBR signature


def test_cache_hits_make_no_call_in_memory_or_on_disk(
    demo_ctx: AwsContext, web_root: list[str], tmp_path: object
) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    first = _reader(demo_ctx, web_root[0], BlockCache(disk=DiskBlocks(root, "t")))
    data = first.block(0)
    assert first.stats.get_calls == 1
    assert first.block(0) == data and first.stats.get_calls == 1  # memory
    second = _reader(demo_ctx, web_root[0], BlockCache(disk=DiskBlocks(root, "t")))
    assert second.block(0) == data
    assert second.stats.get_calls == 0 and second.stats.cache_hits == 1  # disk
    # A damaged cache entry is a miss, never served.
    entry = next((root / "blocks" / "t" / web_root[0]).iterdir())
    raw = entry.read_bytes()
    entry.write_bytes(raw[:-1] + bytes([raw[-1] ^ 0xFF]))
    third = _reader(demo_ctx, web_root[0], BlockCache(disk=DiskBlocks(root, "t")))
    assert third.block(0) == data and third.stats.get_calls == 1


def test_expired_block_tokens_are_listed_again(demo_ctx: AwsContext, web_root: list[str]) -> None:
    reader = _reader(demo_ctx, web_root[1])
    reader.listing  # noqa: B018
    fidelity_blocks.expire_block_tokens()
    data = reader.block(0)
    assert data[510:512] == b"\x55\xaa"
    assert reader.stats.list_calls == 2  # re-listed once
    assert reader.stats.get_calls == 2  # the refused call and the retry


def test_cancel_stops_reading_at_once(session: FilesSession, web_root: list[str]) -> None:
    from snaptui.aws.changed_blocks import Cancelled

    reader = session.reader("us-east-1", web_root[0])
    reader.listing  # noqa: B018
    reader.cancel.set()
    with pytest.raises(Cancelled):
        reader.block(0)
    assert reader.stats.get_calls == 0
