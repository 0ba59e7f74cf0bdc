"""Checks of the people in a referral: one record per person per role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beaconport.reference.countries import COMMON_MISTAKES, COUNTRY_CODES, NATIONALITY_SPECIAL
from beaconport.referrals import fields as f
from beaconport.referrals.validation import vocabulary as v
from beaconport.referrals.validation.state import CheckState, as_text


class PeopleChecks(CheckState):
    """Each person: id and role, names, dates, statuses, nationality, ethnicity."""

    def _person(self, person: dict[str, Any], index: int) -> dict[str, Any] | None:
        r, path = self.r, f"people[{index}]"
        pid = f.text(r, person, "id", path, required=True, max_len=64, what="person id")
        role = f.choice(r, person, "role", path, v.ROLES, required=True)
        if pid is not None:
            if pid in self.roles:
                r.add("duplicate_person_id", f"{path}.id",
                      f"Person id '{pid}' is used by more than one person in this referral; "
                      "give each person record its own id.")
                pid = None
            elif role is not None:
                self.roles[pid] = role
        row: dict[str, Any] = {**v.EMPTY_PERSON, "person_ref": pid, "role": role,
                               "nationality": [], "ethnicity": []}
        # Only the fields present are checked: people carry a fraction of the optional fields.
        for key in person:
            check = _PERSON_CHECKS.get(key)
            if check is not None:
                row[key] = check(self, person, key, path)
            elif key not in v.PERSON_KEYS:
                r.add("unknown_field", f"{path}.{key}",
                      f"'{key}' is not a field of the format and was kept but not used.",
                      "warning")
        if pid is not None and row["date_of_birth"] is not None:
            self.dob[pid] = f.parse_date(row["date_of_birth"])
        self._role_fields(person, path, role)
        return row if pid is not None and role is not None else None

    def _date_text(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        return as_text(f.partial_date(self.r, obj, key, path, self.today))

    def _role_fields(self, person: dict[str, Any], path: str, role: str | None) -> None:
        for key, only in ((k, "suspect") for k in v.SUSPECT_ONLY):
            if person.get(key) is not None and role not in (None, only):
                self.r.add("wrong_role", f"{path}.{key}",
                           f"'{key}' applies only to suspects, but this person is a {role}.")
        for key in v.COMPLAINANT_ONLY:
            if person.get(key) is not None and role not in (None, "complainant"):
                self.r.add("wrong_role", f"{path}.{key}",
                           f"'{key}' applies only to complainants, but this person is a {role}.")

    def _aliases(self, person: dict[str, Any], path: str) -> list[dict[str, str]] | None:
        found = f.object_list(self.r, person, "aliases", path, max_items=100)
        keep = []
        for i, alias in enumerate(found):
            where = f"{path}.aliases[{i}]"
            entry = {k: f.text(self.r, alias, k, where, max_len=200)
                     for k in alias if k in v.ALIAS_KEYS}
            f.unknown_fields(self.r, alias, where, v.ALIAS_KEYS)
            given = {k: v for k, v in entry.items() if v is not None}
            if not given:
                self.r.add("missing_field", where,
                           "An alias needs forenames, a surname or a nickname.")
            else:
                keep.append(given)
        return keep or None

    def _small_objects(self, obj: dict[str, Any], key: str, path: str,
                       known: frozenset[str]) -> list[dict[str, str]] | None:
        keep = []
        for i, item in enumerate(f.object_list(self.r, obj, key, path, max_items=100)):
            where = f"{path}.{key}[{i}]"
            f.unknown_fields(self.r, item, where, known)
            entry = {k: f.text(self.r, item, k, where, max_len=400) for k in item if k in known}
            keep.append({k: v for k, v in entry.items() if v is not None})
        return keep or None

    def _nationality(self, person: dict[str, Any], path: str) -> list[str]:
        codes = []
        for i, raw in enumerate(f.text_list(self.r, person, "nationality", path, max_items=10)):
            code = raw.upper()
            if code in COUNTRY_CODES or code in NATIONALITY_SPECIAL:
                if code not in codes:
                    codes.append(code)
                continue
            hint = (f" Did you mean '{COMMON_MISTAKES[code]}'?" if code in COMMON_MISTAKES
                    else "")
            self.r.add("unknown_code", f"{path}.nationality[{i}]",
                       f"'{raw}' is not an ISO 3166 two-letter country code, STATELESS or "
                       f"UNKNOWN.{hint}")
        return codes

    def _ethnicity(self, person: dict[str, Any], path: str) -> list[dict[str, Any]]:
        r, keep = self.r, []
        for i, obs in enumerate(f.object_list(r, person, "ethnicity", path, max_items=50)):
            where = f"{path}.ethnicity[{i}]"
            f.unknown_fields(r, obs, where, v.ETHNICITY_KEYS)
            scheme = f.text(r, obs, "scheme", where, required=True, max_len=20)
            code = f.text(r, obs, "code", where, max_len=60)
            label = f.text(r, obs, "label", where, max_len=200)
            basis = f.choice(r, obs, "basis", where, v.BASES, required=True)
            recorded = f.partial_date(r, obs, "recorded_on", where, self.today)
            if scheme is not None:
                scheme = self._ethnicity_code(where, scheme.upper(), code, label)
            if scheme is not None and basis is not None:
                keep.append({"scheme": scheme, "code": code.upper() if code else None,
                             "label": label, "basis": basis, "recorded_on": as_text(recorded)})
        return keep

    def _ethnicity_code(self, where: str, scheme: str, code: str | None,
                        label: str | None) -> str | None:
        r, cat = self.r, self.cat
        if scheme not in v.ETHNICITY_SCHEMES:
            r.add("invalid_value", f"{where}.scheme",
                  f"'{scheme}' is not an ethnicity scheme; use one of: "
                  + ", ".join(v.ETHNICITY_SCHEMES) + ".")
            return None
        if scheme == "FREE_TEXT":
            if label is None:
                r.add("missing_field", f"{where}.label",
                      "A free-text ethnicity needs the label as recorded.")
            return scheme
        if scheme == "CENSUS2021" and code is None:
            if label is None:
                r.add("missing_field", f"{where}.label", "A 2021 census ethnicity needs its label.")
            elif cat.ethnicity_label(scheme, label) is None:
                r.add("unknown_code", f"{where}.label",
                      f"'{label}' is not one of the 2021 census ethnic group labels.")
            return scheme
        if code is None:
            r.add("missing_field", f"{where}.code", f"An ethnicity under {scheme} needs its code.")
            return scheme
        if cat.ethnicity_code(scheme, code) is not None:
            return scheme
        elsewhere = cat.ethnicity_schemes_with(code)
        if elsewhere and scheme in v.CODED_ETHNICITY:
            r.add("older_scheme_code", f"{where}.code",
                  f"'{code}' is not a {scheme} code but belongs to {', '.join(elsewhere)}; it "
                  "was kept as sent.", "warning")
            return scheme
        r.add("unknown_code", f"{where}.code", f"'{code}' is not a {scheme} ethnicity code.")
        return scheme


def _checked_text(run: PeopleChecks, obj: dict[str, Any], key: str, path: str) -> str | None:
    return f.text(run.r, obj, key, path, max_len=200)


def _checked_choice(allowed: frozenset[str]) -> _PersonCheck:
    def check(run: PeopleChecks, obj: dict[str, Any], key: str, path: str) -> str | None:
        return f.choice(run.r, obj, key, path, allowed)
    return check


_PersonCheck = Callable[["PeopleChecks", dict[str, Any], str, str], Any]
#: How each optional field of a person is checked and normalised.
_PERSON_CHECKS: dict[str, _PersonCheck] = {
    "forenames": _checked_text,
    "surname": _checked_text,
    "aliases": lambda run, o, _k, p: run._aliases(o, p),
    "date_of_birth": lambda run, o, k, p: as_text(
        f.partial_date(run.r, o, k, p, run.today, what="date of birth")),
    "sex": _checked_choice(v.SEXES),
    "alive_status": _checked_choice(v.ALIVE),
    "alive_status_checked_on": lambda run, o, k, p: run._date_text(o, k, p),
    "addresses": lambda run, o, k, p: run._small_objects(o, k, p, v.ADDRESS_KEYS),
    "identifiers": lambda run, o, k, p: run._small_objects(o, k, p, v.IDENTIFIER_KEYS),
    "interview": _checked_choice(v.INTERVIEWS),
    "arrested": lambda run, o, k, p: f.boolean(run.r, o, k, p),
    "age_at_first_offence": lambda run, o, k, p: f.whole_number(run.r, o, k, p, 0, 120),
    "review_support": _checked_choice(v.SUPPORT),
    "review_support_recorded_on": lambda run, o, k, p: run._date_text(o, k, p),
    "nationality": lambda run, o, _k, p: run._nationality(o, p),
    "ethnicity": lambda run, o, _k, p: run._ethnicity(o, p),
}

