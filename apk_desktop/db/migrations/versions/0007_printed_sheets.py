"""printed_sheet, printed_cell: what was printed where (each sheet printed or saved as PDF and
its signature cells in page coordinates), for reading signed scans back

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "printed_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.String(length=60), nullable=False),
        sa.Column("record_kind", sa.String(length=20), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("layout_version", sa.Integer(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("code_x", sa.Float(), nullable=True),
        sa.Column("code_y", sa.Float(), nullable=True),
        sa.Column("code_width", sa.Float(), nullable=True),
        sa.Column("code_height", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printed_sheet")),
    )
    op.create_index(op.f("ix_printed_sheet_sheet_id"), "printed_sheet", ["sheet_id"], unique=False)
    op.create_table(
        "printed_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("printed_sheet_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("width", sa.Float(), nullable=False),
        sa.Column("height", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["printed_sheet_id"],
            ["printed_sheet.id"],
            name=op.f("fk_printed_cell_printed_sheet_id_printed_sheet"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printed_cell")),
    )
    op.create_index(
        op.f("ix_printed_cell_printed_sheet_id"), "printed_cell", ["printed_sheet_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_printed_cell_printed_sheet_id"), table_name="printed_cell")
    op.drop_table("printed_cell")
    op.drop_index(op.f("ix_printed_sheet_sheet_id"), table_name="printed_sheet")
    op.drop_table("printed_sheet")
