from beaconport.referrals.content import canonical, differences


def test_canonical_form_drops_empty_values_and_spaces() -> None:
    b = {"people": [{"surname": " Smith ", "id": "P1", "aliases": []}], "force": "E23000010",
         "summary": ""}
    assert canonical(b) == {"people": [{"surname": "Smith", "id": "P1"}], "force": "E23000010"}


def test_differences_are_keyed_by_ids_not_positions() -> None:
    before = {"people": [{"id": "P1", "surname": "Smith"}, {"id": "P2", "surname": "Khan"}],
              "summary": "Old"}
    after = {"people": [{"id": "P2", "surname": "Khan"}, {"id": "P1", "surname": "Smyth"},
                        {"id": "P3", "surname": "Ali"}], "summary": "New"}
    changes = differences(before, after)
    assert {"path": "people[P1].surname", "change": "changed", "before": "Smith",
            "after": "Smyth"} in changes
    assert {"path": "people[P3]", "change": "added", "after": {"id": "P3", "surname": "Ali"}} \
        in changes
    assert {"path": "summary", "change": "changed", "before": "Old", "after": "New"} in changes
    assert len(changes) == 3


def test_reordering_is_no_change() -> None:
    before = {"crimes": [{"crime_reference": "A"}, {"crime_reference": "B"}]}
    after = {"crimes": [{"crime_reference": "B"}, {"crime_reference": "A"}]}
    assert differences(before, after) == []
