"""What the unkind layer (demo/unkind.py) says on the wire: AWS's error bodies, and EC2
Describe answers aged as AWS would show a resource created seconds ago."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

# The creates whose new id to track, and the element that names it in the answer.
CREATES = {
    "CreateSnapshot": "snapshotId",
    "CreateSnapshots": "snapshotId",
    "CopySnapshot": "snapshotId",
    "CreateVolume": "volumeId",
    "RunInstances": "instanceId",
    "RegisterImage": "imageId",
    "CreateImage": "imageId",
}
# Describe answers: the list element, and the id element inside each item.
DESCRIBES = {
    "DescribeSnapshots": ("snapshotSet", "snapshotId"),
    "DescribeVolumes": ("volumeSet", "volumeId"),
    "DescribeImages": ("imagesSet", "imageId"),
    "DescribeInstances": ("instancesSet", "instanceId"),
}
_NOT_FOUND = {
    "snap": ("InvalidSnapshot.NotFound", "The snapshot '{}' does not exist."),
    "vol": ("InvalidVolume.NotFound", "The volume '{}' does not exist."),
    "i": ("InvalidInstanceID.NotFound", "The instance ID '{}' does not exist"),
    "ami": ("InvalidAMIID.NotFound", "The image id '[{}]' does not exist"),
}
_ERRORS = {  # kind -> (HTTP status line, EC2 code, JSON code, message)
    "throttle": ("503 Service Unavailable", "RequestLimitExceeded", "ThrottlingException",
                 "Request limit exceeded."),
    "500": ("500 Internal Server Error", "InternalError", "InternalFailure",
            "An internal error has occurred"),
    "503": ("503 Service Unavailable", "Unavailable", "ServiceUnavailableException",
            "The service is unavailable. Please try again shortly."),
}  # fmt: skip


def ec2_error(code: str, message: str) -> bytes:
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error><Code>{code}</Code>"
        f"<Message>{message}</Message></Error></Errors><RequestID>unkind</RequestID></Response>"
    ).encode()


def error_answer(service: str, kind: str) -> tuple[str, bytes, list[tuple[str, str]]]:
    """(status, body, headers) of a fault, in the service's protocol."""
    status, ec2_code, json_code, message = _ERRORS[kind]
    if service in ("ec2", "sts", "iam", ""):
        body = ec2_error(ec2_code, message)
        ctype = "text/xml"
        headers = [("Content-Type", ctype)]
    else:
        body = json.dumps({"__type": json_code, "message": message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", json_code)]
    return status, body, [*headers, ("Content-Length", str(len(body)))]


def not_found_answer(resource_id: str) -> tuple[str, bytes, list[tuple[str, str]]]:
    code, message = _NOT_FOUND[resource_id.split("-", 1)[0]]
    body = ec2_error(code, message.format(resource_id))
    return (
        "400 Bad Request",
        body,
        [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))],
    )


def created_ids(operation: str, body: bytes) -> list[str]:
    tag = CREATES[operation]
    return [m.decode() for m in re.findall(rf"<{tag}>([^<]+)</{tag}>".encode(), body)]


Qualify = Callable[[str], str]


def age_describe(
    body: bytes, ages: dict[str, float], invisible_s: float, pending_s: float
) -> bytes:
    """Hide items younger than ``invisible_s``; show items younger than ``pending_s`` as
    still being made. ``ages``: seconds since each tracked create."""
    if not ages or not body.lstrip().startswith(b"<"):
        return body
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return body
    ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    q: Qualify = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    changed = False
    for list_name, id_name in DESCRIBES.values():
        for parent in root.iter(q(list_name)):
            for item in list(parent.findall(q("item"))):
                age = ages.get(item.findtext(q(id_name)) or "")
                if age is None:
                    continue
                if age < invisible_s:
                    parent.remove(item)
                elif age < pending_s:
                    _show_pending(item, id_name, q, age / pending_s)
                else:
                    continue
                changed = True
    if not changed:
        return body
    _drop_empty_reservations(root, q)
    if ns:
        ET.register_namespace("", ns)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _set(parent: ET.Element, tag: str, text: str) -> None:
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = text


def _show_pending(item: ET.Element, id_name: str, q: Qualify, fraction: float) -> None:
    """As AWS shows a resource still being made: what each Describe says meanwhile."""
    if id_name == "snapshotId":
        _set(item, q("status"), "pending")
        _set(item, q("progress"), f"{int(fraction * 100)}%")
    elif id_name == "volumeId":
        _set(item, q("status"), "creating")
    elif id_name == "imageId":
        _set(item, q("imageState"), "pending")
    else:
        state = item.find(q("instanceState"))
        if state is not None:
            _set(state, q("code"), "0")
            _set(state, q("name"), "pending")


def _drop_empty_reservations(root: ET.Element, q: Qualify) -> None:
    for rset in root.iter(q("reservationSet")):
        for res in list(rset.findall(q("item"))):
            inst = res.find(q("instancesSet"))
            if inst is not None and not inst.findall(q("item")):
                rset.remove(res)
