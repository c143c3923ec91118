"""Settings: precedence of database choices and a damaged file."""

import pytest

from recruit_app import paths
from recruit_app.errors import ValidationError
from recruit_app.settings import Settings, resolve_database_url


def test_default_database_is_the_file_in_the_data_folder(app_home):
    assert resolve_database_url() == str(app_home / "data" / "recruit.sqlite3")
    assert paths.default_database_path() == app_home / "data" / "recruit.sqlite3"


def test_precedence_cli_then_environment_then_setting(monkeypatch, tmp_path):
    settings = Settings(tmp_path / "s.json")
    settings.set("database_url", "/from/setting.sqlite3")
    assert resolve_database_url(None, settings) == "/from/setting.sqlite3"
    monkeypatch.setenv("RECRUIT_APP_DB", "/from/env.sqlite3")
    assert resolve_database_url(None, settings) == "/from/env.sqlite3"
    assert resolve_database_url("/from/cli.sqlite3", settings) == "/from/cli.sqlite3"


def test_settings_round_trip(tmp_path):
    path = tmp_path / "config" / "settings.json"
    settings = Settings(path)
    settings.set("organisation_name", "Home Office & Partners")
    settings.save()
    assert Settings(path).get("organisation_name") == "Home Office & Partners"


def test_damaged_settings_file_falls_back_to_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert Settings(path).get("database_url") == ""


def test_wrong_types_in_the_file_are_ignored(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"database_url": 42, "organisation_name": "DVLA"}', encoding="utf-8")
    settings = Settings(path)
    assert settings.get("database_url") == ""
    assert settings.get("organisation_name") == "DVLA"


def test_unknown_setting_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="no setting called 'colour'"):
        Settings(tmp_path / "s.json").set("colour", "blue")
