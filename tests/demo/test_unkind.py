"""The demo world's unkind layer and ClientToken fidelity, seen through a plain boto3 client
(not snaptui's): each test names the AWS behaviour it reproduces."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError

from snaptui.demo.server import DemoServer
from snaptui.demo.unkind import Unkindness, parse_faults

Unkind = Callable[..., None]


pytestmark = pytest.mark.unkind


@pytest.fixture
def unkind(demo_server: DemoServer) -> Iterator[Unkind]:
    def make(**kw: Any) -> None:
        demo_server.be_unkind(Unkindness(seed=7, **kw))

    yield make
    demo_server.unkind.be_kind()


def ec2(server: DemoServer, region: str, attempts: int = 3) -> Any:
    return boto3.client(
        "ec2",
        region_name=region,
        endpoint_url=server.endpoint_url,
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
        config=Config(retries={"total_max_attempts": attempts, "mode": "standard"}),
    )


def test_a_lost_answer_means_the_work_was_done(
    demo_server: DemoServer, scratch_region: str, unkind: Unkind
) -> None:
    """AWS: a create whose answer is lost has happened; a blind retry makes another."""
    client = ec2(demo_server, scratch_region)
    vol = client.create_volume(Size=1, AvailabilityZone=f"{scratch_region}a")["VolumeId"]
    unkind(fault_rate=1.0, fault_kinds=("lost",))
    with pytest.raises(ConnectionClosedError):
        client.create_snapshot(VolumeId=vol)
    demo_server.unkind.be_kind()
    snaps = client.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    assert len(snaps) == 3  # three attempts, three snapshots, no answer
    assert demo_server.unkind.injected["lost"] == 0  # counts restart on be_kind


def test_reads_are_spared_by_lost_and_counted(
    demo_server: DemoServer, scratch_region: str, unkind: Unkind
) -> None:
    unkind(fault_rate=1.0, fault_kinds=("lost",))
    assert ec2(demo_server, scratch_region, 1).describe_volumes()["Volumes"] == []
    assert sum(demo_server.unkind.injected.values()) == 0


@pytest.mark.parametrize(
    ("kind", "code", "status"),
    [("throttle", "RequestLimitExceeded", 503), ("500", "InternalError", 500),
     ("503", "Unavailable", 503)],
)  # fmt: skip
def test_error_faults_answer_as_ec2_does(
    demo_server: DemoServer, scratch_region: str, unkind: Unkind, kind: str, code: str, status: int
) -> None:
    unkind(fault_rate=1.0, fault_kinds=(kind,))
    with pytest.raises(ClientError) as err:
        ec2(demo_server, scratch_region, 1).describe_volumes()
    assert err.value.response["Error"]["Code"] == code
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert demo_server.unkind.injected[kind] == 1


def test_reset_drops_the_connection(
    demo_server: DemoServer, scratch_region: str, unkind: Unkind
) -> None:
    unkind(fault_rate=1.0, fault_kinds=("reset",))
    with pytest.raises(ConnectionClosedError):
        ec2(demo_server, scratch_region, 1).describe_volumes()


def test_latency_and_stall_slow_every_answer(
    demo_server: DemoServer, scratch_region: str, unkind: Unkind
) -> None:
    client = ec2(demo_server, scratch_region, 1)
    unkind(latency_ms=300)
    started = time.monotonic()
    client.describe_volumes()
    assert time.monotonic() - started >= 0.2
    unkind(fault_rate=1.0, fault_kinds=("stall",), stall_s=0.6)
    started = time.monotonic()
    client.describe_volumes()
    assert time.monotonic() - started >= 0.6


def test_a_new_resource_is_not_found_for_a_while(
    demo_server: DemoServer, scratch_region: str, unkind: Unkind
) -> None:
    """AWS: EC2 is eventually consistent; right after CreateVolume, DescribeVolumes naming it
    can answer InvalidVolume.NotFound, and a list can leave it out."""
    client = ec2(demo_server, scratch_region)
    unkind(consistency_delay_s=1.0)
    vol = client.create_volume(Size=1, AvailabilityZone=f"{scratch_region}a")["VolumeId"]
    with pytest.raises(ClientError) as err:
        client.describe_volumes(VolumeIds=[vol])
    assert err.value.response["Error"]["Code"] == "InvalidVolume.NotFound"
    assert vol not in [v["VolumeId"] for v in client.describe_volumes()["Volumes"]]
    time.sleep(1.1)
    assert [v["VolumeId"] for v in client.describe_volumes(VolumeIds=[vol])["Volumes"]] == [vol]


def test_a_new_snapshot_is_pending_with_rising_progress(
    demo_server: DemoServer, scratch_region: str, unkind: Unkind
) -> None:
    client = ec2(demo_server, scratch_region)
    vol = client.create_volume(Size=1, AvailabilityZone=f"{scratch_region}a")["VolumeId"]
    unkind(pending_s=2.0)
    snap = client.create_snapshot(VolumeId=vol)["SnapshotId"]
    first = client.describe_snapshots(SnapshotIds=[snap])["Snapshots"][0]
    assert first["State"] == "pending"
    time.sleep(1.0)
    later = client.describe_snapshots(SnapshotIds=[snap])["Snapshots"][0]
    assert later["State"] == "pending"
    assert int(later["Progress"].rstrip("%")) > int(first["Progress"].rstrip("%"))
    time.sleep(1.1)
    done = client.describe_snapshots(SnapshotIds=[snap])["Snapshots"][0]
    assert (done["State"], done["Progress"]) == ("completed", "100%")


def test_client_token_is_honoured(demo_server: DemoServer, scratch_region: str) -> None:
    """AWS: a repeated ClientToken returns the first call's result; with other parameters,
    IdempotentParameterMismatch (moto ignores the token: closed in demo/client_tokens.py)."""
    client = ec2(demo_server, scratch_region)
    az = f"{scratch_region}a"
    first = client.create_volume(Size=1, AvailabilityZone=az, ClientToken="t-1")["VolumeId"]
    again = client.create_volume(Size=1, AvailabilityZone=az, ClientToken="t-1")["VolumeId"]
    assert again == first
    assert len(client.describe_volumes()["Volumes"]) == 1
    with pytest.raises(ClientError) as err:
        client.create_volume(Size=2, AvailabilityZone=az, ClientToken="t-1")
    assert err.value.response["Error"]["Code"] == "IdempotentParameterMismatch"


def test_parse_faults() -> None:
    assert parse_faults("0.3:lost") == (0.3, ("lost",))
    assert parse_faults("20%")[0] == pytest.approx(0.2)
    assert parse_faults("0.3")[1] == parse_faults("0.3:throttle,500,503,reset,stall,lost")[1]
    for bad in ("2", "x", "0.1:gremlins", "-0.1", "0.1:", "0.1:lost,", "0.1:,lost"):
        with pytest.raises(ValueError):
            parse_faults(bad)


@pytest.mark.parametrize(
    "flags",
    [["--faults", "2"], ["--faults", "0.2:gremlins"], ["--latency-ms", "-5"],
     ["--consistency-delay", "inf"], ["--pending-s", "x"]],
)  # fmt: skip
def test_bad_unkind_flags_exit_2_in_one_line(flags: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "snaptui", "demo", "--no-ui", *flags],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
