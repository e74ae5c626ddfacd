"""GFS retention (snaptui.core.retention): worked examples plus properties over random input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snaptui.core.retention import KeepRules, SnapshotRef, plan_retention

START = datetime(2026, 10, 21, 3, 0, tzinfo=UTC)


def daily(n: int, start: datetime = START) -> list[SnapshotRef]:
    """One completed snapshot per day, ``snap-<yyyymmdd>``."""
    return [
        SnapshotRef(f"snap-{(start + timedelta(days=i)):%Y%m%d}", start + timedelta(days=i))
        for i in range(n)
    ]


def ids(*days: str) -> set[str]:
    return {f"snap-{d.replace('-', '')}" for d in days}


def test_month_of_daily_snapshots_keeps_exactly_the_gfs_set() -> None:
    # 2026-10-21 (Wed) .. 2026-11-20 (Fri): ISO weeks 43..47, months Oct and Nov.
    plan = plan_retention(daily(31), KeepRules(daily=7, weekly=4, monthly=3))
    expected = ids(
        *(f"2026-11-{d}" for d in range(14, 21)),  # daily: the last 7 days
        "2026-11-08",  # W45's newest (Sunday)
        "2026-11-01",  # W44's newest
        "2026-10-31",  # October's newest
    )  # W47/W46 and November's newest are already among the dailies
    assert set(plan.keep) == expected
    assert len(plan.delete) == 31 - len(expected)
    assert plan.keep["snap-20261120"] == (
        "daily 2026-11-20",
        "weekly 2026-W47",
        "monthly 2026-11",
        "newest completed",
    )
    assert plan.keep["snap-20261115"] == ("daily 2026-11-15", "weekly 2026-W46")
    assert plan.keep["snap-20261031"] == ("monthly 2026-10",)


def test_keep_last_adds_to_the_bucket_rules() -> None:
    plan = plan_retention(daily(10), KeepRules(last=3, monthly=1))
    assert set(plan.keep) == ids("2026-10-30", "2026-10-29", "2026-10-28")
    assert plan.keep["snap-20261028"] == ("last 3/3",)


def test_buckets_count_days_that_have_snapshots_not_calendar_days() -> None:
    snaps = [SnapshotRef("snap-a", START), SnapshotRef("snap-b", START + timedelta(days=30))]
    assert set(plan_retention(snaps, KeepRules(daily=2)).keep) == {"snap-a", "snap-b"}


def test_newest_of_a_day_wins_and_days_are_utc() -> None:
    late = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
    # 01:45 on Nov 2 at UTC+2 is 23:45 on Nov 1 in UTC: same bucket as ``late``, and newer.
    plus2 = datetime(2026, 11, 2, 1, 45, tzinfo=timezone(timedelta(hours=2)))
    snaps = [SnapshotRef("snap-late", late), SnapshotRef("snap-plus2", plus2)]
    plan = plan_retention(snaps, KeepRules(daily=1))
    assert plan.keep == {"snap-plus2": ("daily 2026-11-01", "newest completed")}
    assert plan.delete == ("snap-late",)


def test_naive_times_are_utc_and_ties_break_by_id() -> None:
    t = datetime(2026, 11, 1, 12, 0)
    snaps = [SnapshotRef("snap-b", t), SnapshotRef("snap-a", t)]
    plan = plan_retention(snaps, KeepRules(last=1))
    assert list(plan.keep) == ["snap-a"]  # equal times: ordered by id, so "a" counts as newest
    assert plan.delete == ("snap-b",)


def test_unfinished_snapshots_are_kept_and_do_not_use_up_rules() -> None:
    snaps = [
        *daily(3),
        SnapshotRef("snap-pending", START + timedelta(days=5), "pending"),
        SnapshotRef("snap-error", START + timedelta(days=6), "error"),
    ]
    plan = plan_retention(snaps, KeepRules(last=1))
    assert plan.keep == {
        "snap-error": ("state error",),
        "snap-pending": ("state pending",),
        "snap-20261023": ("last 1/1", "newest completed"),
    }


def test_newest_completed_is_kept_even_when_rules_keep_nothing_of_it() -> None:
    plan = plan_retention(daily(5), KeepRules(monthly=0, last=0, daily=0, weekly=1))
    assert set(plan.keep) == ids("2026-10-25")  # same snapshot by weekly and newest


def test_protected_snapshots_are_kept_without_taking_a_rule_slot() -> None:
    snaps = daily(5)
    plan = plan_retention(snaps, KeepRules(last=1), {"snap-20261021": "used by ami-1"})
    assert plan.keep == {
        "snap-20261025": ("last 1/1", "newest completed"),
        "snap-20261021": ("used by ami-1",),
    }
    assert plan.delete == ("snap-20261024", "snap-20261023", "snap-20261022")


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        KeepRules(daily=-1)
    assert not KeepRules().any


# --- properties -----------------------------------------------------------------------------

_states = st.sampled_from(["completed", "completed", "completed", "pending", "error"])
_snapshots = st.lists(
    st.tuples(
        st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 1, 1)),
        _states,
    ),
    max_size=60,
).map(
    lambda rows: [
        SnapshotRef(f"snap-{i:04d}", t.replace(tzinfo=UTC), state)
        for i, (t, state) in enumerate(rows)
    ]
)
_rules = st.builds(
    KeepRules,
    last=st.integers(0, 5),
    daily=st.integers(0, 10),
    weekly=st.integers(0, 6),
    monthly=st.integers(0, 13),
)


@settings(max_examples=300, deadline=None)
@given(_snapshots, _rules)
def test_plan_partitions_the_input_and_keeps_the_newest_completed(
    snaps: list[SnapshotRef], rules: KeepRules
) -> None:
    plan = plan_retention(snaps, rules)
    all_ids = {s.id for s in snaps}
    assert set(plan.keep) | set(plan.delete) == all_ids
    assert not set(plan.keep) & set(plan.delete)
    assert len(plan.delete) == len(set(plan.delete))
    completed = [s for s in snaps if s.state == "completed"]
    if completed:
        newest = max(completed, key=lambda s: (s.start_time, [-ord(c) for c in s.id]))
        assert newest.id in plan.keep
    for s in snaps:
        if s.state != "completed":
            assert s.id in plan.keep
    assert all(plan.keep[k] for k in plan.keep)  # every kept snapshot says why


@settings(max_examples=300, deadline=None)
@given(_snapshots, _rules)
def test_pruning_twice_deletes_nothing_more(snaps: list[SnapshotRef], rules: KeepRules) -> None:
    first = plan_retention(snaps, rules)
    kept = [s for s in snaps if s.id in first.keep]
    second = plan_retention(kept, rules)
    assert second.delete == ()
    assert set(second.keep) == set(first.keep)


@settings(max_examples=200, deadline=None)
@given(_snapshots, _rules, _rules)
def test_more_generous_rules_keep_a_superset(
    snaps: list[SnapshotRef], a: KeepRules, b: KeepRules
) -> None:
    wider = KeepRules(
        last=max(a.last, b.last),
        daily=max(a.daily, b.daily),
        weekly=max(a.weekly, b.weekly),
        monthly=max(a.monthly, b.monthly),
    )
    assert set(plan_retention(snaps, a).keep) <= set(plan_retention(snaps, wider).keep)


@settings(max_examples=200, deadline=None)
@given(_snapshots, _rules, st.randoms())
def test_plan_does_not_depend_on_input_order(
    snaps: list[SnapshotRef], rules: KeepRules, rnd: object
) -> None:
    shuffled = list(snaps)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert plan_retention(shuffled, rules) == plan_retention(snaps, rules)


@settings(max_examples=200, deadline=None)
@given(_snapshots, _rules)
def test_daily_rule_keeps_one_per_day_for_the_latest_days(
    snaps: list[SnapshotRef], rules: KeepRules
) -> None:
    only_daily = KeepRules(daily=rules.daily)
    plan = plan_retention(snaps, only_daily)
    days: list[date] = sorted(
        {s.start_time.date() for s in snaps if s.state == "completed"}, reverse=True
    )
    kept_days = [r for reasons in plan.keep.values() for r in reasons if r.startswith("daily")]
    assert len(kept_days) == min(rules.daily, len(days))
    assert {r.split()[1] for r in kept_days} == {d.isoformat() for d in days[: rules.daily]}
