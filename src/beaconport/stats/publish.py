"""Publishing the figures as at a date: an ODS workbook in the government's standard shape for
statistical tables (a cover sheet, contents, notes, then one table per sheet) and a CSV of each
table, every count through disclosure control first. The files depend only on the figures and
the date: the same date gives byte-identical files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from beaconport.instance import queries as instance
from beaconport.stats import disclosure as sdc
from beaconport.stats import figures as f
from beaconport.stats import ods

TITLE = "Operation Beaconport: review of closed group-based child sexual abuse investigations"
#: Counts of organisations, not of people or their cases: not suppressed.
NOT_SUPPRESSED_UNITS = frozenset({"forces"})
Value = str | int | float | None


@dataclass(frozen=True, slots=True)
class Published:
    as_at: date
    files: tuple[Path, ...]
    tables: tuple[tuple[f.Table, sdc.Protected], ...]
    headline: tuple[tuple[f.Figure, sdc.Cell], ...]
    shared: tuple[f.Shared, ...] = ()


#: Headline figures that are also parts of a table: table key, and the cells that add up to
#: the figure (rows by label, None for the total; columns by index, None for the total).
LINKED: dict[str, tuple[str, tuple[tuple[str | None, int | None], ...]]] = {
    "referrals": ("stages", ((None, None),)),
    "rape": ("stages", ((None, 0),)),
    "reinvestigations": ("panel", tuple((f.OUTCOME_LABELS[k], 0)
                                        for k in f.REINVESTIGATIONS)),
}


def headline_cells(headline: tuple[f.Figure, ...],
                   tables: tuple[tuple[f.Table, sdc.Protected], ...], threshold: int,
                   rounding: int | None = None) -> tuple[tuple[f.Figure, sdc.Cell], ...]:
    """Each headline figure as it may be shown: below the threshold it is suppressed, and a
    figure that adds up cells of a table is suppressed whenever one of those is (else it would
    give the suppressed cell away by subtraction)."""
    protected = {t.key: (t, p) for t, p in tables}
    shown = []
    for figure in headline:
        hidden = sdc.Cell(None, sdc.CONFIDENTIAL)
        if figure.unit not in NOT_SUPPRESSED_UNITS and 0 < figure.value < threshold:
            shown.append((figure, hidden))
            continue
        linked = LINKED.get(figure.key)
        if linked and linked[0] in protected:
            table, cells = protected[linked[0]]
            positions = {(None if row is None else table.rows.index(row), column)
                         for row, column in linked[1]}
            if positions & cells.suppressed():
                shown.append((figure, hidden))
                continue
        shown.append((figure, sdc.Cell(figure.value if figure.unit in NOT_SUPPRESSED_UNITS
                                       else sdc.rounded(figure.value, rounding))))
    return tuple(shown)


@dataclass(frozen=True, slots=True)
class Share:
    """A percentage, shown only over a safe denominator and a published numerator."""

    title: str
    of: str
    definition: str
    cell: sdc.Cell


def _recorded(protected: sdc.Protected, table: f.Table) -> tuple[sdc.Cell, sdc.Cell]:
    """Persons with an ethnicity recorded (all less not stated and not recorded, where all three
    are shown: a figure derived from shown figures discloses nothing more), and all persons."""
    total = protected.total
    parts = [protected.cells[table.rows.index(r)][0] for r in ("Not stated", "Not recorded")]
    if total.value is None or any(c.value is None for c in parts):
        return sdc.Cell(None, sdc.CONFIDENTIAL), total
    return sdc.Cell(int(total.value) - sum(int(c.value or 0) for c in parts)), total


def shares(headline: tuple[tuple[f.Figure, sdc.Cell], ...],
           tables: tuple[tuple[f.Table, sdc.Protected], ...], threshold: int
           ) -> tuple[Share, ...]:
    """The percentages worth quoting, each from figures already shown (as they are shown, so
    suppressed or rounded figures stay so) and only over a denominator of at least the
    threshold."""
    shown = {fig.key: cell for fig, cell in headline}
    found = [
        Share("Referrals involving rape", "referrals received",
              "Referrals involving rape as a share of all referrals received.",
              sdc.percentage(shown["rape"], shown["referrals"], threshold=threshold)),
        Share("Safeguarding referrals acknowledged", "safeguarding referrals made",
              "Referrals to authorities acknowledged, as a share of those made.",
              sdc.percentage(shown["safeguarding_acknowledged"], shown["safeguarding_sent"],
                             threshold=threshold)),
        Share("Victims' Code duties met on time", "duties whose time had come",
              "Duties met on time as a share of those met (on time or late) or overdue.",
              sdc.percentage(shown["victims_code_met"], shown["victims_code_due"],
                             threshold=threshold)),
    ]
    by_key = {t.key: (t, p) for t, p in tables}
    for role in ("suspect", "complainant"):
        if f"ethnicity_{role}" in by_key:
            table, protected = by_key[f"ethnicity_{role}"]
            recorded, total = _recorded(protected, table)
            found.append(Share(f"{role.capitalize()}s whose ethnicity was recorded",
                               f"{role}s (persons)",
                               "Persons with an ethnicity recorded in any scheme, as a share of "
                               "all; the rest are not stated or not recorded.",
                               sdc.percentage(recorded, total, threshold=threshold)))
    return tuple(found)


def protect_table(table: f.Table, threshold: int,
                  hidden: frozenset[sdc.Position] = frozenset(),
                  rounding: int | None = None) -> sdc.Protected:
    return sdc.protect(table.rows, table.columns, table.counts, threshold=threshold,
                       margins=table.margins, groups=table.groups, hidden=hidden,
                       rounding=rounding)


def protect_all(tables: tuple[f.Table, ...], shared: tuple[f.Shared, ...], threshold: int,
                rounding: int | None = None) -> tuple[tuple[f.Table, sdc.Protected], ...]:
    """Every table protected, and a figure shown in several tables suppressed in all of them
    when it is in any (else the table that shows it undoes the other's protection); repeated
    until the tables agree."""
    hidden: dict[str, set[sdc.Position]] = {t.key: set() for t in tables}
    protected = {t.key: protect_table(t, threshold, rounding=rounding) for t in tables}
    while True:
        grown = set()
        for figure in shared:
            present = [(k, p) for k, p in figure if k in protected]
            if any(p in protected[k].suppressed() for k, p in present):
                for k, p in present:
                    if p not in protected[k].suppressed():
                        hidden[k].add(p)
                        grown.add(k)
        if not grown:
            return tuple((t, protected[t.key]) for t in tables)
        for t in tables:
            if t.key in grown:
                protected[t.key] = protect_table(t, threshold, frozenset(hidden[t.key]),
                                                 rounding)


def _value(cell: sdc.Cell) -> Value:
    return cell.symbol if cell.symbol else cell.value


def table_rows(table: f.Table, protected: sdc.Protected) -> list[list[Value]]:
    """The table as published: a header row, a row per category, and the totals row where rows
    add up."""
    totals = table.additive
    row_totals = table.margins is not False and len(table.columns) > 1
    rows: list[list[Value]] = [[table.unit.capitalize(), *table.columns,
                                *(["Total"] if row_totals else [])]]
    for name, cells, total in zip(table.rows, protected.cells, protected.row_totals,
                                  strict=True):
        row: list[Value] = [name, *(_value(c) for c in cells)]
        if row_totals:
            row.append(_value(total))
        rows.append(row)
    if totals:
        last: list[Value] = ["Total", *(_value(c) for c in protected.column_totals)]
        if len(table.columns) > 1:
            last.append(_value(protected.total))
        rows.append(last)
    return rows


def _csv(rows: list[list[Value]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def _write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def publish(session: Session, *, as_at: date, output: Path,
            threshold: int = sdc.PUBLICATION, rounding: int | None = None) -> Published:
    """Compute the figures as at the day, protect them, and write the workbook and CSVs.
    Per-force breakdowns are left out unless an administrator enabled them."""
    per_force = instance.publishes_per_force(session)
    computed = f.compute(session, as_at, per_force=per_force)
    tables = protect_all(computed.tables, computed.shared, threshold, rounding)
    headline = headline_cells(computed.headline, tables, threshold, rounding)
    output.mkdir(parents=True, exist_ok=True)
    day = f"{as_at:%-d %B %Y}"
    notes = [
        "Figures are as at the end of the day given (England and Wales time), computed from "
        "what the system held by then: the same date always gives the same figures.",
        f"Counts below {threshold} are suppressed ([c]), and further cells where a suppressed "
        "one could be worked out from the totals; no suppressed cell can be recovered exactly "
        "(checked by linear programming).",
        *([f"Published counts are rounded to the nearest {rounding} (halves up); totals are "
           "rounded from the unrounded counts, so a column may not add up to its rounded "
           "total."] if rounding else []),
        "Each table states its counting unit: referrals (cases referred by forces), crimes, "
        "suspects or complainants (people), referrals to authorities, or duties.",
        ("Per-force breakdowns are published as enabled by an administrator; each is "
         "protected like every other table." if per_force
         else "Per-force breakdowns are not published."),
        *(n for t, _ in tables for n in t.notes),
    ]
    symbols: list[list[Value]] = [
        ["[c]", "Confidential: suppressed to protect people's identities"],
        ["[x]", "Not available"], ["[z]", "Not applicable"]]
    headline_rows: list[list[Value]] = [["Figure", "Count", "Unit", "Definition"]]
    headline_rows += [[fig.title, _value(cell), fig.unit, fig.definition]
                      for fig, cell in headline]
    share_rows: list[list[Value]] = [["Figure", "Percent", "Of", "Definition"]]
    share_rows += [[share.title, _value(share.cell), share.of, share.definition]
                   for share in shares(headline, tables, threshold)]
    cover: list[list[Value]] = [["Statistics as at", day],
                                ["Disclosure control",
                                 f"Counts below {threshold} suppressed; see Notes"], *symbols]
    contents: list[list[Value]] = [["Sheet", "Title"], ["Notes", "Notes"],
                                   ["Headline", "Headline figures"],
                                   ["Percentages", "Percentages"]]
    contents += [[t.key[:31], t.title] for t, _ in tables]
    contents.append(["Mapping", "Ethnicity codes, their 18+1 categories and 5 groups"])
    mapped: list[list[Value]] = [["Scheme", "Code", "Label", "18+1 category", "5 groups"]]
    mapped += [[m.scheme, m.code, m.label, m.sde18 or "[z]", m.five_group]
               for m in computed.mapping]
    noted: list[list[Value]] = [["Note", "Text"]]
    noted += [[f"Note {n}", text] for n, text in enumerate(notes, start=1)]
    sheets = [
        ods.Sheet("Cover", TITLE, cover, header_rows=0),
        ods.Sheet("Contents", "Contents", contents),
        ods.Sheet("Notes", "Notes", noted),
        ods.Sheet("Headline", "Headline figures", headline_rows),
        ods.Sheet("Percentages", "Percentages", share_rows,
                  description=f"To one decimal place, only where the figure it is taken of is "
                  f"at least {threshold} and the figure itself is shown; otherwise [c], and "
                  "[z] where there is nothing to take it of."),
        *(ods.Sheet(t.key[:31], t.title, table_rows(t, p), description=t.definition)
          for t, p in tables),
        ods.Sheet("Mapping", "Ethnicity codes, their 18+1 categories and 5 groups", mapped,
                  description="How each scheme's codes are counted: a code with no 18+1 "
                  "category ([z]) is counted in its 5 group only."),
    ]
    workbook = output / f"beaconport-statistics-{as_at.isoformat()}.ods"
    ods.write_workbook(workbook, sheets)
    written = [workbook]
    headline_csv = output / f"headline-{as_at.isoformat()}.csv"
    _write(headline_csv, _csv(headline_rows))
    written.append(headline_csv)
    shares_csv = output / f"percentages-{as_at.isoformat()}.csv"
    _write(shares_csv, _csv(share_rows))
    written.append(shares_csv)
    for t, p in tables:
        path = output / f"{t.key}-{as_at.isoformat()}.csv"
        _write(path, _csv(table_rows(t, p)))
        written.append(path)
    mapping_csv = output / f"mapping-{as_at.isoformat()}.csv"
    _write(mapping_csv, _csv(mapped))
    written.append(mapping_csv)
    return Published(as_at, tuple(written), tables, headline, computed.shared)
