"""Datasette plugin: bounds on what one request to the public site can cost.

Datasette's own time limit (`sql_time_limit_ms`) stops a slow query, but not a big one:
`?sql=select randomblob(1000000000)` built a 1.3 GB response and left the server at 1.5 GB.
On every connection Datasette opens, this plugin:

- caps the size of any one string or blob SQLite makes (`SQLITE_LIMIT_LENGTH`, 4 MiB: the
  largest value a build holds is a line of a source, and a source is at most 2 MiB) and the
  length of a statement's text, so the query fails at once with "string or blob too big";
- caps the total text and blob bytes one query returns (32 MiB, about ten times the largest
  page the site serves), counted row by row as rows are fetched, so no response is built
  beyond it; the query fails with a message naming the limit.

The site is read-only, so requests other than GET, HEAD and OPTIONS are answered 405 Method
Not Allowed before Datasette sees them: a POST to a canned query gave HTTP 500 and a traceback
in the log.

Registered by `toolkit.site.serve.datasette_app` through `register()`."""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl

from toolkit.core.limits import MAX_FILE_BYTES

MAX_VALUE_BYTES = 2 * MAX_FILE_BYTES  # a source line of 1.5 MiB made its page a 500
MAX_SQL_BYTES = 100_000
MAX_RESULT_BYTES = 32 * 1024 * 1024
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
PLUGIN_NAME = "factbase-hardening"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


_F = TypeVar("_F", bound=Callable[..., Any])


def hookimpl(fn: _F) -> _F:
    """Datasette's (untyped) hook marker, typed."""
    return cast(_F, _hookimpl(fn))


class ResultTooLarge(sqlite3.OperationalError):
    """One query's rows hold more text and blob bytes than a page may."""


class _Budget:
    """Bytes of text and blob each open cursor has returned so far."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def __call__(self, cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
        size = sum(len(v) for v in row if isinstance(v, (str, bytes)))
        spent = self.spent.get(cursor, 0) + size
        if spent > self.limit:
            raise ResultTooLarge(
                f"the result is over {self.limit // (1024 * 1024)} MiB of text: "
                "ask for fewer rows or columns (add a LIMIT, or select only what you need)"
            )
        self.spent[cursor] = spent
        return sqlite3.Row(cursor, row)


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Length limits and the per-query byte budget on each connection Datasette opens."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)
    conn.row_factory = _Budget(MAX_RESULT_BYTES)


@hookimpl
def asgi_wrapper() -> Callable[[App], App]:
    """Answer anything but GET, HEAD and OPTIONS with 405: the site only reads."""

    def wrap(app: App) -> App:
        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope.get("type") == "http" and scope.get("method", "GET") not in ALLOWED_METHODS:
                await _method_not_allowed(send)
                return
            await app(scope, receive, send)

        return guarded

    return wrap


async def _method_not_allowed(send: Send) -> None:
    body = b"405 Method Not Allowed: this site is read-only; use GET.\n"
    await send(
        {
            "type": "http.response.start",
            "status": 405,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"allow", ", ".join(ALLOWED_METHODS).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def register() -> None:
    """Register this module with Datasette's plugin manager (once per process)."""
    import sys

    from datasette.plugins import pm

    module = sys.modules[__name__]
    if not pm.is_registered(module) and pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(module, name=PLUGIN_NAME)
