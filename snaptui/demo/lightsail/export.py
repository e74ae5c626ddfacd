"""ExportSnapshot: Lightsail hands a manual snapshot to EC2 in the same region, where it is an
ordinary EBS snapshot (one per disk of the snapshot), tagged with where it came from."""

from __future__ import annotations

from snaptui.demo.lightsail.store import Snapshot


def export_to_ebs(account: str, region: str, source: Snapshot) -> list[str]:
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[account][region]
    disks = [(source.from_name, source.size_gb)]
    disks += [(name, gb) for name, _, gb in source.from_disks]
    made: list[str] = []
    for disk_name, size_gb in disks:
        volume = backend.create_volume(size=size_gb, zone_name=f"{region}a")
        description = f"Exported from Lightsail snapshot {source.name} ({disk_name})"
        snapshot = backend.create_snapshot(volume.id, description)
        backend.create_tags(
            [snapshot.id],
            {"Name": f"{source.name}-export", "lightsail:snapshot": source.name,
             "lightsail:source": disk_name},
        )  # fmt: skip
        # The exported snapshot does not belong to any EC2 volume, as in AWS.
        backend.delete_volume(volume.id)
        made.append(snapshot.id)
    return made
