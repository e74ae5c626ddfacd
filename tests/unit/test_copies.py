"""Where a copy came from and where a snapshot's copies are, as the detail panel shows it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from snaptui.core import fmt
from snaptui.core.browse import Fleet
from snaptui.core.copies import copy_source, progress_text
from snaptui.core.details import snapshot_rows, volume_rows
from snaptui.core.ownership import COPY_TAG, copy_value
from snaptui.models import RegionInventory, Snapshot, Volume

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SRC = "snap-0123456789abcdef0"


def _snap(sid: str, region: str, volume: str = "vol-0aaaaaaaaaaaaaaaa", **kw: object) -> Snapshot:
    return Snapshot(sid, region, volume, 8, "completed", T0, **kw)  # type: ignore[arg-type]


def _fleet(*snaps: Snapshot, volume_region: str = "us-east-1") -> Fleet:
    vol = Volume("vol-0aaaaaaaaaaaaaaaa", volume_region, 8, "gp3", f"{volume_region}a", "in-use")
    invs: dict[str, RegionInventory] = {}
    for s in snaps:
        invs.setdefault(s.region, RegionInventory(region=s.region)).snapshots.append(s)
    invs.setdefault(volume_region, RegionInventory(region=volume_region)).volumes.append(vol)
    return Fleet.build(invs)


def _row(rows: list[tuple[str, str]], label: str) -> str:
    return dict(rows)[label]


def test_a_copy_names_its_source_from_the_default_description() -> None:
    src = _snap(SRC, "us-east-1")
    copy = _snap("snap-0bbbbbbbbbbbbbbbb", "eu-west-1", "vol-ffffffff",
                 description=f"[Copied {SRC} from us-east-1] db-1 DR copy")  # fmt: skip
    fleet = _fleet(src, copy)
    assert _row(snapshot_rows(copy, fleet), "Copy of") == (
        f"{SRC} in us-east-1, from its description"
    )
    # ... and the source names the region that holds its copy.
    assert _row(snapshot_rows(src, fleet), "DR copies") == "snap-0bbbbbbbbbbbbbbbb in eu-west-1"
    vol = fleet.volumes_by_id["vol-0aaaaaaaaaaaaaaaa"]
    assert _row(volume_rows(vol, fleet), "DR copy") == "yes: eu-west-1"


def test_snaptuis_marker_wins_over_a_rewritten_description() -> None:
    marker = copy_value(SRC, "us-west-2", "vol-0aaaaaaaaaaaaaaaa", "nightly")
    copy = _snap("snap-0cccccccccccccccc", "eu-west-1", description="weekly offsite",
                 tags={COPY_TAG: marker})  # fmt: skip
    src = copy_source(copy)
    assert src is not None and (src.snapshot_id, src.region) == (SRC, "us-west-2")
    rows = snapshot_rows(copy, _fleet(copy))
    assert (
        _row(rows, "Copy of")
        == f"{SRC} in us-west-2 (not in the inventory), from its snaptui marker"
    )


def test_a_copy_with_no_evidence_is_unknown_never_guessed() -> None:
    copy = _snap("snap-0dddddddddddddddd", "eu-west-1", "vol-ffffffff", description="offsite")
    assert copy_source(copy) is None
    assert _row(snapshot_rows(copy, _fleet(copy)), "Copy of").startswith("unknown")


def test_malformed_evidence_is_not_a_source() -> None:
    bad = _snap("snap-0eeeeeeeeeeeeeeee", "eu-west-1", description="[Copied snap-x from mars]",
                tags={COPY_TAG: "snaptui/1 snap=nope region=us-east-1"})  # fmt: skip
    assert copy_source(bad) is None


def test_a_volume_with_snapshots_in_its_region_only_has_no_dr_copy() -> None:
    fleet = _fleet(_snap(SRC, "us-east-1"))
    vol = fleet.volumes_by_id["vol-0aaaaaaaaaaaaaaaa"]
    assert _row(volume_rows(vol, fleet), "DR copy") == "no: snapshots in us-east-1 only"
    assert _row(snapshot_rows(fleet.snapshots_by_id[SRC], fleet), "DR copies") == "none"


def test_a_time_based_copy_says_when_aws_promised_it() -> None:
    copy = Snapshot("snap-0ffffffffffffffff", "eu-west-1", "vol-ffffffff", 8, "pending", T0,
                    progress="25%", transfer_type="time-based", completion_minutes=120)  # fmt: skip
    fleet = _fleet(copy)
    state = _row(snapshot_rows(copy, fleet, now=T0 + timedelta(minutes=60)), "State")
    assert state.startswith("pending 25%, time-based copy due ")
    assert fmt.local_time(T0 + timedelta(minutes=120)) in state and state.endswith("(in an hour)")
    late = _row(snapshot_rows(copy, fleet, now=T0 + timedelta(minutes=121)), "State")
    assert late.endswith("(overdue)")


def test_a_standard_copy_in_progress_is_estimated_from_its_progress_and_said_so() -> None:
    copy = Snapshot("snap-0ffffffffffffffff", "eu-west-1", "vol-ffffffff", 8, "pending", T0,
                    progress="25%")  # fmt: skip
    # 25% in 10 minutes: 30 more at the same pace.
    assert progress_text(copy, T0 + timedelta(minutes=10)) == (
        "pending 25%, about 30 minutes left (from progress so far)"
    )
    # No pace yet at 0%, and a completed one says only its state.
    assert progress_text(replace(copy, progress="0%"), T0 + timedelta(minutes=10)) == "pending 0%"
    assert progress_text(replace(copy, state="completed", progress="100%"), T0) == "completed"
