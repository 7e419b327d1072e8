"""The whole-quote figures of ``annotator evaluate`` as a table (shared by the benchmark's printout)."""

from __future__ import annotations

from rich.table import Table


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def attribution_table(system: str, whole: dict) -> Table:
    """Rows: content by overlap and exact, cue and source (exact, overlap); then type and source
    accuracy on the matched quotes (the source by overlap / exact)."""
    accuracy = whole["source_accuracy"]
    table = Table(title=f"whole quotes — {system} (gold {whole['gold']}, predicted {whole['pred']})",
                  caption=f"exact: quote marks, punctuation and spaces at the edges ignored; "
                          f"{accuracy['quotes']} matched quotes have a gold source")
    for column in ("measure", "tp", "fp", "fn", "P", "R", "F1"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    names = {"content_overlap": "content, overlap", "content_exact": "content, exact", "cue_exact": "cue, exact",
             "cue_overlap": "cue, overlap", "source_exact": "source, exact", "source_overlap": "source, overlap"}
    for key, name in names.items():
        s = whole[key]
        table.add_row(name, str(s["tp"]), str(s["fp"]), str(s["fn"]), _pct(s["precision"]), _pct(s["recall"]),
                      _pct(s["f1"]))
    table.add_row("type right (matched)", "", "", "", "", "", _pct(whole["type_accuracy"]))
    table.add_row("source right (matched)", "", "", "", "", "",
                  f"{_pct(accuracy['overlap'])} / {_pct(accuracy['exact'])}")
    return table
