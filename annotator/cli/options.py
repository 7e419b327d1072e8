"""Options shared by several commands."""

from __future__ import annotations

import click

from annotator.store import DEFAULT_CORPUS, Corpus, CorpusError

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=str(DEFAULT_CORPUS),
    show_default=True,
    envvar="ANNOTATOR_DB",
    help="Corpus database file.",
)


def open_corpus(path: str, create: bool = False) -> Corpus:
    """Open a corpus for a command, turning problems into a clear CLI error."""
    try:
        return Corpus.open(path, create=create)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
