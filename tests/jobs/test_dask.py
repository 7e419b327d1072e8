"""``--engine dask`` on a local cluster of two worker processes: shards run there and merge back."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.formats.jsonl_writer import export_jsonl
from annotator.formats.selection import Selection
from annotator.jobs.dask_engine import dask_engine, suggest_on_dask
from annotator.store import Corpus
from annotator.suggest.runner import run_suggesters

from .conftest import copy_corpus, suggestion_rows

pytest.importorskip("distributed", reason="the Dask extra (pip install 'annotator[dask]') is not installed")
pytestmark = pytest.mark.slow

SUGGESTERS = ["gazetteer", "learned", "quotes"]


def test_suggest_and_export_on_a_local_dask_cluster_equal_one_local_run(annotated, tmp_path):
    local = copy_corpus(annotated, tmp_path / "local.db")
    with Corpus.open(local) as corpus:
        run_suggesters(corpus, SUGGESTERS)
        export_jsonl(corpus, tmp_path / "local.jsonl", Selection(), jobs=1)
    with dask_engine(None, 2) as engine, Corpus.open(annotated) as corpus:
        assert engine.workers == 2
        parts = suggest_on_dask(engine, corpus, SUGGESTERS, shards=3)
        assert [p["processed"] for p in parts] and sum(p["processed"] for p in parts) == 162
        assert all(p["processed"] > 0 for p in parts)
        export_jsonl(corpus, tmp_path / "dask.jsonl", Selection(), engine=engine)
    assert suggestion_rows(annotated) == suggestion_rows(local)
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()


def test_cli_engine_dask_exports_the_same_conll(annotated, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["export", "conll", str(tmp_path / "dask.conll"), "--db", str(annotated),
                                  "--engine", "dask", "--jobs", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["export", "conll", str(tmp_path / "local.conll"), "--db", str(annotated), "-j", "1"])
    assert (tmp_path / "dask.conll").read_bytes() == (tmp_path / "local.conll").read_bytes()
    result = runner.invoke(main, ["export", "conll", str(tmp_path / "x.conll"), "--db", str(annotated),
                                  "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "--scheduler goes with --engine dask" in result.output
