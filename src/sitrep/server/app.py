"""The ASGI application: settings, the store of each worker thread, the read endpoints, the page.

FastAPI (on Starlette, run by uvicorn) because the OpenAPI 3 document is generated from the
same typed signatures that parse the parameters, so the document, the checks and the code
cannot drift apart, which is what lets schemathesis test the API from ``/openapi.json``.
Its Swagger UI is served from this package (no CDN).
"""

import contextlib
import datetime as dt
import json
import logging
import os
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI
from fastapi import Path as PathParam
from fastapi import Query as Param
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from sitrep.export import iter_csv, iter_geojson
from sitrep.model import Record
from sitrep.server import STATIC, incidents, layers, problems, write
from sitrep.server.params import MAX_LIMIT, QueryDep, StoreDep, decode_cursor, encode_cursor
from sitrep.server.problems import Problem
from sitrep.store import PageKey, Query, SQLiteStore, Store

log = logging.getLogger(__name__)

EXPORT_PAGE = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What a server serves and who may write to it."""

    db: str
    token: str | None = None  # writing is disabled without one
    max_body: int = 2 * 1024 * 1024  # bytes a POST may carry


EventId = Annotated[str, PathParam(description="the record's event_id", max_length=200)]
DocId = Annotated[str, PathParam(description="the document's id", max_length=500)]


class Stores:
    """One store connection per worker thread (SQLite connections stay in their thread)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = SQLiteStore(self.path, check_same_thread=False)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()


class RecordOut(BaseModel):
    """An event or aid record as ``sitrep extract --format jsonl`` prints it (see the README's record contract)."""

    model_config = ConfigDict(extra="allow")
    kind: str = Field(description="event or aid")
    doc_id: str
    event_id: str
    event_date: str | None = None
    notes: str = ""


class EventsPage(BaseModel):
    items: list[RecordOut]
    next: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    as_of: str = Field(description="the server's time when the page was read; use as `updated_since` later")


class DocumentRef(BaseModel):
    doc_id: str
    date: str | None
    title: str | None
    url: str | None
    source: str | None


class RecordDetail(RecordOut):
    document: DocumentRef


class DocumentOut(DocumentRef):
    text: str
    lang: str | None
    records: list[RecordOut]


class Health(BaseModel):
    status: str
    records: int
    schema_version: int


class Stats(BaseModel):
    model_config = ConfigDict(extra="allow")
    documents: int
    events: int
    aid: int
    without_location: int
    by_type: dict[str, int]
    by_month: dict[str, int]
    by_admin1: dict[str, int]


SETTINGS_ENV = "SITREP_SERVE_SETTINGS"


def app_from_env() -> FastAPI:
    """The application of the settings in ``$SITREP_SERVE_SETTINGS`` (JSON): how each of several
    worker processes started by ``sitrep serve --workers N`` builds its own."""
    return create_app(Settings(**json.loads(os.environ[SETTINGS_ENV])))


