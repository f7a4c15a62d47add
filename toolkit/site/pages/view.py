"""How a page kind answers a request: its loader's context rendered in its template, a 404
page when the URL names no record, and JSON-LD that cannot close its script tag."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from datasette.utils.asgi import Response

from toolkit.site.pages.registry import Context, Page, PageKind

View = Callable[[Any, Any], Awaitable[Response]]


def handler(kind: PageKind) -> View:
    """The route's view for a page kind (Datasette passes arguments by their names)."""

    async def view(datasette: Any, request: Any) -> Response:
        page = Page(kind, datasette, request, datasette.get_database())
        found = await kind.load(page)
        if found is None:
            return await not_found(datasette, request, f"There is no {kind.name} with the id {page.id}.")
        if isinstance(found, Response):
            return found
        if kind.template is None:
            raise TypeError(f"page kind {kind.name!r} has no template for the context it loaded")
        return await render(datasette, request, kind.template, found)

    return view


async def render(datasette: Any, request: Any, template: str, context: Context) -> Response:
    """A template with what every page reads: the database's name and URL and the metadata."""
    db = datasette.get_database()
    context = {
        "database": db.name,
        "db_url": datasette.urls.database(db.name),
        "metadata": datasette.metadata(),
        **context,
    }
    return Response.html(await datasette.render_template(template, context, request=request))


async def not_found(datasette: Any, request: Any, message: str) -> Response:
    """A plain 404 page with the search box (Datasette's own 404 logs a whole traceback)."""
    page = await render(datasette, request, "not_found.html", {"message": message})
    page.status = 404
    return page


# Inside <script>, `<!--` followed by `<script` makes the HTML parser look for two closing
# tags, so the page after the script vanished (issue 23); `</` ends it. JSON may escape any
# character as \uXXXX, so none of `<`, `>` and `&` is left for a parser to read.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def jsonld(data: dict[str, Any]) -> str:
    """JSON for a <script> element: `<`, `>` and `&` escaped, so no value can end the
    script or change how the page after it is parsed."""
    return json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_SAFE)
