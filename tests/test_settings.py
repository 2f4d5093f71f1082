"""Settings: defaults, every SANDBOX_* variable, overrides over the environment, precise errors, the admin token."""

from __future__ import annotations

import os
import stat
import threading
import time
from dataclasses import FrozenInstanceError, fields
from pathlib import Path

import pytest

from sandbox import settings as settings_module
from sandbox.settings import Settings, SettingsError, admin_token, machine_workers

# An admin token long enough to be accepted (32 characters at least).
GIVEN = "given-admin-token-of-32-characters-or-more"


def test_settings_defaults_from_an_empty_environment():
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.data_dir == Path(".sandbox")
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8000, machine_workers())
    assert settings.admin_token is None and settings.specs == () and settings.clock is None
    assert (settings.default_workspace, settings.default_profile) == ("default", "default")
    assert settings.workspace_header == "X-Sandbox-Workspace" and settings.validate_responses is True
    assert settings.base_url == "http://127.0.0.1:8000"


def test_settings_are_frozen():
    with pytest.raises(FrozenInstanceError):
        Settings().port = 1  # type: ignore[misc]


EACH_VARIABLE = [
    ("SANDBOX_DATA_DIR", "/srv/sandbox", "data_dir", Path("/srv/sandbox")),
    ("SANDBOX_DATABASE_URL", "postgresql://sandbox@db:5432/sandbox", "database_url", "postgresql://sandbox@db:5432/sandbox"),
    ("SANDBOX_DATABASE_URL", "postgres://db/sandbox", "database_url", "postgres://db/sandbox"),
    ("SANDBOX_HOST", "0.0.0.0", "host", "0.0.0.0"),
    ("SANDBOX_PORT", "9123", "port", 9123),
    ("SANDBOX_PORT", "1", "port", 1),
    ("SANDBOX_PORT", "65535", "port", 65535),
    ("SANDBOX_WORKERS", "4", "workers", 4),
    ("SANDBOX_WORKERS", "64", "workers", 64),
    ("SANDBOX_ADMIN_TOKEN", "s3cret", "admin_token", "s3cret"),
    ("SANDBOX_SPECS", os.pathsep.join(["/a", "/b"]), "specs", (Path("/a"), Path("/b"))),
    ("SANDBOX_SPECS", f"/a{os.pathsep}{os.pathsep}", "specs", (Path("/a"),)),
    ("SANDBOX_DEFAULT_WORKSPACE", "team-01", "default_workspace", "team-01"),
    ("SANDBOX_DEFAULT_PROFILE", "large", "default_profile", "large"),
    ("SANDBOX_WORKSPACE_HEADER", "X-Team", "workspace_header", "X-Team"),
    ("SANDBOX_VALIDATE_RESPONSES", "false", "validate_responses", False),
    ("SANDBOX_VALIDATE_RESPONSES", "No", "validate_responses", False),
    ("SANDBOX_VALIDATE_RESPONSES", "0", "validate_responses", False),
    ("SANDBOX_VALIDATE_RESPONSES", "TRUE", "validate_responses", True),
    ("SANDBOX_VALIDATE_RESPONSES", "yes", "validate_responses", True),
    ("SANDBOX_CLOCK", "2026-11-05T10:00:00+09:00", "clock", "2026-11-05T10:00:00+09:00"),
    ("SANDBOX_CLOCK", "2026-11-05T10:00:00", "clock", "2026-11-05T10:00:00"),
    ("SANDBOX_OPEN_ACCESS", "1", "open_access", True),
    ("SANDBOX_OPEN_ACCESS", "false", "open_access", False),
    ("SANDBOX_REQUEST_LOG", "0", "request_log", False),
    ("SANDBOX_ABUSE_RULES", "0", "abuse_rules", False),
    ("SANDBOX_STRICT", "true", "strict", True),
    ("SANDBOX_STRICT", "0", "strict", False),
    ("SANDBOX_PLANS", "/srv/plans.yaml", "plans", Path("/srv/plans.yaml")),
    ("SANDBOX_FAILED_AUTH_LIMIT", "5/minute", "failed_auth_limit", "5/minute"),
    ("SANDBOX_MAX_BODY_BYTES", "2097152", "max_body_bytes", 2097152),
    ("SANDBOX_MAX_BULK_BODY_BYTES", "33554432", "max_bulk_body_bytes", 33554432),
    ("SANDBOX_MAX_IN_FLIGHT", "32", "max_in_flight", 32),
    ("SANDBOX_MAX_QUEUE_MS", "100", "max_queue_ms", 100),
    ("SANDBOX_TLS", "true", "tls", True),
    ("SANDBOX_TLS", "0", "tls", False),
    ("SANDBOX_TLS_CERT", "/srv/tls/chain.pem", "tls_cert", Path("/srv/tls/chain.pem")),
    ("SANDBOX_TLS_KEY", "/srv/tls/key.pem", "tls_key", Path("/srv/tls/key.pem")),
]


