"""`snaptui snapshot` and `snaptui prune` end to end via ``snaptui.cli.main`` on the demo world.

Everything runs in scratch regions (emptied after each test); a separate boto3 client checks
what actually happened. The seeded regions must come out unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from snaptui.aws import snapshot_ops
from snaptui.aws.errors import ReadOnlyError
from snaptui.aws.idempotent import TOKEN_TAG
from snaptui.aws.session import AwsContext
from snaptui.cli import main
from snaptui.core.ownership import OWNER_TAG, owner_value
from snaptui.demo import fidelity
from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DEMO_ACCOUNT, DEMO_REGIONS, DemoServer
from tests import loopback
from tests.conftest import client

MARK = "snaptui:policy"
# Not in conftest's scratch cycle and never seeded: the second region of multi-region tests.
OTHER_REGION = "ap-southeast-1"


@pytest.fixture(autouse=True)
def _demo_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "demo")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "demo")
    # Keep the audit log and prune's lock files of these runs out of the user's directories.
    monkeypatch.setenv("SNAPTUI_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def other_region(demo_server: DemoServer, seeded: SeedReport) -> Iterator[str]:
    yield OTHER_REGION
    from moto.ec2.models import ec2_backends

    ec2_backends[DEMO_ACCOUNT][OTHER_REGION].reset()


@pytest.fixture
def seeded_snapshots(demo_server: DemoServer, seeded: SeedReport) -> Iterator[None]:
    """Fails the test if any seeded region's snapshots changed."""

    def state() -> dict[str, list[tuple[str, str]]]:
        out = {}
        for region in DEMO_REGIONS:
            ec2: Any = client(demo_server, "ec2", region)
            snaps = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
            out[region] = sorted((s["SnapshotId"], str(s.get("Tags"))) for s in snaps)
        return out

    before = state()
    yield
    assert state() == before


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def doc(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.out)
        return result


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    for line in err.splitlines():
        assert line.startswith("snaptui: "), f"stderr line is not one message: {line!r}"
    return Run(code, out, err)


def where(server: DemoServer, *regions: str) -> list[str]:
    args = ["--endpoint-url", server.endpoint_url]
    for r in regions:
        args += ["--region", r]
    return args


def ec2_of(server: DemoServer, region: str) -> Any:
    return client(server, "ec2", region)


def new_volume(ec2: Any, region: str, tags: dict[str, str] | None = None) -> str:
    spec = []
    if tags:
        spec = [
            {"ResourceType": "volume", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
        ]
    return str(
        ec2.create_volume(AvailabilityZone=f"{region}a", Size=8, TagSpecifications=spec)["VolumeId"]
    )


def snapshots_of(ec2: Any, volume_id: str) -> dict[str, dict[str, str]]:
    """Snapshot id -> tags, for one volume (but the create's idempotency token, a uuid that
    tests/aws/test_idempotent.py checks)."""
    snaps = ec2.describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "volume-id", "Values": [volume_id]}]
    )["Snapshots"]
    return {
        s["SnapshotId"]: {t["Key"]: t["Value"] for t in s.get("Tags", []) if t["Key"] != TOKEN_TAG}
        for s in snaps
    }


def marked_snapshot(ec2: Any, volume_id: str, policy: str = "default") -> str:
    """A snapshot tagged exactly as `snaptui snapshot` tags one (policy and owner marker)."""
    owner = owner_value(volume_id, policy, datetime.now(UTC))
    tags = [{"Key": MARK, "Value": policy}, {"Key": OWNER_TAG, "Value": owner}]
    spec = [{"ResourceType": "snapshot", "Tags": tags}]
    return str(ec2.create_snapshot(VolumeId=volume_id, TagSpecifications=spec)["SnapshotId"])


def backdate(region: str, snapshot_id: str, when: datetime) -> None:
    """Move a snapshot back in time (the API cannot: this edits the demo world's record), and
    its owner marker with it, as if `snaptui snapshot` had made it then."""
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[DEMO_ACCOUNT][region]
    snap = backend.snapshots[snapshot_id]
    snap.start_time = when
    tags = backend.tags.get(snapshot_id, {})
    if OWNER_TAG in tags:
        tags[OWNER_TAG] = owner_value(snap.volume.id, tags[MARK], when.replace(tzinfo=UTC))


