"""The demo world's small in-process backends for what moto lacks around snapshots, in one
place the server wraps around moto: DLM policies, Recycle Bin rules, AWS Backup's recovery
points (and its refusal of EC2 deletes), fast snapshot restore. Each module names the AWS
behaviour it reproduces; tests/demo/test_services.py checks them against botocore's models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from snaptui.demo.backup_points import RecoveryPoints, refusing_backup_deletes
from snaptui.demo.dlm_backend import DlmPolicies
from snaptui.demo.fast_restore import FastRestores, with_fast_restores
from snaptui.demo.http_layer import App
from snaptui.demo.rbin_backend import RecycleBinRules
from snaptui.demo.rest_json import Routes, with_rest_json


@dataclass
class DemoServices:
    account: str
    routes: Routes = field(default_factory=Routes)
    dlm: DlmPolicies = field(default_factory=DlmPolicies)
    rbin: RecycleBinRules = field(default_factory=RecycleBinRules)
    backup: RecoveryPoints = field(init=False)
    fsr: FastRestores = field(init=False)

    def __post_init__(self) -> None:
        self.backup = RecoveryPoints(self.account)
        self.fsr = FastRestores(self.account)
        self.dlm.route(self.routes)
        self.rbin.route(self.routes)
        self.backup.route(self.routes)

    def wrap(self, app: App) -> App:
        return with_rest_json(
            refusing_backup_deletes(with_fast_restores(app, self.fsr), self.backup), self.routes
        )

    def forget_region(self, region: str) -> None:
        """A scratch region emptied after a test: its policies, rules and fast restores go."""
        with self.routes.lock:
            self.dlm.by_region.pop(region, None)
            self.rbin.by_region.pop(region, None)
            self.routes.denied = {d for d in self.routes.denied if d[1] != region}
        with self.fsr.lock:
            for key in [k for k in self.fsr.entries if k[0] == region]:
                del self.fsr.entries[key]

    def reset(self) -> None:
        with self.routes.lock:
            self.dlm.clear()
            self.rbin.clear()
            self.routes.denied.clear()
        self.fsr.clear()
