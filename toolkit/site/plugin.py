"""The reader's site as a Datasette plugin: pages in prose for facts, entities and sources, one
search over everything, a timeline, a home page and the everything download. Self-contained:
toolkit.publish.metadata registers it beside any other plugin, and no page names the database file."""

from __future__ import annotations

import asyncio
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from toolkit.build.words import date_words
from toolkit.core.text import search_key
from toolkit.site import pages
from toolkit.site.search import search

F = TypeVar("F", bound=Callable[..., Any])


def hookimpl(fn: F) -> F:
    """Datasette's hookimpl, typed (it returns the function it marks)."""
    return cast(F, _hookimpl(fn))


NAME = "factbase-site"
HOME_SOURCES = 20  # the home page lists this many sources, newest first, and links the rest
# Cells that name a record get a link to its reader page, in any table or query.
_LINK_COLUMNS = {"claim_id": "claim", "claim_a": "claim", "claim_b": "claim", "position_id": "position"}
_NAME_COLUMNS = {
    ("persons", "name"): "person",
    ("organizations", "name"): "organization",
    ("places", "name"): "place",
    ("events", "name"): "event",
    ("claims", "statement_en"): "claim",
    ("positions", "title"): "position",
    ("sources", "title"): "source",
}
_NUMBER_COLUMNS = {"amount", "lower", "upper"}
# Record dates (2023-H1, 2023-11-10/2023-11-12) read in words; the code stays in the tooltip.
_DATE_COLUMNS = {"date", "value_date", "point_in_time", "period_start", "period_end", "as_of"}


def _database(datasette: Any) -> Any:
    """The served database, whatever its file is called."""
    return datasette.get_database()


def _link(kind: str, record_id: object, text: object) -> Markup:
    return Markup('<a href="{}">{}</a>').format(pages.url_for(kind, str(record_id)), text)


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Readable cells: record names link to their pages, aliases as a list, whole numbers whole."""
    if value is None:
        return None
    if column in _LINK_COLUMNS and isinstance(value, str):
        return _link(_LINK_COLUMNS[column], value, value)
    if table == "claims_flat" and column == "statement_en":
        return _link("claim", row["claim_id"], value)
    if table == "entities" and column == "name":
        return _link(row["kind"], row["id"], value)
    if table and (table, column) in _NAME_COLUMNS:
        return _link(_NAME_COLUMNS[(table, column)], row["id"], value)
    if column == "aliases" and isinstance(value, str):
        return "; ".join(pages.aliases(value)) or Markup("&nbsp;")
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


# Row pages that have a reader page: table -> (kind or None when a `kind` column says it,
# label column, column with the record's id, key column of the row's URL).
_ROW_LABELS = {
    "claims": ("claim", "statement_en", "id", "id"),
    "claims_flat": ("claim", "statement_en", "claim_id", "rowid"),
    "positions": ("position", "title_en", "id", "id"),
    "events": ("event", "name", "id", "id"),
    "persons": ("person", "name", "id", "id"),
    "organizations": ("organization", "name", "id", "id"),
    "places": ("place", "name", "id", "id"),
    "sources": ("source", "title", "id", "id"),
    "entities": (None, "name", "id", "id"),
}


@hookimpl
def extra_template_vars(view_name: str, table: str | None, request: Any, datasette: Any) -> Any:
    """The search box on every page needs the current query and the database's name; a row page
    gets its record's label and reader page."""
    db = _database(datasette)
    base = {
        "fb_database": db.name,
        "fb_q": request.args.get("q", "") if request is not None else "",
        "fb_meta": datasette.metadata(),
    }

    async def with_row() -> dict[str, Any]:
        """The row's label and the reader page it has."""
        from datasette.utils import tilde_decode

        kind, column, id_column, key = _ROW_LABELS[table or ""]
        pk = tilde_decode(request.url_vars.get("pks", ""))
        extra = ", kind" if kind is None else ""
        sql = f"select [{column}] as label, [{id_column}] as id{extra} from [{table}] where [{key}] = ?"
        rows = (await db.execute(sql, [pk])).rows
        if not rows:
            return base
        kind = kind or rows[0]["kind"]
        return base | {"fb_row": {"label": rows[0]["label"], "url": pages.url_for(str(kind), rows[0]["id"])}}

    if view_name == "row" and table in _ROW_LABELS and request is not None:
        return with_row
    return base


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    """The reader's pages; registered before Datasette's own routes, so `/` is the home page."""
    return [
        (r"^/$", home),
        (r"^/search$", search_page),
        (r"^/timeline$", timeline),
        (r"^/(?P<kind>claim|position|statement)/(?P<id>[^/]+)$", fact_page),
        (r"^/(?P<kind>person|organization|place|event)/(?P<id>[^/]+)$", entity_page),
        (r"^/source/(?P<id>[^/]+)$", source_page),
        (r"^/download/everything\.zip$", everything),
    ]


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
            return await _not_found(datasette, request, message.rstrip(".") + ".")
        context = {"ok": False, "error": message, "status": exception.status, "title": None}
        html = await datasette.render_template(["error.html"], context, request=request)
        return Response.html(html, status=exception.status)

    return page


