"""Check a raw answer of the demo world against botocore's model of the operation: every field
it sends must be one the model names, of the model's type (and enum). botocore's parsers drop
what they do not know, so a misspelt field would otherwise pass unseen as "missing"."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import botocore.session
from botocore.model import Shape

_SESSION = botocore.session.get_session()


def output_shape(service: str, operation: str) -> Shape:
    shape = _SESSION.get_service_model(service).operation_model(operation).output_shape
    assert shape is not None
    return shape


# Values AWS answers that botocore's enum lacks (AWS CLI reference examples for copy-snapshot
# and export-snapshot show these operationTypes).
_DOCUMENTED_EXTRA = {"OperationType": {"CopySnapshot", "ExportSnapshot"}}


def json_problems(shape: Shape, value: Any, path: str = "$") -> list[str]:
    """Every way ``value`` (raw JSON) departs from ``shape``: unknown keys, types, enums."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected object"]
        out: list[str] = []
        for key, item in value.items():
            member = shape.members.get(key)  # type: ignore[attr-defined]
            if member is None:
                out.append(f"{path}.{key}: not in {shape.name}")
            else:
                out += json_problems(member, item, f"{path}.{key}")
        return out
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected list"]
        member = shape.member  # type: ignore[attr-defined]
        return [e for n, v in enumerate(value) for e in json_problems(member, v, f"{path}[{n}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected map"]
        return [e for k, v in value.items() for e in json_problems(shape.value, v, f"{path}.{k}")]  # type: ignore[attr-defined]
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "double": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "timestamp": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    }
    if not checks.get(kind, lambda v: True)(value):
        return [f"{path}: {value!r} is not a {kind}"]
    enum = getattr(shape, "enum", None)
    if kind == "string" and enum and value not in enum + [*_DOCUMENTED_EXTRA.get(shape.name, ())]:
        return [f"{path}: {value!r} not in {shape.name}"]
    return []


def body_problems(service: str, operation: str, body: bytes) -> list[str]:
    return json_problems(output_shape(service, operation), json.loads(body or b"{}"))


def _xml_scalar(shape: Shape, text: str) -> bool:
    kind = shape.type_name
    if kind in ("integer", "long"):
        return text.lstrip("-").isdigit()
    if kind == "boolean":
        return text in ("true", "false")
    if kind == "string":
        enum = shape.metadata.get("enum")
        return not enum or text in enum
    return True


def xml_problems(shape: Shape, element: ET.Element, where: str = "") -> list[str]:
    """What in an EC2 Query answer the model does not allow."""
    if shape.type_name == "structure":
        names = {m.serialization.get("name", k): m for k, m in shape.members.items()}  # type: ignore[attr-defined]
        out = []
        for child in element:
            tag = child.tag.split("}")[-1]
            member = names.get(tag)
            if member is None:
                if tag != "requestId":
                    out.append(f"{where}/{tag}: not in the model")
            else:
                out += xml_problems(member, child, f"{where}/{tag}")
        return out
    if shape.type_name == "list":
        member = shape.member  # type: ignore[attr-defined]
        return [p for item in element for p in xml_problems(member, item, f"{where}/item")]
    text = element.text or ""
    return [] if _xml_scalar(shape, text) else [f"{where}: {text!r} is not a {shape.type_name}"]


def ec2_problems(operation: str, body: bytes) -> list[str]:
    return xml_problems(output_shape("ec2", operation), ET.fromstring(body))


def capture_raw(client: Any) -> list[tuple[str, bytes]]:
    """Every (operation, raw body) the client gets from now on."""
    got: list[tuple[str, bytes]] = []

    def keep(http_response: Any, model: Any, **_: Any) -> None:
        got.append((model.name, http_response.content))

    client.meta.events.register("after-call.*.*", keep)
    return got
