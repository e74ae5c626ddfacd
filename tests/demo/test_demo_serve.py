"""`snaptui demo --no-ui` as a separate process, seen from outside: a client that connects
while the world is being seeded waits and then sees all of it (never part of it), and SIGTERM
(systemd stop, kill) ends it cleanly, its temporary directories removed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3

from snaptui.demo.server import free_port


def _wait_for_port(port: int, proc: subprocess.Popen[str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise AssertionError("the demo world never opened its port")


def test_an_early_client_sees_the_whole_world_and_sigterm_cleans_up(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path), "AWS_EC2_METADATA_DISABLED": "true"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "snaptui", "demo", "--no-ui", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_port(port, proc)
        ec2: Any = boto3.client(
            "ec2",
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="demo",
            aws_secret_access_key="demo",
        )
        first = len(ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"])
        assert proc.stdout is not None
        assert "Ctrl-C" in proc.stdout.readline()  # seeded and announced by now
        assert first == len(ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]) > 50
        assert list(tmp_path.glob("snaptui-demo-cache-*"))  # the world's own cache, while up
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 143
        assert list(tmp_path.glob("snaptui-demo-cache-*")) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
