"""Entry point of the ``annotator`` command.

Commands are discovered from the modules of :mod:`annotator.cli.commands`: the
module ``export.py`` provides ``annotator export`` through its ``command``
attribute (a click command or group). Modules are imported only when their
command runs, so ``annotator --help`` stays fast and a broken optional
dependency of one command never breaks the others.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import annotator.cli.commands as commands_pkg
from annotator import __version__


def _command_modules() -> dict[str, str]:
    found = {}
    for info in pkgutil.iter_modules(commands_pkg.__path__):
        if info.name.startswith("_"):
            continue
        found[info.name.rstrip("_").replace("_", "-")] = f"{commands_pkg.__name__}.{info.name}"
    return found


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_command_modules())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module_name = _command_modules().get(name)
        if module_name is None:
            return None
        return importlib.import_module(module_name).command


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="annotator")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Build labelled corpora of news articles: annotate, review, export for spaCy.

    Without a command, opens the annotation window on the default corpus.
    """
    if ctx.invoked_subcommand is None:
        open_command = LazyGroup.get_command(main, ctx, "open")  # type: ignore[arg-type]
        if open_command is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(open_command)
