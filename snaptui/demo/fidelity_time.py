"""Fidelity patches for instances, volumes and idempotency tokens (moto 5.2 vs AWS)."""

from __future__ import annotations

from snaptui.demo.patches import Patch


def patches() -> list[Patch]:
    return []
