"""A corpus's own dev file as the dev split (ANERcorp's dev_data.txt), instead of a drawn fraction."""

from __future__ import annotations

from click.testing import CliRunner

from annotator.cli.commands.train import parse_settings
from annotator.formats.importer import import_paths
from annotator.formats.selection import Selection
from annotator.formats.spacy_writer import export_spacy

TRAIN = "Obama B-PER\nmet O\nPutin B-PER\n\nKerry B-PER\nflew O\nto O\nParis B-LOC\n\nMerkel B-PER\nspoke O\n"
DEV = "Lavrov B-PER\nvisited O\nRome B-LOC\n"


def test_documents_imported_from_the_dev_file_are_the_dev_split(corpus, tmp_path):
    (tmp_path / "train_data.txt").write_text(TRAIN, encoding="utf-8")
    (tmp_path / "dev_data.txt").write_text(DEV, encoding="utf-8")
    summary = import_paths(corpus, [tmp_path / "train_data.txt", tmp_path / "dev_data.txt"], annotator="amira",
                           language="en")
    assert summary.ok, summary.errors
    for doc_id in corpus.document_ids():
        corpus.set_status(doc_id, "amira", "done")
    by_text = {corpus.document(i).text: i for i in corpus.document_ids()}

    export = export_spacy(corpus, tmp_path / "out", Selection(dev_files=("dev_data.txt",)))
    assert export.split_documents["dev"] == [by_text["Lavrov visited Rome"]]
    assert sorted(export.split_documents["train"]) == sorted(
        by_text[t] for t in ("Obama met Putin", "Kerry flew to Paris", "Merkel spoke"))
    # The full path as given on import names the same file.
    again = export_spacy(corpus, tmp_path / "out2", Selection(dev_files=(str(tmp_path / "dev_data.txt"),)))
    assert again.split_documents == export.split_documents


def test_train_settings_are_read_as_json_when_they_are_json():
    assert parse_settings(("components.tok2vec.model.encode.width=128", "training.dropout=0.2",
                           "components.tok2vec.model.embed.rows=[5000, 1000]", "training.optimizer.x=adam")) == {
        "components.tok2vec.model.encode.width": 128, "training.dropout": 0.2,
        "components.tok2vec.model.embed.rows": [5000, 1000], "training.optimizer.x": "adam"}


def test_a_setting_without_a_dotted_key_is_refused(corpus_path):
    from annotator.cli.main import main

    result = CliRunner().invoke(main, ["train", "--db", str(corpus_path), "--set", "width=128"])
    assert result.exit_code == 2 and "expected SECTION.KEY=VALUE" in result.output
