"""Copy text to the user's clipboard, wherever they sit.

Over SSH only the terminal can reach the user's clipboard, through OSC 52 (Textual's
copy_to_clipboard). Locally we also try pyperclip, since not every terminal honours OSC 52.
"""

from __future__ import annotations

import os
from typing import Any

from textual.app import App


def over_ssh() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def copy(app: App[Any], text: str) -> str:
    """Copy and say how, for the notification."""
    app.copy_to_clipboard(text)  # OSC 52: works over SSH in most terminals
    if over_ssh():
        return "via terminal (OSC 52)"
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception:  # no local clipboard tool (headless box): OSC 52 is all we have
        return "via terminal (OSC 52)"
    return "to clipboard"
