"""Drill-down over the inventory: which instances, volumes and snapshots each choice shows.

Pure functions over the models, so the UI only decides *when* to ask, never *what* to show.
Choosing a region narrows everything; an instance narrows volumes (and snapshots) to its
volumes; a volume narrows snapshots to its own. Snapshots whose volume no longer exists
("orphans") stay reachable through a pseudo-volume.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from snaptui.core.copies import copies_by_source
from snaptui.models import Image, Instance, RegionInventory, Snapshot, Volume

ALL = ""  # the "all" choice at every level
ORPHANS = "(orphans)"  # pseudo volume id: volume gone, no AMI, not a copy
NO_VOLUME = "(no volume)"  # pseudo volume id: every snapshot whose volume is not here


COPY_VOLUME_ID = "vol-ffffffff"  # what AWS reports as the VolumeId of a copied snapshot


def is_copy(snap: Snapshot) -> bool:
    return snap.volume_id == COPY_VOLUME_ID or snap.description.startswith("[Copied ")


@dataclass(frozen=True, slots=True)
class Choice:
    """What the user has narrowed to. ALL at a level means no narrowing there."""

    region: str = ALL
    instance_id: str = ALL
    volume_id: str = ALL


@dataclass(slots=True)
class Fleet:
    """All regions' inventories with the indexes drill-down and the detail panel need.

    Built once per refresh (O(n)); every query after that is a dict lookup or one pass.
    """

    inventories: dict[str, RegionInventory] = field(default_factory=dict)
    volumes_by_id: dict[str, Volume] = field(default_factory=dict)
    instances_by_id: dict[str, Instance] = field(default_factory=dict)
    snapshots_by_id: dict[str, Snapshot] = field(default_factory=dict)
    images_by_snapshot: dict[str, list[Image]] = field(default_factory=dict)
    snapshots_by_volume: dict[str, list[Snapshot]] = field(default_factory=dict)
    # Source snapshot id -> its known copies in any region (core/copies.py).
    copies_by_source: dict[str, list[Snapshot]] = field(default_factory=dict)

    @classmethod
    def build(cls, inventories: Mapping[str, RegionInventory]) -> Fleet:
        fleet = cls(inventories=dict(inventories))
        for inv in inventories.values():
            for vol in inv.volumes:
                fleet.volumes_by_id[vol.id] = vol
            for inst in inv.instances:
                fleet.instances_by_id[inst.id] = inst
            for img in inv.images:
                for sid in img.snapshot_ids:
                    fleet.images_by_snapshot.setdefault(sid, []).append(img)
            for snap in inv.snapshots:
                fleet.snapshots_by_id[snap.id] = snap
                fleet.snapshots_by_volume.setdefault(snap.volume_id, []).append(snap)
        fleet.copies_by_source = copies_by_source(
            s for inv in inventories.values() for s in inv.snapshots
        )
        return fleet

    # --- derived facts -------------------------------------------------------------------

    def is_orphan(self, snap: Snapshot) -> bool:
        """Source volume gone and no AMI keeps the snapshot: a candidate for clean-up.

        Copies never had a volume here (AWS reports vol-ffffffff); they are kept on purpose
        (DR, sharing), so they are not orphans.
        """
        return (
            not is_copy(snap)
            and not self.volume_exists(snap)
            and snap.id not in self.images_by_snapshot
        )

    def volume_exists(self, snap: Snapshot) -> bool:
        vol = self.volumes_by_id.get(snap.volume_id)
        # A copy keeps its source's VolumeId (even across regions): only a volume in the
        # snapshot's own region is its source.
        return vol is not None and vol.region == snap.region

    def images_using(self, snapshot_id: str) -> list[Image]:
        return self.images_by_snapshot.get(snapshot_id, [])

    def instance_of(self, volume: Volume) -> Instance | None:
        return self.instances_by_id.get(volume.instance_id) if volume.instance_id else None

    def region_names(self) -> list[str]:
        return sorted(self.inventories)

    def _regions(self, region: str) -> Iterable[RegionInventory]:
        if region == ALL:
            return self.inventories.values()
        inv = self.inventories.get(region)
        return [inv] if inv is not None else []

    # --- what each pane shows ------------------------------------------------------------

    def instances(self, choice: Choice) -> list[Instance]:
        return [i for inv in self._regions(choice.region) for i in inv.instances]

    def volumes(self, choice: Choice) -> list[Volume]:
        vols = [v for inv in self._regions(choice.region) for v in inv.volumes]
        if choice.instance_id != ALL:
            vols = [
                v for v in vols if any(a.instance_id == choice.instance_id for a in v.attachments)
            ]
        return vols

    def orphan_count(self, region: str) -> int:
        return sum(1 for inv in self._regions(region) for s in inv.snapshots if self.is_orphan(s))

    def no_volume_count(self, region: str) -> int:
        return sum(
            1 for inv in self._regions(region) for s in inv.snapshots if not self.volume_exists(s)
        )

    def snapshots(self, choice: Choice) -> list[Snapshot]:
        regions = list(self._regions(choice.region))
        if choice.volume_id == ORPHANS:
            return [s for inv in regions for s in inv.snapshots if self.is_orphan(s)]
        if choice.volume_id == NO_VOLUME:
            return [s for inv in regions for s in inv.snapshots if not self.volume_exists(s)]
        if choice.volume_id != ALL:
            vol = self.volumes_by_id.get(choice.volume_id)
            region = vol.region if vol else choice.region
            return [
                s for s in self.snapshots_by_volume.get(choice.volume_id, []) if s.region == region
            ]
        if choice.instance_id != ALL:
            inst = self.instances_by_id.get(choice.instance_id)
            wanted = set(inst.volume_ids) if inst else set()
            wanted |= {v.id for v in self.volumes(choice)}
            return [
                s
                for vid in sorted(wanted)
                for s in self.snapshots_by_volume.get(vid, [])
                if inst is None or s.region == inst.region
            ]
        return [s for inv in regions for s in inv.snapshots]

    def counts(self) -> tuple[int, int, int]:
        """(instances, volumes, snapshots) over every region."""
        invs = self.inventories.values()
        return (
            sum(len(i.instances) for i in invs),
            sum(len(i.volumes) for i in invs),
            sum(len(i.snapshots) for i in invs),
        )
