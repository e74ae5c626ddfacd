"""Snapshot prices per region: a bundled table that works offline, and a Pricing API parser.

The bundled table keeps costs visible without the ``pricing:GetProducts`` permission; figures
from the Pricing API, when the caller fetched them, replace it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

FALLBACK_REGION = "us-east-1"

_USAGE_SUFFIXES = {
    "EBS:SnapshotUsage": "standard",
    "EBS:SnapshotArchiveStorage": "archive",
    "EBS:SnapshotArchiveRetrieval": "retrieval",
}
_FIELDS = ("standard", "archive", "retrieval")


@dataclass(frozen=True, slots=True)
class Prices:
    """USD: standard and archive per GiB-month, retrieval per GiB restored."""

    standard: float
    archive: float
    retrieval: float


@cache
def _bundled() -> tuple[str, str, tuple[tuple[str, Prices], ...]]:
    text = resources.files("snaptui.cost").joinpath("prices.json").read_text(encoding="utf-8")
    raw = json.loads(text)
    table = tuple(
        (region, Prices(float(p["standard"]), float(p["archive"]), float(p["retrieval"])))
        for region, p in raw["regions"].items()
    )
    return str(raw["source"]), str(raw["as_of"]), table


def bundled_prices() -> dict[str, Prices]:
    """The table shipped with snaptui (a fresh dict; callers may merge into it)."""
    return dict(_bundled()[2])


def bundled_source() -> tuple[str, str]:
    """(source, as_of) of the bundled table, to label figures derived from it."""
    source, as_of, _ = _bundled()
    return source, as_of


def price_for(region: str, table: Mapping[str, Prices]) -> tuple[Prices, bool]:
    """Prices for ``region`` and whether they are a us-east-1 stand-in (unknown region)."""
    if region in table:
        return table[region], False
    if FALLBACK_REGION in table:
        return table[FALLBACK_REGION], True
    return bundled_prices()[FALLBACK_REGION], True


def _usd(terms: Any) -> float | None:
    """The first positive on-demand USD price; snapshot usage types have a single dimension."""
    if not isinstance(terms, dict):
        return None
    for term in (terms.get("OnDemand") or {}).values():
        for dim in (term.get("priceDimensions") or {}).values():
            try:
                price = float(dim["pricePerUnit"]["USD"])
            except (KeyError, TypeError, ValueError):
                continue
            if price > 0:
                return price
    return None


def parse_pricing_products(
    price_list: Iterable[str], fallback: Mapping[str, Prices] | None = None
) -> dict[str, Prices]:
    """Region -> Prices from Pricing API GetProducts ``PriceList`` JSON strings.

    Usage types carry a region prefix outside us-east-1 (``EUC1-EBS:SnapshotUsage``), so they are
    matched by suffix and the region is taken from ``regionCode``. A region missing one of the
    three prices takes it from ``fallback`` (e.g. the bundled table) or is left out; malformed
    entries are skipped rather than failing the whole answer.
    """
    found: dict[str, dict[str, float]] = {}
    for item in price_list:
        try:
            doc = json.loads(item)
            attrs = doc["product"]["attributes"]
            usage = str(attrs["usagetype"])
            region = str(attrs["regionCode"])
        except (ValueError, KeyError, TypeError):
            continue
        kind = next((k for s, k in _USAGE_SUFFIXES.items() if usage.endswith(s)), None)
        price = _usd(doc.get("terms"))
        if kind is None or price is None or not region:
            continue
        found.setdefault(region, {})[kind] = price

    out: dict[str, Prices] = {}
    for region, got in found.items():
        base = (fallback or {}).get(region)
        if base is not None:
            got = {f: got.get(f, getattr(base, f)) for f in _FIELDS}
        if all(f in got for f in _FIELDS):
            out[region] = Prices(got["standard"], got["archive"], got["retrieval"])
    return out
