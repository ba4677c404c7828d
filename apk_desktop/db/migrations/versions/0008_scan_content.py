"""scan_content: the bytes of signed scans in the database, for a server database (PostgreSQL),
so that no scan lives only on the PC that imported it. On SQLite the table stays empty: the scans
stay files in the data folder next to the database file.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scan_content",
        sa.Column("evidence_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_file.id"],
            name=op.f("fk_scan_content_evidence_id_evidence_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", name=op.f("pk_scan_content")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # PDF and JPEG are compressed already: stored out of line as they are
        op.execute("ALTER TABLE scan_content ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("scan_content")