@pytest.mark.parametrize("variable, attribute", [
    ("SANDBOX_VALIDATE_RESPONSES", "validate_responses"), ("SANDBOX_OPEN_ACCESS", "open_access"),
    ("SANDBOX_REQUEST_LOG", "request_log"), ("SANDBOX_ABUSE_RULES", "abuse_rules")])
def test_settings_switches_are_read_both_ways(variable, attribute):
    """The rows above that expect a default would pass if the variable were ignored: each switch turns both ways."""
    assert [getattr(Settings.from_env({variable: raw}), attribute) for raw in ("yes", "no", "1", "0")] == [
        True, False, True, False]


@pytest.mark.parametrize("variable, raw, attribute, expected", EACH_VARIABLE, ids=[f"{v}={r}" for v, r, *_ in EACH_VARIABLE])
def test_settings_read_each_variable(variable, raw, attribute, expected):
    settings = Settings.from_env({variable: raw})
    assert getattr(settings, attribute) == expected
    # ... and nothing else moves
    others = {f.name for f in fields(Settings)} - {attribute}
    assert {name: getattr(settings, name) for name in others} == {name: getattr(Settings(), name) for name in others}


def test_settings_every_field_has_a_variable():
    """A field the environment cannot set would be a default nobody can change in a container."""
    for f in fields(Settings):
        assert any(row[0] == f"SANDBOX_{f.name.upper()}" for row in EACH_VARIABLE), f.name


def test_settings_empty_variables_mean_the_default():
    environ = {f"SANDBOX_{f.name.upper()}": "" for f in fields(Settings)}
    assert Settings.from_env(environ) == Settings()


def test_settings_ignore_other_variables():
    assert Settings.from_env({"PORT": "1", "SANDBOX_PORTS": "x", "sandbox_port": "x"}) == Settings()


def test_settings_read_os_environ_when_given_nothing(monkeypatch):
    monkeypatch.setenv("SANDBOX_PORT", "8765")
    monkeypatch.setenv("SANDBOX_HOST", "::")
    settings = Settings.from_env()
    assert settings.port == 8765 and settings.base_url == "http://127.0.0.1:8765"


def test_settings_overrides_beat_the_environment():
    environ = {"SANDBOX_PORT": "9000", "SANDBOX_HOST": "0.0.0.0", "SANDBOX_DATA_DIR": "/env", "SANDBOX_WORKERS": "3",
               "SANDBOX_CLOCK": "2026-01-01T00:00:00+09:00", "SANDBOX_SPECS": "/env-specs"}
    settings = Settings.from_env(environ, port=9001, data_dir=Path("/flag"), workers=None, host=None,
                                 clock="2027-01-01T00:00:00+09:00", specs=(Path("/flag-specs"),))
    assert settings.port == 9001 and settings.data_dir == Path("/flag")
    assert settings.clock == "2027-01-01T00:00:00+09:00" and settings.specs == (Path("/flag-specs"),)
    # None means "not given": the environment stands
    assert settings.workers == 3 and settings.host == "0.0.0.0"


def test_settings_overrides_without_environment():
    assert Settings.from_env({}, port=1234, validate_responses=False) == Settings(port=1234, validate_responses=False)


def test_settings_base_url_names_a_reachable_host():
    assert Settings(host="0.0.0.0", port=81).base_url == "http://127.0.0.1:81"
    assert Settings(host="::", port=81).base_url == "http://127.0.0.1:81"
    assert Settings(host="sandbox.local", port=81).base_url == "http://sandbox.local:81"


ERRORS = [
    ("SANDBOX_PORT", "x", "SANDBOX_PORT has value 'x'. Not a valid int."),
    ("SANDBOX_PORT", "80.5", "SANDBOX_PORT has value '80.5'. Not a valid int."),
    ("SANDBOX_PORT", "0", "SANDBOX_PORT has value '0'. Must be from 1 to 65535."),
    ("SANDBOX_PORT", "65536", "SANDBOX_PORT has value '65536'. Must be from 1 to 65535."),
    ("SANDBOX_PORT", "-1", "SANDBOX_PORT has value '-1'. Must be from 1 to 65535."),
    ("SANDBOX_WORKERS", "many", "SANDBOX_WORKERS has value 'many'. Not a valid int."),
    ("SANDBOX_WORKERS", "0", "SANDBOX_WORKERS has value '0'. Must be from 1 to 64."),
    ("SANDBOX_WORKERS", "65", "SANDBOX_WORKERS has value '65'. Must be from 1 to 64."),
    ("SANDBOX_VALIDATE_RESPONSES", "maybe", "SANDBOX_VALIDATE_RESPONSES has value 'maybe'. Not a valid boolean (true/false)."),
    ("SANDBOX_CLOCK", "tomorrow", "SANDBOX_CLOCK has value 'tomorrow'. Not a valid ISO 8601 date-time."),
    ("SANDBOX_CLOCK", "2026-13-01T10:00:00", "SANDBOX_CLOCK has value '2026-13-01T10:00:00'. Not a valid ISO 8601 date-time."),
    ("SANDBOX_FAILED_AUTH_LIMIT", "often", "SANDBOX_FAILED_AUTH_LIMIT has value 'often'. Not a rate such as '10/minute'."),
    ("SANDBOX_MAX_BODY_BYTES", "10", "SANDBOX_MAX_BODY_BYTES has value '10'. Must be from 1024 to 2147483648."),
    ("SANDBOX_MAX_BULK_BODY_BYTES", "x", "SANDBOX_MAX_BULK_BODY_BYTES has value 'x'. Not a valid int."),
    ("SANDBOX_MAX_QUEUE_MS", "0", "SANDBOX_MAX_QUEUE_MS has value '0'. Must be from 1 to 60000."),
    ("SANDBOX_DATABASE_URL", "mysql://u:pw@db/x",
     "SANDBOX_DATABASE_URL has value 'mysql://u:***@db/x'. Not a PostgreSQL URL (postgresql://user@host:5432/db)."),
]


