"""Any string from AWS or a user becomes safe display text (core/text.py, ui/text.py).

Property tests: whatever the string, nothing that acts on a terminal survives, the text is
never parsed as markup, and rendering it through Rich and Textual's Content never raises.
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.content import Content

from snaptui.core.text import has_unsafe, one_cell_pictures, one_line, shown
from snaptui.ui.text import TerminalSafetyFilter, assemble, data, line, sanitized

# Strings as AWS can return them: markup look-alikes, controls, bidi, line breaks, anything.
NASTY = [
    "[/]",
    "[/",
    "golden [/] image",
    "[link=x]click[/link]",
    "[@click=app.quit]quit[/]",
    "[Copied snap-0123 from us-east-1]",
    "line one\nline two",
    "\x9b31mred",
    "\x9d52;c;aGVsbG8=\x07",
    "\x1b[2J\x1b[H",
    "abc\u202edcba",
    "\u2066isolate\u2069",
    "del\x7f",
    "tab\there",
    "\r\n",
]
PIECES = st.sampled_from([*NASTY, "[", "]", "/", "=", "@", "\\", "x9b", "␤"])
TEXTS = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=0x2070)),
    st.lists(PIECES | st.text(max_size=3)).map("".join),
)
UNSAFE_CHARS = [chr(c) for c in [*range(0, 9), *range(10, 32), *range(0x7F, 0xA0)]] + [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
]  # fmt: skip


def rendered(renderable: object, width: int = 60) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


@given(TEXTS)
def test_nothing_unsafe_survives(value: str) -> None:
    out = shown(value)
    assert not has_unsafe(out)
    assert not any(c in out for c in UNSAFE_CHARS)
    assert "\n" not in one_line(value) and "\t" not in one_line(value)
    assert shown(out) == out  # idempotent: escaping twice changes nothing


@given(TEXTS)
def test_safe_strings_are_untouched(value: str) -> None:
    if not has_unsafe(value):
        assert shown(value) == value


def test_each_unsafe_character_is_shown_visibly() -> None:
    for char in UNSAFE_CHARS:
        out = shown(f"a{char}b")
        assert out.startswith("a") and out.endswith("b") and char not in out, repr(char)
        assert len(out) > 3 or out == "a␤b", repr(char)
    assert shown("a\nb") == "a␤b"
    assert shown("\x9b") == "\\x9b"
    assert shown("\u202e") == "\\u202e"
    assert shown("tab\tkept") == "tab\tkept"


@given(TEXTS)
@settings(max_examples=200)
def test_data_is_never_markup_and_always_renders(value: str) -> None:
    text = data(value)
    assert text.plain == shown(value)  # literally what was given, escaped; no tags eaten
    assert line(value).plain == one_line(value)
    table = Table.grid()
    table.add_column()
    table.add_row(line(value), data(value))
    out = rendered(table) + rendered(text)
    assert not any(c in out.replace("\n", "") for c in UNSAFE_CHARS if c != "\x1b")
    Content.from_rich_text(text)  # what Textual does with a Text: must not raise


def test_markup_look_alikes_are_shown_literally() -> None:
    for value in NASTY[:6]:
        assert value in rendered(data(value), width=200)


@given(TEXTS, TEXTS)
def test_composed_text_keeps_its_lines_and_escapes_data(ours: str, theirs: str) -> None:
    composed = assemble("Delete:\n", (theirs, "bold"), "\n", ours.replace("\n", " "))
    safe = sanitized(composed)
    assert safe.plain.count("\n") == 2 + shown(ours.replace("\n", " ")).count("\n")
    assert not has_unsafe(safe.plain.replace("\n", ""))


def test_sanitized_keeps_styles() -> None:
    text = Text("ok ")
    text.append("bad\x9b", style="bold")
    safe = sanitized(text)
    assert safe.plain == "ok bad\\x9b"
    assert any(span.style == "bold" or str(span.style) == "bold" for span in safe.spans)


@given(TEXTS)
def test_last_line_of_defence_keeps_widths(value: str) -> None:
    from rich.segment import Segment
    from textual.color import Color

    pictures = one_cell_pictures(value)
    assert len(pictures) == len(value) and not has_unsafe(pictures)
    out = TerminalSafetyFilter().apply([Segment(value)], Color(0, 0, 0))
    assert not any(has_unsafe(seg.text) for seg in out)
