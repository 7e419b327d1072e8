"""Files that are not annotation data are refused with what they look like, and never stored as an article."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from annotator.formats.importer import import_paths

HTML = """<!DOCTYPE html>
<html lang="en"><head><title>CoNLL-2003 - Page not found</title></head>
<body><h1>404</h1><p>The file eng.train has moved.</p></body></html>
"""


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "#FORMAT=WebAnno TSV 3.3\n")
    return buffer.getvalue()


CASES = [
    ("eng.train", HTML.encode(), "this is an HTML page, not annotation data"),
    ("page.txt", b"\n  <!-- saved -->\n<HTML><BODY>text</BODY></HTML>", "this is an HTML page, not annotation data"),
    ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "this is a PDF document, not annotation data"),
    ("report.docx", zip_bytes("[Content_Types].xml", "word/document.xml"),
     "this is a ZIP archive without annotation files (an Office document?), not annotation data"),
    ("corpus.conll", gzip.compress(b"EU B-ORG\n"), "this is a gzip-compressed file (decompress it first), not "
                                                   "annotation data"),
    ("scan.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a PNG image, not annotation data"),
    ("feed.train", b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>',
     "this is an XML file (root element <rss>), not annotation data annotator reads (UIMA CAS XMI is)"),
    ("TypeSystem.xmi", b'<?xml version="1.0" encoding="UTF-8"?>\n<typeSystemDescription '
                       b'xmlns="http://uima.apache.org/resourceSpecifier"><types/></typeSystemDescription>',
     "this is a UIMA type system; import the .xmi files beside it (their types are read from it)"),
    ("old.tsv", b" # de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity | value\n#id=1\n#text=EU\n1-1\tEU\tB-ORG\n",
     "this is WebAnno TSV 2 (an older format); export the project again as WebAnno TSV 3.3"),
]


@pytest.mark.parametrize("name, data, problem", CASES, ids=[c[0] for c in CASES])
def test_refused_with_what_the_file_looks_like(corpus, tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    summary = import_paths(corpus, [path])
    assert summary.errors == [f"{path}: {problem}"]
    assert summary.files_failed == 1 and corpus.document_ids() == []


def test_a_tab_separated_table_is_not_taken_for_an_article(corpus, tmp_path):
    path = tmp_path / "scores.tsv"
    path.write_text("model\tprecision\trecall\nbase\t0.81\t0.77\n", encoding="utf-8")
    summary = import_paths(corpus, [path])
    assert summary.errors == [
        f"{path}:1: a tab-separated file that is neither WebAnno TSV 3.x ('#FORMAT=WebAnno TSV 3.3' first) nor "
        "CoNLL ('token<TAB>TAG' lines); not annotation data annotator reads"
    ]
    assert corpus.document_ids() == []


def test_articles_that_mention_html_are_still_articles(corpus, tmp_path):
    path = tmp_path / "article.txt"
    text = "How to write <html> by hand\nThe <body> element holds the page; <!DOCTYPE html> comes first.\n"
    path.write_text(text, encoding="utf-8")
    summary = import_paths(corpus, [path])
    assert summary.errors == [] and summary.documents_new == 1


def test_a_tsv_of_tokens_and_tags_is_conll(corpus, tmp_path):
    path = tmp_path / "ner.tsv"
    path.write_text("EU\tB-ORG\nrejects\tO\nGerman\tB-MISC\n", encoding="utf-8")
    summary = import_paths(corpus, [path], allow_new_labels=True)
    assert summary.errors == [] and summary.spans == 2
