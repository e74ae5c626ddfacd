"""Quitting never waits for AWS, and Esc on a progress dialog stops waiting at once.

The quit test runs the real app in a child process (headless, keys from Textual's auto
pilot) against the session's demo world, because what a user waits for is the process to end:
the interpreter joins non-daemon threads at exit, which an in-process Pilot test never sees.
The slow call is a botocore event handler that holds the answer back for 30 s.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from snaptui.aws.session import AwsContext
from snaptui.demo.server import DemoServer
from snaptui.ui.app import SnapApp
from snaptui.ui.dialogs.form import FormScreen
from snaptui.ui.dialogs.task import TaskScreen
from tests.conftest import NOW, client
from tests.helpers import until, wait_loaded

SIZE = (120, 36)

CHILD = textwrap.dedent(
    """
    import asyncio, sys, threading, time
    from pathlib import Path
    from snaptui.aws.session import AwsContext, AwsTarget
    from snaptui.ui.app import SnapApp

    endpoint, region, marks = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    target = AwsTarget(
        endpoint_url=endpoint, regions=(region,), access_key_id="demo",
        secret_access_key="demo", default_region=region,
        audit_path=marks.parent / "audit.jsonl", cache_root=marks.parent / "cache",
    )
    app = SnapApp(AwsContext(target), costs_enabled=False)
    waiting = threading.Event()

    def slow(**_):
        waiting.set()
        time.sleep(30)  # an answer that takes 30 s to come back
        marks.with_suffix(".released").write_text("the slow call ended")

    app.ctx.client("ec2", region).meta.events.register("before-send.ec2.DescribeSnapshots", slow)

    async def auto(pilot):
        while not waiting.is_set():
            await asyncio.sleep(0.05)
        marks.write_text(repr(time.time()))
        await pilot.press("q")

    app.run(headless=True, size=(80, 24), auto_pilot=auto)
    """
)


def test_quitting_during_a_long_wait_returns_at_once(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    marks = tmp_path / "quit.mark"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, demo_server.endpoint_url, scratch_region, str(marks)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
    ended = time.time()
    assert child.returncode == 0, err.decode()[-2000:]
    assert marks.exists(), "the app never reached its slow call"
    pressed = float(marks.read_text())
    assert not marks.with_suffix(".released").exists()  # it did not wait for the answer
    # Behaviour, not a benchmark (benchmarks/quit_latency.py prints the figure): about a
    # second on an idle machine, 30 s if anything waited for the call.
    assert ended - pressed < 10.0


async def test_escape_during_a_wait_stops_waiting_and_says_the_work_goes_on(
    demo_server: DemoServer, scratch_region: str, tmp_path: Path
) -> None:
    ec2: Any = client(demo_server, "ec2", scratch_region)
    volume = ec2.create_volume(AvailabilityZone=f"{scratch_region}a", Size=1)["VolumeId"]
    snap = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    target = demo_server.target(regions=(scratch_region,), audit_path=tmp_path / "audit.jsonl")
    app = SnapApp(AwsContext(target), endpoint_label="demo", clock=lambda: NOW)

    def still_creating(parsed: dict[str, Any], **_: Any) -> None:
        for v in parsed.get("Volumes", ()):
            v["State"] = "creating"  # as AWS says for minutes on a large volume

    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4")
        assert app.pane("snapshots").move_cursor_to_key(snap)
        app.ctx.client("ec2", scratch_region).meta.events.register(
            "after-call.ec2.DescribeVolumes", still_creating
        )
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TaskScreen))
        task = app.screen
        assert isinstance(task, TaskScreen)
        await until(pilot, lambda: any("creating" in s for s in task._steps))
        started = asyncio.get_running_loop().time()
        await pilot.press("escape")
        text = str(task.query_one("#result-text").render())
        assert "Stopped waiting" in text and "goes on" in text
        await until(pilot, lambda: task.done, timeout=2)  # the waiter woke on the cancel
        assert asyncio.get_running_loop().time() - started < 2
        assert task._result is not None and task._result.stopped
        await pilot.press("escape")
        assert not isinstance(app.screen, TaskScreen)
    # The volume was created in AWS all the same: only the waiting stopped.
    volumes = ec2.describe_volumes(Filters=[{"Name": "snapshot-id", "Values": [snap]}])["Volumes"]
    assert len(volumes) == 1
