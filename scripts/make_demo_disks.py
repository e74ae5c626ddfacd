"""Regenerate the demo world's disk images (snaptui/demo/disks/*.pack).

Run only to change the demo's filesystems; the demo itself never needs a system tool. Needs
mkfs.ext4 and debugfs (e2fsprogs) and sfdisk (fdisk) on PATH, and root (to chown the files
it lays out):  apt-get install e2fsprogs fdisk && python scripts/make_demo_disks.py

Each disk is a sequence of versions, one per daily snapshot the seed takes of its volume:
version 0 is made with ``mkfs.ext4 -d`` from a laid-out tree, each later one by applying that
day's changes to the previous image with ``debugfs -w`` (files rewritten, added, deleted), so
unchanged blocks stay where they were, as on a real disk. The pack stores each distinct
non-zero 512 KiB chunk once (LZMA), which version holds which chunk at which block index, and
a manifest of every version's files (the ground truth the tests compare against).
"""

from __future__ import annotations

import hashlib
import json
import lzma
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_trees import Entry, root_tree, staging_tree

BLOCK = 512 * 1024
GIB = 1024**3
OUT = Path(__file__).resolve().parent.parent / "snaptui" / "demo" / "disks"
MAGIC = b"SNAPDISK1\n"


@dataclass
class DiskSpec:
    name: str
    size_bytes: int
    gpt: bool
    label: str
    uuid: str
    trees: list[dict[str, Entry]]
    times: list[int]  # epoch seconds each version's changes were made


def _run(args: list[str], env: dict[str, str] | None = None, stdin: str | None = None) -> None:
    subprocess.run(args, check=True, input=stdin, text=True, env=env, capture_output=True)


