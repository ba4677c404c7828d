"""SQLAlchemy models, the unit of work, migrations and services. No Qt."""
