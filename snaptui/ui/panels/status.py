"""One line at the bottom: who, where, how much, how fresh, and what went wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from snaptui.core import fmt


@dataclass(slots=True)
class StatusFacts:
    profile: str = "default"
    endpoint: str = ""
    regions_done: int = 0
    regions_total: int = 0
    instances: int = 0
    volumes: int = 0
    snapshots: int = 0
    refreshed_at: datetime | None = None
    loading: bool = False
    read_only: bool = False
    problems: int = 0
    cost: str = ""  # "cost 12/40 edges" while computing, "$12.34/mo" when done
    cached: str = ""  # "cached 3h ago, refreshing" while rows come from the on-disk cache


def render_status(f: StatusFacts, now: datetime | None = None) -> Text:
    """Most important first, since a narrow terminal cuts the end off: mode, errors, cost."""
    t = Text(no_wrap=True, overflow="ellipsis")
    if f.read_only:
        t.append(" READ-ONLY ", style="bold black on yellow")
        t.append(" ")
    t.append(f.profile, style="bold")
    t.append(" │ ")
    if f.loading:
        t.append(f"loading {f.regions_done}/{f.regions_total} regions", style="italic")
    else:
        t.append(f"{f.regions_total} regions")
    if f.cached:
        t.append(" │ ")
        t.append(f.cached, style="bold yellow")
    if f.problems:
        t.append(" │ ")
        t.append(f"⚠ {f.problems} error{'s' if f.problems > 1 else ''} (e)", style="bold red")
    if f.cost:
        t.append(f" │ {f.cost}")
    t.append(f" │ {f.instances} inst · {f.volumes} vol · {f.snapshots} snap")
    if f.refreshed_at is not None:
        t.append(f" │ {fmt.age(f.refreshed_at, now or datetime.now(UTC))} ago")
    if f.endpoint:
        t.append(f" │ {f.endpoint}", style="dim")
    return t


class StatusLine(Static):
    """Renders ``facts``; the app assigns a new StatusFacts and the line redraws itself."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    facts: reactive[StatusFacts] = reactive(StatusFacts, layout=False)

    def __init__(self, clock: Callable[[], datetime], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._clock = clock

    def on_mount(self) -> None:
        # The "refreshed N ago" age has to tick even when nothing else happens.
        self.set_interval(1.0, self.refresh)

    def render(self) -> Text:
        return render_status(self.facts, self._clock())
