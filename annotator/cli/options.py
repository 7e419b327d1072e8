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


def annotator_name_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``callback=`` for an ``--annotator NAME`` option: the store's trimmed name, or a usage error
    that blames the name (not a file) before anything is read."""
    from annotator.store.errors import InvalidNameError
    from annotator.store.values import annotator_name

    if value is None:
        return None
    try:
        return annotator_name(value)
    except InvalidNameError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
