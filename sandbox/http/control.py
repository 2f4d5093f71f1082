"""The control plane (/sandbox/v1): workspaces, resets, accounts, the clock, connectors and the request log.

Handlers are methods of `ControlPlane`, found by operationId; they call the same workspace and action
code as the CLI does, and turn refusals into problem documents. They are plain functions, which
Connexion runs in its thread pool (seeding a workspace takes a moment; the event loop goes on).
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime

from connexion import context as connexion_context
from starlette.responses import JSONResponse, Response

from .. import readiness
from ..actions import accounts, clock, documents, scenarios, statements, transfers
from ..bindings.granted import refused_by_customer
from ..domain.errors import SandboxError
from ..governance import Governance
from ..governance.webhooks import Webhooks
from ..registry import ConnectorRegistry
from ..scenarios import list_packs, load_pack, shipped_packs
from ..seeding import list_profiles
from ..store.server import ServerStore
from ..teams import Teams
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
    def __init__(self, workspaces: Workspaces, governance: Governance, server: ServerStore):
        self.workspaces = workspaces
        self.apis = []  # the bank APIs served, once mounted (the app factory sets them)
        self.governance = governance
        self.registry = ConnectorRegistry(workspaces, governance)
        self.webhooks = Webhooks(governance.store)
        self.teams = Teams(workspaces, self.registry)
        self.packs = shipped_packs()
        self.readiness = readiness.Archive(server)
        self.readiness.import_files(workspaces.registry.data_dir / "readiness" / "runs")  # an older release's files
        self.handlers = {
            "listScenarios": self.list_scenarios,
            "listWorkspaceTransfers": self.list_transfers,
            "listKeptResources": self.list_kept_resources,
            "refuseKeptConsent": self.refuse_kept_consent,
            "addScenario": self.add_scenario,
            "clearScenarios": self.clear_scenarios,
            "removeScenario": self.remove_scenario,
            "listScenarioPacks": self.list_packs,
            "resetAllWorkspaces": self.reset_all,
            "createTeam": self.create_team,
            "listPlans": self.list_plans,
            "listConnectors": self.list_connectors,
            "createConnector": self.create_connector,
            "getConnector": self.get_connector,
            "updateConnector": self.update_connector,
            "deleteConnector": self.delete_connector,
            "rotateConnectorSecret": self.rotate_secret,
            "suspendConnector": self.suspend_connector,
            "resumeConnector": self.resume_connector,
            "emergencyStopConnector": self.emergency_stop,
            "getConnectorCapacity": self.get_capacity,
            "getConnectorUsage": self.get_usage,
            "getConnectorAudit": self.get_audit,
            "listConnectorGrants": self.list_grants,
            "revokeConnectorGrant": self.revoke_grant,
            "listConnectorRequests": self.list_connector_requests,
            "listWebhookEndpoints": self.list_webhooks,
            "createWebhookEndpoint": self.create_webhook,
            "deleteWebhookEndpoint": self.delete_webhook,
            "listWebhookDeliveries": self.list_webhook_deliveries,
            "redeliverWebhook": self.redeliver_webhook,
            "listRequests": self.list_requests,
            "listAlerts": self.list_alerts,
            "getAlert": self.get_alert,
            "resolveAlert": self.resolve_alert,
            "listAlertWebhooks": self.list_alert_webhooks,
            "createAlertWebhook": self.create_alert_webhook,
            "deleteAlertWebhook": self.delete_alert_webhook,
            "getRequest": self.get_request,
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
            "listReadinessPlans": self.list_readiness_plans,
            "listReadinessRuns": self.list_readiness_runs,
            "fileReadinessRun": self.file_readiness_run,
            "getReadinessRun": self.get_readiness_run,
            "startReadinessSession": self.start_readiness_session,
            "getReadinessSession": self.get_readiness_session,
            "nextReadinessCheck": self.next_readiness_check,
            "finishReadinessSession": self.finish_readiness_session,
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
        self.governance.connectors.delete_workspace(ws)
        self.governance.abuse.forget(ws, endpoints=True)
        return Response(status_code=204)

    def reset_workspace(self, ws, connectors="keep", **_):
        return _json(self._reset(ws, connectors))

    def reset_all(self, connectors="keep", **_):
        started = time.perf_counter()
        done = [self._reset(item["name"], connectors) for item in self.workspaces.list()]
        return _json({"workspaces": done, "elapsed_ms": round((time.perf_counter() - started) * 1000, 2)})

    def _reset(self, ws, connectors: str) -> dict:
        """Back to the seeded state: data, scenarios and clock; connectors stay unless wiped."""
        result = self.workspaces.reset(ws)
        self.governance.abuse.forget(ws)
        if connectors == "wipe":
            result["connectors_deleted"] = self.governance.connectors.delete_workspace(ws)
        return result

    def list_transfers(self, ws, status=None, limit=100, cursor=None, **_):
        ctx = self.workspaces.context(ws)
        return _json(transfers.list_transfers(ctx, status=status, limit=limit, cursor=cursor))

    def list_kept_resources(self, ws, api=None, kind=None, limit=100, cursor=None, **_):
        return _json(documents.page(self.workspaces.context(ws), api=api, kind=kind, limit=limit, cursor=cursor))

    def refuse_kept_consent(self, ws, resource_id, **_):
        ctx = self.workspaces.context(ws)
        at = ctx.clock.now().isoformat(timespec="seconds")
        return _json({"resources": refused_by_customer(self.apis, ctx, resource_id, at)})

    # -- scenarios and teams ---------------------------------------------------------------------
    def list_scenarios(self, ws, **_):
        return _json({"scenarios": scenarios.list_rules(self.workspaces.context(ws))})

    def add_scenario(self, ws, body, **_):
        ctx = self.workspaces.context(ws)
        if isinstance(body, dict) and set(body) == {"pack"}:
            pack = load_pack(self.packs, body["pack"])
            added = scenarios.add_all(ctx, list(pack.rules), pack=pack.name)
        else:
            added = [scenarios.add(ctx, body)]
        return _json({"scenarios": added}, 201)

    def clear_scenarios(self, ws, **_):
        return _json({"cleared": scenarios.clear(self.workspaces.context(ws))})

    def remove_scenario(self, ws, scenario_id, **_):
        scenarios.remove(self.workspaces.context(ws), scenario_id)
        return Response(status_code=204)

    def list_packs(self, **_):
        return _json({"packs": [pack.to_dict() for pack in list_packs(self.packs)]})

    def create_team(self, body, **_):
        url = connexion_context.request.url
        base = f"{url.scheme}://{url.netloc}"
        team = self.teams.create(body["name"], body.get("profile", "default"), body.get("seed"), body.get("plan"),
                                 body.get("redirect_uris"), base_url=base)
        return _json(team, 201)

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
        ctx.held = self.registry.held(ws)
        return _json(clock.set_clock(ctx, body.get("mode"), body.get("to"), body.get("seconds")))

    def list_profiles(self, **_):
        profiles = list_profiles(self.workspaces.profile_dirs)
        return _json({"profiles": [{"name": p.name, "description": p.description} for p in profiles]})

    # -- readiness -------------------------------------------------------------------------------
    def list_readiness_plans(self, **_):
        names = sorted(path.stem for path in readiness.shipped_plans().glob("*.yaml"))
        return _json({"plans": [readiness.load_plan(name).describe() for name in names]})

    def list_readiness_runs(self, **_):
        return _json({"runs": self.readiness.list_runs()})

    def file_readiness_run(self, body, **_):
        return _json(self.readiness.add_run(body), 201)

    def get_readiness_run(self, run_id, **_):
        return _json(self.readiness.run(run_id))

    def _readiness_sessions(self) -> readiness.Sessions:
        """Sessions arrange and grade checks through this control plane, as a run does, with the caller's token."""
        request = connexion_context.request
        token = request.headers.get("authorization", "").partition(" ")[2]
        control = readiness.ControlPlane(f"{request.url.scheme}://{request.url.netloc}", token)
        return readiness.Sessions(control, self.readiness)

    def start_readiness_session(self, body=None, **_):
        body = body or {}
        sessions = self._readiness_sessions()
        with sessions.control:
            return _json(sessions.start(plan=body.get("plan", "standard"), bank=body.get("bank", "hub"),
                                        workspace=body.get("workspace", "readiness"), checks=body.get("checks")), 201)

    def get_readiness_session(self, session_id, **_):
        sessions = self._readiness_sessions()
        with sessions.control:
            return _json(sessions.get(session_id))

    def next_readiness_check(self, session_id, body, **_):
        sessions = self._readiness_sessions()
        with sessions.control:
            return _json(sessions.next(session_id, body["exit_code"]))

    def finish_readiness_session(self, session_id, body=None, **_):
        sessions = self._readiness_sessions()
        with sessions.control:
            return _json(sessions.finish(session_id, (body or {}).get("exit_code")))

    # -- connectors ------------------------------------------------------------------------------
    def list_plans(self, **_):
        plans = self.governance.plans
        return _json({"default": plans.default, "plans": [plans.get(n).to_dict() for n in plans.names],
                      "categories": {name: list(p) for name, p in plans.categories.items()}})

    def list_connectors(self, workspace=None, **_):
        if workspace is not None:
            self.workspaces.get(workspace)
        return _json({"connectors": [c.to_dict() for c in self.governance.connectors.list(workspace)]})

    def create_connector(self, body, **_):
        fields = {"name": body.get("name"), "connector_class": body.get("class"), "plan": body.get("plan"),
                  "redirect_uris": body.get("redirect_uris", []), "customer_id": body.get("customer_id"),
                  "registration_number": body.get("registration_number"), "token_ttl": body.get("token_ttl", 3600),
                  "security_profile": body.get("security_profile"), "jwks": body.get("jwks"),
                  "jwks_uri": body.get("jwks_uri")}
        return _json(self.registry.create(body["workspace"], **fields), 201)

    def get_connector(self, connector_id, **_):
        return _json(self._own(connector_id).to_dict())

    def update_connector(self, connector_id, body, **_):
        connector = self.governance.connectors.update(connector_id, plan=body.get("plan"),
                                                      redirect_uris=body.get("redirect_uris"),
                                                      token_ttl=body.get("token_ttl"))
        return _json(connector.to_dict())

    def delete_connector(self, connector_id, **_):
        self.governance.connectors.delete(connector_id)
        return Response(status_code=204)

    def rotate_secret(self, connector_id, **_):
        return _json(self.registry.rotate_secret(connector_id))

    def suspend_connector(self, connector_id, body=None, **_):
        connector = self.governance.connectors.suspend(connector_id, actor="bank staff", reason=(body or {}).get("reason"))
        return _json(connector.to_dict())

    def resume_connector(self, connector_id, body=None, **_):
        connector = self.governance.connectors.resume(connector_id, actor="bank staff", reason=(body or {}).get("reason"))
        return _json(connector.to_dict())

    def emergency_stop(self, connector_id, body=None, **_):
        connector = self._own(connector_id)
        actor = "connector (emergency stop)" if _caller_connector() else "bank staff"
        stopped = self.governance.connectors.suspend(connector.id, actor=actor, reason=(body or {}).get("reason"))
        return _json(stopped.to_dict())

    def get_capacity(self, connector_id, **_):
        return _json(self.registry.capacity(self._own(connector_id).id))

    def get_usage(self, connector_id, date_from=None, date_to=None, **_):
        return _json(self.registry.usage(self._own(connector_id).id, date_from, date_to))

    def get_audit(self, connector_id, **_):
        connector = self.governance.connectors.get(connector_id)
        return _json({"events": self.governance.connectors.audit(connector_id=connector.id)})

    def list_grants(self, connector_id, **_):
        connector = self._own(connector_id)
        return _json({"grants": [g.to_dict() for g in self.governance.tokens.grants(connector_id=connector.id)]})

    def revoke_grant(self, connector_id, grant_id, **_):
        connector = self._own(connector_id)
        grant = self.governance.tokens.grant(grant_id)
        if grant.connector_id != connector.id:
            raise SandboxError("consent_not_found", f"no grant {grant_id!r} for connector {connector.id}")
        return _json(self.governance.tokens.revoke_grant(grant.id).to_dict())

    # -- request log -----------------------------------------------------------------------------
    def list_connector_requests(self, connector_id, limit=100, before=None, since=None, **filters):
        connector = self._own(connector_id)
        chosen = {k: filters.get(k) for k in ("bank", "operation_id", "status", "error_code")}
        return _json(self.governance.log.query(connector_id=connector.id, limit=limit, before=before, since=since,
                                               **chosen))

    def list_requests(self, ws, limit=100, before=None, since=None, **filters):
        self.workspaces.get(ws)
        chosen = {k: filters.get(k) for k in ("connector_id", "bank", "operation_id", "status", "error_code",
                                              "scenario", "interaction_id")}
        return _json(self.governance.log.query(workspace=ws, limit=limit, before=before, since=since, **chosen))

    def get_request(self, ws, request_id, **_):
        entry = self.governance.log.get(request_id)
        if entry["workspace"] != ws:
            raise SandboxError("not_found", f"no request {request_id} in workspace {ws}")
        return _json(entry)

    # -- abuse alerts ------------------------------------------------------------------------------
    def list_alerts(self, ws, connector_id=None, rule=None, status=None, limit=100, cursor=None, **_):
        self.workspaces.get(ws)
        return _json(self.governance.abuse.alerts(ws, connector_id=connector_id, rule=rule, status=status, limit=limit,
                                                  cursor=cursor))

    def get_alert(self, ws, alert_id, **_):
        self.workspaces.get(ws)
        alert = self.governance.abuse.get(ws, alert_id)
        alert["evidence"]["request_ids"] = self.governance.log.ids_of(ws, alert["evidence"]["interaction_ids"])
        return _json(alert)

    def resolve_alert(self, ws, alert_id, body=None, **_):
        now = self.workspaces.context(ws).now()
        return _json(self.governance.abuse.resolve(ws, alert_id, (body or {}).get("note"), now))

    def list_alert_webhooks(self, ws, **_):
        self.workspaces.get(ws)
        return _json({"endpoints": self.governance.abuse.endpoints(ws)})

    def create_alert_webhook(self, ws, body, **_):
        self.workspaces.get(ws)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return _json(self.governance.abuse.add_endpoint(ws, body.get("url"), now), 201)

    def delete_alert_webhook(self, ws, endpoint_id, **_):
        self.governance.abuse.delete_endpoint(ws, endpoint_id)
        return Response(status_code=204)

    # -- webhooks (the connector's own, or bank staff) -----------------------------------------------
    def list_webhooks(self, connector_id, **_):
        connector = self._own(connector_id)
        return _json({"endpoints": [e.to_dict() for e in self.webhooks.endpoints(connector.id)]})

    def create_webhook(self, connector_id, body, **_):
        connector = self._own(connector_id)
        return _json(self.webhooks.register(connector.id, body.get("url"), body.get("events"), time.time(),
                                            body.get("signature_header")), 201)

    def delete_webhook(self, connector_id, endpoint_id, **_):
        self.webhooks.delete(self._own(connector_id).id, endpoint_id)
        return Response(status_code=204)

    def list_webhook_deliveries(self, connector_id, limit=50, before=None, **filters):
        connector = self._own(connector_id)
        return _json(self.webhooks.deliveries(connector.id, status=filters.get("status"), type_=filters.get("type"),
                                              limit=limit, before=before))

    def redeliver_webhook(self, connector_id, delivery_id, **_):
        return _json(self.webhooks.redeliver(self._own(connector_id).id, delivery_id, time.time()), 202)

    def _own(self, connector_id):
        """The connector, when the caller is bank staff or that very connector (others: not found)."""
        caller = _caller_connector()
        connector = self.governance.connectors.get(connector_id)
        if caller is not None and caller != connector.id:
            raise SandboxError("connector_not_found", f"no connector {connector_id!r}", connector_id=str(connector_id))
        return connector


def _caller_connector() -> str | None:
    """The connector calling with its own credentials, or None for bank staff (the admin token)."""
    info = connexion_context.context.get("token_info") or {}
    return info.get("connector")
