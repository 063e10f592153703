"""Errors as ``application/problem+json`` (RFC 9457): what was wrong, with which parameter.

:class:`Problem` is raised by the endpoints; :func:`install` makes every other error
(unknown route, wrong method, a parameter FastAPI refused, an unexpected failure) answer in
the same shape. A bad parameter is a 400 naming it; nothing answers with a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    500: "Internal server error",
}


class InvalidParam(BaseModel):
    name: str
    reason: str


class ProblemBody(BaseModel):
    """The body of every error (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    invalid_params: list[InvalidParam] | None = None


class Problem(Exception):
    """An error answered as problem+json; ``param`` names the parameter at fault."""

    def __init__(self, status: int, detail: str, *, param: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.param = param
        self.extra = extra
        self.headers: dict[str, str] = {}


def response(
    request: Request,
    status: int,
    detail: str,
    *,
    params: list[tuple[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if params:
        body["invalid_params"] = [{"name": name, "reason": reason} for name, reason in params]
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries of these error codes."""
    return {
        code: {"model": ProblemBody, "description": TITLES[code], "content": {MEDIA_TYPE: {}}} for code in codes
    }


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` as problem+json."""

    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> JSONResponse:
        params = [(exc.param, exc.detail)] if exc.param else None
        return response(request, exc.status, exc.detail, params=params, headers=exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        params = []
        for error in exc.errors():
            loc = [str(part) for part in error.get("loc", ())]
            name = loc[-1] if len(loc) > 1 else ".".join(loc) or "request"
            params.append((name, str(error.get("msg", "invalid"))))
        detail = "; ".join(f"{name}: {reason}" for name, reason in params) or "invalid request"
        return response(request, 400, detail, params=params)

    @app.exception_handler(HTTPException)
    async def on_http(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such resource: {request.url.path}"
        return response(request, exc.status_code, detail, headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return response(request, 500, "the server failed to answer this request; the error is in its log")
