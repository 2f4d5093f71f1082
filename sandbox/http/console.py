"""The web console for bank staff and organisers (/console/): server-rendered pages over the control plane.

Every action is a call to the control plane's own API: the console is one more client of
`/sandbox/v1`, so there is no second implementation of anything and the control plane's checks
(validation, problem documents) hold here too. Labels come in Japanese and English (`?lang=ja|en`,
remembered in the session).

Signing in with the admin token opens a server-side session (sessions.py): the browser holds only a
random id, never the token. Every state-changing form carries a CSRF token (Flask-WTF), route
parameters are plain names (no `..` reaches the API), `next` only ever leads back into the console,
and every page forbids framing and foreign scripts.
"""

from __future__ import annotations

import hmac
import json
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import httpx
import yaml
from flask import Flask, abort, flash, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.routing import BaseConverter

from ..domain.calendar import JST, is_peak_day
from ..domain.errors import CANONICAL_ERRORS
from ..readiness import Report
from ..readiness import html as readiness_html
from ..readiness import tls
from ..scenarios import shipped_packs
from ..store.server import ServerStore
from .console_text import TEXT
from .lockout import Lockout
from .sessions import fingerprint, keep_sessions_on_server, renew

API = "/sandbox/v1"
PAGE = 50  # accounts per page
CHART_DAYS = 14  # the calls chart's window, ending on the sandbox's today
TRANSFER_STATUSES = ("scheduled", "pending_approval", "executed", "failed", "cancelled", "returned")

# What every console page says about itself: no framing, no foreign scripts, no referrer beyond its own origin
# (over https its forms' CSRF check wants the page's own origin as Referer: `no-referrer` refused every one).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#12344d"/>'
        '<text x="8" y="12.5" font-size="11" text-anchor="middle" fill="#fff">&#165;</text></svg>')


class NameConverter(BaseConverter):
    """Every route parameter is a plain name: letters, digits, '_' and '-' (so never '.', '..' or '/')."""

    regex = r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}"


def local(target: str | None) -> str | None:
    """`target` when it is a path inside the console, else None: `next` never leads off the site."""
    if not target or not target.startswith("/console/") or "\\" in target or any(
            ord(c) < 0x21 for c in target):
        return None
    if any(unquote(part) in (".", "..") for part in target.split("?")[0].split("/")):
        return None
    return target


