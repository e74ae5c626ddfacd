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

from snaptui.demo.lightsail import store as store_module
from snaptui.demo.seed import SeedReport
from snaptui.demo.server import DemoServer
from tests.demo.model_check import json_problems

# Lightsail regions the seed never touches (EC2 scratch regions may overlap: different store).
_LS_SCRATCH = itertools.cycle(
    ["us-east-2", "us-west-2", "eu-west-2", "eu-west-3", "eu-central-1", "ca-central-1",
     "ap-south-1", "ap-northeast-1", "ap-northeast-2", "eu-north-1", "ap-southeast-1"]
)  # fmt: skip


def install_shape_check(client: Any, seen: list[str] | None = None) -> Any:
    """Fail the call whose raw answer does not fit the model (errors: a declared exception)."""

    def check(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        body = json.loads(response_dict["body"] or b"{}")
        if response_dict["status_code"] == 200:
            errors = json_problems(operation_model.output_shape, body)
        else:
            declared = {e.name for e in operation_model.error_shapes}
            code = body.get("__type", "")
            errors = [] if code in declared else [f"undeclared error {code}"]
            errors += json_problems(operation_model.service_model.shape_for(code), body) * bool(
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
