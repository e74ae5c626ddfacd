"""`snaptui cost` over several accounts (--profile repeated, --all-profiles, --org-role).

Each account is reviewed on its own context, a few at a time, and keeps its own problems: one
account that cannot be reached is reported as such and the others are printed. Accounts share
no stored blocks (a copy into another account is billed there in full), so the overall total
is the sum of the accounts' totals.
"""

from __future__ import annotations

import csv
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TextIO

from snaptui.aws.errors import problem_from
from snaptui.aws.identity import caller_account
from snaptui.aws.session import AwsContext
from snaptui.cli import exit_codes
from snaptui.cost.output import csv_rows, to_json_dict, totals_dict
from snaptui.cost.totals import Totals
from snaptui.headless import output
from snaptui.headless.cost_args import CostOptions
from snaptui.headless.cost_cmd import Review, cost_text, gather, render_text
from snaptui.models import Problem

# Its own shape (totals + accounts[], each one account's snaptui.cost/1 document plus its
# account), so a reader of one account's document is never handed this one unawares.
JSON_SCHEMA = "snaptui.cost.accounts/1"
_PARALLEL_ACCOUNTS = 4  # each account already runs its regions in parallel


@dataclass(slots=True)
class AccountReview:
    label: str
    account_id: str
    review: Review | None  # None: the account could not be reviewed at all
    problems: list[Problem]


def run(opts: CostOptions, contexts: list[AwsContext], problems: list[Problem], _: str) -> int:
    return review_accounts(opts, contexts, problems, sys.stdout)


def review_accounts(
    opts: CostOptions, contexts: list[AwsContext], problems: list[Problem], out: TextIO
) -> int:
    with ThreadPoolExecutor(min(_PARALLEL_ACCOUNTS, max(1, len(contexts)))) as pool:
        reviews = list(pool.map(lambda c: _review_one(opts, c), contexts))
    for p in problems:
        output.error(str(p))
    for r in reviews:
        for p in r.problems:
            output.error(f"account {r.label}: {p}")
        for note in r.review.account.notes if r.review else ():
            output.error(f"account {r.label}: note: {note}")
    if opts.json:
        json.dump(json_dict(reviews, opts.top), out, indent=2)
        out.write("\n")
    elif opts.csv:
        _write_csv(reviews, out)
    else:
        out.write(text(reviews, opts.top))
    failed = bool(problems) or any(r.problems for r in reviews)
    return exit_codes.PARTIAL if failed else exit_codes.OK


def _review_one(opts: CostOptions, ctx: AwsContext) -> AccountReview:
    label = ctx.profile_label
    try:
        r = gather(opts, ctx)
    except Exception as exc:  # credentials, AssumeRole denied: this account only
        return AccountReview(label, "unknown", None, [problem_from(exc)])
    return AccountReview(label, caller_account(ctx), r, r.problems)


def overall(reviews: list[AccountReview]) -> Totals:
    total = Totals()
    for r in reviews:
        if r.review is not None:
            total = total + r.review.account.totals()
    return total


def json_dict(reviews: list[AccountReview], top: int) -> dict[str, Any]:
    accounts: list[dict[str, Any]] = []
    for r in reviews:
        entry: dict[str, Any] = {"account": r.label, "account_id": r.account_id}
        if r.review is None:
            entry["error"] = "; ".join(str(p) for p in r.problems)
        else:
            entry |= to_json_dict(r.review.account, top=top)
        accounts.append(entry)
    return {"schema": JSON_SCHEMA, "totals": totals_dict(overall(reviews)), "accounts": accounts}


def _write_csv(reviews: list[AccountReview], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    wrote_header = False
    for r in reviews:
        if r.review is None:
            continue
        header, rows = csv_rows(r.review.account)
        if not wrote_header:
            writer.writerow(["account", "account_id", *header])
            wrote_header = True
        writer.writerows([r.label, r.account_id, *row] for row in rows)


def text(reviews: list[AccountReview], top: int) -> str:
    total = overall(reviews)
    lines = [
        f"EBS snapshot storage, {len(reviews)} accounts: {cost_text(total)}/month, "
        f"{total.snapshots} snapshots",
        "",
        f"{'ACCOUNT':<36} {'SNAPSHOTS':>9}  $/MONTH",
    ]
    for r in reviews:
        name = r.label[:36]
        if r.review is None:
            lines.append(f"{name:<36} {'-':>9}  not reviewed (see errors)")
            continue
        t = r.review.account.totals()
        lines.append(f"{name:<36} {t.snapshots:>9}  {cost_text(t)}")
    lines.append(f"{'TOTAL':<36} {total.snapshots:>9}  {cost_text(total)}")
    for r in reviews:
        if r.review is not None:
            named = r.label if r.account_id in r.label else f"{r.label} ({r.account_id})"
            lines += ["", f"== account {named} ==", ""]
            lines.append(render_text(r.review.account, top).rstrip("\n"))
    return "\n".join(lines) + "\n"