# --- snapshot ---------------------------------------------------------------------------------


def test_snapshot_volume_marks_tags_and_waits(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    run = cli(
        capsys,
        "snapshot",
        "--volume",
        vol,
        "--policy",
        "nightly",
        "--tag",
        "team=db",
        "--tag",
        "note=a=b",
        "--wait",
        "--wait-timeout",
        "30",
        "--json",
        *where(demo_server, scratch_region),
    )
    assert run.code == 0, run.err
    doc = run.doc
    assert doc["schema"] == "snaptui.snapshot/1"
    assert doc["policy"] == "nightly" and doc["waited"] is True
    assert doc["problems"] == [] and doc["exit_code"] == 0
    [row] = doc["snapshots"]
    assert row["region"] == scratch_region and row["volume_id"] == vol
    assert row["state"] == "completed" and row["instance_id"] is None
    tags = snapshots_of(ec2, vol)[row["snapshot_id"]]
    marker = tags.pop(OWNER_TAG)
    assert tags == {MARK: "nightly", "team": "db", "note": "a=b"}
    assert marker.startswith(f"snaptui/1 vol={vol} policy=nightly at=")


@pytest.mark.parametrize(
    ("state", "message"),
    [("pending", "not completed after 1 s"), ("error", "entered the error state")],
)
def test_wait_reports_a_snapshot_that_does_not_complete(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    demo_server: DemoServer,
    scratch_region: str,
    state: str,
    message: str,
) -> None:
    # moto completes every snapshot at once; here the world's record is left in ``state``.
    from moto.ec2.models.elastic_block_store import EBSBackend

    create = EBSBackend.create_snapshot

    def stuck(self: Any, *a: Any, **kw: Any) -> Any:
        snapshot = create(self, *a, **kw)
        snapshot.status = state
        return snapshot

    monkeypatch.setattr(EBSBackend, "create_snapshot", stuck)
    vol = new_volume(ec2_of(demo_server, scratch_region), scratch_region)
    run = cli(capsys, "snapshot", "--volume", vol, "--wait", "--wait-timeout", "1", "--json",
              *where(demo_server, scratch_region))  # fmt: skip
    assert run.code == 1
    assert run.doc["snapshots"][0]["state"] == state
    [problem] = run.doc["problems"]
    assert problem["operation"] == "wait" and message in problem["message"]


def test_snapshot_instance_is_one_set_of_all_its_volumes(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    inst = ec2.run_instances(
        ImageId="ami-12345678",
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8}},
            {"DeviceName": "/dev/sdb", "Ebs": {"VolumeSize": 4}},
        ],
    )["Instances"][0]["InstanceId"]
    run = cli(capsys, "snapshot", "--instance", inst, *where(demo_server, scratch_region))
    assert run.code == 0, run.err
    printed = run.out.split()
    assert len(printed) == 2 and all(p.startswith("snap-") for p in printed)
    desc = ec2.describe_instances(InstanceIds=[inst])["Reservations"][0]["Instances"][0]
    volumes = {m["Ebs"]["VolumeId"] for m in desc["BlockDeviceMappings"]}
    snaps = ec2.describe_snapshots(SnapshotIds=printed)["Snapshots"]
    assert {s["VolumeId"] for s in snaps} == volumes
    assert all({"Key": MARK, "Value": "default"} in s["Tags"] for s in snaps)
    # One TagSpecifications serves the whole set, so each marker is added after, per volume.
    for s in snaps:
        marker = {t["Key"]: t["Value"] for t in s["Tags"]}[OWNER_TAG]
        assert marker.startswith(f"snaptui/1 vol={s['VolumeId']} policy=default at=")


