from __future__ import annotations

from datetime import UTC, datetime, timedelta

from snaptui.core import fmt

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_sizes_are_binary_and_unknown_is_marked() -> None:
    assert fmt.size(1536 * 1024**2) == "1.5 GiB"
    assert fmt.size(None) == "?"
    assert fmt.gib(8) == "8 GiB"


def test_age_is_compact() -> None:
    assert fmt.age(NOW - timedelta(seconds=30), NOW) == "30s"
    assert fmt.age(NOW - timedelta(hours=5), NOW) == "5h"
    assert fmt.age(NOW - timedelta(days=3), NOW) == "3d"
    assert fmt.age(NOW - timedelta(days=95), NOW) == "3mo"
    assert fmt.age(NOW - timedelta(days=800), NOW) == "2y"


def test_ago_is_humanized() -> None:
    assert fmt.ago(NOW - timedelta(days=3), NOW) == "3 days ago"


def test_money() -> None:
    assert fmt.money(1234.5) == "$1,234.50"
    assert fmt.money(0.004) == "<$0.01"
    assert fmt.money(-0.05) == "-$0.05"  # never "$-0.05"
    assert fmt.money(0) == "$0.00"
    assert fmt.money(None) == "?"


def test_local_time_names_the_zone() -> None:
    out = fmt.local_time(NOW)
    assert out.startswith("2026-11-2")
    assert len(out.split()) == 3
