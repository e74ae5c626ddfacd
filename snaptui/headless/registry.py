"""The headless subcommands (cost, snapshot, prune): each ``*_args`` module's ``register``.

These modules import neither boto3 nor Textual; the command itself (``RUN``) is imported only
when it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from snaptui.headless import cost_args, files_args, prune_args, snapshot_args

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

REGISTRARS: list[Registrar] = [
    cost_args.register,
    snapshot_args.register,
    prune_args.register,
    files_args.register,
]
