"""brat standoff: ``doc.txt`` with ``doc.ann`` beside it.

``.ann`` lines understood:

* ``T1<TAB>Label 0 5<TAB>text``: text-bound annotations, also discontinuous
  (``T1<TAB>Label 0 5;9 12``). The text column is checked against the document
  (fragments joined by a space, as brat writes them); a mismatch is an error.
* ``R1<TAB>Type Arg1:T1 Arg2:T2``: relations; ``E1<TAB>Type:T3 Role:T1 ...``: events;
  ``A1<TAB>Name T1 [value]`` / ``M1``: attributes; ``#1<TAB>AnnotatorNotes T1<TAB>note``: notes.
  ``N`` (normalisations) and ``*`` (equivalences) are ignored.

Quotes (PARC / citron model): text-bounds typed ``Source``, ``Cue`` or ``Content`` (any
case) are quote parts. An event (e.g. ``Attribution`` or ``Quote``, whose trigger is the
cue) or relations between parts define one quote; a ``Content`` linked to nothing is a quote
on its own. The quote type comes from a ``Type``/``QuoteType`` attribute on the event or a
content (``direct``/``indirect``/``mixed``, default direct). A relation or event argument
linking a source (or the quote event) to an entity sets the quote's entity.

Every other text-bound type becomes an entity span; a discontinuous entity becomes one
span per fragment. Relations and events between entities, attributes of entities and
notes are kept in ``meta`` (``brat_relations``, ``brat_attributes``, ``brat_notes``),
with offsets instead of brat ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.spans import QUOTE_TYPES, DocumentRecord, Quote, Range, Span
from annotator.formats.common import (
    FormatError,
    ReadOptions,
    check_label_name,
    read_text,
)

QUOTE_ROLE_TYPES = {"source": "source", "cue": "cue", "content": "content"}
QUOTE_EVENT_TYPES = {"attribution", "quote", "quotation"}
QUOTE_TYPE_ATTRIBUTES = {"type", "quotetype", "quote_type"}
_FRAGMENT = re.compile(r"^(\d+) (\d+)$")


@dataclass
class _TextBound:
    id: str
    type: str
    ranges: list[tuple[int, int]]
    line: int

    @property
    def role(self) -> str | None:
        return QUOTE_ROLE_TYPES.get(self.type.lower())


@dataclass
class _Link:
    """A relation or event: a type and (role, target id) arguments."""

    id: str
    type: str
    args: list[tuple[str, str]]
    line: int
    trigger: str | None = None


@dataclass
class _Ann:
    textbounds: dict[str, _TextBound] = field(default_factory=dict)
    links: list[_Link] = field(default_factory=list)
    attributes: list[tuple[str, str, str | None, int]] = field(default_factory=list)  # name, target, value, line
    notes: list[tuple[str, str, int]] = field(default_factory=list)  # target, note, line


def _parse_ann(ann: str, text: str, path: str) -> _Ann:
    parsed = _Ann()
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            parsed.textbounds[ident] = _textbound(ident, rest, text, path, number)
        elif kind == "R":
            rtype, *args = rest.split()
            parsed.links.append(_Link(ident, check_label_name(rtype, path, number, "relation type"),
                                      [_arg(a, path, number) for a in args], number))
        elif kind == "E":
            head, *args = rest.split()
            etype, _, trigger = head.partition(":")
            parsed.links.append(_Link(ident, check_label_name(etype, path, number, "event type"),
                                      [_arg(a, path, number) for a in args], number, trigger or None))
        elif kind in ("A", "M"):
            parts = rest.split()
            if len(parts) < 2:
                raise FormatError(path, number, f"attribute {ident} needs 'Name Target [Value]', got {rest!r}")
            parsed.attributes.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None, number))
        elif kind == "#":
            head, _, note = rest.partition("\t")
            parts = head.split()
            if len(parts) >= 2:
                parsed.notes.append((parts[1], note, number))
        elif kind in ("N", "*"):
            continue
        else:
            raise FormatError(path, number, f"unknown brat annotation {ident!r} (expected T, R, E, A, M, N, # or *)")
    known = set(parsed.textbounds) | {link.id for link in parsed.links}
    for link in parsed.links:
        for _, target in link.args + ([("trigger", link.trigger)] if link.trigger else []):
            if target not in known:
                raise FormatError(path, link.line, f"{link.id} refers to {target}, which is not defined")
    return parsed


def _arg(arg: str, path: str, line: int) -> tuple[str, str]:
    role, sep, target = arg.partition(":")
    if not sep or not target:
        raise FormatError(path, line, f"argument {arg!r} is not 'Role:Id'")
    return role, target


def _textbound(ident: str, rest: str, text: str, path: str, line: int) -> _TextBound:
    head, sep, stated = rest.partition("\t")
    label, _, offsets = head.partition(" ")
    check_label_name(label, path, line, what=f"{ident} type")
    ranges = []
    for fragment in offsets.split(";"):
        match = _FRAGMENT.match(fragment.strip())
        if not match:
            raise FormatError(path, line, f"{ident}: offsets {offsets!r} are not 'start end[;start end]'")
        start, end = int(match.group(1)), int(match.group(2))
        if not (0 <= start < end <= len(text)):
            raise FormatError(path, line, f"{ident} {label} [{start}, {end}) is outside the text (length {len(text)})")
        ranges.append((start, end))
    found = " ".join(text[s:e] for s, e in ranges)
    if sep and stated != found:
        raise FormatError(
            path, line, f"{ident} {label}: the .ann text {stated!r} does not match the document's {found!r} there"
        )
    return _TextBound(ident, label, ranges, line)


def _quote_type(value: str | None, path: str, line: int) -> str:
    quote_type = (value or "direct").lower()
    if quote_type not in QUOTE_TYPES:
        raise FormatError(path, line, f"quote type must be one of {', '.join(QUOTE_TYPES)}, not {value!r}")
    return quote_type


class _Quotes:
    """Groups quote parts into quotes: union-find over the events and relations that join them."""

    def __init__(self, parsed: _Ann, ann_name: str) -> None:
        self.parsed = parsed
        self.ann_name = ann_name
        self.tbs = parsed.textbounds
        self.event_ids = {link.id for link in parsed.links if link.trigger and link.type.lower() in QUOTE_EVENT_TYPES}
        self.triggers = {link.trigger for link in parsed.links if link.id in self.event_ids}
        self.roles: dict[str, str] = {ident: tb.role for ident, tb in self.tbs.items() if tb.role}
        self.parent: dict[str, str] = {}
        self.entity_of: dict[str, str] = {}  # group member -> entity textbound id
        self.kept_links: list[_Link] = []  # relations and events between entities
        for link in parsed.links:
            self._link(link)

    def is_entity(self, ident: str) -> bool:
        tb = self.tbs.get(ident)
        return tb is not None and tb.role is None and ident not in self.triggers

    def _find(self, x: str) -> str:
        while self.parent.setdefault(x, x) != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def _link(self, link: _Link) -> None:
        members = [t for _, t in link.args if t in self.tbs and self.tbs[t].role]
        if link.id in self.event_ids:
            members.append(link.id)
            if link.trigger in self.tbs:
                self.roles.setdefault(link.trigger, "cue")
                members.append(link.trigger)
            for role, target in link.args:  # Source:T1 Content2:T5 ...
                named = QUOTE_ROLE_TYPES.get(role.rstrip("0123456789").lower())
                if named and target in self.tbs:
                    self.roles.setdefault(target, named)
                    members.append(target)
        if not members:
            self.kept_links.append(link)
            return
        for member in members[1:]:
            self.parent[self._find(member)] = self._find(members[0])
        for _, target in link.args:
            if self.is_entity(target) and target not in members:
                self.entity_of[members[0]] = target

    def quotes(self) -> list[Quote]:
        typed: dict[str, tuple[str | None, int]] = {}
        for name, target, value, line in self.parsed.attributes:
            if name.lower() in QUOTE_TYPE_ATTRIBUTES and (target in self.roles or target in self.event_ids):
                typed[target] = (value, line)
        groups: dict[str, list[str]] = {}
        for ident in [*self.roles, *sorted(self.event_ids)]:
            groups.setdefault(self._find(ident), []).append(ident)
        quotes = [self._quote(list(dict.fromkeys(members)), typed) for members in groups.values()]
        return sorted(quotes, key=lambda q: (q.start, q.end))

    def _quote(self, members: list[str], typed: dict[str, tuple[str | None, int]]) -> Quote:
        tbs, where = self.tbs, self.ann_name
        line = min((tbs[m].line for m in members if m in tbs), default=1)

        def ranges(role: str) -> list[tuple[str, Range]]:
            return [(m, Range(s, e)) for m in members if self.roles.get(m) == role for s, e in tbs[m].ranges]

        contents, cues, sources = ranges("content"), ranges("cue"), ranges("source")
        if not contents:
            described = ", ".join(f"{m} ({tbs[m].type})" for m in members if m in tbs)
            raise FormatError(where, line, f"{described}: a quote part linked to no Content; link it to one")
        if len(cues) > 1:
            ids = sorted({m for m, _ in cues})
            problem = f"cue {ids[0]} is discontinuous" if len(ids) == 1 else f"a quote has cues {', '.join(ids)}"
            raise FormatError(where, tbs[ids[0]].line, f"{problem}; a quote has one cue range")
        entity = next((self.entity_of[m] for m in members if m in self.entity_of), None)
        if entity is None:  # a source that is itself an entity mention (Source:T9 with T9 a PER)
            entity = next((m for m, _ in sources if self.is_entity(m)), None)
        stated = next((typed[m] for m in members if m in typed), None)
        return Quote(
            contents=tuple(sorted((r for _, r in contents), key=lambda r: r.start)),
            cue=cues[0][1] if cues else None,
            sources=tuple(sorted((r for _, r in sources), key=lambda r: r.start)),
            entity=Range(*tbs[entity].ranges[0]) if entity else None,
            type=_quote_type(stated[0], where, stated[1]) if stated else "direct",
            origin="imported",
        )


def _entity_spans(parsed: _Ann, grouping: _Quotes, ann_name: str) -> list[Span]:
    """One span per fragment of every entity text-bound; entities may not overlap."""
    located = sorted(
        (
            (Span(s, e, tb.type, origin="imported"), tb)
            for ident, tb in parsed.textbounds.items()
            if grouping.is_entity(ident)
            for s, e in tb.ranges
        ),
        key=lambda pair: (pair[0].start, pair[0].end),
    )
    for (before, tb_before), (span, tb) in zip(located, located[1:], strict=False):
        if span.start < before.end:
            raise FormatError(
                ann_name,
                tb.line,
                f"{tb.id} {span.label} [{span.start}, {span.end}) overlaps {tb_before.id} {before.label} "
                f"[{before.start}, {before.end}); entities may not overlap",
            )
    return [span for span, _ in located]


def parse_brat(text: str, ann: str, name: str, ann_name: str, options: ReadOptions = ReadOptions()) -> DocumentRecord:
    """The document of a brat pair (``text`` of the ``.txt``, ``ann`` of the ``.ann``)."""
    parsed = _parse_ann(ann, text, ann_name)
    tbs = parsed.textbounds
    grouping = _Quotes(parsed, ann_name)
    quotes = grouping.quotes()
    spans = _entity_spans(parsed, grouping, ann_name)
    meta: dict = {"file": name, "format": "brat"}

    def where(ident: str) -> list | None:
        if ident in tbs:
            tb = tbs[ident]
            return [tb.ranges[0][0], tb.ranges[-1][1], tb.type]
        return None

    if grouping.kept_links:
        meta["brat_relations"] = [
            {"type": link.type, "args": {role: where(target) for role, target in link.args}}
            | ({"trigger": where(link.trigger)} if link.trigger else {})
            for link in grouping.kept_links
        ]
    entity_attributes = [(n, t, v) for n, t, v, _ in parsed.attributes if grouping.is_entity(t)]
    if entity_attributes:
        meta["brat_attributes"] = [{"name": n, "target": where(t), "value": v} for n, t, v in entity_attributes]
    if parsed.notes:
        meta["brat_notes"] = [{"target": where(t), "note": note} for t, note, _ in parsed.notes]
    title = next((line.strip() for line in text.split("\n") if line.strip()), None)
    return DocumentRecord(
        text=text,
        title=title,
        language=options.language,
        meta=meta,
        spans=spans,
        quotes=quotes,
        location=f"{ann_name}:1",
    )


def read_brat(path: str | Path, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """Read a brat pair; ``path`` is the ``.txt`` or the ``.ann`` file."""
    path = Path(path)
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    if not txt.exists():
        raise FormatError(ann, None, f"no {txt.name} beside it (brat needs the .txt and the .ann)")
    text = read_text(txt)
    if not ann.exists():
        raise FormatError(txt, None, f"no {ann.name} beside it (brat needs the .txt and the .ann)")
    data = ann.read_bytes()
    annotations = "" if not data.strip() else read_text(ann)  # an empty .ann: a document without annotations
    return [parse_brat(text, annotations, str(txt), str(ann), options)]
