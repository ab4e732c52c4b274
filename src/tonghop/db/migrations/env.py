"""Alembic environment: runs migrations on the URL the Config carries."""

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config


def run() -> None:
    """Run the migrations online (we always have a live connection)."""
    url = config.get_main_option("sqlalchemy.url")
    connectable = create_engine(url, poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()


run()
