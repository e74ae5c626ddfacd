"""EC2 tag rules, parsing ``KEY=VALUE`` text, and which tags may travel to a copy. Pure.

AWS reserves the ``aws:`` prefix in any letter case ("AWS:Foo" is refused too), so every
check here compares case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
TAGS_PER_RESOURCE = 50
RESERVED_PREFIX = "aws:"


def is_reserved(key: str) -> bool:
    """Keys AWS sets itself; nobody else may set them."""
    return key.lower().startswith(RESERVED_PREFIX)


def tag_problem(key: str, value: str) -> str | None:
    """Why AWS would refuse this tag, or None."""
    if not key.strip():
        return "a tag key cannot be empty"
    if len(key) > TAG_KEY_MAX:
        return f"tag key {key[:20]!r}... is longer than {TAG_KEY_MAX} characters"
    if is_reserved(key):
        return f"tag key {key!r}: the aws: prefix is reserved for AWS"
    if len(value) > TAG_VALUE_MAX:
        return f"value of tag {key!r} is longer than {TAG_VALUE_MAX} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in key + value):
        return f"tag {key!r} contains a control character"
    return None


def tags_problem(tags: Mapping[str, str]) -> str | None:
    """The first reason AWS would refuse this set of tags on one resource, or None."""
    if len(tags) > TAGS_PER_RESOURCE:
        return f"at most {TAGS_PER_RESOURCE} tags per resource"
    for key, value in tags.items():
        problem = tag_problem(key, value)
        if problem:
            return problem
    return None


def parse_tag(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` -> (key, value); the value may be empty or contain '='. ValueError if bad."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"expected KEY=VALUE, got {text!r}")
    problem = tag_problem(key, value)
    if problem:
        raise ValueError(problem)
    return key, value


def parse_tags(items: Iterable[str]) -> dict[str, str]:
    """Several ``KEY=VALUE`` items; the same key twice with different values is an error."""
    out: dict[str, str] = {}
    for item in items:
        key, value = parse_tag(item)
        if key in out and out[key] != value:
            raise ValueError(f"{key!r} given twice with different values")
        out[key] = value
    return out


def parse_tag_list(text: str) -> dict[str, str]:
    """``'k=v, k2=v2'`` (a form field) -> dict; surrounding spaces dropped. ValueError if bad."""
    pairs = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{part!r}: write tags as key=value, separated by commas")
        pairs.append(f"{key.strip()}={value.strip()}")
    return parse_tags(pairs)


def user_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The tags a user may set again elsewhere: without the reserved ``aws:`` keys."""
    return {k: v for k, v in tags.items() if not is_reserved(k)}
