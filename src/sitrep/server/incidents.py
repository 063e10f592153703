"""``/api/incidents``: the incidents that link the events of many reports (see :mod:`sitrep.incidents`).

Incidents are reconciled from their events when asked for, so a page is cut from the incidents matching
the filters, in the same stable order as events: by date (undated last), then id.
"""

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import FastAPI
from fastapi import Path as PathParam
from fastapi import Query as Param
from pydantic import BaseModel, ConfigDict, Field

from sitrep.incidents import Incident, incidents
from sitrep.incidents.record import incidents_from
from sitrep.server import problems
from sitrep.server.params import MAX_LIMIT, QueryDep, StoreDep, decode_cursor, encode_cursor
from sitrep.server.problems import Problem

IncidentId = Annotated[str, PathParam(description="the incident's id", max_length=200)]


class IncidentOut(BaseModel):
    """An incident as ``sitrep incidents --format jsonl`` prints it: the reconciled event, killed and
    injured as low/best/high, each report's source, and the ids of its events."""

    model_config = ConfigDict(extra="allow")
    kind: str
    incident_id: str
    event_date: str | None = None
    event_ids: list[str]


class IncidentsPage(BaseModel):
    items: list[IncidentOut]
    next: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    as_of: str


def _key(incident: Incident) -> tuple[str, str]:
    return (incident.event_date or "~", incident.incident_id)


def install(app: FastAPI) -> None:
    @app.get("/api/incidents", response_model=IncidentsPage, responses=problems.responses(400), tags=["incidents"])
    def list_incidents(
        db: StoreDep,
        query: QueryDep,
        limit: Annotated[int, Param(ge=1, le=MAX_LIMIT, description="incidents per page")] = 100,
        cursor: Annotated[str | None, Param(description="the `next` of the previous page")] = None,
    ) -> dict[str, Any]:
        """Incidents of which at least one event matches every filter (the filters of `/api/events`),
        by date (undated last) then id, a page at a time."""
        after = decode_cursor(cursor) if cursor else None
        as_of = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        found = sorted(incidents(db, dataclasses.replace(query, limit=None)), key=_key)
        if after is not None:
            start = (after[0] or "~", after[1])
            found = [i for i in found if _key(i) > start]
        page = found[:limit]
        more = len(found) > limit
        return {
            "items": [i.to_json() for i in page],
            "next": encode_cursor((page[-1].event_date, page[-1].incident_id)) if more else None,
            "as_of": as_of,
        }

    @app.get(
        "/api/incidents/{incident_id}",
        response_model=IncidentOut,
        responses=problems.responses(404),
        tags=["incidents"],
    )
    def incident(db: StoreDep, incident_id: IncidentId) -> dict[str, Any]:
        """One incident: its reconciled event, figures, sources and the ids of its events."""
        found = incidents_from(db.incident(incident_id))
        if not found:
            raise Problem(404, f"no incident with id {incident_id!r}", param="incident_id")
        return found[0].to_json()
