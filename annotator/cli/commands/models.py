"""``annotator models``: the spaCy pipelines that suggest entities, and how their labels map.

    annotator models                                   # registered, shipped and installed pipelines
    annotator models map model:en_core_web_sm FAC=GPE NORP=   # this corpus: FAC -> GPE, NORP left out
    annotator models map model:ar_news_ner --reset     # back to the shipped map
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from annotator.cli.options import db_option, open_corpus
from annotator.suggest.label_maps import (
    CORPUS_SETTING,
    LabelMapError,
    corpus_overrides,
    parse_assignment,
    with_override,
)
from annotator.suggest.model import label_map_of
from annotator.suggest.pipelines import MODEL_PREFIX, entity_labels, offered_pipelines


def _meta(path: str) -> dict:
    try:
        data = json.loads((Path(path) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def model_rows(corpus) -> list[dict]:
    """Every model suggester a run would use, with its language, kind and effective label map."""
    schema = corpus.labels.entity_names
    setting = corpus.setting(CORPUS_SETTING)
    rows = []
    for model in corpus.registered_models():
        meta = _meta(model["path"])
        labels = list(entity_labels(meta)) or list(model.get("labels") or [])
        rows.append({"suggester": MODEL_PREFIX + model["name"], "kind": "registered", "lang": meta.get("lang", "?"),
                     "where": model["path"], "meta": meta, "labels": labels})
    for offer in offered_pipelines():
        rows.append({"suggester": offer.suggester, "kind": offer.kind, "lang": offer.lang, "where": offer.target,
                     "meta": offer.meta, "labels": list(offer.labels)})
    for row in rows:
        overrides = corpus_overrides(setting, row["suggester"])
        row["label_map_name"], row["label_map"] = label_map_of(row.pop("meta"), row["labels"], schema, overrides)
        row["overrides"] = overrides
    return rows


def _show_map(mapping: dict) -> str:
    return ", ".join(f"{source}→{target}" if target else f"{source}→(left out)" for source, target in mapping.items())


@click.group(name="models", invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def command(ctx: click.Context, db_path: str, as_json: bool) -> None:
    """The spaCy pipelines that suggest entities: registered by `annotator train`, shipped with
    annotator (the Arabic news model), and installed (`python -m spacy download en_core_web_sm`).

    Shipped and installed pipelines run by default on the documents of their language; their labels
    are mapped to the corpus's (OntoNotes PERSON→PER, FAC→LOC, …; see `annotator models map`).
    """
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path
    if ctx.invoked_subcommand is not None:
        return
    corpus = open_corpus(db_path)
    try:
        rows = model_rows(corpus)
    except LabelMapError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        corpus.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    if not rows:
        console.print("No model suggesters: `annotator train` registers one; "
                      "`python -m spacy download en_core_web_sm` installs spaCy's English pipeline.")
        return
    table = Table(title="Model suggesters", title_justify="left")
    for column in ("suggester", "kind", "language", "labels (pipeline → corpus)"):
        table.add_column(column, overflow="fold")
    for row in rows:
        mapping = _show_map(row["label_map"]) or "-"
        if row["label_map_name"]:
            mapping += f"  [dim]({row['label_map_name']} map{', corpus overrides' if row['overrides'] else ''})[/dim]"
        table.add_row(row["suggester"], row["kind"], row["lang"], mapping)
    console.print(table)


@command.command(name="map")
@click.argument("suggester")
@click.argument("assignments", nargs=-1, metavar="FROM=TO…")
@click.option("--reset", is_flag=True, help="Forget this corpus's overrides for SUGGESTER.")
@click.pass_context
def map_labels(ctx: click.Context, suggester: str, assignments: tuple[str, ...], reset: bool) -> None:
    """Override how SUGGESTER's labels map to this corpus's labels (FROM= leaves FROM out).

    Stored in the corpus (setting `label_maps`); the next `annotator suggest` re-runs that model.
    """
    if not suggester.startswith(MODEL_PREFIX):
        suggester = MODEL_PREFIX + suggester
    if not assignments and not reset:
        raise click.UsageError("give FROM=TO assignments (FROM= leaves a label out), or --reset")
    corpus = open_corpus(ctx.obj["db_path"])
    try:
        setting = corpus.setting(CORPUS_SETTING)
        try:
            changes = dict(parse_assignment(a) for a in assignments)
            unknown = sorted({t for t in changes.values() if t} - set(corpus.labels.entity_names))
            if unknown:
                raise LabelMapError(f"{', '.join(unknown)}: not a label of this corpus "
                                    f"({', '.join(corpus.labels.entity_names)})")
            if reset:
                data = json.loads(setting) if setting else {}
                data.pop(suggester, None)
                setting = json.dumps(data, ensure_ascii=False, sort_keys=True)
            if changes:
                setting = with_override(setting, suggester, changes)
        except (LabelMapError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
        corpus.set_setting(CORPUS_SETTING, setting)
        now = corpus_overrides(setting, suggester)
    finally:
        corpus.close()
    click.echo(f"{suggester}: {_show_map(now) or 'the shipped map, no overrides'}")
