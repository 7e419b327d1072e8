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


def parse_doc_ids(value: str | None, param_hint: str = "--docs") -> list[int] | None:
    """``"3,7,10-12"`` → ``[3, 7, 10, 11, 12]`` (None for no value); a clear error otherwise."""
    if not value:
        return None
    ids: list[int] = []
    try:
        for part in value.replace(" ", "").split(","):
            if not part:
                continue
            first, dash, last = part.partition("-")
            if dash:
                low, high = int(first), int(last)
                if high < low:
                    raise ValueError
                ids.extend(range(low, high + 1))
            else:
                ids.append(int(first))
    except ValueError:
        raise click.BadParameter(f"expected document ids like 1,2,5 or 10-20, not {value!r}",
                                 param_hint=param_hint) from None
    return list(dict.fromkeys(ids))


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
