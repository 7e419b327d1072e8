"""The model a training job starts from, and the label space it is fine-tuned in.

A corpus's model in the loop is registered as ``loop-<lang>`` (suggester ``model:loop-ar``).
The job fine-tunes *the current model* for the language of the articles it trains on:

1. the corpus's own loop model for that language, when one is registered and its folder exists;
2. else a pipeline shipped with annotator for that language (``resources/models/``, e.g. the
   Arabic news model), when one is there;
3. else nothing: the first model of a corpus in another language starts cold.

Fine-tuning keeps the base model's own labels. A base trained on ANERcorp predicts ``PERS`` and
``LOC`` and declares how they map to the corpus's schema (``PERS -> PER``, ``LOC -> GPE``); the
corpus's ``PER`` spans are therefore exported as ``PERS`` for training, so the recognizer goes on
from what it knows instead of learning a new ``PER`` action from a few articles. A corpus label no
base label maps to (``NORP``) becomes a new label of the model; one whose name the base already
uses for something else (the corpus's ``LOC`` when the base's ``LOC`` means ``GPE``) gets a name of
its own (``corpus:LOC``). The fine-tuned model's ``meta.json`` holds the resulting map, so its
suggestions come back in the corpus's labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.labels import RESOURCES
from annotator.store import Corpus

LOOP_PREFIX = "loop-"
SHIPPED_MODELS = RESOURCES / "models"
LABEL_MAPS = SHIPPED_MODELS / "label_maps"
RENAMED_PREFIX = "corpus:"


def loop_name(lang: str) -> str:
    """The registered name of a corpus's model in the loop for ``lang`` (suggester ``model:<name>``)."""
    return f"{LOOP_PREFIX}{lang}"


@dataclass(frozen=True)
class BaseModel:
    """A pipeline a job fine-tunes: where it is, what it is, and how its labels read in the corpus."""

    path: Path
    kind: str  # "loop" (the corpus's own), "shipped", or "given" (named by the user)
    name: str  # registered or shipped name, or the path given
    suggester: str  # the suggester whose suggestions it made: "model:loop-ar", "model:ar_news_ner"
    meta: dict = field(default_factory=dict, repr=False)

    @property
    def labels(self) -> list[str]:
        """Its entity labels (``meta.json``'s ``labels.ner``)."""
        return list((self.meta.get("labels") or {}).get("ner") or [])

    @property
    def pipeline(self) -> list[str]:
        return list(self.meta.get("pipeline") or [])

    @property
    def has_vectors(self) -> bool:
        return bool((self.meta.get("vectors") or {}).get("width"))

    @property
    def documents_seen(self) -> int | None:
        """Articles behind this model, its bases' included (None: unknown, e.g. a shipped model)."""
        record = _read_json(self.path / TRAINING_RECORD)
        if not record:
            return None
        seen = record.get("documents_seen", len(record.get("train_content_hashes") or []))
        return int(seen) if isinstance(seen, int) else None

    @property
    def trained_documents(self) -> set[str]:
        """Content hashes of the articles it was trained on (written by the job; empty for others)."""
        return set(_read_json(self.path / TRAINING_RECORD).get("train_content_hashes") or [])


TRAINING_RECORD = "annotator-training.json"


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_meta(path: Path) -> dict:
    return _read_json(Path(path) / "meta.json")


def shipped_for(lang: str, root: Path = SHIPPED_MODELS) -> Path | None:
    """A pipeline folder shipped in ``resources/models/`` for ``lang`` that recognises entities."""
    if not root.is_dir():
        return None
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        meta = read_meta(folder)
        if meta.get("lang") == lang and "ner" in (meta.get("pipeline") or []):
            return folder
    return None


def registered_loop_model(corpus: Corpus, lang: str) -> dict | None:
    """The corpus's registered loop model for ``lang`` whose folder still exists."""
    name = loop_name(lang)
    for model in corpus.registered_models():
        if model.get("name") == name and Path(model.get("path", "")).is_dir():
            return model
    return None


