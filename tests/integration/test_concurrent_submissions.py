"""Two submissions of the same new referral at the same moment: one is accepted, the other finds
it and is unchanged. Neither fails on the key they both tried to insert."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path
from typing import Any

from tests.integration.helpers import count, example, write_jsonl

from beaconport.audit.service import Actor
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.db import session_scope
from beaconport.referrals import submission
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import Referral


def _together(work: Any, copies: int) -> list[Any]:
    start = threading.Barrier(copies)
    results: list[Any] = [None] * copies

    def run(n: int) -> None:
        start.wait()
        try:
            results[n] = work()
        except Exception as exc:  # reported below, with which thread failed
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_same_new_referral_through_the_api_at_once(db_url: str) -> None:
    """No race here: each submission records its start in the audit log first, and the audit
    log's lock orders them, so the second looks the referral up after the first committed."""
    principal = Principal(uuid.uuid4(), "bp_test", "WYP case system",
                          (Grant(Role.FORCE_SUBMITTER, "E23000010"),), kind="token")

    def submit(body: bytes) -> str:
        with session_scope(db_url) as session:
            return submission.submit_referral(session, principal=principal,
                                              actor=Actor(principal.actor), body=body).result

    for round_ in range(3):
        body = json.dumps(example(f"RACE/API/{round_}")).encode()
        results = _together(lambda b=body: submit(b), 4)
        assert sorted(map(str, results)) == ["accepted", "unchanged", "unchanged", "unchanged"]
    assert count(db_url, Referral) == 3


def test_the_same_new_referrals_in_two_files_at_once(db_url: str, tmp_path: Path) -> None:
    docs = [example(f"RACE/FILE/{n}") for n in range(40)]
    files = [write_jsonl(tmp_path / f"copy{n}.jsonl", docs) for n in range(3)]
    results = []
    start = threading.Barrier(len(files))

    def run(path: Path) -> None:
        start.wait()
        results.append(import_file(path, actor="test", batch_size=10,
                                   unit_of_work=lambda: session_scope(db_url)))

    threads = [threading.Thread(target=run, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3, "an import failed"
    assert sum(r.summary.accepted for r in results) == 40
    assert sum(r.summary.unchanged for r in results) == 80
    assert count(db_url, Referral) == 40
