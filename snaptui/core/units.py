"""Byte units, one definition for the whole code base."""

from __future__ import annotations

KIB = 1024
MIB = 1024**2
GIB = 1024**3
TIB = 1024**4
EBS_BLOCK = 512 * KIB  # EBS snapshots store data in 512 KiB blocks
