"""Any string from AWS or a user, turned into text that is safe to put on a terminal.

Tags, names, descriptions, error messages and typed filters are data. The UI never parses
them as markup (it wraps them in Rich `Text`), and this module makes sure no character in
them can act on the terminal: C0 controls (except tab), DEL, C1 controls (``\\x9b`` is CSI,
``\\x9d`` starts an OSC such as a clipboard write), bidi overrides that reorder what is
shown, and line breaks that would draw fake rows over other panes. Each is shown escaped,
visibly: a newline as ``␤``, everything else as ``\\xNN`` or ``\\uNNNN``.

Pure: no Textual, no Rich. `has_unsafe` is the fast path (one regex search per string).
"""

from __future__ import annotations

import re

NEWLINE_MARK = "␤"

# Bidi embeddings/overrides/isolates and the invisible direction marks, plus the Unicode
# line and paragraph separators (some terminals break lines on them).
_BIDI_AND_BREAKS = (
    "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_UNSAFE_CLASS = "[\x00-\x08\x0a-\x1f\x7f-\x9f" + _BIDI_AND_BREAKS + "]"
_UNSAFE = re.compile(_UNSAFE_CLASS)
_UNSAFE_OR_TAB = re.compile("[\t" + _UNSAFE_CLASS[1:])


def _escape(char: str) -> str:
    if char == "\n":
        return NEWLINE_MARK
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_TABLE: dict[int, str] = {
    code: _escape(chr(code))
    for code in [*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0)]
}
_TABLE.update({ord(c): _escape(c) for c in _BIDI_AND_BREAKS})


def has_unsafe(value: str) -> bool:
    """True when `value` holds a character that `shown` would escape."""
    return _UNSAFE.search(value) is not None


def shown(value: object) -> str:
    """`value` as display text: every control, bidi override and line break escaped.

    A tab is kept (it is harmless and the renderer expands it); `one_line` drops it too.
    """
    text = value if isinstance(value, str) else str(value)
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_TABLE)


def one_line(value: object) -> str:
    """`shown`, and a tab becomes a space: for table cells, titles and prompts."""
    text = value if isinstance(value, str) else str(value)
    if _UNSAFE_OR_TAB.search(text) is None:
        return text
    return text.translate(_TABLE).replace("\t", " ")


def unsafe_spans(value: str) -> list[tuple[int, int]]:
    """Where `shown(value)` holds escapes, as (start, end) offsets into the shown text.

    Lets the UI style the escapes (so `\\x9b` typed as four characters and a real CSI look
    different).
    """
    spans: list[tuple[int, int]] = []
    pos = 0  # offset in the shown text
    last = 0  # offset in the original
    for match in _UNSAFE.finditer(value):
        pos += match.start() - last
        escaped = _TABLE[ord(match.group())]
        spans.append((pos, pos + len(escaped)))
        pos += len(escaped)
        last = match.end()
    return spans


# What a last line of defence puts on the terminal instead: one cell each, so columns stay.
_PICTURES: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x00, 0x20)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_PICTURES.update({ord(c): "\ufffd" for c in _BIDI_AND_BREAKS})
_PICTURES.pop(0x09)


def one_cell_pictures(value: str) -> str:
    """Each unsafe character as one visible cell (␛, ␤, �): widths already laid out hold."""
    if _UNSAFE.search(value) is None:
        return value
    return value.translate(_PICTURES)
