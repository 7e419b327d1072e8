"""Export an annotation set as spaCy training data: ``train/`` and ``dev/`` (folders of ``DocBin``
shards, ``000.spacy``, ``001.spacy``, … that ``spacy train`` reads as paths) and ``config.cfg``.

Layout of every exported :class:`~spacy.tokens.Doc` (one per article, tokenized by the
shared tokenizer ``make_nlp(document.language)``):

- ``doc.ents``: the entities (label mapping applied); every other token is ``O``.
- ``doc.spans`` groups, the parts of one quote sharing ``span.id_ == "q<quote id>"``:

  - ``quote_content``: content parts, labelled with the quote type (``direct``,
    ``indirect``, ``mixed``);
  - ``quote_cue``: the cue (reporting verb), labelled ``cue``;
  - ``quote_source``: the source mentions, labelled ``source``;
  - ``quote_entity``: the entity the source refers to, labelled with that entity's label;
  - ``quotes``: every part again, labelled ``CONTENT``/``CUE``/``SOURCE`` (the key the
    ``spancat`` component of ``config.cfg`` learns).

- ``doc.user_data["annotator"]``: document id, title, source, content hash, annotator,
  status, language, the quotes (``id``, ``type``, linked ``entity`` as character
  offsets) and the misaligned spans of this document.

Misaligned spans: see :mod:`annotator.formats.alignment`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import srsly.msgpack
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import load_config

from annotator.core.labels import RESOURCES
from annotator.core.tokenizer import make_nlp, new_nlp
from annotator.core.tokenizer_config import BASE_TOKENIZER_DIR, use_shared_tokenizer
from annotator.formats.alignment import Aligner, MisalignedSpan
from annotator.formats.atomic import atomic_folder
from annotator.formats.document_tokens import document_doc
from annotator.formats.export_errors import ExportError
from annotator.formats.selection import (
    ExportDocument,
    Selection,
    export_document,
    iter_documents,
    nothing_selected_message,
    plan_documents,
    resolve_annotator,
    split_documents,
)
from annotator.jobs.corpus_job import CorpusJob
from annotator.jobs.pool import Engine, map_chunks
from annotator.jobs.shards import Shard, chunked
from annotator.store import Corpus

CONFIG_TEMPLATE = RESOURCES / "spacy" / "config.cfg"
USER_DATA_KEY = "annotator"
GROUP_CONTENT = "quote_content"
GROUP_CUE = "quote_cue"
GROUP_SOURCE = "quote_source"
GROUP_ENTITY = "quote_entity"
SPANCAT_KEY = "quotes"
ROLE_LABELS = {"content": "CONTENT", "cue": "CUE", "source": "SOURCE"}
# The spancat n-gram suggester proposes every span of 1..max_size tokens; longer quote
# parts cannot be predicted, so the exporter reports them. The cap bounds memory and time.
MAX_SUGGESTER_SIZE = 48
# Documents per DocBin file: bounds the memory of a worker (its Docs) and of the writer.
SHARD_SIZE = 500

Progress = Callable[[int, int], None]


def quote_span_id(quote_id: int | None, position: int) -> str:
    """The ``Span.id_`` that links a quote's parts (the corpus id, or the position in the document)."""
    return f"q{quote_id}" if quote_id is not None else f"q:{position}"


@contextmanager
def msgpack_extensions_looked_up_once() -> Iterator[None]:
    """Let srsly look up its msgpack extension registries once, not on every pack.

    ``srsly``'s ``Packer`` asks its catalogue registries for extensions each time it is
    created, which scans every installed package's entry points and catalogue's whole
    global registry; ``DocBin.add`` packs seven objects per Doc (user data, the span
    groups), so that lookup, not spaCy, dominated the export (~40 ms a document with this
    environment). Nothing registers msgpack extensions while we export, so the registries
    answer from one snapshot inside this block and are restored afterwards.
    """
    patched = []
    for registry in (srsly.msgpack.msgpack_encoders, srsly.msgpack.msgpack_decoders):
        if "get_all" in vars(registry):  # already inside such a block
            continue
        snapshot = registry.get_all()
        registry.get_all = lambda snapshot=snapshot: dict(snapshot)
        patched.append(registry)
    try:
        yield
    finally:
        for registry in patched:
            del registry.get_all


