"""Shared fixtures. Qt runs offscreen; every test gets its own corpus file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"


@pytest.fixture
def corpus_path(tmp_path: Path) -> Path:
    return tmp_path / "corpus.db"


@pytest.fixture
def corpus(corpus_path: Path):
    from annotator.store import Corpus

    c = Corpus.open(corpus_path)
    yield c
    c.close()


@pytest.fixture
def seed_text() -> str:
    return next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
