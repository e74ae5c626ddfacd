"""Every dialog and prompt at 80x24 as a person sees it: opened, its first field focused, and
text typed into it (as one burst, the way SSH delivers it). The typed text must be on screen.

Update after an intended change with `pytest tests/ui/test_dialogs_svg.py --snapshot-update`
and read the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from snaptui.aws.session import AwsTarget
from tests.helpers import wait_loaded
from tests.ui.test_screens_svg import Snap, app_for

# (name, keys that open it, keys then typed at once: a field's text is typed after the
# default it was opened with, which stays; a list is opened with Enter, not typed into)
BS = ("backspace",) * 12
DIALOGS = [
    ("create_snapshot", ("4", "n"), (*"before kernel upgrade",)),
    ("copy", ("4", "p"), ("tab", *BS, *" (DR) [/]")),
    # A time-based copy: a duration AWS does not take is refused beside its field.
    ("copy_time_based", ("4", "p"), (*("tab",) * 6, *"20", "ctrl+s")),
    ("create_volume", ("4", "v"), ("backspace", "b")),
    ("restore", ("4", "R"), ("tab", "tab", "backspace", *"20", "tab", *"/dev/sdh")),
    ("launch", ("4", "L"), (*BS, *"t3.small")),
    ("archive", ("4", "a"), ()),
    ("delete", ("4", "x"), ()),
    ("share", ("4", "colon", *"share", "enter"), (*"210987654321",)),
    ("fast_restore", ("4", "colon", *"fsr", "enter"), (*", us-east-1c",)),
    ("filter_prompt", ("4", "slash"), (*"web-1 [/]",)),
    ("command_prompt", ("colon",), (*"cost",)),
]


def opened(
    keys: tuple[str, ...], typed: tuple[str, ...]
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await wait_loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()  # e.g. the DryRun before a dialog
            await pilot.pause()
        if typed:
            await pilot.press(*typed)  # one burst, no pause between keys
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run


@pytest.mark.parametrize(("name", "keys", "typed"), DIALOGS, ids=[d[0] for d in DIALOGS])
def test_dialog_80x24_with_text_typed(
    snap_compare: Snap,
    demo_target: AwsTarget,
    name: str,
    keys: tuple[str, ...],
    typed: tuple[str, ...],
) -> None:
    assert snap_compare(
        app_for(demo_target), terminal_size=(80, 24), run_before=opened(keys, typed)
    )
