"""``annotator stats``: what the corpus holds, per language, annotator and label."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from annotator.cli.options import db_option, open_corpus
from annotator.store.corpus import STATUSES
from annotator.store.stats import corpus_stats, done_per_day, suggestion_outcomes


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def command(db_path: str, as_json: bool) -> None:
    """Documents, languages, annotators, statuses, spans per label, quotes."""
    corpus = open_corpus(db_path)
    try:
        stats = corpus_stats(corpus)
        stats["done_per_day"] = done_per_day(corpus)
        stats["suggestion_outcomes"] = suggestion_outcomes(corpus)
    finally:
        corpus.close()
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    languages = ", ".join(f"{lang} {n}" for lang, n in stats["by_language"].items()) or "none"
    console.print(f"[bold]{stats['documents']}[/bold] documents ({languages}) in {db_path}")
    if stats["annotators"]:
        table = Table(title="Annotators", title_justify="left")
        table.add_column("annotator", no_wrap=True)
        table.add_column("kind")
        for status in STATUSES:
            table.add_column(status.replace("_", " "), justify="right")
        table.add_column("spans", justify="right")
        table.add_column("quotes", justify="right")
        for a in stats["annotators"]:
            name = a["name"]
            counts = stats["statuses"].get(name, {})
            table.add_row(
                name,
                a["kind"],
                *(str(counts.get(s, 0)) for s in STATUSES),
                str(sum(stats["spans"].get(name, {}).values())),
                str(sum(stats["quotes"].get(name, {}).values())),
            )
        console.print(table)
    if stats["spans"]:
        labels = sorted({label for per in stats["spans"].values() for label in per})
        table = Table(title="Spans per label", title_justify="left")
        table.add_column("annotator", no_wrap=True)
        for label in labels:
            table.add_column(label, justify="right")
        for name, per in stats["spans"].items():
            table.add_row(name, *(str(per.get(label, 0)) for label in labels))
        console.print(table)
    if stats["quotes"]:
        table = Table(title="Quotes per type", title_justify="left")
        table.add_column("annotator", no_wrap=True)
        for qtype in ("direct", "indirect", "mixed"):
            table.add_column(qtype, justify="right")
        for name, per in stats["quotes"].items():
            table.add_row(name, *(str(per.get(t, 0)) for t in ("direct", "indirect", "mixed")))
        console.print(table)
    if stats["suggestions"]:
        console.print("suggestions: " + ", ".join(f"{k} {v}" for k, v in stats["suggestions"].items()))
    if stats["suggestion_outcomes"]:
        table = Table(title="Suggestions decided", title_justify="left")
        for col in ("annotator", "accepted", "edited", "rejected", "acceptance rate"):
            table.add_column(col, justify="left" if col == "annotator" else "right")
        for name, per in stats["suggestion_outcomes"].items():
            rate = per["acceptance_rate"]
            table.add_row(name, str(per["accepted"]), str(per["edited"]), str(per["rejected"]),
                          "–" if rate is None else f"{rate:.0%}")
        console.print(table)
    if stats["done_per_day"]:
        days = sorted({day for per in stats["done_per_day"].values() for day in per})[-14:]
        table = Table(title="Articles done per day" + (" (last 14 days with work)" if len(days) == 14 else ""),
                      title_justify="left")
        table.add_column("annotator", no_wrap=True)
        for day in days:
            table.add_column(day[5:], justify="right")
        for name, per in stats["done_per_day"].items():
            table.add_row(name, *(str(per.get(day, 0)) for day in days))
        console.print(table)
