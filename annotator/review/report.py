"""Agreement reports for people: rich tables for the terminal and a self-contained HTML page.

Both render an :class:`~annotator.review.agreement.AgreementReport`; the JSON form is
``report.to_dict()``. Article text reaches the HTML only through :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from rich.console import Console
from rich.table import Table

from annotator.review.agreement import AgreementReport, PairAgreement
from annotator.review.span_metrics import ALL, KIND_NAMES, KINDS

QUOTE_ASPECTS = ("cue", "source", "type", "entity")


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure for display: fixed decimals, or an en dash when undefined."""
    return "–" if value is None else f"{value:.{digits}f}"


def fmt_f1(scores: dict) -> str:
    """F1 of a P/R/F1 dict, or an en dash when neither side had anything (nothing to compare)."""
    return "–" if scores["tp"] + scores["fp"] + scores["fn"] == 0 else fmt(scores["f1"])


def _label_rows(pair: PairAgreement) -> list[tuple[str, dict]]:
    rows = []
    for label in [*pair.labels, ALL]:
        ex, ov = pair.exact.get(label), pair.overlap.get(label)
        if ex is None or ov is None:
            continue
        rows.append(
            (
                "all" if label == ALL else label,
                {
                    "a": ex["tp"] + ex["fn"],
                    "b": ex["tp"] + ex["fp"],
                    "exact": ex,
                    "overlap": ov,
                    "kappa": pair.kappa.get(label),
                    "alpha": pair.alpha.get(label),
                },
            )
        )
    return rows


def worst_articles(pair: PairAgreement, limit: int | None) -> list:
    """Articles with the most disagreement first (lowest exact F1, then most disagreements)."""
    rows = sorted(
        pair.articles,
        key=lambda r: (r.exact[ALL]["f1"], -sum(v for k, v in r.disagreements.items() if k != "agree"), r.doc_id),
    )
    return rows if limit is None else rows[:limit]


# -- terminal ------------------------------------------------------------------------------------


def print_report(report: AgreementReport, console: Console | None = None, articles: int = 15) -> None:
    """Print the report as rich tables: per pair (labels, disagreements, quotes, articles), then
    the pairwise matrix when there are more than two annotators."""
    console = console or Console()
    console.print(
        f"[bold]Agreement[/bold] between {', '.join(report.annotators)} on "
        f"{report.documents} article(s); Krippendorff's alpha (all annotators, token labels): "
        f"[bold]{fmt(report.alpha.get(ALL))}[/bold]"
    )
    for pair in report.pairs:
        _print_pair(console, pair, articles)
    if len(report.annotators) > 2:
        for figure, title in (("f1_exact", "F1 (exact)"), ("f1_overlap", "F1 (overlap)"), ("kappa", "Cohen's kappa")):
            table = Table(title=f"Pairwise {title}")
            table.add_column("")
            for name in report.annotators:
                table.add_column(name, justify="right")
            for name, row in zip(report.annotators, report.matrix(figure), strict=True):
                table.add_row(name, *(fmt(v) for v in row))
            console.print(table)


