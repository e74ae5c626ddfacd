"""Issue 12's "done when", from outside: what prune may touch, the fail-closed audit log, a
silent endpoint, one prune at a time, and the demo's control API.

Every run goes through ``snaptui.cli.main`` against the demo world (or a loopback endpoint);
a separate boto3 client checks what AWS holds afterwards.
"""

from __future__ import annotations

import json
import stat
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from snaptui.aws import copy
from snaptui.aws.session import AwsContext
from snaptui.core.ownership import COPY_TAG, OWNER_TAG, owner_value
from snaptui.demo.server import DemoServer
from snaptui.headless.prune_lock import PruneLock
from tests import loopback
from tests.headless.test_snapshot_prune import (
    MARK,
    OTHER_REGION,
    cli,
    ec2_of,
    new_volume,
    snapshots_of,
    where,
)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "demo")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "demo")
    audit = tmp_path / "logs" / "audit.jsonl"
    monkeypatch.setenv("SNAPTUI_AUDIT_LOG", str(audit))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return audit


@pytest.fixture
def other_region(demo_server: DemoServer, seeded: Any) -> Any:
    from tests.headless.test_snapshot_prune import DEMO_ACCOUNT

    yield OTHER_REGION
    from moto.ec2.models import ec2_backends

    ec2_backends[DEMO_ACCOUNT][OTHER_REGION].reset()


