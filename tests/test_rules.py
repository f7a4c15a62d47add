"""The rule registry: every code a rule can emit is declared and documented, every declared
code is exercised by an example, and the toolkit keeps to its size limits."""

from __future__ import annotations

import ast
import re
import shutil
import sys
import types
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import pytest

from toolkit.cli.docs import RULES_END, RULES_START, rule_table
from toolkit.records.models import KIND_TABLE, kind_named, singular
from toolkit.validate.rule import ALL_CODES
from toolkit.validate.rules import RULES, codes

from .conftest import EXAMPLES, ROOT, example

TOOLKIT = ROOT / "toolkit"
# Codes no checked-in example can reach, and the test that covers each instead.
NOT_IN_EXAMPLES = {
    "file-too-large": "over 2 MiB: tests/test_load.py makes such a file",
    "file-unreadable": "needs a file that cannot be read: tests/test_load.py",
    "schema-violation": "no keyword of our schema reaches it: test_schema_wording_catch_all below",
    "schema-errors-truncated": "over 1 000 schema errors in one file: test_schema_errors_are_capped",
}


def _emitted() -> set[str]:
    """Every code literal the toolkit passes where a problem is made or a load error declared."""
    found: set[str] = set()
    for path in TOOLKIT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                at = {"problem": 2, "problem_at": 2, "_at_start": 1, "Problem": 3}.get(name)
                if at is not None and len(node.args) > at and isinstance(node.args[at], ast.Constant):
                    found.add(node.args[at].value)
            elif isinstance(node, ast.Tuple) and len(node.elts) == 4 and path.name == "schema.py":
                code = node.elts[1]  # describe() yields (key, code, message, at_key)
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    found.add(code.value)
    return found


def _load_error_codes() -> set[str]:
    from toolkit.core import problems

    return {
        cls.code
        for cls in vars(problems).values()
        if isinstance(cls, type) and issubclass(cls, problems.LoadError) and cls is not problems.LoadError
    }


def test_every_emitted_code_is_registered() -> None:
    emitted = _emitted() | _load_error_codes()
    assert emitted, "the scan found nothing: it is broken"
    assert sorted(emitted - set(ALL_CODES)) == []


def test_every_registered_code_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(RULES_START, 1)[1].split(RULES_END, 1)[0]
    assert table.strip() == rule_table().strip(), "run `python -m toolkit.cli.docs`"
    for code in codes():
        assert f"`{code.slug}`" in table
        assert code.description and code.hint, code.slug


def test_every_registered_code_is_exercised_by_an_example() -> None:
    seen: set[str] = set()
    for expected in (EXAMPLES / "invalid").glob("*/expected.txt"):
        seen.update(re.findall(r"\[([a-z0-9-]+)\]$", expected.read_text(encoding="utf-8"), re.MULTILINE))
    missing = {c.slug for c in codes()} - seen - set(NOT_IN_EXAMPLES)
    assert sorted(missing) == []
    assert sorted(seen - set(ALL_CODES)) == []  # and no example expects an unknown code


def test_schema_wording_catch_all() -> None:
    from jsonschema import Draft202012Validator

    from toolkit.validate.schema import describe

    error = next(Draft202012Validator({"maxLength": 2}).iter_errors("abc"))
    assert [(code, at_key) for _, code, _, at_key in describe(error)] == [("schema-violation", False)]


def test_schema_errors_are_capped(tmp_path: Path) -> None:
    from toolkit.validate.engine import validate_project

    project = tmp_path / "p"
    shutil.copytree(example("valid", "all-kinds"), project)
    head = "# yaml-language-server: $schema=../../../../../schema/claims.schema.json\n"
    (project / "seeds" / "many.yaml").write_text(head + "- {}\n" * 400, encoding="utf-8")
    codes = [p.code for p in validate_project(project, cache=False).problems if p.path == "seeds/many.yaml"]
    assert (codes.count("missing-field"), codes.count("schema-errors-truncated")) == (1000, 1)


def test_every_rule_module_declares_codes_and_a_hook() -> None:
    hooks = ("check", "check_record", "check_quoted", "summarise")
    for module in RULES:
        assert module.CODES, module.__name__
        assert all(c.family == module.__name__.rsplit(".", 1)[-1] for c in module.CODES)
        if module.__name__.endswith(("loading", "schema")):
            continue  # run while a file is read, by the loader and the orchestrator
        assert any(hasattr(module, hook) for hook in hooks), module.__name__


