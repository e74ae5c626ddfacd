"""The commands that find and mount a restored volume read-only."""

from __future__ import annotations

from snaptui.core import mount_commands as mc

VOL = "vol-0123456789abcdef0"


def test_nvme_link_uses_the_volume_id_without_its_dash() -> None:
    assert mc.nvme_link(VOL) == (
        "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"
    )


def test_xen_names() -> None:
    assert mc.xen_device("/dev/sdf") == "/dev/xvdf"
    assert mc.xen_device("/dev/xvdg") == "/dev/xvdg"


def test_commands_find_the_disk_nvme_first_then_xen() -> None:
    lines = mc.mount_commands(VOL, "/dev/sdf")
    text = "\n".join(lines)
    assert text.index(mc.nvme_link(VOL)) < text.index("/dev/xvdf") < text.index("DISK=/dev/sdf")
    assert "lsblk" in text
    assert "sudo mkdir -p /mnt/" + VOL in text
    # Unknown file system: chosen on the instance, with nouuid for XFS.
    assert "xfs) OPTS=ro,nouuid" in text
    assert 'sudo mount -o "$OPTS" "$PART" /mnt/' + VOL in text
    assert "sudo umount /mnt/" + VOL in text


def test_known_file_systems_get_their_read_only_options() -> None:
    xfs = mc.mount_script(VOL, "/dev/sdf", "xfs", "/mnt/old")
    assert 'sudo mount -o ro,nouuid "$PART" /mnt/old' in xfs
    assert "case" not in xfs
    assert 'sudo mount -o ro,noload "$PART"' in mc.mount_script(VOL, "/dev/sdf", "ext4")
    assert 'sudo mount -o ro "$PART"' in mc.mount_script(VOL, "/dev/sdf", "vfat")
    assert mc.mount_script(VOL, "/dev/sdf").endswith("\n")


def test_every_mount_is_read_only() -> None:
    for fs in ("", "xfs", "ext4", "btrfs"):
        for line in mc.mount_commands(VOL, "/dev/sdg", fs):
            if line.startswith("sudo mount"):
                assert "-o ro" in line or '-o "$OPTS"' in line
