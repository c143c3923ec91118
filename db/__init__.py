"""Persistence: engine and sessions, SQLModel tables, Alembic migrations, backup."""
