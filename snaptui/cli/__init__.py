"""The command line: entry point, shared flags, exit codes, and the one place the demo starts.

``snaptui.cli:main`` is the console script. It imports the entry module only when called, so
that ``snaptui.cli.args`` and ``snaptui.cli.exit_codes`` can be imported by the commands
without pulling in the whole CLI.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from snaptui.cli.entry import main as entry_main

    return entry_main(argv)
