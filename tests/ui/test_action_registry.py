"""The actions are found by name in one registry: every key's name is in it, no other is run."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.binding import Binding

from snaptui.ui import actions
from snaptui.ui.app import SnapApp


def test_every_bound_action_name_is_registered() -> None:
    bound = {
        m.group(1)
        for b in SnapApp.BINDINGS
        if isinstance(b, Binding) and (m := re.fullmatch(r"act\('(\w+)'\)", b.action))
    }
    assert bound == {
        "create_snapshot", "delete", "restore", "copy", "create_volume", "launch", "archive",
    }  # fmt: skip
    # The `:` views run the others by name.
    by_view = {
        "restores", "recycle_bin", "make_private", "share", "unshare", "lock", "unlock",
        "fast_restore", "fast_restore_off",
    }  # fmt: skip
    assert set(actions.ACTIONS) == bound | by_view


def test_an_unknown_action_name_fails_loudly() -> None:
    ran: list[Any] = []
    ctx = actions.ActionContext(ran)  # type: ignore[arg-type]  # never reached
    with pytest.raises(KeyError):
        actions.run("no_such_action", ctx)
    assert ran == []