def _print_pair(console: Console, pair: PairAgreement, articles: int) -> None:
    console.rule(f"{pair.a} (A, reference) vs {pair.b} (B): {pair.documents} article(s), {pair.tokens} tokens")
    if not pair.documents:
        console.print("No article was annotated by both.")
        return
    table = Table(title="Entities per label", caption="= exact match, ~ overlap match; κ Cohen, α Krippendorff")
    for col in ("label", "A", "B", "P=", "R=", "F1=", "P~", "R~", "F1~", "κ", "α"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for name, r in _label_rows(pair):
        table.add_row(
            name, str(r["a"]), str(r["b"]),
            fmt(r["exact"]["precision"]), fmt(r["exact"]["recall"]), fmt(r["exact"]["f1"]),
            fmt(r["overlap"]["precision"]), fmt(r["overlap"]["recall"]), fmt(r["overlap"]["f1"]),
            fmt(r["kappa"]), fmt(r["alpha"]),
            style="bold" if name == "all" else None,
        )
    console.print(table)

    kinds = Table(title="Entity agreements and disagreements")
    for kind in KINDS:
        kinds.add_column(KIND_NAMES[kind], justify="right")
    kinds.add_row(*(str(pair.disagreements.get(k, 0)) for k in KINDS))
    console.print(kinds)

    q = pair.quotes
    if q["a"] or q["b"]:
        quotes = Table(title=f"Quotes (A {q['a']}, B {q['b']}; matched by content {q['matched']})")
        for col in ("part", "F1 exact", "F1 overlap"):
            quotes.add_column(col, justify="left" if col == "part" else "right")
        for part in ("content", "cue", "source"):
            quotes.add_row(part, fmt_f1(q[part]["exact"]), fmt_f1(q[part]["overlap"]))
        console.print(quotes)
        console.print(
            "Matched quotes agreeing on: "
            + ", ".join(f"{aspect} {fmt(q['same'][aspect])}" for aspect in ("content", *QUOTE_ASPECTS))
            + f"; quotes only in A: {q['only_a']}, only in B: {q['only_b']}"
        )

    shown = worst_articles(pair, articles)
    table = Table(title=f"Articles, most disagreement first ({len(shown)} of {pair.documents})")
    for col in ("id", "title", "tokens", "A", "B", "F1=", "F1~", "κ", "differ", "quotes differ"):
        table.add_column(col, justify="left" if col == "title" else "right", overflow="ellipsis",
                         max_width=40 if col == "title" else None)
    for row in shown:
        table.add_row(
            str(row.doc_id), row.title or "", str(row.tokens), str(row.spans_a), str(row.spans_b),
            fmt(row.exact[ALL]["f1"]), fmt(row.overlap[ALL]["f1"]), fmt(row.kappa),
            str(sum(v for k, v in row.disagreements.items() if k != "agree")), str(row.quote_disagreements),
        )
    console.print(table)


# -- HTML ----------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, "Noto Sans", "Noto Naskh Arabic", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
.kind-only_a { background: #dbeafe; } .kind-only_b { background: #fde68a; }
.kind-other_label, .kind-other_label_boundary { background: #fecaca; } .kind-boundary { background: #e9d5ff; }
details { margin: .3em 0; } summary { cursor: pointer; }
.span-text { unicode-bidi: isolate; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _num(value: float | int | None) -> str:
    if isinstance(value, int):
        return f'<td class="num">{value}</td>'
    return f'<td class="num">{_e(fmt(value))}</td>'


def _span_cell(span, text: str | None) -> str:
    if span is None:
        return "<td>–</td>"
    start, end, label = span
    snippet = f' <bdi class="span-text">{_e(text[start:end])}</bdi>' if text is not None else ""
    return f"<td>{_e(label)} [{start}, {end}){snippet}</td>"


def render_html(report: AgreementReport, texts: Mapping[int, str] | None = None) -> str:
    """The whole report as one self-contained HTML page (inline CSS, no scripts, all text escaped).

    ``texts`` maps article ids to their text, to show the words each disagreement is about.
    """
    texts = texts or {}
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Agreement: {_e(', '.join(report.annotators))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Agreement between {_e(', '.join(report.annotators))}</h1>",
        f"<p>{report.documents} article(s) annotated by at least two of them. Krippendorff's alpha "
        f"(nominal, token labels, all annotators): <b>{_e(fmt(report.alpha.get(ALL)))}</b>.</p>",
        "<p>Span figures treat A (the first of each pair) as the reference. Kappa and alpha are computed "
        "on token labels (O outside entities); per label they compare that label against everything else. "
        "A dash marks an undefined figure (a single label throughout).</p>",
    ]
    if len(report.annotators) > 2:
        out.append("<h2>Pairwise matrix</h2>")
        for figure, title in (("f1_exact", "F1 (exact)"), ("f1_overlap", "F1 (overlap)"), ("kappa", "Cohen's kappa"),
                              ("alpha", "Krippendorff's alpha")):
            out.append(f"<table><caption>{_e(title)}</caption><tr><th></th>")
            out.extend(f"<th>{_e(name)}</th>" for name in report.annotators)
            out.append("</tr>")
            for name, row in zip(report.annotators, report.matrix(figure), strict=True):
                out.append(f"<tr><th>{_e(name)}</th>" + "".join(_num(v) for v in row) + "</tr>")
            out.append("</table>")
    for pair in report.pairs:
        out.extend(_pair_html(pair, texts))
    out.append("</body></html>")
    return "\n".join(out)


def _pair_html(pair: PairAgreement, texts: Mapping[int, str]) -> list[str]:
    out = [f"<h2>{_e(pair.a)} (A) vs {_e(pair.b)} (B)</h2>",
           f"<p>{pair.documents} article(s), {pair.tokens} tokens.</p>"]
    if not pair.documents:
        return out + ["<p>No article was annotated by both.</p>"]
    out.append("<h3>Entities per label</h3><table><tr>")
    out.extend(f"<th>{_e(c)}</th>" for c in ("label", "A", "B", "P exact", "R exact", "F1 exact", "P overlap",
                                              "R overlap", "F1 overlap", "kappa", "alpha"))
    out.append("</tr>")
    for name, r in _label_rows(pair):
        cls = ' class="total"' if name == "all" else ""
        out.append(
            f"<tr{cls}><td>{_e(name)}</td>" + _num(r["a"]) + _num(r["b"])
            + "".join(_num(r[m][k]) for m in ("exact", "overlap") for k in ("precision", "recall", "f1"))
            + _num(r["kappa"]) + _num(r["alpha"]) + "</tr>"
        )
    out.append("</table><h3>Agreements and disagreements</h3><table><tr>")
    out.extend(f'<th class="kind-{k}">{_e(KIND_NAMES[k])}</th>' for k in KINDS)
    out.append("</tr><tr>" + "".join(_num(pair.disagreements.get(k, 0)) for k in KINDS) + "</tr></table>")

    q = pair.quotes
    out.append(f"<h3>Quotes</h3><p>A {q['a']}, B {q['b']}, matched by content {q['matched']}, "
               f"identical {q['agree']}, only in A {q['only_a']}, only in B {q['only_b']}.</p>")
    out.append("<table><tr><th>part</th><th>F1 exact</th><th>F1 overlap</th></tr>")
    for part in ("content", "cue", "source"):
        out.append(f"<tr><td>{part}</td><td class=\"num\">{fmt_f1(q[part]['exact'])}</td>"
                   f"<td class=\"num\">{fmt_f1(q[part]['overlap'])}</td></tr>")
    out.append("</table><table><tr><th>matched quotes agreeing on</th>"
               + "".join(f"<th>{a}</th>" for a in ("content", *QUOTE_ASPECTS)) + "</tr><tr><td></td>"
               + "".join(_num(q["same"][a]) for a in ("content", *QUOTE_ASPECTS)) + "</tr></table>")

    out.append("<h3>Articles, most disagreement first</h3><table><tr>")
    out.extend(f"<th>{_e(c)}</th>" for c in ("id", "title", "tokens", "A", "B", "F1 exact", "F1 overlap", "kappa",
                                              *(KIND_NAMES[k] for k in KINDS[1:]), "quote disagreements"))
    out.append("</tr>")
    for row in worst_articles(pair, None):
        out.append(
            f'<tr><td class="num">{row.doc_id}</td><td dir="auto">{_e(row.title or "")}</td>'
            + _num(row.tokens) + _num(row.spans_a) + _num(row.spans_b)
            + _num(row.exact[ALL]["f1"]) + _num(row.overlap[ALL]["f1"]) + _num(row.kappa)
            + "".join(_num(row.disagreements.get(k, 0)) for k in KINDS[1:])
            + _num(row.quote_disagreements) + "</tr>"
        )
    out.append("</table><h3>Disagreements by article</h3>")
    for row in worst_articles(pair, None):
        if not row.items and not row.quote_items:
            continue
        text = texts.get(row.doc_id)
        out.append(f'<details><summary>#{row.doc_id} <bdi>{_e(row.title or "")}</bdi>: '
                   f"{len(row.items)} entity and {len(row.quote_items)} quote disagreement(s)</summary><table>"
                   f"<tr><th>kind</th><th>A ({_e(pair.a)})</th><th>B ({_e(pair.b)})</th></tr>")
        for kind, sa, sb in row.items:
            out.append(f'<tr class="kind-{kind}"><td>{_e(KIND_NAMES[kind])}</td>'
                       + _span_cell(sa, text) + _span_cell(sb, text) + "</tr>")
        for what, qa, qb in row.quote_items:
            cells = "".join(_span_cell((r[0], r[1], "quote") if r else None, text) for r in (qa, qb))
            label = what if what.startswith("only") else f"quote differs: {what}"
            out.append(f"<tr><td>{_e(label)}</td>{cells}</tr>")
        out.append("</table></details>")
    return out
