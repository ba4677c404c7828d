"""Assessments: a dated level per education area on a declared scale (the scale is data).

Every assessment stores the scale it was made on, so levels from different scales are compared
on a normalised 0–1 range (see ``apk_desktop.domain.progress``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apk_desktop.db.base import Base
from apk_desktop.db.versioning import Versioned


class AssessmentScale(Base):
    """A declared scale, e.g. 1–5 with a Czech description of every level."""

    __tablename__ = "assessment_scale"
    __table_args__ = (CheckConstraint("min_level < max_level", name="level_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    min_level: Mapped[int] = mapped_column(Integer)
    max_level: Mapped[int] = mapped_column(Integer)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    levels: Mapped[list[ScaleLevel]] = relationship(
        back_populates="scale", order_by="ScaleLevel.level", cascade="all, delete-orphan"
    )


class ScaleLevel(Base):
    """One level of a scale with its short label and description."""

    __tablename__ = "scale_level"
    __table_args__ = (UniqueConstraint("scale_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scale_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_scale.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")

    scale: Mapped[AssessmentScale] = relationship(back_populates="levels")


class Assessment(Versioned, Base):
    """One assessment of one assistant on one day (entry, interim or final)."""

    __tablename__ = "assessment"
    __table_args__ = (
        # Covering indexes of the progress queries (first/latest per person and area, entry?).
        Index("ix_assessment_assistant_on", "assistant_id", "assessed_on", "id", "scale_id"),
        Index("ix_assessment_assistant_kind", "assistant_id", "kind"),
        CheckConstraint("kind IN ('entry', 'interim', 'final')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assistant_id: Mapped[int] = mapped_column(ForeignKey("assistant.id", ondelete="RESTRICT"))
    assessed_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    assessor: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    scale_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_scale.id", ondelete="RESTRICT"), index=True
    )

    levels: Mapped[list[AssessmentLevel]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class AssessmentLevel(Base):
    """The level reached in one area at one assessment."""

    __tablename__ = "assessment_level"
    __table_args__ = (
        UniqueConstraint("assessment_id", "area_id"),
        Index("ix_assessment_level_lookup", "assessment_id", "area_id", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(
        ForeignKey("education_area.id", ondelete="RESTRICT"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)

    assessment: Mapped[Assessment] = relationship(back_populates="levels")
