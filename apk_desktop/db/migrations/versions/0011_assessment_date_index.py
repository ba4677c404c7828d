"""assessment (assessed_on, id): the assessments screen's newest 500 of 100,000 without a sort

The list of all assessments (newest first, 500 shown) sorted every row of the project; with this
index it reads the newest rows in order (PostgreSQL 34 ms → 1 ms on the large database,
benchmarks/screens_large.py).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_assessment_on", "assessment", ["assessed_on", "id"])


def downgrade() -> None:
    op.drop_index("ix_assessment_on", table_name="assessment")
