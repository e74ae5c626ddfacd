"""Dollars from bytes: storage cost, archive savings and the 90-day archive minimum.

Archiving converts a snapshot to a full copy in the archive tier (billed on its FULL size), while
the standard tier keeps every block another snapshot still uses. So the standard-tier saving is
what deleting the snapshot would free, not its incremental size, and archiving a snapshot whose
blocks are mostly shared costs more than it saves.
"""

from __future__ import annotations

from snaptui.core.units import GIB
from snaptui.cost.pricing import Prices

DAYS_PER_MONTH = 30.0  # AWS prorates GB-months; its examples count 30-day months
ARCHIVE_MINIMUM_DAYS = 90.0


def monthly_cost(bytes_: int, price_per_gib_month: float) -> float:
    """USD per month for ``bytes_`` stored at ``price_per_gib_month``."""
    return bytes_ / GIB * price_per_gib_month


def restore_cost(full_bytes: int, retrieval: float) -> float:
    """One-off USD to restore an archived snapshot (retrieval is billed on the full size).

    A temporary restore also bills the standard tier for its duration, on top of the archive.
    """
    return full_bytes / GIB * retrieval


def archive_monthly_saving(freed_bytes: int, full_bytes: int, prices: Prices) -> float:
    """USD per month saved by archiving: freed standard storage minus the full archived copy."""
    return monthly_cost(freed_bytes, prices.standard) - monthly_cost(full_bytes, prices.archive)


def archive_saving(
    freed_bytes: int,
    full_bytes: int,
    prices: Prices,
    days: float = ARCHIVE_MINIMUM_DAYS,
    *,
    restore: bool = False,
) -> float:
    """USD saved by archiving for ``days`` (then deleting), rather than keeping it in standard.

    The archive charge counts at least 90 days (early deletion is billed pro rata for the rest);
    ``restore`` adds one retrieval of the full size.
    """
    kept = monthly_cost(freed_bytes, prices.standard) * days / DAYS_PER_MONTH
    archived = (
        monthly_cost(full_bytes, prices.archive) * max(days, ARCHIVE_MINIMUM_DAYS) / DAYS_PER_MONTH
    )
    if restore:
        archived += restore_cost(full_bytes, prices.retrieval)
    return kept - archived


def is_archive_candidate(freed_bytes: int, full_bytes: int, prices: Prices) -> bool:
    """Worth archiving: the saving over the 90-day minimum period beats 0."""
    return archive_saving(freed_bytes, full_bytes, prices) > 0


def archive_break_even_days(
    freed_bytes: int, full_bytes: int, prices: Prices, *, restore: bool = False
) -> float | None:
    """Days archived after which archiving has paid for itself; None if it never does.

    Before 90 days the archive side is a fixed 90-day charge (plus a retrieval if ``restore``);
    after that both sides grow linearly, so the answer is the first crossing of the two.
    """
    s = monthly_cost(freed_bytes, prices.standard) / DAYS_PER_MONTH  # saved per day
    a = monthly_cost(full_bytes, prices.archive) / DAYS_PER_MONTH  # archive cost per day
    r = restore_cost(full_bytes, prices.retrieval) if restore else 0.0
    if s <= 0:
        return None
    fixed = a * ARCHIVE_MINIMUM_DAYS + r
    if fixed / s <= ARCHIVE_MINIMUM_DAYS:
        return fixed / s
    if s <= a:
        return None
    return r / (s - a)
