"""The control-plane calls a readiness run makes, as bank staff (the admin token), over HTTP.

The runner prepares each check and reads its evidence only through the public control plane, so it
grades a sandbox served in this process and one running elsewhere the same way.
"""

from __future__ import annotations

import time

import httpx

from ..domain.errors import CANONICAL_ERRORS, SandboxError
from ..governance.requestlog import FLUSH_S
from . import tls

BUSY_RETRIES = 10


class ControlPlane:
    def __init__(self, base_url: str, admin_token: str, *, settle_s: float = 2 * FLUSH_S + 0.1):
        self.base_url = base_url.rstrip("/")
        # Another worker's calls reach the log within about 2 * FLUSH_S; the one answering a read flushes its own.
        self.settle_s = settle_s
        self.http = httpx.Client(base_url=f"{self.base_url}/sandbox/v1", timeout=60, verify=tls.context(),
                                 headers={"Authorization": f"Bearer {admin_token}"})

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ControlPlane:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, method: str, path: str, expect: int = 200, **kwargs):
        """One control-plane call; a busy sandbox (429, 503) is asked again after Retry-After, as connectors must."""
        answer = self._send(method, path, **kwargs)
        if answer.status_code != expect:
            try:
                problem = answer.json()
            except ValueError:
                problem = {}
            code = problem.get("code") if problem.get("code") in CANONICAL_ERRORS else "invalid_request"
            detail = problem.get("detail") or answer.text
            raise SandboxError(code, f"the control plane answered {method} {path} with {answer.status_code}: "
                                     f"{str(detail)[:300]}")
        return answer.json() if answer.content else None

    def _send(self, method: str, path: str, **kwargs) -> httpx.Response:
        for _ in range(BUSY_RETRIES):
            answer = self.http.request(method, path, **kwargs)
            if answer.status_code not in (429, 503):
                break
            wait = answer.headers.get("retry-after", "")
            time.sleep(min(float(wait), 10) if wait.isdigit() else 1)
        return answer

    # -- the served APIs ---------------------------------------------------------------------------
    def apis(self) -> list[dict]:
        """Every served bank API: slug, base path and bank code (the server's index)."""
        answer = self._send("GET", f"{self.base_url}/")
        answer.raise_for_status()
        return answer.json()["apis"]

    def scopes(self, api_base: str, flow: str = "clientCredentials") -> list[str]:
        """The scopes a bank's spec declares for one OAuth2 flow (what the connector asks for)."""
        answer = self._send("GET", f"{api_base}/openapi.json")
        answer.raise_for_status()
        scopes = {}
        for scheme in ((answer.json().get("components") or {}).get("securitySchemes") or {}).values():
            flows = (scheme.get("flows") or {}) if scheme.get("type") == "oauth2" else {}
            scopes.update((flows.get(flow) or {}).get("scopes") or {})
        return list(scopes)

    # -- workspace ---------------------------------------------------------------------------------
    def ensure_workspace(self, name: str, seed: int = 42) -> None:
        if self.http.get(f"/workspaces/{name}").status_code == 404:
            self._call("POST", "/workspaces", 201, json={"name": name, "seed": seed})

    def reset(self, workspace: str) -> None:
        self._call("POST", f"/workspaces/{workspace}/reset")

    def set_clock(self, workspace: str, moment: str) -> None:
        self._call("POST", f"/workspaces/{workspace}/clock", json={"mode": "set", "to": moment})

    def accounts(self, workspace: str, **query) -> list[dict]:
        return self._call("GET", f"/workspaces/{workspace}/accounts", params={"limit": 500, **query})["accounts"]

    def account(self, workspace: str, account_id: str) -> dict:
        return self._call("GET", f"/workspaces/{workspace}/accounts/{account_id}")

    def transfers(self, workspace: str) -> list[dict]:
        """The workspace's transfers, those still waiting for a customer's approval included."""
        path = f"/workspaces/{workspace}/transfers"
        return [*self._call("GET", path, params={"limit": 500})["transfers"],
                *self._call("GET", path, params={"limit": 500, "status": "pending_approval"})["transfers"]]

    def add_rules(self, workspace: str, rules: list[dict]) -> None:
        for rule in rules:
            self._call("POST", f"/workspaces/{workspace}/scenarios", 201, json=rule)

    def apply_pack(self, workspace: str, pack: str) -> None:
        self._call("POST", f"/workspaces/{workspace}/scenarios", 201, json={"pack": pack})

    # -- readiness runs and sessions on the server --------------------------------------------------
    def file_run(self, report: dict) -> dict:
        return self._call("POST", "/readiness/runs", 201, json=report)

    def start_session(self, **fields) -> dict:
        return self._call("POST", "/readiness/sessions", 201, json={k: v for k, v in fields.items() if v})

    def next_check(self, session_id: str, exit_code: int) -> dict:
        return self._call("POST", f"/readiness/sessions/{session_id}/next", json={"exit_code": exit_code})

    def finish_session(self, session_id: str, exit_code: int | None = None) -> dict:
        body = {} if exit_code is None else {"exit_code": exit_code}
        return self._call("POST", f"/readiness/sessions/{session_id}/finish", json=body)

    # -- connectors --------------------------------------------------------------------------------
    def create_connector(self, workspace: str, **fields) -> dict:
        return self._call("POST", "/connectors", 201, json={"workspace": workspace, **fields})

    def update_connector(self, connector_id: str, **fields) -> None:
        self._call("PATCH", f"/connectors/{connector_id}", json=fields)

    def suspend(self, connector_id: str, reason: str) -> None:
        self._call("POST", f"/connectors/{connector_id}/suspend", json={"reason": reason})

    def delete_connector(self, connector_id: str) -> None:
        self.http.delete(f"/connectors/{connector_id}")

    def resume(self, connector_id: str, reason: str) -> None:
        self._call("POST", f"/connectors/{connector_id}/resume", json={"reason": reason})

    def newest_request(self, workspace: str, connector_id: str) -> int | None:
        """The id of the connector's latest logged call (what came before a check is not its evidence)."""
        page = self._call("GET", f"/workspaces/{workspace}/requests", params={"connector_id": connector_id, "limit": 1})
        return page["requests"][0]["id"] if page["requests"] else None

    def alerts(self, workspace: str, connector_id: str) -> list[dict]:
        """The abuse alerts the bank's rules raised about the connector, oldest first (raised on the request
        path, so there is nothing to wait for)."""
        found, cursor = [], None
        while True:
            page = self._call("GET", f"/workspaces/{workspace}/alerts",
                              params={"connector_id": connector_id, "limit": 100, **({"cursor": cursor} if cursor else {})})
            found.extend(page["alerts"])
            cursor = page["next_cursor"]
            if cursor is None:
                return found[::-1]

    def requests(self, workspace: str, connector_id: str, since: int | None = None) -> list[dict]:
        """The connector's calls (after request `since`), oldest first, once every worker has written its log."""
        time.sleep(self.settle_s)
        entries, before = [], None
        while True:
            page = self._call("GET", f"/workspaces/{workspace}/requests",
                              params={"connector_id": connector_id, "limit": 1000,
                                      **({"before": before} if before else {}), **({"since": since} if since else {})})
            entries.extend(page["requests"])
            before = page["next_before"]
            if before is None:
                return entries[::-1]
