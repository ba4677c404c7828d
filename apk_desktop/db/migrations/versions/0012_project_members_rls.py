"""project_member and row-level security: on a PostgreSQL server each mentor logs in with a role
of their own and reads and writes only the rows of the projects they are a member of

- ``project_member`` (project, login role name): who may work on which project. Written by the
  owner of the tables only (``apk-desktop grant-access``); a mentor's role reads its own rows.
  Created on SQLite too (the schemas stay alike), where nothing uses it.
- ``printed_sheet.project_id``: a printed sheet belongs to a project (a blank sheet or the team's
  progress summary names no record to find it by), filled from its record, else the current
  project.
- PostgreSQL only: ROW LEVEL SECURITY on every app table with one policy for all commands
  (USING: which rows a role sees, updates and deletes; WITH CHECK: which rows it may write):
  * a table with ``project_id``: the project is one of the role's memberships;
  * a child table: a parent row is visible (a subquery on the parent, whose own policy applies;
    see SEEN_THROUGH), and for rows written every row it refers to is visible (no link into
    another project);
  * ``project``: a member's projects, checked by ``apk_is_member`` (below);
  * ``project_member``: a role sees its own rows and writes none.
  The key is ``session_user``, the role that logged in: nothing the client can set (SET ROLE
  changes current_user, not session_user), and the same inside a SECURITY DEFINER function.
- A new project joins its creator: the BEFORE INSERT trigger ``apk_project_creator`` (SECURITY
  DEFINER, owned by the tables' owner) adds the membership. The membership's foreign key is
  checked at commit (DEFERRABLE INITIALLY DEFERRED), since the project row is stored only after
  the trigger. ``INSERT … RETURNING`` checks the new row against the SELECT policy within the
  same statement, whose snapshot does not yet see the trigger's row: ``apk_is_member`` is
  VOLATILE so it reads with a fresh snapshot (the project table has a handful of rows; the big
  tables use a plain subquery that the planner runs once per statement).

The owner of the tables (the role that runs the migrations, city IT) is not subject to row
security (no FORCE ROW LEVEL SECURITY): it sees and maintains every project.

The tables are listed here as they are at this revision; a later table needs its own policy (the
security test walks every table of the models and fails for one without).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

POLICY = "apk_member_rows"

# Tables whose rows name their project.
PROJECT_TABLES = (
    "education_area",
    "key_activity",
    "position",
    "assistant",
    "assessment_scale",
    "session_series",
    "training_session",
    "printed_sheet",
)

# (column, parent table, nullable) of every reference to another app table: a row written must
# see them all (WITH CHECK, an EXISTS per row). plan.root_id and plan.previous_id refer to plan
# itself (a policy cannot read its own table); the services keep them within one person's plans.
REFERENCES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "training_session": (
        ("key_activity_id", "key_activity", True),
        ("series_id", "session_series", True),
    ),
    "employment": (("assistant_id", "assistant", False), ("position_id", "position", False)),
    "scale_level": (("scale_id", "assessment_scale", False),),
    "assessment": (("assistant_id", "assistant", False), ("scale_id", "assessment_scale", False)),
    "assessment_level": (
        ("assessment_id", "assessment", False),
        ("area_id", "education_area", False),
    ),
    "plan": (("assistant_id", "assistant", False),),
    "plan_goal": (("plan_id", "plan", False), ("area_id", "education_area", False)),
    "plan_review": (("plan_id", "plan", False), ("goal_id", "plan_goal", True)),
    "session_area": (
        ("session_id", "training_session", False),
        ("area_id", "education_area", False),
    ),
    "session_participant": (
        ("session_id", "training_session", False),
        ("assistant_id", "assistant", False),
    ),
    "evidence_file": (("session_id", "training_session", False),),
    "scan_content": (("evidence_id", "evidence_file", False),),
    "printed_cell": (("printed_sheet_id", "printed_sheet", False),),
}

# How a child table's rows are seen (USING): through one parent row visible, the same project's
# as every other parent (the services keep it so, and WITH CHECK lets a role write only rows
# whose every parent it sees). "IN": the parent's visible ids, read once per statement into a
# hash: a small parent (people, areas, scales, plans), so scanning 500,000 assessment levels
# costs a hash lookup per row (the dashboard: 270 → 55 ms on the large database, where an
# EXISTS per row through assessment and assistant took ~20 µs a row). "EXISTS": an index
# lookup per row, for big parents whose rows are read a few at a time.
SEEN_THROUGH: dict[str, tuple[str, str, str]] = {
    "employment": ("assistant_id", "assistant", "IN"),
    "scale_level": ("scale_id", "assessment_scale", "IN"),
    "assessment": ("assistant_id", "assistant", "IN"),
    "assessment_level": ("area_id", "education_area", "IN"),
    "plan": ("assistant_id", "assistant", "IN"),
    "plan_goal": ("area_id", "education_area", "IN"),
    "plan_review": ("plan_id", "plan", "IN"),
    "session_area": ("area_id", "education_area", "IN"),
    "session_participant": ("assistant_id", "assistant", "IN"),
    "evidence_file": ("session_id", "training_session", "EXISTS"),
    "scan_content": ("evidence_id", "evidence_file", "EXISTS"),
    "printed_cell": ("printed_sheet_id", "printed_sheet", "EXISTS"),
}

MEMBER_OF = (
    "project_id IN (SELECT m.project_id FROM project_member m WHERE m.role_name = session_user)"
)

# Every table of the models at this revision.
APP_TABLES = (
    "project",
    "project_member",
    *PROJECT_TABLES,
    *(t for t in REFERENCES if t not in PROJECT_TABLES),
)


def _visible(table: str, column: str, parent: str, nullable: bool) -> str:
    exists = f"EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {table}.{column})"
    return f"({table}.{column} IS NULL OR {exists})" if nullable else exists


def _conditions(table: str) -> tuple[str, str]:
    """USING and WITH CHECK of ``table``'s policy."""
    references = [_visible(table, *reference) for reference in REFERENCES.get(table, ())]
    if table in PROJECT_TABLES:
        return MEMBER_OF, " AND ".join([MEMBER_OF, *references])
    column, parent, how = SEEN_THROUGH[table]
    if how == "IN":
        using = f"{column} IN (SELECT p.id FROM {parent} p)"
    else:
        using = _visible(table, column, parent, nullable=False)
    return using, " AND ".join(references)


