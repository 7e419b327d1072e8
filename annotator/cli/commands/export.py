"""``annotator export spacy|jsonl|conll``: write an annotation set for training or for other tools."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from annotator.cli.jobs_options import job_options, run_engine
from annotator.cli.options import db_option, open_corpus
from annotator.formats.alignment import POLICIES, MisalignedSpan
from annotator.formats.atomic import OutputError
from annotator.formats.selection import (
    Selection,
    SelectionError,
    iter_documents,
    nothing_selected_message,
    parse_label_map,
    resolve_annotator,
)
from annotator.formats.spacy_writer import SHARD_SIZE, ExportError, export_spacy
from annotator.jobs.pool import JobError
from annotator.store import STATUSES

_console = Console(stderr=True)


def _selection_options(func: Callable) -> Callable:
    options = [
        db_option,
        click.option("--annotator", "annotator", default=None,
                     help="Annotation set to export (default: the reviewed set, else the only annotator)."),
        click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES), default=("done",),
                     show_default=True, help="Export documents with this status (repeatable)."),
        click.option("--map", "label_map", multiple=True, metavar="FROM=TO",
                     help="Relabel entities, e.g. --map GPE=LOC; FROM= leaves a label out (repeatable)."),
        click.option("--strict", is_flag=True, help="Fail, writing nothing, if any span does not align with tokens."),
        click.option("--overwrite", is_flag=True, help="Replace an existing export (it is replaced whole, at the end)."),
        job_options,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _selection(annotator: str | None, statuses: tuple[str, ...], label_map: tuple[str, ...], **extra) -> Selection:
    try:
        return Selection(annotator=annotator, statuses=tuple(statuses), label_map=parse_label_map(label_map), **extra)
    except SelectionError as exc:
        raise click.UsageError(str(exc)) from None


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console,
        transient=True,
        # No refresh thread: worker processes are forked from this one, and a fork must not happen
        # while another thread holds a lock (the bar is redrawn at each progress report instead).
        auto_refresh=False,
    )


def _report_misaligned(misaligned: list[MisalignedSpan], policy: str) -> None:
    if not misaligned:
        click.echo("every span aligns with the shared tokenizer's tokens")
        return
    click.echo(f"{len(misaligned)} spans do not align with tokens ({policy} policy):")
    for item in misaligned:
        click.echo("  " + item.describe())


@click.group(name="export")
def command() -> None:
    """Export an annotation set: spaCy DocBin + config, Prodigy-style JSONL, or CoNLL BIO."""


@command.command(name="spacy")
@click.argument("out_dir", type=click.Path(file_okay=False))
@_selection_options
@click.option("--dev", "dev", type=float, default=0.2, show_default=True, help="Fraction of articles for the dev split (dev/).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the reproducible train/dev split.")
@click.option("--group-by-source", is_flag=True, help="Keep articles from one source in the same split.")
@click.option("--misaligned", "policy", type=click.Choice(POLICIES), default="expand", show_default=True,
              help="Misaligned spans: export the nearest whole-token span, or leave them out (listed either way).")
@click.option("--shard-size", type=click.IntRange(min=1), default=SHARD_SIZE, show_default=True,
              help="Documents per DocBin file (bounds memory).")
def spacy_command(
    out_dir: str,
    db_path: str,
    annotator: str | None,
    statuses: tuple[str, ...],
    label_map: tuple[str, ...],
    strict: bool,
    overwrite: bool,
    jobs: int,
    shard,
    engine: str,
    scheduler: str | None,
    dev: float,
    seed: int,
    group_by_source: bool,
    policy: str,
    shard_size: int,
) -> None:
    """Write OUT_DIR/train/*.spacy, dev/*.spacy, config.cfg and summary.json.

    Entities go to doc.ents; quote parts to doc.spans groups linked by span id
    (see the README, "Export and training"). The folder is replaced whole at the end
    (--overwrite), never left half-written.
    """
    selection = _selection(annotator, statuses, label_map, dev=dev, seed=seed, group_by_source=group_by_source)
    corpus = open_corpus(db_path)
    try:
        with _progress() as progress, run_engine(engine, scheduler, jobs) as runner:
            task = progress.add_task("exporting", total=None)
            summary = export_spacy(
                corpus, out_dir, selection, strict=strict, policy=policy,
                progress=lambda done, total: progress.update(task, completed=done, total=total, refresh=True),
                jobs=runner.jobs, engine=runner.engine, shard=shard, overwrite=overwrite, shard_size=shard_size,
            )
    except (SelectionError, OutputError, JobError) as exc:
        raise click.ClickException(f"{exc}; nothing was written") from None
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        corpus.close()
    click.echo(summary.format())
    out = Path(out_dir)
    click.echo(f"check with: python -m spacy debug data {out / 'config.cfg'}  (config.cfg points at train/ and dev/)")


def _flat_export(
    kind: str, out: str, db_path: str, selection: Selection, strict: bool, overwrite: bool, jobs: int, shard,
    engine: str, scheduler: str | None, policy: str = "expand", with_tokens: bool = True,
) -> None:
    corpus = open_corpus(db_path)
    try:
        with _progress() as progress, run_engine(engine, scheduler, jobs) as runner:
            task = progress.add_task(f"exporting {kind}", total=None)
            options = dict(strict=strict, jobs=runner.jobs, engine=runner.engine, shard=shard, overwrite=overwrite,
                           progress=lambda done, total: progress.update(task, completed=done, total=total, refresh=True))
            if kind == "jsonl":
                from annotator.formats.jsonl_writer import export_jsonl

                summary = export_jsonl(corpus, out, selection, with_tokens=with_tokens, **options)
            else:
                from annotator.formats.conll_writer import export_conll

                summary = export_conll(corpus, out, selection, policy=policy, **options)
    except (SelectionError, OutputError, JobError) as exc:
        raise click.ClickException(f"{exc}; nothing was written") from None
    except ExportError as exc:
        if exc.misaligned:
            _report_misaligned(exc.misaligned, "strict")
        raise click.ClickException(str(exc)) from None
    finally:
        corpus.close()
    where = f" (shard {shard})" if shard else ""
    click.echo(f"wrote {summary.documents} documents of annotator {summary.annotator!r}{where} to {out}")
    if not with_tokens:
        click.echo("spans were not checked against tokens (--no-tokens)")
        return
    _report_misaligned(summary.misaligned, policy)


@command.command(name="jsonl")
@click.argument("out", type=click.Path(dir_okay=False))
@_selection_options
@click.option("--no-tokens", is_flag=True,
              help="Leave out tokens and token indices: no tokenizer runs (about 10x faster), no alignment check.")
def jsonl_command(
    out: str, db_path: str, annotator: str | None, statuses: tuple[str, ...], label_map: tuple[str, ...], strict: bool,
    overwrite: bool, jobs: int, shard, engine: str, scheduler: str | None, no_tokens: bool,
) -> None:
    """Write Prodigy-compatible JSONL (text, meta, tokens, spans) with the quotes."""
    if strict and no_tokens:
        raise click.UsageError("--strict checks spans against tokens; it cannot go with --no-tokens")
    _flat_export("jsonl", out, db_path, _selection(annotator, statuses, label_map), strict, overwrite, jobs, shard,
                 engine, scheduler, with_tokens=not no_tokens)


@command.command(name="conll")
@click.argument("out", type=click.Path(dir_okay=False))
@_selection_options
@click.option("--misaligned", "policy", type=click.Choice(POLICIES), default="expand", show_default=True,
              help="Misaligned entities: tag the nearest whole tokens, or leave them out (listed either way).")
def conll_command(
    out: str,
    db_path: str,
    annotator: str | None,
    statuses: tuple[str, ...],
    label_map: tuple[str, ...],
    strict: bool,
    overwrite: bool,
    jobs: int,
    shard,
    engine: str,
    scheduler: str | None,
    policy: str,
) -> None:
    """Write entities as CoNLL BIO (TOKEN -X- _ TAG), -DOCSTART- between documents."""
    _flat_export("conll", out, db_path, _selection(annotator, statuses, label_map), strict, overwrite, jobs, shard,
                 engine, scheduler, policy)



# -- INCEpTION / WebAnno: one file per document in a folder ------------------------------------


def _folder_export(kind: str, out_dir: str, db_path: str, selection: Selection, strict: bool, overwrite: bool) -> None:
    """Write the selected documents as WebAnno TSV, UIMA CAS XMI or CAS JSON into ``out_dir``."""
    from annotator.formats.uima_cas_writer import write_uima_cas
    from annotator.formats.webanno_tsv_writer import write_webanno_tsv

    corpus = open_corpus(db_path)
    try:
        name = resolve_annotator(corpus, selection.annotator)
        documents = iter_documents(corpus, selection, name)
        first = next(documents, None)
        if first is None:
            raise ExportError(nothing_selected_message(corpus, name, selection.statuses))
        documents = itertools.chain([first], documents)  # streamed: one document in memory at a time
        if kind == "webanno":
            result = write_webanno_tsv(documents, out_dir, strict=strict, overwrite=overwrite)
        else:
            result = write_uima_cas(documents, out_dir, "xmi" if kind == "xmi" else "cas-json", strict=strict,
                                    overwrite=overwrite)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from None
    except (SelectionError, ExportError) as exc:
        if isinstance(exc, ExportError) and exc.misaligned:
            _report_misaligned(exc.misaligned, "strict")
        raise click.ClickException(str(exc)) from None
    finally:
        corpus.close()
    label = {"webanno": "WebAnno TSV 3.3", "xmi": "UIMA CAS XMI", "cas-json": "UIMA CAS JSON"}[kind]
    click.echo(f"wrote {result.documents} documents ({result.entities} entities) of annotator {name!r} "
               f"to {out_dir} as {label}")
    if result.quotes_left_out:
        click.echo(f"{result.quotes_left_out} quotes are not written: {label} here holds named entities only")
    for note in getattr(result, "notes", []):
        click.echo(note)
    misaligned = getattr(result, "misaligned", [])
    for item in misaligned:
        click.echo("  " + item.describe())


def _inception_command(kind: str, help_text: str) -> None:
    @command.command(name=kind, help=help_text)
    @click.argument("out_dir", type=click.Path(file_okay=False))
    @_selection_options
    def export_folder(out_dir: str, db_path: str, annotator: str | None, statuses: tuple[str, ...],
                      label_map: tuple[str, ...], strict: bool, overwrite: bool, jobs: int, shard, engine: str,
                      scheduler: str | None) -> None:
        if shard is not None or engine != "local" or scheduler:
            raise click.UsageError(f"export {kind} runs in this process: --shard, --engine and --scheduler do not apply")
        selection = _selection(annotator, statuses, label_map)
        _folder_export(kind, out_dir, db_path, selection, strict, overwrite)


_inception_command("webanno", "Write OUT_DIR/<title>.tsv per document: WebAnno TSV 3.3 for INCEpTION (named entities).")
_inception_command("xmi", "Write OUT_DIR/<title>.xmi per document and TypeSystem.xml: UIMA CAS XMI for INCEpTION.")
_inception_command("cas-json", "Write OUT_DIR/<title>.json per document: UIMA CAS JSON for INCEpTION.")
