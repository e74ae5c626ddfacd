"""v: create a volume from the highlighted snapshot (type, size, IOPS, throughput, KMS key)."""

from __future__ import annotations

import threading

from snaptui.aws import volumes as volume_ops
from snaptui.core import fmt, validate
from snaptui.core.browse import Fleet
from snaptui.core.validate import INIT_RATE_MIBS, VolumeSpec
from snaptui.models import Snapshot
from snaptui.ui.actions.common import (
    VOLUME_TYPES,
    checked,
    form_errors,
    int_or_none,
    wait_options,
)
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskFn, TaskResult


def init_rate_help(snap: Snapshot) -> str:
    """How long the snapshot's data takes at the slowest and fastest provisioned rate."""
    data = snap.full_size_bytes or snap.volume_size_gib * 1024**3
    low, high = INIT_RATE_MIBS
    at = [f"{fmt.span(data / (rate * 1024**2))} at {rate}" for rate in (low, high)]
    return f"{fmt.size(data)} of data: {', '.join(at)}; AWS bills the rate per GiB"


def fast_restored_azs(fleet: Fleet, snap: Snapshot) -> list[str]:
    """AZs where a volume of it is fully initialized at creation (fast restore enabled)."""
    inv = fleet.inventories.get(snap.region)
    states = (inv.fast_restores or {}) if inv else {}
    return [r.az for r in states.get(snap.id, ()) if r.state == "enabled"]


def _volume_fields(snap: Snapshot, az: str) -> list[Field]:
    return [
        Field("az", "Availability zone", default=az),
        Field("type", "Volume type", kind="select", default="gp3", options=VOLUME_TYPES),
        Field("size", f"Size GiB (at least {snap.volume_size_gib})",
              default=str(snap.volume_size_gib)),
        Field("iops", "IOPS (gp3/io1/io2; empty: default)", default=""),
        Field("throughput", "Throughput MiB/s (gp3; empty: default)", default=""),
        Field("kms", "KMS key (empty: the default key when encrypted)", default=""),
        Field("init_rate", "Initialization rate MiB/s (100-300; empty: default)",
              default="", help=init_rate_help(snap)),
    ]  # fmt: skip


def _spec(v: Values, encrypted: bool) -> tuple[VolumeSpec | None, dict[str, str]]:
    try:
        spec = VolumeSpec(
            az=v.get("az", "") or "", volume_type=v["type"] or "gp3",
            size_gib=int_or_none(v["size"]), iops=int_or_none(v["iops"]),
            throughput=int_or_none(v["throughput"]), encrypted=encrypted or bool(v["kms"]),
            kms_key_id=v["kms"], init_rate=int_or_none(v.get("init_rate", "")),
        )  # fmt: skip
    except ValueError:
        return None, {"size": "size, IOPS, throughput and rate are whole numbers"}
    return spec, {}


def _start(ctx: ActionContext, snap: Snapshot, v: Values) -> tuple[str, TaskFn, str]:
    spec, _ = _spec(v, snap.encrypted)
    assert spec is not None

    def task(progress: Progress, cancel: threading.Event) -> TaskResult:
        progress("CreateVolume", None)
        vol = volume_ops.create_volume(
            ctx.aws, snap.region, snap.id, spec, {"Name": f"from-{snap.id}"},
            wait=wait_options(cancel, progress),
        )  # fmt: skip
        return TaskResult(True, f"{vol.id} in {vol.az} ({vol.size_gib} GiB {vol.volume_type})", vol)

    return f"Volume from {snap.id}", task, snap.region


def run(ctx: ActionContext) -> None:
    snap = ctx.snapshot()
    if snap is None or not ctx.writable("Create volume"):
        return
    fast = fast_restored_azs(ctx.fleet, snap)
    # A fast-restored AZ first: a volume there has its full performance at once.
    default_az = fast[0] if fast else f"{snap.region}a"
    fields = _volume_fields(snap, default_az)
    intro = (
        f"Fast restore is enabled in {', '.join(fast)}: a volume there needs no "
        "initialization (a rate set below would be used instead)."
        if fast
        else ""
    )

    def check(v: Values) -> dict[str, str]:
        spec, errors = _spec(v, snap.encrypted)
        if spec is None:
            return errors
        return form_errors(
            validate.merge(
                validate.check_volume(spec, snap.volume_size_gib),
                # The AZ is checked against DescribeAvailabilityZones before CreateVolume.
                None if spec.az else {"az": "choose an availability zone"},
            )
        )

    def make_form(values: Values | None, errors: dict[str, str] | None) -> FormScreen:
        return FormScreen(
            f"Create volume from {snap.id}", fields, check, submit_label="Create",
            values=values, errors=form_errors(errors) if errors else None, intro=intro,
        )  # fmt: skip

    checked(
        ctx,
        snap.region,
        "CreateVolume",
        {"AvailabilityZone": default_az, "SnapshotId": snap.id},
        lambda: ctx.form_then_task(make_form, lambda v: _start(ctx, snap, v)),
    )
