"""The project (one database may hold several), its education areas and key activities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apk_desktop.db.base import Base
from apk_desktop.db.versioning import Versioned

Money = Numeric(14, 2)


class Project(Versioned, Base):
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    registration_number: Mapped[str] = mapped_column(String(60))
    beneficiary: Mapped[str] = mapped_column(String(300))
    programme: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(String(300), default="")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    total_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    eu_contribution: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    national_sources: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    own_financing: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    mentor_name: Mapped[str] = mapped_column(String(200), default="")
    position_count: Mapped[int] = mapped_column(Integer, default=9)
    logo_path: Mapped[str] = mapped_column(String(500), default="")
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)  # sample data, marked UKÁZKA

    areas: Mapped[list[EducationArea]] = relationship(
        back_populates="project", order_by="EducationArea.sort_order"
    )
    key_activities: Mapped[list[KeyActivity]] = relationship(
        back_populates="project", order_by="KeyActivity.code"
    )


class ProjectMember(Base):
    """A server login role that may work on the project: on PostgreSQL the row-level security
    policies (migration 0012) show a role the rows of its projects only. Unused on SQLite."""

    __tablename__ = "project_member"
    __table_args__ = (UniqueConstraint("project_id", "role_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # checked at commit: the trigger adding a new project's creator runs before the project row
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE", deferrable=True, initially="DEFERRED")
    )
    role_name: Mapped[str] = mapped_column(String(63))  # a PostgreSQL role name (at most 63)


class EducationArea(Base):
    """A vzdělávací oblast. Data, not an enum: a project may rename or add one."""

    __tablename__ = "education_area"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    # What lists, charts and exports show ("KOM"); ``code`` stays internal.
    short_label: Mapped[str] = mapped_column(String(12), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    project: Mapped[Project] = relationship(back_populates="areas")


class KeyActivity(Base):
    """A klíčová aktivita (KA01–KA05) of the project."""

    __tablename__ = "key_activity"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship(back_populates="key_activities")
