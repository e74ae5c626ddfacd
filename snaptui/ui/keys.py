"""Keys that arrive in a burst land where the person meant them, not on the panes.

Over SSH a whole word arrives at once. When a key opens something (`n` asks EC2 with
DryRun, then opens a form), the keys behind it would otherwise reach the panes as
commands (`typed` = t, y copies, p copies a snapshot...). `HoldKeysApp.hold_keys` keeps
every key that comes in from then on; the dialog that opens calls `release_keys` once its
first field has focus, and the keys are replayed into it, in order, with any that arrive
during the replay behind them. If no dialog opens (the action was refused and said so), the
held keys are dropped, never run as commands.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual import events, on
from textual.message import Message

from snaptui.ui.text import SafeTextApp

ReturnType = TypeVar("ReturnType")
HOLD_LIMIT_S = 10.0  # a dialog that takes longer to open gets no keys typed before it


REPLAYED = "_snaptui_replayed"  # marks a held key posted again, so it is not held twice


def _replayed(key: events.Key) -> events.Key:
    # A plain Key (a subclass would be dispatched to on__replayed, not to on_key).
    again = events.Key(key.key, key.character)
    setattr(again, REPLAYED, True)
    return again


class _ReplayDone(Message):
    pass


class HoldKeysApp(SafeTextApp[ReturnType]):
    _held: list[events.Key] | None = None
    _hold_generation = 0

    def hold_keys(self) -> None:
        """Keep every key from now on until `release_keys` or `drop_held_keys`."""
        if self._held is None:
            self._held = []
        self._hold_generation += 1
        generation = self._hold_generation
        self.set_timer(HOLD_LIMIT_S, lambda: self._hold_expired(generation))

    def keep_key(self, key: events.Key) -> None:
        """Hold a key a widget received but will not take (a prompt after its enter)."""
        if self._held is None:
            self.hold_keys()
        assert self._held is not None
        self._held.append(key)

    def take_held_keys(self) -> list[events.Key]:
        """The held keys, for a screen that applies them itself; holding ends."""
        held, self._held = self._held or [], None
        return held

    @property
    def holding_keys(self) -> bool:
        return self._held is not None

    def release_keys(self) -> None:
        """Replay the held keys to whatever has focus now (call after focusing)."""
        held = self._held
        if held is None:
            return
        self._held = []  # keys arriving during the replay queue up behind it
        for key in held:
            self.post_message(_replayed(key))
        self.post_message(_ReplayDone())

    def drop_held_keys(self) -> int:
        """Nothing opened: forget the held keys (they were not commands). Returns how many."""
        held, self._held = self._held, None
        return len(held or ())

    def _hold_expired(self, generation: int) -> None:
        if generation == self._hold_generation and self._held is not None:
            dropped = self.drop_held_keys()
            if dropped:
                self.notify(f"{dropped} key(s) typed while waiting were dropped", timeout=4)

    @on(_ReplayDone)
    def _replay_done(self, _: _ReplayDone) -> None:
        if self._held:
            self.release_keys()  # more came in during the replay
        else:
            self._held = None

    def notify(self, message: Any, **kwargs: Any) -> None:
        # A warning while keys are held is the action saying no: nothing will take them.
        if self._held is not None and kwargs.get("severity", "information") != "information":
            self.drop_held_keys()
        super().notify(message, **kwargs)

    async def on_event(self, event: Any) -> None:
        if (
            self._held is not None
            and isinstance(event, events.Key)
            and not event.is_forwarded  # on its way back up, not a new key
            and not getattr(event, REPLAYED, False)
        ):
            self._held.append(event)
            event.stop()
            return
        await super().on_event(event)


def release_keys_to(screen: Any) -> None:
    """For a dialog's on_mount, after it focused its first field."""
    app = screen.app
    if isinstance(app, HoldKeysApp):
        app.release_keys()


def hold_keys(app: Any) -> None:
    if isinstance(app, HoldKeysApp):
        app.hold_keys()


def drop_held_keys(app: Any) -> None:
    if isinstance(app, HoldKeysApp):
        app.drop_held_keys()


def focus_now(widget: Any) -> None:
    """Focus ``widget`` before the next key is handled.

    Textual's ``Widget.focus()`` is deferred (call_later): in a burst like "3/" the pane focus
    that 3 asks for would land after `/` opened the prompt, and the next word would reach the
    pane as commands. Key handlers focus through this instead."""
    widget.screen.set_focus(widget)
