"""What archiving or restoring a snapshot costs and saves: USD figures shown before acting. Pure.

Archiving moves a snapshot to a full copy in the archive tier (billed on its full size, 90-day
minimum) and frees only the standard-tier blocks no other snapshot uses; a temporary restore
bills both tiers for its days.
"""

from __future__ import annotations

from dataclasses import dataclass

from snaptui.cost import money
from snaptui.cost.pricing import Prices


@dataclass(frozen=True, slots=True)
class ArchiveEffect:
    """USD figures shown before archiving: per month, the 90-day minimum, and break-even."""

    standard_saved_monthly: float  # what leaves the standard tier (what deleting would free)
    archive_monthly: float  # the full-size copy in the archive tier
    net_monthly: float  # positive: archiving saves money every month
    minimum_charge: float  # archive storage for the 90-day minimum
    break_even_days: float | None  # None: archiving never pays off


def archive_effect(freed_bytes: int, full_bytes: int, prices: Prices) -> ArchiveEffect:
    return ArchiveEffect(
        standard_saved_monthly=money.monthly_cost(freed_bytes, prices.standard),
        archive_monthly=money.monthly_cost(full_bytes, prices.archive),
        net_monthly=money.archive_monthly_saving(freed_bytes, full_bytes, prices),
        minimum_charge=money.monthly_cost(full_bytes, prices.archive)
        * money.ARCHIVE_MINIMUM_DAYS
        / money.DAYS_PER_MONTH,
        break_even_days=money.archive_break_even_days(freed_bytes, full_bytes, prices),
    )


@dataclass(frozen=True, slots=True)
class RestoreEffect:
    retrieval: float  # one-off, on the full size
    standard_monthly: float  # the restored full copy in the standard tier
    temporary_total: float | None  # temporary: retrieval + standard for the days (archive stays)


def restore_effect(full_bytes: int, prices: Prices, days: int | None) -> RestoreEffect:
    retrieval = money.restore_cost(full_bytes, prices.retrieval)
    standard = money.monthly_cost(full_bytes, prices.standard)
    temporary = None
    if days is not None:
        # A temporary restore bills both tiers: the archive copy keeps its own charge.
        temporary = retrieval + standard * days / money.DAYS_PER_MONTH
    return RestoreEffect(retrieval, standard, temporary)