def current_model(corpus: Corpus, lang: str, shipped_root: Path = SHIPPED_MODELS) -> BaseModel | None:
    """The model a job for ``lang`` starts from (see the module docstring), or None to start cold."""
    registered = registered_loop_model(corpus, lang)
    if registered is not None:
        path = Path(registered["path"])
        return BaseModel(path, "loop", f"{registered['name']} {path.name}", f"model:{registered['name']}",
                         read_meta(path))
    shipped = shipped_for(lang, shipped_root)
    if shipped is not None:
        return BaseModel(shipped, "shipped", shipped.name, f"model:{shipped.name}", read_meta(shipped))
    return None


def given_model(corpus: Corpus, target: str) -> BaseModel:
    """A base named by the user: a registered model's name, or a pipeline folder."""
    for model in corpus.registered_models():
        if model.get("name") == target and Path(model.get("path", "")).is_dir():
            path = Path(model["path"])
            return BaseModel(path, "given", target, f"model:{target}", read_meta(path))
    path = Path(target)
    if (path / "meta.json").is_file():
        return BaseModel(path, "given", str(path), f"model:{path}", read_meta(path))
    shipped = SHIPPED_MODELS / target
    if (shipped / "meta.json").is_file():
        return BaseModel(shipped, "shipped", target, f"model:{target}", read_meta(shipped))
    raise FileNotFoundError(f"no model {target!r}: not a registered model, a pipeline folder or a shipped model")


def declared_map(meta: Mapping) -> dict[str, str | None]:
    """The label map a pipeline's ``meta.json`` declares (``annotator.label_map``: a dict or a shipped map's name)."""
    declared = (meta.get("annotator") or {}).get("label_map") if isinstance(meta.get("annotator"), Mapping) else None
    if isinstance(declared, Mapping):
        return {str(k): (str(v) if v else None) for k, v in declared.items()}
    if isinstance(declared, str):
        data = _read_json(LABEL_MAPS / f"{declared}.json")
        labels = data.get("labels", data)
        if isinstance(labels, Mapping):
            return {str(k): (str(v) if v else None) for k, v in labels.items()}
    return {}


def model_to_corpus(meta: Mapping, labels: Iterable[str]) -> dict[str, str | None]:
    """Each model label -> the corpus label it stands for (its declared map, else itself)."""
    mapping = declared_map(meta)
    return {label: mapping.get(label, label) for label in labels}


def training_label_space(corpus_labels: Iterable[str], base: BaseModel | None) -> dict[str, str]:
    """Corpus label -> the label the model is trained with (see the module docstring)."""
    corpus_labels = list(dict.fromkeys(corpus_labels))
    if base is None:
        return {label: label for label in corpus_labels}
    to_corpus = model_to_corpus(base.meta, base.labels)
    preimages: dict[str, list[str]] = {}
    for model_label, corpus_label in to_corpus.items():
        if corpus_label is not None:
            preimages.setdefault(corpus_label, []).append(model_label)
    space: dict[str, str] = {}
    for label in corpus_labels:
        found = preimages.get(label, [])
        if len(found) == 1:
            space[label] = found[0]
        elif label in found or (label not in to_corpus):
            space[label] = label  # several base labels stand for it (or none): it is its own
        else:
            space[label] = RENAMED_PREFIX + label  # the base uses this name for another label
    return space


def fine_tuned_map(space: Mapping[str, str], base: BaseModel | None) -> dict[str, str | None]:
    """Model label -> corpus label for a model trained in ``space`` from ``base``."""
    mapping: dict[str, str | None] = {}
    if base is not None:
        mapping.update(model_to_corpus(base.meta, base.labels))
    mapping.update({model_label: corpus_label for corpus_label, model_label in space.items()})
    return mapping
