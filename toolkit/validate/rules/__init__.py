"""The rule registry: one module per family of rules, run in this order. Each module
declares its problem codes as data (`CODES`) and implements some of the hooks `HOOKS`
names, which are checked when the module registers (as pluggy checks implementations against
their specs): a misspelt hook, a hook with the wrong parameters, codes of another family or a
summary without its part type are refused at import, never silently skipped at run time.

Adding a rule is one module, one line here, and one example folder under
tests/examples/invalid/ (see ARCHITECTURE.md)."""

from __future__ import annotations

import inspect
from types import ModuleType

from toolkit.validate import loading, schema
from toolkit.validate.rule import ALL_CODES, Code
from toolkit.validate.rules import (
    captions,
    conflicts,
    dates,
    evidence,
    figures,
    identity,
    names,
    placeholders,
    relations,
    sources,
    statements,
    values,
    wording,
)

# Each hook a rule module may implement, with its parameters (see toolkit.validate.rule):
HOOKS: dict[str, tuple[str, ...]] = {
    "summarise": ("ctx", "entries"),  # -> its part of the file's summary (cached with the file)
    "check_record": ("ctx", "entry"),  # one valid record, nothing outside it
    "check_quoted": ("ctx", "entry", "quoted"),  # a record whose quotes were found
    "check": ("ctx",),  # the whole project, over the summaries
}
_HOOK_LIKE = ("check", "summar")


class InvalidRule(TypeError):
    """A rule module that does not match the hook specs."""


def _problems(module: ModuleType) -> list[str]:
    family = module.__name__.rsplit(".", 1)[-1]
    codes = getattr(module, "CODES", None)
    wrong = []
    if not isinstance(codes, tuple) or not codes or not all(isinstance(c, Code) for c in codes):
        wrong.append("CODES must be the non-empty tuple declare() returns")
    elif any(c.family != family for c in codes):
        wrong.append(f"its codes must be declared for the family {family!r}")
    for name, value in vars(module).items():
        if not callable(value) or name.startswith("_") or getattr(value, "__module__", "") != module.__name__:
            continue
        if name in HOOKS:
            params = tuple(inspect.signature(value).parameters)
            if params != HOOKS[name]:
                wrong.append(f"{name}{params} must take {HOOKS[name]}")
        elif name.startswith(_HOOK_LIKE) and not isinstance(value, type):
            wrong.append(f"{name} looks like a hook but is none of {', '.join(HOOKS)}")
    if hasattr(module, "summarise") != hasattr(module, "PART"):
        wrong.append("summarise and PART (the summary part's type) go together")
    if not any(hasattr(module, hook) for hook in HOOKS):
        wrong.append(f"it implements none of the hooks {', '.join(HOOKS)}")
    return wrong


def register(*modules: ModuleType) -> tuple[ModuleType, ...]:
    """Check each module against the hook specs; raises InvalidRule naming what is wrong."""
    for module in modules:
        wrong = _problems(module)
        if wrong:
            raise InvalidRule(f"rule module {module.__name__}: " + "; ".join(wrong))
    return modules


# The order rules run in: placeholders while a file is read, then identity (ids and
# references), sources (their texts), captions, dates, values, evidence (with the values' quote checks), names
# and conflicts over the whole project.
RULES: tuple[ModuleType, ...] = register(
    placeholders,
    identity,
    sources,
    captions,
    dates,
    values,
    figures,
    wording,
    statements,
    evidence,
    names,
    relations,
    conflicts,
)
# Families whose codes the engine raises itself (reading a file, its schema), listed first.
ENGINE_FAMILIES: tuple[ModuleType, ...] = (loading, schema)

# The summary parts the cache keeps, by type name: each module that summarises has one.
PARTS: dict[str, type] = {m.PART.__name__: m.PART for m in RULES if hasattr(m, "PART")}


def codes() -> list[Code]:
    """Every registered code, in registry order."""
    families = [*ENGINE_FAMILIES, *RULES]
    order = {module.__name__.rsplit(".", 1)[-1]: i for i, module in enumerate(families)}
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


__all__ = ["HOOKS", "PARTS", "RULES", "InvalidRule", "codes", "register", "rule_table"]
