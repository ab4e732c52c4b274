"""Storage: the only package that imports SQLAlchemy (engine, tables, repositories, migrations)."""
