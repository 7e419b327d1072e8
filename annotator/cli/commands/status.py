"""``annotator status set STATUS --annotator NAME (--docs IDS | --all)``: mark documents done, skipped, ...

The same store function the window calls (:meth:`annotator.store.Corpus.set_statuses`): one
transaction, every change in the event log. Typical use: gold imported from brat or CoNLL
comes in as ``new``; ``annotator status set done --annotator imported --all`` makes it
exportable (``export spacy`` takes ``done`` documents by default).
"""

from __future__ import annotations

import difflib

import click

from annotator.cli.options import annotator_name_callback, db_option, open_corpus
from annotator.store import STATUSES
from annotator.store.errors import AnnotationError


def parse_ids(value: str) -> list[int]:
    """``"1,2,5-9"`` -> ``[1, 2, 5, 6, 7, 8, 9]``."""
    ids: list[int] = []
    for part in value.replace(" ", "").split(","):
        if not part:
            continue
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise click.BadParameter(f"expected document ids like 1,2,5-9, not {value!r}", param_hint="--docs")
        start, end = int(first), int(last) if dash else int(first)
        if end < start:
            raise click.BadParameter(f"the range {part} runs backwards", param_hint="--docs")
        ids.extend(range(start, end + 1))
    if not ids:
        raise click.BadParameter("name at least one document id", param_hint="--docs")
    return ids


@click.group(name="status")
def command() -> None:
    """Annotators' statuses for documents (new, in_progress, done, skipped)."""


@command.command(name="set")
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--annotator", required=True, callback=annotator_name_callback,
              help="Whose status to set (an annotator of the corpus).")
@click.option("--docs", "docs", metavar="IDS", help="These document ids: 1,2,5-9.")
@click.option("--all", "all_documents", is_flag=True, help="Every document of the corpus.")
@click.option("--note", help="A note to keep with the status (why a document was skipped, ...).")
@db_option
def set_command(status: str, annotator: str, docs: str | None, all_documents: bool, note: str | None,
                db_path: str) -> None:
    """Set ANNOTATOR's STATUS for some documents (--docs) or all of them (--all)."""
    if bool(docs) == all_documents:
        raise click.UsageError("name the documents: --docs IDS or --all")
    name = annotator
    ids = parse_ids(docs) if docs else None
    corpus = open_corpus(db_path)
    try:
        known = [a["name"] for a in corpus.annotators()]
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            listed = ", ".join(known) if known else "none yet"
            raise click.ClickException(f"no annotator {name!r} in {db_path} (annotators: {listed}){hint}")
        try:
            changed = corpus.set_statuses(name, status, ids, note)
        except AnnotationError as exc:
            raise click.ClickException(str(exc)) from None
        total = len(ids) if ids is not None else corpus.count_documents()
    finally:
        corpus.close()
    unchanged = total - changed
    tail = f" ({unchanged} already {'were' if unchanged != 1 else 'was'})" if unchanged else ""
    click.echo(f"{name}: {changed} document{'s' if changed != 1 else ''} set to {status}{tail}")
