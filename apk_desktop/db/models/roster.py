"""Assistant positions, the people in them and their employment history (KA01)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apk_desktop.db.base import Base
from apk_desktop.db.versioning import Versioned
from apk_desktop.domain.roster import PersonName


class Position(Base):
    """One of the project's assistant positions; keeps its number when people change."""

    __tablename__ = "position"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)

    employments: Mapped[list[Employment]] = relationship(
        back_populates="position", order_by="Employment.start_date"
    )


class Assistant(Versioned, Base, PersonName):
    """A person employed (now or earlier) as an assistant. Archived, never deleted."""

    __tablename__ = "assistant"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)

    employments: Mapped[list[Employment]] = relationship(
        back_populates="assistant", order_by="Employment.start_date"
    )


class Employment(Versioned, Base):
    """One person in one position from a start date to an optional end date."""

    __tablename__ = "employment"

    id: Mapped[int] = mapped_column(primary_key=True)
    assistant_id: Mapped[int] = mapped_column(
        ForeignKey("assistant.id", ondelete="RESTRICT"), index=True
    )
    position_id: Mapped[int] = mapped_column(
        ForeignKey("position.id", ondelete="RESTRICT"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    assistant: Mapped[Assistant] = relationship(back_populates="employments")
    position: Mapped[Position] = relationship(back_populates="employments")

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)
