"""``annotator import PATH...``: files, folders and other corpus databases into the corpus."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from annotator.cli.options import annotator_name_callback, db_option, open_corpus
from annotator.formats.importer import IMPORT_STATUSES, ImportSummary, import_paths
from annotator.formats.selection import SelectionError, parse_label_map


@click.command(name="import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--annotator", callback=annotator_name_callback,
              help="Store the spans and quotes the files carry under this name (unless a file names its own).")
@click.option("--status", type=click.Choice(IMPORT_STATUSES),
              help="Give every annotation set the files bring this status (e.g. done for gold), instead of the "
                   "status the files state (Prodigy accept, a submitted Label Studio annotation: done).")
@click.option("--split-at-source", is_flag=True, help="Plain text: split a file into articles after each 'المصدر:' line.")
@click.option("--text-field", help="JSON: the field holding the text (default 'text').")
@click.option("--title-field", help="JSON: the field holding the title (default 'title').")
@click.option("--source-field", help="JSON: the field holding the source (default 'source').")
@click.option("--language-field", help="JSON: the field holding the language code (default 'language' or 'lang').")
@click.option("--lang", "language", help="Language code for every imported document (default: detected per document).")
@click.option("--from-db", "from_db", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Merge another corpus database (a colleague's work); may be repeated.")
@click.option("--allow-new-labels", is_flag=True, help="Add labels the files use that the corpus does not have yet.")
@click.option("--map", "label_map", multiple=True, metavar="FROM=TO",
              help="Relabel the files' entities, e.g. --map PERS=PER; FROM= leaves a label out (repeatable).")
@click.option("--strict", is_flag=True,
              help="Refuse a file instead of reading it leniently with warnings (a CoNLL I- tag after O, "
                   "overlapping entities in Label Studio, doccano or Prodigy spans).")
@click.option("--sentences-per-doc", type=click.IntRange(min=1), default=None, metavar="N",
              help="CoNLL: group every N sentences into one article (default: as -DOCSTART- lines mark them; "
                   "one sentence per article when there are none, or when one -DOCSTART- heads a whole corpus).")
def command(
    paths: tuple[Path, ...],
    db_path: str,
    annotator: str | None,
    status: str | None,
    split_at_source: bool,
    text_field: str | None,
    title_field: str | None,
    source_field: str | None,
    language_field: str | None,
    language: str | None,
    from_db: tuple[Path, ...],
    allow_new_labels: bool,
    label_map: tuple[str, ...],
    strict: bool,
    sentences_per_doc: int | None,
) -> None:
    """Import articles: text, JSONL/JSON, CoNLL, brat, WebAnno TSV, UIMA CAS XMI/JSON, folders, corpus databases.

    PATH... are files or folders (walked recursively, in sorted order).

    Each file is imported in one transaction: a file with a problem imports nothing and
    is reported as FILE:LINE: PROBLEM; the other files go on. What a file holds that a set
    cannot (overlapping entities), or that is read leniently (a stray CoNLL I- tag), is listed
    as a warning (--strict refuses the file instead). Exit code 1 if any file failed.
    """
    if not paths and not from_db:
        raise click.UsageError("name at least one PATH or --from-db OTHER.db")
    try:
        mapping = parse_label_map(label_map)
    except SelectionError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
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
                label_map=mapping,
                strict=strict,
                sentences_per_doc=sentences_per_doc,
                status=status,
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
    if summary.documents_repeated_across:
        documents += f", {summary.documents_repeated_across} repeated from an earlier file"
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
