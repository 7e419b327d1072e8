"""brat standoff: a ``.txt`` article and the ``.ann`` files that annotate it.

**Pairing.** ``TEXT.ann`` beside ``TEXT.txt`` annotates it (the set goes to ``--annotator``);
``TEXT_NAME.ann`` is annotator ``NAME``'s set for ``TEXT.txt``, so a text annotated by two people
gives two sets for review and agreement. The ``.ann`` may sit beside the text or in a sibling
folder, as PolNeAR ships them (``text/TEXT.txt``, ``attributions/TEXT_4e07.ann``). An exact
``TEXT_NAME.txt`` wins over the suffix rule. :func:`annotation_files_of` and :func:`text_of`
implement it; the importer and the format detection call them.

``.ann`` lines understood:

* ``T1<TAB>Type 0 5<TAB>text``: text-bound annotations, also discontinuous
  (``T1<TAB>Type 0 5;9 12``). The text column is checked against the document
  (fragments joined by a space, as brat writes them); a mismatch is an error.
* ``R1<TAB>Type Arg1:T1 Arg2:T2``: relations; ``E1<TAB>Type:T3 Role:T1 ...``: events;
  ``A1<TAB>Name T1 [value]`` / ``M1``: attributes; ``#1<TAB>AnnotatorNotes T1<TAB>note``: notes.
  ``N`` (normalisations) and ``*`` (equivalences) are ignored.

**Quotes** (PARC 3.0 / PolNeAR / citron; the type names are data, in
``resources/brat/attribution.json``): text-bounds typed ``Source``, ``Cue`` or ``Content`` are
quote parts. Each attribution event (``E1 Attribution:T4 Content:T3 Cue:T2 Source:T1``, also
``Attribution-no-source``) is one quote; its trigger (typed ``Attribution``, with the cue's range)
is the cue only when the event names no ``Cue`` (and the trigger does not lie on the event's
content or source: then it only anchors a quote without a cue). A ``Source`` shared by several events is the
source of each of them (separate quotes). Arguments ``Content2``… add content parts.
Relations between quote parts (the older scheme: ``R1 Attribution Arg1:T7 Arg2:T8``) group
parts that no event holds; a ``Content`` linked to nothing is a quote on its own. A relation or
event argument from a quote part (or the event) to an entity sets the quote's entity; a source
that is itself an entity mention links to it. The quote type comes from a ``Type``/``QuoteType``
attribute; without one it is read from the text: content inside quote marks is *direct*,
content holding a quoted fragment *mixed*, otherwise *indirect*.

What a quote cannot hold is **listed, not refused** (one ``file:line: problem`` warning each, in
the import summary): an event or a part with no ``Content`` (an unlinked ``Source``), a cue in
several pieces (the pieces joined when only spaces separate them, else the longest kept).

Every other text-bound type becomes an entity span (a discontinuous entity: one span per
fragment), except the types the scheme keeps out (``Discard``, ``Discuss``: ``meta["brat_other"]``)
and event triggers. Relations and events between entities, attributes of entities and notes are
kept in ``meta`` (``brat_relations``, ``brat_attributes``, ``brat_notes``), with offsets instead
of brat ids; each item names its ``annotator`` when the ``.ann`` file does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from annotator.core.labels import RESOURCES
from annotator.core.quote_type import infer_quote_type
from annotator.core.spans import QUOTE_TYPES, DocumentRecord, Quote, Range, Span
from annotator.formats.common import (
    FormatError,
    ReadOptions,
    check_label_name,
    read_text,
)

SCHEME_FILE = RESOURCES / "brat" / "attribution.json"
QUOTE_TYPE_ATTRIBUTES = {"type", "quotetype", "quote_type"}
_FRAGMENT = re.compile(r"^(\d+) (\d+)$")
_IDENT = re.compile(r"^(?:[TREAMN]\d+|#\d*|\*)$")


@dataclass(frozen=True)
class AttributionScheme:
    """Which brat types are quote parts, quote events, triggers, or kept out of the entities."""

    quote_roles: dict[str, str]
    quote_events: frozenset[str]
    trigger_types: frozenset[str]
    kept_in_meta: frozenset[str]

    def role(self, name: str) -> str | None:
        """``content``/``cue``/``source`` for a type or an argument role (``Content2`` too)."""
        return self.quote_roles.get(name.lower()) or self.quote_roles.get(name.rstrip("0123456789").lower())


@lru_cache(maxsize=4)
def load_scheme(path: Path = SCHEME_FILE) -> AttributionScheme:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return AttributionScheme(
        quote_roles={k.lower(): v for k, v in data["quote_roles"].items()},
        quote_events=frozenset(t.lower() for t in data["quote_events"]),
        trigger_types=frozenset(t.lower() for t in data["trigger_types"]),
        kept_in_meta=frozenset(t.lower() for t in data["kept_in_meta"]),
    )


# -- pairing ----------------------------------------------------------------------------------------


def _search_folders(folder: Path) -> list[Path]:
    """``folder`` and its sibling folders (``text/`` and ``attributions/`` side by side)."""
    return [folder, *(p for p in _subfolders(str(folder.parent), _mtime(folder.parent)) if p != folder)]


@lru_cache(maxsize=64)
def _subfolders(folder: str, mtime_ns: int) -> tuple[Path, ...]:
    """Visible subfolders of ``folder`` (listing cached per mtime: a folder import asks once per file)."""
    try:
        return tuple(sorted(p for p in Path(folder).iterdir() if p.is_dir() and not p.name.startswith(".")))
    except OSError:
        return ()


def text_of(ann: Path) -> tuple[Path, str | None] | None:
    """``(text file, annotator name or None)`` that the ``.ann`` file annotates, or None."""
    ann = Path(ann)
    folders = _search_folders(ann.parent)
    for folder in folders:
        exact = folder / f"{ann.stem}.txt"
        if exact.is_file():
            return exact, None
    base, sep, suffix = ann.stem.rpartition("_")
    if sep and base and suffix.strip():
        for folder in folders:
            candidate = folder / f"{base}.txt"
            if candidate.is_file():
                return candidate, suffix
    return None


def annotation_files_of(txt: Path) -> list[tuple[Path, str | None]]:
    """The ``.ann`` files of a text with their annotator names (None for ``TEXT.ann``), sorted."""
    txt = Path(txt)
    found: list[tuple[Path, str | None]] = []
    for folder in _search_folders(txt.parent):
        candidates = [folder / f"{txt.stem}.ann", *_suffixed(folder, txt.stem)]
        for ann in candidates:
            if ann.is_file():
                paired = text_of(ann)
                if paired is not None and paired[0] == txt:
                    found.append((ann, paired[1]))
    return sorted(set(found), key=lambda pair: (pair[1] is not None, pair[1] or "", str(pair[0])))


def _suffixed(folder: Path, stem: str) -> list[Path]:
    return [folder / name for name in _ann_names(str(folder), _mtime(folder)).get(stem, ())]


def _mtime(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=64)
def _ann_names(folder: str, mtime_ns: int) -> dict[str, tuple[str, ...]]:
    """``.ann`` names of ``folder`` by the text stem before their last ``_`` (listing cached per mtime)."""
    index: dict[str, list[str]] = {}
    try:
        names = sorted(p.name for p in Path(folder).iterdir() if p.suffix.lower() == ".ann")
    except OSError:
        return {}
    for name in names:
        base, sep, suffix = name[: -len(".ann")].rpartition("_")
        if sep and base and suffix.strip():
            index.setdefault(base, []).append(name)
    return {k: tuple(v) for k, v in index.items()}


def is_brat_text(txt: Path) -> bool:
    """True when a ``.txt`` file has at least one ``.ann`` file."""
    return bool(annotation_files_of(txt))


# -- parsing ----------------------------------------------------------------------------------------


@dataclass
class _TextBound:
    id: str
    type: str
    ranges: list[tuple[int, int]]
    line: int


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


_SHAPES = {
    "T": "'T1<TAB>Type start end<TAB>text'",
    "R": "'R1<TAB>Type Arg1:T1 Arg2:T2'",
    "E": "'E1<TAB>Type:T1 Role:T2 …'",
    "A": "'A1<TAB>Name T1 [Value]'",
    "M": "'M1<TAB>Name T1 [Value]'",
}


def _parse_ann(ann: str, text: str, path: str) -> _Ann:
    parsed = _Ann()
    lines = ann.split("\n")
    continued: set[int] = set()  # lines that carry on a text-bound's text (it holds a line break)
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if number in continued or not line.strip():
            continue
        ident, tab, rest = line.partition("\t")
        ident = ident.strip()
        kind = ident[:1]
        if not _IDENT.match(ident):
            first = line.split()[0] if line.split() else line
            if _IDENT.match(first):
                raise FormatError(path, number, f"{first}: the id must be followed by a TAB, then {_SHAPES.get(first[:1], 'the annotation')}")
            raise FormatError(path, number, f"unknown brat annotation {first!r} (expected an id T1, R1, E1, A1, M1, N1, #1 or *)")
        if not rest.strip() and kind in _SHAPES:
            raise FormatError(path, number, f"{ident} is empty; a brat line here reads {_SHAPES[kind]}")
        if kind == "T":
            parsed.textbounds[ident] = _textbound(ident, rest, text, path, number, lines, continued)
        elif kind == "R":
            rtype, *args = rest.split()
            parsed.links.append(_Link(ident, check_label_name(rtype, path, number, "relation type"),
                                      [_arg(a, path, number) for a in args], number))
        elif kind == "E":
            head, *args = rest.split()
            etype, _, trigger = head.partition(":")
            if not trigger:
                raise FormatError(path, number, f"{ident}: the event {etype!r} has no trigger; it reads {_SHAPES['E']}")
            parsed.links.append(_Link(ident, check_label_name(etype, path, number, "event type"),
                                      [_arg(a, path, number) for a in args], number, trigger))
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
    known = set(parsed.textbounds) | {link.id for link in parsed.links}
    for link in parsed.links:
        for _, target in link.args + ([("trigger", link.trigger)] if link.trigger else []):
            if target not in known:
                raise FormatError(path, link.line, f"{link.id} refers to {target}, which is not defined")
    return parsed


def _arg(arg: str, path: str, line: int) -> tuple[str, str]:
    role, sep, target = arg.partition(":")
    if not sep or not target or not role:
        raise FormatError(path, line, f"argument {arg!r} is not 'Role:Id'")
    return role, target


def _textbound(ident: str, rest: str, text: str, path: str, line: int, lines: list[str] | None = None,
               continued: set[int] | None = None) -> _TextBound:
    head, sep, stated = rest.partition("\t")
    label, _, offsets = head.partition(" ")
    check_label_name(label, path, line, what=f"{ident} type")
    ranges = []
    for fragment in offsets.split(";"):
        match = _FRAGMENT.match(fragment.strip())
        if not match:
            raise FormatError(path, line, f"{ident}: offsets {offsets!r} are not 'start end[;start end]'")
        if len(match.group(1)) > 12 or len(match.group(2)) > 12:
            raise FormatError(path, line, f"{ident} {label}: offset {fragment.strip()[:20]}… is outside the text "
                                          f"(length {len(text)})")
        start, end = int(match.group(1)), int(match.group(2))
        if not (0 <= start < end <= len(text)):
            raise FormatError(path, line, f"{ident} {label} [{start}, {end}) is outside the text (length {len(text)})")
        ranges.append((start, end))
    found = " ".join(text[s:e] for s, e in ranges)
    if sep and stated != found and lines is not None and continued is not None and found.startswith(stated + "\n"):
        # A text column holding the span's line breaks as they are (PolNeAR has a few): the
        # following lines carry it on.
        following = line
        while len(stated) < len(found) and following < len(lines) and found.startswith(stated + "\n"):
            stated += "\n" + lines[following].rstrip("\r")
            following += 1
        if stated == found:
            continued.update(range(line + 1, following + 1))
    if sep and stated != found:
        raise FormatError(
            path, line, f"{ident} {label}: the .ann text {stated!r} does not match the document's {found!r} there"
        )
    return _TextBound(ident, label, ranges, line)


class _Quotes:
    """Builds quotes from attribution events, and from relations between parts no event holds."""

    def __init__(self, parsed: _Ann, text: str, ann_name: str, scheme: AttributionScheme) -> None:
        self.parsed = parsed
        self.text = text
        self.ann_name = ann_name
        self.scheme = scheme
        self.tbs = parsed.textbounds
        self.warnings: list[str] = []
        self.events = [link for link in parsed.links if link.trigger and link.type.lower() in scheme.quote_events]
        event_ids = {e.id for e in self.events}
        self.triggers = {e.trigger for e in self.events}
        self.roles: dict[str, str] = {}
        for ident, tb in self.tbs.items():
            role = scheme.role(tb.type)
            if role:
                self.roles[ident] = role
        self.claimed: dict[str, list[str]] = {}  # part id -> events holding it
        for event in self.events:
            for role, target in event.args:
                named = scheme.role(role)
                if named and target in self.tbs:
                    self.roles.setdefault(target, named)
                    self.claimed.setdefault(target, []).append(event.id)
            if event.trigger in self.roles:
                self.claimed.setdefault(event.trigger, []).append(event.id)
        self.parent: dict[str, str] = {}
        self.entity_of: dict[str, str] = {}  # part or event id -> entity text-bound id
        self.kept_links: list[_Link] = []  # relations and events between entities
        self.extra_parts: dict[str, list[str]] = {}  # event id -> free parts related to its parts
        for link in parsed.links:
            if link.id in event_ids:
                for role, target in link.args:
                    if self.is_entity(target) and not scheme.role(role):
                        self.entity_of[link.id] = target
            else:
                self._relation(link)

    def is_entity(self, ident: str) -> bool:
        tb = self.tbs.get(ident)
        return (tb is not None and not self.scheme.role(tb.type) and ident not in self.triggers
                and tb.type.lower() not in self.scheme.trigger_types
                and tb.type.lower() not in self.scheme.kept_in_meta)

    def _find(self, x: str) -> str:
        while self.parent.setdefault(x, x) != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def _relation(self, link: _Link) -> None:
        parts = [t for _, t in link.args if t in self.roles]
        events_of = {e.id for e in self.events}
        if not parts:
            if any(t in events_of for _, t in link.args):  # an event linked to an entity
                for _, t in link.args:
                    if self.is_entity(t):
                        for _, e in link.args:
                            if e in events_of:
                                self.entity_of[e] = t
                return
            self.kept_links.append(link)
            return
        free = [p for p in parts if p not in self.claimed]
        held = [p for p in parts if p in self.claimed]
        for member in free[1:]:
            self.parent[self._find(member)] = self._find(free[0])
        if free and held:
            owners = sorted({e for p in held for e in self.claimed[p]})
            if len(owners) == 1:
                self.extra_parts.setdefault(owners[0], []).extend(free)
            else:
                self._warn(link.line, f"{link.id} links {', '.join(free)} to a part shared by {', '.join(owners)}; "
                                      "left out of those quotes")
        for _, target in link.args:
            if self.is_entity(target):
                for p in parts:
                    self.entity_of[p] = target

    def _warn(self, line: int, problem: str) -> None:
        self.warnings.append(f"{self.ann_name}:{line}: {problem}")

    def quotes(self) -> list[Quote]:
        typed: dict[str, tuple[str | None, int]] = {}
        for name, target, value, line in self.parsed.attributes:
            if name.lower() in QUOTE_TYPE_ATTRIBUTES:
                typed[target] = (value, line)
        quotes: list[Quote] = []
        in_event_groups: set[str] = set()
        for event in self.events:
            members = [t for role, t in event.args if self.scheme.role(role) and t in self.tbs]
            if event.trigger in self.roles and not any(self.roles.get(m) == "cue" for m in members):
                members.append(event.trigger)  # Attribution:T3 with T3 a Cue
            elif event.trigger in self.tbs and not any(self.roles.get(m) == "cue" for m in members) and \
                    self.tbs[event.trigger].type.lower() in self.scheme.trigger_types and \
                    not self._anchors_a_part(event.trigger, members):
                members.append(event.trigger)  # the trigger has the cue's range
            for free in self.extra_parts.get(event.id, []):
                group = self._find(free)
                in_event_groups.add(group)
                members.extend(m for m in self._group_members(group) if m not in members)
            roles = {m: ("cue" if m == event.trigger and m not in self.roles else self.roles[m]) for m in members}
            quote = self._quote(event.id, event.line, members, roles, typed)
            if quote is not None:
                quotes.append(quote)
        groups: dict[str, list[str]] = {}
        for ident in self.roles:
            if ident in self.claimed:
                continue
            root = self._find(ident)
            if root not in in_event_groups:
                groups.setdefault(root, []).append(ident)
        for members in groups.values():
            line = min(self.tbs[m].line for m in members)
            quote = self._quote(None, line, members, {m: self.roles[m] for m in members}, typed)
            if quote is not None:
                quotes.append(quote)
        self.warnings.sort(key=_line_number)
        return sorted(quotes, key=lambda q: (q.start, q.end))

    def _anchors_a_part(self, trigger: str, members: list[str]) -> bool:
        """A trigger lying on a content or source of its event only anchors it (a quote without a cue)."""
        inside = [r for m in members for r in self.tbs[m].ranges]
        return all(any(s <= ts and te <= e for s, e in inside) for ts, te in self.tbs[trigger].ranges)

    def _group_members(self, root: str) -> list[str]:
        return [m for m in self.roles if m not in self.claimed and self._find(m) == root]

    def _quote(self, event: str | None, line: int, members: list[str], roles: dict[str, str],
               typed: dict[str, tuple[str | None, int]]) -> Quote | None:
        tbs = self.tbs

        def ranges(role: str) -> list[tuple[str, Range]]:
            return [(m, Range(s, e)) for m in members if roles.get(m) == role for s, e in tbs[m].ranges]

        contents, cues, sources = ranges("content"), ranges("cue"), ranges("source")
        what = event or ", ".join(f"{m} ({tbs[m].type})" for m in members)
        if not contents:
            if event:
                self._warn(line, f"{event} {self._type_of(event)} has no Content; not imported as a quote")
            else:
                self._warn(line, f"{what}: linked to no Content; not imported as a quote")
            return None
        cue = self._one_cue(cues, what, line)
        entity = next((self.entity_of[m] for m in [event, *members] if m and m in self.entity_of), None)
        if entity is None:  # a source that is itself an entity mention (Source:T9 with T9 a PER)
            entity = next((m for m, _ in sources if self.is_entity(m)), None)
        stated = next((typed[m] for m in [event, *members] if m and m in typed), None)
        content_ranges = sorted({r for _, r in contents}, key=lambda r: (r.start, r.end))
        return Quote(
            contents=tuple(content_ranges),
            cue=cue,
            sources=tuple(sorted({r for _, r in sources}, key=lambda r: (r.start, r.end))),
            entity=Range(*tbs[entity].ranges[0]) if entity else None,
            type=_quote_type(stated[0], self.ann_name, stated[1]) if stated else infer_quote_type(
                self.text, content_ranges),
            origin="imported",
        )

    def _type_of(self, event: str) -> str:
        return next((e.type for e in self.events if e.id == event), "event")

    def _one_cue(self, cues: list[tuple[str, Range]], what: str, line: int) -> Range | None:
        """A quote has one cue range: pieces separated by spaces only are joined, else the longest is kept."""
        pieces = sorted({r for _, r in cues}, key=lambda r: (r.start, r.end))
        if not pieces:
            return None
        if len(pieces) == 1:
            return pieces[0]
        gaps = zip(pieces, pieces[1:], strict=False)
        if all(a.end <= b.start and not self.text[a.end : b.start].strip() for a, b in gaps):
            return Range(pieces[0].start, pieces[-1].end)
        kept = max(reversed(pieces), key=lambda r: r.end - r.start)
        shown = " … ".join(repr(self.text[r.start : r.end]) for r in pieces)
        self._warn(line, f"{what}: the cue is in pieces ({shown}); a quote has one cue range, kept "
                         f"{self.text[kept.start : kept.end]!r}")
        return kept


def _line_number(warning: str) -> int:
    head = warning.split(": ", 1)[0]
    number = head.rpartition(":")[2]
    return int(number) if number.isdigit() else 0


def _quote_type(value: str | None, path: str, line: int) -> str:
    quote_type = (value or "direct").lower()
    if quote_type not in QUOTE_TYPES:
        raise FormatError(path, line, f"quote type must be one of {', '.join(QUOTE_TYPES)}, not {value!r}")
    return quote_type


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


def _kept_in_meta(parsed: _Ann, grouping: _Quotes) -> dict[str, list]:
    """What the ``.ann`` holds besides entities and quotes, with offsets instead of brat ids."""
    tbs = parsed.textbounds

    def where(ident: str) -> list | None:
        if ident in tbs:
            tb = tbs[ident]
            return [tb.ranges[0][0], tb.ranges[-1][1], tb.type]
        return None

    meta: dict[str, list] = {}
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
    other = [tb for tb in tbs.values() if tb.type.lower() in grouping.scheme.kept_in_meta]
    if other:
        meta["brat_other"] = [{"type": tb.type, "ranges": [list(r) for r in tb.ranges]} for tb in other]
    return meta


def parse_brat(text: str, ann: str, name: str, ann_name: str, options: ReadOptions = ReadOptions(),
               annotator: str | None = None) -> DocumentRecord:
    """The document of a brat pair (``text`` of the ``.txt``, ``ann`` of the ``.ann``).

    ``annotator`` (from a ``TEXT_NAME.ann`` file name) owns the record's spans and quotes.
    Problems a quote cannot hold are in ``record.warnings``.
    """
    parsed = _parse_ann(ann, text, ann_name)
    grouping = _Quotes(parsed, text, ann_name, load_scheme())
    quotes = grouping.quotes()
    spans = _entity_spans(parsed, grouping, ann_name)
    meta: dict = {"file": name, "format": "brat"}
    for key, items in _kept_in_meta(parsed, grouping).items():
        meta[key] = [item | {"annotator": annotator} for item in items] if annotator else items
    title = next((line.strip() for line in text.split("\n") if line.strip()), None)
    return DocumentRecord(
        text=text,
        title=title,
        language=options.language,
        meta=meta,
        spans=spans,
        quotes=quotes,
        annotator=annotator,
        location=f"{ann_name}:1",
        warnings=grouping.warnings,
    )


def _read_ann(ann: Path) -> str:
    data = ann.read_bytes()
    return "" if not data.strip() else read_text(ann)  # an empty .ann: a document without annotations


def read_brat(path: str | Path, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """The records of a brat text: one per ``.ann`` file (see the pairing rules above).

    ``path`` is the ``.txt`` (every ``.ann`` of it is read) or one ``.ann`` (only that one).
    Records of one text share its location and its ``meta`` (the ``brat_*`` items of every file).
    """
    path = Path(path)
    if path.suffix.lower() == ".ann":
        paired = text_of(path)
        if paired is None:
            base, sep, suffix = path.stem.rpartition("_")
            also = f" (nor {base}.txt for annotator {suffix!r})" if sep and base else ""
            raise FormatError(path, None, f"no {path.stem}.txt beside it or in a sibling folder{also}; "
                                          "brat needs the .txt and the .ann")
        txt, annotations = paired[0], [(path, paired[1])]
    else:
        txt, annotations = path, annotation_files_of(path)
        if not annotations:
            raise FormatError(txt, None, f"no {txt.stem}.ann beside it (brat needs the .txt and the .ann)")
    text = read_text(txt)
    records = [parse_brat(text, _read_ann(ann), str(txt), str(ann), options, annotator)
               for ann, annotator in annotations]
    if len(records) > 1:
        meta = {"file": str(txt), "format": "brat", "brat_files": [str(ann) for ann, _ in annotations]}
        for record in records:
            for key, value in record.meta.items():
                if key.startswith("brat_"):
                    meta.setdefault(key, []).extend(value)
        for record in records:
            record.meta = dict(meta)
            record.location = f"{txt}:1"
    return records