def test_one_kind_table() -> None:
    assert singular("properties") == "property" and singular("persons") == "person"
    for kind in KIND_TABLE:
        assert kind_named(kind.singular) is kind is kind_named(kind.plural.upper())
    assert kind_named("propertie") is None


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


@pytest.mark.parametrize(
    "path", sorted(TOOLKIT.rglob("*.py")), ids=lambda p: p.relative_to(TOOLKIT).as_posix()
)
def test_size_limits(path: Path) -> None:
    """No module over 600 lines, no function over 100, no class over 300 (house style)."""
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= 600
    tree = ast.parse(text)
    for node in _functions(tree):
        assert (node.end_lineno or 0) - node.lineno + 1 <= 100, f"{node.name} is too long"
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            assert (node.end_lineno or 0) - node.lineno + 1 <= 300, f"class {node.name} is too long"


def test_every_imported_library_is_declared() -> None:
    """Every third-party module the package imports is a dependency the package declares."""
    declared = {
        re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0].lower().replace("_", "-")
        for line in requires("factbase-toolkit") or []
        if "extra ==" not in line
    }
    owners = packages_distributions()
    imported: set[str] = set()
    for path in TOOLKIT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third = {m for m in imported if m not in sys.stdlib_module_names and m != "toolkit"}
    for module in sorted(third):
        dists = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
        assert dists & declared, f"{module} is imported but not declared in pyproject.toml"


def test_every_package_and_data_file_is_shipped() -> None:
    """A normal install (a wheel, pre-commit, `datasette package --install`) holds every
    subpackage (toolkit.validate.rules …), template and stylesheet, not only an editable checkout."""
    import fnmatch
    import tomllib
    from importlib.machinery import EXTENSION_SUFFIXES

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    include = conf["packages"]["find"]["include"]
    for init in TOOLKIT.rglob("__init__.py"):
        name = ".".join(init.parent.relative_to(ROOT).parts)
        assert any(fnmatch.fnmatch(name, pattern) for pattern in include), name
    patterns = conf["package-data"]["toolkit"]
    built = tuple(EXTENSION_SUFFIXES)  # compiled modules (`make fast`): setup.py's to build and ship
    for path in TOOLKIT.rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts:
            if path.name.endswith(built):
                continue
            rel = path.relative_to(TOOLKIT).as_posix()
            assert any(fnmatch.fnmatch(rel, pattern) for pattern in patterns), rel


def _rule_module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(f"toolkit.validate.rules.{name}")
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


_GOOD = """
from toolkit.validate.rule import ERROR, Code
CODES = (Code("{family}-code", ERROR, "what it means", "how to fix", "{family}"),)
"""


@pytest.mark.parametrize(
    ("family", "body", "wrong"),
    [
        ("typo", "def check_records(ctx, entry):\n    return iter(())", "check_records looks like a hook"),
        (
            "arity",
            "def check_quoted(ctx, entry):\n    return iter(())",
            "check_quoted('ctx', 'entry') must take",
        ),
        ("nopart", "def summarise(ctx, entries):\n    return None", "summarise and PART"),
        ("nohook", "", "implements none of the hooks"),
    ],
)
def test_a_rule_module_that_does_not_match_the_hook_specs_is_refused(
    family: str, body: str, wrong: str
) -> None:
    from toolkit.validate.rules import InvalidRule, register

    module = _rule_module(family, _GOOD.format(family=family) + body + "\n")
    with pytest.raises(InvalidRule, match=re.escape(wrong)):
        register(module)


def test_a_rule_module_must_declare_its_own_family() -> None:
    from toolkit.validate.rules import InvalidRule, register

    module = _rule_module("mine", _GOOD.format(family="theirs") + "def check(ctx):\n    return iter(())\n")
    with pytest.raises(InvalidRule, match="declared for the family 'mine'"):
        register(module)


def test_a_well_formed_rule_module_registers() -> None:
    from toolkit.validate.rules import register

    module = _rule_module("fine", _GOOD.format(family="fine") + "def check(ctx):\n    return iter(())\n")
    assert register(module) == (module,)
