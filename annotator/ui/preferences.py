"""The window's own preferences (View → Label tags, …), read and written through a settings store.

The application passes its ``QSettings``; a window built without one (tests, scripts,
the review window's owner) keeps its preferences in a :class:`MemoryStore` and never
touches the user's settings file.
"""

from __future__ import annotations

from typing import Any

LABEL_TAGS_KEY = "view/label-tags"


class MemoryStore:
    """QSettings' ``value`` / ``setValue`` / ``remove`` over a dict (nothing is written anywhere)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def value(self, key: str, defaultValue: Any = None, type: Any = None) -> Any:  # noqa: N803, A002 (QSettings' names)
        return self.values.get(key, defaultValue)

    def setValue(self, key: str, value: Any) -> None:  # noqa: N802
        self.values[key] = value

    def remove(self, key: str) -> None:
        for name in [k for k in self.values if k == key or k.startswith(key + "/")]:
            del self.values[name]


def flag(store: Any, key: str, default: bool = False) -> bool:
    """A boolean preference (QSettings' ini files give "true"/"false" strings back)."""
    value = store.value(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
