"""Individual development plans (IDP): plans with their versions, goals per area and reviews.

See ``apk_desktop.domain.plans`` for the terms (lineage, version, signed, active plan).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apk_desktop.db.base import Base
from apk_desktop.db.versioning import Versioned


class Plan(Versioned, Base):
    """One version of an assistant's development plan. Signed versions are never changed."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    assistant_id: Mapped[int] = mapped_column(
        ForeignKey("assistant.id", ondelete="RESTRICT"), index=True
    )
    # The first version of this plan's lineage; None on the first version itself.
    root_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan.id", ondelete="RESTRICT"), index=True
    )
    # The version this one was made from (a revision) or copied from (a new plan); None if new.
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    mentor_name: Mapped[str] = mapped_column(String(200), default="")
    police_head_name: Mapped[str] = mapped_column(String(200), default="")
    include_police_head: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    final_evaluation: Mapped[str] = mapped_column(Text, default="")
    signed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)

    goals: Mapped[list[PlanGoal]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanGoal.id"
    )
    reviews: Mapped[list[PlanReview]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by=lambda: (PlanReview.review_date, PlanReview.id),
    )

    @property
    def lineage_id(self) -> int:
        return self.root_id if self.root_id is not None else self.id


class PlanGoal(Versioned, Base):
    """One chosen education area of a plan: its goals and how they are to be reached."""

    __tablename__ = "plan_goal"
    __table_args__ = (UniqueConstraint("plan_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(
        ForeignKey("education_area.id", ondelete="RESTRICT"), index=True
    )
    goals: Mapped[str] = mapped_column(Text)
    activities: Mapped[str] = mapped_column(String(200), default="")  # codes, comma-separated
    activity_detail: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    success_measure: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")

    plan: Mapped[Plan] = relationship(back_populates="goals")


class PlanReview(Versioned, Base):
    """A review of a plan (``goal_id`` None) or of one goal: date, status and note."""

    __tablename__ = "plan_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_goal.id", ondelete="SET NULL"), index=True
    )
    review_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="reviews")
