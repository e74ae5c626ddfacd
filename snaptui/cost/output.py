"""The cost review as JSON and CSV: stable field names, documented on ``SnapshotCost``.

``to_json_dict`` adds ``schema`` = ``JSON_SCHEMA`` so consumers can check; fields are only
ever added. Totals are distinct stored blocks (cost.totals), not sums of incrementals.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from snaptui.core.risks import KINDS, SHARED_OUTSIDE, RiskReport
from snaptui.cost.figures import SnapshotCost
from snaptui.cost.report import AccountCosts, RegionCosts
from snaptui.cost.totals import Totals, totals_of

JSON_SCHEMA = "snaptui.cost/1"

SNAPSHOT_FIELDS = (
    "snapshot_id", "region", "lineage_id", "volume_id", "storage_tier", "state", "start_time",
    "full_bytes", "incremental_bytes", "incremental_low_bytes", "incremental_high_bytes",
    "freed_bytes", "freed_low_bytes", "freed_high_bytes", "monthly_cost", "monthly_low",
    "monthly_high", "freed_monthly", "freed_monthly_low", "freed_monthly_high",
    "price_per_gib_month", "exact", "reason", "orphan", "copy", "in_ami",
)  # fmt: skip
TOTAL_FIELDS = (
    "snapshots", "unknown", "bytes", "bytes_low", "bytes_high", "monthly_cost", "monthly_low",
    "monthly_high", "exact",
)  # fmt: skip


def _usd(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def snapshot_dict(c: SnapshotCost) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(c, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, float):
            value = _usd(value)
        out[name] = value
    return out


def totals_dict(t: Totals) -> dict[str, Any]:
    return {
        n: _usd(v) if isinstance(v, float) else v for n in TOTAL_FIELDS for v in [getattr(t, n)]
    }


def _region_dict(r: RegionCosts, t: Totals) -> dict[str, Any]:
    return {
        "region": r.region,
        "price_per_gib_month": r.prices.standard,
        "archive_price_per_gib_month": r.prices.archive,
        "price_stand_in": r.price_stand_in,
        "edges_total": r.edges_total,
        "edges_done": r.edges_done,
        "api_calls": r.api_calls,
        "probes": r.probes,
        "probed_lineages": r.probed_lineages,
        "cache_hits": r.cache_hits,
        "complete": r.complete,
        "problems": [str(p) for p in r.problems],
        "totals": totals_dict(t),
    }


def to_json_dict(costs: AccountCosts, *, top: int | None = None) -> dict[str, Any]:
    """The whole review as JSON-ready data; ``top`` limits the ranked lists (not ``snapshots``)."""
    lineages = costs.by_lineage()
    return {
        "schema": JSON_SCHEMA,
        "profile": costs.profile,
        "generated_at": costs.generated_at.isoformat() if costs.generated_at else None,
        "price_source": costs.prices.source,
        "live_prices": costs.prices.live,
        "notes": list(costs.notes),
        "totals": totals_dict(costs.totals()),
        "regions": [_region_dict(costs.regions[name], t) for name, t in costs.region_totals()],
        "lineages": [
            {
                "lineage_id": lc.lineage_id,
                "region": lc.region,
                "volume_id": lc.volume_id,
                "snapshot_count": len(lc.snapshot_ids),
                "snapshot_ids": list(lc.snapshot_ids),
                "open": lc.open,
                "totals": totals_dict(lc.totals),
            }
            for lc in lineages[:top]
        ],
        "top_snapshots": [c.snapshot_id for c in costs.top_snapshots(top)],
        "orphans": {
            "snapshot_ids": [c.snapshot_id for c in costs.orphans()],
            "totals": totals_dict(totals_of(costs.orphans())),
        },
        "archive_candidates": [
            {
                "snapshot_id": a.snapshot_id,
                "region": a.region,
                "freed_bytes": a.freed_bytes,
                "full_bytes": a.full_bytes,
                "monthly_saving": _usd(a.monthly_saving),
                "saving_90_days": _usd(a.saving_90_days),
                "restore_cost": _usd(a.restore_cost),
                "break_even_days": _usd(a.break_even_days),
                "exact": a.exact,
            }
            for a in costs.archive_candidates()[:top]
        ],
        "risks": _risks_dict(costs.risks),
        "snapshots": [
            {**snapshot_dict(c), "risks": _flags(costs.risks, c.snapshot_id)}
            for c in costs.top_snapshots()
        ],
    }


def _flags(risks: RiskReport | None, snapshot_id: str) -> list[str] | None:
    """A snapshot's risk flags; None (null) when the review had no inventory to judge by."""
    return None if risks is None else list(risks.flags.get(snapshot_id, ()))


def _risks_dict(risks: RiskReport | None) -> dict[str, Any] | None:
    if risks is None:
        return None
    out: dict[str, Any] = {kind: risks.ids(kind) for kind in KINDS}
    # Where the public check failed, "public" is unknown there, not empty.
    out["public_unknown_regions"] = list(risks.public_unknown_regions)
    # Sharing is asked per snapshot (cost --check-sharing): null when nobody asked.
    if not risks.sharing_checked:
        out[SHARED_OUTSIDE] = None
    out["sharing_checked"] = risks.sharing_checked
    return out


def csv_rows(costs: AccountCosts) -> tuple[tuple[str, ...], list[list[str]]]:
    """Header and one row per snapshot (most expensive first); empty cells for None."""
    rows = []
    for c in costs.top_snapshots():
        d = snapshot_dict(c)
        rows.append(["" if d[n] is None else str(d[n]).lower() if isinstance(d[n], bool)
                     else str(d[n]) for n in SNAPSHOT_FIELDS])  # fmt: skip
    return SNAPSHOT_FIELDS, rows
