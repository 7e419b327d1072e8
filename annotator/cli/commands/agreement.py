"""``annotator agreement A B [C ...]``: inter-annotator agreement as tables, JSON or an HTML report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from annotator.cli.options import db_option, open_corpus
from annotator.jobs.pool import resolve_jobs
from annotator.review.agreement import corpus_agreement
from annotator.review.report import print_report, render_html


def parse_labels(value: str | None, known: list[str]) -> list[str] | None:
    """``"PER,ORG"`` -> ``["PER", "ORG"]``, refusing labels the corpus does not define."""
    if not value:
        return None
    labels = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown label(s) {', '.join(unknown)}; this corpus's labels are {', '.join(known)}",
            param_hint="--labels",
        )
    return labels


@click.command("agreement")
@click.argument("annotators", nargs=-1, required=True)
@db_option
@click.option("--labels", "labels_opt", metavar="PER,ORG", help="Only these entity labels (comma-separated).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of tables.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write a self-contained HTML report to this file.")
@click.option("--articles", default=15, show_default=True, help="How many articles to list in the table.")
@click.option("--jobs", "-j", "jobs", type=click.IntRange(min=0), default=0, show_default="every core",
              help="Worker processes that tokenize the articles (1: this process only).")
def command(annotators: tuple[str, ...], db_path: str, labels_opt: str | None, as_json: bool,
            report_path: str | None, articles: int, jobs: int) -> None:
    """Agreement between annotators ANNOTATORS (the first is the reference, A).

    Span precision/recall/F1 (exact and overlap) per label and article, Cohen's kappa and
    Krippendorff's alpha on token labels, quote agreement (content, cue, source, type) and
    counts of each kind of disagreement. With three or more annotators, a pairwise matrix.

    \b
    Examples:
      annotator agreement amira bilal
      annotator agreement amira bilal chen --labels PER,ORG --report agreement.html
      annotator agreement amira bilal --json > agreement.json
    """
    if len(annotators) < 2:
        raise click.UsageError("name at least two annotators, e.g. `annotator agreement amira bilal`")
    if len(set(annotators)) != len(annotators):
        raise click.UsageError("each annotator may be named once")
    corpus = open_corpus(db_path)
    try:
        labels = parse_labels(labels_opt, corpus.labels.entity_names)
        err = Console(stderr=True)
        with Progress(TextColumn("reading articles"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("read", total=corpus.count_documents())

            def step(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            try:
                report = corpus_agreement(corpus, list(annotators), labels=labels, progress=step,
                                          jobs=resolve_jobs(jobs))
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
        if report.documents == 0:
            err.print(f"[yellow]No article was annotated by at least two of {', '.join(annotators)}.[/yellow]")
        if report_path:
            texts = {row.doc_id: corpus.document(row.doc_id).text for p in report.pairs for row in p.articles}
            Path(report_path).write_text(render_html(report, texts), encoding="utf-8")
            err.print(f"HTML report written to {report_path}")
        if as_json:
            json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            out = Console()
            if not out.is_terminal:  # piped or redirected: room for every column
                out = Console(width=130)
            print_report(report, out, articles=articles)
    finally:
        corpus.close()
