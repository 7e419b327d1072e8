"""``annotator suggest``: run the suggesters over the corpus and cache their results."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from annotator.cli.jobs_options import job_options, run_engine
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
@job_options
@click.option("--into", "into_path", type=click.Path(dir_okay=False), metavar="SHARD.db",
              help="Write the documents and their suggestions into this corpus file instead "
                   "(merge it back with `annotator import --from-db SHARD.db`).")
@click.option("--shards", type=click.IntRange(min=1), default=None,
              help="With --engine dask: how many shards to cut the corpus into (default: one per worker).")
def command(db_path: str, suggesters: tuple[str, ...], docs: str | None, force: bool, as_json: bool, jobs: int,
            shard, engine: str, scheduler: str | None, into_path: str | None, shards: int | None) -> None:
    """Pre-compute suggestions (entities and quotes) for the corpus's documents.

    Results are cached per document and suggester version: a second run only processes
    documents that are new or whose suggester changed. When annotators add or change entities,
    `learned` alone re-runs, on the articles where a changed name can occur. Suggestions never
    count as an annotator's labels. Every core works by default (--jobs); --shard K/N and
    --engine dask spread the work over several machines.
    """
    from annotator.jobs.pool import JobError
    from annotator.store import Corpus, CorpusError
    from annotator.suggest.runner import SuggesterError, run_suggesters

    if engine == "dask" and (shard or into_path or docs):
        raise click.UsageError("--engine dask cuts the corpus into shards itself: leave out --shard, --into and --docs")
    if shards and engine != "dask":
        raise click.UsageError("--shards goes with --engine dask (or run one --shard K/N per machine)")
    corpus = open_corpus(db_path)
    err = Console(stderr=True, highlight=False)
    doc_ids = _parse_ids(docs)
    if doc_ids:
        known = set(corpus.document_ids())
        missing = [i for i in doc_ids if i not in known]
        if missing:
            raise click.BadParameter(f"no document(s) {', '.join(map(str, missing))} in {db_path}",
                                     param_hint="--docs")
    into = None
    try:
        if into_path:
            try:
                into = Corpus.open(into_path)
            except CorpusError as exc:
                raise click.ClickException(str(exc)) from None
        # No refresh thread: worker processes are forked from this one, and a fork must not happen
        # while another thread holds a lock (the bar is redrawn at each progress report instead).
        with Progress(TextColumn("[bold]suggest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=as_json, auto_refresh=False) as bar, \
                run_engine(engine, scheduler, jobs) as runner:
            task = bar.add_task("", total=None)

            def show(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, refresh=True)

            if runner.engine is not None:
                from annotator.jobs.dask_engine import suggest_on_dask

                parts = suggest_on_dask(runner.engine, corpus, list(suggesters) or None,
                                        shards=shards or runner.engine.workers, force=force, progress=show)
                _print_shards(parts, as_json)
                return
            summary = run_suggesters(
                corpus,
                list(suggesters) or None,
                doc_ids=doc_ids,
                progress=show,
                force=force,
                jobs=runner.jobs,
                shard=shard,
                into=into,
            )
    except SuggesterError as exc:
        raise click.ClickException(str(exc)) from None
    except (JobError, CorpusError) as exc:
        raise click.ClickException(f"{exc}; the documents finished before it are stored, run again to finish") from None
    finally:
        corpus.close()
        if into is not None:
            into.close()
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


def _print_shards(parts: list[dict], as_json: bool) -> None:
    """The summary of a Dask run: one line per shard, then the totals."""
    if as_json:
        click.echo(json.dumps({"shards": parts}, ensure_ascii=False, indent=2))
        return
    out = Console(highlight=False)
    for k, part in enumerate(parts, start=1):
        out.print(f"shard {k}/{len(parts)}: {part['processed']} of {part['documents']} documents processed "
                  f"({part['up_to_date']} up to date), {part['spans']} entities, {part['quotes']} quotes, "
                  f"{part['seconds']:.1f} s; merged")
    out.print(f"{sum(p['processed'] for p in parts)} of {sum(p['documents'] for p in parts)} documents processed "
              f"on the Dask cluster; {sum(p['spans'] for p in parts)} entities, {sum(p['quotes'] for p in parts)} quotes")
    for note in sorted({note for p in parts for note in p["skipped"]}):
        out.print(f"[yellow]skipped[/yellow] {note}")
