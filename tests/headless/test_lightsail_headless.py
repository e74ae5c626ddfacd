"""`snaptui snapshot` and `snaptui prune` over Lightsail, end to end via ``snaptui.cli.main``.

A week of daily runs happens in a scratch Lightsail region whose clock is moved a day between
runs; what is left is read back with a separate boto3 client, as the AWS CLI would see it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from snaptui.aws import session as session_module
from snaptui.demo.lightsail import store as store_module
from snaptui.demo.server import DemoServer
from tests.conftest import client
from tests.headless.test_snapshot_prune import cli, where
from tests.lightsail_fixtures import instant, ls_client, ls_region, place_web

__all__ = ["instant", "ls_region"]


@pytest.fixture(autouse=True)
def _demo_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "demo")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "demo")
    monkeypatch.setattr(session_module, "default_audit_path", lambda: tmp_path / "audit.jsonl")


def manual(ls: Any) -> list[dict[str, Any]]:
    snaps = [s for p in ls.get_paginator("get_instance_snapshots").paginate()
             for s in p["instanceSnapshots"]]  # fmt: skip
    return sorted(snaps, key=lambda s: s["createdAt"])


def _week_of_snapshots(
    capsys: pytest.CaptureFixture[str], server: DemoServer, region: str
) -> list[str]:
    made = []
    for _ in range(7):
        run = cli(capsys, "snapshot", "--lightsail-instance", "web", "--json",
                  *where(server, region))  # fmt: skip
        assert run.code == 0, run.err
        made += [s["name"] for s in run.doc["snapshots"]]
        store_module.store().advance(timedelta(days=1), region)
    return made


def test_a_week_of_daily_snapshots_then_keep_3(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, ls_region: str, instant: Any
) -> None:
    place_web(ls_region, auto=True)
    ls = ls_client(demo_server, ls_region)
    ls.create_instance_snapshot(instanceName="web", instanceSnapshotName="web-by-hand")
    made = _week_of_snapshots(capsys, demo_server, ls_region)
    assert len(made) == 7 and len(set(made)) == 7
    # A script that copies tags onto its own snapshot does not make it snaptui's.
    owned = next(s for s in manual(ls) if s["name"] == made[0])
    ls.create_instance_snapshot(instanceName="web", instanceSnapshotName="web-copied-tags",
                                tags=owned["tags"])  # fmt: skip
    autos_before = ls.get_auto_snapshots(resourceName="web")["autoSnapshots"]

    dry = cli(capsys, "prune", "--lightsail-instance", "web", "--keep", "3", "--dry-run",
              "--json", *where(demo_server, ls_region))  # fmt: skip
    assert dry.code == 0, dry.err
    planned = [s["name"] for s in dry.doc["snapshots"] if s["action"] == "delete"]
    assert sorted(planned) == sorted(made[:4]) and dry.doc["not_ours"] == 2
    assert dry.doc["saving"]["basis"] == "ceiling" and dry.doc["saving"]["monthly_usd"] == 4.0
    assert len(manual(ls)) == 9  # a dry run changes nothing

    run = cli(capsys, "prune", "--lightsail-instance", "web", "--keep", "3",
              *where(demo_server, ls_region))  # fmt: skip
    assert run.code == 0, run.err
    assert "deleted 4, kept 3" in run.out
    left = [s["name"] for s in manual(ls)]
    assert sorted(left) == sorted([*made[4:], "web-by-hand", "web-copied-tags"])
    assert ls.get_auto_snapshots(resourceName="web")["autoSnapshots"] == autos_before
    again = cli(capsys, "prune", "--lightsail-instance", "web", "--keep", "3", "--json",
                *where(demo_server, ls_region))  # fmt: skip
    assert [s for s in again.doc["snapshots"] if s["action"] != "keep"] == []


def test_automatic_snapshots_only_with_include_automatic(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, ls_region: str, instant: Any
) -> None:
    place_web(ls_region, auto=True)
    ls = ls_client(demo_server, ls_region)
    run = cli(capsys, "prune", "--lightsail-instance", "web", "--keep", "2", "--include-automatic",
              "--json", *where(demo_server, ls_region))  # fmt: skip
    assert run.code == 0, run.err
    dates = [a["date"] for a in ls.get_auto_snapshots(resourceName="web")["autoSnapshots"]]
    assert len(dates) == 2
    assert sum(s["action"] == "deleted" and s["automatic"] for s in run.doc["snapshots"]) == 5


def test_notifications_through_sns_and_ses(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, ls_region: str, instant: Any
) -> None:
    place_web(ls_region)
    sns: Any = client(demo_server, "sns", ls_region)
    sqs: Any = client(demo_server, "sqs", ls_region)
    ses: Any = client(demo_server, "ses", ls_region)
    topic = sns.create_topic(Name=f"ls-{ls_region}")["TopicArn"]
    queue = sqs.create_queue(QueueName=f"ls-{ls_region}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]  # fmt: skip
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    ses.verify_email_identity(EmailAddress="backup@example.com")
    notify = ["--notify-sns", topic, "--notify-email", "ops@example.com",
              "--notify-from", "backup@example.com"]  # fmt: skip
    _week_of_snapshots(capsys, demo_server, ls_region)
    run = cli(capsys, "prune", "--lightsail-instance", "web", "--keep", "3", "--json", *notify,
              *where(demo_server, ls_region))  # fmt: skip
    assert run.code == 0, run.err
    assert [(n["channel"], n["ok"]) for n in run.doc["notifications"]] == [
        ("sns", True), ("email", True)]  # fmt: skip
    body = json.loads(sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"][0]["Body"])
    assert body["Subject"] == "snaptui prune (default, Lightsail): deleted 4"
    assert "deleted 4, kept 3" in body["Message"]


def test_refused_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer
) -> None:
    for argv, why in [
        (["snapshot", "--lightsail-instance", "bad name"], "Lightsail name 'bad name'"),
        (["snapshot", "--lightsail-instance", "web", "--read-only"], "--read-only"),
        (["snapshot", "--lightsail-instance", "web", "--tag", "snaptui:owner=x"], "cannot set"),
        (["prune", "--lightsail-instance", "web"], "keep rule"),
        (["prune", "--lightsail-disk", "d1", "--keep", "1", "--read-only"], "--dry-run"),
        (["snapshot", "--lightsail-instance", "web", "--volume", "vol-12345678"], "not allowed"),
    ]:
        run = cli(capsys, *argv, *where(demo_server, "us-east-2"))
        assert run.code == 2, (argv, run.err)
        assert len(run.err.splitlines()) == 1
        assert why in run.err, (argv, run.err)


def test_errors_per_region_do_not_hide_the_others(
    capsys: pytest.CaptureFixture[str], demo_server: DemoServer, ls_region: str, instant: Any
) -> None:
    place_web(ls_region)
    run = cli(capsys, "snapshot", "--lightsail-instance", "web", "--lightsail-instance", "gone-1",
              "--json", *where(demo_server, ls_region, "sa-east-1", "eu-west-1"))  # fmt: skip
    assert run.code == 1
    assert [s["region"] for s in run.doc["snapshots"]] == [ls_region]
    messages = " | ".join(p["message"] for p in run.doc["problems"])
    assert "not offered" in messages and "gone-1: not found" in messages
    store_module.store().denied_regions.add(ls_region)
    run = cli(capsys, "prune", "--lightsail-instance", "wordpress", "--keep", "3", "--dry-run",
              "--json", *where(demo_server, ls_region, "eu-west-1"))  # fmt: skip
    assert run.code == 1
    assert [p["kind"] for p in run.doc["problems"]] == ["access_denied"]
    assert run.doc["regions"] == [ls_region, "eu-west-1"]  # eu-west-1 answered: nothing ours
