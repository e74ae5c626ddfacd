"""A keyboard-first form dialog: fields, defaults, and validation messages beside each field.

Nothing is sent until the validator returns no messages; the dialog dismisses with the values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

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


class FormScreen(ModalScreen[Values | None]):
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FormScreen VerticalScroll { height: auto; max-height: 100%; }
    FormScreen .intro { color: $text-muted; margin-bottom: 1; height: auto; }
    FormScreen .field-label { margin-top: 0; text-style: bold; }
    FormScreen .field-help { color: $text-muted; height: auto; }
    FormScreen .field-error { color: $error; height: auto; }
    FormScreen .field-error.empty { display: none; }
    FormScreen .form-error { color: $error; height: auto; margin-top: 1; }
    FormScreen Input, FormScreen Select { width: 100%; }
    /* One line per input: a form must fit 80x24 over SSH. */
    FormScreen Input { border: none; height: 1; padding: 0 1; background: $boost; }
    FormScreen Input:focus { background: $accent 35%; }
    FormScreen Checkbox { border: none; height: 1; padding: 0; }

    FormScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    FormScreen Button { margin-left: 2; min-width: 10; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Submit"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        validate: Validator,
        *,
        intro: str = "",
        submit_label: str = "OK",
    ) -> None:
        super().__init__()
        self._title = title
        self._fields = list(fields)
        self._validate = validate
        self._intro = intro
        self._submit_label = submit_label

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            box.border_subtitle = "ctrl+s submit · esc cancel"
            with VerticalScroll():
                if self._intro:
                    yield Static(self._intro, classes="intro")
                for f in self._fields:
                    yield from self._compose_field(f)
                yield Label("", id="form-error", classes="form-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(self._submit_label, variant="primary", id="submit")

    def _compose_field(self, f: Field) -> ComposeResult:
        if f.kind == "checkbox":
            yield Checkbox(f.label, value=bool(f.default), id=f"f-{f.key}")
        else:
            yield Label(f.label, classes="field-label")
            if f.kind == "select":
                yield Select(
                    list(f.options),
                    value=f.default if f.default is not None else Select.BLANK,
                    allow_blank=f.default is None,
                    id=f"f-{f.key}",
                )
            else:
                yield Input(value=str(f.default), placeholder=f.placeholder, id=f"f-{f.key}")
        if f.help:
            yield Static(f.help, classes="field-help")
        yield Label("", id=f"e-{f.key}", classes="field-error empty")

    def values(self) -> Values:
        out: Values = {}
        for f in self._fields:
            widget: Widget = self.query_one(f"#f-{f.key}")
            if isinstance(widget, Input):
                out[f.key] = widget.value.strip()
            elif isinstance(widget, Checkbox):
                out[f.key] = widget.value
            elif isinstance(widget, Select):
                out[f.key] = None if widget.value is Select.BLANK else widget.value
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        known = {f.key for f in self._fields}
        for f in self._fields:
            label = self.query_one(f"#e-{f.key}", Label)
            label.update(errors.get(f.key, ""))
            label.set_class(f.key not in errors, "empty")
        general = [msg for key, msg in errors.items() if key not in known]
        self.query_one("#form-error", Label).update("\n".join(general))
        first = next((f.key for f in self._fields if f.key in errors), None)
        if first is not None:
            self.query_one(f"#f-{first}").focus()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        values = self.values()
        errors = self._validate(values)
        if errors:
            self.show_errors(errors)
            return
        self.dismiss(values)

    @on(Input.Submitted)
    def _enter_in_input(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
