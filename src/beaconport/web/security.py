"""Web security in one place: CSRF tokens, security headers with a strict CSP, and body limits.

CSRF: every form carries a token derived from the browser's session cookie (or, before sign-in,
from a random pre-sign-in cookie); htmx sends it as ``X-CSRF-Token``. Only someone who can read
the cookie could compute it, and cookies are HttpOnly and SameSite=Lax. An Origin header from
another site is refused too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request

from beaconport.deps import SESSION_COOKIE
from beaconport.errors import BeaconportError
from beaconport.settings import get_settings

CSRF_COOKIE = "beaconport_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UPLOAD_PATHS = ("/imports",)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class CsrfFailed(BeaconportError):
    """The form was not sent from one of our pages (or the page was too old)."""


def _derive(secret: str) -> str:
    return hashlib.sha256(b"beaconport-csrf:" + secret.encode()).hexdigest()


def csrf_token(request: Request) -> str:
    """The token forms on this page must send back."""
    secret = request.cookies.get(SESSION_COOKIE) or request.cookies.get(CSRF_COOKIE)
    if not secret:
        secret = getattr(request.state, "new_csrf_cookie", None) or secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = secret
    return _derive(secret)


def token_for_session(session_token: str) -> str:
    """The CSRF token of pages shown under a session cookie just issued (after sign-in)."""
    return _derive(session_token)


async def verify_csrf(request: Request) -> None:
    """Router dependency: refuse any unsafe request without a valid token or from elsewhere."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise CsrfFailed("This form was sent from another website, so it was not accepted.")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    secret = request.cookies.get(SESSION_COOKIE) or request.cookies.get(CSRF_COOKIE)
    if not sent or not secret or not hmac.compare_digest(sent, _derive(secret)):
        raise CsrfFailed("This page has expired or was not sent from Beaconport. Go back, "
                         "reload the page and try again.")


def _cookie_header(name: str, value: str, *, secure: bool) -> bytes:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class SecurityMiddleware:
    """Security headers on every response, body size limits, and the pre-sign-in CSRF cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        settings = get_settings()
        self.secure = settings.cookie_secure
        self.max_body = settings.max_request_kb * 1024
        self.max_upload = settings.max_upload_mb * 1024 * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, text = refusal
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    *self._headers(scope, html=False)]})
            await send({"type": "http.response.body", "body": text.encode()})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = dict(headers).get(b"content-type", b"")
                headers.extend(self._headers(scope, html=content_type.startswith(b"text/html")))
                new_cookie = scope.get("state", {}).get("new_csrf_cookie")
                if new_cookie:
                    headers.append((b"set-cookie", _cookie_header(
                        CSRF_COOKIE, new_cookie, secure=self.secure)))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        if scope["method"] in SAFE_METHODS:
            return None
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is None:
            return 411, "Send the length of the request (Content-Length)."
        limit = self.max_upload if scope["path"].startswith(UPLOAD_PATHS) else self.max_body
        try:
            too_big = int(length) > limit
        except ValueError:
            return 400, "The request's length is not a number."
        if too_big:
            return 413, f"The request is larger than the {limit // 1024:,} KiB allowed."
        return None

    def _headers(self, scope: Scope, *, html: bool) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
        ]
        if self.secure:
            headers.append((b"strict-transport-security", b"max-age=31536000"))
        if html or scope["path"].startswith("/api"):
            # Pages and answers show personal data: never keep them in a cache.
            headers.append((b"cache-control", b"no-store"))
        return headers
