"""Filesystems read through the block device equal what the demo disks hold (their manifest)."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from snaptui.aws.session import AwsContext
from snaptui.demo.disk_images import DiskImage, load
from snaptui.demo.seed import SeedReport
from snaptui.files.fs import Unreadable
from snaptui.files.history import diff_trees, history_row, version_labels
from snaptui.files.save import save
from snaptui.files.session import FilesSession
from tests.files.conftest import lineage

CONF = "/etc/nginx/nginx.conf"


def test_ls_etc_on_a_gpt_ext4_root(session: FilesSession, web_root: list[str]) -> None:
    opened = session.open("us-east-1", web_root[-1])
    assert [p.label for p in opened.parts] == ["partition 1 (root)"]
    fs = opened.first()
    assert fs.kind == "ext4"
    names = {e.name: e for e in fs.listdir("/etc")}
    assert {"nginx", "passwd", "shadow", "localtime"} <= set(names)
    assert names["nginx"].kind == "dir"
    assert names["shadow"].mode == 0o640 and names["shadow"].gid == 42
    assert names["localtime"].kind == "symlink"
    assert names["localtime"].target == "/usr/share/zoneinfo/UTC"


@pytest.mark.parametrize("version", [0, 4, 11, 13])
def test_nginx_conf_is_the_bytes_of_each_day(
    session: FilesSession, web_root: list[str], image: DiskImage, version: int
) -> None:
    fs = session.open("us-east-1", web_root[version]).first()
    data = fs.open(CONF).read()
    expected = image.manifest[version][CONF]
    assert hashlib.sha256(data).hexdigest() == expected["sha256"]
    entry = fs.stat(CONF)
    assert int(entry.mtime.timestamp()) == expected["mtime"]
    assert entry.size == len(data) == expected["size"]


def test_saving_nginx_conf_reads_only_a_handful_of_blocks(
    session: FilesSession, web_root: list[str], image: DiskImage, tmp_path: Path
) -> None:
    fs = session.open("us-east-1", web_root[-1]).first()
    report = save(fs, CONF, str(tmp_path))
    saved = tmp_path / "nginx.conf"
    expected = image.manifest[13][CONF]
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == expected["sha256"]
    assert int(saved.stat().st_mtime) == expected["mtime"]
    assert stat.S_IMODE(saved.stat().st_mode) == expected["mode"]
    assert report.files == 1 and not report.failed
    written = len(session.open("us-east-1", web_root[-1]).reader.listing.tokens)
    assert session.stats.get_calls <= 16 < written  # a handful of the ~7,800 written blocks


def test_raw_ext4_without_a_partition_table(
    demo_ctx: AwsContext, seeded: SeedReport, session: FilesSession
) -> None:
    snaps = lineage(demo_ctx, seeded.volumes["staging-data"])
    pack = load("staging-data")
    fs = session.open("us-east-1", str(snaps[-1]["SnapshotId"])).first()
    assert fs.label == "whole disk"
    names = sorted(e.name for e in fs.listdir("/dumps"))
    assert names == sorted(
        p.rsplit("/", 1)[1] for p in pack.manifest[-1] if p.startswith("/dumps/")
    )
    for path in pack.manifest[-1]:
        if path.startswith("/dumps/"):
            digest = hashlib.sha256(fs.open(path).read()).hexdigest()
            assert digest == pack.manifest[-1][path]["sha256"]


def test_a_volume_without_a_filesystem_says_so(
    demo_ctx: AwsContext, seeded: SeedReport, session: FilesSession
) -> None:
    snaps = lineage(demo_ctx, seeded.volumes["bastion-root"])
    opened = session.open("us-east-1", str(snaps[-1]["SnapshotId"]))
    with pytest.raises(Unreadable, match=r"no ext2/3/4 or XFS filesystem.*volume restore"):
        opened.first()


def test_save_neutralises_names_and_links_and_never_follows_local_symlinks(
    session: FilesSession, web_root: list[str], tmp_path: Path
) -> None:
    fs = session.open("us-east-1", web_root[-1]).first()
    out = tmp_path / "out"
    out.mkdir()
    report = save(fs, "/home/jdoe", str(out))
    saved = sorted(p.name for p in (out / "jdoe").iterdir())
    assert "notes\\x1b[31mred.txt" in saved  # the escape is text now, not a terminal command
    assert all("\x1b" not in name for name in saved)
    # Links pointing outside the saved tree are not recreated.
    save(fs, "/etc", str(out))
    assert not (out / "etc" / "localtime").exists()
    assert not (out / "etc" / "localtime").is_symlink()
    report = save(fs, "/srv/app/shared", str(out))
    assert any("escape" in path for path, _ in report.skipped)
    # A symlink planted locally where a directory will go is refused, never written through.
    victim = tmp_path / "victim"
    victim.mkdir()
    trap = tmp_path / "trap"
    trap.mkdir()
    (trap / "nginx").symlink_to(victim)
    report = save(fs, "/etc/nginx", str(trap))
    assert report.failed and not any(victim.iterdir())
    # Nothing half-written is left under a final name, nor any temp file.
    assert not list(out.rglob("*.snaptui-part"))


def test_sparse_files_stay_sparse_and_hard_links_stay_linked(
    session: FilesSession, web_root: list[str], image: DiskImage, tmp_path: Path
) -> None:
    fs = session.open("us-east-1", web_root[-1]).first()
    save(fs, "/var/lib/app", str(tmp_path))
    db = tmp_path / "app" / "cache.db"
    assert db.stat().st_size == 64 * 1024 * 1024
    assert db.stat().st_blocks * 512 <= 2 * 1024 * 1024  # holes kept (1 MiB write granularity)
    expected = image.manifest[13]["/var/lib/app/cache.db"]["sha256"]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == expected
    save(fs, "/usr/bin", str(tmp_path))
    a, b = tmp_path / "bin" / "python3", tmp_path / "bin" / "python3.12"
    assert a.stat().st_ino == b.stat().st_ino


def test_history_finds_the_deleted_file_and_the_good_config(
    session: FilesSession, web_root: list[str], image: DiskImage
) -> None:
    rows = []
    newest_first = list(reversed(web_root))
    for sid in newest_first:
        fs = session.open("us-east-1", sid).first()
        rows.append(history_row(sid, None, fs, CONF))
    labels = version_labels(rows)
    assert labels == ["v3"] * 3 + ["v2"] * 7 + ["v1"] * 4  # edited on days 4 and 11
    legacy = [
        history_row(
            sid, None, session.open("us-east-1", sid).first(), "/etc/nginx/conf.d/legacy.conf"
        )
        for sid in newest_first
    ]
    present = [row.entry is not None for row in legacy]
    assert present == [False] * 7 + [True] * 7  # deleted on day 7
    assert legacy[-1].sha256 == image.manifest[0]["/etc/nginx/conf.d/legacy.conf"]["sha256"]


def test_diff_equals_what_the_seed_wrote(
    session: FilesSession, web_root: list[str], image: DiskImage
) -> None:
    old = session.open("us-east-1", web_root[6]).first()
    new = session.open("us-east-1", web_root[7]).first()
    changes = {c.path: c for c in diff_trees(old, new)}
    before, after = image.manifest[6], image.manifest[7]
    expected = set()
    for p in set(before) | set(after):
        entry = before.get(p) or after[p]
        if before.get(p) != after.get(p) and entry["kind"] != "dir":
            expected.add(p)
    assert set(changes) == expected
    assert changes["/etc/nginx/conf.d/legacy.conf"].change == "removed"
    log = changes["/var/log/nginx/access.log"]
    assert log.change == "modified"
    assert log.delta == after[log.path]["size"] - before[log.path]["size"] > 0