def _lay_out(tree: dict[str, Entry], root: Path) -> None:
    """Materialise a tree on the local disk with its owners, modes and times."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    links: dict[str, Path] = {}
    for path in sorted(tree):
        e = tree[path]
        local = root / path.lstrip("/")
        if e.kind == "dir":
            local.mkdir(exist_ok=True)
        elif e.kind == "symlink":
            local.symlink_to(e.target)
        elif e.kind == "hardlink":
            links[path] = local
            continue
        else:
            with local.open("wb") as fh:
                for offset, data in e.extents():
                    fh.seek(offset)
                    fh.write(data)
                fh.truncate(e.size)
        os.chown(local, e.uid, e.gid, follow_symlinks=False)
        if e.kind != "symlink":
            local.chmod(e.mode)
    for path, local in links.items():
        os.link(root / tree[path].target.lstrip("/"), local)
    for path in sorted(tree, reverse=True):  # children first: a dir's mtime is set last
        e = tree[path]
        local = root / path.lstrip("/")
        os.utime(local, (e.mtime, e.mtime), follow_symlinks=False)
    os.utime(root, (max(e.mtime for e in tree.values()),) * 2)


def _debugfs_script(old: dict[str, Entry], new: dict[str, Entry], local: Path) -> list[str]:
    cmds: list[str] = []
    gone = [p for p in old if p not in new or old[p].kind != new[p].kind]
    for p in sorted((p for p in gone if old[p].kind != "dir"), reverse=True):
        cmds.append(f'rm "{p}"')
    for p in sorted((p for p in gone if old[p].kind == "dir"), reverse=True):
        cmds.append(f'rmdir "{p}"')
    touched_dirs: set[str] = set()
    for p in sorted(new):
        e = new[p]
        before = old.get(p) if p not in gone else None
        if before == e:
            continue
        parent, _, name = p.rpartition("/")
        parent = parent or "/"
        touched_dirs.add(parent)
        if e.kind == "dir":
            if before is None:
                cmds.append(f'mkdir "{p}"')
        elif e.kind == "symlink":
            if before is not None:
                cmds.append(f'rm "{p}"')
            cmds += [f'cd "{parent}"', f'symlink "{name}" "{e.target}"', "cd /"]
        elif e.kind == "file":
            if before is not None:
                cmds.append(f'rm "{p}"')
            cmds += [f'cd "{parent}"', f'write "{local / p.lstrip("/")}" "{name}"', "cd /"]
        cmds += [
            f'sif "{p}" uid {e.uid}',
            f'sif "{p}" gid {e.gid}',
            f'sif "{p}" mtime @{e.mtime}',
        ]
        if e.kind != "symlink":
            cmds.append(f'sif "{p}" mode 0{e.type_bits | e.mode:o}')
    for d in sorted(touched_dirs):
        if d in new:
            cmds.append(f'sif "{d}" mtime @{new[d].mtime}')
    return cmds


def _fs_image(spec: DiskSpec, work: Path) -> list[Path]:
    """One ext4 image file per version (the bare filesystem, without a partition table)."""
    fs_bytes = spec.size_bytes - (2 * 1024 * 1024 if spec.gpt else 0)
    images: list[Path] = []
    image = work / "fs.img"
    for n, tree in enumerate(spec.trees):
        local = work / f"tree{n}"
        _lay_out(tree, local)
        env = {**os.environ, "E2FSPROGS_FAKE_TIME": str(spec.times[n])}
        if n == 0:
            image.unlink(missing_ok=True)
            _run(["truncate", "-s", str(fs_bytes), str(image)])
            _run(
                ["mkfs.ext4", "-q", "-F", "-d", str(local), "-L", spec.label, "-U", spec.uuid,
                 "-E", f"lazy_itable_init=1,lazy_journal_init=1,hash_seed={spec.uuid}",
                 str(image)],
                env=env,
            )  # fmt: skip
        else:
            cmds = _debugfs_script(spec.trees[n - 1], tree, local)
            _run(["debugfs", "-w", "-f", "-", str(image)], env=env, stdin="\n".join(cmds) + "\n")
        snap = work / f"v{n}.img"
        _run(["cp", "--sparse=always", str(image), str(snap)])
        images.append(snap)
    return images


def _gpt_regions(spec: DiskSpec, work: Path) -> tuple[bytes, bytes]:
    """The first and last MiB of the disk: protective MBR + GPT, and the backup GPT."""
    disk = work / "gpt.img"
    disk.unlink(missing_ok=True)
    _run(["truncate", "-s", str(spec.size_bytes), str(disk)])
    sectors = (spec.size_bytes - 2 * 1024 * 1024) // 512
    table = (
        "label: gpt\nlabel-id: 6E6F7461-7265-616C-2D64-69736B000001\n"
        f"start=2048, size={sectors}, type=L, uuid={spec.uuid}, name={spec.label}\n"
    )
    _run(["sfdisk", "-q", str(disk)], stdin=table)
    with disk.open("rb") as fh:
        head = fh.read(1024 * 1024)
        fh.seek(spec.size_bytes - 1024 * 1024)
        tail = fh.read()
    return head, tail


def _chunks_of(path: Path, base: int, size: int) -> dict[int, bytes]:
    """Non-zero 512 KiB chunks of a sparse file placed at byte ``base`` of the disk."""
    out: dict[int, bytes] = {}
    fd = os.open(path, os.O_RDONLY)
    try:
        pos = 0
        while pos < size:
            try:
                data_at = os.lseek(fd, pos, os.SEEK_DATA)
            except OSError:
                break
            hole_at = os.lseek(fd, data_at, os.SEEK_HOLE)
            first = (base + data_at) // BLOCK
            last = (base + hole_at - 1) // BLOCK
            for index in range(first, last + 1):
                if index in out:
                    continue
                chunk = bytearray(BLOCK)
                lo = max(index * BLOCK, base)
                hi = min((index + 1) * BLOCK, base + size)
                chunk[lo - index * BLOCK : hi - index * BLOCK] = os.pread(fd, hi - lo, lo - base)
                if any(chunk):
                    out[index] = bytes(chunk)
            pos = hole_at
    finally:
        os.close(fd)
    return out


def build(spec: DiskSpec) -> None:
    with tempfile.TemporaryDirectory(prefix="snaptui-disks-") as tmp:
        work = Path(tmp)
        images = _fs_image(spec, work)
        head = tail = b""
        if spec.gpt:
            head, tail = _gpt_regions(spec, work)
        store: dict[str, bytes] = {}
        versions: list[list[tuple[int, str]]] = []
        for image in images:
            base = 1024 * 1024 if spec.gpt else 0
            chunks = _chunks_of(image, base, image.stat().st_size)
            if spec.gpt:  # the first and last MiB hold the GPT, outside the partition
                last = spec.size_bytes // BLOCK - 1
                for index, data in (
                    (0, head[:BLOCK]),
                    (1, head[BLOCK:]),
                    (last - 1, tail[:BLOCK]),
                    (last, tail[BLOCK:]),
                ):
                    if any(data):
                        chunks[index] = data
            version = []
            for index, chunk in sorted(chunks.items()):
                digest = hashlib.sha256(chunk).hexdigest()
                store.setdefault(digest, chunk)
                version.append((index, digest))
            versions.append(version)
        _write_pack(spec, store, versions)


def _write_pack(
    spec: DiskSpec, store: dict[str, bytes], versions: list[list[tuple[int, str]]]
) -> None:
    digests = sorted(store)
    blobs = [lzma.compress(store[d], preset=9) for d in digests]
    offsets, pos = [], 0
    for blob in blobs:
        offsets.append([pos, len(blob)])
        pos += len(blob)
    number = {d: n for n, d in enumerate(digests)}
    header = {
        "name": spec.name,
        "volume_bytes": spec.size_bytes,
        "block_bytes": BLOCK,
        "partitioned": spec.gpt,
        "chunks": [[o, ln, d] for (o, ln), d in zip(offsets, digests, strict=True)],
        "versions": [[[i, number[d]] for i, d in v] for v in versions],
        "times": spec.times,
        "manifest": [{p: e.manifest() for p, e in sorted(t.items())} for t in spec.trees],
    }
    raw = json.dumps(header, separators=(",", ":")).encode()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / f"{spec.name}.pack").open("wb") as fh:
        fh.write(MAGIC + struct.pack(">Q", len(raw)) + raw)
        for blob in blobs:
            fh.write(blob)
    total = (OUT / f"{spec.name}.pack").stat().st_size
    print(f"{spec.name}: {len(versions)} versions, {len(store)} distinct chunks, {total:,} bytes")


def main() -> None:
    trees, times = root_tree()
    build(DiskSpec("web-root", 8 * GIB, True, "root",
                   "6E6F7461-7265-616C-2D70-617274000001", trees, times))  # fmt: skip
    trees, times = staging_tree()
    build(DiskSpec("staging-data", 100 * GIB, False, "data",
                   "6E6F7461-7265-616C-2D64-617461000002", trees, times))  # fmt: skip


if __name__ == "__main__":
    main()
