"""The bank sandbox inside a connector's own test suite (a pytest plugin, loaded by the `pytest11` entry point).

    def test_pays_rent(bank_sandbox):
        workspace = bank_sandbox.workspace        # a fresh, seeded workspace for this test
        token = bank_sandbox.token()              # a real OAuth token of its self-use connector
        ...
        bank_sandbox.apply_pack("bank-maintenance")
        bank_sandbox.advance(hours=24)
        assert bank_sandbox.requests(status=503)

Fixtures:
- `bank_sandbox_server` (session): the sandbox served in-process by uvicorn on a free 127.0.0.1 port,
  from a temporary data directory, its clock frozen at a business-day morning (override with
  `--bank-sandbox-clock`, or `--bank-sandbox-clock=real`);
- `bank_sandbox` (function): that server with a fresh workspace for the test (a team: the workspace, a
  self-use and a third-party connector, test users), and helpers for tokens, scenarios, the clock and
  the request log. The workspace is deleted after the test;
- `bank_sandbox_readiness` (function): run a readiness plan (docs/readiness.md) against a connector
  function, `report = bank_sandbox_readiness(pay, bank="kaede")`, where `pay(env)` pays once from the
  SANDBOX_* mapping and returns its exit code; the reports are written to the test's tmp_path.
"""

from __future__ import annotations

import itertools
import tempfile
import warnings
from pathlib import Path

import httpx
import pytest

from .serving import DEFAULT_CLOCK, Server, serve

_names = itertools.count(1)


def pytest_addoption(parser):
    group = parser.getgroup("bank-sandbox")
    group.addoption("--bank-sandbox-clock", default=DEFAULT_CLOCK,
                    help="The sandbox time for the tests (ISO 8601), or 'real' (default: a business-day morning).")
    group.addoption("--bank-sandbox-profile", default="default", help="Seeding profile of each test's workspace.")


class Sandbox:
    """One test's view of the sandbox: its workspace (a team) and what a connector's tests need."""

    def __init__(self, server: Server, team: dict):
        self.server = server
        self.url = server.url
        self.team = team
        self.workspace = team["workspace"]["name"]
        self.self_use = team["connectors"]["self_use"]
        self.third_party = team["connectors"]["third_party"]
        self.users = team["test_users"]
        self._admin = server.admin()

    # -- connectors and tokens -------------------------------------------------------------------
    def connector(self, connector_class: str = "self-use", **fields) -> dict:
        """Register another connector in this workspace; the answer holds its client secret."""
        body = {"workspace": self.workspace, "name": fields.pop("name", f"test connector {next(_names)}"),
                "class": connector_class, **fields}
        if connector_class == "third-party":
            body.setdefault("registration_number", "関東財務局長（電代）第1号")
            body.setdefault("redirect_uris", ["http://127.0.0.1:9/callback"])
        return self._ok(self._admin.post("/sandbox/v1/connectors", json=body), 201)

    def token(self, connector: dict | None = None, scope: str | None = None) -> str:
        """A client-credentials access token for the connector (the team's self-use one by default)."""
        connector = connector or self.self_use
        data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
        answer = httpx.post(f"{self.url}/oauth/token", data=data, timeout=30,
                            auth=(connector["client_id"], connector["client_secret"]))
        return self._ok(answer)["access_token"]

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client for the bank APIs, sending the token (a fresh self-use one by default)."""
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token or self.token()}"}, timeout=30)

    def suspend(self, connector: dict, reason: str = "test") -> dict:
        return self._ok(self._admin.post(f"/sandbox/v1/connectors/{connector['id']}/suspend", json={"reason": reason}))

    def resume(self, connector: dict) -> dict:
        return self._ok(self._admin.post(f"/sandbox/v1/connectors/{connector['id']}/resume", json={}))

    # -- data ------------------------------------------------------------------------------------
    def accounts(self, **query) -> list[dict]:
        answer = self._admin.get(f"/sandbox/v1/workspaces/{self.workspace}/accounts", params={"limit": 500, **query})
        return self._ok(answer)["accounts"]

    def account(self, account_id: str) -> dict:
        return self._ok(self._admin.get(f"/sandbox/v1/workspaces/{self.workspace}/accounts/{account_id}"))

    # -- scenarios, clock, log -------------------------------------------------------------------
    def apply_pack(self, name: str) -> list[dict]:
        answer = self._admin.post(f"/sandbox/v1/workspaces/{self.workspace}/scenarios", json={"pack": name})
        return self._ok(answer, 201)["scenarios"]

    def add_rule(self, rule: dict) -> dict:
        answer = self._admin.post(f"/sandbox/v1/workspaces/{self.workspace}/scenarios", json=rule)
        return self._ok(answer, 201)["scenarios"][0]

    def clear_scenarios(self) -> int:
        return self._ok(self._admin.delete(f"/sandbox/v1/workspaces/{self.workspace}/scenarios"))["cleared"]

    def now(self) -> str:
        return self._ok(self._admin.get(f"/sandbox/v1/workspaces/{self.workspace}/clock"))["now"]

    def set_clock(self, moment: str) -> dict:
        return self._clock({"mode": "set", "to": moment})

    def advance(self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0) -> dict:
        """Move the workspace's time forward; what falls due runs (the answer says what)."""
        total = int(days * 86400 + hours * 3600 + minutes * 60 + seconds)
        return self._clock({"mode": "advance", "seconds": total})

    def requests(self, **filters) -> list[dict]:
        """This workspace's request log, newest first (filters: connector_id, bank, operation_id, status, ...)."""
        answer = self._admin.get(f"/sandbox/v1/workspaces/{self.workspace}/requests", params={"limit": 1000, **filters})
        return self._ok(answer)["requests"]

    def reset(self) -> dict:
        return self._ok(self._admin.post(f"/sandbox/v1/workspaces/{self.workspace}/reset"))

    def close(self) -> None:
        self._admin.delete(f"/sandbox/v1/workspaces/{self.workspace}")
        self._admin.close()

    def _clock(self, body: dict) -> dict:
        return self._ok(self._admin.post(f"/sandbox/v1/workspaces/{self.workspace}/clock", json=body))

    @staticmethod
    def _ok(answer: httpx.Response, status: int = 200):
        if answer.status_code != status:
            raise AssertionError(f"the sandbox answered {answer.status_code}: {answer.text[:500]}")
        return answer.json()


