"""row_version on every record edited in a form: optimistic locking, so two app instances
editing the same record never overwrite each other silently (SQLAlchemy's version counter)

Existing rows start at version 1.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = (
    "project",
    "assistant",
    "employment",
    "plan",
    "plan_goal",
    "plan_review",
    "assessment",
    "training_session",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("row_version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("row_version")
