"""Mount commands for a Lightsail disk attached for a single-file restore. Pure text.

Lightsail does not expose the disk's EBS volume id, so unlike EC2 there is no
/dev/disk/by-id link to follow: the commands try the attach path (Xen), then the one NVMe
disk of that size with no mount point (Nitro bundles), and mount it read-only.
"""

from __future__ import annotations


def default_mount_point(disk_name: str) -> str:
    return f"/mnt/restore-{disk_name}"


def mount_commands(disk_name: str, path: str, size_gb: int, mount_point: str = "") -> list[str]:
    target = mount_point or default_mount_point(disk_name)
    return [
        f"# 1. Find the disk: {path} on Xen bundles, else the unmounted {size_gb} GB NVMe disk.",
        f"DISK={path}",
        '[ -b "$DISK" ] || DISK=$(lsblk -dpno NAME,SIZE,MOUNTPOINTS | '
        f'awk \'$2 == "{size_gb}G" && $3 == "" {{print $1; exit}}\')',
        'lsblk -o NAME,SIZE,FSTYPE,LABEL,MOUNTPOINTS "$DISK"',
        'PART=$(lsblk -lnpo NAME,FSTYPE "$DISK" | awk \'$2 != "" {print $1; exit}\')',
        "# 2. Mount it read-only (ext4: no journal replay; xfs: a copy shares its UUID).",
        f"sudo mkdir -p {target}",
        'case "$(lsblk -lnpo FSTYPE "$PART")" in xfs) OPTS=ro,nouuid ;; ext*) OPTS=ro,noload ;;'
        " *) OPTS=ro ;; esac",
        f'sudo mount -o "$OPTS" "$PART" {target}',
        f"ls {target}",
        "# When done: unmount, then let snaptui detach and delete the disk (clean-up).",
        f"sudo umount {target}",
    ]
