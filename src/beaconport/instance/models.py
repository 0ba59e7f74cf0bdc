"""Properties of this installation, kept in its database so every worker agrees on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base


class InstanceProperty(Base):
    __tablename__ = "instance_property"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(120))
    set_at_utc: Mapped[datetime]
