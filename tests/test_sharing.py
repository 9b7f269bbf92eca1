"""Who sees athlete records in the app: the person at this computer, or nobody unless shared."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from movement_screen import sharing
from movement_screen.records.model import resolve_db_path

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_config_listens_on_this_computer_only():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert sharing.is_local(config["server"]["address"])
    assert config["browser"]["gatherUsageStats"] is False


@pytest.mark.parametrize(
    "address, local",
    [
        ("localhost", True), ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True),
        ("", False), (None, False), ("0.0.0.0", False), ("::", False),
        ("192.168.1.20", False), ("clinic.example", False),
    ],
)  # fmt: skip
def test_only_loopback_addresses_are_local(address, local):
    assert sharing.is_local(address) is local


def test_local_app_uses_the_users_own_records_file(monkeypatch, tmp_path):
    monkeypatch.setenv("MOVEMENT_SCREEN_DB", str(tmp_path / "mine.sqlite3"))
    access = sharing.records_access("localhost", {sharing.SHARED_DB: "/srv/clinic.sqlite3"})
    assert access.db == resolve_db_path(None) == str(tmp_path / "mine.sqlite3")
    assert access.password is None and access.unlocks("")


def test_shared_app_has_no_records_unless_a_clinic_file_and_password_are_given():
    off = sharing.records_access("0.0.0.0", {})
    assert off.db is None and "records are off" in off.why
    no_password = sharing.records_access("0.0.0.0", {sharing.SHARED_DB: "/srv/c.sqlite3"})
    assert no_password.db is None and "needs a password" in no_password.why
    env = {sharing.SHARED_DB: "/srv/c.sqlite3", sharing.PASSWORD: "s3cret é"}
    shared = sharing.records_access("192.168.1.20", env)
    assert shared.db == "/srv/c.sqlite3"
    assert shared.unlocks("s3cret é") and not shared.unlocks("s3cret") and not shared.unlocks("")
