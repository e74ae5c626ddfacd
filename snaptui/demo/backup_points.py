"""Fidelity layer: AWS Backup's EBS recovery points (moto 5.2 has plans and vaults, but no
recovery points), answered from the EC2 snapshots AWS Backup would have made.

AWS (AWS Backup Developer Guide, "Amazon EBS"; API ListRecoveryPointsByResource,
DeleteRecoveryPoint):
- A recovery point of an EBS volume is an EBS snapshot tagged ``aws:backup:source-resource``
  with the volume's ARN; its ARN is ``arn:aws:ec2:<region>::snapshot/<snapshot id>``.
- ListRecoveryPointsByResource (GET /resources/{resourceArn}/recovery-points/) lists a
  resource's recovery points with their vault; MaxResults and NextToken page it.
- DescribeRecoveryPoint (GET /backup-vaults/{vault}/recovery-points/{arn}) names the plan
  and rule that made it (CreatedBy) and when its lifecycle deletes it (CalculatedLifecycle);
  a recovery point not in that vault answers ResourceNotFoundException.
- DeleteRecoveryPoint (DELETE /backup-vaults/{vault}/recovery-points/{arn}) deletes the
  snapshot; a recovery point not in that vault answers ResourceNotFoundException.
- EC2 DeleteSnapshot of a snapshot AWS Backup manages is refused: InvalidParameterValue,
  "This snapshot is managed by the AWS Backup service and cannot be deleted via EC2 APIs".
The seed's Backup-style chains carry the tag; every recovery point is in the ``Default`` vault,
made by one plan (PLAN, rule RULE) that keeps each for KEEP_DAYS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from snaptui.demo.http_layer import App, StartResponse, credential_scope, read_form, respond
from snaptui.demo.rest_json import JsonError, Request, Routes

SOURCE_TAG = "aws:backup:source-resource"
VAULT = "Default"
REFUSAL = (
    "This snapshot is managed by the AWS Backup service and cannot be deleted via EC2 APIs. "
    "If you wish to delete this snapshot, please do so via the Backup console."
)
_PAGE = 1000
PLAN = ("demo-plan-0000-4000-8000-000000000001", "bastion-weekly-90d")  # BackupPlanId, name
RULE = ("demo-rule-0000-4000-8000-000000000001", "weekly")
KEEP_DAYS = 90  # longer than the seed's oldest weekly point (8 weeks)


def _snapshots(account: str, region: str) -> dict[str, Any]:
    from moto.ec2.models import ec2_backends

    return ec2_backends[account][region].snapshots


def _source_of(snapshot: Any) -> str:
    return next((t["value"] for t in snapshot.get_tags() if t["key"] == SOURCE_TAG), "")


def _epoch(when: Any) -> float:
    """rest-json timestamps are epoch seconds; moto keeps naive UTC datetimes."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return float((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())


def point_arn(region: str, snapshot_id: str) -> str:
    return f"arn:aws:ec2:{region}::snapshot/{snapshot_id}"


