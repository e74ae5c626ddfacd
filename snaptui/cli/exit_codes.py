"""Exit codes of every snaptui command (documented in docs/headless.md)."""

from __future__ import annotations

OK = 0  # done (or planned, with --dry-run)
PARTIAL = 1  # something failed (a region, a call, a notification); everything else was done
USAGE = 2  # bad input or an unusable setup, reported before anything was sent
INTERRUPTED = 130  # Ctrl-C
TERMINATED = 143  # SIGTERM (systemd stop, kill): clean-ups ran first