@dataclass
class Conversion:
    doc: Doc
    misaligned: list[MisalignedSpan]


def set_entities(doc: Doc, document: ExportDocument, aligner: Aligner) -> dict[tuple[int, int], str]:
    """Put the document's entities in ``doc.ents`` (other tokens ``O``); returns ``{(start, end): label}``."""
    ents: list[Span] = []
    taken_until = 0
    entity_labels: dict[tuple[int, int], str] = {}
    for span in sorted(document.spans, key=lambda s: (s.start, s.end)):
        entity_labels[(span.start, span.end)] = span.label
        tokens = aligner.token_range(span.start, span.end, "entity", span.label)
        if tokens is None:
            continue
        if tokens[0] < taken_until:
            aligner.left_out(span.start, span.end, "entity", span.label, "would overlap the previous entity")
            continue
        ents.append(Span(doc, tokens[0], tokens[1], label=span.label))
        taken_until = tokens[1]
    doc.set_ents(ents, default="outside")
    return entity_labels


def entity_doc(document: ExportDocument, policy: str = "expand", nlp: Language | None = None
               ) -> tuple[Doc, list[MisalignedSpan]]:
    """The article as a :class:`Doc` with its entities only (for IOB/CoNLL)."""
    doc = document_doc(document, nlp)
    aligner = Aligner(doc, document.id, document.title, policy)
    set_entities(doc, document, aligner)
    return doc, aligner.report


def build_doc(document: ExportDocument, policy: str = "expand", nlp: Language | None = None) -> Conversion:
    """One article as a :class:`Doc` with entities, quote span groups and user data.

    ``nlp``: the tokenizer to use (default: the shared ``make_nlp(document.language)``); an article
    that brought its own tokens (CoNLL, WebAnno TSV, UIMA CAS) keeps them.
    """
    doc = document_doc(document, nlp)
    aligner = Aligner(doc, document.id, document.title, policy)
    entity_labels = set_entities(doc, document, aligner)

    groups: dict[str, list[Span]] = {
        GROUP_CONTENT: [],
        GROUP_CUE: [],
        GROUP_SOURCE: [],
        GROUP_ENTITY: [],
        SPANCAT_KEY: [],
    }
    quote_data = []
    for position, quote in enumerate(document.quotes):
        span_id = quote_span_id(quote.id, position)
        for role, part in quote.parts():
            label = quote.type if role == "content" else role
            tokens = aligner.token_range(part.start, part.end, f"quote {role}", label)
            if tokens is None:
                continue
            group = {"content": GROUP_CONTENT, "cue": GROUP_CUE, "source": GROUP_SOURCE}[role]
            groups[group].append(Span(doc, tokens[0], tokens[1], label=label, span_id=span_id))
            groups[SPANCAT_KEY].append(Span(doc, tokens[0], tokens[1], label=ROLE_LABELS[role], span_id=span_id))
        if quote.entity is not None:
            label = entity_labels.get((quote.entity.start, quote.entity.end), "ENTITY")
            tokens = aligner.token_range(quote.entity.start, quote.entity.end, "quote entity", label)
            if tokens is not None:
                groups[GROUP_ENTITY].append(Span(doc, tokens[0], tokens[1], label=label, span_id=span_id))
        quote_data.append(
            {
                "id": span_id,
                "type": quote.type,
                "entity": [quote.entity.start, quote.entity.end] if quote.entity else None,
                "origin": quote.origin,
            }
        )
    for key, spans in groups.items():
        doc.spans[key] = sorted(spans, key=lambda s: (s.start, s.end))

    doc.user_data[USER_DATA_KEY] = {
        "document_id": document.id,
        "title": document.title,
        "source": document.source,
        "content_hash": document.content_hash,
        "annotator": document.annotator,
        "status": document.status,
        "language": document.language,
        "direction": document.direction,
        "quotes": quote_data,
        "misaligned": [m.to_dict() for m in aligner.report],
    }
    return Conversion(doc, aligner.report)


