"""Every job from the menus: import, export, agreement, check, backup, statistics.

Each dialog is opened from the window's menu action, driven through its widgets, runs the
CLI's function in a worker thread, and is checked by what a user would check: the rows in
the corpus, the files written, the figures shown. Cancel is tested with the worker held at
a known point (a gate), so the outcome never depends on timing.
"""

from __future__ import annotations

import functools
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.formats import importer
from annotator.store import Corpus
from annotator.ui.main_window import MainWindow

WHO = "amira"
ARABIC = "وأعلن بوتين أن هناك \"بعض التقارب\" بين موسكو وواشنطن."
ENGLISH = "Obama said on Monday that \"we have not yet closed the gaps\" with Russia."


@pytest.fixture
def corpus_path(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.db"
    with Corpus.open(path) as corpus:
        corpus.add_documents([DocumentRecord(text=ARABIC, title="بوتين"), DocumentRecord(text=ENGLISH, title="Obama")])
    return path


@pytest.fixture
def window(qtbot, corpus_path: Path) -> MainWindow:
    w = MainWindow(corpus_path, WHO, run_suggesters=False)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    w.view.setFocus()
    return w


MENU_ACTIONS = {"corpus.import": "import", "corpus.export": "export", "action_agreement": "agreement",
                "action_check": "check", "action_backup": "backup", "action_statistics": "statistics"}


def menu_dialog(window: MainWindow, action_name: str):
    """Trigger the menu action and return the dialog it showed."""
    action = window.findChild(QAction, action_name)
    assert action is not None, action_name
    action.trigger()
    dialog = window.dialogs[MENU_ACTIONS[action_name]]
    assert dialog.isVisible()
    return dialog


def run_and_wait(qtbot, dialog, timeout: int = 60_000) -> None:
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.runner.running or dialog.panel.result.toPlainText()
    qtbot.waitUntil(lambda: not dialog.runner.running, timeout=timeout)


def gate_import(monkeypatch, hold_at: float) -> threading.Event:
    """Hold the import's worker at its first progress report >= ``hold_at`` until the gate opens."""
    gate = threading.Event()
    gate.reached = threading.Event()  # type: ignore[attr-defined]
    real = importer.import_paths

    @functools.wraps(real)
    def held(corpus, paths, *, progress=None, **kwargs):
        def report(done, total, path):
            if done >= hold_at and not gate.is_set():
                gate.reached.set()  # type: ignore[attr-defined]
                gate.wait(20)
            progress(done, total, path)

        return real(corpus, paths, progress=report, **kwargs)

    monkeypatch.setattr(importer, "import_paths", held)
    return gate


# -- import -----------------------------------------------------------------------------------------


def test_import_a_folder_from_the_menu_reports_the_summary_and_the_bad_file(qtbot, window, tmp_path, monkeypatch):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a.txt").write_text("خبر أول\n\nنص الخبر الأول عن الرياض.", encoding="utf-8")
    (folder / "b.txt").write_text("Second story\n\nText of the second story.", encoding="utf-8")
    (folder / "c.jsonl").write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")  # line 2 is broken
    dialog = menu_dialog(window, "corpus.import")
    assert dialog.objectName() == "importDialog"
    assert not dialog.run_button.isEnabled()  # nothing chosen yet
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getExistingDirectory", lambda *a, **k: str(folder))
    qtbot.mouseClick(dialog.findChild(type(dialog.run_button), "importAddFolder"), Qt.MouseButton.LeftButton)
    assert dialog.paths.paths() == [str(folder)]
    dialog.annotator.setCurrentText("  nour ")
    run_and_wait(qtbot, dialog)
    text = dialog.panel.result.toPlainText()
    assert "documents: 2 new" in text
    assert "error:" in text and "c.jsonl:2" in text  # the CLI's own file:line line
    with Corpus.open(window.corpus_path) as corpus:
        titles = {corpus.document(i).title for i in corpus.document_ids()}
    assert {"خبر أول", "Second story"} <= titles and len(titles) == 4  # nothing of c.jsonl
    assert window.document_list.model.rowCount() == 4  # the window's list caught up
    assert "2 new article" in window.message_label.text()


def test_import_runs_in_a_worker_the_window_keeps_annotating_and_cancel_keeps_finished_files(
        qtbot, window, tmp_path, monkeypatch):
    files = []
    for i in range(3):
        path = tmp_path / f"{i}.txt"
        path.write_text(f"Story {i}\n\nThe text of story number {i}.", encoding="utf-8")
        files.append(str(path))
    gate = gate_import(monkeypatch, hold_at=1)  # held before the second file, the first one stored
    dialog = window.open_dialog("import")
    dialog.paths.add(files)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.corpus.count_documents() == 3)  # the first file is in
    qtbot.waitUntil(lambda: dialog.panel.bar.format() == "0 / 3")  # progress came back to the GUI thread
    assert dialog.runner.running and not dialog.run_button.isEnabled()
    # the window is not blocked: a label key is stored while the import is held
    window.raise_()
    window.activateWindow()  # the annotator clicks back into the window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    window.view.select_text(0, 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert len(window.session.corpus.spans(window.session.doc_id, WHO)) == 1
    qtbot.mouseClick(dialog.panel.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not dialog.runner.running)
    assert dialog.panel.what.text() == "Cancelled."
    assert "1 new article" in dialog.panel.result.toPlainText()
    with Corpus.open(window.corpus_path) as corpus:
        titles = {corpus.document(i).title for i in corpus.document_ids()}
    assert "Story 0" in titles and "Story 1" not in titles and "Story 2" not in titles


