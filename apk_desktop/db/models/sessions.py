"""Training, mentoring and supervision sessions (KA03, KA04, KA05), attendance and signed scans.

Enumerated columns (kind, hour_unit, form, supervision_form, attendance) hold the values of the
StrEnums in ``apk_desktop.domain.sessions``.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apk_desktop.db.base import Base
from apk_desktop.db.models.project import EducationArea
from apk_desktop.db.versioning import Versioned

Hours = Numeric(6, 2)

session_area = Table(
    "session_area",
    Base.metadata,
    Column(
        "session_id",
        ForeignKey("training_session.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "area_id",
        ForeignKey("education_area.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


class SessionSeries(Base):
    """A recurrence rule that created several sessions; each session stays editable alone."""

    __tablename__ = "session_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(Text)  # RFC 5545 RRULE text with DTSTART
    description: Mapped[str] = mapped_column(String(300), default="")  # Czech, e.g. "měsíčně"
    created_at: Mapped[datetime] = mapped_column(DateTime)


class TrainingSession(Versioned, Base):
    """One session: training, supervision or mentoring of assistants, or the mentor's own."""

    __tablename__ = "training_session"
    __table_args__ = (Index("ix_training_session_project_id_date", "project_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    key_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("key_activity.id", ondelete="SET NULL"), index=True
    )
    date: Mapped[date] = mapped_column(Date)
    time_from: Mapped[time] = mapped_column(Time)
    time_to: Mapped[time] = mapped_column(Time)
    hours: Mapped[Decimal] = mapped_column(Hours)
    hour_unit: Mapped[str] = mapped_column(String(10))
    place: Mapped[str] = mapped_column(String(300), default="")
    form: Mapped[str] = mapped_column(String(20))
    lecturer: Mapped[str] = mapped_column(String(300), default="")
    topic: Mapped[str] = mapped_column(String(500))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_series.id", ondelete="SET NULL"), index=True
    )
    supervision_form: Mapped[str | None] = mapped_column(String(20))
    supervisor_type: Mapped[str | None] = mapped_column(String(10))  # externi / interni
    conclusions: Mapped[str] = mapped_column(Text, default="")
    agreed_steps: Mapped[str] = mapped_column(Text, default="")
    next_meeting: Mapped[dt.date | None] = mapped_column(Date)
    private_note: Mapped[str] = mapped_column(Text, default="")  # never printed unless asked
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Summary kept up to date by the services (services/sessions.py refresh_summary), so the
    # session list needs no joins or subqueries (20 000 sessions in < 200 ms).
    participant_count: Mapped[int] = mapped_column(Integer, default=0)
    unrecorded_count: Mapped[int] = mapped_column(Integer, default=0)  # without attendance
    evidence_count: Mapped[int] = mapped_column(Integer, default=0)
    area_ids_text: Mapped[str] = mapped_column(String(200), default="")  # "1,3"

    areas: Mapped[list[EducationArea]] = relationship(
        secondary=session_area, order_by=EducationArea.sort_order
    )
    participants: Mapped[list[SessionParticipant]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: (EvidenceFile.attached_at, EvidenceFile.id),  # same second: as attached
    )


class SessionParticipant(Base):
    """An assistant invited to (or walking into) a session, with their attendance afterwards."""

    __tablename__ = "session_participant"
    __table_args__ = (UniqueConstraint("session_id", "assistant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # indexed by the unique constraint (session_id first)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"))
    assistant_id: Mapped[int] = mapped_column(
        ForeignKey("assistant.id", ondelete="RESTRICT"), index=True
    )
    invited: Mapped[bool] = mapped_column(Boolean, default=True)
    attendance: Mapped[str | None] = mapped_column(String(10))  # present / excused / absent
    hours_attended: Mapped[Decimal | None] = mapped_column(Hours)  # None = whole session
    note: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[TrainingSession] = relationship(back_populates="participants")


class EvidenceFile(Base):
    """A signed scan (PDF or image). On SQLite its bytes are a file copied into
    ``paths.scans_dir()`` (``relative_path`` is relative to it); on a server database they are
    a ``ScanContent`` row, so every PC sees them (``relative_path`` then only names the scan)."""

    __tablename__ = "evidence_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    relative_path: Mapped[str] = mapped_column(String(500))
    original_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    attached_at: Mapped[datetime] = mapped_column(DateTime)

    session: Mapped[TrainingSession] = relationship(back_populates="evidence")


class ScanContent(Base):
    """The bytes of a signed scan stored in the database (on a server database only)."""

    __tablename__ = "scan_content"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_file.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