@dataclass
class SplitCounts:
    documents: int = 0
    entities: Counter = field(default_factory=Counter)
    quotes: Counter = field(default_factory=Counter)
    quote_parts: Counter = field(default_factory=Counter)

    def add(self, doc: Doc) -> None:
        self.documents += 1
        self.entities.update(e.label_ for e in doc.ents)
        self.quotes.update(q["type"] for q in doc.user_data[USER_DATA_KEY]["quotes"])
        self.quote_parts.update(s.label_ for s in doc.spans[SPANCAT_KEY])

    def merge(self, other: SplitCounts) -> None:
        self.documents += other.documents
        self.entities.update(other.entities)
        self.quotes.update(other.quotes)
        self.quote_parts.update(other.quote_parts)

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "entities": dict(sorted(self.entities.items())),
            "quotes": dict(sorted(self.quotes.items())),
            "quote_parts": dict(sorted(self.quote_parts.items())),
        }


@dataclass
class ExportSummary:
    """What an export wrote; ``summary.json`` is :meth:`to_dict`."""

    out_dir: Path
    annotator: str
    statuses: tuple[str, ...]
    seed: int
    dev_fraction: float
    group_by_source: bool
    label_map: dict[str, str | None]
    language: str
    languages: Counter
    splits: dict[str, SplitCounts]
    misaligned: list[MisalignedSpan]
    left_out_by_mapping: Counter
    suggester_max_size: int
    quote_parts_too_long: int
    policy: str
    split_documents: dict[str, list[int]]
    files: dict[str, list[str]] = field(default_factory=dict)  # split -> its DocBin shards
    shard: str | None = None  # "K/N" when only one shard of the documents was exported

    @property
    def has_quotes(self) -> bool:
        return any(s.quote_parts for s in self.splits.values())

    def to_dict(self) -> dict:
        return {
            "annotator": self.annotator,
            "statuses": list(self.statuses),
            "seed": self.seed,
            "dev_fraction": self.dev_fraction,
            "group_by_source": self.group_by_source,
            "label_map": self.label_map,
            "language": self.language,
            "languages": dict(self.languages),
            "misaligned_policy": self.policy,
            "splits": {name: counts.to_dict() for name, counts in self.splits.items()},
            "documents": self.split_documents,
            "left_out_by_label_map": dict(self.left_out_by_mapping),
            "spancat_suggester_max_size": self.suggester_max_size,
            "quote_parts_longer_than_suggester": self.quote_parts_too_long,
            "misaligned": [m.to_dict() for m in self.misaligned],
            "shard": self.shard,
            "files": {"train": "train/", "dev": "dev/", "config": "config.cfg", "tokenizer": "tokenizer",
                      "shards": self.files},
        }

    def format(self) -> str:
        """The printed summary: counts per split and label, then every misaligned span."""
        lines = [
            f"Exported annotator {self.annotator!r} (status {', '.join(self.statuses)}) to {self.out_dir}",
            f"  split: dev {self.dev_fraction:g}, seed {self.seed}"
            + (", grouped by source" if self.group_by_source else ", by article")
            + (f"; shard {self.shard} of the documents only" if self.shard else ""),
        ]
        for name, counts in self.splits.items():
            ents = ", ".join(f"{label} {n}" for label, n in sorted(counts.entities.items())) or "none"
            quotes = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.quotes.items())) or "none"
            shards = len(self.files.get(name, [])) if self.files else 0
            where = f" in {name}/ ({shards} DocBin{'s' if shards != 1 else ''})" if shards else ""
            lines.append(f"  {name}: {counts.documents} documents{where}; entities: {ents}; quotes: {quotes}")
        if not self.splits["dev"].documents:
            lines.append("  the dev split is empty: spacy train and debug data need dev documents (--dev above 0)")
        if self.label_map:
            mapped = ", ".join(f"{k}→{v or '(left out)'}" for k, v in self.label_map.items())
            lines.append(f"  label map: {mapped}")
        if self.left_out_by_mapping:
            gone = ", ".join(f"{k} {n}" for k, n in sorted(self.left_out_by_mapping.items()))
            lines.append(f"  left out by the label map: {gone}")
        if len(self.languages) > 1:
            lines.append(
                f"  languages: {dict(self.languages)}; config.cfg trains a {self.language!r} pipeline"
            )
        if self.quote_parts_too_long:
            lines.append(
                f"  {self.quote_parts_too_long} quote parts are longer than the spancat suggester's "
                f"{self.suggester_max_size} tokens (spancat cannot predict them)"
            )
        if self.misaligned:
            lines.append(f"  {len(self.misaligned)} spans do not align with tokens ({self.policy} policy):")
            lines.extend("    " + m.describe() for m in self.misaligned)
        else:
            lines.append("  every span aligns with the shared tokenizer's tokens")
        return "\n".join(lines)