def test_cancel_inside_a_large_file_stores_nothing_of_it(qtbot, window, tmp_path, monkeypatch):
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"text": f"Article {i} about markets."}) + "\n" for i in range(2500)),
                   encoding="utf-8")
    gate = gate_import(monkeypatch, hold_at=0.3)  # inside the file, after its first 1,000 records
    gate_reached = lambda: gate.reached.is_set()  # noqa: E731
    dialog = window.open_dialog("import")
    dialog.paths.add([str(big)])
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gate_reached(), timeout=30_000)
    qtbot.mouseClick(dialog.panel.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not dialog.runner.running, timeout=30_000)
    assert dialog.panel.what.text() == "Cancelled."
    with Corpus.open(window.corpus_path) as corpus:
        assert corpus.count_documents() == 2  # the file was one transaction: rolled back whole


# -- export -----------------------------------------------------------------------------------------


def _annotate(corpus_path: Path) -> None:
    with Corpus.open(corpus_path) as corpus:
        first, second = corpus.document_ids()
        putin = ARABIC.index("بوتين")
        corpus.add_span(first, WHO, Span(putin, putin + 5, "PER"))
        moscow = ARABIC.index("موسكو")
        corpus.add_span(first, WHO, Span(moscow, moscow + 5, "GPE"))
        content = ARABIC.index('"بعض')
        corpus.add_quote(first, WHO, Quote(contents=(Range(content, content + len('"بعض التقارب"')),),
                                           cue=Range(0, 5), sources=(Range(putin, putin + 5),), type="direct"))
        corpus.add_span(second, WHO, Span(0, 5, "PER"))
        corpus.set_status(first, WHO, "done")
        corpus.set_status(second, WHO, "done")


def test_export_jsonl_from_the_menu_writes_what_the_command_writes(qtbot, window, corpus_path, tmp_path):
    _annotate(corpus_path)
    dialog = menu_dialog(window, "corpus.export")
    assert dialog.objectName() == "exportDialog"
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    out = tmp_path / "out.jsonl"
    dialog.out.setText(str(out))
    run_and_wait(qtbot, dialog)
    assert dialog.panel.what.text() == "Exported."
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["meta"]["title"] for r in records] == ["بوتين", "Obama"]
    first = records[0]
    assert [(first["text"][s["start"]:s["end"]], s["label"]) for s in first["spans"]] == [("بوتين", "PER"),
                                                                                          ("موسكو", "GPE")]
    assert first["quotes"][0]["type"] == "direct"
    assert "wrote 2 documents of annotator 'amira'" in dialog.panel.result.toPlainText()


