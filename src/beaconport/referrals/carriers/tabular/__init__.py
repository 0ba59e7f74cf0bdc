"""The workbook and CSV layout, whatever carries it: sheets of rows in, referral documents out.

``assemble`` turns sheets (header row, then data rows) into one RawReferral per referral,
holding exactly the document the JSON Lines carrier would have read. ``flatten`` is its inverse,
used by the writers.

What the tabular layout cannot carry, so a round trip through it changes the document:

- only the first address of a person (its ``line``, ``postcode``, ``from`` and ``to``; the
  format doc's people columns lack ``address_from`` and ``address_to``, which are read and
  written here so that the three carriers hold the same information) and only the first PNC
  identifier (other identifiers are dropped);
- an alias is written as the name would be, so it comes back as a nickname when it is one word and
  as forenames plus a one-word surname otherwise (a surname of two words, or an alias with both a
  name and a nickname, does not survive);
- list items (people ids, nationalities, aliases) may not contain ";";
- empty lists and empty text inside crimes, people and decisions come back absent; the four lists
  of the referral (``crimes``, ``people``, ``decisions``, ``previous_reviews``) always come back,
  empty where there were no rows, and ``format`` is always ``beaconport.referral/1``;
- every value comes back as text except ``arrested`` (true/false) and ``age_at_first_offence``
  (a whole number); values of other kinds in the document are written as text;
- leading and trailing spaces are trimmed from every value.

The package follows the seams of the code: ``layout`` (sheets, columns, name matching), ``cells``
(cell values and their conversion), ``sheets`` (reading a file's sheets and grouping rows by
referral), ``assembly`` (rows to referral documents), ``places`` (locate: document path to sheet,
row and column) and ``flattening`` (documents to rows).
"""

from __future__ import annotations

from beaconport.referrals.carriers.tabular.assembly import assemble
from beaconport.referrals.carriers.tabular.cells import Cell, Formula, Row, cell_text
from beaconport.referrals.carriers.tabular.flattening import flatten
from beaconport.referrals.carriers.tabular.layout import (
    FORMAT,
    REQUIRED_COLUMNS,
    SHEET_COLUMNS,
    Kind,
    sheet_key,
)
from beaconport.referrals.carriers.tabular.sheets import SheetSource

__all__ = [
    "FORMAT",
    "REQUIRED_COLUMNS",
    "SHEET_COLUMNS",
    "Cell",
    "Formula",
    "Kind",
    "Row",
    "SheetSource",
    "assemble",
    "cell_text",
    "flatten",
    "sheet_key",
]
