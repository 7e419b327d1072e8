"""``annotator evaluate``: suggestions (or one annotator) scored against a gold annotator."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from annotator.cli.options import db_option, open_corpus, parse_doc_ids
from annotator.cli.quote_table import attribution_table
from annotator.jobs.pool import resolve_jobs

STATUSES = ("new", "in_progress", "done", "skipped")


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


@click.command(name="evaluate")
@db_option
@click.option("--gold", required=True, metavar="ANNOTATOR", help="The annotator whose labels count as right.")
@click.option("--pred", metavar="ANNOTATOR", help="Score this annotator's labels.")
@click.option("--suggestions", is_flag=True, help="Score the cached suggestions (run `annotator suggest` first).")
@click.option("--suggester", "suggesters", multiple=True, metavar="NAME",
              help="Only these suggesters (repeatable). Default: every suggester that ran on the articles.")
@click.option("--docs", metavar="ID,...", help="Only these articles (e.g. 3,7,10-20).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only the articles where the gold annotator's status is this (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--jobs", "-j", "jobs", type=click.IntRange(min=0), default=0, show_default="every core",
              help="Worker processes that read and score the articles (1: this process only).")
def command(db_path: str, gold: str, pred: str | None, suggestions: bool, suggesters: tuple[str, ...],
            docs: str | None, statuses: tuple[str, ...], as_json: bool, jobs: int) -> None:
    """Precision, recall and F1 per entity label and overall (exact and overlap), of quote
    contents, cues and sources, and how much the gold annotator changed the suggestions.

    Every gold label of every selected article counts, also where nothing was proposed. By default
    the articles are every one the gold annotator has a set for (labels, or a status other than
    new; skipped ones left out). Overlap: a proposal sharing at least one character with a gold
    span of its label, matched one to one, as `annotator agreement` counts it.
    """
    from annotator.suggest.evaluation import evaluate

    if bool(pred) == suggestions:
        raise click.UsageError("give exactly one of --pred ANNOTATOR or --suggestions")
    if docs and statuses:
        raise click.UsageError("give --docs or --status, not both")
    doc_ids = parse_doc_ids(docs)
    corpus = open_corpus(db_path)
    try:
        result = evaluate(corpus, gold, pred, suggesters=list(suggesters) or None, doc_ids=doc_ids,
                          statuses=list(statuses) or None, jobs=resolve_jobs(jobs))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        corpus.close()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print(result, gold)


def _print(result: dict, gold: str) -> None:
    out = Console(highlight=False)
    out.print(f"[bold]{result['pred']}[/bold] against [bold]{gold}[/bold] on {result['documents']} articles "
              f"({result['selection']})")
    if not result["documents"]:
        out.print(f"[yellow]{gold} has no labelled or finished articles here yet[/yellow]")
        return
    out.print(f"matching — {result['matching']}")
    for system, ran in result["coverage"].items():
        if ran < result["documents"]:
            out.print(f"[yellow]{system} has not run on {result['documents'] - ran} of these articles "
                      "(counted as proposing nothing there; run `annotator suggest`)[/yellow]")
    for system, modes in result["entities"].items():
        table = Table(title=f"entities — {system}")
        for column in ("label", "gold", "pred", "P exact", "R exact", "F1 exact", "P overlap", "R overlap",
                       "F1 overlap"):
            table.add_column(column, justify="left" if column == "label" else "right")
        for label, exact in modes["exact"].items():
            overlap = modes["overlap"][label]
            table.add_row("all (micro)" if label == "__all__" else label, str(exact["tp"] + exact["fn"]),
                          str(exact["tp"] + exact["fp"]), _pct(exact["precision"]), _pct(exact["recall"]),
                          _pct(exact["f1"]), _pct(overlap["precision"]), _pct(overlap["recall"]), _pct(overlap["f1"]))
        out.print(table)
    for system, parts in result["quotes"].items():
        table = Table(title=f"quotes — {system}")
        for column in ("part", "match", "gold", "pred", "P", "R", "F1"):
            table.add_column(column, justify="left" if column in ("part", "match") else "right")
        for key, s in parts.items():
            role, mode = key.rsplit("_", 1)
            table.add_row(role, mode, str(s["tp"] + s["fn"]), str(s["tp"] + s["fp"]), _pct(s["precision"]),
                          _pct(s["recall"]), _pct(s["f1"]))
        out.print(table)
    for system, whole in result.get("quote_attribution", {}).items():
        out.print(attribution_table(system, whole))
    table = Table(title=f"what {gold} did with suggestions")
    table.add_column("kind")
    origins = list(next(iter(result["changes"].values())).keys())
    names = {"accepted": "accepted as is", "edited": "edited", "manual": "added by hand", "imported": "imported",
             "rejected": "rejected"}
    for origin in origins:
        table.add_column(names.get(origin, origin), justify="right")
    for kind, counts in result["changes"].items():
        table.add_row(kind, *(str(counts[o]) for o in origins))
    out.print(table)
