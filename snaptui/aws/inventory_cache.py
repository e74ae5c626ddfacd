"""The last inventory of each account-region on disk, so a start paints at once.

One gzipped JSON file per region under ``<cache root>/inventory/<namespace>/``, where the
namespace names who was asked (profile and endpoint: moto's ids repeat with other contents).
Each file carries a format version and the time its data was fetched; rows are stored as
arrays in field order (about a third of the size of objects with keys). Writes go to a temp
file in the same directory and are renamed into place, so a reader sees the old file or the
new one, never half of one. A file that cannot be read, has another version or another
region inside is ignored (and removed): the cache is a hint, never trusted over AWS. The
whole directory is kept under a size bound, oldest files first.

Cached rows are only for showing: the inventory marks them ``cached`` until a fetch
replaces them, and the UI re-describes a cached row before acting on it.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import sys
import tempfile
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from snaptui.aws.diff_cache import default_cache_root
from snaptui.models import Attachment, Image, Instance, RegionInventory, Snapshot, Volume

FORMAT = 3  # bump when the layout of a row changes: older files are then ignored
MAX_BYTES = 256 * 2**20  # the whole inventory cache; the oldest files go first
_REGION = re.compile(r"^[a-z0-9-]{1,40}$")
_TIMES = frozenset({"start_time", "restore_expiry_time", "launch_time", "create_time"})
_TUPLES = frozenset({"security_group_ids", "snapshot_ids"})
# Values that repeat across rows: one string object each instead of one per row.
_INTERNED = frozenset(
    {"region", "state", "owner_id", "storage_tier", "progress", "volume_id", "az"}
    | {"volume_type", "instance_type", "kms_key_id", "architecture", "platform", "transfer_type"}
)
_KINDS: dict[str, type[Any]] = {
    "snapshots": Snapshot,
    "volumes": Volume,
    "instances": Instance,
    "images": Image,
}


def namespace_of(profile: str, endpoint_url: str | None) -> str:
    """A directory name per profile and endpoint (hashed: profile names may be anything)."""
    raw = f"{profile}\x00{endpoint_url or 'aws'}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


class _Codec:
    """Row <-> list in dataclass field order, with datetimes as POSIX seconds."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        self.names = [f.name for f in fields(cls)]
        self.times = [i for i, n in enumerate(self.names) if n in _TIMES]
        self.tuples = [i for i, n in enumerate(self.names) if n in _TUPLES]
        self.interned = [i for i, n in enumerate(self.names) if n in _INTERNED]
        self.tags = self.names.index("tags") if "tags" in self.names else -1
        self.attachments = self.names.index("attachments") if "attachments" in self.names else -1

    def encode(self, row: Any) -> list[Any]:
        values = [getattr(row, n) for n in self.names]
        for i in self.times:
            if values[i] is not None:
                values[i] = values[i].timestamp()
        if self.attachments >= 0:
            values[self.attachments] = [
                [a.instance_id, a.device, a.state, a.delete_on_termination]
                for a in values[self.attachments]
            ]
        return values

    def decode(self, values: list[Any]) -> Any:
        intern = sys.intern
        for i in self.times:
            if values[i] is not None:
                values[i] = datetime.fromtimestamp(values[i], UTC)
        for i in self.tuples:
            values[i] = tuple(values[i])
        for i in self.interned:
            if isinstance(values[i], str):
                values[i] = intern(values[i])
        if self.tags >= 0:
            values[self.tags] = {intern(k): v for k, v in values[self.tags].items()}
        if self.attachments >= 0:
            values[self.attachments] = tuple(Attachment(*a) for a in values[self.attachments])
        return self.cls(*values)


_CODECS = {kind: _Codec(cls) for kind, cls in _KINDS.items()}


class InventoryCache:
    """Load and save one namespace's region inventories (thread-safe: one file per region)."""

    def __init__(self, root: Path | None, namespace: str, *, max_bytes: int = MAX_BYTES) -> None:
        self.base = (root or default_cache_root()) / "inventory"
        self.dir = self.base / namespace
        self.max_bytes = max_bytes

    def path(self, region: str) -> Path:
        if not _REGION.match(region):
            raise ValueError(f"bad region for a cache file: {region!r}")
        return self.dir / f"{region}.json.gz"

    def load(self, region: str) -> RegionInventory | None:
        """The cached inventory (``cached=True``, ``fetched_at`` = when AWS answered), or None."""
        path = self.path(region)
        try:
            with gzip.open(path, "rb") as f:
                doc = json.loads(f.read())
            return _inventory_from(doc, region)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError):
            with contextlib.suppress(OSError):
                path.unlink()  # corrupt, truncated or from another version: start over
            return None

    def save(self, inv: RegionInventory) -> None:
        """Write atomically; a region that failed to answer keeps its previous file."""
        if inv.cached or inv.fetched_at is None or inv.problems:
            return
        doc = {
            "format": FORMAT,
            "region": inv.region,
            "fetched_at": inv.fetched_at.timestamp(),
            **{kind: [_CODECS[kind].encode(r) for r in getattr(inv, kind)] for kind in _KINDS},
        }
        data = gzip.compress(json.dumps(doc, separators=(",", ":")).encode(), compresslevel=1)
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.dir, prefix=f".{inv.region}.", suffix=".tmp")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.path(inv.region))  # noqa: PTH105 - the test fails it here
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        self.trim()

    def trim(self) -> None:
        """Keep the whole inventory cache under ``max_bytes``, dropping the oldest files."""
        files = []
        for path in self.base.glob("*/*.json.gz"):
            with contextlib.suppress(OSError):
                st = path.stat()
                files.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size


def _inventory_from(doc: dict[str, Any], region: str) -> RegionInventory:
    if doc.get("format") != FORMAT or doc.get("region") != region:
        raise ValueError("another format or region")
    inv = RegionInventory(region=region, cached=True)
    inv.fetched_at = datetime.fromtimestamp(float(doc["fetched_at"]), UTC)
    for kind, codec in _CODECS.items():
        getattr(inv, kind).extend(codec.decode(values) for values in doc[kind])
    return inv
