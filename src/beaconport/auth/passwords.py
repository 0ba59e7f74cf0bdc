"""Passwords: argon2id hashes, and the policy a new password must meet.

The policy follows the NCSC's advice: length matters more than a mix of character classes, so it
asks for a long password and refuses only what is easy to guess (built from the username, one
character repeated, a run such as ``123456789012``, a very common password). It never asks for a
digit or a symbol, and passwords never expire.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from beaconport.settings import get_settings

#: argon2id with the library's defaults (RFC 9106's second recommended option: 64 MiB, 3 passes),
#: about a tenth of a second per check.
_hasher = PasswordHasher()

#: Long enough for any passphrase; a limit stops someone sending megabytes to be hashed.
MAX_LENGTH = 1024

#: Passwords that appear at the top of every breached-password list, with the digits and
#: punctuation people add to them taken away, and the name of this service.
_COMMON = frozenset({
    "password", "passwords", "passw", "passwd", "qwerty", "qwertyuiop", "qwertyuiopasdfghjkl",
    "asdfghjkl", "zxcvbnm", "letmein", "welcome", "iloveyou", "admin", "administrator",
    "changeme", "monkey", "football", "dragon", "sunshine", "princess", "abc", "abcdef",
    "secret", "trustno", "login", "master", "beaconport", "police",
})


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; False for a wrong password or a damaged hash, never an
    exception, so a caller cannot treat the two cases differently by mistake."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's: replace it at sign-in."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    return _hasher.hash("no account has this password")


def dummy_verify(password: str) -> bool:
    """Check a password against a hash no account has, and return False.

    Used when the username is unknown, so that signing in as someone who does not exist takes as
    long as a wrong password for someone who does: timing does not reveal which accounts exist.
    """
    verify_password(_dummy_hash(), password)
    return False


def _step(a: str, b: str) -> int:
    """How far b is from a; digits wrap, as on a keyboard's top row ('890123')."""
    if a.isascii() and b.isascii() and a.isdigit() and b.isdigit():
        return {0: 0, 1: 1, 9: -1}.get((int(b) - int(a)) % 10, 10)
    return ord(b) - ord(a)


def _is_run(text: str) -> bool:
    """One character repeated, or a run that steps up or down by one: 'aaaa', '1234', 'dcba'."""
    steps = {_step(a, b) for a, b in pairwise(text)}
    return len(steps) <= 1 and steps <= {-1, 0, 1}


def check_password_policy(password: str, username: str) -> list[str]:
    """Every reason the password is refused, in plain English; empty when it is acceptable."""
    minimum = get_settings().password_min_length
    problems: list[str] = []
    if len(password) < minimum:
        problems.append(f"A password needs at least {minimum} characters; this one has "
                        f"{len(password)}. A few unrelated words make a long password that is "
                        "easy to remember.")
    if len(password) > MAX_LENGTH:
        problems.append(f"A password can have at most {MAX_LENGTH:,} characters.")
    lowered = password.lower()
    name = username.strip().lower()
    if name and len(lowered.replace(name, "")) < minimum:
        problems.append("A password must not be the username, or built from it.")
    if password and _is_run(password):
        problems.append("A password must not be one character repeated, or a run such as "
                        "123456 or abcdef.")
    elif password and len(set(password)) < 4:
        problems.append("A password needs more than three different characters.")
    core = re.sub(r"[\d\W_]+", "", lowered)
    if core in _COMMON:
        problems.append("That password is one of the most common passwords, which are tried "
                        "first by anyone guessing. Choose something less predictable.")
    return problems
