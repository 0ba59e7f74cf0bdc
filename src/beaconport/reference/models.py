"""Versioned code lists. Every row says when it was valid and where the fact came from."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base


class ReferenceDataset(Base):
    """One loaded code list: which version, from which file contents."""

    __tablename__ = "reference_dataset"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[str] = mapped_column(String(20))
    checksum: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int]
    description: Mapped[str] = mapped_column(String(400))
    loaded_at_utc: Mapped[datetime]


class _Validity:
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(400))
    unconfirmed: Mapped[bool]


class Force(_Validity, Base):
    __tablename__ = "force"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), index=True)
    data_police_id: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    short_name: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(40))
    in_scope: Mapped[bool]
    cps_area: Mapped[str | None] = mapped_column(String(80))


class ForceAlias(_Validity, Base):
    __tablename__ = "force_alias"
    __table_args__ = (UniqueConstraint("alias_key", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    force_code: Mapped[str] = mapped_column(String(20))
    alias: Mapped[str] = mapped_column(String(120))
    #: The alias as matched: lower case, "&" read as "and", punctuation and spaces dropped.
    alias_key: Mapped[str] = mapped_column(String(120))


class OutcomeCode(_Validity, Base):
    __tablename__ = "outcome_code"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(400))
    ho_group: Mapped[str | None] = mapped_column(String(200))
    nfa_category: Mapped[str | None] = mapped_column(String(60))
    is_nfa: Mapped[bool]
    decided_by: Mapped[str | None] = mapped_column(String(20))


class Offence(_Validity, Base):
    __tablename__ = "offence"
    __table_args__ = (UniqueConstraint("scheme", "code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(400))
    statute: Mapped[str | None] = mapped_column(String(200))
    is_sexual: Mapped[bool]
    is_rape: Mapped[bool]
    ho_code: Mapped[str | None] = mapped_column(String(60))


class EthnicityCode(_Validity, Base):
    __tablename__ = "ethnicity_code"
    __table_args__ = (UniqueConstraint("scheme", "code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    five_group: Mapped[str] = mapped_column(String(20))
    maps_to_sde18: Mapped[str | None] = mapped_column(String(4))
    means_not_stated: Mapped[bool]
