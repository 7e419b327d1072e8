"""``annotator suggest``: run the suggesters over the corpus and cache their results."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from annotator.cli.options import db_option, open_corpus


def _parse_ids(value: str | None) -> list[int] | None:
    if not value:
        return None
    try:
        return [int(part) for part in value.replace(" ", "").split(",") if part]
    except ValueError:
        raise click.BadParameter(f"expected document ids like 1,2,5, not {value!r}", param_hint="--docs") from None


@click.command(name="suggest")
@db_option
@click.option("--suggester", "suggesters", multiple=True, metavar="NAME",
              help="quotes, gazetteer, learned, model:NAME (registered) or model:PATH_OR_PACKAGE; "
                   "repeatable. Default: all, including every registered model.")
@click.option("--docs", "docs", metavar="ID,...", help="Only these document ids.")
@click.option("--force", is_flag=True, help="Re-run documents whose cached results are up to date.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def command(db_path: str, suggesters: tuple[str, ...], docs: str | None, force: bool, as_json: bool) -> None:
    """Pre-compute suggestions (entities and quotes) for the corpus's documents.

    Results are cached per document and suggester version: a second run only processes
    documents that are new or whose suggester changed. When annotators add or change entities,
    `learned` alone re-runs, on the articles where a changed name can occur. Suggestions never
    count as an annotator's labels.
    """
    from annotator.suggest.runner import SuggesterError, run_suggesters

    corpus = open_corpus(db_path)
    err = Console(stderr=True, highlight=False)
    doc_ids = _parse_ids(docs)
    if doc_ids:
        known = set(corpus.document_ids())
        missing = [i for i in doc_ids if i not in known]
        if missing:
            raise click.BadParameter(f"no document(s) {', '.join(map(str, missing))} in {db_path}",
                                     param_hint="--docs")
    try:
        with Progress(TextColumn("[bold]suggest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=as_json) as bar:
            task = bar.add_task("", total=None)
            summary = run_suggesters(
                corpus,
                list(suggesters) or None,
                doc_ids=doc_ids,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                force=force,
            )
    except SuggesterError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        corpus.close()
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    out = Console(highlight=False)
    table = Table(title=f"{summary.processed} of {summary.documents} documents processed "
                        f"({summary.up_to_date} up to date) in {summary.seconds:.1f} s")
    for column in ("suggester", "version", "documents", "entities", "quotes"):
        table.add_column(column, justify="left" if column in ("suggester", "version") else "right")
    for name, stats in summary.per_suggester.items():
        version = ", ".join(sorted(summary.versions.get(name, []))) or "-"
        table.add_row(name, version, str(stats["documents"]), str(stats["spans"]), str(stats["quotes"]))
    out.print(table)
    for note in summary.skipped:
        out.print(f"[yellow]skipped[/yellow] {note}")
