"""`snaptui files` flags (no boto3: `--help` stays light); the verbs are files_cmd."""

from __future__ import annotations

import argparse
from typing import Any

from snaptui.cli.args import add_target_args

RUN = "snaptui.headless.files_cmd:run"


def _prepare(args: argparse.Namespace) -> argparse.Namespace:
    from snaptui.headless.files_cmd import prepare

    return prepare(args)


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

    def verb(name: str, text: str, func: str) -> Any:
        v = verbs.add_parser(name, help=text, description=text)
        add_target_args(v)
        v.add_argument(
            "--part",
            type=int,
            default=0,
            metavar="N",
            help="partition number (default: the first readable filesystem)",
        )
        v.set_defaults(prepare=_prepare, run=RUN, mutates=lambda _o: False, files_verb=func)
        return v

    ls = verb("ls", "list a directory of the snapshot's filesystem", "ls")
    ls.add_argument("snapshot", metavar="SNAP")
    ls.add_argument("path", nargs="?", default="/", metavar="PATH")
    ls.add_argument("--json", action="store_true")
    get = verb("get", "save a file or directory from the snapshot to a local directory", "get")
    get.add_argument("snapshot", metavar="SNAP")
    get.add_argument("path", metavar="PATH")
    get.add_argument("--to", default=".", metavar="DIR", help="local directory (default: .)")
    get.add_argument("--overwrite", action="store_true", help="replace files that exist")
    hist = verb("history", "a path's versions across the volume's snapshots", "history")
    hist.add_argument("source", metavar="SNAP|VOLUME")
    hist.add_argument("path", metavar="PATH")
    hist.add_argument("--json", action="store_true")
    diff = verb("diff", "files added, removed and modified between two snapshots", "diff")
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
