"""``sitrep serve``: the store over HTTP (a JSON API, streamed CSV and GeoJSON) and the map page.

:func:`sitrep.server.app.create_app` builds the ASGI application over a store file; ``sitrep serve`` runs it
under uvicorn. Modules:

- :mod:`~sitrep.server.app`: the application, its settings and the read endpoints;
- :mod:`~sitrep.server.params`: the filters shared by the endpoints, parsed into a :class:`~sitrep.store.Query`;
- :mod:`~sitrep.server.problems`: every error as ``application/problem+json`` (RFC 9457);
- :mod:`~sitrep.server.write`: ``POST /api/documents``, behind a bearer token;
- :mod:`~sitrep.server.layers`: the map's reference layers (oblast points, front lines) and event cells;
- :mod:`~sitrep.server.cli`: the ``serve`` command.

The page and the offline API docs are built from npm packages into ``server/static/``
(``npm ci && npm run build`` in ``web/``); :data:`STATIC` is that folder.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
