"""Checks on what the user typed, before anything is sent to AWS. Pure functions.

Each returns ``None`` when the input is fine, else ``{field: message}`` so the UI can show the
message beside the field. The aws layer gathers the facts (the snapshot's size, the region's
zones, the instance's devices, the destination's KMS keys) and raises if any check fails, so a
bad request never reaches AWS. Limits are AWS's documented ones for EBS.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from snaptui.core import ids
from snaptui.core import tags as tag_rules
from snaptui.core.browse import Fleet

Errors = dict[str, str]


@dataclass(frozen=True, slots=True)
class VolumeLimits:
    min_gib: int
    max_gib: int
    iops: tuple[int, int] | None = None  # None: the type takes no Iops parameter
    iops_per_gib: int | None = None
    iops_required: bool = False
    throughput: tuple[int, int] | None = None  # MiB/s; None: not settable


VOLUME_TYPES: dict[str, VolumeLimits] = {
    # gp3: IOPS at most 500 per GiB; throughput at most 0.25 MiB/s per provisioned IOPS.
    "gp3": VolumeLimits(1, 16384, iops=(3000, 16000), iops_per_gib=500, throughput=(125, 1000)),
    "gp2": VolumeLimits(1, 16384),
    "io1": VolumeLimits(4, 16384, iops=(100, 64000), iops_per_gib=50, iops_required=True),
    "io2": VolumeLimits(4, 65536, iops=(100, 256000), iops_per_gib=1000, iops_required=True),
    "st1": VolumeLimits(125, 16384),
    "sc1": VolumeLimits(125, 16384),
    "standard": VolumeLimits(1, 1024),
}
GP3_THROUGHPUT_PER_IOPS = 0.25


# Linux device names EBS accepts for attachments; AWS recommends /dev/sd[f-p].
_DEVICE_RE = re.compile(r"/dev/(sd[a-z]|xvd[a-z]{1,2}|hd[a-z])")
RECOMMENDED_DEVICES = tuple(f"/dev/sd{c}" for c in "fghijklmnop")


def merge(*results: Errors | None) -> Errors | None:
    """Several checks' errors as one dict (first message per field wins); None when all pass."""
    out: Errors = {}
    for result in results:
        for key, message in (result or {}).items():
            out.setdefault(key, message)
    return out or None


# --- identifiers -----------------------------------------------------------------------------


def check_id(
    value: str,
    kind: str,
    region: str,
    known: Mapping[str, str] | None = None,
    field: str | None = None,
) -> Errors | None:
    """A resource id: well formed, known (``known``: id -> region), and in ``region``."""
    name = field or f"{kind}_id"
    if not ids.is_id(value.strip(), kind):
        return {name: f"not a {kind} id (expected {ids.ID_PREFIXES[kind]}-...)"}
    if known is None:
        return None
    where = known.get(value.strip())
    if where is None:
        return {name: f"unknown {kind} {value}"}
    if where != region:
        return {name: f"{value} is in {where}, not {region}"}
    return None


def known_ids(fleet: Fleet) -> dict[str, str]:
    """id -> region of every snapshot, volume, instance and AMI the fleet holds (``known``)."""
    known: dict[str, str] = {}
    for inv in fleet.inventories.values():
        ids = [s.id for s in inv.snapshots] + [v.id for v in inv.volumes]
        ids += [i.id for i in inv.instances] + [a.id for a in inv.images]
        known.update(dict.fromkeys(ids, inv.region))
    return known


# --- tags ------------------------------------------------------------------------------------


def check_tags(tags: Mapping[str, str], field: str = "tags") -> Errors | None:
    """EC2 tag rules (snaptui.core.tags): key 1-128 chars, value at most 256, no ``aws:``
    prefix in any case, 50 per resource."""
    problem = tag_rules.tags_problem(tags)
    return {field: problem} if problem else None


def check_copied_tags(
    copied: Mapping[str, str], own: Mapping[str, str], field: str = "tags"
) -> Errors | None:
    """Tags carried over from AWS plus the user's own: AWS already holds the copied ones (EC2
    allows any character in a tag), so only the user's are checked, and the total count."""
    merged = {**copied, **own}
    if len(merged) > tag_rules.TAGS_PER_RESOURCE:
        return {field: f"at most {tag_rules.TAGS_PER_RESOURCE} tags per resource"}
    return check_tags(own, field)


