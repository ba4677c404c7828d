"""roster and project

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("registration_number", sa.String(length=60), nullable=False),
        sa.Column("beneficiary", sa.String(length=300), nullable=False),
        sa.Column("programme", sa.String(length=300), nullable=False),
        sa.Column("method", sa.String(length=300), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("total_cost", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("eu_contribution", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("national_sources", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("own_financing", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("mentor_name", sa.String(length=200), nullable=False),
        sa.Column("position_count", sa.Integer(), nullable=False),
        sa.Column("logo_path", sa.String(length=500), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
    )
    op.create_table(
        "assistant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_assistant_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant")),
    )
    with op.batch_alter_table("assistant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assistant_project_id"), ["project_id"], unique=False)

    op.create_table(
        "education_area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_education_area_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_education_area")),
        sa.UniqueConstraint("project_id", "code", name=op.f("uq_education_area_project_id")),
    )
    with op.batch_alter_table("education_area", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_education_area_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "key_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_key_activity_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_activity")),
        sa.UniqueConstraint("project_id", "code", name=op.f("uq_key_activity_project_id")),
    )
    with op.batch_alter_table("key_activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_key_activity_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_position_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_position")),
        sa.UniqueConstraint("project_id", "number", name=op.f("uq_position_project_id")),
    )
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_position_project_id"), ["project_id"], unique=False)

    op.create_table(
        "employment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_employment_assistant_id_assistant"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_employment_position_id_position"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment")),
    )
    with op.batch_alter_table("employment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_employment_assistant_id"), ["assistant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_employment_position_id"), ["position_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("employment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employment_position_id"))
        batch_op.drop_index(batch_op.f("ix_employment_assistant_id"))

    op.drop_table("employment")
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_project_id"))

    op.drop_table("position")
    with op.batch_alter_table("key_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_activity_project_id"))

    op.drop_table("key_activity")
    with op.batch_alter_table("education_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_education_area_project_id"))

    op.drop_table("education_area")
    with op.batch_alter_table("assistant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistant_project_id"))

    op.drop_table("assistant")
    op.drop_table("project")
