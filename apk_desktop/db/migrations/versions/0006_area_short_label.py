"""education_area.short_label: the Czech short label lists, charts and exports show

Existing areas get the defaults of the method (ZÁKL, FIN, KOM, MED, DIG); an area with another
code shows its code until the mentor names it in Nastavení.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DEFAULTS = {"FIELD": "ZÁKL", "FIN": "FIN", "COMM": "KOM", "MED": "MED", "DIG": "DIG"}


def upgrade() -> None:
    with op.batch_alter_table("education_area") as batch:
        batch.add_column(sa.Column("short_label", sa.String(12), nullable=False, server_default=""))
    area = sa.table("education_area", sa.column("code", sa.String), sa.column("short_label"))
    for code, label in DEFAULTS.items():
        op.execute(area.update().where(area.c.code == code).values(short_label=label))
    op.execute(
        area.update()
        .where(area.c.short_label == "")
        .values(short_label=sa.func.substr(area.c.code, 1, 12))
    )


def downgrade() -> None:
    with op.batch_alter_table("education_area") as batch:
        batch.drop_column("short_label")
