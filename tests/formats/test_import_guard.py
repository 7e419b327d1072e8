"""One file's crash never stops the others; links in folders that lead nowhere are listed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import annotator.formats.importer as importer
import annotator.formats.jsonl_reader as jsonl_reader
from annotator.cli.main import main
from annotator.formats.importer import import_paths


def count(corpus, table: str) -> int:
    return corpus.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def folder_of_five(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, name in enumerate(["a.jsonl", "b.jsonl", "crash.json", "d.txt", "e.jsonl"]):
        record = {"text": f"Article {i}: Barack Obama spoke.", "spans": [{"start": 12, "end": 24, "label": "PER"}]}
        content = f"Title {i}\nBody of article {i}.\n" if name.endswith(".txt") else json.dumps(record) + "\n"
        (folder / name).write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def crashing_reader(monkeypatch):
    """The JSON reader raises AttributeError (a bug) on any file named crash.json."""
    real = jsonl_reader._record

    def record(value, name, line, options, **flags):
        if name.endswith("crash.json"):
            return None.spans  # type: ignore[attr-defined]
        return real(value, name, line, options, **flags)

    monkeypatch.setattr(jsonl_reader, "_record", record)


def test_a_reader_crash_fails_that_file_only_and_the_rest_imports(corpus, tmp_path, crashing_reader):
    folder = folder_of_five(tmp_path)
    summary = import_paths(corpus, [folder])
    assert (summary.files_ok, summary.files_failed) == (4, 1)
    assert summary.errors == [
        f"{folder / 'crash.json'}: internal error while reading (AttributeError: 'NoneType' object has no "
        "attribute 'spans'); please report it"]
    texts = {r[0] for r in corpus.conn.execute("SELECT text FROM documents")}
    assert len(texts) == 4 and not any(t.startswith("Article 2:") for t in texts)
    assert count(corpus, "spans") == 3


def test_the_command_prints_the_summary_after_a_crash_and_exits_1(tmp_path, crashing_reader):
    folder = folder_of_five(tmp_path)
    result = CliRunner().invoke(main, ["import", str(folder), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "internal error while reading (AttributeError" in result.stderr
    assert "5 files (4 ok, 1 failed)" in result.stdout and "documents: 4 new" in result.stdout


def test_a_crash_after_some_batches_were_stored_rolls_the_whole_file_back(corpus, tmp_path, monkeypatch):
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"text": f"Article {i}: Barack Obama.", "spans": [
        {"start": len(f"Article {i}: "), "end": len(f"Article {i}: Barack Obama"), "label": "PER"}]}) + "\n"
        for i in range(1300)), encoding="utf-8")
    calls = []

    def failing(corpus, records):
        calls.append(len(records))
        if len(calls) == 3:  # the third batch: 1,000 records are already in the transaction
            raise KeyError("simulated bug")
        return 0

    monkeypatch.setattr(importer, "_store_suggestions", failing)
    events = count(corpus, "events")
    summary = import_paths(corpus, [path])
    assert calls == [importer.BATCH, importer.BATCH, 300]
    assert summary.errors == [f"{path}: internal error while reading (KeyError: 'simulated bug'); please report it"]
    assert count(corpus, "documents") == count(corpus, "spans") == count(corpus, "annotators") == 0
    assert count(corpus, "events") == events


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are not available on this system")
def test_links_that_lead_nowhere_or_in_a_loop_are_listed(corpus, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.jsonl").write_text(json.dumps({"text": "A good article."}) + "\n", encoding="utf-8")
    (folder / "gone.jsonl").symlink_to(tmp_path / "deleted.jsonl")
    (folder / "self.txt").symlink_to(folder / "self.txt")
    (folder / "sub" / "up").symlink_to(folder)  # a folder link back to where the walk started
    (folder / "sub" / "other.txt").write_text("Title\nAnother article.\n", encoding="utf-8")
    summary = import_paths(corpus, [folder])
    assert summary.ok and summary.files_ok == 2 and summary.documents_new == 2
    assert sorted(summary.warnings) == sorted([
        f"{folder / 'gone.jsonl'}: dangling symbolic link to '{tmp_path / 'deleted.jsonl'}' (nothing there); "
        "not imported",
        f"{folder / 'self.txt'}: symbolic link loop ('{folder / 'self.txt'}' leads back to itself); not imported",
        f"{folder / 'sub' / 'up'}: a link back to a folder already imported; not walked again",
    ])
    result = CliRunner().invoke(main, ["import", str(folder), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 0 and "dangling symbolic link" in result.stderr and "link loop" in result.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are not available on this system")
def test_a_dangling_link_named_on_the_command_line_says_so(corpus, tmp_path):
    link = tmp_path / "a.jsonl"
    link.symlink_to(tmp_path / "moved.jsonl")
    summary = import_paths(corpus, [link])
    assert summary.errors == [f"{link}: dangling symbolic link to '{tmp_path / 'moved.jsonl'}' (nothing there)"]


class Cancel(Exception):
    pass


def test_an_exception_from_the_progress_callback_stops_the_import_and_rolls_that_file_back(corpus, tmp_path):
    """The window's Cancel raises from the progress callback: that is no reader crash to report and
    go past, it stops the import (the files before stay, the one being read leaves nothing)."""
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"text": "A small first file."}) + "\n", encoding="utf-8")
    big = tmp_path / "b.jsonl"
    big.write_text("".join(json.dumps({"text": f"Article {i}."}) + "\n" for i in range(2500)), encoding="utf-8")

    def progress(done, total, path):
        if path == big and done > 1:  # inside the big file, after its first thousand records
            raise Cancel

    with pytest.raises(Cancel):
        import_paths(corpus, [first, big], progress=progress)
    assert [r[0] for r in corpus.conn.execute("SELECT text FROM documents")] == ["A small first file."]
