"""sessions: training, mentoring and supervision sessions, attendance, signed scans

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_session_series_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_series")),
    )
    op.create_index(
        op.f("ix_session_series_project_id"), "session_series", ["project_id"], unique=False
    )
    op.create_table(
        "training_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("key_activity_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("time_from", sa.Time(), nullable=False),
        sa.Column("time_to", sa.Time(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("hour_unit", sa.String(length=10), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("lecturer", sa.String(length=300), nullable=False),
        sa.Column("topic", sa.String(length=500), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("supervision_form", sa.String(length=20), nullable=True),
        sa.Column("supervisor_type", sa.String(length=10), nullable=True),
        sa.Column("conclusions", sa.Text(), nullable=False),
        sa.Column("agreed_steps", sa.Text(), nullable=False),
        sa.Column("next_meeting", sa.Date(), nullable=True),
        sa.Column("private_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.Column("participant_count", sa.Integer(), nullable=False),
        sa.Column("unrecorded_count", sa.Integer(), nullable=False),
        sa.Column("evidence_count", sa.Integer(), nullable=False),
        sa.Column("area_ids_text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_activity_id"],
            ["key_activity.id"],
            name=op.f("fk_training_session_key_activity_id_key_activity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_training_session_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["session_series.id"],
            name=op.f("fk_training_session_series_id_session_series"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_session")),
    )
    op.create_index(
        op.f("ix_training_session_key_activity_id"),
        "training_session",
        ["key_activity_id"],
        unique=False,
    )
    # The session list: WHERE project_id = ? ORDER BY date
    op.create_index(
        op.f("ix_training_session_project_id_date"),
        "training_session",
        ["project_id", "date"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_session_series_id"), "training_session", ["series_id"], unique=False
    )
    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("relative_path", sa.String(length=500), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("attached_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_evidence_file_session_id_training_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_file")),
    )
    op.create_index(
        op.f("ix_evidence_file_session_id"), "evidence_file", ["session_id"], unique=False
    )
    op.create_table(
        "session_area",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["education_area.id"],
            name=op.f("fk_session_area_area_id_education_area"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_session_area_session_id_training_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "area_id", name=op.f("pk_session_area")),
    )
    op.create_index(op.f("ix_session_area_area_id"), "session_area", ["area_id"], unique=False)
    op.create_table(
        "session_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("invited", sa.Boolean(), nullable=False),
        sa.Column("attendance", sa.String(length=10), nullable=True),
        sa.Column("hours_attended", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_session_participant_assistant_id_assistant"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_session_participant_session_id_training_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_participant")),
        sa.UniqueConstraint(
            "session_id", "assistant_id", name=op.f("uq_session_participant_session_id")
        ),
    )
    op.create_index(
        op.f("ix_session_participant_assistant_id"),
        "session_participant",
        ["assistant_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_session_participant_assistant_id"), table_name="session_participant")
    op.drop_table("session_participant")
    op.drop_index(op.f("ix_session_area_area_id"), table_name="session_area")
    op.drop_table("session_area")
    op.drop_index(op.f("ix_evidence_file_session_id"), table_name="evidence_file")
    op.drop_table("evidence_file")
    op.drop_index(op.f("ix_training_session_series_id"), table_name="training_session")
    op.drop_index(op.f("ix_training_session_project_id_date"), table_name="training_session")
    op.drop_index(op.f("ix_training_session_key_activity_id"), table_name="training_session")
    op.drop_table("training_session")
    op.drop_index(op.f("ix_session_series_project_id"), table_name="session_series")
    op.drop_table("session_series")
