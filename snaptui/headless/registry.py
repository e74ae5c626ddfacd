"""The headless subcommands (cost, snapshot, prune). Each module's ``register`` is listed here."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from snaptui.headless import cost_cmd, files_cmd, prune_cmd, snapshot_cmd

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

REGISTRARS: list[Registrar] = [
    cost_cmd.register,
    snapshot_cmd.register,
    prune_cmd.register,
    files_cmd.register,
]