def test_prune_all_never_plans_copies_hand_made_or_tag_copied_snapshots(
    capsys: pytest.CaptureFixture[str],
    demo_server: DemoServer,
    scratch_region: str,
    other_region: str,
    tmp_path: Path,
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    argv = ["snapshot", "--volume", vol, *where(demo_server, scratch_region)]
    ours = [cli(capsys, *argv).out.strip() for _ in range(2)]
    # A DR copy made the way the UI makes it (aws.copy, copy tags on), into another region.
    ctx = AwsContext(demo_server.target(audit_path=tmp_path / "ui-audit.jsonl"))
    made = copy.copy_snapshot(ctx, copy.CopyRequest(ours[0], scratch_region, other_region))
    assert OWNER_TAG not in made.tags and MARK not in made.tags
    assert made.tags[COPY_TAG].startswith(f"snaptui/1 snap={ours[0]} region={scratch_region}")
    # A hand-made snapshot that someone tagged with the policy later.
    by_hand = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    ec2.create_tags(Resources=[by_hand], Tags=[{"Key": MARK, "Value": "default"}])
    # Another tool's CreateSnapshots set copying tags from a volume that carries snaptui's
    # tags (e.g. a volume restored with its snapshot's tags): the marker names another time.
    old = owner_value(vol, "default", datetime.now(UTC) - timedelta(days=3))
    inst = ec2.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1)["Instances"][0]
    root = inst["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    spread = owner_value(root, "default", datetime.now(UTC) - timedelta(days=3))
    ec2.create_tags(Resources=[root], Tags=[{"Key": MARK, "Value": "default"},
                                           {"Key": OWNER_TAG, "Value": spread}])  # fmt: skip
    the_set = ec2.create_snapshots(
        InstanceSpecification={"InstanceId": inst["InstanceId"]}, CopyTagsFromSource="volume"
    )["Snapshots"]
    ec2.create_tags(Resources=[by_hand], Tags=[{"Key": OWNER_TAG, "Value": old}])

    regions = where(demo_server, scratch_region, other_region)
    run = cli(capsys, "prune", "--all", "--keep", "1", "--dry-run", "--json", *regions)
    assert run.code == 0, run.err
    planned = {s["snapshot_id"] for s in run.doc["snapshots"]}
    assert planned == set(ours)  # only what `snaptui snapshot` made, grouped by its volume
    skipped = {s["snapshot_id"]: s["reason"] for s in run.doc["skipped"]}
    assert by_hand in skipped
    set_ids = [s["SnapshotId"] for s in the_set]
    for d in ec2.describe_snapshots(SnapshotIds=set_ids)["Snapshots"]:
        tags = {t["Key"]: t["Value"] for t in d.get("Tags", [])}
        # Wherever the copied tags landed, the set is skipped, never planned.
        assert d["SnapshotId"] not in planned
        assert (MARK in tags) == (d["SnapshotId"] in skipped)
    assert made.snapshot_id not in planned | set(skipped)  # a copy is not even a candidate

    # Copies are pruned only by a policy that names them, where they are.
    second = copy.copy_snapshot(ctx, copy.CopyRequest(ours[1], scratch_region, other_region))
    run = cli(capsys, "prune", "--all", "--copies-of", scratch_region, "--keep", "1", "--json",
              *where(demo_server, other_region))  # fmt: skip
    assert run.code == 0, run.err
    actions = {s["snapshot_id"]: (s["action"], s["source_volume_id"]) for s in run.doc["snapshots"]}
    assert actions == {second.snapshot_id: ("keep", vol), made.snapshot_id: ("deleted", vol)}
    assert set(snapshots_of(ec2, vol)) >= set(ours)  # the sources were not touched


def test_unwritable_audit_log_stops_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "audit-is-a-directory"
    blocked.mkdir()
    monkeypatch.setenv("SNAPTUI_AUDIT_LOG", str(blocked))
    with loopback.recorder() as server:
        url = loopback.url_of(server)
        run = cli(capsys, "snapshot", "--volume", "vol-12345678", "--endpoint-url", url,
                  "--region", "us-west-2")  # fmt: skip
        wet = cli(capsys, "prune", "--all", "--keep", "1", "--endpoint-url", url,
                  "--region", "us-west-2", "--max-attempts", "1")  # fmt: skip
        dry = cli(capsys, "prune", "--all", "--keep", "1", "--endpoint-url", url,
                   "--region", "us-west-2", "--max-attempts", "1", "--dry-run")  # fmt: skip
        sent_by_dry_run = list(server.requests_seen)
    assert run.code == 2 and "cannot write the audit log" in run.err
    assert wet.code == 2 and "nothing was sent" in wet.err
    assert dry.code == 1  # --dry-run only reads: it needs no audit log
    assert sent_by_dry_run and all(service == "ec2" for _, service in sent_by_dry_run)


def test_audit_intent_before_outcome_private_file_and_created_ids(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str, _env: Path
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    inst = ec2.run_instances(
        ImageId="ami-12345678", MinCount=1, MaxCount=1,
        BlockDeviceMappings=[{"DeviceName": "/dev/sdb", "Ebs": {"VolumeSize": 4}}],
    )["Instances"][0]["InstanceId"]  # fmt: skip
    run = cli(capsys, "snapshot", "--instance", inst, *where(demo_server, scratch_region))
    assert run.code == 0, run.err
    assert stat.S_IMODE(_env.stat().st_mode) == 0o600
    assert stat.S_IMODE(_env.parent.stat().st_mode) == 0o700
    lines = [json.loads(x) for x in _env.read_text().splitlines()]
    calls = [(r["action"], r["outcome"]) for r in lines]
    assert calls[:2] == [("CreateSnapshots", "intent"), ("CreateSnapshots", "ok")]
    assert lines[0]["id"] == lines[1]["id"]
    assert sorted(lines[1]["created"]) == sorted(run.out.split())  # the nested ids
    assert calls[2:] == [("CreateTags", "intent"), ("CreateTags", "ok")] * len(run.out.split())


def test_a_silent_endpoint_fails_a_headless_command_quickly_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with loopback.silent() as url:
        start = time.monotonic()
        run = cli(capsys, "prune", "--all", "--keep", "1", "--dry-run", "--endpoint-url", url,
                  "--region", "us-west-2", "--read-timeout", "0.5", "--connect-timeout", "0.5",
                  "--max-attempts", "2")  # fmt: skip
        took = time.monotonic() - start
    assert run.code == 1
    assert url.removeprefix("http://") in run.err and "Read timeout" in run.err
    assert took < 15  # 2 attempts x 0.5 s plus backoff; the defaults stay under a minute


def test_a_silent_endpoint_is_not_reported_as_a_missing_volume(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with loopback.silent() as url:
        run = cli(capsys, "snapshot", "--volume", "vol-0123456789abcdef0", "--endpoint-url", url,
                  "--region", "us-west-2", "--read-timeout", "0.5", "--connect-timeout", "0.5",
                  "--max-attempts", "1")  # fmt: skip
    assert run.code == 1 and "Read timeout" in run.err
    assert "not found" not in run.err  # nobody answered: nobody said it is missing


def test_a_second_prune_of_the_same_scope_says_another_is_running(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, scratch_region: str
) -> None:
    ec2 = ec2_of(demo_server, scratch_region)
    vol = new_volume(ec2, scratch_region)
    for _ in range(2):
        cli(capsys, "snapshot", "--volume", vol, *where(demo_server, scratch_region))
    before = snapshots_of(ec2, vol)
    with PruneLock("123456789012", scratch_region, "default"):
        run = cli(capsys, "prune", "--volume", vol, "--keep", "1",
                  *where(demo_server, scratch_region))  # fmt: skip
    assert run.code == 1 and "another snaptui prune" in run.err
    assert snapshots_of(ec2, vol) == before
    run = cli(capsys, "prune", "--volume", vol, "--keep", "1", *where(demo_server, scratch_region))
    assert run.code == 0 and len(snapshots_of(ec2, vol)) == 1


def test_demo_control_api_refuses_a_request_without_the_token(demo_server: DemoServer) -> None:
    request = urllib.request.Request(
        demo_server.endpoint_url + "/moto-api/reset", method="POST", data=b""
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(demo_server.endpoint_url + "/moto-api/data.json", timeout=10)
