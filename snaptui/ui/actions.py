"""The actions behind the keys: a validated form, a confirmation when destructive, then a task.

Each action is: pick what it acts on from the panes → FormScreen (defaults filled in, pure
checks from core.validate beside each field; nothing is sent while a message shows) →
ConfirmScreen for anything destructive → TaskScreen running the blocking snaptui.aws call in
a thread with progress → refresh only the region that changed.

Read-only mode is refused here first (a clear message) and again in the AWS layer itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from snaptui.aws import copy as copy_ops
from snaptui.aws import kms, snapshot_ops, tiering
from snaptui.aws import launch as launch_ops
from snaptui.aws import restore as restore_ops
from snaptui.aws import volumes as volume_ops
from snaptui.aws.permissions import dry_run_allowed
from snaptui.aws.waiting import WaitOptions
from snaptui.core import fmt, validate
from snaptui.core import tags as tag_rules
from snaptui.core.browse import Fleet
from snaptui.core.ownership import copyable_tags
from snaptui.core.validate import VolumeSpec
from snaptui.cost.pricing import bundled_prices, price_for
from snaptui.models import Instance, Snapshot, Volume
from snaptui.ui.dialogs.confirm import ConfirmScreen
from snaptui.ui.dialogs.form import Field, FormScreen, Values
from snaptui.ui.dialogs.task import Progress, TaskResult, TaskScreen

if TYPE_CHECKING:
    from snaptui.ui.app import SnapApp

QUIESCE_ADVICE = (
    "EBS snapshots are crash-consistent. For an application-consistent one, flush and freeze "
    "the filesystem (fsfreeze -f /mnt/data) or stop the database first, and unfreeze after "
    "the snapshot has started."
)
VOLUME_TYPES = [(t, t) for t in ("gp3", "gp2", "io2", "io1", "st1", "sc1", "standard")]


def parse_tags(text: str) -> tuple[dict[str, str], str | None]:
    """'k=v, k2=v2' -> dict; an error message for a malformed pair."""
    try:
        return tag_rules.parse_tag_list(text), None
    except ValueError as exc:
        return {}, str(exc)


# core.validate names fields after the API's; the forms use short keys.
_FORM_KEYS = {"size_gib": "size", "volume_type": "type", "kms_key_id": "kms"}


def form_errors(errors: dict[str, str] | None) -> dict[str, str]:
    return {_FORM_KEYS.get(k, k): v for k, v in (errors or {}).items()}


def _int_or_none(text: str) -> int | None:
    text = str(text).strip()
    return int(text) if text else None


def _wait(cancel: threading.Event, progress: Progress) -> WaitOptions:
    return WaitOptions(cancel=cancel, progress=lambda step: progress(step, None))


class Actions:
    """Key handlers that need the app: what is highlighted, the fleet, the AWS context."""

    def __init__(self, app: SnapApp) -> None:
        self.app = app

    # --- what the action acts on -----------------------------------------------------------

    @property
    def fleet(self) -> Fleet:
        return self.app.fleet

    def _snapshot(self) -> Snapshot | None:
        row = self.app.pane("snapshots").cursor_row
        if isinstance(row, Snapshot):
            return row
        self.app.notify("Highlight a snapshot first (4 focuses the snapshots)", severity="warning")
        return None

    def _writable(self, what: str) -> bool:
        if self.app.ctx.target.read_only:
            self.app.notify(
                f"{what}: refused, snaptui runs with --read-only", severity="error", timeout=5
            )
            return False
        return True

    def _checked(
        self, region: str, operation: str, params: dict[str, Any], then: Callable[[], object]
    ) -> None:
        """Ask EC2 with DryRun whether the action is allowed, off the event loop, then go on.

        A denied action is reported as unavailable, with AWS's reason, before any dialog.
        """
        app = self.app

        def ask() -> None:
            allowed, reason = dry_run_allowed(app.ctx, region, operation, params)
            app.call_from_thread(answered, allowed, reason)

        def answered(allowed: bool, reason: str) -> None:
            if allowed:
                then()
            else:
                app.notify(
                    f"{operation} is unavailable here: {reason}",
                    title="Not allowed",
                    severity="error",
                    timeout=10,
                )

        app.jobs.start("dry-run", lambda _: ask(), group="dry-run")

    def _run(self, title: str, fn: Any, region: str) -> None:
        def done(result: TaskResult | None) -> None:
            if result is not None and (result.ok or result.stopped):
                self.app.reload_region(region)

        self.app.push_screen(TaskScreen(title, fn), done)

    # --- create snapshot ---------------------------------------------------------------------

    def create_snapshot(self) -> None:
        """Of the highlighted volume, or a crash-consistent set of the highlighted instance."""
        if not self._writable("Create snapshot"):
            return
        focused = self.app.focused
        pane_id = getattr(focused, "id", "")
        row = getattr(focused, "cursor_row", None)
        instance: Instance | None = (
            row if pane_id == "instances" and isinstance(row, Instance) else None
        )
        volume: Volume | None = row if pane_id == "volumes" and isinstance(row, Volume) else None
        if instance is None and volume is None:
            snap = self.app.pane("snapshots").cursor_row
            if isinstance(snap, Snapshot):
                volume = self.fleet.volumes_by_id.get(snap.volume_id)
        if instance is None and volume is None:
            self.app.notify("Highlight a volume or an instance to snapshot", severity="warning")
            return
        target = instance or volume
        assert target is not None
        fields = [
            Field("description", "Description", default=f"snaptui {target.name or target.id}"),
            Field("name", "Name tag", default=target.name),
            Field("tags", "Other tags (key=value, ...)", placeholder="team=ops, ticket=OPS-1"),
            Field("copy_tags", "Copy the volume's tags", kind="checkbox", default=True),
        ]
        if instance is not None:
            fields.append(Field("exclude_root", "Exclude the root volume", kind="checkbox"))

        def check(v: Values) -> dict[str, str]:
            tags, err = parse_tags(v["tags"])
            if err:
                return {"tags": err}
            if v["name"]:
                tags["Name"] = v["name"]
            return (
                validate.merge(
                    validate.check_tags(tags), validate.check_description(v["description"])
                )
                or {}
            )

        what = (
            f"instance {instance.name or instance.id} (all volumes, crash-consistent)"
            if instance
            else f"volume {target.id}"
        )

        def submitted(v: Values | None) -> None:
            if v is None:
                return
            own_tags, _ = parse_tags(v["tags"])
            if v["name"]:
                own_tags["Name"] = v["name"]
            region = target.region

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                ctx = self.app.ctx
                tags = dict(own_tags)
                if instance is not None:
                    progress("CreateSnapshots (one point in time for every volume)", None)
                    created = snapshot_ops.create_instance_snapshots(
                        ctx, region, instance.id, v["description"], tags,
                        exclude_root=bool(v.get("exclude_root")),
                    )  # fmt: skip
                else:
                    assert volume is not None
                    if v["copy_tags"]:
                        tags = {
                            **copyable_tags(volume.tags),
                            **tags,
                        }
                    progress("CreateSnapshot", None)
                    created = [
                        snapshot_ops.create_volume_snapshot(
                            ctx, region, volume.id, v["description"], tags
                        )
                    ]
                ids = [c.snapshot_id for c in created]
                progress(f"waiting for {len(ids)} snapshot(s) to complete", None)
                problem = snapshot_ops.wait_completed(
                    ctx, region, ids, timeout_s=3600, cancel=cancel
                )
                text = "\n".join(ids)
                if problem is not None:
                    return TaskResult(False, f"{text}\n{problem}")
                return TaskResult(True, text, ids)

            self._run(f"Snapshot {what}", task, region)

        form = FormScreen(
            f"Create snapshot of {what}", fields, check, intro=QUIESCE_ADVICE, submit_label="Create"
        )
        params: dict[str, Any]
        if instance is not None:
            op, params = "CreateSnapshots", {"InstanceSpecification": {"InstanceId": instance.id}}
        else:
            op, params = "CreateSnapshot", {"VolumeId": target.id}
        self._checked(target.region, op, params, lambda: self.app.push_screen(form, submitted))

    # --- delete ------------------------------------------------------------------------------

    def delete(self) -> None:
        pane = self.app.pane("snapshots")
        targets: list[Snapshot] = list(pane.marked_rows()) or (
            [pane.cursor_row] if isinstance(pane.cursor_row, Snapshot) else []
        )
        if not targets:
            self.app.notify("Highlight or mark (space) snapshots to delete", severity="warning")
            return
        if not self._writable("Delete"):
            return
        in_use = {s.id: self.fleet.images_using(s.id) for s in targets}
        blocked = {sid: imgs for sid, imgs in in_use.items() if imgs}
        if blocked:
            lines = [
                f"{sid}: used by {', '.join(i.id + ' ' + i.name for i in imgs)}"
                for sid, imgs in blocked.items()
            ]
            self.app.notify(
                "Cannot delete: a registered AMI uses it. Deregister the AMI first.\n"
                + "\n".join(lines),
                title="Delete refused",
                severity="error",
                timeout=10,
            )
            return
        ids = [s.id for s in targets]
        body = Text()
        body.append(f"Delete {len(ids)} snapshot(s):\n", style="bold")
        for s in targets[:8]:
            body.append(
                f"  {s.id}  {fmt.age(s.start_time, self.app.clock())}  {s.name or s.description}\n"
            )
        if len(targets) > 8:
            body.append(f"  … and {len(targets) - 8} more\n")
        freed = self.app.freed_text(ids)
        body.append(f"\nFrees: {freed}\n" if freed else "\nWhat it frees is not computed yet.\n")
        only_copy = [s for s in targets if self._last_of_lineage(s, set(ids))]
        if only_copy:
            body.append(
                f"{len(only_copy)} of them leave their volume with no snapshot at all.\n",
                style="bold red",
            )
        # Several, or the last copy of a volume's data: type to confirm (claws-style).
        typed = str(len(ids)) if len(ids) > 1 else (ids[0] if only_copy else None)
        regions = {s.region for s in targets}

        def confirmed(ok: bool | None) -> None:
            if not ok:
                return

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                done, failed = [], []
                for n, s in enumerate(targets):
                    if cancel.is_set():
                        break
                    progress(f"DeleteSnapshot {s.id}", n / len(targets))
                    try:
                        snapshot_ops.delete_snapshot(self.app.ctx, s.region, s.id)
                        done.append(s.id)
                    except Exception as exc:  # keep going: report each failure
                        from snaptui.aws.errors import problem_from

                        failed.append(f"{s.id}: {problem_from(exc, s.region, 'DeleteSnapshot')}")
                text = f"deleted {len(done)}" + ("".join(f"\n{f}" for f in failed))
                return TaskResult(not failed, text, done)

            def after(result: TaskResult | None) -> None:
                for region in regions:
                    self.app.reload_region(region)
                pane.clear_marks()

            self.app.push_screen(TaskScreen("Delete snapshots", task), after)

        first = targets[0]
        self._checked(
            first.region,
            "DeleteSnapshot",
            {"SnapshotId": first.id},
            lambda: self.app.push_screen(
                ConfirmScreen("Delete snapshots", body, require_typed=typed), confirmed
            ),
        )

    def _last_of_lineage(self, snap: Snapshot, deleting: set[str]) -> bool:
        if not self.fleet.volume_exists(snap):
            siblings = [snap]
        else:
            siblings = self.fleet.snapshots_by_volume.get(snap.volume_id, [])
        return all(s.id in deleting for s in siblings if s.region == snap.region)

    # --- copy --------------------------------------------------------------------------------

    def copy(self) -> None:
        snap = self._snapshot()
        if snap is None or not self._writable("Copy"):
            return
        regions = list(self.app.region_names or [snap.region])
        app = self.app

        def load_keys() -> None:
            found: dict[str, kms.KmsKeys | None] = {}
            for region in regions:
                try:
                    found[region] = kms.list_keys(app.ctx, region)
                except Exception:  # no kms:ListKeys there: the key is typed instead
                    found[region] = None
            app.call_from_thread(self._copy_form, snap, regions, found)

        self._checked(
            snap.region,
            "CopySnapshot",
            {"SourceSnapshotId": snap.id, "SourceRegion": snap.region},
            lambda: app.jobs.start("kms keys", lambda _: load_keys(), group="kms"),
        )

    def _copy_form(
        self, snap: Snapshot, regions: list[str], keys: dict[str, kms.KmsKeys | None]
    ) -> None:
        options: list[tuple[str, str]] = [("the destination's default EBS key", "")]
        for region, found in keys.items():
            for choice in found.choices if found is not None else ():
                options.append((f"{region}: {choice.label}", f"{region}|{choice.arn}"))
        fields = [
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
        ]  # fmt: skip

        def chosen_key(v: Values) -> str:
            if v["kms"]:
                return str(v["kms"])
            picked = str(v["key"] or "")
            return picked.split("|", 1)[1] if "|" in picked else ""

        def check(v: Values) -> dict[str, str]:
            dest = str(v["region"] or "")
            errors = (
                validate.merge(
                    validate.check_region(dest, regions),
                    validate.check_description(v["description"]),
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

        def submitted(v: Values | None) -> None:
            if v is None:
                return
            key = chosen_key(v)
            req = copy_ops.CopyRequest(
                snapshot_id=snap.id, source_region=snap.region, dest_region=v["region"],
                description=v["description"], copy_tags=v["copy_tags"],
                encrypt=bool(v["encrypt"]) or bool(key), kms_key_id=key,
            )  # fmt: skip

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                progress(f"CopySnapshot to {req.dest_region}", None)
                result = copy_ops.copy_snapshot(self.app.ctx, req, _wait(cancel, progress))
                key = f" (encrypted, {result.kms_key_id})" if result.encrypted else ""
                return TaskResult(True, f"{result.snapshot_id} in {result.region}{key}", result)

            self._run(f"Copy {snap.id}", task, v["region"])

        self.app.push_screen(
            FormScreen(f"Copy {snap.id}", fields, check, submit_label="Copy"), submitted
        )

    # --- create volume / restore a file ----------------------------------------------------------

    def _volume_fields(self, snap: Snapshot, az: str) -> list[Field]:
        return [
            Field("az", "Availability zone", default=az),
            Field("type", "Volume type", kind="select", default="gp3", options=VOLUME_TYPES),
            Field("size", f"Size GiB (at least {snap.volume_size_gib})",
                  default=str(snap.volume_size_gib)),
            Field("iops", "IOPS (gp3/io1/io2; empty: default)", default=""),
            Field("throughput", "Throughput MiB/s (gp3; empty: default)", default=""),
            Field("kms", "KMS key (empty: the default key when encrypted)", default=""),
        ]  # fmt: skip

    @staticmethod
    def _spec(v: Values, encrypted: bool) -> tuple[VolumeSpec | None, dict[str, str]]:
        try:
            spec = VolumeSpec(
                az=v.get("az", "") or "", volume_type=v["type"] or "gp3",
                size_gib=_int_or_none(v["size"]), iops=_int_or_none(v["iops"]),
                throughput=_int_or_none(v["throughput"]), encrypted=encrypted or bool(v["kms"]),
                kms_key_id=v["kms"],
            )  # fmt: skip
        except ValueError:
            return None, {"size": "size, IOPS and throughput are whole numbers"}
        return spec, {}

    def create_volume(self) -> None:
        snap = self._snapshot()
        if snap is None or not self._writable("Create volume"):
            return
        default_az = f"{snap.region}a"
        fields = self._volume_fields(snap, default_az)

        def check(v: Values) -> dict[str, str]:
            spec, errors = self._spec(v, snap.encrypted)
            if spec is None:
                return errors
            return form_errors(
                validate.merge(
                    validate.check_volume(spec, snap.volume_size_gib),
                    # The AZ is checked against DescribeAvailabilityZones before CreateVolume.
                    None if spec.az else {"az": "choose an availability zone"},
                )
            )

        def submitted(v: Values | None) -> None:
            if v is None:
                return
            spec, _ = self._spec(v, snap.encrypted)
            assert spec is not None

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                progress("CreateVolume", None)
                vol = volume_ops.create_volume(
                    self.app.ctx, snap.region, snap.id, spec, {"Name": f"from-{snap.id}"},
                    wait=_wait(cancel, progress),
                )  # fmt: skip
                return TaskResult(
                    True, f"{vol.id} in {vol.az} ({vol.size_gib} GiB {vol.volume_type})", vol
                )

            self._run(f"Volume from {snap.id}", task, snap.region)

        self._checked(
            snap.region,
            "CreateVolume",
            {"AvailabilityZone": default_az, "SnapshotId": snap.id},
            lambda: self.app.push_screen(
                FormScreen(f"Create volume from {snap.id}", fields, check, submit_label="Create"),
                submitted,
            ),
        )

    def restore(self) -> None:
        """Snapshot → volume in the target instance's AZ → attached → mount commands."""
        snap = self._snapshot()
        if snap is None or not self._writable("Restore"):
            return
        instances = [
            i
            for i in self.fleet.instances_by_id.values()
            if i.region == snap.region and i.state in ("running", "stopped")
        ]
        here = getattr(self.app, "host_instance", None)
        instances = restore_ops.order_targets(instances, here)
        if here is None:
            # Not on EC2 (or not in this region): the instance the snapshot came from first.
            source = self.fleet.volumes_by_id.get(snap.volume_id)
            origin = source.instance_id if source is not None else ""
            instances.sort(key=lambda i: i.id != origin)
        if not instances:
            self.app.notify(
                f"No instance in {snap.region} to attach a restore volume to", severity="warning"
            )
            return
        options = [
            (
                f"{i.name or '-'} {i.id} ({i.az}"
                f"{', this host' if here and here.instance_id == i.id else ''})",
                i.id,
            )
            for i in instances
        ]
        fields = [
            Field("instance", "Attach to instance", kind="select", default=instances[0].id,
                  options=options),
            Field("type", "Volume type", kind="select", default="gp3", options=VOLUME_TYPES),
            Field("size", f"Size GiB (at least {snap.volume_size_gib})",
                  default=str(snap.volume_size_gib)),
            Field("device", "Device (empty: next free /dev/sdf..p)", default=""),
            Field("fs", "Filesystem (empty: detect; xfs adds nouuid)", default=""),
        ]  # fmt: skip

        def check(v: Values) -> dict[str, str]:
            inst = self.fleet.instances_by_id.get(v["instance"] or "")
            if inst is None:
                return {"instance": "choose an instance"}
            try:
                size = _int_or_none(v["size"])
            except ValueError:
                return {"size": "a whole number of GiB"}
            spec = VolumeSpec(az=inst.az, volume_type=v["type"] or "gp3", size_gib=size)
            errors = validate.merge(
                validate.check_volume(spec, snap.volume_size_gib),
                validate.check_device(v["device"], set(inst.block_devices))
                if v["device"]
                else None,
            )
            return form_errors(errors)

        def submitted(v: Values | None) -> None:
            if v is None:
                return
            req = restore_ops.RestoreRequest(
                snapshot_id=snap.id, region=snap.region, instance_id=v["instance"],
                volume_type=v["type"] or "gp3", size_gib=_int_or_none(v["size"]),
                device=v["device"], fs_type=v["fs"],
            )  # fmt: skip

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                result = restore_ops.restore_to_instance(
                    self.app.ctx, req, _wait(cancel, progress), lambda s: progress(s, None)
                )
                head = f"# {result.volume_id} attached to {result.instance_id} at {result.device}\n"
                return TaskResult(True, head + "\n".join(result.commands), result)

            self._run(f"Restore {snap.id}", task, snap.region)

        form = FormScreen(
            f"Restore files from {snap.id}", fields, check, submit_label="Restore",
            intro="A new volume in the instance's AZ, attached at the next free device, "
            "tagged as a restore; then the commands to mount it read-only (y copies them).",
        )  # fmt: skip
        self._checked(
            snap.region,
            "CreateVolume",
            {"AvailabilityZone": instances[0].az, "SnapshotId": snap.id},
            lambda: self.app.push_screen(form, submitted),
        )

    # --- launch ------------------------------------------------------------------------------

    def launch(self) -> None:
        snap = self._snapshot()
        if snap is None or not self._writable("Launch"):
            return
        # From what is already loaded: no AWS call on the UI thread.
        volume = self.fleet.volumes_by_id.get(snap.volume_id)
        source = self.fleet.instance_of(volume) if volume is not None else None
        d = launch_ops.defaults_from(snap, source)
        fields = [
            Field("type", "Instance type", default=d.instance_type),
            Field("name", "Name tag", default=d.name or f"from-{snap.id}"),
            Field("subnet", "Subnet (empty: default)", default=d.subnet_id),
            Field("groups", "Security groups (comma-separated)",
                  default=",".join(d.security_group_ids)),
            Field("key", "Key pair", default=d.key_name),
            Field("root", "Root device name", default=d.root_device_name),
            Field("arch", "Architecture", kind="select", default=d.architecture,
                  options=[("x86_64", "x86_64"), ("arm64", "arm64")]),
            Field("keep_image", "Keep the AMI afterwards", kind="checkbox", default=d.keep_image),
        ]  # fmt: skip
        cloned = f" (defaults from {d.source_instance_id})" if d.source_instance_id else ""

        def check(v: Values) -> dict[str, str]:
            errors: dict[str, str] = {}
            if not v["type"]:
                errors["type"] = "required"
            if not str(v["root"]).startswith("/dev/"):
                errors["root"] = "a device name such as /dev/xvda"
            return errors

        def submitted(v: Values | None) -> None:
            if v is None:
                return
            groups = tuple(g.strip() for g in str(v["groups"]).split(",") if g.strip())
            req = launch_ops.LaunchRequest(
                snapshot_id=snap.id, region=snap.region, instance_type=v["type"],
                subnet_id=v["subnet"], security_group_ids=groups, key_name=v["key"],
                root_device_name=v["root"], architecture=v["arch"] or d.architecture,
                virtualization_type=d.virtualization_type, ena_support=d.ena_support,
                name=v["name"], keep_image=bool(v["keep_image"]),
                source_instance_id=d.source_instance_id,
            )  # fmt: skip

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                r = launch_ops.launch_from_snapshot(
                    self.app.ctx, req, _wait(cancel, progress), lambda s: progress(s, None)
                )
                kept = "kept" if r.image_kept else "deregistered"
                return TaskResult(True, f"{r.instance_id} running (AMI {r.image_id} {kept})", r)

            self._run(f"Launch from {snap.id}", task, snap.region)

        self.app.push_screen(
            FormScreen(
                f"Launch an instance from {snap.id}{cloned}", fields, check, submit_label="Launch"
            ),
            submitted,
        )

    # --- archive tier ------------------------------------------------------------------------

    def archive(self) -> None:
        snap = self._snapshot()
        if snap is None or not self._writable("Archive"):
            return
        prices, _ = price_for(snap.region, bundled_prices())
        cost = self.app.cost_of(snap.id)
        full = snap.full_size_bytes or 0
        if snap.storage_tier == "archive":
            self._restore_tier(snap, full, prices)
            return
        freed = (cost.freed_low_bytes if cost is not None else None) or 0
        effect = tiering.archive_effect(freed, full, prices)
        body = Text()
        body.append(f"Move {snap.id} to the archive tier.\n\n", style="bold")
        body.append(f"Leaves the standard tier: {fmt.money(effect.standard_saved_monthly)}/mo\n")
        body.append(
            f"Archive tier (full {fmt.size(full)}): {fmt.money(effect.archive_monthly)}/mo\n"
        )
        body.append(
            f"Net: {fmt.money(effect.net_monthly)}/mo; "
            f"90-day minimum {fmt.money(effect.minimum_charge)}\n"
        )
        if effect.net_monthly <= 0:
            body.append("Archiving this snapshot costs more than it saves.\n", style="bold red")
        body.append("Restoring later takes up to 72 hours and costs the retrieval fee.\n")

        def confirmed(ok: bool | None) -> None:
            if not ok:
                return

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                progress("ModifySnapshotTier archive", None)
                tiering.archive_snapshot(self.app.ctx, snap.region, snap.id)
                return TaskResult(True, f"{snap.id} is moving to the archive tier")

            self._run(f"Archive {snap.id}", task, snap.region)

        self._checked(
            snap.region,
            "ModifySnapshotTier",
            {"SnapshotId": snap.id, "StorageTier": "archive"},
            lambda: self.app.push_screen(
                ConfirmScreen("Archive snapshot", body, confirm_label="Archive"), confirmed
            ),
        )

    def _restore_tier(self, snap: Snapshot, full: int, prices: Any) -> None:
        fields = [Field("days", "Temporary restore for N days (empty: permanent)", default="7")]

        def check(v: Values) -> dict[str, str]:
            try:
                days = _int_or_none(v["days"])
            except ValueError:
                return {"days": "a whole number of days, or empty for permanent"}
            return validate.check_restore_days(days) or {}

        def submitted(v: Values | None) -> None:
            if v is None:
                return
            days = _int_or_none(v["days"])

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                progress("RestoreSnapshotTier", None)
                tiering.restore_from_archive(self.app.ctx, snap.region, snap.id, days)
                how = f"for {days} days" if days else "permanently"
                return TaskResult(True, f"{snap.id} restoring {how}")

            self._run(f"Restore {snap.id} from archive", task, snap.region)

        effect = tiering.restore_effect(full, prices, None)
        intro = (
            f"Retrieval of {fmt.size(full)}: {fmt.money(effect.retrieval)} once; then "
            f"{fmt.money(effect.standard_monthly)}/mo in the standard tier. A temporary restore "
            "bills both tiers while it lasts."
        )
        self.app.push_screen(
            FormScreen(
                f"Restore {snap.id} from the archive",
                fields,
                check,
                intro=intro,
                submit_label="Restore",
            ),
            submitted,
        )

    # --- restores: list and clean up -------------------------------------------------------------

    def restores(self) -> None:
        from snaptui.ui.screens.restores import RestoresScreen, restore_volumes

        volumes = restore_volumes(list(self.fleet.volumes_by_id.values()))

        def chosen(volume: Volume | None) -> None:
            if volume is not None:
                self.cleanup_restore(volume)

        self.app.push_screen(RestoresScreen(volumes), chosen)

    def cleanup_restore(self, volume: Volume) -> None:
        if not self._writable("Clean up restore"):
            return
        body = Text()
        body.append(f"Detach and delete {volume.id}", style="bold")
        body.append(
            f" ({volume.name or 'restore volume'}, {volume.size_gib} GiB, {volume.region}).\n"
        )
        if volume.attachments:
            a = volume.attachments[0]
            body.append(f"It is attached to {a.instance_id} at {a.device}: unmount it first.\n")
        body.append("The snapshot it came from is not touched.\n")

        def confirmed(ok: bool | None) -> None:
            if not ok:
                return

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                restore_ops.cleanup_restore(
                    self.app.ctx, volume.region, volume.id, _wait(cancel, progress),
                    lambda s: progress(s, None),
                )  # fmt: skip
                return TaskResult(True, f"{volume.id} detached and deleted")

            self._run(f"Clean up {volume.id}", task, volume.region)

        self.app.push_screen(
            ConfirmScreen("Clean up restore volume", body, require_typed=volume.id), confirmed
        )

    # --- recycle bin -----------------------------------------------------------------------------

    def recycle_bin(self) -> None:
        """List deleted-but-recoverable snapshots in every region; pick one to recover."""
        regions = list(self.app.region_names)

        def task(progress: Progress, cancel: threading.Event) -> TaskResult:
            found: list[tiering.RecycledSnapshot] = []
            failed: list[str] = []
            for n, region in enumerate(regions):
                if cancel.is_set():
                    break
                progress(f"ListSnapshotsInRecycleBin {region}", n / max(1, len(regions)))
                try:
                    found += tiering.list_recycle_bin(self.app.ctx, region)
                except Exception as exc:  # one region's failure is shown, the rest listed
                    problem = getattr(exc, "problem", None)
                    failed.append(f"{region}: {problem or exc}")
            lines = [
                f"{r.snapshot_id}  {r.region}  until {fmt.local_time(r.recycle_bin_exit_time)}"
                f"  {r.description}"
                for r in found
            ]
            text = "\n".join(lines) or "The recycle bin is empty."
            if found:
                text += "\n\nesc: pick one to recover"
            if failed:
                text += "\n\nNot listed:\n" + "\n".join(failed)
            return TaskResult(True, text, found)

        def listed(result: TaskResult | None) -> None:
            if result is not None and result.value:
                self._pick_recycled(list(result.value))

        self.app.push_screen(TaskScreen("Recycle Bin", task), listed)

    def _pick_recycled(self, found: list[tiering.RecycledSnapshot]) -> None:
        options = [
            (f"{r.snapshot_id} {r.region} {r.description}"[:70], i) for i, r in enumerate(found)
        ]
        fields = [Field("which", "Recover", kind="select", default=0, options=options)]

        def submitted(v: Values | None) -> None:
            if v is None or v["which"] is None or not self._writable("Recover"):
                return
            r = found[int(v["which"])]

            def task(progress: Progress, cancel: threading.Event) -> TaskResult:
                progress("RestoreSnapshotFromRecycleBin", None)
                tiering.recover_from_recycle_bin(self.app.ctx, r.region, r.snapshot_id)
                return TaskResult(True, f"{r.snapshot_id} recovered in {r.region}")

            self._run(f"Recover {r.snapshot_id}", task, r.region)

        self.app.push_screen(
            FormScreen(
                "Recover from the Recycle Bin", fields, lambda v: {}, submit_label="Recover"
            ),
            submitted,
        )
