"""``annotator review A B``: settle two annotators' disagreements into a reviewed set."""

from __future__ import annotations

import click
from rich.console import Console

from annotator.cli.options import db_option, open_corpus
from annotator.review.adjudication import Adjudication, ReviewError


@click.command("review")
@click.argument("annotator_a")
@click.argument("annotator_b")
@db_option
@click.option("--reviewer", default="reviewer", show_default=True,
              help="Name of the reviewed set (an annotator of kind 'reviewer').")
@click.option("--accept-agreeing", is_flag=True,
              help="Accept every article where A and B agree fully into the reviewed set, then exit.")
@click.option("--status", "show_status", is_flag=True, help="Print how much is left to review, then exit.")
def command(annotator_a: str, annotator_b: str, db_path: str, reviewer: str, accept_agreeing: bool,
            show_status: bool) -> None:
    """Review ANNOTATOR_A's labels against ANNOTATOR_B's in the review window.

    The window shows each article both worked on, merged or side by side, with agreements
    and disagreements marked; keys take A, take B, take both, take neither or edit by hand,
    and the result is stored as the reviewer's set, which `annotator export spacy` exports
    by default.

    \b
    Examples:
      annotator review amira bilal --reviewer lead
      annotator review amira bilal --reviewer lead --accept-agreeing
      annotator review amira bilal --reviewer lead --status
    """
    if accept_agreeing or show_status:
        corpus = open_corpus(db_path)
        try:
            adjudication = Adjudication(corpus, annotator_a, annotator_b, reviewer)
            if accept_agreeing:
                accepted = adjudication.accept_agreeing_articles()
                click.echo(f"Accepted {len(accepted)} article(s) where {annotator_a} and {annotator_b} agree fully "
                           f"into {reviewer}'s set.")
            _print_status(adjudication)
        except ReviewError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            corpus.close()
        return
    open_corpus(db_path).close()  # a clear message for a missing or foreign file before Qt starts
    from annotator.ui.app import make_application
    from annotator.ui.review_window import ReviewWindow

    app = make_application()
    try:
        window = ReviewWindow(db_path, annotator_a, annotator_b, reviewer)
    except ReviewError as exc:
        raise click.ClickException(str(exc)) from None
    window.show()
    app.exec()


def _print_status(adjudication: Adjudication) -> None:
    articles = adjudication.articles()
    Console().print(
        f"{len(articles)} article(s) to review; {adjudication.articles_left()} not finished; "
        f"{adjudication.corpus_disagreements_left()} disagreement(s) left."
    )