def write_config(path: Path, lang: str, with_spancat: bool, suggester_max_size: int = MAX_SUGGESTER_SIZE,
                 paths: dict[str, str] | None = None, final_dir: Path | None = None) -> None:
    """``config.cfg`` from the template: ``ner`` always, ``spancat`` on key ``quotes`` when asked;
    ``paths`` (``{"train": folder, "dev": folder}``) become ``[paths]``, so ``spacy train`` finds the data.
    The shared tokenizer is saved beside it (``tokenizer/``) and named where it will be: in
    ``final_dir`` when the folder is written under a temporary name and renamed afterwards."""
    config = load_config(CONFIG_TEMPLATE)
    config["nlp"]["lang"] = lang
    for key, value in (paths or {}).items():
        config["paths"][key] = value
    if with_spancat:
        config["components"]["spancat"]["suggester"]["max_size"] = max(1, suggester_max_size)
    else:
        config["nlp"]["pipeline"] = [p for p in config["nlp"]["pipeline"] if p != "spancat"]
        del config["components"]["spancat"]
        weights = config["training"]["score_weights"]
        for key in [k for k in weights if k.startswith("spans_")]:
            del weights[key]
        weights["ents_f"] = 1.0
    use_shared_tokenizer(config, lang, path.parent / BASE_TOKENIZER_DIR,
                         final_dir / BASE_TOKENIZER_DIR if final_dir is not None else None)
    path.write_text(config.to_str(), encoding="utf-8")


def collect(corpus: Corpus, selection: Selection) -> tuple[str, list[ExportDocument], list[ExportDocument]]:
    """(annotator, train documents, dev documents) of a selection, read into memory (small corpora,
    tests); raises ExportError if empty. :func:`export_spacy` streams instead."""
    name = resolve_annotator(corpus, selection.annotator)
    docs = list(iter_documents(corpus, selection, name))
    if not docs:
        raise ExportError(nothing_selected_message(corpus, name, selection.statuses))
    train, dev = split_documents(docs, selection.dev, selection.seed, selection.group_by_source,
                                 selection.dev_files)
    return name, train, dev


class Tokenizers:
    """One shared-tokenizer pipeline per language, renewed when its vocabulary grows large.

    spaCy's vocabulary keeps every new word it meets; over tens of thousands of Arabic articles
    that alone is hundreds of megabytes. A fresh pipeline tokenizes exactly the same way.
    """

    VOCAB_LIMIT = 250_000

    def __init__(self) -> None:
        self._nlps: dict[str, Language] = {}

    def __call__(self, lang: str) -> Language:
        nlp = self._nlps.get(lang)
        if nlp is None or len(nlp.vocab) > self.VOCAB_LIMIT:
            nlp = self._nlps[lang] = new_nlp(lang)
        return nlp


