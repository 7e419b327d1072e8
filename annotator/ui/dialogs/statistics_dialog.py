"""Corpus → Statistics…: how far the team is, the figures of ``annotator stats`` with charts.

Progress per annotator (done, in progress, skipped, new), entities per label, articles done
per day, and what each annotator did with the suggestions (accepted as they were, edited,
rejected: the acceptance rate says whether the suggestions help). The figures come from
:mod:`annotator.store.stats`, the functions ``annotator stats`` prints, read in the worker
on a read-only connection of its own; Refresh reads them again.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.store import STATUSES, Corpus
from annotator.store.stats import corpus_stats, done_per_day, suggestion_outcomes
from annotator.ui.charts import Series, StackedBars
from annotator.ui.dialogs.job_dialog import Job, JobDialog
from annotator.ui.dialogs.task import Task

STATUS_COLORS = {"done": "#2e9d5b", "in_progress": "#e0a000", "skipped": "#c0504d", "new": "#c8ccd2"}
OUTCOME_COLORS = {"accepted": "#2e9d5b", "edited": "#7aa6e0", "rejected": "#c0504d"}
DAYS = 30  # the per-day chart shows this many days, up to the last day with work


def read_statistics(task: Task, db_path: str) -> dict[str, Any]:
    """The worker's part: the same figures as ``annotator stats``."""
    task.progress(0, None, "Reading the figures…")
    with Corpus.open(db_path, create=False, readonly=True) as corpus:
        stats = corpus_stats(corpus)
        stats["done_per_day"] = done_per_day(corpus)
        stats["suggestion_outcomes"] = suggestion_outcomes(corpus)
        stats["label_colors"] = {label.name: label.color for label in corpus.labels.entities}
    return stats


def recent_days(per_day: dict[str, dict[str, int]], days: int = DAYS) -> list[str]:
    """The ``days`` calendar days up to the last day anyone finished an article (every day, even empty ones)."""
    seen = sorted({day for per in per_day.values() for day in per})
    if not seen:
        return []
    last = date.fromisoformat(seen[-1])
    first = max(date.fromisoformat(seen[0]), last - timedelta(days=days - 1))
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def _table(parent: QWidget, headers: list[str], rows: list[list[str]], name: str) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.setMaximumHeight(table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(len(rows))) + 6)
    return table


