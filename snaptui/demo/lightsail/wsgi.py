"""A WSGI layer in front of moto: Lightsail's JSON 1.1 requests (POST, ``X-Amz-Target:
Lightsail_20161128.<Op>``) are answered by our backend, everything else goes on to moto.

The region comes from the SigV4 credential scope, as AWS's regional endpoints imply it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from snaptui.demo.accounts import member_of
from snaptui.demo.http_layer import App, StartResponse, credential_scope
from snaptui.demo.lightsail import handlers_read as read
from snaptui.demo.lightsail import handlers_restore as restore
from snaptui.demo.lightsail import handlers_snap as snap
from snaptui.demo.lightsail import store as store_module
from snaptui.demo.lightsail.store import LsError, Region, Store

TARGET_PREFIX = "Lightsail_20161128."
# Regions with a Lightsail endpoint (botocore's endpoint data, 2026).
LIGHTSAIL_REGIONS = (
    "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-3", "ap-southeast-5", "ca-central-1", "eu-central-1", "eu-north-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "us-east-1", "us-east-2", "us-west-2",
)  # fmt: skip

Handler = Callable[[Store, Region, dict[str, Any]], dict[str, Any]]
OPERATIONS: dict[str, Handler] = {
    "GetInstances": read.get_instances,
    "GetInstance": read.get_instance,
    "GetDisks": read.get_disks,
    "GetDisk": read.get_disk,
    "GetInstanceSnapshots": read.get_instance_snapshots,
    "GetInstanceSnapshot": read.get_instance_snapshot,
    "GetDiskSnapshots": read.get_disk_snapshots,
    "GetDiskSnapshot": read.get_disk_snapshot,
    "GetAutoSnapshots": read.get_auto_snapshots,
    "GetBundles": read.get_bundles,
    "GetKeyPairs": read.get_key_pairs,
    "GetRegions": read.get_regions,
    "CreateInstanceSnapshot": snap.create_instance_snapshot,
    "CreateDiskSnapshot": snap.create_disk_snapshot,
    "DeleteInstanceSnapshot": snap.delete_instance_snapshot,
    "DeleteDiskSnapshot": snap.delete_disk_snapshot,
    "DeleteAutoSnapshot": snap.delete_auto_snapshot,
    "CopySnapshot": snap.copy_snapshot,
    "ExportSnapshot": snap.export_snapshot,
    "CreateInstancesFromSnapshot": restore.create_instances_from_snapshot,
    "CreateDiskFromSnapshot": restore.create_disk_from_snapshot,
    "AttachDisk": restore.attach_disk,
    "DetachDisk": restore.detach_disk,
    "DeleteDisk": restore.delete_disk,
    "EnableAddOn": restore.enable_add_on,
    "DisableAddOn": restore.disable_add_on,
}


def region_of(environ: dict[str, Any]) -> str:
    return credential_scope(environ)[0] or "us-east-1"


def answer(
    operation: str, region: str, body: dict[str, Any], account: str | None = None
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) for one request; errors are Lightsail's exception shapes.
    ``account``: a member account of the demo's organization (None: the home account)."""
    store = store_module.store(account)
    handler = OPERATIONS.get(operation)
    try:
        if handler is None:
            raise LsError("InvalidInputException", f"{operation} is not in the demo world")
        if region in store.denied_regions:
            raise LsError("AccessDeniedException", f"not authorized to perform {operation}")
        if region not in LIGHTSAIL_REGIONS:
            raise LsError("InvalidInputException", f"Lightsail is not offered in {region}")
        with store.lock:
            reg = store.region(region)
            store.answering(reg)
            store.roll_autos(reg)
            return 200, handler(store, reg, body)
    except LsError as exc:
        return 400, {"__type": exc.code, "code": exc.code, "message": exc.message}


def with_lightsail(app: App) -> App:
    """Wrap moto's WSGI app so Lightsail requests are answered here."""

    def dispatch(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if not target.startswith(TARGET_PREFIX):
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            status, out = 400, {"__type": "InvalidInputException", "message": "body is not JSON"}
        else:
            operation, region = target[len(TARGET_PREFIX) :], region_of(environ)
            status, out = answer(operation, region, body, member_of(environ))
        data = json.dumps(out).encode()
        start_response(
            f"{status} {'OK' if status == 200 else 'Bad Request'}",
            [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(data)))],
        )
        return [data]

    return dispatch


def moto_server(
    ip_address: str, port: int, token: str, outer: Callable[[App], App] = lambda app: app
) -> Any:
    """moto's ThreadedMotoServer with this layer in front of its app (same port, same URL),
    its control API guarded by ``token`` (snaptui.demo.guard), and ``outer`` around it all
    (the ClientToken and unkind layers)."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    from snaptui.demo.guard import guard_moto_api, quiet_dispatcher

    class _Server(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app = outer(guard_moto_api(with_lightsail(quiet_dispatcher(create_backend_app)), token))
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever()

    return _Server(ip_address=ip_address, port=port, verbose=False)
