"""The spaCy pipelines offered as suggesters without being named: shipped and installed ones.

- **Shipped**: every pipeline folder under ``resources/models/`` (the Arabic news model
  ``ar_news_ner``, trained from ANERcorp), suggester ``model:<folder name>``.
- **Installed**: every spaCy pipeline package in the environment (``python -m spacy download
  en_core_web_sm``, or any package built with ``spacy package``: each declares a ``spacy_models``
  entry point), suggester ``model:<package name>``. The entry points are read afresh on each call,
  so a package installed while the window is open is offered at the next run.

Each is offered for the documents of its language (``meta.json``'s ``lang``) when it has an
entity recognizer. A pipeline for several languages (``xx``, e.g. ``xx_ent_wiki_sm``) is offered
for the languages that have no pipeline of their own. Nothing is loaded or imported to find
them: only their ``meta.json`` is read.

    for offer in model_suggesters_for("en"):
        print(offer.suggester, offer.target, offer.labels)
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

from spacy.util import registry

from annotator.core.labels import RESOURCES

MODEL_PREFIX = "model:"
SHIPPED_DIR = RESOURCES / "models"
MULTI_LANGUAGE = "xx"
ENTITY_COMPONENTS = ("ner", "entity_ruler", "span_ruler")


@dataclass(frozen=True)
class OfferedPipeline:
    """A pipeline offered as a suggester."""

    suggester: str  # "model:en_core_web_sm"
    target: str  # what spacy.load takes: a folder path or a package name
    lang: str
    labels: tuple[str, ...]  # its entity labels (meta.json), before any label map
    kind: str  # "shipped" or "installed"
    meta: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def package(self) -> str:
        return self.suggester[len(MODEL_PREFIX):]


def _read_meta(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def entity_labels(meta: dict) -> tuple[str, ...]:
    """The entity labels a pipeline's ``meta.json`` declares (``labels.ner`` and entity rulers)."""
    labels = meta.get("labels") or {}
    found: list[str] = []
    for component in meta.get("pipeline") or []:
        if component in ENTITY_COMPONENTS or component.startswith("ner"):
            found.extend(labels.get(component) or [])
    return tuple(dict.fromkeys(found))


def _recognizes_entities(meta: dict) -> bool:
    pipeline = meta.get("pipeline") or []
    return any(c in ENTITY_COMPONENTS or c.startswith("ner") for c in pipeline)


def shipped_pipelines(root: Path = SHIPPED_DIR) -> list[OfferedPipeline]:
    """The pipelines shipped with annotator (folders with a ``meta.json`` under ``resources/models``)."""
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        meta = _read_meta(folder)
        if meta is None or not meta.get("lang") or not _recognizes_entities(meta):
            continue
        found.append(OfferedPipeline(MODEL_PREFIX + folder.name, str(folder), meta["lang"], entity_labels(meta),
                                     "shipped", meta))
    return found


def installed_packages() -> list[str]:
    """Names of the installed spaCy pipeline packages (their ``spacy_models`` entry points)."""
    names = {ep.name for ep in entry_points(group="spacy_models")}
    names.update(registry.models.get_all())  # also those registered in code
    return sorted(names)


def _package_folder(package: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def installed_pipelines() -> list[OfferedPipeline]:
    """spaCy pipeline packages installed in this environment that recognise entities."""
    found = []
    for package in installed_packages():
        folder = _package_folder(package)
        meta = _read_meta(folder) if folder else None  # a broken package is not offered
        if meta is None or not meta.get("lang") or not _recognizes_entities(meta):
            continue
        found.append(OfferedPipeline(MODEL_PREFIX + package, package, meta["lang"], entity_labels(meta),
                                     "installed", meta))
    return found


def offered_pipelines() -> list[OfferedPipeline]:
    """Shipped, then installed pipelines (an installed package with a shipped name is not offered twice)."""
    shipped = shipped_pipelines()
    names = {p.suggester for p in shipped}
    return shipped + [p for p in installed_pipelines() if p.suggester not in names]


def model_suggesters_for(lang: str, offered: list[OfferedPipeline] | None = None) -> list[OfferedPipeline]:
    """The offered pipelines that apply to documents in ``lang``."""
    offered = offered_pipelines() if offered is None else offered
    own = [p for p in offered if p.lang == lang]
    if own or lang == MULTI_LANGUAGE:
        return own
    return [p for p in offered if p.lang == MULTI_LANGUAGE]


def offered_for(suggester: str, offered: list[OfferedPipeline] | None = None) -> OfferedPipeline | None:
    """The offered pipeline behind ``model:NAME``, if it is one."""
    offered = offered_pipelines() if offered is None else offered
    return next((p for p in offered if p.suggester == suggester), None)


def shipped_path(name: str) -> Path | None:
    """Folder of the shipped pipeline ``name`` (``ar_news_ner``), if there is one."""
    folder = SHIPPED_DIR / name
    return folder if name and "/" not in name and (folder / "meta.json").is_file() else None


def applies_to(suggester: str, lang: str, offered: list[OfferedPipeline] | None = None) -> bool:
    """False only for an offered pipeline that is not for ``lang`` (any other suggester applies)."""
    offered = offered_pipelines() if offered is None else offered
    pipeline = offered_for(suggester, offered)
    return pipeline is None or pipeline in model_suggesters_for(lang, offered)
