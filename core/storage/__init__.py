"""Storage through SQLAlchemy 2.0; the same code and migrations on SQLite and PostgreSQL."""
