"""assessments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Scales (with their levels), assessments and the level per area of each assessment. The default
1–5 scale is created for every project on opening
(``db.services.assessments.ensure_default_scales``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_scale",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("min_level", sa.Integer(), nullable=False),
        sa.Column("max_level", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.CheckConstraint("min_level < max_level", name=op.f("ck_assessment_scale_level_range")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_assessment_scale_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_scale")),
    )
    with op.batch_alter_table("assessment_scale", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_scale_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "scale_level",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scale_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scale_id"],
            ["assessment_scale.id"],
            name=op.f("fk_scale_level_scale_id_assessment_scale"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scale_level")),
        sa.UniqueConstraint("scale_id", "level", name=op.f("uq_scale_level_scale_id")),
    )
    with op.batch_alter_table("scale_level", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scale_level_scale_id"), ["scale_id"], unique=False)

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("assessor", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("scale_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('entry', 'interim', 'final')", name=op.f("ck_assessment_kind")
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_assessment_assistant_id_assistant"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["scale_id"],
            ["assessment_scale.id"],
            name=op.f("fk_assessment_scale_id_assessment_scale"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_assistant_on",
            ["assistant_id", "assessed_on", "id", "scale_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_assessment_assistant_kind", ["assistant_id", "kind"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_scale_id"), ["scale_id"], unique=False)

    op.create_table(
        "assessment_level",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["education_area.id"],
            name=op.f("fk_assessment_level_area_id_education_area"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_level_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_level")),
        sa.UniqueConstraint(
            "assessment_id", "area_id", name=op.f("uq_assessment_level_assessment_id")
        ),
    )
    with op.batch_alter_table("assessment_level", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_level_area_id"), ["area_id"], unique=False)
        batch_op.create_index(
            "ix_assessment_level_lookup", ["assessment_id", "area_id", "level"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment_level", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_level_lookup")
        batch_op.drop_index(batch_op.f("ix_assessment_level_area_id"))
    op.drop_table("assessment_level")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_scale_id"))
        batch_op.drop_index("ix_assessment_assistant_kind")
        batch_op.drop_index("ix_assessment_assistant_on")
    op.drop_table("assessment")
    with op.batch_alter_table("scale_level", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scale_level_scale_id"))
    op.drop_table("scale_level")
    with op.batch_alter_table("assessment_scale", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_scale_project_id"))
    op.drop_table("assessment_scale")
