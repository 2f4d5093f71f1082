"""The control plane (/sandbox/v1): workspaces, resets and a read-only view of accounts for bank staff.

Handlers are methods of `ControlPlane`, found by operationId; they call the same workspace and action
code as the CLI does, and turn refusals into problem documents. They are plain functions, which
Connexion runs in its thread pool (seeding a workspace takes a moment; the event loop goes on).
"""

from __future__ import annotations

import functools

from starlette.responses import JSONResponse, Response

from ..actions import accounts, clock, statements
from ..domain.errors import SandboxError
from ..seeding import list_profiles
from ..workspaces import Workspaces
from .problems import problem


def _refusals_as_problems(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except SandboxError as error:
            return problem(error)

    return wrapper


def _json(data, status: int = 200) -> Response:
    return JSONResponse(data, status_code=status)


class ControlPlane:
    def __init__(self, workspaces: Workspaces):
        self.workspaces = workspaces
        self.handlers = {
            "listWorkspaces": self.list_workspaces,
            "createWorkspace": self.create_workspace,
            "getWorkspace": self.get_workspace,
            "deleteWorkspace": self.delete_workspace,
            "resetWorkspace": self.reset_workspace,
            "listAccounts": self.list_accounts,
            "getAccount": self.get_account,
            "getStatement": self.get_statement,
            "listProfiles": self.list_profiles,
            "getClock": self.get_clock,
            "setClock": self.set_clock,
        }

    def resolve(self, operation_id: str):
        return _refusals_as_problems(self.handlers[operation_id])

    def list_workspaces(self, **_):
        return _json({"workspaces": self.workspaces.list()})

    def create_workspace(self, body, **_):
        created = self.workspaces.create(body["name"], body.get("profile", "default"), body.get("seed"), body.get("as_of"))
        return _json(created, 201)

    def get_workspace(self, ws, **_):
        return _json(self.workspaces.get(ws))

    def delete_workspace(self, ws, **_):
        self.workspaces.delete(ws)
        return Response(status_code=204)

    def reset_workspace(self, ws, **_):
        return _json(self.workspaces.reset(ws))

    def list_accounts(self, ws, bank_code=None, kana=None, limit=100, cursor=None, **_):
        ctx = self.workspaces.context(ws)
        return _json(accounts.list_accounts(ctx, bank_code=bank_code, kana=kana, limit=limit, cursor=cursor))

    def get_account(self, ws, account_id, **_):
        return _json(accounts.get_account(self.workspaces.context(ws), account_id))

    def get_statement(self, ws, account_id, date_from=None, date_to=None, limit=100, cursor=None, **_):
        ctx = self.workspaces.context(ws)
        return _json(statements.statement(ctx, account_id, date_from, date_to, limit, cursor))

    def get_clock(self, ws, **_):
        return _json(clock.get_clock(self.workspaces.context(ws)))

    def set_clock(self, ws, body, **_):
        ctx = self.workspaces.context(ws)
        return _json(clock.set_clock(ctx, body.get("mode"), body.get("to"), body.get("seconds")))

    def list_profiles(self, **_):
        profiles = list_profiles(self.workspaces.profile_dirs)
        return _json({"profiles": [{"name": p.name, "description": p.description} for p in profiles]})
