"""``POST /api/documents``: reports in the ingest schema, extracted and stored, behind a bearer token.

Without a configured token writing is disabled (403); a missing or wrong token is 401; a body
larger than the configured size is 413, refused before it is read whole. Each report is checked
and stored on its own: the answer lists the records made and the errors of the others.
"""

import hmac
import json
import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from sitrep.errors import InputError, SitrepError
from sitrep.incidents import link
from sitrep.ingest.readers import document_from_json
from sitrep.pipeline import Pipeline
from sitrep.server import problems
from sitrep.server.problems import Problem
from sitrep.store import Store

_OPTIONAL = ["string", "null"]
#: the ingest schema (``sitrep ingest`` reads the same objects from JSON and JSON Lines files)
REPORT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "id": {"type": ["string", "integer", "null"], "description": "the document's id (else a hash of its text and date)"},
        "text": {"type": "string", "minLength": 1, "description": "the report's text"},
        "date": {
            "type": ["string", "integer", "null"],
            "description": "report date, YYYY[-MM[-DD]] (`doc_date` is read when there is no `date`)",
            "examples": ["2023-02-13"],
        },
        "lang": {"type": _OPTIONAL, "description": "fr, en, uk or ru; detected when missing", "examples": ["fr"]},
        "url": {"type": _OPTIONAL},
        "source": {"type": _OPTIONAL, "description": "the outlet or channel"},
        "title": {"type": _OPTIONAL},
    },
}


class ItemOut(BaseModel):
    index: int = Field(description="the report's position in the request (0 for a single report)")
    doc_id: str | None = None
    outcome: str | None = Field(None, description="added, replaced or unchanged")
    records: list[dict[str, Any]] = []
    error: str | None = None


class WriteOut(BaseModel):
    stored: int
    failed: int
    items: list[ItemOut]


class Writer:
    """Extracts and stores reports, one at a time (the pipeline is built once, on first use)."""

    def __init__(self, stores: Any) -> None:
        self._stores = stores
        self._pipeline: Pipeline | None = None
        self._lock = threading.Lock()

    def write(self, items: list[Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        with self._lock:
            for i, data in enumerate(items):
                out.append({"index": i, **self._one(i, data)})
        return out

    def _one(self, i: int, data: Any) -> dict[str, Any]:
        doc = document_from_json(f"item {i}", data)
        if isinstance(doc, InputError):
            return {"error": str(doc)}
        store: Store = self._stores.get()
        try:
            if store.contains(doc):
                return {"doc_id": doc.doc_id, "outcome": "unchanged", "records": _json(store.records_of(doc.doc_id))}
            if self._pipeline is None:
                self._pipeline = Pipeline()
            records = self._pipeline.extract(doc)
            outcome = link.ingest(store, doc, records)  # stored, and its events linked into incidents
        except SitrepError as e:
            return {"doc_id": doc.doc_id, "error": f"item {i}: {e}"}
        # as stored: with their incidents
        return {"doc_id": doc.doc_id, "outcome": outcome.value, "records": _json(store.records_of(doc.doc_id))}


def _json(records: Any) -> list[dict[str, Any]]:
    return [r.to_json() for r in records]


def install(app: FastAPI, settings: Any) -> None:
    writer = Writer(app.state.stores)

    @app.post(
        "/api/documents",
        response_model=WriteOut,
        response_model_exclude_none=True,
        responses=problems.responses(400, 401, 403, 413, 415),
        tags=["documents"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"oneOf": [REPORT_SCHEMA, {"type": "array", "items": REPORT_SCHEMA, "minItems": 1}]}
                    }
                },
            },
            "security": [{"bearer": []}],
        },
    )
    async def post_documents(request: Request) -> dict[str, Any]:
        """Extract and store one report or a JSON array of reports (`Authorization: Bearer <token>`).

        Each report is stored in its own transaction; the answer gives the records made for each
        and the error of each report refused. Sending the same report again changes nothing.
        """
        _authorise(request, settings.token)
        body = await _body(request, settings.max_body)
        try:
            parsed = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise Problem(400, f"the body is not JSON: {e}", param="body") from e
        items = parsed if isinstance(parsed, list) else [parsed]
        if not items:
            raise Problem(400, "an empty array holds no report", param="body")
        results = await run_in_threadpool(writer.write, items)
        failed = [r for r in results if r.get("error")]
        if len(failed) == len(results):
            raise Problem(
                400,
                "no report was stored: " + "; ".join(r["error"] for r in failed[:5]),
                param="body",
                items=results,
            )
        return {"stored": len(results) - len(failed), "failed": len(failed), "items": results}


def _authorise(request: Request, token: str | None) -> None:
    if not token:
        raise Problem(403, "writing is disabled: the server was started without SITREP_API_TOKEN or --token-file")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        problem = Problem(401, "a valid `Authorization: Bearer <token>` header is required to write")
        problem.headers = {"WWW-Authenticate": 'Bearer realm="sitrep"'}
        raise problem


async def _body(request: Request, limit: int) -> bytes:
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media not in ("application/json", "") and not media.endswith("+json"):
        raise Problem(415, f"expected application/json, got {media}", param="content-type")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Problem(413, f"the body is {declared} bytes; this server takes at most {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, f"the body is over {limit} bytes, the most this server takes")
        chunks.append(chunk)
    return b"".join(chunks)
