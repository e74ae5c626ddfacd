"""Several accounts in the UI: one account's panes at a time, and `:accounts` to switch.

The app shows one account (its context, caches, state and jobs); switching ends that app
and starts a fresh one on the chosen account (ui/launch.py), whose inventory cache paints
at once. The book outlives the apps: it holds every account's context and the figures each
account showed when it was last open, so the accounts screen lists them side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from snaptui.aws.session import AwsContext
from snaptui.models import Problem


@dataclass(frozen=True, slots=True)
class AccountFigures:
    """What an account's status line said when it was last open."""

    snapshots: int
    cost: str  # "$12.34/mo", "~$…" or "" before a cost run finished
    problems: int
    monthly: float | None = None  # the cost run's total (its upper bound when not exact)
    exact: bool = True


def overall_text(figures: list[AccountFigures | None]) -> str:
    """The overall line: a sum only when every account has a finished cost run."""
    done = [f for f in figures if f is not None and f.monthly is not None]
    snaps = sum(f.snapshots for f in figures if f is not None)
    if len(done) < len(figures):
        return f"Overall: {len(done)} of {len(figures)} accounts costed so far"
    total = sum(f.monthly or 0.0 for f in done)
    approx = "" if all(f.exact for f in done) else "~"
    return f"Overall: {snaps} snaps  {approx}${total:,.2f}/mo"


@dataclass
class AccountBook:
    contexts: list[AwsContext]
    problems: list[Problem] = field(default_factory=list)  # accounts kept out (organization)
    current: int = 0
    switch_to: int | None = None  # set by `:accounts`; the launcher opens that account next
    seen: dict[int, AccountFigures] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [c.profile_label for c in self.contexts]
