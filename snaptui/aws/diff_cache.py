"""On-disk cache of ListChangedBlocks diffs (and root block counts), keyed by snapshot ids.

Snapshots are immutable, so a diff between two snapshot ids never changes: a second cost run
makes no calls for edges it has seen. Entries are gzipped JSON of the token lists (tokens are
opaque, so gzip is the only safe compaction); each is written to a temp file in the same
directory and renamed into place, so a reader never sees half an entry. Anything unreadable or
not matching its key is deleted and reported as a miss: a cached figure is never trusted blindly.

Layout: ``<root>/diffs/<namespace>/<region>/<parent>__<child>.json.gz`` for diffs (or
UNRELATED_SNAPSHOTS answers), ``<snapshot>.count.json.gz`` for block counts, and
``evidence.json.gz``: every volume -> source-snapshot link and every snapshot seen, kept after
they are deleted (cost.evidence). The namespace is the account and the endpoint actually used
(aws/identity.py): two accounts behind one profile name, or endpoints whose ids repeat with
other contents (moto, LocalStack), never share entries.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from snaptui.cost.blocks import EdgeDiff
from snaptui.cost.evidence import Evidence, evidence_from_doc, evidence_to_doc

SCHEMA = 1
ENV_DIR = "SNAPTUI_CACHE_DIR"  # overrides the platformdirs cache dir (tests, CI)
_ID = re.compile(r"^snap-[0-9a-zA-Z]+$")
_REGION = re.compile(r"^[a-z0-9-]+$")
_NAMESPACE = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?$")
EVIDENCE = "evidence"
_T = TypeVar("_T")


def default_cache_root() -> Path:
    """``$SNAPTUI_CACHE_DIR`` or platformdirs' user cache dir for snaptui."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("snaptui"))


@dataclass(frozen=True, slots=True)
class CachedEdge:
    """A cached answer for one edge: its diff, or None when AWS said UNRELATED_SNAPSHOTS."""

    diff: EdgeDiff | None
    pages: int  # how many pages the diff took when fetched (for benchmarks)