@dataclass
class ShardResult:
    """One DocBin shard, serialised, and what it holds (counted as it was built)."""

    split: str
    index: int
    data: bytes
    counts: SplitCounts
    misaligned: list[MisalignedSpan]
    mapped_away: Counter
    languages: Counter
    part_lengths: Counter


class SpacyShardJob(CorpusJob):
    """Build one DocBin shard: ``run((split, index, [(document id, status), ...]))`` -> :class:`ShardResult`.

    A pure function of its chunk (reads through its own read-only connection, writes nothing), so
    it runs the same in a worker process (:func:`annotator.jobs.pool.map_chunks`) or here.
    """

    def __init__(self, db_path: str, annotator: str, label_map: dict[str, str | None], policy: str,
                 corpus: Corpus | None = None) -> None:
        super().__init__(db_path, corpus)
        self.annotator = annotator
        self.label_map = dict(label_map)
        self.policy = policy
        self._tokenizers = Tokenizers()

    def __getstate__(self) -> dict:
        return {**super().__getstate__(), "_tokenizers": None}

    def start(self) -> None:
        super().start()
        if self._tokenizers is None:
            self._tokenizers = Tokenizers()

    def run(self, chunk: tuple[str, int, list[tuple[int, str]]]) -> ShardResult:
        split, index, items = chunk
        corpus = self._corpus
        assert corpus is not None, "start() first"
        docbin = DocBin(store_user_data=True)
        result = ShardResult(split, index, b"", SplitCounts(), [], Counter(), Counter(), Counter())
        with msgpack_extensions_looked_up_once():
            for doc_id, status in items:
                document = export_document(corpus, doc_id, status, self.annotator, self.label_map)
                conversion = build_doc(document, self.policy, self._tokenizers(document.language))
                docbin.add(conversion.doc)
                result.counts.add(conversion.doc)
                result.misaligned.extend(conversion.misaligned)
                result.mapped_away.update(s.label for s in document.unmapped)
                result.languages[document.language] += 1
                result.part_lengths.update(len(s) for s in conversion.doc.spans[SPANCAT_KEY])
            result.data = docbin.to_bytes()
        return result


def shard_file_name(index: int, count: int) -> str:
    """``000.spacy``, ``001.spacy``, ... (wider when there are more than 1,000 shards, so they sort)."""
    return f"{index:0{max(3, len(str(max(0, count - 1))))}d}.spacy"


def read_split(out_dir: str | Path, split: str, vocab=None) -> Iterator[Doc]:
    """Every ``Doc`` of one split of an export, shard after shard, in document order."""
    from spacy.vocab import Vocab

    vocab = vocab if vocab is not None else Vocab()
    for path in sorted((Path(out_dir) / split).glob("*.spacy")):
        yield from DocBin().from_disk(path).get_docs(vocab)


