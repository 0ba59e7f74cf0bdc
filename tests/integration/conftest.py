"""A seeded web application for page tests: referrals from two forces, one account per role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.integration.helpers import example, write_jsonl
from tests.integration.web_support import Browser, sign_in

from beaconport.auth.service import issue_token
from beaconport.db import session_scope
from beaconport.demo.accounts import create_demo_accounts
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import (
    PersonRecord,
    Referral,
    ReferralVersion,
    RejectedReferral,
)
from beaconport.settings import get_settings

WYP, GMP = "E23000010", "E23000005"
REFERRALS = "/api/v1/referrals"


@dataclass
class Seeded:
    url: str
    app: Any
    wyp_referral: uuid.UUID
    gmp_referral: uuid.UUID
    suspect: uuid.UUID
    complainant: uuid.UUID
    rejected: uuid.UUID

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="https://testserver")

    def as_user(self, username: str) -> Browser:
        return sign_in(self.client(), username)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: these tests check behaviour, not the cost of a hash."""
    monkeypatch.setattr("beaconport.auth.passwords._hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def no_blind_sample_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reviews are drawn for the blind second review at random; tests that submit reviews must
    not be drawn by chance, so the default share is none (tests of the sample set one)."""
    monkeypatch.setattr("beaconport.review.blind.DEFAULT_PERCENT", 0)


@pytest.fixture
def web(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    monkeypatch.setenv("BEACONPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    from beaconport.main import create_app

    docs = [example(f"WYP/CSE/2014/{n:05d}") for n in range(1, 4)]
    docs += [example(f"GMP/CSE/2016/{n:05d}", force=GMP) for n in range(1, 3)]
    broken = example("WYP/CSE/2014/BROKEN")
    del broken["crimes"]
    import_file(write_jsonl(tmp_path / "seed.jsonl", [*docs, broken]), actor="test:seed",
                unit_of_work=lambda: session_scope(db_url))
    with session_scope(db_url) as session:
        create_demo_accounts(session, actor="test:seed")
        ids: dict[str, uuid.UUID] = dict(session.execute(
            select(Referral.force_reference, Referral.id)).all())
        wyp = ids["WYP/CSE/2014/00001"]
        people: dict[str, uuid.UUID] = dict(session.execute(
            select(PersonRecord.role, PersonRecord.id)
            .join(ReferralVersion, ReferralVersion.id == PersonRecord.version_id)
            .where(ReferralVersion.referral_id == wyp,
                   PersonRecord.person_ref.in_(["P1", "P3"]))).all())
        rejected = session.scalar(select(RejectedReferral.id))
    assert rejected is not None
    yield Seeded(db_url, create_app(), wyp, ids["GMP/CSE/2016/00001"], people["suspect"],
                 people["complainant"], rejected)
    get_settings.cache_clear()


@dataclass
class Api:
    url: str
    client: TestClient
    wyp: str
    gmp: str

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.wyp}"}

    def submit(self, document: Any, token: str | None = None) -> Any:
        return self.client.post(REFERRALS, json=document, headers=self.headers(token))

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self.headers(token), **kwargs)


@pytest.fixture
def api(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    monkeypatch.setenv("BEACONPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    from beaconport.main import create_app

    with session_scope(db_url) as session:
        wyp = issue_token(session, actor="test:setup", name="WYP case system", force_code=WYP)
        gmp = issue_token(session, actor="test:setup", name="GMP case system", force_code=GMP)
    yield Api(db_url, TestClient(create_app(), base_url="https://testserver"), wyp, gmp)
    get_settings.cache_clear()
