"""The command line: bad flags and profiles fail before anything starts, the demo serves alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from snaptui import __version__
from snaptui.cli import main
from snaptui.demo.server import free_port


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--region", "mars-1"], "not a region name"),
        (["--endpoint-url", "localhost:4566"], "must start with http"),
        (["--demo", "--endpoint-url", "http://127.0.0.1:1"], "exclude each other"),
    ],
)
def test_bad_flags_exit_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unknown_profile_exits_2_before_the_ui(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    assert main(["--profile", "no-such-profile"]) == 2
    assert "no-such-profile" in capsys.readouterr().err


def test_demo_no_ui_serves_until_interrupted() -> None:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "snaptui", "demo", "--port", str(port), "--no-ui"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}" in first
        exports = [proc.stdout.readline() for _ in range(5)]
        assert any("AWS_ENDPOINT_URL" in line for line in exports)
        ec2 = boto3.client(
            "ec2",
            region_name="eu-west-1",
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="demo",
            aws_secret_access_key="demo",
        )
        assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    finally:
        proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
