"""Answers asked for one snapshot: kept only under the region ticket they were asked for."""

from __future__ import annotations

from snaptui.ui.lookups import Lookups


def test_an_answer_from_an_older_fetch_is_dropped_and_the_question_can_be_asked_again() -> None:
    store: Lookups[str] = Lookups()
    store.asked.add("snap-a")
    assert store.read("snap-a", "old", ticket=1, fresh=False) is False
    assert store.get("snap-a", 1) is None and "snap-a" not in store.asked
    store.read("snap-a", "new", ticket=2, fresh=True)
    assert store.get("snap-a", 2) == "new"
    assert store.get("snap-a", 3) is None  # the region was fetched again since
    assert store.current(lambda sid: 2) == {"snap-a": "new"}
    assert store.current(lambda sid: None) == {}
