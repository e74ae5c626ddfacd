from __future__ import annotations

import json

import pytest

from snaptui.cost.money import (
    GIB,
    archive_break_even_days,
    archive_monthly_saving,
    archive_saving,
    is_archive_candidate,
    monthly_cost,
    restore_cost,
)
from snaptui.cost.pricing import (
    Prices,
    bundled_prices,
    bundled_source,
    parse_pricing_products,
    price_for,
)

REGIONS = {
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1",
    "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-south-1", "sa-east-1",
    "ca-central-1",
}  # fmt: skip
US_EAST_1 = Prices(0.05, 0.0125, 0.03)


def product(usage: str, region: str, usd: str) -> str:
    return json.dumps(
        {
            "product": {"attributes": {"usagetype": usage, "regionCode": region}},
            "terms": {
                "OnDemand": {
                    "SKU.T": {
                        "priceDimensions": {
                            "SKU.T.R": {"unit": "GB-Mo", "pricePerUnit": {"USD": usd}}
                        }
                    }
                }
            },
        }
    )


def test_bundled_table() -> None:
    table = bundled_prices()
    assert set(table) == REGIONS
    assert table["us-east-1"] == US_EAST_1
    assert table["eu-central-1"].standard == 0.054
    assert table["ap-southeast-2"].standard == 0.055
    for p in table.values():
        assert 0 < p.archive < p.standard
        assert p.retrieval > 0
    source, as_of = bundled_source()
    assert "AWS" in source
    assert as_of == "2026-11"


def test_price_for_falls_back_and_says_so() -> None:
    table = bundled_prices()
    assert price_for("eu-central-1", table) == (table["eu-central-1"], False)
    assert price_for("me-south-1", table) == (US_EAST_1, True)
    assert price_for("me-south-1", {}) == (US_EAST_1, True)


def test_parse_pricing_products() -> None:
    items = [
        product("EBS:SnapshotUsage", "us-east-1", "0.0500000000"),
        product("EBS:SnapshotArchiveStorage", "us-east-1", "0.0125000000"),
        product("EBS:SnapshotArchiveRetrieval", "us-east-1", "0.0300000000"),
        product("EUC1-EBS:SnapshotUsage", "eu-central-1", "0.0540000000"),
        product("EUC1-EBS:SnapshotArchiveEarlyDelete", "eu-central-1", "9"),
        product("EUC1-EBS:VolumeUsage.gp3", "eu-central-1", "0.0952"),
        "not json",
        json.dumps({"product": {}}),
    ]
    assert parse_pricing_products(items) == {"us-east-1": US_EAST_1}
    merged = parse_pricing_products(items, fallback=bundled_prices())
    assert merged["eu-central-1"] == Prices(0.054, 0.0135, 0.0324)


def test_money() -> None:
    assert monthly_cost(100 * GIB, 0.05) == pytest.approx(5.0)
    assert restore_cost(100 * GIB, 0.03) == pytest.approx(3.0)
    # Shares nothing: archive 100 GiB full at 0.0125 instead of 100 GiB standard at 0.05.
    assert archive_monthly_saving(100 * GIB, 100 * GIB, US_EAST_1) == pytest.approx(3.75)
    assert is_archive_candidate(100 * GIB, 100 * GIB, US_EAST_1)
    # Mostly shared: frees 10 GiB but archives 100 GiB.
    assert archive_monthly_saving(10 * GIB, 100 * GIB, US_EAST_1) == pytest.approx(-0.75)
    assert not is_archive_candidate(10 * GIB, 100 * GIB, US_EAST_1)
    assert archive_break_even_days(10 * GIB, 100 * GIB, US_EAST_1) is None
    assert archive_break_even_days(0, 100 * GIB, US_EAST_1) is None


def test_ninety_day_minimum() -> None:
    # Deleting after 30 days still pays 90 days of archive.
    saving_30 = archive_saving(100 * GIB, 100 * GIB, US_EAST_1, days=30)
    assert saving_30 == pytest.approx(5.0 - 3 * 1.25)
    # Break-even: 5/30 $/day saved vs a fixed 3.75 -> 22.5 days.
    assert archive_break_even_days(100 * GIB, 100 * GIB, US_EAST_1) == pytest.approx(22.5)
    # With a restore (+3.00) the fixed part is 6.75 -> 40.5 days.
    days = archive_break_even_days(100 * GIB, 100 * GIB, US_EAST_1, restore=True)
    assert days == pytest.approx(40.5)
    assert archive_saving(100 * GIB, 100 * GIB, US_EAST_1, days=40.5, restore=True) == (
        pytest.approx(0.0)
    )
    # Barely worth it: the crossing lies beyond 90 days when a restore is counted.
    p = Prices(0.05, 0.045, 0.03)
    days = archive_break_even_days(100 * GIB, 100 * GIB, p, restore=True)
    assert days is not None
    assert days == pytest.approx(180.0)
    assert archive_saving(100 * GIB, 100 * GIB, p, days=days, restore=True) == pytest.approx(0.0)