def export_spacy(
    corpus: Corpus,
    out_dir: str | Path,
    selection: Selection | None = None,
    *,
    strict: bool = False,
    policy: str = "expand",
    progress: Progress | None = None,
    jobs: int = 1,
    shard: Shard | None = None,
    overwrite: bool = False,
    shard_size: int = SHARD_SIZE,
    engine: Engine | None = None,
) -> ExportSummary:
    """Write ``train/NNN.spacy``, ``dev/NNN.spacy``, ``config.cfg`` and ``summary.json`` into ``out_dir``.

    Streams: DocBins of ``shard_size`` documents are built by ``jobs`` worker processes (or by a
    Dask ``engine``) and written as they come, in document order, so memory stays bounded and the
    files are the same bytes whatever ``jobs`` is. The split is decided on the whole selection
    first; ``shard`` then keeps that shard's documents (:mod:`annotator.jobs.shards`). The folder
    appears whole or not at all (:func:`annotator.formats.atomic.atomic_folder`); a folder that is
    not empty needs ``overwrite``. With ``strict`` any misaligned span raises :class:`ExportError`
    and nothing is written.
    """
    selection = selection or Selection()
    name = resolve_annotator(corpus, selection.annotator)
    planned = plan_documents(corpus, selection, name)
    if not planned:
        raise ExportError(nothing_selected_message(corpus, name, selection.statuses))
    train, dev = split_documents(planned, selection.dev, selection.seed, selection.group_by_source,
                                 selection.dev_files)
    if shard is not None:
        train = [d for d in train if shard.holds(d.content_hash)]
        dev = [d for d in dev if shard.holds(d.content_hash)]
    total = len(train) + len(dev)
    tasks: list[tuple[str, int, list[tuple[int, str]]]] = []
    shard_counts: dict[str, int] = {}
    for split, documents in (("train", train), ("dev", dev)):
        chunks = list(chunked([(d.id, d.status) for d in documents], shard_size)) or [[]]
        shard_counts[split] = len(chunks)
        tasks.extend((split, i, chunk) for i, chunk in enumerate(chunks))
    job = SpacyShardJob(str(corpus.path), name, selection.label_map, policy, corpus if jobs <= 1 else None)
    counts = {"train": SplitCounts(), "dev": SplitCounts()}
    misaligned: list[MisalignedSpan] = []
    mapped_away: Counter = Counter()
    languages: Counter = Counter()
    part_lengths: Counter = Counter()
    files: dict[str, list[str]] = {"train": [], "dev": []}
    done = 0
    results = engine.map_chunks(job, tasks) if engine is not None else map_chunks(job, tasks, jobs)
    with atomic_folder(out_dir, overwrite=overwrite) as tmp:
        for split in files:
            (tmp / split).mkdir()
        for result in results:
            file_name = shard_file_name(result.index, shard_counts[result.split])
            (tmp / result.split / file_name).write_bytes(result.data)
            files[result.split].append(f"{result.split}/{file_name}")
            counts[result.split].merge(result.counts)
            misaligned.extend(result.misaligned)
            mapped_away.update(result.mapped_away)
            languages.update(result.languages)
            part_lengths.update(result.part_lengths)
            done += result.counts.documents
            if progress:
                progress(done, total)
        if strict and misaligned:
            listing = "\n".join("  " + m.describe() for m in misaligned)
            raise ExportError(
                f"{len(misaligned)} spans do not align with tokens; nothing was written (--strict):\n{listing}",
                misaligned,
            )
        main_language = languages.most_common(1)[0][0] if languages else planned[0].language
        language = make_nlp(main_language).lang  # "xx" where spaCy has no such language
        max_size = min(max(part_lengths, default=1), MAX_SUGGESTER_SIZE)
        summary = ExportSummary(
            out_dir=Path(out_dir),
            annotator=name,
            statuses=tuple(selection.statuses),
            seed=selection.seed,
            dev_fraction=selection.dev,
            group_by_source=selection.group_by_source,
            label_map=dict(selection.label_map),
            language=language,
            languages=languages,
            splits=counts,
            misaligned=misaligned,
            left_out_by_mapping=mapped_away,
            suggester_max_size=max_size,
            quote_parts_too_long=sum(n for length, n in part_lengths.items() if length > max_size),
            policy=policy,
            split_documents={"train": [d.id for d in train], "dev": [d.id for d in dev]},
            files=files,
            shard=str(shard) if shard else None,
        )
        final = Path(out_dir).resolve()
        write_config(tmp / "config.cfg", language, summary.has_quotes, max_size,
                     paths={split: str(final / split) for split in files}, final_dir=final)
        (tmp / "summary.json").write_text(
            json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return summary
