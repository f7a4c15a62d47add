"""What both record loaders (YAML and JSON) share: the limits that keep a hostile file from
exhausting memory or time, the range of numbers a record may hold, and JSON paths.

The number range exists because every later step does arithmetic on amounts: a literal such
as `1e999999999` or an integer of 5 000 digits would overflow `decimal`, hit Python's limit
on integer digits, or be rounded silently by `Decimal.normalize()` (28 significant digits).
Refusing it while loading names the file and line; nothing downstream ever sees it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_FILE_BYTES = 2 * 1024 * 1024  # ~7 000 claims: ample for hand-written records, validated in seconds
MAX_DEPTH = 64
MAX_NODES = 2_000_000  # values after alias expansion; a record is ~30
MAX_DIGITS = 28  # significant digits: what Decimal's default context keeps exactly
MAX_EXPONENT = 100  # |adjusted exponent|: 1e100 is far beyond any amount a page states
# A quote (with its prefix and suffix) is a passage, not a page: the longest in the dataset is
# 649 characters, its longest source line 1 448. Each quote is read for numbers and dates, so
# one record file's quotes may state MAX_FIGURES in all (a real file states a few per record):
# past that, time would grow with what a hostile file repeats, not with what it says.
MAX_QUOTE_CHARS = 5_000
MAX_FIGURES = 100_000
SQL_SECONDS = 3.0  # what one query may take: the site's, and reading a database made elsewhere

PathKey = tuple[str | int, ...]


def json_path(key: PathKey) -> str:
    """`('claims', 3, 'value')` -> `$.claims[3].value`."""
    out = "$"
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


class NumberOutOfRange(ValueError):
    """A number literal the toolkit cannot hold exactly; `literal` is the text written."""

    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal

    def describe(self) -> str:
        shown = self.literal if len(self.literal) <= 40 else self.literal[:37] + "..."
        return (
            f"number {shown} is out of range: a number may have at most {MAX_DIGITS} significant "
            f"digits and a magnitude between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT}; "
            "write the amount the source states, or put it in quotes if it is text"
        )


def parse_int(literal: str) -> int:
    """An integer literal as int, within the range a Decimal keeps exactly."""
    if len(literal) < 19:  # the common case: no leading zeros or digits to worry about
        return int(literal)
    body = literal.lstrip("+-").lstrip("0")
    if len(body) > MAX_EXPONENT + 1 or len(body.rstrip("0")) > MAX_DIGITS:
        raise NumberOutOfRange(literal)
    value = int(body or "0")  # leading zeros dropped: they count against Python's digit limit
    return -value if literal.startswith("-") else value


def parse_decimal(literal: str) -> Decimal:
    """A number with a fraction or exponent as an exact Decimal, within the range above."""
    if len(literal) > MAX_DIGITS + MAX_EXPONENT + 8:  # never hand a huge text to Decimal
        raise NumberOutOfRange(literal)
    try:
        value = Decimal(literal)
    except (InvalidOperation, ValueError):  # an exponent beyond what decimal can represent
        raise NumberOutOfRange(literal) from None
    if not value.is_finite():
        raise NumberOutOfRange(literal)
    if value:
        digits = "".join(map(str, value.as_tuple().digits)).strip("0")
        if len(digits) > MAX_DIGITS or abs(value.adjusted()) > MAX_EXPONENT:
            raise NumberOutOfRange(literal)
    return value
