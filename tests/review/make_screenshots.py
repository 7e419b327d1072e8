"""Screenshots of the review window on the seed article, for the README and docs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.review.make_screenshots

Amira's and Bilal's sets come from :mod:`tests.review.builders` (Bilal's is a changed copy
of Amira's with every kind of disagreement). Writes ``docs/screenshots/review-*.png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from annotator.store import Corpus
    from annotator.ui.app import make_application
    from annotator.ui.review_window import ReviewWindow
    from tests.review.builders import A, B, build_review_corpus

    app = make_application()
    text = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.db"
        with Corpus.open(path) as corpus:
            build_review_corpus(corpus, text)
        window = ReviewWindow(path, A, B, "lead")
        window.resize(1500, 900)
        window.show()
        window.activateWindow()
        deadline = 200
        while window.corpus_report is None and deadline:
            app.processEvents()
            QTest.qWait(50)
            deadline -= 1
        # Settle two items so the grey "settled" colour shows, then go to the boundary one.
        window.decide("b")  # headline: ORG | MISC -> take B
        app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "review-merged.png"))
        window.toggle_side_by_side()
        app.processEvents()
        window.grab().save(str(OUT / "review-side-by-side.png"))
        window.toggle_side_by_side()
        QTest.keyClick(window, Qt.Key.Key_E)
        app.processEvents()
        window.grab().save(str(OUT / "review-edit-by-hand.png"))
        window.close()
    print(f"wrote {', '.join(p.name for p in sorted(OUT.glob('review-*.png')))} to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
