"""`snaptui files ls|get|history|diff`: files straight from a snapshot's blocks, no volume.

Exit codes: 0 done, 1 something could not be read or saved (the rest was), 2 bad usage (before
any call). Results on stdout (text or --json); errors on stderr, one line each. Names from a
snapshot are data: control characters are printed escaped, never sent to the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from snaptui.aws.session import AwsContext, AwsTarget
from snaptui.common_args import UsageError, add_target_args, fail_usage, target_from_args
from snaptui.core import fmt
from snaptui.files.fs import FileEntry, FileSystem, Unreadable, normalize, shown
from snaptui.files.history import by_directory, diff_trees, history_row, version_labels
from snaptui.files.save import save
from snaptui.files.session import FilesSession, OpenSnapshot, describe_lineage, explain
from snaptui.headless.output import error

EXIT_OK, EXIT_PARTIAL = 0, 1
_SNAP = re.compile(r"^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_VOL = re.compile(r"^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "files",
        help="list, fetch, trace and compare files inside a snapshot (no volume needed)",
        description="Read a snapshot's filesystem straight from its blocks with the EBS direct "
        "APIs (ebs:ListSnapshotBlocks, ebs:GetSnapshotBlock, ebs:ListChangedBlocks; kms:Decrypt "
        "for encrypted snapshots). Reads only the blocks it needs; blocks are cached on disk.",
    )
    add_target_args(p)
    verbs = p.add_subparsers(dest="files_command", metavar="VERB", required=True)

    def verb(name: str, text: str, func: Callable[[argparse.Namespace], int]) -> Any:
        v = verbs.add_parser(name, help=text, description=text)
        add_target_args(v)
        v.add_argument(
            "--part",
            type=int,
            default=0,
            metavar="N",
            help="partition number (default: the first readable filesystem)",
        )
        v.set_defaults(func=lambda args: _run(args, func))
        return v

    ls = verb("ls", "list a directory of the snapshot's filesystem", _ls)
    ls.add_argument("snapshot", metavar="SNAP")
    ls.add_argument("path", nargs="?", default="/", metavar="PATH")
    ls.add_argument("--json", action="store_true")
    get = verb("get", "save a file or directory from the snapshot to a local directory", _get)
    get.add_argument("snapshot", metavar="SNAP")
    get.add_argument("path", metavar="PATH")
    get.add_argument("--to", default=".", metavar="DIR", help="local directory (default: .)")
    get.add_argument("--overwrite", action="store_true", help="replace files that exist")
    hist = verb("history", "a path's versions across the volume's snapshots", _history)
    hist.add_argument("source", metavar="SNAP|VOLUME")
    hist.add_argument("path", metavar="PATH")
    hist.add_argument("--json", action="store_true")
    diff = verb("diff", "files added, removed and modified between two snapshots", _diff)
    diff.add_argument("snapshot", metavar="SNAP")
    diff.add_argument(
        "other",
        nargs="?",
        default=None,
        metavar="SNAP2",
        help="default: the snapshot before SNAP of the same volume",
    )
    diff.add_argument("--path", default="/", help="compare only under this directory")
    diff.add_argument("--json", action="store_true")  # fmt: skip


def _check(args: argparse.Namespace) -> None:
    for name in ("snapshot", "other"):
        value = getattr(args, name, None)
        if value is not None and not _SNAP.match(value):
            raise UsageError(f"not a snapshot id: {value!r} (expected snap-...)")
    source = getattr(args, "source", None)
    if source is not None and not (_SNAP.match(source) or _VOL.match(source)):
        raise UsageError(f"not a snapshot or volume id: {source!r}")
    path = getattr(args, "path", "/")
    if "\x00" in path:
        raise UsageError("PATH contains a NUL character")
    to = getattr(args, "to", None)
    if to is not None and not Path(to).is_dir():
        raise UsageError(f"--to {to!r} is not an existing directory")
    if args.part < 0:
        raise UsageError("--part must be a partition number (1, 2, ...)")


def _run(args: argparse.Namespace, func: Callable[[argparse.Namespace], int]) -> int:
    try:
        _check(args)
        target = target_from_args(args)
    except UsageError as exc:
        return fail_usage(str(exc))
    with _context(args, target) as (ctx, cache_root):
        args.session = FilesSession(ctx, cache_root)
        args.region = (ctx.target.regions or (ctx.home_region,))[0]
        try:
            return func(args)
        except Unreadable as exc:
            error(str(exc))
            return EXIT_PARTIAL
        except (ClientError, BotoCoreError) as exc:
            error(explain(exc, getattr(args, "snapshot", "") or getattr(args, "source", "")))
            return EXIT_PARTIAL


@contextlib.contextmanager
def _context(
    args: argparse.Namespace, target: AwsTarget
) -> Iterator[tuple[AwsContext, Path | None]]:
    if not getattr(args, "demo", False):
        yield AwsContext(target), None
        return
    from snaptui.demo.start import start_seeded_demo

    with contextlib.redirect_stdout(io.StringIO()):
        server = start_seeded_demo()
    try:
        with tempfile.TemporaryDirectory(prefix="snaptui-demo-blocks-") as tmp:
            yield AwsContext(server.target(regions=target.regions, read_only=True)), Path(tmp)
    finally:
        server.stop()


def _open(args: argparse.Namespace, snapshot_id: str) -> tuple[OpenSnapshot, FileSystem]:
    opened = args.session.open(args.region, snapshot_id)
    if args.part:
        for part in opened.parts:
            if part.label.startswith(f"partition {args.part}"):
                if part.fs is None:
                    raise Unreadable(part.problem)
                return opened, part.fs
        raise Unreadable(f"{snapshot_id}: no partition {args.part}")
    return opened, opened.first()


def entry_dict(e: FileEntry) -> dict[str, Any]:
    return {"path": e.path, "name": e.name, "kind": e.kind, "size": e.size,
            "mode": f"{e.mode:04o}", "uid": e.uid, "gid": e.gid,
            "mtime": e.mtime.isoformat(), "inode": e.inode, "nlink": e.nlink,
            **({"target": e.target} if e.kind == "symlink" else {})}  # fmt: skip


def entry_line(e: FileEntry) -> str:
    name = shown(e.name) + (f" -> {shown(e.target)}" if e.kind == "symlink" else "")
    return (f"{e.mode_text} {e.uid:>5}:{e.gid:<5} {fmt.size(e.size):>10} "
            f"{e.mtime:%Y-%m-%d %H:%M} {name}")  # fmt: skip


def _stats_line(args: argparse.Namespace) -> str:
    s = args.session.stats
    return (
        f"read {s.get_calls} blocks ({fmt.size(s.bytes_fetched)}), {s.list_calls} list calls, "
        f"{s.cache_hits} cache hits, API cost ${s.cost_usd:.5f}"
    )


def _ls(args: argparse.Namespace) -> int:
    _, fs = _open(args, args.snapshot)
    path = normalize(args.path)
    top = fs.stat(path)
    entries = fs.listdir(path) if top.kind == "dir" else [top]
    entries.sort(key=lambda e: (e.kind != "dir", e.name))
    if args.json:
        doc = {"snapshot": args.snapshot, "filesystem": fs.kind, "part": fs.label, "path": path}
        print(json.dumps({**doc, "entries": [entry_dict(e) for e in entries]}, indent=2))
    else:
        for e in entries:
            print(entry_line(e))
    print(f"snaptui: {_stats_line(args)}", file=sys.stderr)
    return EXIT_OK


def _get(args: argparse.Namespace) -> int:
    _, fs = _open(args, args.snapshot)
    report = save(fs, normalize(args.path), os.path.realpath(args.to), overwrite=args.overwrite)
    for local in report.saved:
        print(Path(args.to) / shown(local))
    for path, why in report.skipped:
        error(f"skipped {shown(path)}: {shown(why)}")
    for path, why in report.failed:
        error(f"failed {shown(path)}: {shown(why)}")
    error(f"saved {report.files} files, {report.dirs} directories, {report.links} links, "
          f"{fmt.size(report.bytes_written)}; {_stats_line(args)}")  # fmt: skip
    return EXIT_PARTIAL if report.failed or report.skipped else EXIT_OK


def _lineage(args: argparse.Namespace) -> list[dict[str, Any]]:
    ctx = args.session.ctx
    source = args.source
    if source.startswith("vol-"):
        found = describe_lineage(ctx, args.region, source)
        if not found:
            raise Unreadable(f"{source}: no snapshots of this volume in {args.region}")
        return found
    snap = ctx.client("ec2", args.region).describe_snapshots(SnapshotIds=[source])["Snapshots"][0]
    volume = str(snap.get("VolumeId") or "")
    if not volume or volume == "vol-ffffffff":
        return [snap]
    return describe_lineage(ctx, args.region, volume) or [snap]


def _history(args: argparse.Namespace) -> int:
    path = normalize(args.path)
    rows = []
    failed = False
    for snap in _lineage(args):
        sid = str(snap["SnapshotId"])
        try:
            _, fs = _open(args, sid)
            rows.append(history_row(sid, snap.get("StartTime"), fs, path))
        except Unreadable as exc:
            failed = True
            from snaptui.files.history import HistoryRow

            rows.append(HistoryRow(sid, snap.get("StartTime"), None, problem=str(exc)))
    labels = version_labels(rows)
    if args.json:
        doc = [{"snapshot": r.snapshot_id, "taken": r.taken.isoformat() if r.taken else None,
                "version": label, "sha256": r.sha256 or None, "problem": r.problem or None,
                "entry": entry_dict(r.entry) if r.entry else None}
               for r, label in zip(rows, labels, strict=True)]  # fmt: skip
        print(json.dumps({"path": path, "history": doc}, indent=2))
    else:
        for r, label in zip(rows, labels, strict=True):
            taken = f"{r.taken:%Y-%m-%d %H:%M}" if r.taken else "?"
            if r.entry is None:
                print(f"{r.snapshot_id}  {taken}  {label:>5}  {shown(r.problem) or 'not present'}")
            else:
                print(f"{r.snapshot_id}  {taken}  {label:>5}  {fmt.size(r.entry.size):>10}"
                      f"  {r.entry.mtime:%Y-%m-%d %H:%M}  {r.sha256[:12]}")  # fmt: skip
    print(f"snaptui: {_stats_line(args)}", file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    new_id, old_id = args.snapshot, args.other
    ec2 = args.session.ctx.client("ec2", args.region)
    if old_id is None:
        snap = ec2.describe_snapshots(SnapshotIds=[new_id])["Snapshots"][0]
        older = [s for s in describe_lineage(args.session.ctx, args.region,
                                             str(snap.get("VolumeId", "")))
                 if s["StartTime"] < snap["StartTime"]]  # fmt: skip
        if not older:
            raise Unreadable(f"{new_id}: no earlier snapshot of its volume to compare with")
        old_id = str(older[0]["SnapshotId"])
    else:
        found = ec2.describe_snapshots(SnapshotIds=[new_id, old_id])["Snapshots"]
        times = {s["SnapshotId"]: s["StartTime"] for s in found}
        if times.get(old_id) and times.get(new_id) and times[old_id] > times[new_id]:
            new_id, old_id = old_id, new_id
    _, old_fs = _open(args, old_id)
    _, new_fs = _open(args, new_id)
    changes = diff_trees(old_fs, new_fs, normalize(args.path))
    if args.json:
        print(json.dumps({"old": old_id, "new": new_id, "changes": [
            {"path": c.path, "change": c.change, "kind": c.kind, "old_size": c.old_size,
             "new_size": c.new_size} for c in changes]}, indent=2))  # fmt: skip
    else:
        print(f"{old_id} -> {new_id}: {len(changes)} changes, "
              f"{fmt.size(sum(c.delta for c in changes if c.delta > 0))} grown")  # fmt: skip
        for directory, count, grown in by_directory(changes)[:5]:
            print(f"  {shown(directory)}: {count} entries, {_signed(grown)}")
        for c in changes:
            print(f"{c.change[0].upper()} {_signed(c.delta):>11}  {shown(c.path)}")
    print(f"snaptui: {_stats_line(args)}", file=sys.stderr)
    return EXIT_OK


def _signed(n: int) -> str:
    return ("+" if n >= 0 else "-") + fmt.size(abs(n))
