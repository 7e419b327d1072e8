"""Documents are stored with the language lingua finds among their script's languages, and exported with it."""

from __future__ import annotations

import json

from spacy.util import load_config

from annotator.formats.importer import import_paths
from annotator.formats.selection import Selection
from annotator.formats.spacy_writer import export_spacy

SPANISH = ("El Gobierno aprobó este martes el proyecto de ley de presupuestos, que será debatido en el Congreso "
           "durante las próximas semanas, según fuentes del Ministerio de Hacienda. La oposición anunció que "
           "presentará enmiendas a la totalidad.")
PORTUGUESE = ("O Governo aprovou nesta terça-feira o projeto de lei do orçamento, que será debatido no Congresso "
              "nas próximas semanas, segundo fontes do Ministério da Fazenda. A oposição anunciou que vai apresentar "
              "emendas ao texto.")
SWAHILI = ("Serikali imeidhinisha leo muswada wa bajeti ambao utajadiliwa bungeni katika wiki zijazo, kwa mujibu "
           "wa vyanzo vya Wizara ya Fedha. Wabunge wa upinzani wamesema watawasilisha marekebisho yao kesho.")


def write_records(path, texts):
    with path.open("w", encoding="utf-8") as out:
        for text in texts:
            first = text.split()[1]
            start = text.index(first)
            record = {"text": text, "annotator": "amira", "meta": {"status": "done"},
                      "spans": [{"start": start, "end": start + len(first), "label": "ORG"}]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def languages(corpus):
    return sorted(corpus.document(i).language for i in corpus.document_ids())


def test_latin_script_articles_are_stored_with_their_own_language(corpus, tmp_path):
    summary = import_paths(corpus, [write_records(tmp_path / "news.jsonl", [SPANISH, PORTUGUESE, SWAHILI])])
    assert summary.errors == []
    assert languages(corpus) == ["es", "pt", "sw"]


def test_lang_still_overrides_detection(corpus, tmp_path):
    import_paths(corpus, [write_records(tmp_path / "news.jsonl", [SPANISH, PORTUGUESE])], language="en")
    assert languages(corpus) == ["en", "en"]


def test_export_trains_a_pipeline_of_the_articles_language(corpus, tmp_path):
    import_paths(corpus, [write_records(tmp_path / "es.jsonl", [SPANISH, SPANISH.replace("martes", "lunes")])])
    summary = export_spacy(corpus, tmp_path / "es", Selection(dev=0.5))
    assert summary.language == "es"
    assert load_config(tmp_path / "es" / "config.cfg")["nlp"]["lang"] == "es"


def test_a_language_spacy_does_not_have_is_stored_as_such_and_trained_as_xx(corpus, tmp_path):
    import_paths(corpus, [write_records(tmp_path / "sw.jsonl", [SWAHILI, SWAHILI.replace("leo", "jana")])])
    assert languages(corpus) == ["sw", "sw"]
    summary = export_spacy(corpus, tmp_path / "sw", Selection(dev=0.5))
    assert summary.languages == {"sw": 2}
    assert load_config(tmp_path / "sw" / "config.cfg")["nlp"]["lang"] == "xx"


def test_a_conll_file_is_detected_once_as_a_whole(corpus, tmp_path):
    """Its articles are single sentences, too short to detect one by one: the file decides."""
    sentences = [
        "El Gobierno aprobó ayer el presupuesto .", "La oposición votó en contra .",
        "El ministro de Hacienda defendió las cuentas ante el Congreso .", "Las comunidades autónomas piden más fondos .",
    ]
    path = tmp_path / "es.conll"
    path.write_text("\n\n".join("\n".join(f"{w} O" for w in s.split()) for s in sentences) + "\n", encoding="utf-8")
    assert import_paths(corpus, [path]).errors == []
    assert languages(corpus) == ["es"] * 4
