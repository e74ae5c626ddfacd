"""Lightsail test support: clients whose every raw answer is checked against botocore's model,
scratch Lightsail regions, and a world where snapshots are ready at once.

Import the fixtures into a test module (``from tests.lightsail_fixtures import ...``).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.model import Shape

from snaptui.demo.lightsail import store as store_module
from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DemoServer

# Lightsail regions the seed never touches (EC2 scratch regions may overlap: different store).
_LS_SCRATCH = itertools.cycle(
    ["us-east-2", "us-west-2", "eu-west-2", "eu-west-3", "eu-central-1", "ca-central-1",
     "ap-south-1", "ap-northeast-1", "ap-northeast-2", "eu-north-1", "ap-southeast-1"]
)  # fmt: skip


# Values AWS answers that botocore's enum lacks (AWS CLI reference examples for copy-snapshot
# and export-snapshot show these operationTypes).
_DOCUMENTED_EXTRA = {"OperationType": {"CopySnapshot", "ExportSnapshot"}}


def shape_errors(shape: Shape, value: Any, path: str = "$") -> list[str]:
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
                out += shape_errors(member, item, f"{path}.{key}")
        return out
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected list"]
        member = shape.member  # type: ignore[attr-defined]
        return [e for n, v in enumerate(value) for e in shape_errors(member, v, f"{path}[{n}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected map"]
        return [e for k, v in value.items() for e in shape_errors(shape.value, v, f"{path}.{k}")]  # type: ignore[attr-defined]
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


def install_shape_check(client: Any, seen: list[str] | None = None) -> Any:
    """Fail the call whose raw answer does not fit the model (errors: a declared exception)."""

    def check(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        body = json.loads(response_dict["body"] or b"{}")
        if response_dict["status_code"] == 200:
            errors = shape_errors(operation_model.output_shape, body)
        else:
            declared = {e.name for e in operation_model.error_shapes}
            code = body.get("__type", "")
            errors = [] if code in declared else [f"undeclared error {code}"]
            errors += shape_errors(operation_model.service_model.shape_for(code), body) * bool(
                code in declared
            )
            errors = [e for e in errors if not e.endswith("__type: not in " + code)]
        if errors:
            raise AssertionError(f"{operation_model.name}: " + "; ".join(errors))
        if seen is not None:
            seen.append(operation_model.name)

    client.meta.events.register("before-parse.lightsail.*", check)
    return client


def ls_client(server: DemoServer, region: str, seen: list[str] | None = None) -> Any:
    """A plain boto3 Lightsail client on the demo world, separate from snaptui's, shape-checked."""
    client = boto3.client(
        "lightsail",
        region_name=region,
        endpoint_url=server.endpoint_url,
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
    )
    return install_shape_check(client, seen)


@pytest.fixture
def ls_region(demo_server: DemoServer, seeded: SeedReport) -> Iterator[str]:
    """An empty Lightsail region of the demo world, forgotten afterwards."""
    region = next(_LS_SCRATCH)
    yield region
    store = store_module.store()
    with store.lock:
        store.regions.pop(region, None)
        store.denied_regions.discard(region)


@pytest.fixture
def instant() -> Iterator[store_module.Store]:
    """Snapshots and disks are available as soon as they are made (restored afterwards)."""
    store = store_module.store()
    before = store.pending_for
    store.pending_for = timedelta(0)
    yield store
    store.pending_for = before


def place_web(region: str, *, auto: bool = False) -> None:
    """web (nano, 20 GB) in zone a, with disk 'data' (8 GB) attached at /dev/xvdf."""
    from snaptui.demo.lightsail.seed import place_disk, place_instance
    from snaptui.demo.lightsail.store import AutoAddOn
    from tests.conftest import NOW

    store = store_module.store()
    web = place_instance(
        store, region, "web", NOW - timedelta(days=30), blueprint_id="ubuntu_22_04",
        blueprint_name="Ubuntu", bundle_id="nano_3_0", disk_gb=20,
    )  # fmt: skip
    if auto:
        web.auto = AutoAddOn("03:00", NOW - timedelta(days=20))
    place_disk(store, region, "data", 8, attached_to="web", path="/dev/xvdf")
