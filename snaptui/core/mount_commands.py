"""The shell commands that find a restored volume on the instance and mount it read-only. Pure.

On Nitro instances EBS volumes appear as NVMe disks whose names (/dev/nvme1n1) do not match the
device name given to AttachVolume; udev links them by volume id under /dev/disk/by-id. Xen
instances keep the attachment name, usually renamed /dev/sdf -> /dev/xvdf. The restored file
system is a copy of one that may still be mounted on the same instance: XFS refuses a
duplicate UUID without ``nouuid``, and ext4 would replay its journal (a write) without
``noload``.
"""

from __future__ import annotations

NVME_LINK = "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_{}"


def nvme_link(volume_id: str) -> str:
    """udev's by-id link for an EBS volume: the id without its dash."""
    return NVME_LINK.format(volume_id.replace("-", ""))


def xen_device(device: str) -> str:
    """What a Xen guest calls an attachment: /dev/sdf shows up as /dev/xvdf."""
    name = device.rsplit("/", 1)[-1]
    if name.startswith("sd"):
        name = "xvd" + name[2:]
    return f"/dev/{name}"


# The filesystems the mount commands know how to mount read-only ("" = let blkid tell).
FILESYSTEMS = ("", "ext4", "ext3", "ext2", "xfs", "btrfs", "vfat", "ntfs")


def mount_options(fs_type: str) -> str:
    fs = fs_type.lower()
    if fs == "xfs":
        return "ro,nouuid"
    if fs in ("ext3", "ext4"):
        return "ro,noload"
    return "ro"


def default_mount_point(volume_id: str) -> str:
    return f"/mnt/{volume_id}"


def mount_commands(
    volume_id: str, device: str, fs_type: str = "", mount_point: str = ""
) -> list[str]:
    """Lines of a shell session, comments included, to run on the instance as a sudoer."""
    target = mount_point or default_mount_point(volume_id)
    options = mount_options(fs_type)
    lines = [
        "# 1. Find the disk: Nitro (NVMe) first, then the Xen name.",
        f"DISK=$(readlink -f {nvme_link(volume_id)} 2>/dev/null)",
        f'[ -b "$DISK" ] || DISK={xen_device(device)}',
        f'[ -b "$DISK" ] || DISK={device}',
        "# 2. See its partitions and file systems (a root volume usually has partition 1).",
        'lsblk -o NAME,SIZE,FSTYPE,LABEL,MOUNTPOINTS "$DISK"',
        'PART=$(lsblk -lnpo NAME,FSTYPE "$DISK" | awk \'$2 != "" {print $1; exit}\')',
        "# 3. Mount it read-only.",
        f"sudo mkdir -p {target}",
    ]
    if fs_type:
        lines.append(f'sudo mount -o {options} "$PART" {target}')
    else:
        lines += [
            'FSTYPE=$(lsblk -lnpo FSTYPE "$PART")',
            "# XFS: a copy shares its UUID with the original (nouuid); ext4: no journal replay.",
            'case "$FSTYPE" in',
            "  xfs) OPTS=ro,nouuid ;;",
            "  ext3|ext4) OPTS=ro,noload ;;",
            "  *) OPTS=ro ;;",
            "esac",
            f'sudo mount -o "$OPTS" "$PART" {target}',
        ]
    lines += [
        f"ls {target}",
        "# When done: unmount, then use snaptui's restores list to detach and delete the volume.",
        f"sudo umount {target}",
    ]
    return lines


def mount_script(volume_id: str, device: str, fs_type: str = "", mount_point: str = "") -> str:
    return "\n".join(mount_commands(volume_id, device, fs_type, mount_point)) + "\n"
