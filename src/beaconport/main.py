"""The web application: pages, the API, static files, and how errors reach people.

No error ever shows a stack trace or SQL: unexpected failures are logged with a reference and
the person sees a plain page (or JSON for the API) quoting that reference.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from beaconport.api import API_PREFIX, create_api
from beaconport.deps import Forbidden, SignInRequired
from beaconport.errors import BeaconportError, DatabaseUnavailable, InvalidRequest, NotFound
from beaconport.web.routes import router as web_router
from beaconport.web.security import CsrfFailed, SecurityMiddleware
from beaconport.web.templating import render

log = logging.getLogger("beaconport.web")
STATIC = Path(__file__).parent / "web" / "static"

_PAGES: dict[type[BeaconportError], tuple[int, str]] = {
    NotFound: (404, "Page not found"),
    Forbidden: (403, "You do not have access to this page"),
    CsrfFailed: (403, "This form could not be accepted"),
    InvalidRequest: (400, "There is a problem with what was sent"),
    DatabaseUnavailable: (503, "Sorry, the service is unavailable"),
}


#: The API's titles: the pages' headings speak of pages and forms, which an API has not.
_API_TITLES: dict[int, str] = {
    400: "The request is not valid", 403: "Not allowed", 404: "Not found",
    405: "Method not allowed", 500: "Internal error", 503: "Service unavailable",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page(request: Request, status: int, heading: str, message: str,
          reference: str | None = None) -> Response:
    if _is_api(request):
        title = _API_TITLES.get(status, heading)
        body: dict[str, object] = {"status": status, "title": title, "detail": message}
        if reference:
            body["reference"] = reference
        return JSONResponse(body, status_code=status)
    return render(request, "errors/error.html",
                  {"heading": heading, "message": message, "reference": reference},
                  status_code=status)


async def _domain_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, SignInRequired):
        if _is_api(request):
            return JSONResponse({"status": 401, "title": "Not authenticated",
                                 "detail": "Send a valid API token as 'Authorization: Bearer …'."},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return RedirectResponse("/sign-in", status_code=303)
    assert isinstance(exc, BeaconportError)
    status, heading = next(((s, h) for kind, (s, h) in _PAGES.items() if isinstance(exc, kind)),
                           (400, "There is a problem"))
    if isinstance(exc, DatabaseUnavailable):
        log.error("database unavailable: %s", exc)
        return _page(request, status, heading, "Try again in a few minutes.")
    return _page(request, status, heading, str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return _page(request, 404, "Page not found",
                     "If you typed the web address, check it is correct.")
    if exc.status_code == 405:
        return _page(request, 405, "Not allowed", "This address does not accept that request.")
    return _page(request, exc.status_code, "There is a problem", str(exc.detail))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [{"location": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                for e in exc.errors()]
    if _is_api(request):
        return JSONResponse({"status": 422, "title": "The request is not valid",
                             "problems": problems}, status_code=422)
    text = "; ".join(f"{p['location']}: {p['message']}" for p in problems)
    return _page(request, 400, "There is a problem with what was sent", text)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Starlette re-raises after answering, so an error in the mounted API reaches the outer app's
    # handler too: log it once, under the reference the person was given.
    reference = getattr(exc, "beaconport_reference", None)
    if not isinstance(reference, str):
        reference = secrets.token_hex(4)
        log.exception("unexpected error %s on %s %s", reference, request.method, request.url.path)
        with contextlib.suppress(AttributeError):
            exc.beaconport_reference = reference  # type: ignore[attr-defined]
    return _page(request, 500, "Sorry, there is a problem with the service",
                 "Try again later. Nothing you sent has been half-saved.", reference)


def install_error_handlers(app: FastAPI) -> None:
    """How errors reach people, for the pages and for the API (a separate, mounted app)."""
    app.add_exception_handler(BeaconportError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)


def create_app() -> FastAPI:
    app = FastAPI(title="Beaconport", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SecurityMiddleware)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
        if (STATIC / "assets").is_dir():
            app.mount("/assets", StaticFiles(directory=STATIC / "assets"), name="assets")
    app.include_router(web_router)
    api = create_api()
    install_error_handlers(api)
    app.mount(API_PREFIX, api)
    install_error_handlers(app)
    return app
