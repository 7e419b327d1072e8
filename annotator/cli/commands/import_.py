"""``annotator import PATH...``: files, folders and other corpus databases into the corpus."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from annotator.cli.options import db_option, open_corpus
from annotator.formats.importer import IMPORT_STATUSES, ImportSummary, import_paths


def _annotator_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter(f"an annotator's name cannot be blank ({value!r})")
    return value.strip() if value is not None else None


@click.command(name="import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--annotator", callback=_annotator_name,
              help="Store the spans and quotes the files carry under this name (unless a file names its own).")
@click.option("--status", type=click.Choice(IMPORT_STATUSES),
              help="Give every annotation set the files bring this status (e.g. done for gold), instead of the "
                   "status the files state (Prodigy accept, a submitted Label Studio annotation: done).")
@click.option("--strict", is_flag=True,
              help="Refuse a file that holds something a set cannot (overlapping entities) instead of listing it.")
@click.option("--split-at-source", is_flag=True, help="Plain text: split a file into articles after each 'المصدر:' line.")
@click.option("--text-field", help="JSON: the field holding the text (default 'text').")
@click.option("--title-field", help="JSON: the field holding the title (default 'title').")
@click.option("--source-field", help="JSON: the field holding the source (default 'source').")
@click.option("--language-field", help="JSON: the field holding the language code (default 'language' or 'lang').")
@click.option("--lang", "language", help="Language code for every imported document (default: detected per document).")
@click.option("--from-db", "from_db", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Merge another corpus database (a colleague's work); may be repeated.")
@click.option("--allow-new-labels", is_flag=True, help="Add labels the files use that the corpus does not have yet.")
def command(
    paths: tuple[Path, ...],
    db_path: str,
    annotator: str | None,
    status: str | None,
    strict: bool,
    split_at_source: bool,
    text_field: str | None,
    title_field: str | None,
    source_field: str | None,
    language_field: str | None,
    language: str | None,
    from_db: tuple[Path, ...],
    allow_new_labels: bool,
) -> None:
    """Import articles: text, JSONL/JSON, CoNLL, brat files, folders, corpus databases.

    PATH... are files or folders (walked recursively, in sorted order).

    Each file is imported in one transaction: a file with a problem imports nothing and
    is reported as FILE:LINE: PROBLEM; the other files go on. What a file holds that a set
    cannot (overlapping entities) is listed and left out (--strict refuses the file instead).
    Exit code 1 if any file failed.
    """
    if not paths and not from_db:
        raise click.UsageError("name at least one PATH or --from-db OTHER.db")
    corpus = open_corpus(db_path, create=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        with Progress(
            TextColumn("[bold]import"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None)

            def progress(done: float, total: int, path: Path) -> None:
                bar.update(task, completed=done, total=total, description=escape(path.name))

            summary = import_paths(
                corpus,
                paths,
                annotator=annotator,
                split_at_source=split_at_source,
                text_field=text_field,
                title_field=title_field,
                source_field=source_field,
                language_field=language_field,
                language=language,
                from_db=from_db,
                allow_new_labels=allow_new_labels,
                status=status,
                strict=strict,
                progress=progress,
            )
    finally:
        corpus.close()
    for line in summary.errors:
        err.print(f"[red]error:[/red] {escape(line)}")
    for line in summary.warnings:
        err.print(f"[yellow]warning:[/yellow] {escape(line)}")
    click.echo(format_summary(summary, db_path))
    if not summary.ok:
        raise SystemExit(1)


def format_summary(summary: ImportSummary, db_path: str) -> str:
    files = f"{summary.files} file{'s' if summary.files != 1 else ''} ({summary.files_ok} ok, {summary.files_failed} failed)"
    documents = f"documents: {summary.documents_new} new, {summary.documents_duplicate} already in the corpus"
    if summary.documents_repeated:
        documents += f", {summary.documents_repeated} repeated in the file"
    if summary.documents_skipped:
        documents += f", {summary.documents_skipped} skipped (empty text)"
    parts = [f"{files} -> {db_path}", documents, f"spans: {summary.spans}, quotes: {summary.quotes}"]
    if summary.suggestions:
        parts.append(f"suggestions: {summary.suggestions}")
    if summary.statuses:
        given = ", ".join(f"{status} {n}" for status, n in sorted(summary.statuses_set.items()))
        parts.append(f"statuses: {summary.statuses}" + (f" ({given})" if given else ""))
    if summary.annotators:
        parts.append(f"annotators: {', '.join(sorted(summary.annotators))}")
    for kind, count in sorted(summary.notes.items()):
        parts.append(f"{kind}: {count}")
    if summary.skipped:
        parts.append(f"not imported (unknown file type): {len(summary.skipped)}")
    if summary.files_ok and summary.ok and not (summary.documents_new or summary.spans or summary.quotes or summary.statuses):
        parts.append("nothing new: everything was imported before")
    return "\n".join(parts)
