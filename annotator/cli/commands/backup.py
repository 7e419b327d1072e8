"""``annotator backup``: a verified copy of the corpus, safe while the window is open."""

from __future__ import annotations

import click

from annotator.cli.options import db_option
from annotator.store import CorpusError
from annotator.store.maintenance import backup


@click.command("backup")
@db_option
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists.")
def command(db_path: str, out: str, overwrite: bool) -> None:
    """Copy the corpus to OUT with SQLite's online backup API.

    Safe while annotators are working (the copy is one consistent moment). The copy is
    written under a temporary name, checked, and only then renamed to OUT.
    """
    try:
        result = backup(db_path, out, overwrite=overwrite)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"{result.path}: {result.documents:,} documents, {result.bytes / 1e6:.1f} MB, "
        f"schema {result.schema_version}, verified ({result.seconds:.2f} s)"
    )
