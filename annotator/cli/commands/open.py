"""``annotator open [DB]``: the annotation window (also what ``annotator`` alone does)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from annotator.store import DEFAULT_CORPUS, Corpus, CorpusError


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def resolve_corpus(db: str | None) -> Path:
    """The corpus to open: the one named, else ``corpus/corpus.db``, else the most recently opened one."""
    db = db or os.environ.get("ANNOTATOR_DB")  # `annotator` alone does not parse options
    if db:
        return Path(db)
    if DEFAULT_CORPUS.is_file():
        return DEFAULT_CORPUS
    from annotator.ui.app import recent_corpora

    recent = recent_corpora()
    return Path(recent[0]) if recent else DEFAULT_CORPUS


@click.command()
@click.argument("db", required=False, type=click.Path(dir_okay=False), envvar="ANNOTATOR_DB")
@click.option(
    "--annotator",
    "annotator_name",
    metavar="NAME",
    help="Annotate as NAME for this run only (nothing is saved). Env: ANNOTATOR_NAME. "
    "Default: the name last chosen for this corpus on this machine, else your saved name (asked once).",
)
def command(db: str | None, annotator_name: str | None) -> None:
    """Open the annotation window on corpus DB (default: corpus/corpus.db, else the last one opened)."""
    path = resolve_corpus(db)
    if not path.is_file():
        raise click.ClickException(
            f"there is no corpus at {path}.\n"
            f"Import articles first, for example:  annotator import seeds/ --db {path}\n"
            "(`make run` does this for the seed article.)"
        )
    try:
        Corpus.open(path, create=False).close()  # a clear message now rather than a dialog later
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    if not _has_display():
        raise click.ClickException(
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset). "
            "Run it in a desktop session, or set QT_QPA_PLATFORM=offscreen for a headless check."
        )
    from annotator.ui.qt_platform import problem

    missing = problem()  # Qt's own message would name only one of the missing X11 libraries
    if missing:
        raise click.ClickException(missing)
    from annotator.cli.main import debugging
    from annotator.ui.app import run_app

    # --debug / ANNOTATOR_DEBUG=1: an unexpected error in the window prints its whole traceback.
    code = run_app(str(path), annotator_name, debug=debugging(click.get_current_context(silent=True)))
    if code:
        sys.exit(code)