async def _render(datasette: Any, request: Any, template: str, context: dict[str, Any]) -> Response:
    db = _database(datasette)
    context = {
        "database": db.name,
        "db_url": datasette.urls.database(db.name),
        "metadata": datasette.metadata(),
        **context,
    }
    return Response.html(await datasette.render_template(template, context, request=request))


async def _not_found(datasette: Any, request: Any, message: str) -> Response:
    """A plain 404 page with the search box (Datasette's own 404 logs a whole traceback)."""
    page = await _render(datasette, request, "not_found.html", {"message": message})
    page.status = 404
    return page


def _absolute(datasette: Any, request: Any, path: str) -> str:
    return str(datasette.absolute_url(request, path))


async def _counts(db: Any) -> dict[str, int]:
    sql = " union all ".join(
        f"select '{t}', count(*) from [{t}]"
        for t in ("claims", "sources", "persons", "organizations", "places", "events", "positions")
    )
    return {r[0]: r[1] for r in (await db.execute(sql)).rows}


async def _queries(datasette: Any, db: Any, request: Any) -> list[dict[str, Any]]:
    queries = await datasette.get_canned_queries(db.name, request.actor if request else None)
    return [
        {"name": name, "title": q.get("title") or name, "description": q.get("description") or ""}
        for name, q in queries.items()
    ]


def _dataset_jsonld(datasette: Any, request: Any, db: Any, sources: list[Any], span: Any) -> str:
    """schema.org Dataset (what Google Dataset Search reads): names, license, coverage, files."""
    meta = datasette.metadata()
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": meta.get("title"),
        "description": re.sub(r"<[^>]+>", "", meta.get("description_html") or meta.get("description") or ""),
        "url": _absolute(datasette, request, "/"),
        "license": meta.get("license_url"),
        "creator": {"@type": "Organization", "name": meta.get("creator") or meta.get("title")},
        "inLanguage": ["vi", "en"],
        "isAccessibleForFree": True,
        "temporalCoverage": f"{span['first']}/{span['last']}" if span and span["first"] else None,
        "spatialCoverage": [
            {"@type": "Place", "name": name} for name in meta.get("spatial_coverage", ["Vietnam", "Japan"])
        ],
        "citation": [s["url"] for s in sources if s["url"]],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "application/vnd.sqlite3",
                "contentUrl": _absolute(datasette, request, datasette.urls.database(db.name) + ".db"),
            },
            {
                "@type": "DataDownload",
                "encodingFormat": "application/zip",
                "description": "Every table as CSV with a Frictionless datapackage.json",
                "contentUrl": _absolute(datasette, request, "/download/everything.zip"),
            },
        ],
    }
    return _jsonld({k: v for k, v in data.items() if v})


def _jsonld(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


async def home(datasette: Any, request: Any) -> Response:
    """What this is, counts, the search box, the sources, the queries, downloads and license."""
    db = _database(datasette)
    sources = (
        await db.execute(
            "select id, title, title_en, publisher, published, url from sources "
            f"order by published desc, id limit {HOME_SOURCES}"
        )
    ).rows
    span = (await db.execute("select min(date_start) as first, max(date_end) as last from events")).first()
    return await _render(
        datasette,
        request,
        "home.html",
        {
            "counts": await _counts(db),
            "sources": [dict(s) | {"published_words": date_words(s["published"][:10])} for s in sources],
            "queries": await _queries(datasette, db, request),
            "jsonld": Markup(_dataset_jsonld(datasette, request, db, sources, span)),
            "meta": datasette.metadata(),
        },
    )


async def search_page(datasette: Any, request: Any) -> Response:
    """/search?q=…&kind=…: results of every kind (or one), names first."""
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind") or None
    if kind not in pages.KIND_LABEL:
        kind = None
    results = await search(_database(datasette), q, kind) if q else []
    return await _render(
        datasette,
        request,
        "search.html",
        {"q": q, "kind": kind, "kinds": pages.KIND_LABEL, "plural": pages.KIND_PLURAL, "results": results},
    )


def _fact_jsonld(datasette: Any, request: Any, text: str, evidence: list[dict[str, Any]]) -> Markup:
    data = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "text": text,
        "url": _absolute(datasette, request, request.path),
        "isPartOf": {
            "@type": "Dataset",
            "name": datasette.metadata().get("title"),
            "url": _absolute(datasette, request, "/"),
        },
        "appearance": [
            {
                "@type": "NewsArticle",
                "headline": e["title"],
                "publisher": {"@type": "Organization", "name": e["publisher"]},
                "datePublished": e["published"],
                **({"url": e["url"]} if e["url"] else {}),
                "text": e["quote"],
            }
            for e in evidence
        ],
    }
    return Markup(_jsonld(data))


