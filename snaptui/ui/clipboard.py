"""Copy text to the user's clipboard, wherever they sit.

Over SSH only the terminal can reach the user's clipboard, through OSC 52 (Textual's
copy_to_clipboard). Locally we also try pyperclip, since not every terminal honours OSC 52;
pyperclip starts a subprocess (xclip, pbcopy…), so it runs in a daemon thread, never on the
event loop, and the notification comes back as a message.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

from textual.app import App

from snaptui.ui.messages import Notice

OSC52 = "via terminal (OSC 52)"


def over_ssh() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def copy(app: App[Any], text: str, what: str = "") -> None:
    """Copy, then tell the user how ("Copied <what> to clipboard")."""
    app.copy_to_clipboard(text)  # OSC 52: works over SSH in most terminals
    head = f"Copied {what}".rstrip()
    if over_ssh():
        app.notify(f"{head} {OSC52}", timeout=3)
        return

    def local() -> None:
        how = "to clipboard"
        try:
            import pyperclip

            pyperclip.copy(text)
        except Exception:  # no local clipboard tool (headless box): OSC 52 is all we have
            how = OSC52
        with contextlib.suppress(RuntimeError):  # the app has gone meanwhile
            app.post_message(Notice(f"{head} {how}"))

    threading.Thread(target=local, name="snaptui-clipboard", daemon=True).start()
