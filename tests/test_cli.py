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
        (["--endpoint-url", "localhost:4566"], "not an http(s) URL"),
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


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    import json

    return set(json.loads(out.splitlines()[-1]))


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["prune", "--help"]])
def test_version_and_help_import_neither_boto3_nor_textual(argv: list[str]) -> None:
    code = (
        "import contextlib, io\nfrom snaptui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try: main({argv!r})\n"
        "    except SystemExit: pass"
    )
    loaded = _top(_modules_after(code))
    assert not loaded & {"boto3", "botocore", "textual", "moto"}


def test_headless_commands_never_import_textual() -> None:
    code = (
        "import snaptui.headless.snapshot_cmd, snaptui.headless.prune_cmd, "
        "snaptui.headless.cost_cmd, snaptui.cli.entry"
    )
    loaded = _top(_modules_after(code))
    assert "boto3" in loaded  # the probe did import the commands
    assert "textual" not in loaded and "moto" not in loaded
