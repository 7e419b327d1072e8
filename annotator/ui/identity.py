"""Who is annotating: the name every label of a run is stored under.

The name of a run comes from, in this order:

1. ``--annotator NAME`` or ``$ANNOTATOR_NAME``: for this run only. Nothing of the user's
   settings is written by such a run (see :attr:`Identity.for_this_run_only`);
2. the corpus's last annotator on this machine: the name last chosen for this corpus file
   here with File → Annotate as… (a colleague's corpus opened as the colleague stays so);
3. the user's saved name (File → Saved Name… changes it, after asking);
4. asked once, on the very first run, and saved.

Settings are read and written through any object with QSettings' ``value(key, default)``
and ``setValue(key, value)`` (this module imports no Qt), under:

- ``annotator/name``: the saved name;
- ``corpora/<hash of the corpus path>/annotator``: the corpus's last annotator here
  (``…/path`` keeps the file name readable in the settings file).

A run whose name comes from the settings writes nothing either: only answering the
first-run question and the two menu actions change them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

NAME_ENV = "ANNOTATOR_NAME"
NAME_KEY = "annotator/name"
SOURCES = ("explicit", "environment", "corpus", "saved", "asked")


class SettingsStore(Protocol):
    def value(self, key: str, defaultValue: Any = None) -> Any: ...  # noqa: N803 (QSettings' name)

    def setValue(self, key: str, value: Any) -> None: ...  # noqa: N802

    def remove(self, key: str) -> None: ...


@dataclass(frozen=True)
class Identity:
    """A run's annotator name and where it came from (one of :data:`SOURCES`)."""

    name: str
    source: str

    @property
    def for_this_run_only(self) -> bool:
        """Given on the command line or in the environment: the run writes nothing to the settings."""
        return self.source in ("explicit", "environment")

    def describe(self) -> str:
        """Where the name came from, for the status bar's tooltip."""
        return {
            "explicit": "given with --annotator for this run only",
            "environment": f"given by ${NAME_ENV} for this run only",
            "corpus": "the last name used for this corpus on this machine",
            "saved": "your saved name (File → Saved Name… changes it)",
            "asked": "your saved name",
        }[self.source]


def clean_name(name: str | None) -> str:
    """A name as stored: surrounding and repeated whitespace removed ("" when there is none)."""
    return " ".join((name or "").split())


def corpus_key(path: str | os.PathLike) -> str:
    """The settings group of one corpus file (by its resolved path)."""
    resolved = str(Path(path).resolve())
    return "corpora/" + hashlib.sha1(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _text(store: SettingsStore, key: str) -> str:
    value = store.value(key, "")
    return clean_name(value if isinstance(value, str) else "")


def saved_name(store: SettingsStore) -> str:
    return _text(store, NAME_KEY)


def save_name(store: SettingsStore, name: str) -> None:
    store.setValue(NAME_KEY, clean_name(name))


def corpus_annotator(store: SettingsStore, corpus_path: str | os.PathLike) -> str:
    """The last name used for this corpus on this machine ("" if none)."""
    return _text(store, f"{corpus_key(corpus_path)}/annotator")


def choose_for_corpus(store: SettingsStore, corpus_path: str | os.PathLike, name: str) -> None:
    """Annotate this corpus as ``name`` from now on, on this machine.

    The saved name needs no record: choosing it takes the corpus back to following the
    saved name (so changing the saved name later changes it here too).
    """
    group = corpus_key(corpus_path)
    name = clean_name(name)
    if name == saved_name(store):
        store.remove(group)
    elif _text(store, f"{group}/annotator") != name:
        store.setValue(f"{group}/annotator", name)
        store.setValue(f"{group}/path", str(Path(corpus_path).resolve()))


def resolve_identity(
    corpus_path: str | os.PathLike | None,
    explicit: str | None,
    store: SettingsStore,
    ask: Callable[[], str | None] | None = None,
    environ: dict[str, str] | None = None,
) -> Identity | None:
    """The name of this run (see the module docstring); None when asked and not answered.

    Only answering the first-run question writes to ``store`` (the saved name).
    """
    environ = os.environ if environ is None else environ  # type: ignore[assignment]
    name = clean_name(explicit)
    if name:
        return Identity(name, "explicit")
    name = clean_name(environ.get(NAME_ENV))
    if name:
        return Identity(name, "environment")
    if corpus_path is not None:
        name = corpus_annotator(store, corpus_path)
        if name:
            return Identity(name, "corpus")
    name = saved_name(store)
    if name:
        return Identity(name, "saved")
    name = clean_name(ask() if ask is not None else None)
    if not name:
        return None
    save_name(store, name)
    return Identity(name, "asked")
