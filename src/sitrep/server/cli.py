"""``sitrep serve``: the API and the map over a store, with uvicorn."""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import json
import logging
import os
from pathlib import Path
from typing import Any

from sitrep.cli import Subparsers, UsageError, command, db_options
from sitrep.errors import SitrepError

log = logging.getLogger(__name__)

TOKEN_ENV = "SITREP_API_TOKEN"


@command("serve")
def add_serve(sub: Subparsers) -> None:
    p = sub.add_parser(
        "serve",
        parents=[db_options()],
        help="serve the store: a JSON API, CSV and GeoJSON, and the map at /",
        description="Serve the store over HTTP: the API under /api (documented at /docs and /openapi.json) "
        "and the map page at /. Binds to 127.0.0.1 unless --host says otherwise. Writing "
        f"(POST /api/documents) needs a token from ${TOKEN_ENV} or --token-file; without one it is disabled.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--token-file", metavar="FILE", help=f"file holding the write token (else ${TOKEN_ENV})")
    p.add_argument(
        "--max-body", type=int, default=2 * 1024 * 1024, metavar="BYTES",
        help="largest POST body accepted (default 2 MiB; larger is 413)",
    )
    p.add_argument(
        "--workers", type=int, default=1, metavar="N",
        help="server processes (default 1; 2 uses both cores of a small machine)",
    )
    p.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sitrep.server.app import SETTINGS_ENV, Settings, create_app
    from sitrep.store import resolve_db_path

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: expected 1 to 65535")
    if not 1 <= args.workers <= 64:
        raise UsageError(f"--workers {args.workers}: expected 1 to 64")
    if args.max_body < 1:
        raise UsageError(f"--max-body {args.max_body}: expected 1 or more")
    db = resolve_db_path(args.db)
    if db == ":memory:":
        raise UsageError("--db :memory: cannot be served (each worker thread would see its own empty store)")
    settings = Settings(db=db, token=_token(args.token_file), max_body=args.max_body)
    if not _loopback(args.host):
        log.warning("listening on %s: the API is reachable from other machines", args.host)
    if settings.token is None:
        log.warning("writing is disabled: set %s or pass --token-file to allow POST /api/documents", TOKEN_ENV)
    log.warning("serving %s on http://%s:%d/", db, args.host, args.port)
    options: dict[str, Any] = {"host": args.host, "port": args.port, "log_level": "warning", "access_log": False}
    if args.workers == 1:
        uvicorn.run(create_app(settings), **options)
        return 0
    create_app(settings)  # the store is created and migrated once, and errors show before the workers start
    os.environ[SETTINGS_ENV] = json.dumps(dataclasses.asdict(settings))
    uvicorn.run("sitrep.server.app:app_from_env", factory=True, workers=args.workers, **options)
    return 0


def _token(path: str | None) -> str | None:
    if path is not None:
        try:
            token = Path(path).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise SitrepError(f"{path}: cannot read the token file: {e.strerror}") from e
        except UnicodeDecodeError as e:
            raise SitrepError(f"{path}: the token file is not UTF-8 text") from e
        if not token:
            raise SitrepError(f"{path}:1: the token file is empty")
        return token
    return os.environ.get(TOKEN_ENV, "").strip() or None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
