"""Arabic and Latin at the same visual size in the interface (lists, tables, cards).

At one point size, Noto Naskh Arabic's letters are much smaller than Noto Sans' Latin
letters (the body of ``م``, ``و``, ``س`` is about two thirds of the Latin x-height). Text in
Arabic script gets the shipped Naskh font, scaled by the ratio of the two measured on the
fonts themselves, so an Arabic name in the entity table reads as large as an English one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QGuiApplication

from annotator.core.labels import RESOURCES

FONTS_DIR = RESOURCES / "fonts"
UI_FAMILIES = ["Noto Sans", "Noto Naskh Arabic", "DejaVu Sans"]
ARABIC_FAMILIES = ["Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans"]
LATIN_FAMILIES = ["Noto Sans", "DejaVu Sans"]
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_BODY = ("ممم", "ووو", "سسس")  # Arabic letters without ascenders: their height is the "x-height"
MAX_SCALE = 1.6

_loaded_fonts: dict[str, list[str]] | None = None


def load_shipped_fonts() -> dict[str, list[str]]:
    """Register every font file of ``resources/fonts`` with Qt (once); file name -> families."""
    global _loaded_fonts
    if _loaded_fonts is None:
        loaded: dict[str, list[str]] = {}
        for path in sorted(FONTS_DIR.glob("*.ttf")) + sorted(FONTS_DIR.glob("*.otf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            loaded[path.name] = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _loaded_fonts = loaded
    return _loaded_fonts


def ui_font(point_size: float | None = None) -> QFont:
    """The interface font: Noto Sans for Latin text, Noto Naskh Arabic for Arabic titles and labels."""
    load_shipped_fonts()
    font = QFont(QGuiApplication.font())
    font.setFamilies(UI_FAMILIES)
    if point_size:
        font.setPointSizeF(point_size)
    return font


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text or ""))


@lru_cache(maxsize=1)
def arabic_scale() -> float:
    """How much larger Arabic must be set to match the Latin x-height (measured once)."""
    load_shipped_fonts()
    latin, arabic = QFont(), QFont()
    latin.setFamilies(LATIN_FAMILIES)
    arabic.setFamilies(ARABIC_FAMILIES)
    for font in (latin, arabic):
        font.setPointSizeF(40)
    x_height = QFontMetricsF(latin).tightBoundingRect("xxxx").height()
    metrics = QFontMetricsF(arabic)
    body = max(-metrics.tightBoundingRect(word).top() for word in _BODY)
    if body <= 0 or x_height <= 0:
        return 1.0
    return max(1.0, min(MAX_SCALE, x_height / body))


def arabic_font(base: QFont) -> QFont:
    """``base`` with the Arabic families first, scaled to the Latin x-height of ``base``."""
    font = QFont(base)
    font.setFamilies(ARABIC_FAMILIES + LATIN_FAMILIES)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * arabic_scale())
    return font


def font_for(text: str, base: QFont) -> QFont:
    """The font to show ``text`` in: scaled Naskh when it is in Arabic script, else ``base``."""
    return arabic_font(base) if has_arabic(text) else base
