""":fsr / :fsr-off — fast snapshot restore of the highlighted snapshot, per AZ.

A volume made from a fast-restored snapshot in that AZ has its full performance at once
(no first-read latency while blocks come from S3). It costs one DSU-hour ($0.75) per snapshot
per AZ while on, so the form says the price before anything is sent; what AWS says now
(DescribeFastSnapshotRestores, the region's AZs) is asked off the event loop first.
"""

from __future__ import annotations

from snaptui.aws import fast_restore, lookup
from snaptui.aws.errors import problem_from
from snaptui.core import fmt, validate
from snaptui.core.protection import FSR_DSU_HOUR_USD, HOURS_A_MONTH
from snaptui.models import FastRestore, Snapshot
from snaptui.ui.actions.common import one_call
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.form import Field, FormScreen, Values

PRICE = (
    f"Each AZ costs {fmt.money(FSR_DSU_HOUR_USD)} an hour while on "
    f"({fmt.money(FSR_DSU_HOUR_USD * HOURS_A_MONTH)} a month), billed by the hour. Volumes "
    "made there need no initialization. Optimizing takes about an hour per TiB; a region "
    "allows 5 snapshots with it by default."
)


def _now_text(now: tuple[FastRestore, ...]) -> str:
    shown = [f"{r.az} {r.state}" for r in now if r.state != "disabled"]
    return "Fast restore now: " + (", ".join(shown) if shown else "off in every AZ")


def run(ctx: ActionContext, *, enable: bool = True) -> None:
    snap = ctx.snapshot()
    verb = "Fast restore" if enable else "Fast restore off"
    if snap is None or not ctx.writable(verb):
        return

    def ask() -> None:
        try:
            now = fast_restore.states(ctx.aws, snap.region, snap.id)
            zones = lookup.availability_zones(ctx.aws, snap.region)
        except Exception as exc:  # said where it happened, never raised into the UI
            problem = problem_from(exc, snap.region, "DescribeFastSnapshotRestores")
            ctx.call_from_thread(failed, str(problem))
            return
        ctx.call_from_thread(answered, now, zones)

    def failed(why: str) -> None:
        ctx.notify(why, title=verb, severity="error", timeout=10)

    def answered(now: tuple[FastRestore, ...], zones: list[str]) -> None:
        on = [r.az for r in now if r.state in fast_restore.ON_STATES]
        if not enable and not on:
            ctx.notify(f"{snap.id}: fast restore is off in every AZ", title=verb, timeout=8)
            return
        _form(ctx, snap, now, zones, on, enable)

    ctx.start_job("fast-restore", lambda _: ask(), group="fast-restore")


def _default_az(ctx: ActionContext, snap: Snapshot, zones: list[str], on: list[str]) -> str:
    """Where a restore would go: the source volume's AZ, else the region's first."""
    volume = ctx.fleet.volumes_by_id.get(snap.volume_id)
    if volume is not None and volume.region == snap.region and volume.az not in on:
        return volume.az
    free = [z for z in zones if z not in on]
    return free[0] if free else ""


def _form(
    ctx: ActionContext,
    snap: Snapshot,
    now: tuple[FastRestore, ...],
    zones: list[str],
    on: list[str],
    enable: bool,
) -> None:
    default = _default_az(ctx, snap, zones, on) if enable else ", ".join(on)
    help_text = "comma-separated; " + ("on now: " + ", ".join(on) if not enable else
                                       "this region's: " + ", ".join(zones))  # fmt: skip
    fields = [Field("azs", "Availability zones", default=default, help=help_text)]

    def check(v: Values) -> dict[str, str]:
        azs = validate.parse_azs(str(v["azs"]))
        return validate.check_fast_restore(azs, snap.region, zones, on, enable=enable) or {}

    def submitted(v: Values | None) -> None:
        if v is not None:
            _send(ctx, snap, validate.parse_azs(str(v["azs"])), enable)

    intro = _now_text(now) + (". " + PRICE if enable else ". Turning it off stops the charge.")
    title = f"{'Fast restore' if enable else 'Fast restore off'}: {snap.id}"
    label = "Enable" if enable else "Disable"
    ctx.push_screen(FormScreen(title, fields, check, intro=intro, submit_label=label), submitted)


def _send(ctx: ActionContext, snap: Snapshot, azs: list[str], enable: bool) -> None:
    op = "EnableFastSnapshotRestores" if enable else "DisableFastSnapshotRestores"
    where = ", ".join(azs)
    task = one_call(
        f"{op} in {where}",
        lambda: fast_restore.set_fast_restore(ctx.aws, snap.region, snap.id, azs, enable=enable),
        f"{snap.id}: fast restore {'enabling' if enable else 'disabling'} in {where}",
    )
    ctx.run(f"Fast restore {'on' if enable else 'off'}: {snap.id}", task, snap.region)


def disable(ctx: ActionContext) -> None:
    run(ctx, enable=False)