# --- volumes ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VolumeSpec:
    """What the user chose for a new volume; zeros/blanks mean "the default"."""

    az: str = ""  # "": the target instance's AZ
    volume_type: str = "gp3"
    size_gib: int | None = None  # None: the snapshot's size
    iops: int | None = None
    throughput: int | None = None
    encrypted: bool = False  # forced on when the snapshot is encrypted
    kms_key_id: str = ""  # "": the region's default EBS key
    init_rate: int | None = None  # VolumeInitializationRate MiB/s; None: AWS's default rate


INIT_RATE_MIBS = (100, 300)  # CreateVolume VolumeInitializationRate's valid range


def check_volume(spec: VolumeSpec, snapshot_size_gib: int) -> Errors | None:
    """Type, size and performance settings for a volume made from a snapshot."""
    limits = VOLUME_TYPES.get(spec.volume_type)
    if limits is None:
        return {"volume_type": f"unknown volume type {spec.volume_type!r}"}
    errors: Errors = {}
    size = spec.size_gib if spec.size_gib is not None else snapshot_size_gib
    if size < snapshot_size_gib:
        errors["size_gib"] = f"at least the snapshot's size, {snapshot_size_gib} GiB"
    elif not limits.min_gib <= size <= limits.max_gib:
        errors["size_gib"] = f"{spec.volume_type}: {limits.min_gib}-{limits.max_gib} GiB"
    iops_error = _check_iops(spec, limits, size)
    if iops_error:
        errors["iops"] = iops_error
    throughput_error = _check_throughput(spec, limits)
    if throughput_error:
        errors["throughput"] = throughput_error
    low, high = INIT_RATE_MIBS
    if spec.init_rate is not None and not low <= spec.init_rate <= high:
        errors["init_rate"] = f"{low}-{high} MiB/s, or empty for the default rate"
    return errors or None


def _check_iops(spec: VolumeSpec, limits: VolumeLimits, size: int) -> str | None:
    if limits.iops is None:
        return f"{spec.volume_type} takes no IOPS setting" if spec.iops is not None else None
    if spec.iops is None:
        return f"{spec.volume_type} needs an IOPS value" if limits.iops_required else None
    low, high = limits.iops
    if not low <= spec.iops <= high:
        return f"{spec.volume_type}: {low}-{high} IOPS"
    if limits.iops_per_gib and spec.iops > limits.iops_per_gib * size and spec.iops > low:
        return f"{spec.volume_type}: at most {limits.iops_per_gib} IOPS per GiB ({size} GiB)"
    return None


def _check_throughput(spec: VolumeSpec, limits: VolumeLimits) -> str | None:
    if spec.throughput is None:
        return None
    if limits.throughput is None:
        return f"{spec.volume_type} takes no throughput setting"
    low, high = limits.throughput
    if not low <= spec.throughput <= high:
        return f"{spec.volume_type}: {low}-{high} MiB/s"
    iops = spec.iops if spec.iops is not None else (limits.iops or (0, 0))[0]
    if spec.throughput > iops * GP3_THROUGHPUT_PER_IOPS:
        return f"at most {GP3_THROUGHPUT_PER_IOPS} MiB/s per IOPS ({iops} IOPS)"
    return None


def check_az(
    az: str, region: str, region_azs: Collection[str], instance_az: str | None = None
) -> Errors | None:
    """The AZ must be one of the region's, and the instance's own when the volume is attached."""
    if not az:
        return {"az": "choose an availability zone"}
    if az not in region_azs or not az.startswith(region):
        return {"az": f"{az} is not an availability zone of {region}"}
    if instance_az and az != instance_az:
        return {"az": f"the instance is in {instance_az}; a volume attaches only in its own AZ"}
    return None


def check_kms_key(key: str, known_keys: Collection[str] | None, region: str) -> Errors | None:
    """A key id, ARN or alias that exists in the destination region ("" = default EBS key)."""
    if not key or known_keys is None:
        return None
    if key.startswith("arn:") and f":{region}:" not in key:
        return {"kms_key_id": f"{key} is not a key in {region}"}
    if key not in known_keys:
        return {"kms_key_id": f"KMS key {key} not found in {region}"}
    return None


# --- devices ---------------------------------------------------------------------------------


