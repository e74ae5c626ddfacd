"""`snaptui files ...` against the demo world's endpoint, as a script would run it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from snaptui.cli import main
from snaptui.demo.disk_images import DiskImage
from snaptui.demo.server import DemoServer


def _run(
    server: DemoServer, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    code = main(
        [
            "files",
            argv[0],
            "--endpoint-url",
            server.endpoint_url,
            "--region",
            "us-east-1",
            *argv[1:],
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_ls_json_lists_etc(
    demo_server: DemoServer,
    web_root: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SNAPTUI_CACHE_DIR", str(tmp_path))
    code, out, err = _run(demo_server, capsys, "ls", web_root[-1], "/etc/nginx", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["filesystem"] == "ext4"
    names = {e["name"]: e for e in doc["entries"]}
    assert names["nginx.conf"]["kind"] == "file" and names["nginx.conf"]["mode"] == "0644"
    assert "API cost $" in err


def test_get_writes_the_demo_worlds_bytes(
    demo_server: DemoServer,
    web_root: list[str],
    image: DiskImage,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SNAPTUI_CACHE_DIR", str(tmp_path / "cache"))
    code, _, err = _run(
        demo_server, capsys, "get", web_root[3], "/etc/nginx/nginx.conf", "--to", str(tmp_path)
    )
    assert code == 0, err
    data = (tmp_path / "nginx.conf").read_bytes()
    assert hashlib.sha256(data).hexdigest() == image.manifest[3]["/etc/nginx/nginx.conf"]["sha256"]


def test_history_json_shows_the_versions(
    demo_server: DemoServer,
    web_root: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SNAPTUI_CACHE_DIR", str(tmp_path))
    code, out, err = _run(
        demo_server, capsys, "history", web_root[-1], "/etc/nginx/conf.d/legacy.conf", "--json"
    )
    assert code == 0, err
    rows = json.loads(out)["history"]
    present = [r["entry"] is not None for r in rows if r["snapshot"] in web_root]
    assert present == [False] * 7 + [True] * 7


@pytest.mark.parametrize(
    "argv",
    [
        ("ls", "snap-nothex!"),
        ("get", "snap-0123456789abcdef0", "/etc", "--to", "/nonexistent/dir"),
        ("history", "i-0123456789abcdef0", "/etc"),
        ("diff", "snap-0123456789abcdef0", "vol-0123456789abcdef0"),
    ],
)
def test_bad_usage_exits_2_before_any_call(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    # The endpoint is a closed port: any call would fail with 1, not 2.
    code = main(["files", argv[0], "--endpoint-url", "http://127.0.0.1:9", *argv[1:]])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("snaptui: ") and err.count("\n") == 1
