"""The reader's site as a Datasette plugin: pages in prose for facts, entities and sources, one
search over everything, a timeline, a home page and the everything download. Self-contained:
toolkit.publish.metadata registers it beside any other plugin, and no page names the database file.

The pages are the page registry's (toolkit.site.pages): their routes, and which cells and row
pages link to them, are read from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from toolkit.build.words import date_words
from toolkit.core.searchfold import search_key
from toolkit.languages import primary
from toolkit.publish.metadata import dataset_of
from toolkit.site.pages.kinds import PAGES
from toolkit.site.pages.registry import url_for
from toolkit.site.pages.rows import aliases
from toolkit.site.pages.view import handler, not_found

F = TypeVar("F", bound=Callable[..., Any])


def hookimpl(fn: F) -> F:
    """Datasette's hookimpl, typed (it returns the function it marks)."""
    return cast(F, _hookimpl(fn))


NAME = "factbase-site"
_NUMBER_COLUMNS = {"amount", "lower", "upper"}
# Record dates (2023-H1, 2023-11-10/2023-11-12) read in words; the code stays in the tooltip.
_DATE_COLUMNS = {"date", "value_date", "point_in_time", "period_start", "period_end", "as_of", "during"}


def _link(kind: str, record_id: object, text: object) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url_for(kind, str(record_id)), text)


def _record_link(row: Any, value: Any, column: str, table: str | None) -> Markup | None:
    """A cell that names a record links to its reader page: an id column in any table or
    query, a name column in a table the registry lists as the kind's."""
    kind = PAGES.id_columns().get(column)
    if kind is not None and isinstance(value, str):
        return _link(kind, value, value)
    for page, listing in PAGES.listings(table) if table else []:
        if listing.name == column and (listing.kind_column is None or row[listing.kind_column] == page.name):
            return _link(page.name, row[listing.id], value)
    return None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Readable cells: record names link to their pages, aliases as a list, whole numbers whole."""
    if value is None:
        return None
    link = _record_link(row, value, column, table)
    if link is not None:
        return link
    if column == "aliases" and isinstance(value, str):
        return "; ".join(aliases(value)) or Markup("&nbsp;")
    if column in _DATE_COLUMNS and isinstance(value, str):
        words = date_words(value)
        return Markup('<span title="{}">{}</span>').format(value, words) if words != value else None
    if column in _NUMBER_COLUMNS and isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    return None


@hookimpl
def prepare_connection(conn: Any) -> None:
    """fb_fold(text): the search fold (no diacritics, đ as d), so canned queries take names
    typed either way."""
    conn.create_function(
        "fb_fold", 1, lambda t: search_key(t) if isinstance(t, str) else t, deterministic=True
    )


async def _row_label(db: Any, table: str, pk: str) -> dict[str, Any] | None:
    """The label and reader page of the record a row page shows, from the first of the
    table's listings that holds it (a table of several kinds: the one its row names)."""
    found: dict[str, list[Any]] = {}
    for page, listing in PAGES.listings(table):
        kind = f", [{listing.kind_column}] as kind" if listing.kind_column else ""
        sql = (
            f"select [{listing.label_column}] as label, [{listing.id}] as id{kind} "
            f"from [{table}] where [{listing.key}] = ?"
        )
        if sql not in found:
            found[sql] = (await db.execute(sql, [pk])).rows
        rows = found[sql]
        if rows and (listing.kind_column is None or rows[0]["kind"] == page.name):
            return {"label": rows[0]["label"], "url": url_for(page.name, rows[0]["id"])}
    return None


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    """The project's identity on every page, Datasette's own error pages too: its name, and the
    language its records are written in (for `lang` attributes)."""
    site = dataset_of(datasette.metadata())
    env.globals["fb_site"] = site
    env.globals["fb_lang"] = primary(site.language)


@hookimpl
def extra_template_vars(view_name: str, table: str | None, request: Any, datasette: Any) -> Any:
    """The search box on every page needs the current query and the database's name; a row page
    gets its record's label and reader page."""
    db = datasette.get_database()
    base = {
        "fb_database": db.name,
        "fb_q": request.args.get("q", "") if request is not None else "",
        "fb_meta": datasette.metadata(),
    }

    async def with_row() -> dict[str, Any]:
        """The row's label and the reader page it has."""
        from datasette.utils import tilde_decode

        label = await _row_label(db, table or "", tilde_decode(request.url_vars.get("pks", "")))
        return base if label is None else base | {"fb_row": label}

    if view_name == "row" and table and PAGES.listings(table) and request is not None:
        return with_row
    return base


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    """The reader's pages, one route per page kind; registered before Datasette's own
    routes, so `/` is the home page."""
    return [(kind.route, handler(kind)) for kind in PAGES]


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    """A reader's mistake (a page that does not exist, a bad parameter: any 4xx) gets its page
    without Datasette printing a traceback with its locals on the server's console; anything
    else is left to Datasette, which logs it."""
    import datasette.handle_exception as default
    from datasette.utils.asgi import Base400

    # Datasette's own handler also runs (every handler's page is made; the first is sent) and
    # prints each exception with rich, locals and all. Without rich it prints nothing for a
    # 4xx and a plain traceback for anything else, which is what a server log wants.
    default.rich = None
    if not isinstance(exception, Base400):
        return None
    message = str(exception.args[0]) if exception.args else "Not found."

    async def page() -> Response:
        if exception.status == 404:
            return await not_found(datasette, request, message.rstrip(".") + ".")
        context = {"ok": False, "error": message, "status": exception.status, "title": None}
        html = await datasette.render_template(["error.html"], context, request=request)
        return Response.html(html, status=exception.status)

    return page