def test_snapshot_select_tag_picks_only_matching_volumes(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    both = new_volume(ec2, scratch_region, {"backup": "yes", "env": "prod"})
    one = new_volume(ec2, scratch_region, {"backup": "yes", "env": "dev"})
    other = new_volume(ec2, scratch_region, {"backup": "no"})
    argv = ["snapshot", "--select-tag", "backup=yes", *where(demo_server, scratch_region)]
    assert cli(capsys, *argv).code == 0
    assert cli(capsys, *argv, "--select-tag", "env=prod").code == 0
    assert len(snapshots_of(ec2, both)) == 2
    assert len(snapshots_of(ec2, one)) == 1
    assert snapshots_of(ec2, other) == {}
    # Matching nothing is reported (a cron job pointed at the wrong tag must not stay silent).
    run = cli(
        capsys, "snapshot", "--select-tag", "backup=never", *where(demo_server, scratch_region)
    )
    assert run.code == 1 and "no volume carries backup=never" in run.err


def test_snapshot_unknown_volume_is_a_partial_failure(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    missing = "vol-0123456789abcdef0"
    run = cli(
        capsys, "snapshot", "--volume", vol, "--volume", missing, "--json",
        *where(demo_server, scratch_region),
    )  # fmt: skip
    assert run.code == 1
    assert len(run.doc["snapshots"]) == 1 and len(snapshots_of(ec2, vol)) == 1
    assert [p["message"] for p in run.doc["problems"]] == [
        f"{missing}: not found in {scratch_region}"
    ]


def test_read_only_refuses_creation(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    run = cli(
        capsys, "snapshot", "--volume", vol, "--read-only", *where(demo_server, scratch_region)
    )
    assert run.code == 2
    assert "--read-only forbids" in run.err
    run = cli(capsys, "prune", "--all", "--keep", "1", "--read-only",
              *where(demo_server, scratch_region))  # fmt: skip
    assert run.code == 2 and "add --dry-run" in run.err
    # Behind the command's own check, the session's guard refuses the call itself.
    ctx = AwsContext(demo_server.target(read_only=True, audit_path=tmp_path / "a.jsonl"))
    with pytest.raises(ReadOnlyError):
        snapshot_ops.create_volume_snapshot(ctx, scratch_region, vol, "x", {MARK: "default"})
    assert snapshots_of(ec2, vol) == {}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snapshot", "--volume", "vol-xyz"], "not a volume id"),
        (["snapshot", "--volume", "snap-0123456789abcdef0"], "not a volume id"),
        (["snapshot", "--instance", "i-12"], "not a instance id"),
        (["snapshot", "--select-tag", "novalue"], "expected KEY=VALUE"),
        (["snapshot", "--select-tag", "=v"], "expected KEY=VALUE"),
        (["snapshot", "--volume", "vol-12345678", "--tag", "x"], "expected KEY=VALUE"),
        (["snapshot", "--volume", "vol-12345678", "--tag", "aws:x=1"], "reserved"),
        (["snapshot", "--volume", "vol-12345678", "--tag", f"{MARK}=x"], "use --policy"),
        (["snapshot", "--volume", "vol-12345678", "--tag", f"{OWNER_TAG}=x"], "snaptui sets it"),
        (["snapshot", "--volume", "vol-12345678", "--tag", "AWS:x=1"], "reserved"),
        (["snapshot", "--volume", "vol-12345678", "--policy", "default\n"], "control char"),
        (["snapshot", "--volume", "vol-12345678", "--region", "us-east-1\n"], "control char"),
        (["snapshot", "--volume", "vol-12345678", "--wait", "--wait-timeout", "inf"], "at most"),
        (["snapshot", "--volume", "vol-12345678", "--wait", "--wait-timeout", "nan"], "at most"),
        (["snapshot", "--volume", "vol-12345678", "--endpoint-url", "http://"], "with a host"),
        (["snapshot", "--volume", "vol-12345678", "--endpoint-url", "http://127.0.0.1 :1"],
         "spaces"),
        (["snapshot", "--volume", "vol-12345678", "--endpoint-url", "http://127.0.0.1:99999"],
         "valid port"),
        (["snapshot", "--volume", "vol-12345678", "--endpoint-url",
          "http://user:hunter2@127.0.0.1:1"], "credentials"),
        (["snapshot", "--volume", "vol-12345678", "--policy", "a b"], "not a policy name"),
        (["snapshot", "--volume", "vol-12345678", "--wait-timeout", "5"], "only used with"),
        (["snapshot", "--volume", "vol-12345678", "--wait", "--wait-timeout", "0"], "more than 0"),
        (["snapshot", "--volume", "vol-12345678", "--instance", "i-12345678"], "not allowed"),
        (["snapshot"], "required"),
        (["snapshot", "--volume", "vol-12345678", "--region", "mars-1"], "not a region"),
        (["snapshot", "--volume", "vol-12345678", "--endpoint-url", "ftp://x"], "http"),
        (["snapshot", "--volume", "vol-12345678", "--notify-sns", "topic"], "not an SNS"),
        (["snapshot", "--volume", "vol-12345678", "--notify-email", "a@b.io"], "--notify-from"),
        (["snapshot", "--volume", "vol-12345678", "--notify-from", "a@b.io"], "only used"),
        (["snapshot", "--volume", "vol-12345678", "--notify-email", "x",
          "--notify-from", "a@b.io"], "not an e-mail"),
        (["prune", "--all"], "at least one keep rule"),
        (["prune", "--all", "--keep", "0", "--keep-daily", "0"], "at least one keep rule"),
        (["prune", "--all", "--keep", "-1"], "must be 0-100000"),
        (["prune", "--all", "--keep", "1", "--copies-of", "mars"], "not a region"),
        (["prune", "--instance", "i-12345678", "--keep", "1", "--copies-of", "us-east-1"],
         "--copies-of takes"),
        (["prune", "--all", "--keep-weekly", "two"], "whole number"),
        (["prune", "--volume", "vol-1", "--keep", "1"], "not a volume id"),
        (["prune", "--all", "--keep", "1", "--notify-on", "never"], "invalid choice"),
        (["prune", "--all", "--keep", "1", "--dry-run", "--read-only",
          "--notify-sns", "arn:aws:sns:us-west-2:123456789012:t"], "--read-only forbids"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_before_any_call(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with loopback.recorder() as server:
        # The endpoint goes first so a case's own --endpoint-url wins.
        run = cli(capsys, argv[0], "--endpoint-url", loopback.url_of(server), *argv[1:])
    assert server.requests_seen == [], "a request was sent before validation finished"
    assert run.code == 2
    assert message in run.err
    assert len(run.err.splitlines()) == 1 and run.out == ""
    assert "hunter2" not in run.err


# --- prune ------------------------------------------------------------------------------------


def freed_by(deleted: set[str], everything: list[str]) -> int:
    """Bytes of block versions held only by deleted snapshots (the demo world's own record)."""
    from snaptui.demo import fidelity
    from snaptui.demo.blocks import BLOCK_BYTES

    holders: dict[str, set[str]] = {}
    for sid in everything:
        for token in fidelity.world().blocks(sid).values():
            holders.setdefault(token, set()).add(sid)
    return sum(BLOCK_BYTES for owners in holders.values() if owners <= deleted)


MONTH_START = datetime(2026, 10, 21, 3, 0)  # naive UTC, as moto keeps it; 31 days to Nov 20
EXPECTED_KEPT_DAYS = {f"2026-11-{d}" for d in range(14, 21)} | {
    "2026-11-08",  # ISO week 45's newest
    "2026-11-01",  # week 44's newest
    "2026-10-31",  # October's newest
}


def test_prune_month_of_daily_snapshots(
    capsys: pytest.CaptureFixture[str],
    demo_server: DemoServer,
    scratch_region: str,
    seeded_snapshots: None,
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    day_of: dict[str, str] = {}
    for i in range(31):
        # Made like `snaptui snapshot` makes them (tested above); a CLI run costs ~1 s of
        # boto3 client setup, 31 of them would dominate the suite.
        fidelity.world().churn(vol, 0.05, 4)  # a day's writes, so deletions free something
        sid = marked_snapshot(ec2, vol)
        when = MONTH_START + timedelta(days=i)
        backdate(scratch_region, sid, when)
        day_of[sid] = f"{when:%Y-%m-%d}"
    # An unmarked snapshot of the same volume, older than all: never ours to delete.
    unmarked = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    backdate(scratch_region, unmarked, MONTH_START - timedelta(days=40))
    # A snapshot of another policy on the same volume: not this policy's either.
    other = cli(capsys, "snapshot", "--volume", vol, "--policy", "weekly",
                *where(demo_server, scratch_region)).out.strip()  # fmt: skip
    backdate(scratch_region, other, MONTH_START - timedelta(days=30))
    expected_keep = {sid for sid, day in day_of.items() if day in EXPECTED_KEPT_DAYS}
    assert len(expected_keep) == 10

    rules = ["--keep-daily", "7", "--keep-weekly", "4", "--keep-monthly", "3"]
    argv = ["prune", "--volume", vol, *rules, "--json", *where(demo_server, scratch_region)]
    before = snapshots_of(ec2, vol)

    dry = cli(capsys, *argv, "--dry-run")
    assert dry.code == 0, dry.err
    assert snapshots_of(ec2, vol) == before  # --dry-run changed nothing
    doc = dry.doc
    assert doc["schema"] == "snaptui.prune/1" and doc["dry_run"] is True
    assert doc["rules"] == {"keep": 0, "daily": 7, "weekly": 4, "monthly": 3}
    actions = {s["snapshot_id"]: s["action"] for s in doc["snapshots"]}
    assert {s for s, a in actions.items() if a == "keep"} == expected_keep
    assert {s for s, a in actions.items() if a == "delete"} == set(day_of) - expected_keep
    assert unmarked not in actions and other not in actions
    assert doc["regions"] == [
        {
            "region": scratch_region,
            "ok": True,
            "lock_status": "checked",
            "recycle_bin": "none",  # the demo's Recycle Bin has no rule in this region
            "recycle_bin_days": 0,
        }
    ]
    assert doc["saving"]["recycle_bin"] == "none"
    assert [s["snapshot_id"] for s in doc["skipped"]] == []  # the other two lack this policy
    assert not any("lock status unknown" in w["message"] for w in doc["warnings"])
    saving = doc["saving"]
    # Exact, from the cost engine: equal to brute-force reference counting over the blocks.
    assert saving["basis"] == "exact"
    expected_bytes = freed_by(set(day_of) - expected_keep, [*day_of, unmarked, other])
    assert saving["bytes"] == expected_bytes > 0
    assert saving["prices"].startswith("bundled table")
    newest = max(day_of, key=lambda s: day_of[s])
    [row] = [s for s in doc["snapshots"] if s["snapshot_id"] == newest]
    assert row["reasons"] == ["daily 2026-11-20", "weekly 2026-W47", "monthly 2026-11",
                              "newest completed"]  # fmt: skip

    real = cli(capsys, *argv)
    assert real.code == 0, real.err
    assert "lock status unknown" not in real.err
    assert {s["action"] for s in real.doc["snapshots"]} == {"keep", "deleted"}
    assert set(snapshots_of(ec2, vol)) == expected_keep | {unmarked, other}

    again = cli(capsys, *argv)
    assert again.code == 0
    assert all(s["action"] == "keep" for s in again.doc["snapshots"])
    assert set(snapshots_of(ec2, vol)) == expected_keep | {unmarked, other}


def test_prune_text_output_and_keep_last(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region, {"app": "web"})
    made = [cli(capsys, "snapshot", "--select-tag", "app=web",
                *where(demo_server, scratch_region)).out.strip() for _ in range(4)]  # fmt: skip
    run = cli(capsys, "prune", "--select-tag", "app=web", "--keep", "2", "-v",
              *where(demo_server, scratch_region))  # fmt: skip
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert [ln.split()[:2] for ln in lines[:4]] == [
        ["keep", made[3]], ["keep", made[2]], ["deleted", made[1]], ["deleted", made[0]]
    ]  # fmt: skip
    assert lines[-1].startswith("policy default: kept 2, deleted 2; saving $")
    assert set(snapshots_of(ec2, vol)) == {made[2], made[3]}


def test_prune_never_deletes_an_ami_snapshot(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    inst = ec2.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1)["Instances"][0]
    ami = ec2.create_image(InstanceId=inst["InstanceId"], Name="web-golden")["ImageId"]
    image = ec2.describe_images(ImageIds=[ami])["Images"][0]
    ami_snap = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    vol = new_volume(ec2, scratch_region)
    # moto's CreateImage snapshots a volume that then does not exist (and RegisterImage ignores
    # block device mappings), so the world's record is pointed at a real volume: AWS's shape.
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[DEMO_ACCOUNT][scratch_region]
    backend.snapshots[ami_snap].volume = backend.volumes[vol]
    # Mark the AMI's snapshot as ours and make it the oldest: the rules alone would delete it.
    marker = owner_value(vol, "default", datetime.now(UTC))
    ec2.create_tags(
        Resources=[ami_snap],
        Tags=[{"Key": MARK, "Value": "default"}, {"Key": OWNER_TAG, "Value": marker}],
    )
    backdate(scratch_region, ami_snap, datetime(2026, 1, 1))
    extra = marked_snapshot(ec2, vol)
    backdate(scratch_region, extra, datetime(2026, 2, 1))
    newest = marked_snapshot(ec2, vol)

    run = cli(capsys, "prune", "--volume", vol, "--keep", "1", "--json",
              *where(demo_server, scratch_region))  # fmt: skip
    assert run.code == 0, run.err
    rows = {s["snapshot_id"]: s for s in run.doc["snapshots"]}
    assert rows[ami_snap]["action"] == "keep"
    assert rows[ami_snap]["reasons"] == [f"used by {ami}"]
    assert rows[extra]["action"] == "deleted"
    assert rows[newest]["reasons"] == ["last 1/1", "newest completed"]
    left = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert ami_snap in left and newest in left and extra not in left


def test_strict_locks_keeps_everything_when_lock_status_is_unknown(
    capsys: pytest.CaptureFixture[str],
    demo_server: DemoServer,
    scratch_region: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An IAM policy without ec2:DescribeLockedSnapshots: lock status is unknown.
    monkeypatch.setattr(demo_server.locks, "denied_regions", {scratch_region})
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    for _ in range(3):
        assert (
            cli(capsys, "snapshot", "--volume", vol, *where(demo_server, scratch_region)).code == 0
        )
    before = snapshots_of(ec2, vol)
    run = cli(capsys, "prune", "--volume", vol, "--keep", "1", "--strict-locks", "--json",
              *where(demo_server, scratch_region))  # fmt: skip
    assert run.code == 0
    assert all(s["action"] == "keep" for s in run.doc["snapshots"])
    assert all("lock status unknown" in s["reasons"][-1] for s in run.doc["snapshots"])
    assert "keeping every snapshot (--strict-locks)" in run.err
    assert snapshots_of(ec2, vol) == before


def test_prune_keeps_a_locked_snapshot_and_says_why(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    argv = ("snapshot", "--volume", vol, *where(demo_server, scratch_region))
    made = [cli(capsys, *argv).out.strip() for _ in range(3)]
    ec2.lock_snapshot(SnapshotId=made[0], LockMode="governance", LockDuration=7)
    run = cli(capsys, "prune", "--volume", vol, "--keep", "1", "--json",
              *where(demo_server, scratch_region))  # fmt: skip
    assert run.code == 0, run.err
    rows = {s["snapshot_id"]: s for s in run.doc["snapshots"]}
    assert rows[made[0]]["action"] == "keep" and "locked" in rows[made[0]]["reasons"][-1]
    assert rows[made[1]]["action"] == "deleted"
    assert set(snapshots_of(ec2, vol)) == {made[0], made[2]}


# --- partial failure ---------------------------------------------------------------------------


def failing_region(server: DemoServer, region: str, code: str) -> Any:
    """A proxy to the demo world where every EC2 call to ``region`` answers ``code``.

    moto cannot throttle or deny a request; the proxy answers as AWS would, on the wire.
    """
    status = 503 if code.startswith("Request") else 403

    def rule(req_region: str, service: str) -> tuple[int, bytes] | None:
        if service == "ec2" and req_region == region:
            return status, loopback.ec2_error(code, f"injected {code}")
        return None

    return loopback.fault_proxy(server.endpoint_url, rule)


@pytest.mark.parametrize("code", ["RequestLimitExceeded", "UnauthorizedOperation"])
def test_a_failing_region_gives_exit_1_and_the_others_are_done(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    demo_server: DemoServer,
    scratch_region: str,
    other_region: str,
    code: str,
) -> None:
    good = ec2_of(demo_server, scratch_region)
    bad = ec2_of(demo_server, other_region)
    good_vol = new_volume(good, scratch_region, {"backup": "yes"})
    bad_vol = new_volume(bad, other_region, {"backup": "yes"})
    regions = where(demo_server, scratch_region, other_region)
    for _ in range(2):  # two marked snapshots each, made while both regions work
        assert cli(capsys, "snapshot", "--select-tag", "backup=yes", *regions).code == 0
    with failing_region(demo_server, other_region, code) as proxy:
        regions = ["--endpoint-url", loopback.url_of(proxy), "--max-attempts", "2",
                   "--region", scratch_region, "--region", other_region]  # fmt: skip
        run = cli(capsys, "snapshot", "--select-tag", "backup=yes", "--json", *regions)
        assert run.code == 1
        assert len(snapshots_of(good, good_vol)) == 3 and len(snapshots_of(bad, bad_vol)) == 2
        [problem] = run.doc["problems"]
        assert problem["region"] == other_region and code in problem["message"]
        assert problem["kind"] == ("throttled" if code.startswith("Request") else "access_denied")
        assert other_region in run.err and len(run.err.splitlines()) == 1

        run = cli(capsys, "prune", "--select-tag", "backup=yes", "--keep", "1", "--json", *regions)
    assert run.code == 1
    assert len(snapshots_of(good, good_vol)) == 1  # the working region was pruned
    assert len(snapshots_of(bad, bad_vol)) == 2
    by_region = {r["region"]: r["ok"] for r in run.doc["regions"]}
    assert by_region == {scratch_region: True, other_region: False}


def test_unreachable_endpoint_is_reported_in_one_line(
    capsys: pytest.CaptureFixture[str], scratch_region: str
) -> None:
    run = cli(capsys, "snapshot", "--volume", "vol-12345678", "--endpoint-url",
              "http://127.0.0.1:9", "--max-attempts", "1", "--region", scratch_region)  # fmt: skip
    assert run.code == 1
    assert "endpoint unreachable" in run.err and "Traceback" not in run.err


# --- notifications ------------------------------------------------------------------------------


def test_notify_sns_and_email(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    sns: Any = client(demo_server, "sns", scratch_region)
    sqs: Any = client(demo_server, "sqs", scratch_region)
    ses: Any = client(demo_server, "ses", scratch_region)
    topic = sns.create_topic(Name=f"snaptui-{scratch_region}")["TopicArn"]
    queue = sqs.create_queue(QueueName=f"snaptui-{scratch_region}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    ses.verify_email_identity(EmailAddress="backup@example.com")
    sent_before = ses.get_send_quota()["SentLast24Hours"]

    run = cli(
        capsys, "snapshot", "--volume", vol, "--json", "--notify-sns", topic,
        "--notify-email", "ops@example.com", "--notify-from", "backup@example.com",
        *where(demo_server, scratch_region),
    )  # fmt: skip
    assert run.code == 0, run.err
    assert [(n["channel"], n["ok"]) for n in run.doc["notifications"]] == [
        ("sns", True),
        ("email", True),
    ]
    messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"]
    body = json.loads(messages[0]["Body"])
    assert body["Subject"] == "snaptui snapshot (default): 1 created"
    assert run.doc["snapshots"][0]["snapshot_id"] in body["Message"]
    assert ses.get_send_quota()["SentLast24Hours"] == sent_before + 1

    # --notify-on failure: a clean run sends nothing.
    run = cli(capsys, "prune", "--volume", vol, "--keep", "1", "--json", "--notify-sns", topic,
              "--notify-on", "failure", *where(demo_server, scratch_region))  # fmt: skip
    assert run.code == 0 and run.doc["notifications"] == []

    # An unverified sender: SES refuses, the run itself worked, exit code says "look at me".
    run = cli(
        capsys, "prune", "--volume", vol, "--keep", "1", "--dry-run",
        "--notify-email", "ops@example.com", "--notify-from", "nobody@example.com",
        *where(demo_server, scratch_region),
    )  # fmt: skip
    assert run.code == 1
    assert "notification to ops@example.com failed" in run.err
