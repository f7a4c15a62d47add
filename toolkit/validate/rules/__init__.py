"""The rule registry: one module per family of rules, run in this order. Each module
declares its problem codes as data (`CODES`) and implements the hooks `toolkit.validate.rules.base`
describes. Adding a rule is one module, one line here, and one example folder under
tests/examples/invalid/."""

from __future__ import annotations

from types import ModuleType

from toolkit.validate.rules import (
    conflicts,
    evidence,
    identity,
    loading,
    names,
    placeholders,
    schema,
    sources,
    statements,
    values,
    wording,
)
from toolkit.validate.rules.base import ALL_CODES, Code

# The order rules run in: loading, schema and placeholders while a file is read, then identity (ids and
# references), sources (their texts), values, evidence (with the values' quote checks), names
# and conflicts over the whole project.
RULES: tuple[ModuleType, ...] = (
    loading,
    schema,
    placeholders,
    identity,
    sources,
    values,
    wording,
    statements,
    evidence,
    names,
    conflicts,
)

# The summary parts the cache keeps, by type name: each module that summarises has one.
PARTS: dict[str, type] = {m.PART.__name__: m.PART for m in RULES if hasattr(m, "PART")}


def codes() -> list[Code]:
    """Every registered code, in registry order."""
    order = {module.__name__.rsplit(".", 1)[-1]: i for i, module in enumerate(RULES)}
    return sorted(ALL_CODES.values(), key=lambda c: (order.get(c.family, len(order)), c.slug))


def rule_table() -> str:
    """The README's table of problem codes, generated from the registry."""
    lines = [
        "| code | family | severity | what it means | how to fix |",
        "|---|---|---|---|---|",
    ]
    for code in codes():
        cells = [f"`{code.slug}`", code.family, code.severity.value, code.description, code.hint]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


__all__ = ["PARTS", "RULES", "codes", "rule_table"]
