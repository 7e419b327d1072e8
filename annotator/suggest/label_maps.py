"""Label maps: how a pipeline's entity labels become the corpus's labels.

A map is data, ``{"FROM": "TO"}``, where ``TO`` is one of the corpus's entity labels or ``null``
(leave that label out). The shipped maps live in ``resources/models/label_maps/<name>.json``:
``ontonotes`` (spaCy's own pipelines: ``PERSON`` -> ``PER``, ``FAC`` -> ``LOC``, ``EVENT`` /
``WORK_OF_ART`` / ``LAW`` / ``PRODUCT`` / ``LANGUAGE`` -> ``MISC``, numeric types left out) and
``conll`` (``PER``/``PERS``, ``ORG``, ``LOC`` -> ``GPE``, ``MISC``: CoNLL 2003, ANERcorp, WikiNER).

Which map a pipeline gets (:func:`label_map_for`):

1. the map its ``meta.json`` names or holds (``"annotator": {"label_map": "conll"}`` or a dict);
2. else the first shipped map that knows every one of its labels (``ontonotes`` before ``conll``);
3. else none: labels are taken as they are.

A corpus overrides any of it with its ``label_maps`` setting (``annotator label-map set``), keyed
by suggester name: ``{"model:en_core_web_sm": {"FAC": "GPE", "NORP": null}}``. Labels that the
map sends nowhere, or that are not in the corpus's schema and not mapped, are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from annotator.core.labels import RESOURCES

LABEL_MAP_DIR = RESOURCES / "models" / "label_maps"
LABEL_MAP_ORDER = ("ontonotes", "conll")  # tried in this order when a pipeline names no map
CORPUS_SETTING = "label_maps"

LabelMap = dict[str, str | None]


class LabelMapError(ValueError):
    """A label map file or a corpus's label-map setting is not what it should be."""


def _check(data: object, where: str) -> LabelMap:
    if not isinstance(data, dict):
        raise LabelMapError(f"{where}: a label map is an object of FROM: TO labels, not {type(data).__name__}")
    for source, target in data.items():
        if not isinstance(source, str) or not source:
            raise LabelMapError(f"{where}: label names must be non-empty strings, not {source!r}")
        if target is not None and (not isinstance(target, str) or not target):
            raise LabelMapError(f"{where}: {source!r} maps to {target!r}; use a label name or null to leave it out")
    return dict(data)


@lru_cache(maxsize=16)
def shipped_label_map(name: str) -> LabelMap:
    """The shipped map ``resources/models/label_maps/<name>.json``."""
    path = LABEL_MAP_DIR / f"{name}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in LABEL_MAP_DIR.glob("*.json")))
        raise LabelMapError(f"no label map {name!r} (shipped maps: {known})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LabelMapError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    return _check(data.get("labels") if isinstance(data, dict) else data, str(path))


def label_map_for(labels: Iterable[str], declared: str | Mapping | None = None) -> tuple[str | None, LabelMap]:
    """(map name, map) for a pipeline with entity ``labels`` that declares ``declared`` in its meta."""
    if isinstance(declared, str):
        return declared, dict(shipped_label_map(declared))
    if isinstance(declared, Mapping):
        return "meta.json", _check(dict(declared), "meta.json annotator.label_map")
    wanted = set(labels)
    if wanted:
        for name in LABEL_MAP_ORDER:
            mapping = shipped_label_map(name)
            if wanted <= set(mapping):
                return name, dict(mapping)
    return None, {}


def corpus_overrides(setting: str | None, suggester: str) -> LabelMap:
    """The part of a corpus's ``label_maps`` setting (JSON text) that concerns ``suggester``."""
    if not setting:
        return {}
    try:
        data = json.loads(setting)
    except json.JSONDecodeError as exc:
        raise LabelMapError(f"the corpus's {CORPUS_SETTING} setting is not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise LabelMapError(f"the corpus's {CORPUS_SETTING} setting must be an object keyed by suggester name")
    return _check(data.get(suggester, {}), f"the corpus's {CORPUS_SETTING} setting for {suggester!r}")


def with_override(setting: str | None, suggester: str, changes: Mapping[str, str | None]) -> str:
    """The ``label_maps`` setting (JSON text) with ``changes`` applied to ``suggester``'s entries."""
    data = json.loads(setting) if setting else {}
    if not isinstance(data, dict):
        data = {}
    entries = dict(data.get(suggester) or {})
    entries.update(_check(dict(changes), f"label map for {suggester!r}"))
    data[suggester] = entries
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def effective_map(labels: Iterable[str], schema: Iterable[str], base: Mapping[str, str | None],
                  overrides: Mapping[str, str | None] | None = None) -> LabelMap:
    """Every one of ``labels`` -> a label of ``schema`` or ``None`` (left out)."""
    known = set(schema)
    combined = {**base, **(overrides or {})}
    result: LabelMap = {}
    for label in labels:
        target = combined[label] if label in combined else label
        result[label] = target if target in known else None
    return result


def parse_assignment(text: str) -> tuple[str, str | None]:
    """``"FROM=TO"`` -> (FROM, TO); ``"FROM="`` -> (FROM, None): leave it out."""
    source, sep, target = text.partition("=")
    source, target = source.strip(), target.strip()
    if not sep or not source:
        raise LabelMapError(f"expected FROM=TO (or FROM= to leave a label out), not {text!r}")
    return source, target or None


def map_file(path: Path) -> LabelMap:
    """A user's label-map file (the shape of the shipped ones, or a bare FROM: TO object)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LabelMapError(f"{path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise LabelMapError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    if isinstance(data, dict) and isinstance(data.get("labels"), dict):
        data = data["labels"]
    return _check(data, str(path))
