"""Fidelity patches for the actions (RegisterImage, DeleteSnapshot, CopySnapshot)."""

from __future__ import annotations


def install_action_patches() -> None:
    """Filled in by the actions work."""
