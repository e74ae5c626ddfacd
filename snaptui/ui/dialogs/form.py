"""A keyboard-first form dialog: fields, defaults, and validation messages beside each field.

Made for 80x24 over SSH: every field is one line and shows its text while focused (compact
widgets: no tall focus border to hide it), the first field has the focus on open (and gets
the keys typed while it opened), tab moves without selecting all (typing never silently
replaces a default), enter moves to the next field, ctrl+s or the button submits, and the
fields scroll while the buttons stay on screen. Checkboxes say `[x]` or `[ ]` in text.

Nothing is sent until the validator returns no messages; the dialog dismisses with the
values. Reopened after AWS refused them, it shows the same values and AWS's message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from snaptui.ui.burst_input import BurstInput
from snaptui.ui.keys import release_keys_to
from snaptui.ui.text import data, line

Values = dict[str, Any]
Validator = Callable[[Values], dict[str, str]]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: Literal["text", "select", "checkbox"] = "text"
    default: Any = ""
    options: Sequence[tuple[str, Any]] = ()  # (label, value) for selects
    help: str = ""
    placeholder: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Free text a person extends (a description, a name): shown with a trailing space, so
    # words typed after the default read as words ("web-2-root nightly", not
    # "web-2-rootnightly"); values are stripped on submit.
    prose: bool = False


class TickBox(Checkbox):
    """A checkbox whose state is text (`[x]` / `[ ]`), not only a colour; space toggles."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Toggle", show=False),
    ]

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("[x]" if self.value else "[ ]", style))


class FormScreen(ModalScreen[Values | None]):
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FormScreen VerticalScroll { height: auto; max-height: 1fr; scrollbar-size-vertical: 1; }
    FormScreen .intro { color: $text-muted; margin-bottom: 1; height: auto; }
    FormScreen .field-label { margin-top: 0; text-style: bold; }
    FormScreen .field-help { color: $text-muted; height: auto; }
    FormScreen .field-error { color: $error; height: auto; }
    FormScreen .field-error.empty { display: none; }
    FormScreen .form-error { color: $error; height: auto; }
    FormScreen .form-error.empty { display: none; }
    FormScreen Input, FormScreen Select { width: 100%; }
    FormScreen Input { background: $boost; padding: 0 1; }
    FormScreen Input:focus { background: $accent 30%; }
    FormScreen Select:focus > SelectCurrent { background: $accent 30%; }
    FormScreen TickBox { width: 100%; background: $surface; padding: 0; }
    FormScreen TickBox:focus { background: $accent 30%; }
    FormScreen #buttons { height: 1; align-horizontal: right; dock: bottom; }
    FormScreen Button { margin-left: 2; min-width: 10; }
    """
    # Priority: run as each key arrives, so in "abc<tab>def" sent at once the focus has
    # moved before "d" is delivered.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("tab", "move(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "move(-1)", "Previous field", show=False, priority=True),
        Binding("enter", "enter", "Next field", show=False, priority=True),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        validate: Validator,
        *,
        intro: str = "",
        submit_label: str = "OK",
        values: Values | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._fields = list(fields)
        self._validate = validate
        self._intro = intro
        self._submit_label = submit_label
        self._initial = dict(values or {})
        self._initial_errors = dict(errors or {})

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = line(self._title)
            box.border_subtitle = "enter next · ctrl+s submit · esc cancel"
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button(self._submit_label, variant="primary", id="submit", compact=True)
            with VerticalScroll():
                if self._intro:
                    yield Static(data(self._intro), classes="intro")
                yield Label("", id="form-error", classes="form-error empty")
                for f in self._fields:
                    yield from self._compose_field(f)

    def _compose_field(self, f: Field) -> ComposeResult:
        value = self._initial.get(f.key, f.default)
        if f.kind == "checkbox":
            yield TickBox(line(f.label), value=bool(value), id=f"f-{f.key}", compact=True)
        else:
            yield Label(line(f.label), classes="field-label")
            if f.kind == "select":
                yield Select(
                    [(line(label), v) for label, v in f.options],
                    value=value if value is not None else Select.NULL,
                    allow_blank=f.default is None,
                    id=f"f-{f.key}",
                    compact=True,
                )
            else:
                text = str(value)
                if f.prose and text.strip() and not text.endswith(" "):
                    text += " "
                yield BurstInput(
                    value=text,
                    placeholder=f.placeholder,
                    id=f"f-{f.key}",
                    compact=True,
                    select_on_focus=False,
                )
        if f.help:
            yield Static(data(f.help), classes="field-help")
        yield Label("", id=f"e-{f.key}", classes="field-error empty")

    def on_mount(self) -> None:
        if self._initial_errors:
            self.show_errors(self._initial_errors)
        elif self._fields:
            self.set_focus(self._field_widget(self._fields[0].key))
        release_keys_to(self)  # keys typed while the form opened go to the focused field

    def _field_widget(self, key: str) -> Widget:
        return self.query_one(f"#f-{key}")

    def values(self) -> Values:
        out: Values = {}
        for f in self._fields:
            widget = self._field_widget(f.key)
            if isinstance(widget, Input):
                out[f.key] = widget.value.strip()
            elif isinstance(widget, Checkbox):
                out[f.key] = widget.value
            elif isinstance(widget, Select):
                out[f.key] = None if widget.value is Select.NULL else widget.value
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its field; the first bad field gets the focus (and shows)."""
        known = {f.key for f in self._fields}
        for f in self._fields:
            label = self.query_one(f"#e-{f.key}", Label)
            label.update(data(errors.get(f.key, "")))
            label.set_class(f.key not in errors, "empty")
        general = [msg for key, msg in errors.items() if key not in known]
        form_error = self.query_one("#form-error", Label)
        form_error.update(data("\n".join(general)) if general else "")
        form_error.set_class(not general, "empty")
        first = next((f.key for f in self._fields if f.key in errors), None)
        if first is not None:
            self.set_focus(self._field_widget(first))
        elif general:
            self.query_one(VerticalScroll).scroll_home(animate=False)

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        values = self.values()
        errors = self._validate(values)
        if errors:
            self.show_errors(errors)
            return
        self.dismiss(values)

    def _focus_order(self) -> list[Widget]:
        fields = [self._field_widget(f.key) for f in self._fields]
        return [*fields, self.query_one("#submit", Button), self.query_one("#cancel", Button)]

    def action_move(self, step: int) -> None:
        order = self._focus_order()
        if self.focused not in order:
            raise SkipAction()  # e.g. a select's open list: its own keys apply
        at = order.index(self.focused)
        self.set_focus(order[(at + step) % len(order)])

    def action_enter(self) -> None:
        """Enter moves on, like tab (the last field goes to the submit button)."""
        if isinstance(self.focused, Input | TickBox):
            self.action_move(1)
        else:
            raise SkipAction()  # buttons press, selects open

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