def create_app(settings: Settings) -> FastAPI:
    """The application serving the store at ``settings.db``."""
    SQLiteStore(settings.db).close()  # creates and migrates the file once, before any request
    stores = Stores(settings.db)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        lifespan=lifespan,
        title="sitrep",
        summary="Conflict events extracted from news reports, with their sources and evidence.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "events", "description": "records, filtered and paged"},
            {"name": "documents", "description": "reports and what was extracted from them"},
            {"name": "incidents", "description": "the events of many reports linked into one incident"},
            {"name": "map", "description": "what the map page draws"},
        ],
    )
    app.state.settings = settings
    app.state.stores = stores
    problems.install(app)

    bad = problems.responses(400)

    @app.get("/healthz", response_model=Health, tags=["events"])
    def healthz(db: StoreDep) -> dict[str, Any]:
        """Whether the server can read its store."""
        stats_ = db.stats()
        return {"status": "ok", "records": stats_["events"] + stats_["aid"], "schema_version": stats_["schema_version"]}

    @app.get("/api/events", response_model=EventsPage, responses=bad, tags=["events"])
    def events(
        db: StoreDep,
        query: QueryDep,
        limit: Annotated[int, Param(ge=1, le=MAX_LIMIT, description="records per page")] = 100,
        cursor: Annotated[str | None, Param(description="the `next` of the previous page")] = None,
    ) -> Response:
        """Records matching every filter, by date (undated last) then id, a page at a time.

        The order does not change as documents arrive: follow `next` until it is null.
        """
        after = decode_cursor(cursor) if cursor else None
        as_of = _now()
        texts, next_key = db.page_json(_limited(query, limit), after=after)
        nxt = json.dumps(encode_cursor(next_key)) if next_key else "null"
        # the stored JSON of each record goes out as it is, unparsed
        body = f'{{"items": [{", ".join(texts)}], "next": {nxt}, "as_of": "{as_of}"}}'
        return Response(body.encode("utf-8"), media_type="application/json")

    @app.get("/api/events.geojson", responses=bad, tags=["events"], response_class=StreamingResponse)
    def events_geojson(db: StoreDep, query: QueryDep) -> StreamingResponse:
        """Every located record matching the filters, as a GeoJSON FeatureCollection (streamed)."""
        return StreamingResponse(
            _bytes(iter_geojson(_all(db, query))),
            media_type="application/geo+json",
            headers={"Content-Disposition": 'inline; filename="sitrep.geojson"'},
        )

    @app.get("/api/events.csv", responses=bad, tags=["events"], response_class=StreamingResponse)
    def events_csv(db: StoreDep, query: QueryDep) -> StreamingResponse:
        """Every record matching the filters as CSV with ACLED's column names (streamed)."""
        return StreamingResponse(
            _bytes(iter_csv(_all(db, query))),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="sitrep.csv"'},
        )

    @app.get("/api/events/{event_id}", response_model=RecordDetail, responses=problems.responses(404), tags=["events"])
    def event(db: StoreDep, event_id: EventId) -> Response:
        """One record with its claims, evidence and its document's id, title and link."""
        record = db.record(event_id)
        if record is None:
            raise Problem(404, f"no record with event_id {event_id!r}", param="event_id")
        doc = db.document(record.doc_id)
        body = record.to_json()
        body["document"] = {
            "doc_id": record.doc_id,
            "date": doc.date if doc else None,
            "title": doc.title if doc else None,
            "url": doc.url if doc else None,
            "source": doc.source if doc else None,
        }
        return _json(body)

    @app.get(
        "/api/documents/{doc_id}", response_model=DocumentOut, responses=problems.responses(404), tags=["documents"]
    )
    def document(db: StoreDep, doc_id: DocId) -> Response:
        """A stored report: its text and every record extracted from it."""
        doc = db.document(doc_id)
        if doc is None:
            raise Problem(404, f"no document with id {doc_id!r}", param="doc_id")
        return _json(
            {
                "doc_id": doc.doc_id,
                "date": doc.date,
                "title": doc.title,
                "url": doc.url,
                "source": doc.source,
                "lang": doc.lang,
                "text": doc.text,
                "records": [r.to_json() for r in db.records_of(doc_id)],
            }
        )

    @app.get("/api/stats", response_model=Stats, tags=["events"])
    def stats(db: StoreDep) -> dict[str, Any]:
        """Counts of documents and records, by event type, month and oblast (admin1)."""
        out = db.stats()
        out.pop("path", None)  # where the file lives is the server's business
        return out

    write.install(app, settings)
    incidents.install(app)
    layers.install(app)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="sitrep API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon-32x32.png",
        )

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        page = STATIC / "index.html"
        if not page.exists():
            return HTMLResponse(_NOT_BUILT, status_code=503)
        return HTMLResponse(page.read_text(encoding="utf-8"))

    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    else:
        log.warning("%s: the map page is not built; run `npm ci && npm run build` in web/", STATIC)

    _problem_json(app)

    return app


_NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>sitrep: map not built</title>
<p>The map page of this sitrep installation has not been built. From the source folder run
<code>./install.sh</code> (or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>), then restart
<code>sitrep serve</code>. The API works meanwhile: <a href="/api/events">/api/events</a>.</p>
"""


def _limited(query: Query, limit: int) -> Query:
    from dataclasses import replace

    return replace(query, limit=limit)


def _all(db: Store, query: Query) -> Iterator[Record]:
    """Every record of ``query``, read a page at a time (the export never holds them all)."""
    after: PageKey | None = None
    q = _limited(query, EXPORT_PAGE)
    while True:
        page = db.page(q, after=after)
        yield from page.records
        if page.next is None:
            return
        after = page.next


def _bytes(pieces: Iterator[str]) -> Iterator[bytes]:
    buf: list[str] = []
    size = 0
    for piece in pieces:
        buf.append(piece)
        size += len(piece)
        if size > 64 * 1024:
            yield "".join(buf).encode("utf-8")
            buf, size = [], 0
    yield "".join(buf).encode("utf-8")


def _json(body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False).encode("utf-8"), media_type="application/json")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _problem_json(app: FastAPI) -> None:
    """Declare the problem+json body of FastAPI's parameter errors as 400 (FastAPI would say 422)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        problem = {"$ref": "#/components/schemas/ProblemBody"}
        for item in schema.get("paths", {}).values():
            for op in item.values():
                codes = op.get("responses", {})
                if codes.pop("422", None) is not None or op.get("parameters") or op.get("requestBody"):
                    codes.setdefault(
                        "400",
                        {"description": "Bad request", "content": {problems.MEDIA_TYPE: {"schema": problem}}},
                    )
                for entry in codes.values():
                    content = entry.get("content", {})
                    if problems.MEDIA_TYPE in content:
                        content[problems.MEDIA_TYPE] = {"schema": problem}
                        content.pop("application/json", None)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schema["components"]["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "the server's SITREP_API_TOKEN"}
        }
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sitrep")
    except PackageNotFoundError:
        return "0"

