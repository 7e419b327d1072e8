"""``annotator check``: find damage and broken rules in a corpus file (never changes it)."""

from __future__ import annotations

import json

import click

from annotator.cli.options import db_option
from annotator.store.maintenance import check


@click.command("check")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def command(db_path: str, as_json: bool) -> None:
    """Check the corpus: SQLite integrity, foreign keys, orphan rows, spans and quote parts
    outside their text, overlapping entities, the search index and the schema version.

    Prints one line per problem and exits with status 1 when there is any.
    """
    report = check(db_path)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        counts = ", ".join(f"{n:,} {name}" for name, n in report.counts.items())
        schema = f"schema {report.schema_version}" if report.schema_version is not None else "no schema"
        summary = "ok" if report.ok else f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}"
        click.echo(f"{report.path}: {summary} ({schema}{', ' + counts if counts else ''}; {report.seconds:.2f} s)")
        for note in report.notes:
            click.echo(f"note: {note}")
        for problem in report.problems:
            click.echo(str(problem))
    if not report.ok:
        raise SystemExit(1)
