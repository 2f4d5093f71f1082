"""Onboarding a hackathon team in one step: a workspace, two connectors, test users and a sheet.

What the control plane's `POST /teams` and `bank-sandbox teams create --count N` both call.
"""

from __future__ import annotations

from .actions import accounts
from .domain.errors import SandboxError
from .governance import test_users
from .registry import ConnectorRegistry
from .workspaces import Workspaces

REGISTRATION = "関東財務局長（電代）第{n}号"
DEFAULT_REDIRECT = "http://127.0.0.1:8080/callback"


class Teams:
    def __init__(self, workspaces: Workspaces, registry: ConnectorRegistry):
        self.workspaces = workspaces
        self.registry = registry

    def create(self, name: str, profile: str = "default", seed: int | None = None, plan: str | None = None,
               redirect_uris=None, base_url: str = "") -> dict:
        """Everything a team needs; the connectors' secrets are in this answer only."""
        if self.workspaces.registry.exists(name):
            raise SandboxError("workspace_exists", f"a workspace named {name!r} already exists", workspace=name)
        workspace = self.workspaces.create(name, profile, seed)
        try:
            ctx = self.workspaces.context(name)
            listed = accounts.list_accounts(ctx, limit=500)["accounts"]
            company = _first(listed, "corporate")
            person = _first(listed, "individual")
            self_use = self.registry.create(name, name=f"{name} books (self-use)", connector_class="self-use", plan=plan,
                                            customer_id=company["customer_id"])
            third = self.registry.create(
                name, name=f"{name} app (third-party)", connector_class="third-party", plan=plan,
                registration_number=REGISTRATION.format(n=_number(seed if seed is not None else workspace["seed"])),
                redirect_uris=list(redirect_uris or [DEFAULT_REDIRECT]))
        except Exception:
            self.workspaces.delete(name)  # nothing half-made stays behind
            raise
        users = [_user(ctx, customer["customer_id"], listed) for customer in (person, company)]
        urls = {"api_index": f"{base_url}/", "authorization_server": f"{base_url}/.well-known/oauth-authorization-server",
                "token_endpoint": f"{base_url}/oauth/token", "authorization_endpoint": f"{base_url}/oauth/authorize",
                "hub": f"{base_url}/hub/v1/ui/", "control_plane": f"{base_url}/sandbox/v1/ui/"}
        team = {"team": name, "workspace": self.workspaces.get(name),
                "connectors": {"self_use": self_use, "third_party": third}, "test_users": users, "urls": urls}
        team["sheet"] = sheet(team)
        return team


def _first(listed: list, kind: str) -> dict:
    """The first account of a `kind` customer: each team gets one of each as its test users."""
    found = next((a for a in listed if a["customer_kind"] == kind), None)
    if found is None:
        raise SandboxError("invalid_request", f"the profile seeds no {kind} customer, and a team needs one",
                           field="profile")
    return found


def _number(seed: int) -> int:
    return seed % 9999 + 1


def _user(ctx, customer_id: str, listed: list) -> dict:
    customer = accounts.customer(ctx, customer_id)
    owned = [{"id": a["id"], "bank_code": a["bank_code"], "branch_code": a["branch_code"],
              "account_type": a["account_type"], "account_number": a["account_number"], "balance": a["balance"]}
             for a in listed if a["customer_id"] == customer_id]
    return {"customer_id": customer["id"], "kind": customer["kind"], "name": customer["name"],
            "name_kana": customer["name_kana"], "bank_code": customer["bank_code"], "password": test_users.PASSWORD,
            "accounts": owned}


def sheet(team: dict) -> str:
    """The team's onboarding sheet, in Markdown (print it, or paste it into the team's chat)."""
    self_use, third = team["connectors"]["self_use"], team["connectors"]["third_party"]
    lines = [
        f"# Team {team['team']} — bank sandbox", "",
        f"Workspace `{team['team']}` (profile {team['workspace']['profile']}, seed {team['workspace']['seed']}).", "",
        "## Your connectors", "",
        "| | client_id | client_secret | grant |", "| --- | --- | --- | --- |",
        f"| self-use ({self_use['customer_id']}) | `{self_use['client_id']}` | `{self_use['client_secret']}` | client_credentials |",
        f"| third-party | `{third['client_id']}` | `{third['client_secret']}` | authorization_code + PKCE (S256) |",
        "", f"Redirect URIs of the third-party connector: {', '.join(third['redirect_uris'])}", "",
        "## Test users (sign in on the bank's page)", "",
        "| customer id | kind | name | password | accounts |", "| --- | --- | --- | --- | --- |",
    ]
    for user in team["test_users"]:
        owned = ", ".join(f"{a['bank_code']}-{a['branch_code']}-{a['account_number']} ({a['id']})" for a in user["accounts"])
        lines.append(f"| `{user['customer_id']}` | {user['kind']} | {user['name']} | `{user['password']}` | {owned} |")
    lines += ["", f"One-time code on the approval page: `{test_users.ONE_TIME_CODE}`.", "", "## Where things are", ""]
    lines += [f"- {name.replace('_', ' ')}: {url}" for name, url in team["urls"].items()]
    lines += ["", "Keep the client secrets safe: they are shown once."]
    return "\n".join(lines) + "\n"
