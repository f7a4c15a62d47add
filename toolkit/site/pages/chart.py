"""A small inline SVG bar chart of a property's values: one bar per value, labelled with its
subject and time, its value in words at the end and its source under it; each bar links to its
fact. Drawn on the server as plain SVG: no script, nothing from the network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

# viewBox units, about a phone's width, so its 12-unit text reads at 12–16 px whether the
# stylesheet shows it 360 or 420 pixels wide.
WIDTH = 320
BAR_SPACE = 170  # the longest bar; the value in words follows it
ROW = 46
LABEL_CHARS, SOURCE_CHARS = 46, 60
ORDINAL_UNITS = ("rank", "edition", "ordinal")  # a bar's length would mislead: 1st is best


def comparable(value_type: str | None, units: Sequence[str | None], amounts: int) -> bool:
    """Values a bar chart compares honestly: quantities, all in one unit that is not an
    ordinal, at least two of them."""
    return (
        value_type == "quantity" and len(set(units)) == 1 and units[0] not in ORDINAL_UNITS and amounts >= 2
    )


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _bounds(values: Sequence[dict[str, Any]]) -> tuple[float, float]:
    numbers = [float(v[k]) for v in values for k in ("amount", "lower", "upper") if v.get(k) is not None]
    return min(0.0, *numbers), max(0.0, *numbers)


def bars(values: Sequence[dict[str, Any]], title: str) -> Markup:
    """The chart of `values` (each: id, label, time, amount, lower, upper, words, source), titled:
    per value its subject, the bar and the value in words, then when and the source."""
    low, high = _bounds(values)
    span = (high - low) or 1.0

    def x(number: float) -> float:
        return round(BAR_SPACE * (number - low) / span, 1)

    zero = x(0.0)
    parts = []
    for i, v in enumerate(values):
        top = i * ROW
        amount = float(v["amount"])
        start, end = sorted((zero, x(amount)))
        when = v.get("time") or ""
        tip = f"{v['label']}{', ' + when if when else ''}: {v['words']}. Source: {v['source']}"
        under = f"{when} · {v['source']}" if when else v["source"]
        ranged = ""
        if v.get("lower") is not None and v.get("upper") is not None:
            a, b = x(float(v["lower"])), x(float(v["upper"]))
            ranged = f'<rect class="range" x="{a}" y="{top + 16}" width="{max(b - a, 1)}" height="12"/>'
        parts.append(
            f'<a href="/claim/{escape(v["id"])}"><title>{escape(tip)}</title>'
            f'<text class="label" x="0" y="{top + 11}">{escape(_cut(v["label"], LABEL_CHARS))}</text>'
            f"{ranged}"
            f'<rect class="bar" x="{start}" y="{top + 16}" width="{max(end - start, 1)}" height="12"/>'
            f'<text class="value" x="{max(end, x(float(v.get("upper") or amount))) + 5}" '
            f'y="{top + 26}">{escape(v["words"])}</text>'
            f'<text class="source" x="0" y="{top + 40}">{escape(_cut(under, SOURCE_CHARS))}</text></a>'
        )
    height = len(values) * ROW
    axis = f'<line class="axis" x1="{zero}" y1="12" x2="{zero}" y2="{height - 14}"/>'
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-title">'
        f'<title id="chart-title">{escape(title)}</title>{axis}{"".join(parts)}</svg>'
    )
