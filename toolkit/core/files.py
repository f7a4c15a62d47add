"""File helpers every stage shares: a file's sha256 read once in chunks, and atomic writes
(temporary file in the same folder, fsync, rename), so a reader never sees half a file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, in hex, read in chunks (never the whole file at once)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def atomic_write(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Replace `path` with `data` in one step: a crash leaves the old file or the new one."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
