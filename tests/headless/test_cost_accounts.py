"""`snaptui cost` over several accounts: the demo organization's two accounts (--org-role), and
profiles from an AWS config file (--profile repeated, --all-profiles).

Each account's figures are checked against that account reviewed alone, the overall total
against the sum, and the member's snapshots against what the member account holds, as a
client signed with the member's own assumed-role keys sees it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from snaptui.aws.session import AwsContext
from snaptui.cli import main
from snaptui.demo.seed import SeedReport
from snaptui.demo.seed_org import ORG_ROLE
from snaptui.demo.server import DEMO_ACCOUNT, DemoServer
from snaptui.headless.cost_accounts import review_accounts
from snaptui.headless.cost_args import CostOptions
from tests.headless.test_cost_cmd import _run as _cost  # `cost` on the demo, us-east-1
from tests.headless.test_cost_cmd import demo_env as demo_env  # the same fixture
from tests.helpers import member_snapshots


def test_org_role_reviews_every_account_with_its_own_totals(
    demo_server: DemoServer,
    seeded: SeedReport,
    demo_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _cost(demo_server, "--json") == 0
    alone = json.loads(capsys.readouterr().out)
    assert _cost(demo_server, "--json", "--org-role", ORG_ROLE) == 0
    out, err = capsys.readouterr()
    assert err == ""
    doc = json.loads(out)
    assert doc["schema"] == "snaptui.cost.accounts/1" and alone["schema"] == "snaptui.cost/1"
    (member,) = seeded.members
    by_id = {a["account_id"]: a for a in doc["accounts"]}
    assert set(by_id) == {DEMO_ACCOUNT, member}
    home, dev = by_id[DEMO_ACCOUNT], by_id[member]
    assert dev["account"] == f"demo-dev ({member})"
    # The home account's figures are the ones it has alone; the member's are its own.
    assert home["totals"] == alone["totals"]
    dev_ids = {s["snapshot_id"] for s in dev["snapshots"]}
    assert dev_ids == member_snapshots(demo_server, member)
    assert dev_ids.isdisjoint(s["snapshot_id"] for s in home["snapshots"])
    assert set(seeded.members[member].orphan_snapshots) <= set(dev["orphans"]["snapshot_ids"])
    total = doc["totals"]
    assert total["snapshots"] == home["totals"]["snapshots"] + dev["totals"]["snapshots"]
    assert total["monthly_cost"] == pytest.approx(
        home["totals"]["monthly_cost"] + dev["totals"]["monthly_cost"]
    )


def test_org_role_text_has_a_line_per_account_and_the_total(
    demo_server: DemoServer,
    seeded: SeedReport,
    demo_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _cost(demo_server, "--org-role", ORG_ROLE, "--top", "2") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("EBS snapshot storage, 2 accounts: $")
    (member,) = seeded.members
    table = lines[2:6]
    assert table[0].split() == ["ACCOUNT", "SNAPSHOTS", "$/MONTH"]
    assert table[1].startswith("master (123456789012)")
    assert table[2].startswith(f"demo-dev ({member})")
    assert table[3].startswith("TOTAL")
    assert f"== account demo-dev ({member}) ==" in lines


def _config(tmp: Path, *profiles: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "config"
    path.write_text(
        "".join(
            f"[profile {p}]\naws_access_key_id = demo\naws_secret_access_key = demo\n"
            f"region = us-east-1\n"
            for p in profiles
        )
    )
    return path


def test_profiles_are_accounts_and_all_profiles_reads_the_config(
    demo_server: DemoServer,
    seeded: SeedReport,
    demo_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(_config(demo_env, "ops", "audit")))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(demo_env / "none"))
    assert _cost(demo_server, "--json", "--profile", "ops", "--profile", "audit") == 0
    doc = json.loads(capsys.readouterr().out)
    assert [a["account"] for a in doc["accounts"]] == ["ops", "audit"]
    assert _cost(demo_server, "--json", "--all-profiles") == 0
    doc = json.loads(capsys.readouterr().out)
    assert [a["account"] for a in doc["accounts"]] == ["audit", "ops"]


def test_an_unreachable_account_stays_on_that_account(
    demo_target: object,
    demo_server: DemoServer,
    seeded: SeedReport,
    demo_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dataclasses import replace

    from snaptui.aws.session import AwsTarget

    assert isinstance(demo_target, AwsTarget)
    good = replace(demo_target, regions=("us-east-1",), account_label="prod")
    # Nothing listens on port 9 of loopback: every call of this account fails to connect.
    dead = replace(good, endpoint_url="http://127.0.0.1:9", account_label="lost", max_attempts=1)
    out = io.StringIO()
    opts = CostOptions(json=True, cache_dir=demo_env / "c")
    code = review_accounts(opts, [AwsContext(good), AwsContext(dead)], [], out)
    assert code == 1
    doc = json.loads(out.getvalue())
    prod, lost = doc["accounts"]
    assert prod["totals"]["snapshots"] > 0 and prod["regions"][0]["problems"] == []
    assert lost["totals"]["snapshots"] == 0
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith("snaptui: account lost: ") for line in err)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["cost", "--all-profiles", "--profile", "a"], "exclude each other"),
        (["cost", "--org-role", "bad/role"], "not an IAM role name"),
        (["cost", "--org-role", "R", "--profile", "a", "--profile", "b"], "one profile"),
        (["--demo", "cost", "--all-profiles"], "--demo has no profiles"),
        (["prune", "--all", "--policy", "p", "--keep-daily", "1", "--all-profiles"], "one account"),
        (["snapshot", "--volume", "vol-12345678", "--profile", "a", "--profile", "b"], "one"),
        # No abbreviations: `--all` is not `--all-profiles` (nor `--org` `--org-role`).
        (["snapshot", "--volume", "vol-12345678", "--all"], "unrecognized arguments: --all"),
        (["cost", "--org", "R"], "unrecognized arguments: --org"),
    ],
)
def test_account_flags_are_checked_before_anything_is_sent(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors (one line, exit 2 as well)
        code = int(exc.code or 0)
    assert code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and says in err