class DiffCache:
    """Thread-safe (each entry is one atomic file) cache of edge diffs under ``root``."""

    def __init__(
        self, root: Path | None = None, namespace: str | Callable[[], str] = "aws"
    ) -> None:
        # A callable namespace is resolved on first use (it may ask STS: never on a UI thread).
        self._root = root or default_cache_root()
        self._namespace = namespace
        self._dir: Path | None = None
        self.hits = 0
        self.misses = 0
        self.dropped = 0  # corrupt entries deleted
        self._lock = threading.Lock()
        self._evidence_lock = threading.Lock()

    @property
    def dir(self) -> Path:
        with self._lock:
            if self._dir is None:
                ns = self._namespace if isinstance(self._namespace, str) else self._namespace()
                if not _NAMESPACE.match(ns):
                    raise ValueError(f"bad cache namespace: {ns!r}")
                self._dir = self._root / "diffs" / ns
            return self._dir

    # --- paths ---------------------------------------------------------------------------------

    def _path(self, region: str, name: str) -> Path:
        if not _REGION.match(region):
            raise ValueError(f"bad region for cache key: {region!r}")
        return self.dir / region / f"{name}.json.gz"

    def edge_path(self, region: str, parent: str, child: str) -> Path:
        _check_ids(parent, child)
        return self._path(region, f"{parent}__{child}")

    def count_path(self, region: str, snapshot_id: str) -> Path:
        _check_ids(snapshot_id)
        return self._path(region, f"{snapshot_id}.count")

    # --- edges ---------------------------------------------------------------------------------

    def get_edge(self, region: str, parent: str, child: str) -> CachedEdge | None:
        path = self.edge_path(region, parent, child)
        doc = self._read(path)
        if doc is None:
            return None
        try:
            if doc["parent"] != parent or doc["child"] != child or doc["region"] != region:
                raise ValueError("key mismatch")
            pages = _int(doc["pages"])
            if doc.get("unrelated") is True:
                return self._hit(CachedEdge(None, pages))
            new, gone = _tokens(doc["new"]), _tokens(doc["gone"])
        except (KeyError, TypeError, ValueError):
            self._drop(path)
            return None
        return self._hit(CachedEdge(EdgeDiff(parent, child, new, gone), pages))

    def put_edge(self, region: str, diff: EdgeDiff, pages: int) -> None:
        doc = _base(region, diff.parent, diff.child, pages)
        doc.update(new=sorted(diff.new), gone=sorted(diff.gone))
        self._write(self.edge_path(region, diff.parent, diff.child), doc)

    def put_unrelated(self, region: str, parent: str, child: str, pages: int = 1) -> None:
        doc = _base(region, parent, child, pages)
        doc["unrelated"] = True
        self._write(self.edge_path(region, parent, child), doc)

    # --- root block counts ---------------------------------------------------------------------

    def get_count(self, region: str, snapshot_id: str) -> tuple[int, int] | None:
        """(blocks, pages) of a snapshot counted with ListSnapshotBlocks."""
        path = self.count_path(region, snapshot_id)
        doc = self._read(path)
        if doc is None:
            return None
        try:
            if doc["snapshot"] != snapshot_id or doc["region"] != region:
                raise ValueError("key mismatch")
            result = (_int(doc["blocks"]), _int(doc["pages"]))
        except (KeyError, TypeError, ValueError):
            self._drop(path)
            return None
        return self._hit(result)

    def put_count(self, region: str, snapshot_id: str, blocks: int, pages: int) -> None:
        doc = {"schema": SCHEMA, "region": region, "snapshot": snapshot_id}
        doc.update(blocks=blocks, pages=pages)
        self._write(self.count_path(region, snapshot_id), doc)

    # --- lineage evidence (cost.evidence) ------------------------------------------------------

    def get_evidence(self, region: str) -> Evidence:
        """What earlier runs saw in ``region``; empty when nothing (or nothing valid) is kept."""
        path = self._path(region, EVIDENCE)
        doc = self._read(path)
        if doc is None:
            return Evidence()
        try:
            if doc["region"] != region:
                raise ValueError("key mismatch")
            return self._hit(evidence_from_doc(doc))
        except (KeyError, TypeError, ValueError):
            self._drop(path)
            return Evidence()

    def put_evidence(self, region: str, evidence: Evidence) -> None:
        """Merge ``evidence`` into what is kept (another run may have written meanwhile)."""
        with self._evidence_lock:
            kept = self.get_evidence(region) if self._path(region, EVIDENCE).exists() else None
            if kept is not None:
                kept.links.update(evidence.links)
                kept.records.update(evidence.records)
                evidence = kept
            doc = {"schema": SCHEMA, "region": region, **evidence_to_doc(evidence)}
            self._write(self._path(region, EVIDENCE), doc)

    # --- io ------------------------------------------------------------------------------------

    def _hit(self, value: _T) -> _T:
        with self._lock:
            self.hits += 1
        return value

    def _drop(self, path: Path) -> None:
        with self._lock:
            self.dropped += 1
            self.misses += 1
        path.unlink(missing_ok=True)

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            with self._lock:
                self.misses += 1
            return None
        except OSError:
            self._drop(path)
            return None
        try:
            doc = json.loads(gzip.decompress(raw).decode("utf-8"))
        except (OSError, EOFError, ValueError, UnicodeDecodeError):
            doc = None  # truncated, bit-flipped or not ours: refetch
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
            self._drop(path)
            return None
        return doc

    def _write(self, path: Path, doc: dict[str, Any]) -> None:
        """Atomic: a temp file in the same directory, then os.replace over the entry."""
        path.parent.mkdir(parents=True, exist_ok=True)
        data = gzip.compress(json.dumps(doc, separators=(",", ":")).encode(), mtime=0)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".gz")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            Path(tmp).replace(path)  # atomic rename (os.replace)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _check_ids(*ids: str) -> None:
    for sid in ids:
        if not _ID.match(sid):
            raise ValueError(f"bad snapshot id for cache key: {sid!r}")


def _base(region: str, parent: str, child: str, pages: int) -> dict[str, Any]:
    return {"schema": SCHEMA, "region": region, "parent": parent, "child": child, "pages": pages}


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a count")
    return value


def _tokens(value: object) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) and t for t in value):
        raise ValueError("not a token list")
    return frozenset(value)