@cache
def pack_translations() -> dict:
    """Each shipped pack's `ja:` block (description and rule names): the API speaks English only."""
    return {path.stem: (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("ja") or {}
            for path in sorted(shipped_packs().glob("*.yaml"))}


def daily_calls(usage: dict, capacity: dict) -> list[dict]:
    """The calls chart's bars: each day's calls and refusals beside that day's capacity (lower on peak days)."""
    today = date.fromisoformat(capacity["today"])
    calls, refused = Counter(), Counter()
    for line in usage.get("lines", []):
        calls[line["day"]] += line["calls"]
        refused[line["day"]] += line.get("refused", 0)
    days = [today - timedelta(days=back) for back in range(CHART_DAYS - 1, -1, -1)]
    return [{"day": day.isoformat(), "calls": calls[day.isoformat()], "refused": refused[day.isoformat()],
             "peak": is_peak_day(day),
             "limit": (capacity["peak"] if is_peak_day(day) else capacity["capacity"])["per_day"]} for day in days]


def guided_rule(form, lang: str) -> dict:
    """A scenario rule from the guided form's fields (match + effect + lifetime); the API checks the rest."""
    match = {name: form[name].strip() for name in ("bank", "action") if form.get(name, "").strip()}
    if form.get("min_amount", "").strip():
        match["amount"] = {"min": int(form["min_amount"])}
    effect = {"type": form.get("effect", "error")}
    if effect["type"] == "error":
        effect["code"] = form.get("code", "")
    if effect["type"] in ("error", "maintenance"):
        if form.get("message", "").strip():
            effect["message"] = form["message"].strip()
        if form.get("retry_after", "").strip():
            effect["retry_after"] = int(form["retry_after"])
    if effect["type"] == "latency":
        effect["ms"] = int(form.get("ms") or 0)
    rule = {"name": form.get("name", "").strip() or TEXT[lang]["effects"].get(effect["type"], effect["type"]),
            "effect": effect}
    if match:
        rule["match"] = match
    if form.get("times", "").strip():
        rule["lifetime"] = {"times": int(form["times"])}
    return rule


def create_console_app(secret: str, admin_token: str, sessions: ServerStore, lockout: Lockout) -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates" / "console"),
                static_folder=None)
    app.config.update(SECRET_KEY=secret, SESSION_COOKIE_NAME="sandbox_console", WTF_CSRF_TIME_LIMIT=None)
    app.url_map.converters["default"] = NameConverter
    keep_sessions_on_server(app, sessions)
    CSRFProtect(app)
    signed_in_as = fingerprint(admin_token)

    def api() -> httpx.Client:
        base = request.host_url.rstrip("/")
        return httpx.Client(base_url=f"{base}{API}", headers={"Authorization": f"Bearer {admin_token}"},
                            timeout=60, verify=tls.context())

    def call(method: str, path: str, **kwargs):
        """A control-plane call; a refusal is shown to the user as its problem's detail."""
        if any(unquote(part) in (".", "..") for part in path.split("/")):
            abort(404)  # a name from a form that tries to climb out of its resource
        with api() as client:
            answer = client.request(method, path, **kwargs)
        if answer.status_code >= 400:
            try:
                detail = answer.json().get("detail") or answer.json().get("title")
            except ValueError:
                detail = answer.text[:200]
            flash(f"{answer.status_code}: {detail}", "error")
            return None
        return answer.json() if answer.content else {}

    def say(key: str, **values) -> str:
        """A message in the session's language."""
        return TEXT[session.get("lang", "ja")][key].format(**values)

    def connector_names(ws: str) -> dict:
        """Connector id -> name in a workspace: pages show connectors by name."""
        listed = (call("GET", "/connectors", params={"workspace": ws}) or {"connectors": []})["connectors"]
        return {c["id"]: c["name"] for c in listed}

    @app.before_request
    def choose_language():
        if request.args.get("lang") in TEXT:
            session["lang"] = request.args["lang"]
        if request.endpoint not in ("sign_in", "icon", None) and session.get("admin") != signed_in_as:
            session.pop("admin", None)  # signed out, expired, or opened with an admin token since changed
            return redirect(url_for("sign_in"))
        return None

    @app.after_request
    def security_headers(response):
        response.headers.update(SECURITY_HEADERS)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        return render_template("sign_in.html", refusal=error.description), 400

    @app.context_processor
    def labels():
        lang = session.get("lang", "ja")
        return {"t": TEXT[lang], "lang": lang, "other_lang": "en" if lang == "ja" else "ja"}

    @app.route("/console/sign-in", methods=["GET", "POST"])
    def sign_in():
        if request.method == "POST":
            wait = lockout.wait("admin", request.remote_addr)
            if wait is not None:
                return render_template("sign_in.html", refusal=TEXT[session.get("lang", "ja")]["too_many"]), 429, {
                    "Retry-After": str(wait)}
            token = request.form.get("token", "").strip()
            if hmac.compare_digest(token.encode(), admin_token.encode()):
                language = session.get("lang")
                renew(app, session)  # a fresh id: a session id planted before sign-in is worth nothing
                session.clear()  # and a fresh CSRF token
                session.update({"admin": signed_in_as, **({"lang": language} if language else {})})
                return redirect(url_for("workspaces"))
            lockout.failed("admin", request.remote_addr)
            flash(TEXT[session.get("lang", "ja")]["bad_token"], "error")
        return render_template("sign_in.html")

    @app.get("/console/icon.svg")
    def icon():
        """The tab's icon (else every page makes the browser ask for a /favicon.ico that is not there)."""
        return ICON, {"Content-Type": "image/svg+xml"}

    @app.post("/console/sign-out")
    def sign_out():
        session.clear()  # deletes the server-side session: a saved cookie opens nothing afterwards
        return redirect(url_for("sign_in"))

    # -- workspaces and teams --------------------------------------------------------------------
    @app.get("/console/")
    def workspaces():
        listed = call("GET", "/workspaces") or {"workspaces": []}
        profiles = call("GET", "/profiles") or {"profiles": []}
        # The list carries no counts: each workspace's own page does (a count query per workspace file).
        shown = [{**w, **(call("GET", f"/workspaces/{w['name']}") or {})} for w in listed["workspaces"]]
        return render_template("workspaces.html", workspaces=shown, profiles=profiles["profiles"])

    @app.post("/console/workspaces")
    def create_workspace():
        body = {"name": request.form["name"], "profile": request.form.get("profile") or "default"}
        if request.form.get("seed"):
            body["seed"] = int(request.form["seed"]) if request.form["seed"].isdigit() else request.form["seed"]
        if call("POST", "/workspaces", json=body) is not None:
            flash(say("created_done", name=body["name"]), "ok")
        return redirect(url_for("workspaces"))

    @app.post("/console/workspaces/<ws>/reset")
    def reset_workspace(ws):
        result = call("POST", f"/workspaces/{ws}/reset")
        if result is not None:
            flash(say("reset_done", ws=ws, ms=result["elapsed_ms"]), "ok")
        return redirect(local(request.form.get("next")) or url_for("workspaces"))

    @app.post("/console/workspaces/<ws>/delete")
    def delete_workspace(ws):
        if request.form.get("confirm") != "yes":
            flash(TEXT[session.get("lang", "ja")]["confirm_needed"], "error")
        elif call("DELETE", f"/workspaces/{ws}") is not None:
            flash(say("deleted_done", name=ws), "ok")
        return redirect(url_for("workspaces"))

    @app.post("/console/reset-all")
    def reset_all():
        if request.form.get("confirm") != "yes":
            flash(TEXT[session.get("lang", "ja")]["confirm_needed"], "error")
            return redirect(url_for("workspaces"))
        result = call("POST", "/reset")
        if result is not None:
            flash(say("reset_all_done", count=len(result["workspaces"]), ms=result["elapsed_ms"]), "ok")
        return redirect(url_for("workspaces"))

    @app.post("/console/teams")
    def create_team():
        body = {"name": request.form["name"]}
        if request.form.get("seed", "").isdigit():
            body["seed"] = int(request.form["seed"])
        team = call("POST", "/teams", json=body)
        if team is None:
            return redirect(url_for("workspaces"))
        return render_template("team.html", team=team)

    # -- one workspace: accounts, clock, scenarios, connectors, log ------------------------------
    @app.get("/console/workspaces/<ws>")
    def workspace(ws):
        number = request.args.get("number", "").strip()
        query = {"limit": 500 if number else PAGE}  # a number is matched here, over a larger page
        for name in ("kana", "bank_code", "cursor"):
            if request.args.get(name):
                query[name] = request.args[name]
        found = call("GET", f"/workspaces/{ws}/accounts", params=query) or {"accounts": [], "next_cursor": None}
        accounts = [a for a in found["accounts"] if not number or a["account_number"].startswith(number)]
        start = request.args.get("start", "1")
        start = int(start) if start.isdigit() and int(start) > 0 else 1
        filtered = any(request.args.get(name) for name in ("kana", "bank_code", "number"))
        info = call("GET", f"/workspaces/{ws}") or {}
        restart = {k: v for k, v in request.args.items() if k in ("kana", "bank_code", "number") and v}
        if found.get("next_cursor"):
            later = {**restart, "cursor": found["next_cursor"], "start": start + len(found["accounts"])}
        else:
            later = None
        counts = []
        for status in TRANSFER_STATUSES:
            page = call("GET", f"/workspaces/{ws}/transfers", params={"status": status, "limit": 500}) or {}
            counts.append({"key": status, "value": len(page.get("transfers", [])), "more": bool(page.get("next_cursor"))})
        return render_template("workspace.html", ws=ws, info=info, accounts=accounts, query=request.args,
                               first=start, total=None if filtered else info.get("accounts"), later=later, restart=restart,
                               transfer_counts=counts)

    @app.get("/console/workspaces/<ws>/accounts/<account_id>")
    def account(ws, account_id):
        shown = call("GET", f"/workspaces/{ws}/accounts/{account_id}")
        statement = call("GET", f"/workspaces/{ws}/accounts/{account_id}/statement", params={"limit": 50})
        rules = (call("GET", f"/workspaces/{ws}/scenarios") or {"scenarios": []})["scenarios"]
        freeze = next((r for r in rules if r["rule"]["effect"].get("account") == account_id
                       and r["rule"]["effect"].get("change") == "freeze"), None)
        return render_template("account.html", ws=ws, account=shown or {}, statement=statement or {"lines": []},
                               freeze=freeze)

    @app.post("/console/workspaces/<ws>/accounts/<account_id>/freeze")
    def freeze(ws, account_id):
        call("POST", f"/workspaces/{ws}/scenarios", json={
            "name": f"frozen by bank staff: {account_id}",
            "effect": {"type": "account", "account": account_id, "change": "freeze"}})
        return redirect(url_for("account", ws=ws, account_id=account_id))

    @app.post("/console/workspaces/<ws>/accounts/<account_id>/unfreeze")
    def unfreeze(ws, account_id):
        call("DELETE", f"/workspaces/{ws}/scenarios/{request.form['rule']}")
        return redirect(url_for("account", ws=ws, account_id=account_id))

    @app.get("/console/workspaces/<ws>/scenarios")
    def scenarios(ws):
        packs = (call("GET", "/scenario-packs") or {"packs": []})["packs"]
        rules = (call("GET", f"/workspaces/{ws}/scenarios") or {"scenarios": []})["scenarios"]
        active_packs = {r["pack"] for r in rules if r["pack"]}
        banks = (call("GET", f"/workspaces/{ws}") or {}).get("banks", [])
        return render_template("scenarios.html", ws=ws, packs=packs, rules=rules, active_packs=active_packs,
                               banks=banks, codes=sorted(CANONICAL_ERRORS),
                               translations=pack_translations() if session.get("lang", "ja") == "ja" else {})

    @app.post("/console/workspaces/<ws>/scenarios/packs/<pack>")
    def toggle_pack(ws, pack):
        rules = (call("GET", f"/workspaces/{ws}/scenarios") or {"scenarios": []})["scenarios"]
        mine = [r for r in rules if r["pack"] == pack]
        if mine:
            for rule in mine:
                call("DELETE", f"/workspaces/{ws}/scenarios/{rule['id']}")
        else:
            call("POST", f"/workspaces/{ws}/scenarios", json={"pack": pack})
        return redirect(url_for("scenarios", ws=ws))

    @app.post("/console/workspaces/<ws>/scenarios/rules")
    def add_rule(ws):
        """The guided form's rule, or the advanced JSON when that box is filled in."""
        advanced = request.form.get("rule", "").strip()
        try:
            rule = json.loads(advanced) if advanced else guided_rule(request.form, session.get("lang", "ja"))
        except ValueError as error:
            flash(say("bad_json" if advanced else "bad_number", error=error), "error")
            return redirect(url_for("scenarios", ws=ws))
        call("POST", f"/workspaces/{ws}/scenarios", json=rule)
        return redirect(url_for("scenarios", ws=ws))

    @app.post("/console/workspaces/<ws>/scenarios/rules/<rule_id>/delete")
    def remove_rule(ws, rule_id):
        call("DELETE", f"/workspaces/{ws}/scenarios/{rule_id}")
        return redirect(url_for("scenarios", ws=ws))

    @app.post("/console/workspaces/<ws>/scenarios/clear")
    def clear_scenarios(ws):
        call("DELETE", f"/workspaces/{ws}/scenarios")
        return redirect(url_for("scenarios", ws=ws))

    @app.get("/console/workspaces/<ws>/clock")
    def clock(ws):
        now = call("GET", f"/workspaces/{ws}/clock") or {}
        target = request.args.get("preview")
        due = []
        if target:
            scheduled = call("GET", f"/workspaces/{ws}/transfers", params={"status": "scheduled", "limit": 500}) or {}
            day = target[:10]
            due = [t for t in scheduled.get("transfers", []) if t["execution_date"] <= day]
        return render_template("clock.html", ws=ws, clock=now, preview=target, due=due)

    @app.post("/console/workspaces/<ws>/clock")
    def move_clock(ws):
        mode = request.form["mode"]
        body = {"mode": mode}
        if mode == "set":
            body["to"] = request.form["to"]
        elif mode == "advance":
            try:
                body["seconds"] = max(1, int(float(request.form.get("hours") or 0) * 3600))
            except (ValueError, OverflowError):
                flash(say("bad_hours", value=request.form.get("hours")), "error")
                return redirect(url_for("clock", ws=ws))
        result = call("POST", f"/workspaces/{ws}/clock", json=body)
        if result is not None and mode in ("set", "advance"):
            flash(say("clock_moved", **{k: len(result.get(k, [])) for k in ("executed", "failed", "returned", "held")}),
                  "ok")
        return redirect(url_for("clock", ws=ws))

    @app.get("/console/workspaces/<ws>/approvals")
    def approvals(ws):
        waiting = call("GET", f"/workspaces/{ws}/transfers", params={"status": "pending_approval", "limit": 100})
        return render_template("approvals.html", ws=ws, transfers=(waiting or {"transfers": []})["transfers"],
                               names=connector_names(ws))

    @app.get("/console/workspaces/<ws>/alerts")
    def alerts(ws):
        filters = {k: v for k, v in request.args.items() if v and k in ("status", "rule", "connector_id", "cursor")}
        listed = call("GET", f"/workspaces/{ws}/alerts", params={"limit": 50, **filters}) or {"alerts": []}
        return render_template("alerts.html", ws=ws, alerts=listed["alerts"], next_cursor=listed.get("next_cursor"),
                               filters=filters, names=connector_names(ws))

    @app.get("/console/workspaces/<ws>/alerts/<alert_id>")
    def alert(ws, alert_id):
        shown = call("GET", f"/workspaces/{ws}/alerts/{alert_id}")
        if shown is None:
            return redirect(url_for("alerts", ws=ws))
        connector = call("GET", f"/connectors/{shown['connector_id']}") if shown["connector_id"] else None
        return render_template("alert.html", ws=ws, alert=shown, connector=connector)

    @app.post("/console/workspaces/<ws>/alerts/<alert_id>/resolve")
    def resolve_alert(ws, alert_id):
        note = request.form.get("note", "").strip()
        call("POST", f"/workspaces/{ws}/alerts/{alert_id}/resolve", json={"note": note} if note else {})
        return redirect(url_for("alert", ws=ws, alert_id=alert_id))

    @app.post("/console/workspaces/<ws>/alerts/<alert_id>/lift")
    def lift_suspension(ws, alert_id):
        """Resume the connector an alert's rule suspended, naming the alert in the audit trail."""
        shown = call("GET", f"/workspaces/{ws}/alerts/{alert_id}")
        if shown is not None and shown["connector_id"]:
            call("POST", f"/connectors/{shown['connector_id']}/resume", json={"reason": f"lifted after {alert_id}"})
        return redirect(url_for("alert", ws=ws, alert_id=alert_id))

    @app.get("/console/workspaces/<ws>/connectors")
    def connectors(ws):
        listed = (call("GET", "/connectors", params={"workspace": ws}) or {"connectors": []})["connectors"]
        rows = []
        for connector in listed:
            capacity = call("GET", f"/connectors/{connector['id']}/capacity") or {}
            audit = (call("GET", f"/connectors/{connector['id']}/audit") or {"events": []})["events"]
            deliveries = (call("GET", f"/connectors/{connector['id']}/webhook-deliveries", params={"limit": 10})
                          or {"deliveries": []})["deliveries"]
            usage = call("GET", f"/connectors/{connector['id']}/usage") or {}  # its calls per day
            grants = (call("GET", f"/connectors/{connector['id']}/grants") or {"grants": []})["grants"]
            rows.append({"connector": connector, "capacity": capacity, "audit": audit[:5], "deliveries": deliveries,
                         "usage": usage, "grants": [g for g in grants if g["status"] == "active"],
                         "days": daily_calls(usage, capacity) if capacity else []})
        plans = (call("GET", "/plans") or {"plans": []})["plans"]
        return render_template("connectors.html", ws=ws, rows=rows, plans=plans)

    @app.post("/console/workspaces/<ws>/connectors")
    def create_connector(ws):
        form = request.form
        body = {"workspace": ws, "name": form.get("name", ""), "class": form.get("class", "self-use")}
        if form.get("plan"):
            body["plan"] = form["plan"]
        if body["class"] == "self-use":
            body["customer_id"] = form.get("customer_id", "")
        else:
            body["registration_number"] = form.get("registration_number", "")
            body["redirect_uris"] = [u for u in form.get("redirect_uris", "").split() if u]
        created = call("POST", "/connectors", json=body)
        if created is not None:
            flash(say("secret_once", client_id=created["client_id"], secret=created["client_secret"]), "ok")
        return redirect(url_for("connectors", ws=ws))

    @app.post("/console/connectors/<connector_id>/plan")
    def change_plan(connector_id):
        call("PATCH", f"/connectors/{connector_id}", json={"plan": request.form["plan"]})
        return redirect(url_for("connectors", ws=request.form["ws"]))

    @app.post("/console/connectors/<connector_id>/secret")
    def rotate_secret(connector_id):
        rotated = call("POST", f"/connectors/{connector_id}/secret")
        if rotated is not None:
            flash(say("secret_once", client_id=rotated["client_id"], secret=rotated["client_secret"]), "ok")
        return redirect(url_for("connectors", ws=request.form["ws"]))

    @app.post("/console/connectors/<connector_id>/grants/<grant_id>/revoke")
    def revoke_grant(connector_id, grant_id):
        call("DELETE", f"/connectors/{connector_id}/grants/{grant_id}")
        return redirect(url_for("connectors", ws=request.form["ws"]))

    @app.post("/console/connectors/<connector_id>/<action>")
    def switch_connector(connector_id, action):
        if action not in ("suspend", "resume"):
            abort(404)
        if request.form.get("confirm") != "yes":
            flash(TEXT[session.get("lang", "ja")]["confirm_needed"], "error")
        else:
            reason = request.form.get("reason", "").strip()
            call("POST", f"/connectors/{connector_id}/{action}", json={"reason": reason} if reason else {})
        return redirect(url_for("connectors", ws=request.form["ws"]))

    @app.post("/console/connectors/<connector_id>/deliveries/<int:delivery_id>/redeliver")
    def redeliver(connector_id, delivery_id):
        if call("POST", f"/connectors/{connector_id}/webhook-deliveries/{delivery_id}/redeliver") is not None:
            flash(f"{TEXT[session.get('lang', 'ja')]['redelivered']}: #{delivery_id}", "ok")
        return redirect(url_for("connectors", ws=request.form["ws"]))

    @app.get("/console/workspaces/<ws>/requests")
    def requests_log(ws):
        filters = {k: v for k, v in request.args.items() if v and k in (
            "connector_id", "bank", "status", "error_code", "scenario", "operation_id")}
        log = call("GET", f"/workspaces/{ws}/requests", params={"limit": 100, **filters}) or {"requests": []}
        refusals = Counter(e["error_code"] or str(e["status"]) for e in log["requests"] if e["status"] >= 400)
        return render_template("requests.html", ws=ws, log=log["requests"], filters=filters, names=connector_names(ws),
                               refusals=[{"key": code, "value": n} for code, n in refusals.most_common()])

    @app.get("/console/workspaces/<ws>/requests/<int:request_id>")
    def request_detail(ws, request_id):
        entry = call("GET", f"/workspaces/{ws}/requests/{request_id}") or {}
        return render_template("request.html", ws=ws, entry=entry, pretty=json.dumps(entry, ensure_ascii=False, indent=2))

    @app.get("/console/readiness")
    def readiness_runs():
        runs = (call("GET", "/readiness/runs") or {"runs": []})["runs"]
        return render_template("readiness.html", runs=runs)

    @app.get("/console/readiness/<run_id>")
    def readiness_report(run_id):
        """The report exactly as report.html shows it: one self-contained page, in Japanese and English."""
        run = call("GET", f"/readiness/runs/{run_id}")
        if run is None:
            return redirect(url_for("readiness_runs"))
        return readiness_html.render(Report.from_dict(run))

    @app.template_filter("yen")
    def yen(value):
        return f"{value:,}" if isinstance(value, int) else value

    @app.template_filter("jst")
    def jst(moment: str | None) -> str:
        """A stored time as Japan's clock shows it, offset included (the log and audit keep UTC)."""
        if not moment:
            return ""
        when = datetime.fromisoformat(moment)
        when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
        return when.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S+09:00")

    @app.template_filter("soon")
    def soon(moment: str, hours: int = 1) -> str:
        return (datetime.fromisoformat(moment) + timedelta(hours=hours)).isoformat(timespec="minutes")

    return app