def _import_the_framework_quietly() -> None:
    """Import the web stack the sandbox serves with, leaving its deprecation notices out of the user's run.

    Connexion imports names that jsonschema (RefResolver) and Starlette (its test client on httpx) have
    deprecated. Those notices concern the sandbox's dependencies, not the connector under test, yet
    they would land in every connector project's warnings summary, or fail a run that turns warnings
    into errors. They are raised once, at import, so only that import is silenced.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=r".*starlette\.testclient")  # a UserWarning subclass
        from .http import app  # noqa: F401


@pytest.fixture(scope="session")
def bank_sandbox_server(request):
    """The sandbox, served in-process for the whole test session."""
    clock = request.config.getoption("--bank-sandbox-clock")
    _import_the_framework_quietly()
    with tempfile.TemporaryDirectory(prefix="bank-sandbox-") as folder:
        server = serve(Path(folder), None if clock == "real" else clock)
        yield server
        server.stop()


@pytest.fixture
def bank_sandbox(bank_sandbox_server, request):
    """A fresh workspace (a team with two connectors and test users) for this test."""
    profile = request.config.getoption("--bank-sandbox-profile")
    name = f"test-{next(_names):04d}"
    with bank_sandbox_server.admin() as admin:
        answer = admin.post("/sandbox/v1/teams", json={"name": name, "profile": profile, "seed": 42})
    sandbox = Sandbox(bank_sandbox_server, Sandbox._ok(answer, 201))
    yield sandbox
    sandbox.close()


@pytest.fixture
def bank_sandbox_readiness(bank_sandbox_server, tmp_path):
    """Run a readiness plan against a connector function on the session's sandbox, in a workspace of its own."""
    from .readiness import ControlPlane, Runner, load_plan, write_reports

    workspaces = []

    def run(connector, *, plan: str = "standard", bank: str = "hub", checks=(), out: Path | None = None):
        chosen = load_plan(plan)
        chosen = chosen.select(checks) if checks else chosen
        workspaces.append(f"readiness-{next(_names):04d}")
        with ControlPlane(bank_sandbox_server.url, bank_sandbox_server.admin_token, settle_s=0.1) as control:
            report = Runner(control, chosen, bank=bank, workspace=workspaces[-1]).run(connector)
        write_reports(report, out or tmp_path / "readiness")
        return report

    yield run
    with bank_sandbox_server.admin() as admin:
        for name in workspaces:
            admin.delete(f"/sandbox/v1/workspaces/{name}")
