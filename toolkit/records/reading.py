"""Reading a file's bytes as text, safely: size-limited, never a device, pipe or (on request)
symbolic link, and UTF-8 or a clear error saying where the first bad byte is."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from toolkit.core.limits import MAX_FILE_BYTES
from toolkit.core.problems import FileTooLarge, NotUtf8, SymlinkedFile, UnreadableFile


def read_text(path: Path, max_bytes: int | None = None, follow_symlinks: bool = True) -> str:
    """Read a UTF-8 file (a BOM is fine); the errors say where and what to do.

    With `follow_symlinks=False` a symbolic link is refused, not followed: opened with
    O_NOFOLLOW, so a link swapped in after a check is refused too."""
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
        if path.is_symlink():
            raise _symlink_error(path)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except OSError as exc:
        if not follow_symlinks and path.is_symlink():
            raise _symlink_error(path) from None
        if isinstance(exc, IsADirectoryError):
            raise UnreadableFile("is a directory, not a file") from None
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("is not a regular file (a device, pipe or socket): records are text files")
        if info.st_size > max_bytes:
            raise FileTooLarge(
                f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}: "
                "split it into smaller files"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:  # grew while being read (a FIFO, a file being written)
        raise FileTooLarge(f"file is over the limit of {max_bytes:,} bytes: split it into smaller files")
    return decode_text(raw)


def _symlink_error(path: Path) -> SymlinkedFile:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return SymlinkedFile(
        f"is a symbolic link (to {target}): a record file must be a regular file inside seeds/; "
        "copy the file in instead of linking it"
    )


def decode_text(raw: bytes) -> str:
    """UTF-8 bytes (a BOM is fine) as text; NotUtf8 says where the first bad byte is."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise NotUtf8(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02X}): save the file as UTF-8",
            line,
            column,
        ) from None


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, for errors found by a scan of the text."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
