"""An import killed at any moment leaves a consistent store, and running it again completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.integration.helpers import count, example, write_jsonl

from beaconport.db import session_scope
from beaconport.referrals.models import (
    Crime,
    ImportBatch,
    PersonRecord,
    Referral,
    ReferralVersion,
    SuspectDecision,
)

REFERRALS = 1500


def _start_import(path: Path, url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BEACONPORT_DATABASE_URL": url, "BEACONPORT_IMPORT_BATCH_SIZE": "50"}
    return subprocess.Popen(
        [sys.executable, "-m", "beaconport.cli", "referrals", "import", str(path), "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _assert_consistent(url: str) -> int:
    """Every stored referral is whole: its current version has all its people, crimes and
    decisions, exactly as many as its document lists."""
    with session_scope(url) as session:
        rows = session.execute(
            select(ReferralVersion.id, ReferralVersion.document)
            .join(Referral, (Referral.id == ReferralVersion.referral_id)
                  & (Referral.current_version == ReferralVersion.number))
        ).all()
        for model, key in ((PersonRecord, "people"), (Crime, "crimes"),
                           (SuspectDecision, "decisions")):
            stored = dict(session.execute(
                select(model.version_id, func.count()).group_by(model.version_id)).all())
            for version_id, document in rows:
                assert stored.get(version_id, 0) == len(document[key]), (model, version_id)
        assert session.scalar(select(func.count()).select_from(Referral)) == len(rows)
    return len(rows)


@pytest.mark.slow
def test_kill_midway_then_resume(tmp_path: Path, db_url: str) -> None:
    path = write_jsonl(tmp_path / "big.jsonl",
                       [example(f"K/{i:05d}") for i in range(REFERRALS)])
    stored_after_kills = []
    for delay_rows in (50, 400, 900):
        process = _start_import(path, db_url)
        deadline = time.monotonic() + 120
        while count(db_url, Referral) < delay_rows and process.poll() is None:
            assert time.monotonic() < deadline, "import made no progress"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        stored_after_kills.append(_assert_consistent(db_url))
    assert stored_after_kills[0] < REFERRALS
    finished = _start_import(path, db_url)
    out, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err.decode()
    assert _assert_consistent(db_url) == REFERRALS
    assert count(db_url, ReferralVersion) == REFERRALS
    assert b'"unchanged": ' in out
    with session_scope(db_url) as session:
        statuses = sorted(session.scalars(select(ImportBatch.status)))
    assert statuses == ["completed", "interrupted", "interrupted", "interrupted"]