async def fact_page(datasette: Any, request: Any) -> Response:
    """A claim or a position in prose, with its evidence and a way to cite it."""
    kind, record_id = request.url_vars["kind"], request.url_vars["id"]
    db = _database(datasette)
    read = {"claim": pages.claim, "position": pages.position, "statement": pages.statement}[kind]
    record = await read(db, record_id)
    if record is None:
        return await _not_found(datasette, request, f"There is no {kind} with the id {record_id}.")
    evidence = await pages.evidence(db, kind, record_id)
    if kind == "claim":
        text = record["statement_en"]
    elif kind == "statement":
        text = f"{record['speaker_name_en'] or record['speaker_name']}: {record['text_en']}"
    else:
        text = f"{record['person_name']}: {record['title_en']}" + (
            f", {record['org_name_en'] or record['org_name']}" if record["org_name"] else ""
        )
    return await _render(
        datasette,
        request,
        f"{kind}.html",
        {
            "kind": kind,
            "record": record,
            "evidence": evidence,
            "text": text,
            "permalink": _absolute(datasette, request, request.path),
            "jsonld": _fact_jsonld(datasette, request, text, evidence),
            "row_url": datasette.urls.row(db.name, pages.KIND_TABLE[kind], record_id),
        },
    )


async def entity_page(datasette: Any, request: Any) -> Response:
    """A person, organization, place or event with everything that links to it."""
    kind, entity_id = request.url_vars["kind"], request.url_vars["id"]
    db = _database(datasette)
    record = await pages.entity(db, kind, entity_id)
    if record is None:
        return await _not_found(datasette, request, f"There is no {kind} with the id {entity_id}.")
    evidence = await pages.evidence(db, "event", entity_id) if kind == "event" else []
    context = {
        "kind": kind,
        "record": record,
        "related": await pages.related(db, kind, entity_id),
        "evidence": evidence,
        "permalink": _absolute(datasette, request, request.path),
        "row_url": datasette.urls.row(db.name, pages.KIND_TABLE[kind], entity_id),
        "jsonld": _fact_jsonld(datasette, request, record.get("name_en") or record["name"], evidence)
        if kind == "event"
        else None,
    }
    return await _render(datasette, request, "entity.html", context)


async def source_page(datasette: Any, request: Any) -> Response:
    """The archived article: quoted spans linked to their records, furniture set aside."""
    db = _database(datasette)
    source = await pages.source_page(db, request.url_vars["id"])
    if source is None:
        return await _not_found(
            datasette, request, f"There is no source with the id {request.url_vars['id']}."
        )
    return await _render(
        datasette,
        request,
        "source.html",
        {"source": source, "row_url": datasette.urls.row(db.name, "sources", source["id"])},
    )


async def timeline(datasette: Any, request: Any) -> Response:
    """Events in date order, grouped by year, undated ones last; filter by type and place."""
    db = _database(datasette)
    kind = request.args.get("type") or ""
    place = request.args.get("place") or ""
    rows = (
        await db.execute(
            "select ev.id, ev.name, ev.name_en, ev.date, ev.date_start, ev.type, ev.status, ev.place, "
            "pl.name as place_name, pl.name_en as place_name_en, "
            "(select count(distinct source) from evidence where record_kind = 'event' and record_id = ev.id) "
            "as sources from events ev left join places pl on pl.id = ev.place "
            "where (:type = '' or ev.type = :type) and (:place = '' or ev.place = :place) "
            "order by ev.date_start is null, ev.date_start, ev.date_end, ev.id",
            {"type": kind, "place": place},
        )
    ).rows
    groups: list[dict[str, Any]] = []
    for r in rows:
        title = r["date_start"][:4] if r["date_start"] else "Date not stated"
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "events": []})
        groups[-1]["events"].append(dict(r) | {"date_words": date_words(r["date"])})
    types = [r[0] for r in (await db.execute("select distinct type from events order by type")).rows]
    places = (
        await db.execute(
            "select distinct pl.id, pl.name, pl.name_en from events ev join places pl on pl.id = ev.place "
            "order by pl.name_en, pl.name"
        )
    ).rows
    return await _render(
        datasette,
        request,
        "timeline.html",
        {
            "groups": groups,
            "types": types,
            "places": places,
            "type": kind,
            "place": place,
            "count": len(rows),
        },
    )


_ZIPS: dict[tuple[str, int, int], bytes] = {}


def _zip(db_path: Path) -> bytes:
    """Every table as CSV plus datapackage.json, zipped (kept per database file)."""
    from toolkit.publish.export import ExportFormat, export

    stat = db_path.stat()
    key = (str(db_path), stat.st_mtime_ns, stat.st_size)
    if key not in _ZIPS:
        with tempfile.TemporaryDirectory() as tmp:
            result = export(db_path, ExportFormat.datapackage, Path(tmp))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(result.files):
                    archive.write(path, path.name)
        _ZIPS.clear()
        _ZIPS[key] = buffer.getvalue()
    return _ZIPS[key]


async def everything(datasette: Any, request: Any) -> Response:
    """/download/everything.zip, named after the database."""
    db = _database(datasette)
    if not db.path:
        raise NotFound("This database has no file to export")
    body = await asyncio.get_running_loop().run_in_executor(None, _zip, Path(db.path))
    return Response(
        body,
        content_type="application/zip",
        headers={"content-disposition": f'attachment; filename="{db.name}-everything.zip"'},
    )
