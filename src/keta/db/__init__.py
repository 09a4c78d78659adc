"""Persistence: SQLAlchemy 2 models, repositories (every select lives there) and Alembic migrations."""
