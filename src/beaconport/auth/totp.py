"""The second factor: time-based one-time codes (RFC 6238) from an authenticator app.

Codes last 30 seconds. One step of drift either way is accepted, because phones' clocks wander and
people type slowly; a code is never accepted twice, because the step it was accepted for is kept
and only later steps are accepted after it.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from html import escape

import pyotp
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from beaconport import clock

ISSUER = "Beaconport"
STEP_SECONDS = 30
DIGITS = 6
#: Steps of clock drift accepted either side of now.
DRIFT_STEPS = 1


def new_secret() -> str:
    """A random 160-bit seed, base32 as authenticator apps expect (RFC 4226 recommends 160)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def step_at(at: datetime) -> int:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return int(aware.timestamp()) // STEP_SECONDS


def current_code(secret: str, at: datetime) -> str:
    """The code an authenticator app shows at ``at`` (naive datetimes are read as UTC)."""
    return pyotp.TOTP(secret).generate_otp(step_at(at))


def verify_code(secret: str, code: str, last_step: int | None, *,
                at: datetime | None = None) -> int | None:
    """The 30-second step the code belongs to, or None if it is wrong.

    Spaces typed inside the code (apps show "123 456") are ignored. A step at or before
    ``last_step`` is never accepted, so a code that was used once, or an older one, is refused
    even within its 30 seconds.
    """
    typed = "".join(code.split())
    if len(typed) != DIGITS or not typed.isascii() or not typed.isdigit():
        return None
    otp = pyotp.TOTP(secret)
    now = step_at(at or clock.now())
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(otp.generate_otp(step), typed):
            return step
    return None


def qr_svg(uri: str, *, title: str = "QR code to scan with your authenticator app") -> str:
    """The QR code as an inline SVG element to put straight into a page.

    No XML declaration, a ``title`` for screen readers (``role="img"`` with
    ``aria-labelledby``), and a white background with a quiet zone so it scans on any theme.
    The dark modules are drawn as one path, one rectangle per run of modules in a row.
    """
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(uri)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size * 5}" height="{size * 5}" role="img" aria-labelledby="totp-qr-title" '
        'shape-rendering="crispEdges">'
        f'<title id="totp-qr-title">{escape(title)}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/>'
        "</svg>"
    )
