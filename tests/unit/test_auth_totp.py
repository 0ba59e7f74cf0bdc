"""Time-based codes: drift, reuse, typing, provisioning and the QR code."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from beaconport.auth import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AT = datetime(2026, 12, 1, 9, 0, 10, tzinfo=UTC)
STEP = int(AT.timestamp()) // 30


def test_new_secrets_are_random_160_bit_base32() -> None:
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second and len(first) == 32
    assert pyotp.TOTP(first).now().isdigit()


def test_current_code_matches_an_authenticator_app() -> None:
    assert totp.current_code(SECRET, AT) == pyotp.TOTP(SECRET).at(AT)
    assert totp.current_code(SECRET, AT.replace(tzinfo=None)) == pyotp.TOTP(SECRET).at(AT)


def test_a_code_is_accepted_for_its_step_with_one_step_of_drift() -> None:
    code = totp.current_code(SECRET, AT)
    assert totp.verify_code(SECRET, code, None, at=AT) == STEP
    assert totp.verify_code(SECRET, code, None, at=AT + timedelta(seconds=30)) == STEP
    assert totp.verify_code(SECRET, code, None, at=AT - timedelta(seconds=30)) == STEP
    assert totp.verify_code(SECRET, code, None, at=AT + timedelta(seconds=60)) is None
    assert totp.verify_code(SECRET, code, None, at=AT - timedelta(seconds=60)) is None


def test_a_code_is_never_accepted_twice_nor_an_older_one() -> None:
    code = totp.current_code(SECRET, AT)
    assert totp.verify_code(SECRET, code, STEP, at=AT) is None
    assert totp.verify_code(SECRET, code, STEP - 1, at=AT) == STEP
    earlier = totp.current_code(SECRET, AT - timedelta(seconds=30))
    assert totp.verify_code(SECRET, earlier, STEP, at=AT) is None
    later = totp.current_code(SECRET, AT + timedelta(seconds=30))
    assert totp.verify_code(SECRET, later, STEP, at=AT + timedelta(seconds=30)) == STEP + 1


def test_spaces_in_the_typed_code_are_ignored() -> None:
    code = totp.current_code(SECRET, AT)
    assert totp.verify_code(SECRET, f" {code[:3]} {code[3:]} ", None, at=AT) == STEP


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "------"])
def test_malformed_codes_are_refused(typed: str) -> None:
    assert totp.verify_code(SECRET, typed, None, at=AT) is None


def test_provisioning_uri_names_the_issuer_and_account() -> None:
    uri = urlparse(totp.provisioning_uri(SECRET, "alice"))
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert uri.path == "/Beaconport:alice"
    assert parse_qs(uri.query) == {"secret": [SECRET], "issuer": ["Beaconport"]}


def test_qr_code_is_inline_svg_with_an_accessible_title() -> None:
    svg = totp.qr_svg(totp.provisioning_uri(SECRET, "alice"))
    assert svg.startswith("<svg ") and "<?xml" not in svg
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("role") == "img"
    title = root.find(f"{ns}title")
    assert title is not None and title.get("id") == root.get("aria-labelledby")
    assert "authenticator app" in (title.text or "")
    path = root.find(f"{ns}path")
    assert path is not None and path.get("d", "").startswith("M")


def test_qr_title_is_escaped() -> None:
    svg = totp.qr_svg("otpauth://totp/x", title="<b>&</b>")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in svg
