"""Password hashing and the password policy, without a database."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from beaconport.auth import passwords
from beaconport.settings import get_settings


def test_hash_is_argon2id_and_verifies() -> None:
    hashed = passwords.hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert passwords.verify_password(hashed, "correct horse battery staple")
    assert not passwords.verify_password(hashed, "correct horse battery stapler")
    assert not passwords.needs_rehash(hashed)


@pytest.mark.parametrize("stored", ["", "not a hash", "$argon2id$v=19$m=1,t=1,p=1$xx$yy"])
def test_verify_never_raises_for_a_damaged_hash(stored: str) -> None:
    assert passwords.verify_password(stored, "anything at all") is False
    assert passwords.needs_rehash(stored)


def test_a_weaker_hash_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("a long password")
    assert passwords.verify_password(weak, "a long password")
    assert passwords.needs_rehash(weak)


def test_dummy_verification_always_fails() -> None:
    assert passwords.dummy_verify("no account has this password") is False
    assert passwords.dummy_verify("") is False


@pytest.mark.parametrize("password", [
    "correct horse battery staple",
    "demo-password-1234",
    "7391 0462 8835 1270",
    "Tŷ Newydd, Llanfairpwll, 1997",
])
def test_long_passwords_are_accepted_whatever_their_characters(password: str) -> None:
    assert passwords.check_password_policy(password, "alice") == []


@pytest.mark.parametrize(("password", "words"), [
    ("short1!", "at least 12 characters"),
    ("alice.jones", "at least 12 characters"),
    ("alice.jones1", "the username, or built from it"),
    ("ALICE.JONES-99", "the username, or built from it"),
    ("aaaaaaaaaaaaaaaa", "one character repeated"),
    ("123456789012345", "a run such as"),
    ("abcdefghijklmn", "a run such as"),
    ("0987654321098", "a run such as"),
    ("zyxwvutsrqponm", "a run such as"),
    ("abababababababab", "more than three different characters"),
    ("Password123456!", "most common passwords"),
    ("qwertyuiop1234", "most common passwords"),
    ("x" * 1025 + "yz1", "at most 1,024 characters"),
])
def test_easily_guessed_passwords_are_refused_in_plain_words(password: str, words: str) -> None:
    problems = passwords.check_password_policy(password, "alice.jones")
    assert any(words in p for p in problems), problems


def test_minimum_length_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEACONPORT_PASSWORD_MIN_LENGTH", "20")
    get_settings.cache_clear()
    try:
        assert passwords.check_password_policy("correct horse battery", "bob") == []
        assert "at least 20 characters" in passwords.check_password_policy(
            "correct horse batt", "bob")[0]
    finally:
        get_settings.cache_clear()
