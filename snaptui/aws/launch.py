"""Launch an instance from a snapshot: register an AMI whose root is it, run, keep or drop the AMI.

Defaults come from the instance the snapshot's volume is attached to, when it still exists, so a
"boot yesterday's server" launch matches the original's type, network and key. DeregisterImage
never deletes the snapshot (DeleteAssociatedSnapshots is left unset): it is the user's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from snaptui.aws import lookup, waiting
from snaptui.aws.calls import (
    ActionError,
    Progress,
    aws_call,
    call,
    invalid,
    no_progress,
    remove,
    tag_spec,
)
from snaptui.aws.errors import outcome_unknown
from snaptui.aws.idempotent import TOKEN_TAG, create_once, new_token, token_filter
from snaptui.aws.session import AwsContext
from snaptui.core import validate
from snaptui.core.validate import Errors
from snaptui.models import Instance, Snapshot

LAUNCHED_FROM_TAG = "snaptui:launched-from"
ARCHITECTURES = ("x86_64", "arm64", "i386", "x86_64_mac", "arm64_mac")
VIRTUALIZATION = ("hvm", "paravirtual")
_ROOT_DEVICE_RE = re.compile(r"^/dev/(sd[a-z]1?|xvd[a-z]{1,2})$")

# When the source instance is gone: what most current Linux AMIs use.
FALLBACK = {
    "root_device_name": "/dev/xvda",
    "architecture": "x86_64",
    "virtualization_type": "hvm",
    "instance_type": "t3.micro",
}


@dataclass(frozen=True, slots=True)
class LaunchRequest:
    snapshot_id: str
    region: str
    instance_type: str = FALLBACK["instance_type"]
    subnet_id: str = ""  # "": the default subnet
    security_group_ids: tuple[str, ...] = ()
    key_name: str = ""
    root_device_name: str = FALLBACK["root_device_name"]
    architecture: str = FALLBACK["architecture"]
    virtualization_type: str = FALLBACK["virtualization_type"]
    ena_support: bool = True
    volume_type: str = "gp3"
    image_name: str = ""  # "": snaptui-<snapshot>-<UTC time>
    name: str = ""  # the instance's Name tag; "": from-<snapshot>
    tags: Mapping[str, str] = field(default_factory=dict)
    keep_image: bool = True
    source_instance_id: str = ""  # where the defaults came from, "" when none


@dataclass(frozen=True, slots=True)
class LaunchResult:
    instance_id: str
    image_id: str
    image_kept: bool
    region: str
    snapshot_id: str


def _source_instance(ctx: AwsContext, snap: Snapshot) -> Instance | None:
    """The instance the snapshot's volume is attached to now, if any."""
    try:
        vol = lookup.volume(ctx, snap.region, snap.volume_id)
    except ActionError:
        return None  # the volume is gone (or was a copy's placeholder)
    if not vol.instance_id:
        return None
    try:
        return lookup.instance(ctx, snap.region, vol.instance_id)
    except ActionError:
        return None


def launch_defaults(ctx: AwsContext, region: str, snapshot_id: str) -> LaunchRequest:
    """A request filled from the source instance when it still exists, else common defaults."""
    snap = lookup.snapshot(ctx, region, snapshot_id)
    return defaults_from(snap, _source_instance(ctx, snap))


def defaults_from(snap: Snapshot, src: Instance | None) -> LaunchRequest:
    """Pure: the launch request cloned from ``src`` (the snapshot's instance), if any."""
    req = LaunchRequest(snapshot_id=snap.id, region=snap.region, name=f"from-{snap.id}")
    if src is None or src.state == "terminated":
        return req
    return replace(
        req,
        instance_type=src.instance_type or req.instance_type,
        subnet_id=src.subnet_id,
        security_group_ids=src.security_group_ids,
        key_name=src.key_name,
        root_device_name=src.root_device_name or req.root_device_name,
        architecture=src.architecture or req.architecture,
        virtualization_type=src.virtualization_type or req.virtualization_type,
        ena_support=src.ena_support,
        name=f"{src.name or src.id}-from-{snap.id}",
        source_instance_id=src.id,
    )


