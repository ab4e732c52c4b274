from tonghop.config import Settings


def test_database_url_defaults_to_a_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert Settings().resolved_database_url().startswith("sqlite:///")


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@localhost/x")
    assert Settings().resolved_database_url() == "postgresql+psycopg://u@localhost/x"
