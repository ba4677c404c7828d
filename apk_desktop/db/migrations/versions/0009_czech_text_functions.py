"""czech_key() and czech_fold() as SQL functions on PostgreSQL

On SQLite the app registers both on every connection (Python functions, see db.database); on
PostgreSQL they are plain SQL functions of the database, so lists sort in Czech order and search
ignores case and diacritics on both backends alike (no extension such as unaccent is needed).
Their results match ``domain.czech_text`` (a test compares them); ``czech_key`` is compared with
COLLATE "C", i.e. by code point, as Python compares strings.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Decompose (NFD), drop the combining accents U+0300–U+036F, lower-case: "Řehoř" → "rehor".
# Lower-casing after the decomposition works under any LC_CTYPE, "C" included (Czech base
# letters are ASCII).
FOLD = r"""
CREATE OR REPLACE FUNCTION czech_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lower(regexp_replace(normalize(t, NFD), '[\u0300-\u036f]', '', 'g'))
"""

# The key of domain.czech_text.czech_sort_key: every letter becomes two characters, its base
# letter and "0", except č ř š ž (base letter and "1", right after their base letter) and "ch"
# ("h1", after h); then U+0001 and the lower-cased decomposed text, so accents and case only
# break ties. U+E000 marks "ch" and U+E001 a caron while the key is built.
KEY = r"""
CREATE OR REPLACE FUNCTION czech_key(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN replace(replace(
    regexp_replace(
      regexp_replace(
        regexp_replace(
          replace(lower(normalize(t, NFD)), 'ch', U&'\E000'),
          '([crsz])\u030c', '\1' || U&'\E001', 'g'),
        '[\u0300-\u036f]', '', 'g'),
      '(.)', '\10', 'g'),
    '0' || U&'\E001' || '0', '1'),
  U&'\E000' || '0', 'h1')
  || U&'\0001' || lower(normalize(t, NFD))
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FOLD)
        op.execute(KEY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS czech_key(text)")
        op.execute("DROP FUNCTION IF EXISTS czech_fold(text)")
