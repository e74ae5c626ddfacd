"""The demo world's simulated blocks, shared by the fidelity patches that read or change them.

A module of its own so that no fidelity module imports another: each reads ``world()`` at call
time (the world is replaced on reset).
"""

from __future__ import annotations

from snaptui.demo.blocks import BlockWorld

_WORLD = BlockWorld()


def world() -> BlockWorld:
    return _WORLD


def reset_world() -> BlockWorld:
    """Forget all simulated blocks (the moto state is reset separately)."""
    global _WORLD
    _WORLD = BlockWorld()
    return _WORLD