def _check_launch(ctx: AwsContext, req: LaunchRequest, snap: Snapshot, image_name: str) -> None:
    errors = validate.merge(
        validate.check_image_name(image_name),
        validate.check_tags({**req.tags, "Name": req.name}),
        None
        if req.architecture in ARCHITECTURES
        else {"architecture": f"one of {', '.join(ARCHITECTURES)}"},
        None
        if req.virtualization_type in VIRTUALIZATION
        else {"virtualization_type": "hvm or paravirtual"},
        None
        if _ROOT_DEVICE_RE.match(req.root_device_name)
        else {"root_device_name": "a device name like /dev/xvda or /dev/sda1"},
        None if req.instance_type else {"instance_type": "choose an instance type"},
        None if req.volume_type in validate.VOLUME_TYPES else {"volume_type": "unknown type"},
        None if snap.state == "completed" else {"snapshot_id": "the snapshot is not completed"},
        None
        if snap.storage_tier == "standard"
        else {"snapshot_id": "the snapshot is archived: restore it from the archive first"},
        _check_network(ctx, req),
    )
    if errors:
        raise invalid(errors, req.region, "RegisterImage")


def _check_network(ctx: AwsContext, req: LaunchRequest) -> Errors | None:
    """Subnet, security groups and key pair must exist in the region (read-only lookups)."""
    ec2 = ctx.client("ec2", req.region)
    checks: list[tuple[str, str, dict[str, Any]]] = []
    if req.subnet_id:
        checks.append(("subnet_id", "DescribeSubnets", {"SubnetIds": [req.subnet_id]}))
    if req.security_group_ids:
        groups = list(req.security_group_ids)
        checks.append(("security_group_ids", "DescribeSecurityGroups", {"GroupIds": groups}))
    if req.key_name:
        checks.append(("key_name", "DescribeKeyPairs", {"KeyNames": [req.key_name]}))
    for name, operation, params in checks:
        try:
            call(ec2, operation, req.region, **params)
        except ActionError as exc:
            return {name: f"not found in {req.region} ({exc.problem.message})"}
    return _check_instance_type(ctx, req) if req.instance_type else None


def _check_instance_type(ctx: AwsContext, req: LaunchRequest) -> Errors | None:
    """The type must exist in the region and run the AMI's architecture (read-only lookup)."""
    ec2 = ctx.client("ec2", req.region)
    try:
        out = call(ec2, "DescribeInstanceTypes", req.region, InstanceTypes=[req.instance_type])
    except ActionError as exc:
        if exc.fields or exc.code.startswith("InvalidInstanceType") or exc.status == 400:
            return {"instance_type": f"not an instance type in {req.region}"}
        raise
    types = out.get("InstanceTypes", [])
    if not types:
        return {"instance_type": f"not an instance type in {req.region}"}
    arches = types[0].get("ProcessorInfo", {}).get("SupportedArchitectures", [])
    if arches and req.architecture not in arches:
        return {
            "instance_type": f"{req.instance_type} runs {', '.join(arches)}, not {req.architecture}"
        }
    return None


def launch_from_snapshot(
    ctx: AwsContext,
    req: LaunchRequest,
    wait: waiting.WaitOptions | None = None,
    progress: Progress = no_progress,
) -> LaunchResult:
    """Register an AMI rooted in the snapshot, run an instance from it, wait until it runs.

    Safe against lost answers: the AMI is registered once (a token tag, looked for before a
    retry), the instance launched once (ClientToken). The AMI is deregistered only once the
    instance runs, or when no instance can exist; whatever a failure leaves is named.
    """
    region = req.region
    snap = lookup.snapshot(ctx, region, req.snapshot_id)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    image_name = req.image_name or f"snaptui-{snap.id}-{stamp}"
    _check_launch(ctx, req, snap, image_name)
    opts = wait or waiting.WaitOptions()
    origin = {LAUNCHED_FROM_TAG: snap.id}
    progress(f"registering an AMI whose root is {snap.id}")
    image_id = _register(ctx, req, image_name, origin)
    instance_id = ""
    try:
        waiting.image_available(ctx, region, image_id, opts)
        instance_id = _run(ctx, req, image_id, origin, progress)
        waiting.instance_running(ctx, region, instance_id, opts)
    except ActionError as exc:
        raise _after_failure(ctx, req, exc, image_id, instance_id, progress) from exc
    if not req.keep_image:
        _deregister(ctx, region, image_id, progress)
    progress(f"{instance_id} is running")
    return LaunchResult(instance_id, image_id, req.keep_image, region, snap.id)


