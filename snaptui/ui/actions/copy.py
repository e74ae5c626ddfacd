"""p: copy the highlighted snapshot to a region, optionally (re-)encrypted with a chosen key."""

from __future__ import annotations

import threading
from collections.abc import Callable

from snaptui.aws import copy as copy_ops
from snaptui.aws import kms
from snaptui.core import fmt, validate
from snaptui.models import Snapshot
from snaptui.ui.actions.common import checked, int_or_none, wait_options
from snaptui.ui.actions.context import ActionContext
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskFn, TaskResult

Keys = dict[str, kms.KmsKeys | None]


def run(ctx: ActionContext) -> None:
    snap = ctx.snapshot()
    if snap is None or not ctx.writable("Copy"):
        return
    regions = list(ctx.region_names or [snap.region])

    def load_keys() -> None:
        found: Keys = {}
        for region in regions:
            try:
                found[region] = kms.list_keys(ctx.aws, region)
            except Exception:  # no kms:ListKeys there: the key is typed instead
                found[region] = None
        ctx.call_from_thread(_copy_form, ctx, snap, regions, found)

    checked(
        ctx,
        snap.region,
        "CopySnapshot",
        {"SourceSnapshotId": snap.id, "SourceRegion": snap.region},
        lambda: ctx.start_job("kms keys", lambda _: load_keys(), group="kms"),
    )


def _fields(snap: Snapshot, regions: list[str], keys: Keys) -> list[Field]:
    options: list[tuple[str, str]] = [("the destination's default EBS key", "")]
    for region, found in keys.items():
        for choice in found.choices if found is not None else ():
            options.append((f"{region}: {choice.label}", f"{region}|{choice.arn}"))
    return [
        Field("region", "Destination region", kind="select", default=snap.region,
              options=[(r, r) for r in regions]),
        Field("description", "Description",
              default=copy_ops.default_description(snap.id, snap.region, snap.description)),
        Field("copy_tags", "Copy tags", kind="checkbox", default=True),
        Field("encrypt", "Encrypt (always on for an encrypted source)", kind="checkbox",
              default=snap.encrypted),
        Field("key", "KMS key (keys of the destination region)", kind="select", default="",
              options=options),
        Field("kms", "or a key ID, ARN or alias/... (overrides the list)", default=""),
        Field("minutes", "Finish within minutes (time-based: 15-2880, steps of 15; "
              "empty: standard)", default=""),
    ]  # fmt: skip


def _chosen_key(v: Values) -> str:
    if v["kms"]:
        return str(v["kms"])
    picked = str(v["key"] or "")
    return picked.split("|", 1)[1] if "|" in picked else ""


def _checker(regions: list[str], keys: Keys) -> Callable[[Values], dict[str, str]]:
    def check(v: Values) -> dict[str, str]:
        dest = str(v["region"] or "")
        try:
            minutes = validate.check_copy_minutes(int_or_none(v["minutes"]))
        except ValueError:
            minutes = {"minutes": "a whole number of minutes, or empty"}
        errors = (
            validate.merge(
                validate.check_region(dest, regions),
                validate.check_description(v["description"]),
                minutes,
            )
            or {}
        )
        picked = str(v["key"] or "")
        if picked and not v["kms"] and picked.split("|", 1)[0] != dest:
            errors["key"] = f"that key is in {picked.split('|', 1)[0]}; pick one in {dest}"
        found = keys.get(dest)
        if v["kms"] and found is not None:
            errors.update(validate.check_kms_key(str(v["kms"]), found.known_refs(), dest) or {})
            if "kms_key_id" in errors:
                errors["kms"] = errors.pop("kms_key_id")
        return errors

    return check


# What the AWS layer calls a refused field, as this form's keys.
FORM_KEYS = {"dest_region": "region", "kms_key_id": "kms"}


def _start(ctx: ActionContext, snap: Snapshot, v: Values) -> tuple[str, TaskFn, str]:
    key = _chosen_key(v)
    req = copy_ops.CopyRequest(
        snapshot_id=snap.id, source_region=snap.region, dest_region=v["region"],
        description=v["description"], copy_tags=v["copy_tags"],
        encrypt=bool(v["encrypt"]) or bool(key), kms_key_id=key,
        completion_minutes=int_or_none(v["minutes"]),
    )  # fmt: skip

    def task(progress: Progress, cancel: threading.Event) -> TaskResult:
        progress(f"CopySnapshot to {req.dest_region}", None)
        result = copy_ops.copy_snapshot(ctx.aws, req, wait_options(cancel, progress))
        key = f" (encrypted, {result.kms_key_id})" if result.encrypted else ""
        due = ""
        if result.due is not None:  # not waited for: AWS promises the time
            due = f"\ntime-based copy, pending, due {fmt.local_time(result.due)}"
        return TaskResult(True, f"{result.snapshot_id} in {result.region}{key}{due}", result)

    return f"Copy {snap.id}", task, str(v["region"])


def _copy_form(ctx: ActionContext, snap: Snapshot, regions: list[str], keys: Keys) -> None:
    def make_form(values: Values | None, errors: dict[str, str] | None) -> FormScreen:
        return FormScreen(
            f"Copy {snap.id}", _fields(snap, regions, keys), _checker(regions, keys),
            submit_label="Copy", values=values, errors=errors,
        )  # fmt: skip

    ctx.form_then_task(make_form, lambda v: _start(ctx, snap, v), FORM_KEYS)