def test_export_spacy_writes_docbins_with_the_entities(qtbot, window, corpus_path, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    _annotate(corpus_path)
    dialog = window.open_dialog("export")
    out = tmp_path / "spacy-out"
    dialog.out.setText(str(out))
    dialog.dev.setValue(0.5)
    run_and_wait(qtbot, dialog, timeout=120_000)
    assert dialog.panel.what.text() == "Exported.", dialog.panel.result.toPlainText()
    assert {p.name for p in out.iterdir()} >= {"train", "dev", "config.cfg", "summary.json"}
    entities = set()
    for path in sorted(out.glob("*/*.spacy")):  # train/000.spacy, dev/000.spacy, ... (DocBin shards)
        for doc in DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab):
            entities.update((e.text, e.label_) for e in doc.ents)
    assert ("بوتين", "PER") in entities and ("موسكو", "GPE") in entities


def test_export_options_are_checked_before_running(qtbot, window, tmp_path):
    dialog = window.open_dialog("export")
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    dialog.no_tokens.setChecked(True)
    dialog.strict.setChecked(True)
    assert not dialog.run_button.isEnabled()
    assert "cannot go with" in dialog.problem.text()
    dialog.strict.setChecked(False)
    dialog.label_map.setText("GPE")
    assert "FROM=TO" in dialog.problem.text()


def test_export_with_nothing_done_says_so_and_writes_nothing(qtbot, window, tmp_path):
    dialog = window.open_dialog("export")
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    out = tmp_path / "out.conll"
    dialog.out.setText(str(out))
    run_and_wait(qtbot, dialog)
    assert dialog.panel.what.text() == "Nothing was written."
    assert not out.exists()


def test_cancelled_export_leaves_no_file(qtbot, window, corpus_path, tmp_path, monkeypatch):
    from annotator.formats import jsonl_writer

    _annotate(corpus_path)
    gate = threading.Event()
    real = jsonl_writer.document_record
    calls: list[int] = []

    def held(document, *args, **kwargs):
        calls.append(document.id)
        if len(calls) == 2:
            gate.wait(20)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(jsonl_writer, "document_record", held)
    dialog = window.open_dialog("export")
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    out = tmp_path / "cancelled.jsonl"
    dialog.out.setText(str(out))
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(calls) == 2)
    qtbot.mouseClick(dialog.panel.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not dialog.runner.running)
    assert dialog.panel.what.text() == "Cancelled."
    assert not out.exists() and not out.with_name(out.name + ".part").exists()


# -- agreement, check, backup -------------------------------------------------------------------------


def test_agreement_report_from_the_review_menu(qtbot, window, corpus_path, tmp_path):
    with Corpus.open(corpus_path) as corpus:
        first, second = corpus.document_ids()
        putin, moscow = ARABIC.index("بوتين"), ARABIC.index("موسكو")
        for name, label in (("amira", "GPE"), ("bilal", "LOC")):
            corpus.add_span(first, name, Span(putin, putin + 5, "PER"))
            corpus.add_span(first, name, Span(moscow, moscow + 5, label))
            corpus.set_status(first, name, "done")
    dialog = menu_dialog(window, "action_agreement")
    assert dialog.objectName() == "agreementDialog"
    assert dialog.chosen() == ["amira", "bilal"]
    run_and_wait(qtbot, dialog)
    rows = {row[0]: row for row in dialog.table_rows()}
    assert rows["PER"][5] == "1.000"  # F1 exact
    assert rows["all"][5] == "0.500"
    assert "amira (A, reference) vs bilal (B)" in dialog.panel.result.toPlainText()
    report = dialog.save_report(str(tmp_path / "agreement.html"), open_it=False)
    html = report.read_text(encoding="utf-8")
    assert "bilal" in html and "<script" not in html


