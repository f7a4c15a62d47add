"""Work done in a forked copy of this process while this one goes on (a build writes its
tables while the cross-file rules check the records beside it).

The copy shares what this process holds when it forks, so the work needs no arguments sent;
only its result comes back, pickled through a pipe. Where fork is not available, or the copy
dies or its result cannot come back, the work is done here when the result is asked for: the
result is the same either way, only the time differs."""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Does this system give processes a copy of themselves (POSIX), cheaply?"""
    return hasattr(os, "fork") and sys.platform != "darwin"  # macOS's fork breaks system frameworks


class Aside(Generic[T]):
    """`work()` started in a forked process (unless `fork` is false); `result()` waits for
    it, or does it here. As a context manager, the process is ended with the block, however
    it ends (no process is left behind when this one gives up)."""

    def __init__(self, work: Callable[[], T], fork: bool = True, niceness: int = 10) -> None:
        self.work = work
        self.niceness = niceness
        self.pid = 0
        self.pipe = -1
        if fork and can_fork():
            self._start()

    def _start(self) -> None:
        for stream in (sys.stdout, sys.stderr):  # (buffered text would be written twice)
            stream.flush()
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to spare (or no memory for one): done here when asked
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the copy: do the work, send the result, leave without cleaning up
            os.close(read)
            try:
                # Behind the process that forked it, which the build waits on: this work is
                # done before that process asks for it anyway, given the other core (and
                # work wanted sooner is given a smaller niceness than work wanted last).
                os.nice(self.niceness)
                try:
                    payload = pickle.dumps((True, self.work()), pickle.HIGHEST_PROTOCOL)
                except BaseException:  # done again where the result is asked for, to raise there
                    payload = pickle.dumps((False, None))
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        os.close(write)
        self.pid, self.pipe = pid, read

    def _collect(self, stop: bool = False) -> tuple[bool, object]:
        """The copy's result, once it has sent it and ended (not ok: none came); with `stop`,
        the copy is ended first."""
        pid, pipe, self.pid, self.pipe = self.pid, self.pipe, 0, -1  # (collected once, however)
        try:
            with os.fdopen(pipe, "rb") as incoming:
                if stop:
                    os.kill(pid, signal.SIGKILL)
                payload = incoming.read()
        finally:
            os.waitpid(pid, 0)
        try:
            done, value = pickle.loads(payload)
        except Exception:  # the copy was killed before it sent its result
            return False, None
        return bool(done), value

    def result(self) -> T:
        """The work's result, from the copy or done here."""
        if self.pid:
            done, value = self._collect()
            if done:
                return value  # type: ignore[return-value]  # what work() returned, unpickled
        return self.work()

    def __enter__(self) -> Aside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the copy without its result (this process failed, or was interrupted, and
        gives up: it need not wait for the work)."""
        if self.pid:
            self._collect(stop=True)
