"""Exports replace their target whole, ask before replacing, clean up after killed runs, and say
clearly when a target cannot be written or nothing is selected."""

from __future__ import annotations

import json
import subprocess

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.store import Corpus


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_non_empty_target_needs_overwrite_and_is_then_replaced_whole(annotated, tmp_path):
    out = tmp_path / "out"
    assert run("export", "spacy", str(out), "--db", str(annotated), "-j", "1").exit_code == 0
    stale = out / "train" / "999.spacy"
    stale.write_bytes(b"from an older export")
    result = run("export", "spacy", str(out), "--db", str(annotated), "-j", "1", "--dev", "0.5")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {out}: the folder is not empty; pass --overwrite to replace it; nothing was written")
    assert stale.exists()
    result = run("export", "spacy", str(out), "--db", str(annotated), "-j", "1", "--dev", "0.5", "--overwrite")
    assert result.exit_code == 0, result.output
    assert not stale.exists()  # replaced as a whole, nothing of the old export left inside
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["dev_fraction"] == 0.5
    for kind, name in (("jsonl", "a.jsonl"), ("conll", "a.conll")):
        target = tmp_path / name
        assert run("export", kind, str(target), "--db", str(annotated), "-j", "1").exit_code == 0
        before = target.read_bytes()
        result = run("export", kind, str(target), "--db", str(annotated), "-j", "1", "--map", "PER=")
        assert result.exit_code == 1 and "pass --overwrite" in result.output and target.read_bytes() == before
        result = run("export", kind, str(target), "--db", str(annotated), "-j", "1", "--map", "PER=", "--overwrite")
        assert result.exit_code == 0 and target.read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.conll", "a.jsonl", "corpus.db", "out"]


def test_leftovers_of_killed_runs_are_removed_by_the_next_run(annotated, tmp_path):
    leftover = tmp_path / f".out.part-{dead_pid()}"
    (leftover / "train").mkdir(parents=True)
    (leftover / "train" / "000.spacy").write_bytes(b"half")
    (tmp_path / "a.jsonl.part").write_text('{"text": "half', encoding="utf-8")
    assert run("export", "spacy", str(tmp_path / "out"), "--db", str(annotated), "-j", "1").exit_code == 0
    assert run("export", "jsonl", str(tmp_path / "a.jsonl"), "--db", str(annotated), "-j", "1").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "corpus.db", "out"]


def test_a_run_killed_between_its_two_renames_gets_its_previous_export_back(annotated, tmp_path):
    """Where the folders cannot be swapped in one step, the old one is renamed aside first."""
    aside = tmp_path / f".out.old-{dead_pid()}"
    aside.mkdir()
    (aside / "summary.json").write_text("{}", encoding="utf-8")
    result = run("export", "spacy", str(tmp_path / "out"), "--db", str(annotated), "-j", "1")
    assert result.exit_code == 1 and "pass --overwrite" in result.output  # the previous export is back
    assert (tmp_path / "out" / "summary.json").read_text(encoding="utf-8") == "{}"


def test_unwritable_targets_give_one_clear_line(annotated, tmp_path):
    for args in (("spacy", "/proc/out"), ("jsonl", "/proc/a.jsonl"), ("conll", "/sys/a.conll")):
        result = run("export", *args, "--db", str(annotated), "-j", "1")
        assert result.exit_code == 1
        [line] = [line for line in result.output.splitlines() if line.strip()]
        assert line.startswith(f"Error: {args[1]}: cannot write the export there (") and "nothing was written" in line
    assert "Traceback" not in result.output


def test_nothing_to_export_lists_the_statuses_present_and_the_flags(annotated, tmp_path):
    with Corpus.open(annotated) as corpus:
        first, second = corpus.document_ids()[:2]
        corpus.set_status(first, "amira", "in_progress")
        corpus.set_status(second, "bilal", "skipped")
    result = run("export", "spacy", str(tmp_path / "out"), "--db", str(annotated), "--annotator", "bilal")
    assert result.exit_code == 1
    assert f"annotator 'bilal' has no documents with status done in {annotated}" in result.output
    assert "amira: in_progress 1, done 161" in result.output and "bilal: new 161, skipped 1" in result.output
    assert "export them with --status new --status skipped (for 'bilal'); or --annotator amira" in result.output
    assert not (tmp_path / "out").exists()
