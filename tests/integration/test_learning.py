"""The learning on both engines, from real reviews: only signed-off ones count, by category of
the instrument, for one force and a period of sign-off; the page and its CSV, and who may see
the counts by force."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tests.integration.conftest import GMP, WYP, Seeded
from tests.integration.test_allocation import _allocate, _id, _reviewer
from tests.integration.test_structured_review import _principal
from tests.integration.test_triage import _case, _import
from tests.integration.test_web_access import assert_valid_html

from beaconport import clock
from beaconport.auth.permissions import Role
from beaconport.db import session_scope
from beaconport.review import conduct, learning
from beaconport.review.instrument import FindingInput, load
from beaconport.review.learning import CategoryCounts, LearningFilter


def _shortfall(assessment: str, error_type: str, impact: str, achievable: str) -> FindingInput:
    return FindingInput(assessment=assessment, basis="assessment", notes="From the file.",
                        achievable=achievable, impact=impact, error_type=error_type)


def _missed(error_type: str, impact: str, achievable: str) -> FindingInput:
    return _shortfall("not_done_available_at_time", error_type, impact, achievable)


def _error(error_type: str, impact: str, achievable: str) -> FindingInput:
    return _shortfall("done_inadequately", error_type, impact, achievable)


#: reference -> (force, findings other than not applicable, what happens to the review, when
#: it is signed off). Two missed lines in C in the first review: it counts once among the
#: reviews with a missed line in C.
CASES: dict[str, tuple[str, dict[str, FindingInput], str, datetime | None]] = {
    "WYP/L/01": (WYP, {"C2": _missed("human_error", "likely", "partly"),
                       "C3": _missed("process", "possible", "yes"),
                       "B4": _error("policy", "determinative", "no"),
                       "A1": FindingInput(assessment="done_adequately", basis="fact")},
                 "signed-off", datetime(2025, 3, 10, 23, 30, tzinfo=UTC)),
    "WYP/L/02": (WYP, {"C2": _error("human_error", "none", "no"),
                       "E1": _missed("resource", "likely", "yes")},
                 "signed-off", datetime(2025, 6, 20, 10, 0, tzinfo=UTC)),
    "GMP/L/03": (GMP, {"C5": _missed("human_error", "possible", "partly")},
                 "signed-off", datetime(2025, 6, 21, 9, 0, tzinfo=UTC)),
    # Returned by quality assurance (so it has a QA date) and in progress again: never counts.
    "WYP/L/04": (WYP, {"A1": _missed("misconduct_indicator", "determinative", "yes")},
                 "returned", datetime(2025, 6, 22, 9, 0, tzinfo=UTC)),
    # Waiting for quality assurance: never counts.
    "GMP/L/05": (GMP, {"D1": _missed("culture_bias", "likely", "yes")}, "submitted", None),
}


def _reviews(url: str, tmp_path: Path) -> None:
    """Every case of CASES imported, allocated, reviewed and taken as far as it says."""
    _import(url, tmp_path, *(dict(_case(reference), force=force)
                             for reference, (force, *_) in CASES.items()))
    _reviewer(url, "author", capacity=10)
    _reviewer(url, "checker")
    author = _principal(url, "author")
    checker = _principal(url, "checker", Role.SENIOR_REVIEWER)
    not_applicable = FindingInput(assessment="not_applicable", basis="fact")
    for reference, (_, findings, fate, signed_at) in CASES.items():
        _allocate(url, reference, "author")
        with session_scope(url) as session:
            review_id = conduct.start(session, principal=author, actor="author",
                                      referral_id=_id(url, reference))
            for category in load().categories:
                for item in category.items:
                    conduct.save_finding(session, principal=author, actor="author",
                                         review_id=review_id, item=item.code, revision=0,
                                         finding=findings.get(item.code, not_applicable))
            conduct.submit(session, principal=author, actor="author", review_id=review_id)
        if signed_at is None:
            continue
        with pytest.MonkeyPatch.context() as patch, session_scope(url) as session:
            patch.setattr(clock, "now", lambda moment=signed_at: moment)
            conduct.quality_assure(session, principal=checker, actor="checker",
                                   review_id=review_id, sign_off=fate == "signed-off",
                                   note="Checked against the file.")


EVERYTHING = LearningFilter()


def _counts(url: str, filters: LearningFilter = EVERYTHING, *,
            by_force: bool = False) -> learning.Learning:
    with session_scope(url) as session:
        return learning.counts(session, filters, by_force=by_force)


def _row(c: CategoryCounts) -> tuple[int, int, int]:
    return c.missed, c.errors, c.reviews_with_missed


def _by_code(found: learning.Learning) -> dict[str, CategoryCounts]:
    return {c.code: c for c in found.categories}


def _cells(html: str, testid: str) -> list[str]:
    """The numbers in one table row of a page."""
    row = re.search(rf'data-testid="{testid}">(.*?)</tr>', html, re.DOTALL)
    assert row, testid
    return re.findall(r'<td class="govuk-table__cell[^"]*">([^<]*)</td>', row.group(1))


def test_only_signed_off_reviews_count_by_category_force_and_period(
        db_url: str, tmp_path: Path) -> None:
    empty = _counts(db_url, by_force=True)
    assert (empty.reviews, empty.by_force) == (0, [])
    assert [c.code for c in empty.categories] == list("ABCDEFGHIJKLM")
    _reviews(db_url, tmp_path)

    everything = _counts(db_url, by_force=True)
    assert (everything.reviews, everything.reviews_with_missed) == (3, 3)
    found = _by_code(everything)
    assert found["C"].title == "Suspect identification and interview"
    assert _row(found["A"]) == (0, 0, 0)  # the returned review's missed line does not count
    assert _row(found["B"]) == (0, 1, 0)
    assert _row(found["C"]) == (3, 1, 2)
    assert _row(found["D"]) == (0, 0, 0)  # nor the one waiting for quality assurance
    assert _row(found["E"]) == (1, 0, 1)
    assert found["C"].by_error_type == {"human_error": 3, "process": 1}
    assert found["C"].by_impact == {"likely": 1, "possible": 2, "none": 1}
    assert found["C"].by_achievable == {"partly": 2, "yes": 1, "no": 1}
    assert found["B"].by_error_type == {"policy": 1}
    assert (everything.totals.missed, everything.totals.errors) == (4, 2)
    assert [(f.force_code, f.force_name, f.reviews, f.missed, f.errors)
            for f in everything.by_force or []] == [
        (GMP, "Greater Manchester Police", 1, 1, 0),
        (WYP, "West Yorkshire Police", 2, 3, 2)]
    assert _counts(db_url).by_force is None

    west_yorkshire = _counts(db_url, LearningFilter(force_code=WYP), by_force=True)
    assert (west_yorkshire.reviews, west_yorkshire.reviews_with_missed) == (2, 2)
    assert _row(_by_code(west_yorkshire)["C"]) == (2, 1, 1)
    assert [f.force_code for f in west_yorkshire.by_force or []] == [WYP]

    summer = _counts(db_url, LearningFilter(signed_off_from=date(2025, 6, 1)))
    assert summer.reviews == 2
    assert [_row(_by_code(summer)[code]) for code in "BCE"] == [(0, 0, 0), (1, 1, 1),
                                                                (1, 0, 1)]
    # The end of the period is a whole day: a sign-off late on it counts.
    spring = _counts(db_url, LearningFilter(signed_off_from=date(2025, 3, 10),
                                            signed_off_to=date(2025, 3, 10)))
    assert spring.reviews == 1 and _row(_by_code(spring)["C"]) == (2, 0, 1)
    nothing = _counts(db_url, LearningFilter(force_code=GMP, signed_off_to=date(2025, 6, 20)))
    assert nothing.reviews == 0 and nothing.totals.missed == 0


def test_the_page_and_csv_show_counts_and_only_some_roles_see_them_by_force(
        web: Seeded, tmp_path: Path) -> None:
    _reviews(web.url, tmp_path)
    analyst = web.as_user("demo-analyst")
    page = analyst.get("/learning")
    assert page.status_code == 200
    assert_valid_html(page.text, "/learning")
    assert 'data-testid="learning-reviews"><strong>3</strong> signed-off reviews' in page.text
    # Missed, errors, reviews with a missed line, then each kind of error in the instrument's
    # order: human error, process, policy, resource, culture or bias, misconduct.
    assert _cells(page.text, "learning-category-C") == ["3", "1", "2", "3", "1", "0", "0", "0",
                                                        "0"]
    assert _cells(page.text, "learning-category-all")[:3] == ["4", "2", "3"]
    assert _cells(page.text, f"learning-force-{WYP}") == ["2", "3", "2"]
    assert _cells(page.text, f"learning-force-{GMP}") == ["1", "1", "0"]
    assert "Greater Manchester Police" in page.text
    # Counts only: neither the reviewers nor anyone in the cases is named.
    for name in ("Author", "Checker", "Sus01", "Pect0"):
        assert name not in page.text
    one_force = analyst.get("/learning", params={"force": WYP, "from": "2025-06-01"})
    assert one_force.status_code == 200
    assert "<strong>1</strong> signed-off review counted for West Yorkshire Police" \
        in one_force.text
    unknown = analyst.get("/learning", params={"force": "NOPE"})
    assert unknown.status_code == 400 and "There is no force with the code" in unknown.text

    sheet = analyst.get("/learning.csv", params={"force": WYP})
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert sheet.headers["content-disposition"] == (
        f'attachment; filename="beaconport-learning-{WYP}.csv"')
    rows = {r["category"]: r for r in csv.DictReader(io.StringIO(sheet.text))}
    assert list(rows) == list("ABCDEFGHIJKLM")
    assert {k: rows["C"][k] for k in ("signed_off_reviews", "missed_lines", "errors",
                                      "reviews_with_a_missed_line", "human_error",
                                      "process")} == {
        "signed_off_reviews": "2", "missed_lines": "2", "errors": "1",
        "reviews_with_a_missed_line": "1", "human_error": "2", "process": "1"}

    for username in ("demo-reviewer", "demo-force-submitter"):
        browser = web.as_user(username)
        totals = browser.get("/learning")
        assert totals.status_code == 200, username
        assert '<strong>3</strong> signed-off reviews' in totals.text
        assert 'data-testid="learning-category-C"' in totals.text
        assert "learning-forces" not in totals.text and 'name="force"' not in totals.text
        refused = browser.get("/learning", params={"force": GMP})
        assert refused.status_code == 400 and "not for one force" in refused.text
        assert "learning-categories" not in refused.text
        assert browser.get("/learning.csv", params={"force": GMP}).status_code == 400
        assert browser.get("/learning.csv").status_code == 200

    administrator = web.as_user("demo-administrator")
    assert administrator.get("/learning").status_code == 403
    assert administrator.get("/learning.csv").status_code == 403
    signed_out = web.client().get("/learning", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/sign-in"


def test_bad_dates_are_a_clear_message_not_a_traceback(web: Seeded) -> None:
    reviewer = web.as_user("demo-reviewer")
    bad = reviewer.get("/learning", params={"from": "2025-13-01", "to": "yesterday"})
    assert bad.status_code == 400 and "Traceback" not in bad.text
    assert_valid_html(bad.text, "/learning")
    assert "Give the start of the period as a date in the form YYYY-MM-DD" in bad.text
    assert "Give the end of the period as a date" in bad.text
    assert 'value="yesterday"' in bad.text  # what was typed stays
    backwards = reviewer.get("/learning.csv", params={"from": "2025-06-02", "to": "2025-06-01"})
    assert backwards.status_code == 400
    assert "The end of the period is before its start." in backwards.text
