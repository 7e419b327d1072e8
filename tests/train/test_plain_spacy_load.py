"""A pipeline trained by annotator loads with ``spacy.load`` where annotator cannot be imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from annotator.core.tokenizer import make_nlp
from annotator.formats.selection import Selection
from annotator.formats.spacy_writer import export_spacy
from annotator.train.tokenizer import TOKENIZER_NAME
from annotator.train.trainer import train_corpus
from tests.export.builders import add_synthetic

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TEXT = 'وقال بوتين "نتراجع». لن" غزة". في 2024. وبوتين هنا،و(جبهة) النصرة؟ القرية».وذكر'

# Run with -I (no cwd, no PYTHONPATH, no user site), then take away the project folder and the
# editable install's import hook: only spaCy and the other installed packages remain.
WITHOUT_ANNOTATOR = """
import importlib.util, json, sys
from pathlib import Path
root = Path(sys.argv[1]).resolve()
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != root]
assert importlib.util.find_spec("annotator") is None, "annotator is still importable"
import spacy
try:
    nlp = spacy.load(sys.argv[2])
except Exception as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
else:
    doc = nlp(sys.argv[3])
    print(json.dumps({"words": [t.text for t in doc], "pipes": nlp.pipe_names,
                      "ents": [[e.start_char, e.end_char, e.label_] for e in doc.ents]}))
"""


# spaCy's own training entry point on an export, with annotator out of reach as above.
TRAIN_WITHOUT_ANNOTATOR = WITHOUT_ANNOTATOR.split("import spacy")[0] + """
from spacy.cli.train import train
out = sys.argv[2]
train(out + "/config.cfg", out + "/model", overrides={  # the config names the train/ and dev/ shard folders
    "training.max_steps": 4, "training.eval_frequency": 2})
print(json.dumps({"trained": True}))
"""


def without_annotator(script: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-I", "-c", script, str(ROOT), *args],
        capture_output=True, text=True, cwd="/", timeout=600, env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def load_without_annotator(model: Path, text: str) -> dict:
    return without_annotator(WITHOUT_ANNOTATOR, str(model), text)


def test_trained_pipeline_loads_and_tokenizes_without_annotator(corpus, tmp_path):
    ids = add_synthetic(corpus, 10)
    result = train_corpus(corpus, tmp_path / "run", Selection(), max_steps=10, quotes=False, register=False)
    text = corpus.document(ids[0]).text + " " + TEXT

    loaded = load_without_annotator(result.model_path, text)

    assert "error" not in loaded, loaded
    assert loaded["pipes"] == ["tok2vec", "ner"]
    assert loaded["words"] == [t.text for t in make_nlp("ar").make_doc(text)]
    at = loaded["words"].index("نتراجع")
    assert loaded["words"][at : at + 3] == ["نتراجع", "»", "."]  # plain spaCy keeps "نتراجع»." whole
    in_process = spacy.load(result.model_path)(text)
    assert loaded["ents"] == [[e.start_char, e.end_char, e.label_] for e in in_process.ents]


def test_the_check_would_catch_a_pipeline_that_needs_annotator(tmp_path):
    """Control: a pipeline naming annotator's registered tokenizer does not load in that subprocess."""
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    nlp.to_disk(tmp_path / "old")
    loaded = load_without_annotator(tmp_path / "old", TEXT)
    assert "error" in loaded and "No module named 'annotator'" in loaded["error"]


def test_spacy_train_runs_on_an_export_without_annotator(corpus, tmp_path):
    """The export's config names only spaCy's functions; the shared rules come from out/tokenizer."""
    ids = add_synthetic(corpus, 6)
    export_spacy(corpus, tmp_path / "out", Selection())
    assert without_annotator(TRAIN_WITHOUT_ANNOTATOR, str(tmp_path / "out")) == {"trained": True}
    text = corpus.document(ids[0]).text + " " + TEXT
    loaded = load_without_annotator(tmp_path / "out" / "model" / "model-last", text)
    assert loaded["words"] == [t.text for t in make_nlp("ar").make_doc(text)]
