"""The one exception for bad user input on the command line (the CLI exits 2 with its text)."""

from __future__ import annotations


class UsageError(ValueError):
    """Bad command-line input, found before anything is sent."""
