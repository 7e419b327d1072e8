"""`python -m spacy debug data` on real exports, run as a user would (subprocess, the venv's python)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from annotator.core.tokenizer import make_nlp
from annotator.formats.selection import Selection
from annotator.formats.spacy_writer import export_spacy

from .builders import add_synthetic, annotate_seed

pytestmark = pytest.mark.slow


def debug_data(out: Path, cwd: Path, paths: bool = True) -> subprocess.CompletedProcess:
    """Run ``spacy debug data`` on an export; stdout without colour codes. ``paths=False`` relies on
    the config's own ``[paths]``, which point at the export's train/ and dev/ folders."""
    # Run from an unrelated folder: the tokenizer must come from the installed entry point, not the cwd.
    extra = ["--paths.train", str(out / "train"), "--paths.dev", str(out / "dev")] if paths else []
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "debug", "data", str(out / "config.cfg"), *extra],
        capture_output=True, text=True, cwd=cwd, timeout=300,
        env={"ANSI_COLORS_DISABLED": "1", "PATH": "/usr/bin:/bin"},
    )
    result.stdout = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    return result


def test_debug_data_passes_on_an_export_of_150_articles_in_several_shards(corpus, tmp_path):
    add_synthetic(corpus, 150)
    out = tmp_path / "out"
    export_spacy(corpus, out, Selection(), shard_size=40)
    assert len(list((out / "train").glob("*.spacy"))) == 3
    result = debug_data(out, tmp_path, paths=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Corpus is loadable" in result.stdout
    assert "misaligned tokens" not in result.stdout
    assert "No entities consisting of or starting/ending with whitespace" in result.stdout
    assert "Training pipeline: tok2vec, ner, spancat" in result.stdout
    assert "120 training docs" in result.stdout and "30 evaluation docs" in result.stdout


def test_debug_data_on_the_seed_finds_no_data_errors(corpus, tmp_path):
    """The seed holds two articles: spaCy's only complaint is its minimum of 100 training documents."""
    annotate_seed(corpus)
    out = tmp_path / "out"
    export_spacy(corpus, out, Selection())
    result = debug_data(out, tmp_path)
    failures = [line for line in result.stdout.splitlines() if line.startswith("✘")]
    assert failures == ["✘ Low number of examples to train a new pipeline (1)", "✘ 1 error"], result.stdout
    assert "Pipeline can be initialized with data" in result.stdout
    assert "misaligned tokens" not in result.stdout
    assert "No entities crossing sentence boundaries" in result.stdout


def test_spacy_train_runs_on_the_seed_export_and_the_model_keeps_the_tokenizer(corpus, tmp_path):
    annotate_seed(corpus)
    out = tmp_path / "out"
    export_spacy(corpus, out, Selection())
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(out / "config.cfg"), "--output", str(tmp_path / "model"),
         "--paths.train", str(out / "train"), "--paths.dev", str(out / "dev"),
         "--training.max_steps", "4", "--training.eval_frequency", "2"],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
        env={"ANSI_COLORS_DISABLED": "1", "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    nlp = spacy.load(tmp_path / "model" / "model-last")
    assert nlp.pipe_names == ["tok2vec", "ner", "spancat"]
    text = corpus.document(corpus.document_ids()[0]).text
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in make_nlp("ar").make_doc(text)]
