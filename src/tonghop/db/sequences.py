"""Id sequences after bulk inserts that set ids by hand (PostgreSQL keeps a sequence; SQLite needs nothing)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def sync_id_sequences(session: Session, *tables: str) -> None:
    """Move each TABLE's id sequence past its largest id, so the next ordinary insert gets a free id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}")
        )
