"""`snaptui cost` against the session's demo world: JSON/CSV figures, exit codes, stderr."""

from __future__ import annotations

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from snaptui.cli import main
from snaptui.cost.output import JSON_SCHEMA, SNAPSHOT_FIELDS
from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DemoServer


@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "demo")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "demo")
    monkeypatch.setenv("SNAPTUI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _run(server: DemoServer, *extra: str) -> int:
    return main(["cost", "--endpoint-url", server.endpoint_url, "--region", "us-east-1", *extra])


def test_json_report(
    demo_server: DemoServer,
    seeded: SeedReport,
    demo_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(demo_server, "--json", "--top", "3") == 0
    out, err = capsys.readouterr()
    assert err == ""
    doc = json.loads(out)
    assert doc["schema"] == JSON_SCHEMA and doc["live_prices"] is False
    assert [r["region"] for r in doc["regions"]] == ["us-east-1"]
    region = doc["regions"][0]
    assert region["price_per_gib_month"] == 0.05 and region["problems"] == []
    assert doc["totals"]["exact"] is True and doc["totals"]["monthly_cost"] > 0
    assert len(doc["lineages"]) == 3 and len(doc["top_snapshots"]) == 3
    snaps = {s["snapshot_id"]: s for s in doc["snapshots"]}
    assert set(seeded.orphan_snapshots) & set(snaps) <= set(doc["orphans"]["snapshot_ids"])
    assert doc["orphans"]["snapshot_ids"]
    row = snaps[doc["top_snapshots"][0]]
    assert set(row) == {*SNAPSHOT_FIELDS, "risks"} and row["exact"] is True
    # The risk flags, checked against the seed: its one public snapshot, flagged on its row.
    assert doc["risks"]["public"] == seeded.public and doc["risks"]["public_unknown_regions"] == []
    public = snaps[seeded.public[0]]
    assert "public" in public["risks"] and "unencrypted" in public["risks"]
    assert all("public" not in s["risks"] for sid, s in snaps.items() if sid not in seeded.public)
    assert row["monthly_cost"] == pytest.approx(row["incremental_bytes"] / 2**30 * 0.05, abs=1e-6)
    assert sum(s["incremental_bytes"] for s in snaps.values()) == doc["totals"]["bytes"]
    assert (demo_env / "diffs").is_dir()  # the cache went where it was told


def test_csv_and_text(
    demo_server: DemoServer,
    seeded: SeedReport,
    demo_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(demo_server, "--csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and set(rows[0]) == set(SNAPSHOT_FIELDS)
    assert {r["region"] for r in rows} == {"us-east-1"}
    assert _run(demo_server) == 0
    text = capsys.readouterr().out
    assert "EBS snapshot storage: $" in text and "Orphans" in text and "us-east-1" in text


def test_live_prices_fall_back_with_a_note(
    demo_server: DemoServer,
    seeded: SeedReport,
    demo_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(demo_server, "--json", "--live-prices") == 0
    out, err = capsys.readouterr()
    # The in-process moto server prints its own line for the API it lacks; the report follows.
    doc = json.loads(out[out.index("{\n") :])
    assert doc["live_prices"] is False and doc["notes"]
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("snaptui: note: live prices unavailable")


@pytest.mark.parametrize(
    "argv",
    [
        ["cost", "--region", "not-a-region", "--json"],
        ["cost", "--endpoint-url", "ftp://x", "--json"],
        ["cost", "--top", "0"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and err.startswith("snaptui: ")


def test_json_and_csv_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["cost", "--json", "--csv"])
    assert exit_.value.code == 2


class _Denied(BaseHTTPRequestHandler):
    """An endpoint that refuses every EC2 call, as a policy without ec2:Describe* would."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = (
            b"<Response><Errors><Error><Code>UnauthorizedOperation</Code>"
            b"<Message>not allowed</Message></Error></Errors><RequestID>r</RequestID></Response>"
        )
        self.send_response(403)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_failing_region_is_partial_with_one_line_errors(
    demo_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Denied)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        assert main(["cost", "--endpoint-url", url, "--region", "us-east-1", "--json"]) == 1
    finally:
        server.shutdown()
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["totals"]["snapshots"] == 0 and doc["regions"][0]["problems"]
    lines = err.strip().splitlines()
    assert lines and all(line.startswith("snaptui: us-east-1: access denied") for line in lines)
    assert "Traceback" not in err


def test_shared_outside_is_judged_only_when_asked(
    demo_server: DemoServer,
    seeded: SeedReport,
    demo_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(demo_server, "--json", "--no-cache") == 0
    risks = json.loads(capsys.readouterr().out)["risks"]
    assert risks["shared_outside"] is None and risks["sharing_checked"] == 0  # never "none"
    assert _run(demo_server, "--json", "--no-cache", "--check-sharing") == 0
    doc = json.loads(capsys.readouterr().out)
    snaps = {s["snapshot_id"]: s for s in doc["snapshots"]}
    # The seed shares one snapshot with an account outside; the public one is not "shared".
    assert doc["risks"]["shared_outside"] == seeded.shared
    assert doc["risks"]["sharing_checked"] == len(snaps)
    assert "shared_outside" in snaps[seeded.shared[0]]["risks"]
    assert _run(demo_server, "--no-cache") == 0
    assert "shared with accounts outside this view: not checked" in capsys.readouterr().out
