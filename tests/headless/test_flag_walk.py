"""Every flag of every subcommand, given bad values: one stderr line, exit 2, nothing sent.

The flags are read from the parser itself, so a flag added later is walked too. Requests go
to a loopback server that records them (AWS_ENDPOINT_URL points there as well, for cases
whose own --endpoint-url is the bad value): it must see none.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from snaptui.cli import main
from snaptui.cli.entry import build_parser
from tests import loopback

# A minimal valid command line per subcommand; the walked flag is added to it.
BASE = {
    "snapshot": ["--volume", "vol-12345678"],
    "prune": ["--volume", "vol-12345678", "--keep", "1"],
    "cost": [],
    "demo": ["--no-ui"],
    "files": ["ls", "snap-0123456789abcdef0"],
}
# Bad for every flag: control characters (a newline once made an unfindable policy).
EVERYWHERE = ["x\n", "\x1b[31m", "default\r"]
NUMBER = ["", "-1", "inf", "-inf", "nan", "1e999", "abc", "1" * 400, "0x10", "99999999"]
NAME = ["", "a b", "-", "é" * 300, "x" * 65, "a/b", "default\u200b"]
ID = ["", "vol-xyz", "vol-123", "snap-0123456789abcdef0", "i-0123456789abcdef", "VOL-12345678"]
REGION = ["", "mars-1", "US-EAST-1", "us-east-1 ", "us-east-1x", "eu_west_1"]
URL = ["", "http://", "127.0.0.1:1", "ftp://x", "http://127.0.0.1 :1", "http://[::1", "http://h:0",
       f"http://u:{'hunter2'}@127.0.0.1:1", "http://127.0.0.1:1/?a=b"]  # fmt: skip
TAG = ["", "novalue", "=v", "aws:x=1", "AWS:x=1", "k" * 129 + "=v", "k=" + "v" * 257]
ADDRESS = ["", "x", "a@b", "arn:aws:sns:mars:123456789012:t", "a b@c.io"]
# Every walked flag must be classified: a new flag without bad values fails the walk.
KINDS: dict[str, list[str]] = {
    "--connect-timeout": NUMBER, "--read-timeout": NUMBER, "--max-attempts": NUMBER,
    "--keep": NUMBER, "--keep-daily": NUMBER, "--keep-weekly": NUMBER, "--keep-monthly": NUMBER,
    "--lock-wait": NUMBER, "--wait-timeout": NUMBER, "--top": NUMBER, "--port": NUMBER,
    "--latency-ms": NUMBER, "--consistency-delay": NUMBER, "--pending-s": NUMBER,
    "--faults": [*NUMBER, "2", "101%", "0.2:gremlins", "0.2:lost,", "0.2:LOST"],
    "--policy": NAME, "--org-role": [v for v in NAME if v != "-"],  # "-" is a valid IAM role name
    "--volume": ID, "--instance": ID, "--region": REGION,
    "--copies-of": REGION, "--notify-region": REGION, "--endpoint-url": URL,
    "--tag": TAG, "--select-tag": TAG, "--notify-sns": ADDRESS, "--notify-email": ADDRESS,
    "--notify-from": ADDRESS,
    "--lightsail-instance": ["", "a b", "é" * 300, "x" * 300], "--lightsail-disk": ["", "a b"],
    # Free text: any printable value is fine, only control characters are refused.
    "--description": [], "--profile": [], "--cache-dir": [],
}  # fmt: skip
SECRET = "hunter2"


def _flags() -> Iterator[tuple[str, str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        for action in p._actions:
            if not action.option_strings or action.nargs == 0 or action.choices:
                continue
            yield name, action.option_strings[-1]


CASES = [(cmd, flag, value) for cmd, flag in _flags() for value in EVERYWHERE + KINDS.get(flag, [])]


@pytest.mark.parametrize(("cmd", "flag", "value"), CASES)
def test_bad_value_exits_2_before_any_request(
    cmd: str,
    flag: str,
    value: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SNAPTUI_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    with loopback.recorder() as server:
        url = loopback.url_of(server)
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        argv = [cmd, *BASE[cmd], flag, value]
        if flag != "--endpoint-url" and cmd not in ("demo", "files"):
            argv[1:1] = ["--endpoint-url", url]
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own errors
            code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert server.requests_seen == [], f"{argv!r} sent a request"
    assert code == 2, f"{argv!r} exited {code}: {err}"
    assert len(err.splitlines()) == 1 and err.startswith("snaptui: "), err
    assert "Traceback" not in err and SECRET not in err and out == ""


def test_the_walk_covers_every_subcommand_and_many_flags() -> None:
    walked = {(c, f) for c, f, _ in CASES}
    assert {c for c, _ in walked} == set(BASE)
    assert {f for _, f in walked} <= set(KINDS), "classify the new flag's bad values in KINDS"
    assert len(walked) >= 30  # the walk cannot silently shrink to nothing
