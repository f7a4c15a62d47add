"""The optional compiled build; everything else about the package is in pyproject.toml.

With FACTBASE_COMPILE=1 in the environment (`make fast` sets it), the modules listed under
`[tool.factbase] compiled` in pyproject.toml are compiled with mypyc (shipped with mypy), when
mypyc can be imported and a C compiler works. Without the flag, without mypy, without a
compiler, or when compiling fails, the package is built as pure Python, the same as before:
the compiled build is only faster, never required. `make pure` removes the compiled files.

The build environment needs mypy and the type stubs mypy's settings ask for (pydantic's plugin):
`make fast` builds in place with the project's .venv (`setup.py build_ext --inplace`); a pip
install needs `--no-build-isolation` from an environment with `.[dev]` installed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# The compiled modules share one library, kept inside the package: toolkit/compiled__mypyc.*.so
GROUP = "toolkit.compiled"


def compiled_modules() -> list[str]:
    """The source files to compile, as pyproject.toml lists them."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return [str(p) for p in tomllib.load(f)["tool"]["factbase"]["compiled"]]


def _say(message: str) -> None:
    print(f"factbase-toolkit: {message}", file=sys.stderr)


def compiler_works() -> bool:
    """Whether the C compiler a build would use ($CC, else Python's own) compiles a file that
    includes Python.h: `CC=/bin/false` or a machine without gcc says no."""
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    include = sysconfig.get_paths()["include"]
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp, "probe.c")
        probe.write_text("#include <Python.h>\nint probe(void) { return 0; }\n", encoding="utf-8")
        try:
            done = subprocess.run(
                [*cc, "-I", include, "-c", str(probe), "-o", str(Path(tmp, "probe.o"))],
                capture_output=True,
                timeout=120,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0


def extensions() -> list[Any]:
    """mypyc's extensions when compiling is asked for and possible, else none (pure Python)."""
    if os.environ.get("FACTBASE_COMPILE", "").lower() not in {"1", "true", "yes"}:
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _say("FACTBASE_COMPILE is set but mypyc (mypy) is not installed here: pure Python")
        return []
    if not compiler_works():
        _say("FACTBASE_COMPILE is set but no C compiler works here: pure Python")
        return []
    cwd = os.getcwd()
    os.chdir(ROOT)  # mypy reads its settings (strict, pydantic's plugin) from pyproject.toml
    try:
        return list(mypycify(compiled_modules(), opt_level="3", group_name=GROUP))
    finally:
        os.chdir(cwd)


class OptionalBuildExt(build_ext):
    """Compiling is optional: if the C compiler fails half-way, nothing compiled is kept and the
    package stays pure Python (a half-compiled package would import a shim without its library)."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # the compiler's and setuptools' many error types alike
            for output in self.get_outputs():
                Path(output).unlink(missing_ok=True)
            _say(f"compiling failed, the package stays pure Python: {exc}")


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