class RecoveryPoints:
    """The Backup side of the EC2 snapshots of one account."""

    def __init__(self, account: str, snapshots: Callable[[str, str], dict[str, Any]] = _snapshots):
        self.account, self.snapshots = account, snapshots

    def managed(self, region: str, snapshot_id: str) -> bool:
        snap = self.snapshots(self.account, region).get(snapshot_id)
        return snap is not None and bool(_source_of(snap))

    def by_resource(self, req: Request) -> tuple[int, dict[str, Any]]:
        arn = req.path["arn"]
        points = [
            self._point(req.region, s)
            for s in list(self.snapshots(self.account, req.region).values())
            if _source_of(s) == arn
        ]
        points.sort(key=lambda p: float(p["CreationDate"]), reverse=True)
        size = int((req.query.get("maxResults") or [str(_PAGE)])[0])
        start = int((req.query.get("nextToken") or ["0"])[0])
        out: dict[str, Any] = {"RecoveryPoints": points[start : start + size]}
        if start + size < len(points):
            out["NextToken"] = str(start + size)
        return 200, out

    def _point(self, region: str, snap: Any) -> dict[str, Any]:
        point: dict[str, Any] = {
            "RecoveryPointArn": point_arn(region, snap.id),
            "CreationDate": _epoch(snap.start_time),
            "Status": "COMPLETED",
            "BackupSizeBytes": int(snap.volume.size) * 2**30,
            "BackupVaultName": VAULT,
            "VaultType": "BACKUP_VAULT",
        }
        if snap.encrypted:
            point["EncryptionKeyType"] = "CUSTOMER_MANAGED_KMS_KEY"
        return point

    def _in_vault(self, req: Request) -> Any:
        """The snapshot the request's recovery point is, when it is in the request's vault."""
        arn, prefix = req.path["arn"], f"arn:aws:ec2:{req.region}::snapshot/"
        sid = arn[len(prefix) :] if arn.startswith(prefix) else ""
        if req.path["vault"] != VAULT or not sid or not self.managed(req.region, sid):
            raise JsonError("ResourceNotFoundException", f"{arn} is not in {req.path['vault']}")
        return self.snapshots(self.account, req.region)[sid]

    def describe(self, req: Request) -> tuple[int, dict[str, Any]]:
        snap = self._in_vault(req)
        plan_arn = f"arn:aws:backup:{req.region}:{self.account}:backup-plan:{PLAN[0]}"
        created = _epoch(snap.start_time)
        made_by = {"BackupPlanId": PLAN[0], "BackupPlanArn": plan_arn, "BackupPlanName": PLAN[1]}
        made_by |= {"BackupPlanVersion": "1", "BackupRuleId": RULE[0], "BackupRuleName": RULE[1]}
        point = self._point(req.region, snap)
        point["BackupSizeInBytes"] = point.pop("BackupSizeBytes")  # Describe's own name
        return 200, {
            **point,
            "BackupVaultArn": f"arn:aws:backup:{req.region}:{self.account}:backup-vault:{VAULT}",
            "ResourceArn": _source_of(snap),
            "ResourceType": "EBS",
            "CreatedBy": made_by,
            "Lifecycle": {"DeleteAfterDays": KEEP_DAYS},
            "CalculatedLifecycle": {"DeleteAt": created + KEEP_DAYS * 86400},
            "StorageClass": "WARM",
        }

    def delete(self, req: Request) -> tuple[int, dict[str, Any]]:
        from moto.ec2.models import ec2_backends

        snap = self._in_vault(req)
        ec2_backends[self.account][req.region].delete_snapshot(snap.id)
        return 200, {}

    def route(self, routes: Routes) -> None:
        routes.add("backup", "GET", "/resources/(?P<arn>[^/]+)/recovery-points/?", self.by_resource)
        vault = "/backup-vaults/(?P<vault>[^/]+)/recovery-points/(?P<arn>[^/]+)"
        routes.add("backup", "DELETE", vault, self.delete)
        routes.add("backup", "GET", vault, self.describe)


def refusing_backup_deletes(app: App, points: RecoveryPoints) -> App:
    """EC2 DeleteSnapshot of a Backup-managed snapshot answers AWS's refusal."""

    def dispatch(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        params = read_form(environ)
        if params is None or params.get("Action") != "DeleteSnapshot":
            return app(environ, start_response)
        region = credential_scope(environ)[0]
        if params.get("DryRun") == "true" or not points.managed(
            region, params.get("SnapshotId", "")
        ):
            return app(environ, start_response)
        body = (
            "<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error>"
            f"<Code>InvalidParameterValue</Code><Message>{escape(REFUSAL)}</Message>"
            "</Error></Errors><RequestID>demo</RequestID></Response>"
        )
        return respond(
            start_response, "400 Bad Request", [("Content-Type", "text/xml")], body.encode()
        )

    return dispatch
