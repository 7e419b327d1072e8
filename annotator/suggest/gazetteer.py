"""Entity suggestions from name lists: ``resources/gazetteers/<lang>.json`` plus CLDR territory names.

The shipped lists hold people, organisations, cities, places and groups that news in the language
mentions often. Country and territory names come from CLDR through Babel
(``babel.Locale(lang).territories``), in the document's language: two-letter codes are states or
territories (GPE), numeric codes are world regions (LOC), and the UN/EU codes are organisations.
"""

from __future__ import annotations

import json
from pathlib import Path

import babel
from spacy.language import Language
from spacy.tokens import Doc

from annotator.suggest.base import GAZETTEER_RESOURCES, file_fingerprint, fingerprint, put_suggestions
from annotator.suggest.name_matcher import NameMatcher

CODE_VERSION = "1"
# CLDR codes with a label other than GPE; None leaves the name out ("العالم"/"World" is a common word).
CLDR_LABELS = {"UN": "ORG", "EU": "ORG", "EZ": "LOC", "QO": "LOC", "ZZ": None, "001": None}
LIST_SCORE = 0.9
CLDR_SCORE = 0.85


def cldr_territories(lang: str) -> list[tuple[str, str]]:
    """``(name, label)`` for every territory CLDR names in ``lang`` (empty when Babel has no locale)."""
    try:
        locale = babel.Locale.parse(lang)
    except (ValueError, babel.UnknownLocaleError):
        return []
    out = []
    for code, name in locale.territories.items():
        label = CLDR_LABELS.get(code, "LOC" if code.isdigit() else "GPE")
        if label is None:
            continue
        name = name.split(" (")[0].strip()  # "هونغ كونغ الصينية (منطقة إدارية خاصة)"
        if name:
            out.append((name, label))
    return out


def load_gazetteer(path: Path) -> list[tuple[str, str]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [(name, label) for label, names in data.items() if isinstance(names, list) for name in names]


class GazetteerSuggester:
    """spaCy component: names from lists and CLDR, matched clitic-aware on token boundaries."""

    def __init__(self, nlp: Language, name: str, paths: list[str], cldr: bool):
        self.name = name
        files = [Path(p) for p in paths] or [p for p in [GAZETTEER_RESOURCES / f"{nlp.lang}.json"] if p.exists()]
        self.matcher = NameMatcher(nlp)
        # Lists first: a name listed by hand keeps its label over CLDR's (both are indexed).
        for f in files:
            for entry, label in load_gazetteer(f):
                self.matcher.add(entry, label, LIST_SCORE)
        territories = cldr_territories(nlp.lang) if cldr else []
        for entry, label in territories:
            self.matcher.add(entry, label, CLDR_SCORE)
        self.version = f"gazetteer-{CODE_VERSION}+{fingerprint([file_fingerprint(f) for f in files], babel.__version__ if cldr else None, nlp.lang)}"

    def __call__(self, doc: Doc) -> Doc:
        put_suggestions(doc, self.name, self.matcher.match(doc, self.name))
        return doc


@Language.factory("annotator_gazetteer", default_config={"paths": [], "cldr": True})
def make_gazetteer_suggester(nlp: Language, name: str, paths: list[str], cldr: bool) -> GazetteerSuggester:
    """``paths``: gazetteer JSON files (default: the shipped one for the pipeline's language)."""
    return GazetteerSuggester(nlp, name, paths, cldr)
