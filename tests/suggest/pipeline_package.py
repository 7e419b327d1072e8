"""A tiny spaCy pipeline trained here and laid out as an installed package, the way pip leaves one.

``spacy package`` + ``pip install`` put two things in site-packages: the package folder (an
``__init__.py`` whose ``load()`` calls ``spacy.util.load_model_from_init_py``, its ``meta.json``,
and the pipeline data in ``<lang>_<name>-<version>/``) and a ``.dist-info`` folder whose
``entry_points.txt`` declares the ``spacy_models`` entry point. Putting the same two on
``sys.path`` makes the pipeline installed for this process: ``spacy.load("en_tiny_news")`` loads
it and annotator offers it, with no download and no change to the virtual environment.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from spacy.language import Language
from spacy.training import Example

from annotator.core.tokenizer import new_nlp

INIT_PY = '''from pathlib import Path
from spacy.util import get_model_meta, load_model_from_init_py

__version__ = get_model_meta(Path(__file__).parent)["version"]


def load(**overrides):
    return load_model_from_init_py(__file__, **overrides)
'''


def train_tiny_ner(lang: str, sentences: list[tuple[str, list[tuple[str, str]]]], iterations: int = 25) -> Language:
    """A blank ``lang`` NER trained on ``sentences`` (text, [(name, label)]) until it knows them."""
    random.seed(0)
    nlp = new_nlp(lang)
    ner = nlp.add_pipe("ner")
    examples = []
    for text, ents in sentences:
        spans = [(text.index(name), text.index(name) + len(name), label) for name, label in ents]
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": spans}))
        for _, _, label in spans:
            ner.add_label(label)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(iterations):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    return nlp


def install_as_package(nlp: Language, site: Path, name: str, version: str = "0.0.1") -> str:
    """Lay ``nlp`` out under ``site`` as package ``<lang>_<name>``; returns the package name."""
    nlp.meta["name"], nlp.meta["version"] = name, version
    package = f"{nlp.lang}_{name}"
    folder = site / package
    if folder.exists():
        shutil.rmtree(folder)
    data = folder / f"{package}-{version}"
    folder.mkdir(parents=True)
    nlp.to_disk(data)
    shutil.copy(data / "meta.json", folder / "meta.json")
    (folder / "__init__.py").write_text(INIT_PY, encoding="utf-8")
    dist = site / f"{package}-{version}.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[spacy_models]\n{package} = {package}\n", encoding="utf-8")
    (dist / "top_level.txt").write_text(package + "\n", encoding="utf-8")
    json.loads((folder / "meta.json").read_text(encoding="utf-8"))  # written and readable
    return package