def test_check_and_backup_from_the_corpus_menu(qtbot, window, tmp_path):
    check = menu_dialog(window, "action_check")
    run_and_wait(qtbot, check)
    assert check.panel.what.text() == "No problems found."
    assert ": ok (schema" in check.panel.result.toPlainText()
    backup = menu_dialog(window, "action_backup")
    out = tmp_path / "copy.db"
    backup.out.setText(str(out))
    run_and_wait(qtbot, backup)
    assert backup.panel.what.text() == "Backed up."
    with Corpus.open(out) as copy:
        assert copy.count_documents() == 2
    backup.overwrite.setChecked(False)
    backup.out.setText(str(out))
    assert not backup.run_button.isEnabled() and "exists" in backup.problem.text()


def test_closing_the_window_cancels_a_running_job(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "one.txt"
    path.write_text("Title\n\nSome text.", encoding="utf-8")
    gate = gate_import(monkeypatch, hold_at=0)
    dialog = window.open_dialog("import")
    dialog.paths.add([str(path)])
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.runner.running)
    threading.Timer(0.3, gate.set).start()
    window.close()
    assert not dialog.runner.running
    with Corpus.open(window.corpus_path) as corpus:
        assert corpus.count_documents() == 2  # cancelled before the file: nothing imported


# -- statistics -------------------------------------------------------------------------------------


def test_statistics_view_shows_progress_labels_days_and_acceptance(qtbot, window, corpus_path):
    with Corpus.open(corpus_path) as corpus:
        first, second = corpus.document_ids()
        putin, moscow = ARABIC.index("بوتين"), ARABIC.index("موسكو")
        corpus.store_suggestions(first, "test", "1", [Span(putin, putin + 5, "PER", score=0.9),
                                                      Span(moscow, moscow + 5, "GPE", score=0.8)], [])
    session = window.session
    session.open_document(first)
    session.reload_suggestions()
    session.select("suggestion", session.suggested_spans[0].id)
    session.accept_suggestion()  # PER accepted as it was
    session.relabel("LOC")  # GPE suggestion selected next: accepted as LOC, i.e. edited
    start = ENGLISH.index("Obama")
    session.open_document(second)
    session.label_range(start, start + 5, "PER")
    session.mark_done_and_next()
    dialog = menu_dialog(window, "action_statistics")
    qtbot.waitUntil(lambda: dialog.stats is not None)
    progress = dialog.table("progress")
    assert progress[0][:5] == ["annotator", "in progress", "done", "skipped", "new"]
    assert progress[1][:5] == ["amira", "1", "1", "0", "0"]
    labels = {row[0]: row for row in dialog.table("labels")[1:]}
    assert labels["amira"][-1] == "3"
    suggestions = dialog.table("suggestions")
    assert suggestions[1][:5] == ["amira", "1", "1", "0", "100%"]
    days = dialog.table("days")
    assert days[1][:3] == ["amira", "1", "1"]
    assert dialog.progress_chart.categories == ["amira"] and dialog.progress_chart.totals() == [2]
    assert dialog.outcomes_chart.values == [[1, 1, 0]]
    assert sum(map(sum, dialog.days_chart.values)) == 1


# -- screenshots (ANNOTATOR_SCREENSHOTS=1 writes them to docs/screenshots) -----------------------------