def device_letter(device: str) -> str:
    """/dev/sdf and /dev/xvdf name the same attachment point: compare by their suffix."""
    name = device.rsplit("/", 1)[-1]
    for prefix in ("xvd", "sd", "hd"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def check_device(device: str, in_use: Collection[str]) -> Errors | None:
    if not _DEVICE_RE.fullmatch(device):
        return {"device": f"{device!r} is not a device name like /dev/sdf"}
    taken = {device_letter(d) for d in in_use}
    if device_letter(device) in taken:
        return {"device": f"{device} is already in use on the instance"}
    return None


def next_free_device(in_use: Collection[str]) -> str | None:
    """The first recommended device (/dev/sdf../dev/sdp) the instance does not use."""
    taken = {device_letter(d) for d in in_use}
    for device in RECOMMENDED_DEVICES:
        if device_letter(device) not in taken:
            return device
    return None


# --- action-level checks ---------------------------------------------------------------------


def check_region(region: str, enabled: Collection[str], field: str = "region") -> Errors | None:
    if region not in enabled:
        return {field: f"{region} is not an enabled region"}
    return None


def check_description(text: str, field: str = "description") -> Errors | None:
    # CopySnapshot/CreateImage descriptions are limited to 255 characters.
    if len(text) > 255:
        return {field: "at most 255 characters"}
    return None


def check_restore_days(days: int | None) -> Errors | None:
    """RestoreSnapshotTier: temporary for 1-180 days, or permanent (None)."""
    if days is not None and not 1 <= days <= 180:
        return {"days": "a temporary restore lasts 1-180 days"}
    return None


COPY_MINUTES = (15, 2880)  # CopySnapshot CompletionDurationMinutes, in steps of 15


def check_copy_minutes(minutes: int | None) -> Errors | None:
    """A time-based copy finishes within 15-2880 minutes, asked in steps of 15; None: standard."""
    low, high = COPY_MINUTES
    if minutes is not None and not (low <= minutes <= high and minutes % 15 == 0):
        return {"minutes": f"{low}-{high} minutes in steps of 15 (15, 30, 45, ...), or empty"}
    return None


def check_image_name(name: str) -> Errors | None:
    # AMI names: 3-128 characters of letters, digits and ()[] ./-'@_
    if not re.fullmatch(r"[A-Za-z0-9()\[\] ./\-'@_]{3,128}", name):
        return {"image_name": "3-128 letters, digits, spaces or ()[]./-'@_"}
    return None


def check_lock(mode: str, days: int | None, cool_off_hours: int | None) -> Errors | None:
    """LockSnapshot: governance or compliance for 1-36,500 days; a cooling-off of 1-72 hours
    exists only in compliance mode."""
    errors: Errors = {}
    if mode not in ("governance", "compliance"):
        errors["mode"] = "governance or compliance"
    if days is None or not 1 <= days <= 36_500:
        errors["days"] = "a lock lasts 1-36500 days"
    if cool_off_hours is not None:
        if mode != "compliance":
            errors["cool_off"] = "only compliance mode has a cooling-off period"
        elif not 1 <= cool_off_hours <= 72:
            errors["cool_off"] = "1-72 hours, or empty for none"
    return errors or None


def check_share(who: str, *, add: bool, shared_with: tuple[str, ...]) -> Errors | None:
    """ModifySnapshotAttribute createVolumePermission: a 12-digit account id, or "all"
    (public, add only through a typed confirmation); removing names an account it has."""
    who = who.strip().lower()
    if who in ("all", "public"):
        return None
    if not (len(who) == 12 and who.isdigit()):
        return {"account": "a 12-digit AWS account id, or all (public)"}
    if not add and who not in shared_with:
        listed = ", ".join(shared_with) or "no account"
        return {"account": f"not shared with {who} (shared with {listed})"}
    return None


def parse_azs(text: str) -> list[str]:
    """'us-east-1a, us-east-1b' -> the AZs in the order typed, each once."""
    seen: list[str] = []
    for part in text.replace(" ", ",").split(","):
        az = part.strip().lower()
        if az and az not in seen:
            seen.append(az)
    return seen


def check_fast_restore(
    azs: list[str], region: str, region_azs: Collection[str], on: Collection[str], *, enable: bool
) -> Errors | None:
    """Enable/DisableFastSnapshotRestores: AZs of the snapshot's region; disabling names AZs
    where it is on (``on``: where it is enabling, optimizing or enabled now)."""
    if not azs:
        return {"azs": "at least one availability zone"}
    wrong = [az for az in azs if az not in region_azs or not az.startswith(region)]
    if wrong:
        listed = ", ".join(sorted(region_azs)) or "none answered"
        return {"azs": f"not an AZ of {region}: {', '.join(wrong)} (it has {listed})"}
    if not enable:
        off = [az for az in azs if az not in on]
        if off:
            return {"azs": f"fast restore is not on in {', '.join(off)}"}
    return None
