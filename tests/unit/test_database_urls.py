"""Reading what a user typed as a database location."""

from pathlib import Path

import pytest

from db.engine import parse_database_url
from recruit_app.errors import ValidationError


def test_plain_path_is_a_sqlite_file(tmp_path):
    target = parse_database_url(str(tmp_path / "r.sqlite3"))
    assert target.backend == "sqlite"
    assert target.path == tmp_path / "r.sqlite3"
    assert target.display == str(tmp_path / "r.sqlite3")


def test_relative_path_becomes_absolute():
    target = parse_database_url("data/r.sqlite3")
    assert target.path == Path.cwd() / "data" / "r.sqlite3"


def test_sqlite_url(tmp_path):
    target = parse_database_url(f"sqlite:///{tmp_path}/x.db")
    assert target.path == tmp_path / "x.db"


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_postgres_urls_use_psycopg_and_hide_the_password(scheme):
    target = parse_database_url(f"{scheme}://recruit:s3cret@db.example:5432/recruit")
    assert target.backend == "postgresql"
    assert target.url.drivername == "postgresql+psycopg"
    assert target.display == "postgresql://recruit:***@db.example:5432/recruit"
    assert "s3cret" not in target.display


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give a database"),
        ("   ", "Give a database"),
        ("postgresql://", "must name a server host"),
        ("postgresql://host:5432", "must name a database"),
        ("mysql://root@localhost/recruit", "not 'mysql'"),
        ("::::://nonsense", "is not a database URL"),
        ("sqlite://", "must name a file"),
        ("postgresql://u:pw@host:notaport/db", "is not a database URL"),
    ],
)
def test_malformed_urls_are_refused_in_words(text, message):
    with pytest.raises(ValidationError, match=message) as caught:
        parse_database_url(text)
    assert "pw" not in caught.value.message.replace("password", "")