def test_screenshots_of_the_dialogs(qtbot, window, corpus_path, tmp_path, monkeypatch):
    import os
    from datetime import datetime, timedelta, timezone

    from annotator.store import corpus as corpus_module

    out = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("ANNOTATOR_SCREENSHOTS") != "1":
        out = tmp_path
    # a week of work by two annotators (the event clock is moved back a day at a time)
    with Corpus.open(corpus_path) as corpus:
        corpus.add_documents([DocumentRecord(text=f"خبر رقم {i} عن الرياض وموسكو.", title=f"خبر {i}")
                              for i in range(40)])
        ids = corpus.document_ids()
        corpus.store_suggestions(ids[0], "gazetteer", "1", [Span(ARABIC.index("موسكو"), ARABIC.index("موسكو") + 5,
                                                                 "GPE", score=0.9)], [])
        day = datetime.now(timezone.utc) - timedelta(days=6)
        for n, doc_id in enumerate(ids[2:34]):
            stamp = (day + timedelta(days=n // 5, hours=n % 5)).isoformat(timespec="milliseconds")
            monkeypatch.setattr(corpus_module, "now", lambda stamp=stamp: stamp)
            text = corpus.document(doc_id).text
            riyadh, moscow = text.index("الرياض"), text.index("موسكو") - 1  # with its و
            for who in ("amira", "bilal") if n % 3 else ("amira",):
                corpus.add_span(doc_id, who, Span(riyadh, riyadh + 6, "GPE"))
                label = "LOC" if who == "bilal" and n % 4 == 1 else "GPE"
                corpus.add_span(doc_id, who, Span(moscow, moscow + 6, label))
                if who == "amira" or n % 5:
                    corpus.set_status(doc_id, who, "done")
        monkeypatch.undo()
        corpus.decide_suggestion(ids[0], "amira", "entity", 0, 5, "PER", "rejected")
    window.corpus_changed()
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a.txt").write_text("خبر أول\n\nنص الخبر الأول عن الرياض.", encoding="utf-8")
    (folder / "b.jsonl").write_text('{"text": "Obama met Putin.", "spans": [{"start": 0, "end": 5, "label": "PER"}]}\n'
                                    '{"text": \n', encoding="utf-8")
    shots = {}
    dialog = window.open_dialog("import")
    dialog.paths.add([str(folder)])
    run_and_wait(qtbot, dialog)
    shots["dialog-import.png"] = dialog
    dialog = window.open_dialog("export")
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    dialog.annotator.setCurrentIndex(dialog.annotator.findData("amira"))
    dialog.out.setText(str(tmp_path / "amira.jsonl"))
    run_and_wait(qtbot, dialog)
    shots["dialog-export.png"] = dialog
    dialog = window.open_dialog("agreement")
    for i in range(dialog.annotators.count()):
        item = dialog.annotators.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() in ("amira", "bilal") else Qt.CheckState.Unchecked)
    run_and_wait(qtbot, dialog)
    shots["dialog-agreement.png"] = dialog
    dialog = window.open_dialog("statistics")
    qtbot.waitUntil(lambda: dialog.stats is not None and not dialog.runner.running)
    shots["dialog-statistics.png"] = dialog
    for name, shown in shots.items():
        shown.raise_()
        qtbot.wait(50)
        assert shown.grab().save(str(out / name))
    dialog.tabs.setCurrentIndex(2)
    qtbot.wait(50)
    assert dialog.grab().save(str(out / "dialog-statistics-per-day.png"))
    check = window.open_dialog("check")
    run_and_wait(qtbot, check)
    assert check.grab().save(str(out / "dialog-check.png"))
    for name in [*shots, "dialog-statistics-per-day.png", "dialog-check.png"]:
        assert (out / name).stat().st_size > 10_000


def test_import_options_the_importer_has_are_offered_and_passed(qtbot, window, tmp_path):
    conll = tmp_path / "ner.conll"
    conll.write_text("-DOCSTART- -X- -X- O\n\nObama B-PERS\nmet O\nPutin B-PERS\n.\tO\n\nMoscow B-LOC\nwaits O\n",
                     encoding="utf-8")
    dialog = window.open_dialog("import")
    assert {"strict", "sentences_per_doc", "label_map"} <= set(dialog.extra)
    dialog.paths.add([str(conll)])
    dialog.extra["label_map"].setText("GPE")
    assert not dialog.run_button.isEnabled() and "FROM=TO" in dialog.problem.text()
    dialog.extra["label_map"].setText("PERS=PER")
    dialog.annotator.setCurrentText("gold")
    run_and_wait(qtbot, dialog)
    assert "documents:" in dialog.panel.result.toPlainText(), dialog.panel.result.toPlainText()
    with Corpus.open(window.corpus_path) as corpus:
        labels = sorted({s.label for i in corpus.document_ids() for s in corpus.spans(i, "gold")})
    assert labels == ["LOC", "PER"]
