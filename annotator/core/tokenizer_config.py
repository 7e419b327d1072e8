"""The shared tokenizer in spaCy's own terms: exports train and trained pipelines load with plain spaCy.

An export (and ``annotator train``) writes, beside its ``config.cfg``, a ``tokenizer/``
folder: a blank spaCy pipeline whose tokenizer carries the rules of
:func:`annotator.core.tokenizer.make_nlp` (prefix, suffix, infix and URL patterns, special
cases), saved by spaCy itself. The config names spaCy's own tokenizer and copies those rules
in when the pipeline is initialised::

    [paths]
    tokenizer = "/abs/path/out/tokenizer"

    [nlp.tokenizer]
    @tokenizers = "spacy.Tokenizer.v1"

    [initialize.before_init]
    @callbacks = "spacy.copy_from_base_model.v1"
    tokenizer = ${paths.tokenizer}

So ``spacy train`` and ``spacy debug data`` run on an export where annotator is not
installed (``--paths.tokenizer DIR`` if the export was moved), and the trained pipeline
keeps the rules in its own ``tokenizer`` file: ``spacy.load`` gives the shared tokenizer
with nothing but spaCy installed.
"""

from __future__ import annotations

from pathlib import Path

from thinc.api import Config

from annotator.core.tokenizer import new_nlp

SPACY_TOKENIZER = "spacy.Tokenizer.v1"
COPY_CALLBACK = "spacy.copy_from_base_model.v1"
# The folder beside config.cfg that holds the saved base pipeline.
BASE_TOKENIZER_DIR = "tokenizer"


def save_base_pipeline(lang: str, directory: str | Path) -> Path:
    """Save a blank ``lang`` pipeline with the shared tokenizer to ``directory`` (spaCy's own format)."""
    directory = Path(directory)
    new_nlp(lang).to_disk(directory)  # a fresh pipeline: its vocabulary holds none of the exported text
    return directory


def use_shared_tokenizer(config: Config, lang: str, directory: str | Path, final_directory: str | Path | None = None
                         ) -> Config:
    """Point ``config`` at spaCy's tokenizer with the shared rules, saved as a base pipeline in ``directory``.

    ``final_directory``: where that folder will be once the caller has put it in place (an export
    written into a temporary folder and renamed as a whole); default ``directory`` itself.
    """
    save_base_pipeline(lang, directory)
    base = Path(final_directory or directory).resolve()
    config.setdefault("paths", {})["tokenizer"] = str(base)
    config["nlp"]["tokenizer"] = {"@tokenizers": SPACY_TOKENIZER}
    config.setdefault("initialize", {})["before_init"] = {
        "@callbacks": COPY_CALLBACK,
        "tokenizer": "${paths.tokenizer}",
        "vocab": None,
    }
    return config
