"""AppState: which worker results count, and which are stale (no Textual, no AWS)."""

from __future__ import annotations

from datetime import UTC, datetime

from snaptui.cost.pricing import bundled_prices, price_for
from snaptui.cost.report import RegionCosts
from snaptui.models import Problem, ProblemKind, RegionInventory
from snaptui.ui.state import AppState

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def inv(region: str) -> RegionInventory:
    return RegionInventory(region=region)


def costs(region: str) -> RegionCosts:
    price, stand_in = price_for(region, bundled_prices())
    return RegionCosts(region, price, stand_in)


def loaded(state: AppState, *regions: str) -> dict[str, int]:
    gen = state.begin_load()
    tickets = state.regions_known(gen, list(regions), None)
    assert tickets is not None
    for r in regions:
        assert state.region_loaded(gen, tickets[r], inv(r))
    assert state.load_finished(gen, NOW)
    return tickets


def test_an_older_load_cannot_finish_or_fill_the_new_one() -> None:
    s = AppState()
    old = s.begin_load()
    old_tickets = s.regions_known(old, ["us-east-1", "eu-west-1"], None)
    assert old_tickets is not None
    new = s.begin_load()  # `r` pressed while the first load runs
    assert s.regions_known(old, ["us-east-1"], None) is None
    new_tickets = s.regions_known(new, ["us-east-1", "eu-west-1"], None)
    assert new_tickets is not None
    assert not s.region_loaded(old, old_tickets["us-east-1"], inv("us-east-1"))
    assert not s.load_finished(old, NOW)
    assert s.loading and s.loading_regions == {"us-east-1", "eu-west-1"}
    assert s.region_loaded(new, new_tickets["us-east-1"], inv("us-east-1"))
    assert s.loading_regions == {"eu-west-1"} and s.loading
    assert s.load_finished(new, NOW) and not s.loading


def test_a_partial_inventory_shows_but_keeps_the_region_loading() -> None:
    s = AppState()
    gen = s.begin_load()
    tickets = s.regions_known(gen, ["us-east-1"], None)
    assert tickets is not None
    assert s.region_loaded(gen, tickets["us-east-1"], inv("us-east-1"), final=False)
    assert "us-east-1" in s.inventories and s.loading_regions == {"us-east-1"}
    assert s.loaded_inventories() == []  # costs never start on a page
    assert s.region_loaded(gen, tickets["us-east-1"], inv("us-east-1"))
    assert s.loading_regions == set()


def test_a_region_reload_makes_its_older_inventory_and_costs_stale() -> None:
    s = AppState()
    tickets = loaded(s, "us-east-1", "eu-west-1")
    run = s.begin_costs(["us-east-1", "eu-west-1"], whole=True)
    fresh = s.begin_region_reload("eu-west-1")
    assert fresh is not None and fresh != tickets["eu-west-1"]
    # The whole run's figure for eu-west-1 was computed on the old inventory: dropped.
    assert not s.cost_region(run, tickets["eu-west-1"], costs("eu-west-1"))
    assert not s.region_loaded(s.generation, tickets["eu-west-1"], inv("eu-west-1"))
    assert s.cost_region(run, tickets["us-east-1"], costs("us-east-1"))
    assert s.cost.running  # eu-west-1 is still owed
    assert s.region_loaded(s.generation, fresh, inv("eu-west-1"))
    # The region's own run joins the live one instead of restarting it.
    assert s.begin_costs(["eu-west-1"], whole=False) == run
    assert s.cost_region(run, fresh, costs("eu-west-1"))
    assert not s.cost.running and set(s.cost.regions) == {"us-east-1", "eu-west-1"}


def test_a_new_load_or_a_cancel_makes_the_cost_run_stale() -> None:
    s = AppState()
    tickets = loaded(s, "us-east-1")
    run = s.begin_costs(["us-east-1"], whole=True)
    assert s.cost_progress(run, tickets["us-east-1"], "us-east-1", 3, 10)
    assert s.cost.edges() == (3, 10)
    s.cancel_costs()
    assert not s.cost_progress(run, tickets["us-east-1"], "us-east-1", 4, 10)
    assert not s.cost_region(run, tickets["us-east-1"], costs("us-east-1"))
    run2 = s.begin_costs(["us-east-1"], whole=True)
    s.begin_load()
    assert not s.cost.running
    assert not s.cost_region(run2, tickets["us-east-1"], costs("us-east-1"))


def test_a_failed_load_job_stops_loading_and_says_why() -> None:
    s = AppState()
    gen = s.begin_load()
    s.regions_known(gen, ["us-east-1"], None)
    problem = Problem(ProblemKind.OTHER, "boom")
    assert not s.load_failed(gen - 1, problem)
    assert s.load_failed(gen, problem)
    assert not s.loading and not s.loading_regions and problem in s.problems


def test_no_regions_ends_the_load_at_once() -> None:
    s = AppState()
    gen = s.begin_load()
    problem = Problem(ProblemKind.NO_CREDENTIALS, "no credentials")
    assert s.regions_known(gen, [], problem) == {}
    assert not s.loading and s.problems == [problem]