class StatisticsDialog(JobDialog):
    title = "Corpus statistics"
    run_text = "Refresh"

    def build_options(self, box: QWidget) -> None:
        self.setObjectName("statisticsDialog")
        self.summary = QLabel(box)
        self.summary.setObjectName("statisticsSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        self.stats: dict[str, Any] | None = None

    def arrange(self, layout: QVBoxLayout) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("statisticsTabs")
        self.progress_chart = StackedBars(self, title="Articles per annotator")
        self.labels_chart = StackedBars(self, title="Entities per annotator and label")
        self.days_chart = StackedBars(self, horizontal=False, title="Articles done per day")
        self.outcomes_chart = StackedBars(self, title="Suggestions: accepted, edited, rejected")
        self.pages: dict[str, QWidget] = {}
        self.tables: dict[str, QTableWidget] = {}
        for key, title, chart in (("progress", "Progress", self.progress_chart), ("labels", "Labels", self.labels_chart),
                                  ("days", "Per day", self.days_chart),
                                  ("suggestions", "Suggestions", self.outcomes_chart)):
            page = QWidget(self.tabs)
            page_layout = QVBoxLayout(page)
            page_layout.addWidget(chart, 1)
            self.pages[key] = page
            self.tabs.addTab(page, title)
        index = layout.indexOf(self.panel)
        layout.insertWidget(index, self.tabs, 1)
        self.panel.result.hide()
        layout.setStretchFactor(self.panel, 0)
        self.resize(860, 680)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.runner.running:
            self.run()  # fresh figures every time the dialog is shown

    def make_job(self) -> Job:
        db_path = str(self.corpus_path)
        return lambda task: read_statistics(task, db_path)

    def describe_start(self) -> str:
        return "Reading the figures…"

    def show_outcome(self, stats: dict[str, Any]) -> None:
        self.stats = stats
        self.panel.what.setText("")
        people = [a["name"] for a in stats["annotators"] if a["kind"] != "import"]
        documents = stats["documents"]
        done = {name: stats["statuses"].get(name, {}).get("done", 0) for name in people}
        self.summary.setText(
            f"{documents:,} articles ({', '.join(f'{k} {v:,}' for k, v in stats['by_language'].items()) or 'none'}); "
            + (", ".join(f"{name}: {n:,} done" for name, n in done.items()) if people else "no annotator yet")
        )
        # progress
        series = [Series(s.replace("_", " "), STATUS_COLORS[s]) for s in STATUSES if s != "new"] + [
            Series("new", STATUS_COLORS["new"])]
        order = [s for s in STATUSES if s != "new"] + ["new"]
        self.progress_chart.set_data(people, series, [[stats["statuses"].get(n, {}).get(s, 0) for s in order]
                                                      for n in people])
        self._replace_table("progress", ["annotator", *[s.replace("_", " ") for s in order], "share done"],
                            [[n, *(f"{stats['statuses'].get(n, {}).get(s, 0):,}" for s in order),
                              f"{done[n] / documents:.0%}" if documents else "–"] for n in people])
        # labels
        labels = [label for label in stats["labels"] if any(label in per for per in stats["spans"].values())]
        labels += sorted({label for per in stats["spans"].values() for label in per} - set(labels))
        colors = stats["label_colors"]
        named = [n for n in people if n in stats["spans"]]
        self.labels_chart.set_data(named, [Series(label, colors.get(label, "#cccccc")) for label in labels],
                                   [[stats["spans"][n].get(label, 0) for label in labels] for n in named])
        self._replace_table("labels", ["annotator", *labels, "all"],
                            [[n, *(f"{stats['spans'][n].get(label, 0):,}" for label in labels),
                              f"{sum(stats['spans'][n].values()):,}"] for n in named])
        # per day
        per_day = stats["done_per_day"]
        days = recent_days(per_day)
        workers = [n for n in people if n in per_day]
        palette = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]
        self.days_chart.set_data([d[5:] for d in days],
                                 [Series(n, palette[i % len(palette)]) for i, n in enumerate(workers)],
                                 [[per_day[n].get(d, 0) for n in workers] for d in days])
        self._replace_table("days", ["annotator", "days with work", "articles", "per working day", "last day"],
                            [[n, str(len(per_day[n])), f"{sum(per_day[n].values()):,}",
                              f"{sum(per_day[n].values()) / len(per_day[n]):.1f}", max(per_day[n])]
                             for n in workers])
        # suggestions
        outcomes = stats["suggestion_outcomes"]
        deciders = [n for n in people if n in outcomes]
        kinds = ("accepted", "edited", "rejected")
        self.outcomes_chart.set_data(deciders, [Series(k, OUTCOME_COLORS[k]) for k in kinds],
                                     [[outcomes[n][k] for k in kinds] for n in deciders])
        rows = []
        for n in deciders:
            rate = outcomes[n]["acceptance_rate"]
            rows.append([n, *(f"{outcomes[n][k]:,}" for k in kinds), "–" if rate is None else f"{rate:.0%}",
                         " · ".join(f"{kind}: {outcomes[n][kind]['accepted']}+{outcomes[n][kind]['edited']}"
                                    f"/{outcomes[n][kind]['rejected']}" for kind in ("entities", "quotes"))])
        self._replace_table("suggestions", ["annotator", *kinds, "acceptance rate",
                                            "entities, quotes: accepted+edited/rejected"], rows)

    def _replace_table(self, key: str, headers: list[str], rows: list[list[str]]) -> None:
        page = self.pages[key]
        old = self.tables.pop(key, None)
        if old is not None:
            page.layout().removeWidget(old)
            old.deleteLater()
        self.tables[key] = _table(page, headers, rows, f"statistics_{key}")
        page.layout().addWidget(self.tables[key])

    def table(self, key: str) -> list[list[str]]:
        """What a tab's table shows (for tests)."""
        table = self.tables[key]
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        return [headers] + [[table.item(r, c).text() for c in range(table.columnCount())]
                            for r in range(table.rowCount())]
