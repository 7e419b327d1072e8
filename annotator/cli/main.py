"""Entry point of the ``annotator`` command.

Commands are discovered from the modules of :mod:`annotator.cli.commands`: the
module ``export.py`` provides ``annotator export`` through its ``command``
attribute (a click command or group). Modules are imported only when their
command runs, so ``annotator --help`` stays fast and a broken optional
dependency of one command never breaks the others.

No Python traceback reaches a user: whatever a command raises becomes one line on
stderr and exit code 1 (:func:`one_line`): the error's own message for the errors
the program raises on purpose (a corpus, format or annotation problem), the path and
the reason for a file the system refused, and for anything unexpected its type and
message with a pointer to ``--debug``. ``annotator --debug COMMAND`` (or
``ANNOTATOR_DEBUG=1``) lets the traceback through instead.
"""

from __future__ import annotations

import errno
import importlib
import os
import pkgutil
import sqlite3

import click

import annotator.cli.commands as commands_pkg
from annotator import __version__

DEBUG_ENV = "ANNOTATOR_DEBUG"
DEBUG_HINT = "run again with --debug to see where it happened"


def _command_modules() -> dict[str, str]:
    found = {}
    for info in pkgutil.iter_modules(commands_pkg.__path__):
        if info.name.startswith("_"):
            continue
        found[info.name.rstrip("_").replace("_", "-")] = f"{commands_pkg.__name__}.{info.name}"
    return found


def debugging(ctx: click.Context | None = None) -> bool:
    """True when ``--debug`` was given or ``ANNOTATOR_DEBUG`` is set (to anything but 0/empty)."""
    root = ctx.find_root() if ctx is not None else None
    if root is not None and root.params.get("debug"):
        return True
    return os.environ.get(DEBUG_ENV, "").strip() not in ("", "0", "false", "no")


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' -> '.join(paths)}: {reason}" if paths else reason


def one_line(exc: BaseException) -> str:
    """What the user reads for ``exc``: one line, naming the file when there is one."""
    from annotator.store.connection import storage_problem
    from annotator.store.errors import AnnotationError, CorpusError

    known: tuple[type[BaseException], ...] = (CorpusError, AnnotationError)
    try:
        from annotator.formats.common import FormatError

        known += (FormatError,)
    except ImportError:  # pragma: no cover - a broken install still gets its one line
        pass
    if isinstance(exc, known):
        message = str(exc)
    elif isinstance(exc, OSError):
        message = _os_error(exc)
    elif isinstance(exc, MemoryError):
        message = "out of memory"
    elif isinstance(exc, sqlite3.Error):
        problem = storage_problem(exc)
        message = problem or f"database error ({exc}); {DEBUG_HINT}"
    else:
        text = str(exc).strip()
        message = f"internal error: {type(exc).__name__}" + (f": {text}" if text else "") + f"; {DEBUG_HINT}"
    return " ".join(message.split()) or type(exc).__name__


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context):
        """Run the command; any exception it lets out becomes one line (see :func:`one_line`)."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click prints these itself, as a user expects them
        except (SystemExit, KeyboardInterrupt, GeneratorExit):
            raise
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # `annotator ... | head`: click quiets a closed pipe by itself
            if debugging(ctx):
                raise
            raise click.ClickException(one_line(exc)) from None
        except Exception as exc:
            if debugging(ctx):
                raise
            raise click.ClickException(one_line(exc)) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_command_modules())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module_name = _command_modules().get(name)
        if module_name is None:
            return None
        return importlib.import_module(module_name).command


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="annotator")
@click.option("--debug", is_flag=True, envvar=DEBUG_ENV,
              help="Show the full Python traceback of an unexpected error (also ANNOTATOR_DEBUG=1).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build labelled corpora of news articles: annotate, review, export for spaCy.

    Without a command, opens the annotation window on the default corpus.
    """
    if ctx.invoked_subcommand is None:
        open_command = LazyGroup.get_command(main, ctx, "open")  # type: ignore[arg-type]
        if open_command is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(open_command)