def _functions(schema: str) -> list[str]:
    # Both name their tables with the schema and fix search_path: a mentor's temporary table
    # called project_member must never stand in for the real one.
    return [
        f"""
CREATE FUNCTION apk_is_member(project integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = {schema}, pg_temp AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM {schema}.project_member m
                 WHERE m.project_id = project AND m.role_name = session_user);
END $$""",
        f"""
CREATE FUNCTION apk_project_creator() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  -- current_user is this function's owner (the tables' owner) here; session_user is the role
  -- that logged in. The owner and roles that bypass row security need no membership.
  IF session_user <> current_user AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_roles r
      WHERE r.rolname = session_user AND (r.rolsuper OR r.rolbypassrls)) THEN
    INSERT INTO {schema}.project_member (project_id, role_name) VALUES (NEW.id, session_user);
  END IF;
  RETURN NEW;
END $$""",
        "REVOKE ALL ON FUNCTION apk_project_creator() FROM PUBLIC",
        """
CREATE TRIGGER apk_project_creator BEFORE INSERT ON project
FOR EACH ROW EXECUTE FUNCTION apk_project_creator()""",
    ]


def _policies() -> list[str]:
    statements = [
        f"CREATE POLICY {POLICY} ON project USING (apk_is_member(id)) "
        "WITH CHECK (apk_is_member(id))",
        f"CREATE POLICY {POLICY} ON project_member FOR SELECT USING (role_name = session_user)",
    ]
    for table in APP_TABLES[2:]:
        using, check = _conditions(table)
        statements.append(f"CREATE POLICY {POLICY} ON {table} USING ({using}) WITH CHECK ({check})")
    statements += [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY" for table in APP_TABLES]
    return statements


def upgrade() -> None:
    op.create_table(
        "project_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_member_project_id_project"),
            ondelete="CASCADE",
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_member")),
        sa.UniqueConstraint("project_id", "role_name", name=op.f("uq_project_member_project_id")),
    )
    _printed_sheet_project()
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in (*_functions(schema), *_policies()):
            op.execute(statement)


def _printed_sheet_project() -> None:
    with op.batch_alter_table("printed_sheet") as batch:
        batch.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
    op.execute(
        """UPDATE printed_sheet SET project_id = CASE record_kind
        WHEN 'session' THEN (SELECT s.project_id FROM training_session s WHERE s.id = record_id)
        WHEN 'assistant' THEN (SELECT a.project_id FROM assistant a WHERE a.id = record_id)
        WHEN 'plan' THEN (SELECT a.project_id FROM plan p JOIN assistant a
                          ON a.id = p.assistant_id WHERE p.id = record_id)
        END"""
    )
    op.execute(
        """UPDATE printed_sheet SET project_id = (SELECT id FROM project
        ORDER BY is_current DESC, id LIMIT 1) WHERE project_id IS NULL"""
    )
    # Only without any project (never in practice): nothing to belong to.
    op.execute(
        "DELETE FROM printed_cell WHERE printed_sheet_id IN "
        "(SELECT id FROM printed_sheet WHERE project_id IS NULL)"
    )
    op.execute("DELETE FROM printed_sheet WHERE project_id IS NULL")
    with op.batch_alter_table("printed_sheet") as batch:
        batch.alter_column("project_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_printed_sheet_project_id_project"),
            "project",
            ["project_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(op.f("ix_printed_sheet_project_id"), ["project_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APP_TABLES:
            op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP TRIGGER IF EXISTS apk_project_creator ON project")
        op.execute("DROP FUNCTION IF EXISTS apk_project_creator()")
        op.execute("DROP FUNCTION IF EXISTS apk_is_member(integer)")
    with op.batch_alter_table("printed_sheet") as batch:
        batch.drop_index(op.f("ix_printed_sheet_project_id"))
        batch.drop_constraint(op.f("fk_printed_sheet_project_id_project"), type_="foreignkey")
        batch.drop_column("project_id")
    op.drop_table("project_member")
