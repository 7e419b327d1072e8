"""File → Export…: one annotation set as spaCy DocBins, Prodigy-style JSONL or CoNLL BIO.

A thin view over the functions ``annotator export`` calls
(:func:`annotator.formats.spacy_writer.export_spacy`,
:func:`annotator.formats.jsonl_writer.write_jsonl`,
:func:`annotator.formats.conll_writer.write_conll`, with the selection rules of
:mod:`annotator.formats.selection`), with the same options. The worker reads the corpus on a
read-only connection of its own. Cancel stops between two articles and writes nothing
(the spaCy files are written at the end; a text export goes to ``NAME.part`` and is removed).
Spans that do not align with tokens are listed, as the command lists them: never dropped
silently.

Options the writers gain on other branches (e.g. ``jobs``) are passed only when the
function accepts them (:func:`accepted`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.formats.alignment import POLICIES
from annotator.formats.selection import Selection, SelectionError, iter_documents, parse_label_map, resolve_annotator
from annotator.formats.spacy_writer import ExportError, export_spacy
from annotator.store import STATUSES, Corpus
from annotator.ui.dialogs.job_dialog import Job, JobDialog
from annotator.ui.dialogs.task import Task

FORMATS = (("spacy", "spaCy DocBin (train/ and dev/ shards, config.cfg)"),
           ("jsonl", "JSONL, Prodigy-compatible (round-trips through import)"),
           ("conll", "CoNLL BIO (TOKEN -X- _ TAG)"))
SUFFIX = {"jsonl": ".jsonl", "conll": ".conll"}


def accepted(function: Callable, options: dict[str, Any]) -> dict[str, Any]:
    """The options ``function`` takes (a writer may not have a newer option yet)."""
    params = inspect.signature(function).parameters
    return {name: value for name, value in options.items() if name in params}


def label_map_items(text: str) -> list[str]:
    """``"GPE=LOC, MISC="`` -> ``["GPE=LOC", "MISC="]`` (what ``--map`` takes, repeated)."""
    return [item for item in re.split(r"[,\s]+", text.strip()) if item]


def _describe(misaligned: list, policy: str) -> list[str]:
    if not misaligned:
        return ["every span aligns with the shared tokenizer's tokens"]
    return [f"{len(misaligned)} spans do not align with tokens ({policy} policy):",
            *("  " + m.describe() for m in misaligned)]


def run_export(task: Task, db_path: str, kind: str, out: str, options: dict[str, Any]) -> dict:
    """The worker's part: the export ``annotator export KIND OUT`` does, reporting to ``task``.

    Returns ``{"ok", "text", "documents"}``; an export refused (nothing to export, ``strict``
    and a misaligned span) is ``ok=False`` with the reason, and nothing written.
    """
    extra = {"dev": options["dev"], "seed": options["seed"], "group_by_source": options["group_by_source"]}
    try:
        selection = Selection(annotator=options["annotator"], statuses=tuple(options["statuses"]),
                              label_map=parse_label_map(options["label_map"]),
                              **(extra if kind == "spacy" else {}))
    except SelectionError as exc:
        return {"ok": False, "text": str(exc), "documents": 0}
    strict, policy = options["strict"], options["policy"]
    try:
        with Corpus.open(db_path, create=False, readonly=True) as corpus:
            if kind == "spacy":
                summary = export_spacy(corpus, out, selection, **accepted(export_spacy, {
                    "strict": strict, "policy": policy,
                    "progress": lambda done, total: task.progress(done, total, "articles converted")}))
                documents = sum(split.documents for split in summary.splits.values())
                return {"ok": True, "text": summary.format(), "documents": documents}
            name = resolve_annotator(corpus, selection.annotator)
            documents = list(iter_documents(corpus, selection, name))
            if not documents:
                raise ExportError(f"annotator {name!r} has no documents with status {', '.join(selection.statuses)}")

            def tracked():
                for done, document in enumerate(documents, 1):
                    yield document
                    task.progress(done, len(documents), "articles written")

            if kind == "jsonl":
                from annotator.formats.jsonl_writer import write_jsonl

                count, misaligned = write_jsonl(tracked(), out, **accepted(write_jsonl, {
                    "strict": strict, "with_tokens": not options["no_tokens"]}))
            else:
                from annotator.formats.conll_writer import write_conll

                count, misaligned = write_conll(tracked(), out, **accepted(write_conll, {
                    "policy": policy, "strict": strict}))
    except (SelectionError, ExportError) as exc:
        lines = [str(exc)]
        if isinstance(exc, ExportError) and getattr(exc, "misaligned", None) and "\n" not in str(exc):
            lines += _describe(exc.misaligned, "strict")
        return {"ok": False, "text": "\n".join(lines), "documents": 0}
    lines = [f"wrote {count} documents of annotator {name!r} to {out}"]
    if kind == "jsonl" and options["no_tokens"]:
        lines.append("spans were not checked against tokens (no tokens)")
    else:
        lines += _describe(misaligned, policy)
    return {"ok": True, "text": "\n".join(lines), "documents": count}


class ExportDialog(JobDialog):
    title = "Export an annotation set"
    run_text = "Export"
    intro = ("The same export as `annotator export`: one annotator's set (by default the reviewed set, else "
             "the only annotator), the articles with the chosen statuses, split reproducibly into train and "
             "dev for spaCy. Spans that do not align with tokens are listed, never dropped silently.")

    def build_options(self, box: QWidget) -> None:
        self.setObjectName("exportDialog")
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        self.format = QComboBox(box)
        self.format.setObjectName("exportFormat")
        for value, text in FORMATS:
            self.format.addItem(text, value)
        self.out = QLineEdit(box)
        self.out.setObjectName("exportOut")
        browse = QPushButton("Choose…", box)
        browse.clicked.connect(self.choose_out)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.annotator = QComboBox(box)
        self.annotator.setObjectName("exportAnnotator")
        self.annotator.addItem("the reviewed set, else the only annotator", None)
        for row in self.corpus.annotators():
            self.annotator.addItem(f"{row['name']} ({row['kind']})", row["name"])
        self.statuses: dict[str, QCheckBox] = {}
        status_row = QHBoxLayout()
        for status in STATUSES:
            check = QCheckBox(status.replace("_", " "), box)
            check.setObjectName(f"exportStatus_{status}")
            check.setChecked(status == "done")
            check.toggled.connect(self.validate)
            status_row.addWidget(check)
            self.statuses[status] = check
        status_row.addStretch(1)
        self.label_map = QLineEdit(box)
        self.label_map.setObjectName("exportLabelMap")
        self.label_map.setPlaceholderText("e.g. GPE=LOC, MISC=   (MISC= leaves MISC out)")
        self.policy = QComboBox(box)
        self.policy.setObjectName("exportPolicy")
        for policy in POLICIES:
            self.policy.addItem({"expand": "export the nearest whole tokens", "drop": "leave them out"}.get(
                policy, policy), policy)
        self.strict = QCheckBox("Strict: write nothing if any span does not align with tokens", box)
        self.strict.setObjectName("exportStrict")
        self.dev = QDoubleSpinBox(box)
        self.dev.setObjectName("exportDev")
        self.dev.setRange(0.0, 0.95)
        self.dev.setSingleStep(0.05)
        self.dev.setValue(0.2)
        self.seed = QSpinBox(box)
        self.seed.setObjectName("exportSeed")
        self.seed.setRange(0, 2**31 - 1)
        self.group_by_source = QCheckBox("Keep the articles of one source in the same split", box)
        self.group_by_source.setObjectName("exportGroupBySource")
        self.no_tokens = QCheckBox("Without tokens (no tokenizer run, ~10x faster; spans not checked)", box)
        self.no_tokens.setObjectName("exportNoTokens")
        form.addRow("Format", self.format)
        form.addRow("Write to", out_row)
        form.addRow("Annotation set", self.annotator)
        form.addRow("Articles with status", status_row)
        form.addRow("Relabel", self.label_map)
        form.addRow("Misaligned spans", self.policy)
        form.addRow("Dev fraction", self.dev)
        form.addRow("Split seed", self.seed)
        form.addRow(self.group_by_source)
        form.addRow(self.no_tokens)
        form.addRow(self.strict)
        self._form = form
        self.format.currentIndexChanged.connect(self._format_changed)
        self.out.textChanged.connect(self.validate)
        self.no_tokens.toggled.connect(self.validate)
        self.strict.toggled.connect(self.validate)
        self.label_map.textChanged.connect(self.validate)
        self._format_changed()

    @property
    def kind(self) -> str:
        return self.format.currentData()

    def _default_out(self, kind: str) -> str:
        base = Path(self.corpus_path).resolve()
        return str(base.parent / (f"{base.stem}-spacy" if kind == "spacy" else base.stem + SUFFIX[kind]))

    def _format_changed(self, *_: object) -> None:
        kind = self.kind
        current = self.out.text().strip()
        if not current or current in {self._default_out(k) for k, _ in FORMATS}:
            self.out.setText(self._default_out(kind))
        for widget, kinds in ((self.dev, ("spacy",)), (self.seed, ("spacy",)), (self.group_by_source, ("spacy",)),
                              (self.policy, ("spacy", "conll")), (self.no_tokens, ("jsonl",))):
            self._form.setRowVisible(widget, kind in kinds)
        self.validate()

    def choose_out(self) -> None:
        if self.kind == "spacy":
            chosen = QFileDialog.getExistingDirectory(self, "Folder for train/, dev/ and config.cfg",
                                                      self.out.text())
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.out.text(),
                                                    f"*{SUFFIX[self.kind]};;All files (*)")
        if chosen:
            self.out.setText(chosen)

    def problem_with_options(self) -> str:
        if not hasattr(self, "strict"):
            return ""
        if not self.out.text().strip():
            return "Choose where to write the export."
        out = Path(self.out.text().strip())
        if self.kind == "spacy" and out.is_file():
            return f"{out} is a file: a spaCy export is a folder."
        if self.kind != "spacy" and out.is_dir():
            return f"{out} is a folder: choose a file name."
        if not any(c.isChecked() for c in self.statuses.values()):
            return "Choose at least one status."
        if self.kind == "jsonl" and self.no_tokens.isChecked() and self.strict.isChecked():
            return "Strict checks spans against tokens: it cannot go with an export without tokens."
        try:
            parse_label_map(label_map_items(self.label_map.text()))
        except (SelectionError, ValueError) as exc:
            return str(exc)
        return ""

    def values(self) -> dict[str, Any]:
        return {
            "annotator": self.annotator.currentData(),
            "statuses": [s for s, c in self.statuses.items() if c.isChecked()],
            "label_map": label_map_items(self.label_map.text()),
            "strict": self.strict.isChecked(),
            "policy": self.policy.currentData(),
            "dev": self.dev.value(),
            "seed": self.seed.value(),
            "group_by_source": self.group_by_source.isChecked(),
            "no_tokens": self.no_tokens.isChecked(),
        }

    def describe_start(self) -> str:
        return f"Exporting to {self.out.text().strip()}…"

    def make_job(self) -> Job:
        db_path, kind, out, options = str(self.corpus_path), self.kind, self.out.text().strip(), self.values()
        return lambda task: run_export(task, db_path, kind, out, options)

    def show_outcome(self, result: dict) -> None:
        self.panel.what.setText("Exported." if result["ok"] else "Nothing was written.")
        self.panel.show_result(result["text"])
        if result["ok"]:
            self.tell_window(f"Exported to {self.out.text().strip()}.")

    def show_cancelled(self) -> None:
        self.panel.show_result("Cancelled: nothing was written.")
