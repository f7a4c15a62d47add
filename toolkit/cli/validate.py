"""`toolkit validate`: the report on every record, and the verdict as the exit code."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    JobsOption,
    ProjectOption,
    QuietOption,
    VerboseOption,
    fail,
    processes,
    say,
)
from toolkit.cli.progress import progress_bar
from toolkit.core.problems import ToolkitError, counted
from toolkit.core.report import Format, render

if TYPE_CHECKING:
    from toolkit.validate.engine import ValidationResult

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Record files or folders to report on (default: all under seeds/).", show_default=False
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Check everything again; neither read nor write .cache/.")
]
ShardOption = Annotated[
    str | None,
    typer.Option(help="Check only share K of N of the files (K/N) and write their results to --summaries."),
]
SummariesOption = Annotated[Path | None, typer.Option(help="Folder a --shard writes its files' results to.")]
MergeOption = Annotated[
    Path | None, typer.Option(help="Report on the whole project from the shards' --summaries folder.")
]


def validate(
    paths: PathsArgument = None,
    project: ProjectOption = Path("."),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    no_cache: NoCacheOption = False,
    jobs: JobsOption = 0,
    shard: ShardOption = None,
    summaries: SummariesOption = None,
    merge: MergeOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Check every record: schema, ids and references, sources, quotes, numbers and dates."""
    from toolkit.validate.engine import Plan, validate_project
    from toolkit.validate.shards import parse_shard

    started = time.perf_counter()
    try:
        plan = Plan(processes(jobs), parse_shard(shard) if shard else None, summaries, merge)
        with progress_bar(quiet) as progress:
            result = validate_project(
                project, paths or None, progress, cache=not no_cache, records=False, plan=plan
            )
    except ToolkitError as exc:
        raise fail(exc.message) from None
    if shard:
        say(f"shard {shard}: {result.files} files checked; their results are in {summaries}", quiet)
        raise typer.Exit(EXIT_OK)  # the merge reports and judges
    if merge and result.unmerged:
        say(
            f"warning: {len(result.unmerged)} of {result.files} files had no shard result in {merge} "
            "(a shard's upload missing, or the files changed since): checked here instead",
            quiet,
        )
    failed = _report(result, fmt, strict, quiet)
    if verbose:
        _timings(result, started)
    if any(p.code == "file-unreadable" for p in result.errors):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_INVALID if failed else EXIT_OK)


def _report(result: ValidationResult, fmt: Format, strict: bool, quiet: bool) -> bool:
    """Print the report (and, as text, the verdict on stderr); True when the records fail."""
    counts = result.counts
    summary = {"files": result.files, "records": sum(counts.values()), "counts": counts}
    typer.echo(render(result.problems, fmt, summary), nl=False)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if fmt is Format.text and not quiet:
        verdict = "invalid" if failed else "valid"
        typer.echo(
            f"{verdict}: {counted(result.files, 'file')}, {counted(sum(counts.values()), 'record')}, "
            f"{counted(len(result.errors), 'error')}, {counted(len(result.warnings), 'warning')}",
            err=True,
        )
    return failed


def _timings(result: ValidationResult, started: float) -> None:
    """--verbose: records by kind, quotes anchored, files parsed, and the time taken."""
    kinds = ", ".join(f"{n} {kind}" for kind, n in result.counts.items())
    elapsed = time.perf_counter() - started
    parsed = f"{result.parsed} of {result.files} files parsed (the others are unchanged)"
    say(f"{kinds}; {result.anchored} quotes anchored; {parsed}; {elapsed:.2f} s")
