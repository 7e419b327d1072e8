"""The training job of the model in the loop, as the window runs it: a separate process.

A killed job leaves the corpus exactly as it was; a finished one registers the model, and its
suggestions (with scores) are what the annotation session then offers on unfinished articles;
the annotator's accepted labels never change; a cancelled or failing job registers nothing; a
model scoring worse than the current one is not registered.
"""

from __future__ import annotations

import json
import signal

import pytest
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.store import Corpus
from annotator.suggest.runner import available_suggesters
from annotator.train.job import run_training_job
from annotator.train.model_folders import LOCK, versions
from annotator.train.worker import EXIT_CANCELLED, EXIT_FAILED
from annotator.ui.session import AnnotationSession
from tests.export.builders import synthetic_records
from tests.train.loop_helpers import dump, loop_corpus, read_events, request, start_worker

pytestmark = pytest.mark.slow


def test_a_killed_job_changes_nothing_and_the_next_one_registers_a_model_the_session_suggests_with(corpus_path):
    finished, unfinished = loop_corpus(corpus_path)
    before = dump(corpus_path)
    with Corpus(corpus_path) as corpus:
        labels_before = {i: corpus.spans(i, "amira") for i in finished}
    root = corpus_path.parent / "models" / "corpus-loop-ar"

    killed = start_worker(request(corpus_path))
    events = read_events(killed, until="step")
    assert events[-1]["event"] == "step"
    killed.send_signal(signal.SIGKILL)
    killed.wait(30)
    assert dump(corpus_path) == before  # nothing registered, nothing written
    assert (root / LOCK).exists() and any(p.name.startswith(".training-") for p in root.iterdir())

    worker = start_worker(request(corpus_path))
    worker.stdin.write(json.dumps({"current": unfinished[2]}) + "\n")
    worker.stdin.flush()
    events = read_events(worker)
    assert worker.wait(60) == 0, worker.stderr.read()
    outcome = events[-1]
    assert outcome["event"] == "outcome" and outcome["registered"], outcome
    assert outcome["documents"] == {"train": 9, "dev": 3} and outcome["previous_score"] is None
    suggested = [e for e in events if e["event"] == "suggested"]
    assert suggested[0]["doc_ids"] == [unfinished[2]]  # the open article first
    assert sorted(i for e in suggested for i in e["doc_ids"]) == sorted(unfinished)
    assert [p.name for p in root.iterdir()] == ["v0001"]  # the killed job's leftovers are gone

    with Corpus(corpus_path) as corpus:
        [model] = corpus.registered_models()
        assert model["name"] == "loop-ar" and model["path"] == str(root / "v0001") and model["loop"]
        assert model["dev"]["f"] == outcome["score"]["f"]
        assert {i: corpus.spans(i, "amira") for i in finished} == labels_before
        session = AnnotationSession(corpus, "amira")
        session.open_document(unfinished[0])
        mine = [s for s in session.suggested_spans if s.suggester == "model:loop-ar"]
        assert mine, "the new model suggests nothing where it was trained to find PER, GPE, ORG"
        assert all(s.score is not None and 0.0 <= s.score <= 1.0 for s in mine)
        # Its suggestions are the model's: somewhere in the unfinished articles it finds a gold entity exactly.
        records = synthetic_records(4, seed=7)
        found = {(i, s.start, s.end, s.label) for i in unfinished for s in corpus.suggestions(i, "model:loop-ar")[0]}
        gold = {(i, s.start, s.end, s.label) for i, record in zip(unfinished, records, strict=True)
                for s in record.spans}
        assert found & gold, (found, gold)

def test_cancelling_and_failing_jobs_register_nothing(corpus_path):
    loop_corpus(corpus_path)
    before = dump(corpus_path)
    root = corpus_path.parent / "models" / "corpus-loop-ar"

    worker = start_worker(request(corpus_path, max_steps=2000))
    read_events(worker, until="step")
    worker.stdin.write(json.dumps({"cancel": True}) + "\n")
    worker.stdin.flush()
    events = read_events(worker)
    assert worker.wait(60) == EXIT_CANCELLED
    assert events[-1] == {"event": "cancelled"}
    assert dump(corpus_path) == before and versions(root) == [] and not (root / LOCK).exists()

    broken = start_worker(request(corpus_path, settings={"training.optimizer.learn_rate": "fast"}))
    events = read_events(broken)
    assert broken.wait(60) == EXIT_FAILED
    assert events[-1]["event"] == "error" and "\n" not in events[-1]["message"]
    assert dump(corpus_path) == before and versions(root) == []


def test_a_model_scoring_worse_than_the_current_one_is_not_registered(corpus_path):
    loop_corpus(corpus_path, done=16)
    first = run_training_job(request(corpus_path, max_steps=80, resuggest=False))
    assert first.registered and first.score["f"] > 0.5, first.score

    result = CliRunner().invoke(main, ["train", "--continue", "--db", str(corpus_path), "--annotator", "amira",
                                       "--base", "none", "--max-steps", "1", "--no-suggest", "--json"])
    assert result.exit_code == 0, result.output
    second = json.loads(result.output.strip().splitlines()[-1])
    assert not second["registered"] and second["score"]["f"] < second["previous_score"]["f"]
    assert second["message"].startswith("kept the current model loop-ar v0001")
    with Corpus(corpus_path) as corpus:
        [model] = corpus.registered_models()
        assert model["path"] == first.model_path

    result = CliRunner().invoke(main, ["train", "--continue", "--db", str(corpus_path), "--if-new", "5"])
    assert result.exit_code == 0 and "nothing to do: 0 article(s) of amira finished since the last training" in \
        result.output


def test_fine_tuning_the_shipped_arabic_model_keeps_its_labels_and_takes_over_its_suggestions(corpus_path):
    _, unfinished = loop_corpus(corpus_path, done=12, todo=2)
    outcome = run_training_job(request(corpus_path, shipped_models=None, settings={}, max_steps=20))
    assert outcome.base == "ar_news_ner" and outcome.current == "ar_news_ner" and outcome.previous_score
    assert outcome.registered, outcome.message  # these articles are regular enough to beat it after 20 steps
    with Corpus(corpus_path) as corpus:
        [model] = corpus.registered_models()
        assert model["replaces"] == ["model:ar_news_ner"]
        offered = available_suggesters(corpus)
        assert "model:ar_news_ner" not in offered and "model:loop-ar" in offered
        # its suggestions come back in the corpus's labels, beam-scored
        spans = corpus.suggestions(unfinished[0], "model:loop-ar")[0]
        assert spans and {s.label for s in spans} <= {"PER", "GPE", "ORG", "LOC", "NORP", "MISC"}
        assert all(s.score is not None for s in spans)
    meta = json.loads((corpus_path.parent / "models" / "corpus-loop-ar" / "v0001" / "meta.json").read_text())
    assert meta["annotator"]["label_map"]["PERS"] == "PER" and meta["annotator"]["label_map"]["LOC"] == "GPE"