@pytest.mark.parametrize("variable, raw, message", ERRORS, ids=[f"{v}={r}" for v, r, _ in ERRORS])
def test_settings_errors_name_the_variable_and_the_value(variable, raw, message):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: raw})
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_settings_an_override_does_not_hide_a_bad_variable():
    """The environment is read whole: a broken variable is reported even when a flag replaces it."""
    with pytest.raises(SettingsError, match="SANDBOX_PORT has value 'x'"):
        Settings.from_env({"SANDBOX_PORT": "x"}, port=8001)


# -- the admin token -----------------------------------------------------------------------------


def test_admin_token_from_the_settings_is_not_stored(tmp_path):
    assert admin_token(Settings(data_dir=tmp_path, admin_token=GIVEN)) == (GIVEN, False)
    assert not (tmp_path / "admin-token").exists()


def test_admin_token_from_the_environment(tmp_path):
    settings = Settings.from_env({"SANDBOX_ADMIN_TOKEN": GIVEN, "SANDBOX_DATA_DIR": str(tmp_path)})
    assert admin_token(settings) == (GIVEN, False)
    assert not (tmp_path / "admin-token").exists()


def test_admin_token_generated_once_stored_private_and_reused(tmp_path):
    data = tmp_path / "not-yet-there"
    token, created = admin_token(Settings(data_dir=data))
    assert created and len(token) >= 32 and token.strip() == token
    path = data / "admin-token"
    assert path.read_text() == token + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert admin_token(Settings(data_dir=data)) == (token, False)
    assert admin_token(Settings(data_dir=data)) == (token, False)
    # a token given in the settings wins over the stored one, and leaves it alone
    assert admin_token(Settings(data_dir=data, admin_token=GIVEN)) == (GIVEN, False)
    assert path.read_text() == token + "\n"


def test_admin_token_differs_between_data_dirs(tmp_path):
    first, _ = admin_token(Settings(data_dir=tmp_path / "a"))
    second, _ = admin_token(Settings(data_dir=tmp_path / "b"))
    assert first != second


def test_admin_token_a_stored_token_is_read_without_whitespace(tmp_path):
    (tmp_path / "admin-token").write_text(f"  {GIVEN} \n\n")
    assert admin_token(Settings(data_dir=tmp_path)) == (GIVEN, False)


def test_admin_token_concurrent_first_starts_agree(tmp_path):
    """Workers starting together on a fresh data dir all end up with the one stored token."""
    for attempt in range(20):
        data = tmp_path / str(attempt)
        results, barrier = [], threading.Barrier(8)

        def start():
            barrier.wait()
            results.append(admin_token(Settings(data_dir=data)))

        threads = [threading.Thread(target=start) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        tokens = {token for token, _ in results}
        assert len(tokens) == 1 and "" not in tokens, results
        assert sum(created for _, created in results) == 1
        assert (data / "admin-token").read_text().strip() == tokens.pop()


def test_admin_token_waits_for_a_worker_still_writing_it(tmp_path):
    path = tmp_path / "admin-token"
    path.touch(mode=0o600)  # another worker has created the file and not yet written it

    def finish():
        time.sleep(0.2)
        path.write_text(f"{GIVEN}\n")

    writer = threading.Thread(target=finish)
    writer.start()
    try:
        assert admin_token(Settings(data_dir=tmp_path)) == (GIVEN, False)
    finally:
        writer.join()


def test_admin_token_an_empty_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(settings_module, "TOKEN_WAIT_S", 0.1)
    (tmp_path / "admin-token").write_text("\n")
    with pytest.raises(SettingsError, match="admin-token is empty; delete it"):
        admin_token(Settings(data_dir=tmp_path))