def _register(
    ctx: AwsContext, req: LaunchRequest, image_name: str, origin: Mapping[str, str]
) -> str:
    token = new_token()
    params: dict[str, Any] = {
        "Name": image_name,
        "Description": f"snaptui: launch from {req.snapshot_id}",
        "RootDeviceName": req.root_device_name,
        "Architecture": req.architecture,
        "VirtualizationType": req.virtualization_type,
        "EnaSupport": req.ena_support,
        "BlockDeviceMappings": [
            {
                "DeviceName": req.root_device_name,
                "Ebs": {
                    "SnapshotId": req.snapshot_id,
                    "DeleteOnTermination": True,
                    "VolumeType": req.volume_type,
                },
            }
        ],
        "TagSpecifications": tag_spec("image", {**origin, TOKEN_TAG: token}),
    }

    def find() -> str | None:
        ec2 = ctx.client("ec2", req.region)
        with aws_call(req.region, "DescribeImages"):
            images = ec2.describe_images(Owners=["self"], Filters=token_filter(token))["Images"]
        return str(images[0]["ImageId"]) if images else None

    return create_once(
        ctx, req.region, "RegisterImage", params, lambda out: str(out["ImageId"]), find
    )


def _after_failure(
    ctx: AwsContext,
    req: LaunchRequest,
    exc: ActionError,
    image_id: str,
    instance_id: str,
    progress: Progress,
) -> ActionError:
    """The error to report, naming what is left. An instance that exists, or may (its launch
    answer was lost), may still be starting from the AMI: then the AMI stays."""
    if instance_id or outcome_unknown(exc):
        who = instance_id or f"an instance tagged {LAUNCHED_FROM_TAG}={req.snapshot_id} may exist"
        left = f"left: {who} and AMI {image_id} (deregister it once the instance runs)"
    elif req.keep_image:
        left = f"AMI {image_id} is kept, as asked"
    else:
        try:
            _deregister(ctx, req.region, image_id, progress)
            left = f"AMI {image_id} deregistered; nothing is left"
        except ActionError:
            left = f"AMI {image_id} is left"
    exc.problem = replace(exc.problem, message=f"{exc.problem.message} ({left})")
    return exc


def _run(
    ctx: AwsContext,
    req: LaunchRequest,
    image_id: str,
    origin: Mapping[str, str],
    progress: Progress,
) -> str:
    progress(f"launching a {req.instance_type} from {image_id}")
    tags = {**req.tags, **origin, "Name": req.name or f"from-{req.snapshot_id}"}
    params: dict[str, Any] = {
        "ImageId": image_id,
        "InstanceType": req.instance_type,
        "MinCount": 1,
        "MaxCount": 1,
        "TagSpecifications": tag_spec("instance", tags) + tag_spec("volume", tags),
    }
    if req.subnet_id:
        params["SubnetId"] = req.subnet_id
    if req.security_group_ids:
        params["SecurityGroupIds"] = list(req.security_group_ids)
    if req.key_name:
        params["KeyName"] = req.key_name
    out = call(ctx.client("ec2", req.region), "RunInstances", req.region, **params)
    return str(out["Instances"][0]["InstanceId"])


def _deregister(ctx: AwsContext, region: str, image_id: str, progress: Progress) -> None:
    progress(f"deregistering {image_id} (the snapshot stays)")
    remove(ctx.client("ec2", region), "DeregisterImage", region, ImageId=image_id)


def instance_types(ctx: AwsContext, region: str, architecture: str) -> Sequence[str]:
    """Instance types offered in the region for an architecture, for the picker."""
    ec2 = ctx.client("ec2", region)
    filters = [{"Name": "processor-info.supported-architecture", "Values": [architecture]}]
    names: list[str] = []
    with aws_call(region, "DescribeInstanceTypes"):
        for page in ec2.get_paginator("describe_instance_types").paginate(Filters=filters):
            names.extend(str(t["InstanceType"]) for t in page.get("InstanceTypes", ()))
    return sorted(names)
