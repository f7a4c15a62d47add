"""File helpers every stage shares: a file's sha256 read once in chunks, a bounded read that
never waits on a FIFO, and atomic writes (temporary file in the same folder, fsync, rename),
so a reader never sees half a file."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from toolkit.core.problems import FileTooLarge, UnreadableFile


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, in hex, read in chunks (never the whole file at once)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`. Opened without waiting (a FIFO
    would block until something writes to it) and refused unless it is a regular file:
    UnreadableFile or FileTooLarge say why."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("is not a regular file (a folder, device, pipe or socket)")
        if info.st_size > max_bytes:
            raise FileTooLarge(f"is {info.st_size:,} bytes, over the limit of {max_bytes:,}")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:  # grew while being read
        raise FileTooLarge(f"is over the limit of {max_bytes:,} bytes")
    return raw


def atomic_write(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Replace `path` with `data` in one step: a crash leaves the old file or the new one.
    The file keeps its mode, or gets the one the umask gives a new file (the temporary file
    is private, so every rewritten file became 0600)."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permission bits `path` has, or those a new file gets under the current umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask: from /proc where it is shown, else by setting it and back (for
    an instant, in which another thread's new file would get no umask)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o077)
    os.umask(umask)
    return umask
