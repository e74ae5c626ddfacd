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


def _scalar_ok(shape: Shape, value: Any) -> bool:
    kind = shape.type_name
    if kind == "string":
        enum = shape.metadata.get("enum")
        return isinstance(value, str) and (not enum or value in enum)
    if kind in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "timestamp":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return kind in ("double", "float") and isinstance(value, int | float)


def json_problems(shape: Shape, value: Any, where: str = "$") -> list[str]:
    """What in a rest-json body the model does not allow (empty: all of it is allowed)."""
    if shape.type_name == "structure":
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        out = []
        for key, item in value.items():
            member = shape.members.get(key)  # type: ignore[attr-defined]
            if member is None:
                out.append(f"{where}.{key}: not in the model")
            else:
                out += json_problems(member, item, f"{where}.{key}")
        return out
    if shape.type_name == "list":
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        member = shape.member  # type: ignore[attr-defined]
        return [
            p for n, item in enumerate(value) for p in json_problems(member, item, f"{where}[{n}]")
        ]
    if shape.type_name == "map":
        return [] if isinstance(value, dict) else [f"{where}: not a map"]
    return [] if _scalar_ok(shape, value) else [f"{where}: {value!r} is not a {shape.type_name}"]


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
