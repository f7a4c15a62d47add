"""/download/everything.zip: every table as CSV with its Frictionless datapackage.json,
zipped and named after the database. A file, not a page: it has no template."""

from __future__ import annotations

import asyncio
import io
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from datasette.utils.asgi import NotFound, Response

from toolkit.core.settings import DatasetSettings
from toolkit.publish.metadata import dataset_of
from toolkit.site.pages.registry import Page, PageKind

_ZIPS: dict[tuple[str, int, int, str], bytes] = {}


def _zip(db_path: Path, dataset: DatasetSettings) -> bytes:
    """Every table as CSV plus datapackage.json, zipped (kept per database file)."""
    from toolkit.publish.export import ExportFormat, export

    stat = db_path.stat()
    key = (str(db_path), stat.st_mtime_ns, stat.st_size, dataset.model_dump_json())
    if key not in _ZIPS:
        with tempfile.TemporaryDirectory() as tmp:
            result = export(db_path, ExportFormat.datapackage, Path(tmp), dataset=dataset)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(result.files):
                    archive.write(path, path.name)
        _ZIPS.clear()
        _ZIPS[key] = buffer.getvalue()
    return _ZIPS[key]


async def load(page: Page) -> Response:
    db = page.db
    if not db.path:
        raise NotFound("This database has no file to export")
    dataset = dataset_of(page.datasette.metadata())
    body = await asyncio.get_running_loop().run_in_executor(None, _zip, Path(db.path), dataset)
    return Response(
        body,
        content_type="application/zip",
        headers={"content-disposition": disposition(f"{db.name}-everything.zip")},
    )


def disposition(filename: str) -> str:
    """An attachment's Content-Disposition as RFC 6266 has it: the name as UTF-8 in
    `filename*`, and for older clients a plain ASCII `filename` with anything a quoted string
    cannot hold as `_` (a database named with `"` broke the header)."""
    plain = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


PAGE = PageKind(name="download", route=r"^/download/everything\.zip$", template=None, load=load)
