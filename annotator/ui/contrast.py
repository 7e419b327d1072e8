"""Readable colours: WCAG contrast ratios and a text colour that stays readable on a background.

Qt-free (colours are ``#rrggbb`` strings), so the rule is tested without widgets. Role
colours (a quote's source in green, its cue in red) are darkened, keeping their hue, until
they reach :data:`READABLE` against whatever lies under the text: the page, or an entity's
background.
"""

from __future__ import annotations

READABLE = 4.5  # WCAG AA for normal text


def _channels(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in channels)


def luminance(color: str) -> float:
    """Relative luminance (WCAG 2.x) of ``#rrggbb``."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def blend(color: str, background: str, alpha: float) -> str:
    """``color`` drawn with opacity ``alpha`` over ``background``."""
    top, bottom = _channels(color), _channels(background)
    return _hex(tuple(alpha * t + (1 - alpha) * b for t, b in zip(top, bottom, strict=True)))  # type: ignore[arg-type]


def readable_on(color: str, background: str, minimum: float = READABLE) -> str:
    """``color``, darkened (or lightened on a dark background) just enough to read on ``background``."""
    if contrast(color, background) >= minimum:
        return color
    toward = "#000000" if luminance(background) > 0.18 else "#ffffff"
    lo, hi = 0.0, 1.0  # how far towards black (or white)
    for _ in range(14):
        mid = (lo + hi) / 2
        if contrast(blend(toward, color, mid), background) >= minimum:
            hi = mid
        else:
            lo = mid
    return blend(toward, color, hi)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (label tags, label buttons)."""
    return "#1f1f1f" if contrast("#1f1f1f", background) >= contrast("#ffffff", background) else "#ffffff"
