"""The one way data reaches the screen: Rich `Text` built from `core.text.shown`.

Textual parses a plain `str` as markup almost everywhere (Static, Label, border titles,
Rich table cells, toggle labels, notifications), so an AWS name such as ``golden [/] image``
would raise MarkupError and ``[@click=app.quit]`` would become a live action. Everything in
snaptui.ui that shows data passes it through `data`/`line` (or a `Text` built from them);
`SafeTextApp` makes notifications and the final terminal output safe as well, whatever a
caller forgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter
from textual.notifications import SeverityLevel

from snaptui.core.text import has_unsafe, one_cell_pictures, one_line, shown, unsafe_spans

ESCAPE_STYLE = Style(reverse=True)  # `\x9b` shown like this is a real control, not typed text

ReturnType = TypeVar("ReturnType")


def _styled_escapes(raw: str, text: Text) -> Text:
    for start, end in unsafe_spans(raw):
        text.stylize(ESCAPE_STYLE, start, end)
    return text


def data(value: object, style: str | Style = "") -> Text:
    """Display text for one value from AWS or a user; tabs kept, everything unsafe escaped."""
    raw = value if isinstance(value, str) else str(value)
    text = Text(shown(raw), style=style, end="")
    return _styled_escapes(raw, text) if has_unsafe(raw) else text


def line(value: object, style: str | Style = "") -> Text:
    """`data` on one line (tabs become spaces): titles, options, labels."""
    raw = value if isinstance(value, str) else str(value)
    text = Text(one_line(raw), style=style, end="", no_wrap=False)
    return _styled_escapes(raw.replace("\t", " "), text) if has_unsafe(raw) else text


def lines(parts: Sequence[object], style: str | Style = "") -> Text:
    """Several values, one per line: each escaped on its own, joined by real newlines."""
    return Text("\n", style=style, end="").join(data(p, style) for p in parts)


def assemble(*parts: str | Text | tuple[object, str | Style]) -> Text:
    """Like Text.assemble, but a (value, style) pair is data and escaped; a str is ours."""
    out = Text(end="")
    for part in parts:
        if isinstance(part, tuple):
            out.append_text(data(part[0], part[1]))
        elif isinstance(part, Text):
            out.append_text(part)
        else:
            out.append(part)
    return out


def sanitized(text: Text) -> Text:
    """A composed Text with any stray control escaped (its own newlines kept), styles kept."""
    if not has_unsafe(text.plain.replace("\n", "")):
        return text
    out = Text(end=text.end, justify=text.justify, no_wrap=text.no_wrap, style=text.style)
    bounds = sorted({0, len(text), *(s.start for s in text.spans), *(s.end for s in text.spans)})
    for piece in text.divide(bounds):
        styles = [span.style for span in piece.spans]
        for n, chunk in enumerate(piece.plain.split("\n")):
            if n:
                out.append("\n")
            out.append_text(data(chunk, sum((_as_style(s) for s in styles), Style())))
    return out


def _as_style(style: str | Style) -> Style:
    return style if isinstance(style, Style) else Style.parse(style)


class TerminalSafetyFilter(LineFilter):
    """Last line of defence: no segment may carry a control to the terminal.

    Replaces each with a one-cell picture, so a layout already computed stays aligned.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(has_unsafe(seg.text) for seg in segments if not seg.control):
            return segments
        return [
            seg
            if seg.control or not has_unsafe(seg.text)
            else Segment(one_cell_pictures(seg.text), seg.style)
            for seg in segments
        ]


_FILTER = TerminalSafetyFilter()


class SafeTextApp(App[ReturnType]):
    """An App whose notifications never parse markup and whose output carries no controls."""

    def notify(
        self,
        message: str | Sequence[str],
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """`message` is data (or a list of lines, each data); `markup` is ignored on purpose."""
        parts = [message] if isinstance(message, str) else list(message)
        text = "\n".join(shown(p) for p in parts)
        super().notify(
            text, title=one_line(title), severity=severity, timeout=timeout, markup=False
        )

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), _FILTER]


__all__ = ["SafeTextApp", "assemble", "data", "line", "lines", "sanitized"]
