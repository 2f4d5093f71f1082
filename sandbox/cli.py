"""The `bank-sandbox` command: serve the sandbox, manage workspaces, seed, and list the banks."""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

import click
import yaml
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .bindings import BindingError, discover
from .domain.errors import SandboxError
from .resources import data_dir as shipped
from .seeding import list_profiles, load_profile
from .settings import Settings, SettingsError, admin_token

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
# Connexion imports Starlette's test client, which warns about its httpx backend; not ours to fix.
warnings.filterwarnings("ignore", message=".*starlette.testclient.*")


def _settings(data_dir_option=None, **overrides) -> Settings:
    try:
        return Settings.from_env(data_dir=Path(data_dir_option) if data_dir_option else None, **overrides)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def _workspaces(settings: Settings):
    from .http.app import clock_from
    from .workspaces import Workspaces

    return Workspaces(settings.data_dir, clock_from(settings))


def _fail(error: SandboxError):
    err.print(f"[red]error[/red] {error.code}: {error.message}")
    sys.exit(1)


data_dir_option = click.option("--data-dir", type=click.Path(file_okay=False), default=None,
                               help="Where workspaces live (default ./.sandbox, or SANDBOX_DATA_DIR).")


def _moment(ctx, param, value):
    """Refuse a --clock that is not an ISO 8601 moment before anything starts."""
    if value is not None:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not an ISO 8601 date-time, e.g. 2026-11-05T10:00:00+09:00") from None
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bank-sandbox")
def main():
    """A stateful sandbox of Japanese banks for payment-API connectors."""


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8000).")
@data_dir_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Server worker processes (default 1).")
@click.option("--specs", "specs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="An extra folder of bank specs (each subfolder one bank); repeatable.")
@click.option("--clock", default=None, callback=_moment,
              help="Freeze the sandbox time at this ISO 8601 moment (for CI).")
def serve(host, port, data_dir, workers, specs, clock):
    """Serve the banks, the hub and the control plane; seed workspace `default` on first start."""
    import uvicorn

    settings = _settings(data_dir, host=host, port=port, workers=workers,
                         specs=tuple(Path(s) for s in specs) or None, clock=clock)
    try:
        apis = discover((*settings.specs, shipped("specs")))
    except BindingError as error:
        err.print(f"[red]cannot start[/red]: {escape(str(error))}")
        sys.exit(2)
    try:
        token, created_token = admin_token(settings)
    except SettingsError as error:
        err.print(f"[red]cannot start[/red]: {escape(str(error))}")
        sys.exit(2)
    workspaces = _workspaces(settings)
    if not workspaces.registry.exists(settings.default_workspace):
        console.print(f"Seeding workspace [bold]{settings.default_workspace}[/bold] from profile {settings.default_profile} ...")
    try:
        if workspaces.ensure(settings.default_workspace, settings.default_profile):
            console.print(f"  done: {workspaces.get(settings.default_workspace)['accounts']} accounts")
    except SandboxError as error:  # e.g. SANDBOX_DEFAULT_WORKSPACE or SANDBOX_DEFAULT_PROFILE unusable
        err.print(f"[red]cannot start[/red]: {error.code}: {error.message}")
        sys.exit(2)
    base = settings.base_url
    console.print(f"[bold]bank-sandbox[/bold] on {base}  (data in {Path(settings.data_dir).resolve()})")
    console.print(f"  health         {base}/healthz")
    console.print(f"  control plane  {base}/sandbox/v1/  (Swagger UI {base}/sandbox/v1/ui/)")
    for api in apis:
        console.print(f"  {api.slug:<14} {base}{api.mount}/  (Swagger UI {base}{api.mount}/ui/)")
    where = Path(settings.data_dir) / "admin-token"
    source = "from SANDBOX_ADMIN_TOKEN" if settings.admin_token else f"{'generated, ' if created_token else ''}stored in {where}"
    console.print(f"  admin token    {token}  ({source})")
    _export(settings)
    if settings.workers == 1:
        from .http.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
    else:
        uvicorn.run("sandbox.http.app:app_from_env", factory=True, host=settings.host, port=settings.port,
                    workers=settings.workers, log_level="warning")


def _export(settings: Settings) -> None:
    """Hand the settings to worker processes through the environment."""
    os.environ["SANDBOX_DATA_DIR"] = str(Path(settings.data_dir).resolve())
    os.environ["SANDBOX_HOST"] = settings.host
    os.environ["SANDBOX_PORT"] = str(settings.port)
    if settings.specs:
        os.environ["SANDBOX_SPECS"] = os.pathsep.join(str(Path(p).resolve()) for p in settings.specs)
    if settings.clock:
        os.environ["SANDBOX_CLOCK"] = settings.clock


@main.group()
def workspace():
    """Create, list, show, reset and delete workspaces."""


@workspace.command("create")
@click.argument("name")
@click.option("--profile", default="default", show_default=True, help="Seeding profile (name or YAML path).")
@click.option("--seed", type=int, default=None, help="Random seed (default 42); same seed, same data.")
@click.option("--as-of", default=None, help="Last day of seeded history, YYYY-MM-DD, 1970-01-01 to 2099-12-31 (default today).")
@data_dir_option
def workspace_create(name, profile, seed, as_of, data_dir):
    """Create workspace NAME and seed it from a profile."""
    _seed(_workspaces(_settings(data_dir)), name, profile, seed, as_of)


@workspace.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_dir_option
def workspace_list(as_json, data_dir):
    """List workspaces."""
    items = _workspaces(_settings(data_dir)).list()
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    table = Table("name", "profile", "seed", "as of", "created", "resets")
    for item in items:
        table.add_row(item["name"], item["profile"], str(item["seed"]), item["as_of"], item["created_at"], str(item["generation"]))
    console.print(table)


@workspace.command("show")
@click.argument("name")
@data_dir_option
def workspace_show(name, data_dir):
    """Show workspace NAME with its counts and banks."""
    try:
        click.echo(json.dumps(_workspaces(_settings(data_dir)).get(name), ensure_ascii=False, indent=2))
    except SandboxError as error:
        _fail(error)


@workspace.command("reset")
@click.argument("name", required=False)
@click.option("--all", "every", is_flag=True, help="Reset every workspace.")
@click.option("--wipe-connectors", is_flag=True, help="Also delete the workspace's connectors and credentials.")
@data_dir_option
def workspace_reset(name, every, wipe_connectors, data_dir):
    """Restore workspace NAME (or --all) to its seeded state: data, scenario rules and clock."""
    if bool(name) == every:
        raise click.UsageError("name one workspace, or give --all")
    settings = _settings(data_dir)
    workspaces = _workspaces(settings)
    registry = _registry(settings) if wipe_connectors else None
    names = [item["name"] for item in workspaces.list()] if every else [name]
    started = time.perf_counter()
    for each in names:
        try:
            result = workspaces.reset(each)
        except SandboxError as error:
            _fail(error)
        wiped = registry.connectors.delete_workspace(each) if registry else 0
        console.print(f"reset {each} in {result['elapsed_ms']} ms" + (f", {wiped} connector(s) deleted" if wiped else ""))
    if every:
        console.print(f"{len(names)} workspace(s) reset in {(time.perf_counter() - started) * 1000:.0f} ms")


@workspace.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@data_dir_option
def workspace_delete(name, yes, data_dir):
    """Delete workspace NAME and its files."""
    workspaces = _workspaces(_settings(data_dir))
    try:
        workspaces.registry.get(name)
        if not yes:
            click.confirm(f"Delete workspace {name} and all its data?", abort=True)
        workspaces.delete(name)
    except SandboxError as error:
        _fail(error)
    console.print(f"deleted {name}")


@workspace.command("check")
@click.argument("name", default="default")
@data_dir_option
def workspace_check(name, data_dir):
    """Check the ledger invariants of workspace NAME (postings sum to zero, balances match)."""
    try:
        problems = _workspaces(_settings(data_dir)).verify(name)
    except SandboxError as error:
        _fail(error)
    for problem in problems:
        err.print(f"[red]✗[/red] {problem}")
    if problems:
        sys.exit(1)
    console.print(f"{name}: the books balance")


@main.group()
def scenario():
    """Inject scenario rules into a workspace: apply a pack or a rule file, list them, clear them."""


@scenario.command("apply")
@click.argument("source")
@click.option("--workspace", "workspace_name", default="default", show_default=True, help="The workspace.")
@data_dir_option
def scenario_apply(source, workspace_name, data_dir):
    """Apply SOURCE: a pack name (see `scenario packs`) or a YAML/JSON file of one rule or a list of rules."""
    from .actions import scenarios as scenario_actions
    from .scenarios import load_pack, shipped_packs

    path = Path(source)
    try:
        ctx = _workspaces(_settings(data_dir)).context(workspace_name)
        if path.is_file():
            try:
                loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as error:
                raise SandboxError("invalid_request", f"{path} is not valid YAML or JSON: {error}") from None
            rules = loaded.get("rules", loaded) if isinstance(loaded, dict) and "effect" not in loaded else loaded
            rules, pack = (rules if isinstance(rules, list) else [rules]), None
        else:
            found = load_pack(shipped_packs(), source)
            rules, pack = list(found.rules), found.name
        added = scenario_actions.add_all(ctx, rules, pack=pack)
    except SandboxError as error:
        _fail(error)
    console.print(f"{len(added)} rule(s) added to {workspace_name}: {', '.join(a['id'] for a in added)}")


@scenario.command("list")
@click.option("--workspace", "workspace_name", default="default", show_default=True, help="The workspace.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_dir_option
def scenario_list(workspace_name, as_json, data_dir):
    """List the workspace's rules, how often they matched and what lifetime is left."""
    from .actions import scenarios as scenario_actions

    try:
        rules = scenario_actions.list_rules(_workspaces(_settings(data_dir)).context(workspace_name))
    except SandboxError as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps(rules, ensure_ascii=False, indent=2))
        return
    table = Table("id", "pack", "name", "effect", "matched", "applied", "active", "remaining")
    for rule in rules:
        table.add_row(rule["id"], rule["pack"] or "", escape(rule["rule"].get("name", "")), rule["rule"]["effect"]["type"],
                      str(rule["matched"]), str(rule["applied"]), "yes" if rule["active"] else "no",
                      escape(json.dumps(rule["remaining"])) if rule["remaining"] else "for ever")
    console.print(table)


@scenario.command("clear")
@click.option("--workspace", "workspace_name", default="default", show_default=True, help="The workspace.")
@data_dir_option
def scenario_clear(workspace_name, data_dir):
    """Remove every rule of the workspace (account changes are undone)."""
    from .actions import scenarios as scenario_actions

    try:
        cleared = scenario_actions.clear(_workspaces(_settings(data_dir)).context(workspace_name))
    except SandboxError as error:
        _fail(error)
    console.print(f"{cleared} rule(s) removed from {workspace_name}")


@scenario.command("packs")
def scenario_packs():
    """List the scenario packs with their descriptions."""
    from .scenarios import list_packs, shipped_packs

    for pack in list_packs(shipped_packs()):
        console.print(f"[bold]{pack.name}[/bold]  {escape(pack.description)}")


@main.group()
def teams():
    """Onboard hackathon teams."""


@teams.command("create")
@click.option("--count", type=click.IntRange(1, 500), default=1, show_default=True, help="How many teams.")
@click.option("--prefix", default="team", show_default=True, help="Team names are PREFIX-01, PREFIX-02, ...")
@click.option("--profile", default="default", show_default=True, help="Seeding profile of each team's workspace.")
@click.option("--plan", default=None, help="The connectors' plan (default: standard).")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Write each team's sheet (Markdown) and JSON here (default DATA_DIR/teams).")
@click.option("--base-url", default=None, help="Where teams reach the sandbox (default from --host/--port settings).")
@data_dir_option
def teams_create(count, prefix, profile, plan, out, base_url, data_dir):
    """Create COUNT teams: a workspace each (seeded from its number), two connectors and test users."""
    from .teams import Teams

    settings = _settings(data_dir)
    team_maker = Teams(_workspaces(settings), _registry(settings))
    folder = Path(out) if out else Path(settings.data_dir) / "teams"
    folder.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(count)))
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err) as progress:
        task = progress.add_task("onboarding teams", total=count)
        for number in range(1, count + 1):
            name = f"{prefix}-{number:0{width}d}"
            try:
                team = team_maker.create(name, profile, seed=number, plan=plan, base_url=base_url or settings.base_url)
            except SandboxError as error:
                _fail(error)
            (folder / f"{name}.md").write_text(team["sheet"], encoding="utf-8")
            (folder / f"{name}.json").write_text(json.dumps(team, ensure_ascii=False, indent=2), encoding="utf-8")
            os.chmod(folder / f"{name}.json", 0o600)
            os.chmod(folder / f"{name}.md", 0o600)
            progress.advance(task)
    console.print(f"{count} team(s) onboarded in {time.perf_counter() - started:.1f} s; sheets in {folder}")


@main.group()
def sdk():
    """Generate typed clients for a bank's API from its spec."""


@sdk.command("python")
@click.option("--bank", "slug", required=True, help="The bank's slug (see `bank-sandbox banks`), e.g. hub or kaede.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Where to write the client package.")
@click.option("--base-url", default=None, help="The server the client talks to by default (default from settings).")
@data_dir_option
def sdk_python(slug, out, base_url, data_dir):
    """Generate a typed Python client (openapi-python-client) for one bank's API into OUT."""
    import shutil
    import subprocess
    import tempfile

    settings = _settings(data_dir)
    api = next((a for a in _apis(settings) if a.slug == slug), None)
    if api is None:
        raise click.UsageError(f"no bank {slug!r}; banks: {', '.join(a.slug for a in _apis(settings))}")
    generator = Path(sys.executable).parent / "openapi-python-client"
    if not generator.exists() and not shutil.which("openapi-python-client"):
        err.print("[red]error[/red] openapi-python-client is not installed: pip install 'bank-sandbox[sdk]'")
        sys.exit(1)
    spec = dict(api.spec, servers=[{"url": f"{base_url or settings.base_url}{api.mount}"}])
    with tempfile.TemporaryDirectory() as work:
        spec_path = Path(work) / "openapi.json"
        spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        result = subprocess.run([str(generator) if generator.exists() else "openapi-python-client", "generate",
                                 "--path", str(spec_path), "--output-path", str(out), "--overwrite"],
                                capture_output=True, text=True, env=env)
    if result.returncode != 0:
        err.print(f"[red]error[/red] the generator failed:\n{escape(result.stdout[-2000:] + result.stderr[-2000:])}")
        sys.exit(1)
    package = next((p.name for p in Path(out).iterdir() if (p / "__init__.py").exists()), "?")
    console.print(f"client for {slug} ({escape(api.title)}) in {out}: import {package}")


def _registry(settings: Settings):
    from .governance import Governance
    from .registry import ConnectorRegistry

    return ConnectorRegistry(_workspaces(settings), Governance(settings.data_dir, settings.plans_file))


@main.group()
def connector():
    """Register connectors (OAuth clients), show them, and suspend or resume them (the kill switch)."""


@connector.command("create")
@click.option("--workspace", "workspace_name", default="default", show_default=True, help="The workspace it belongs to.")
@click.option("--name", required=True, help="The connector's display name.")
@click.option("--class", "connector_class", type=click.Choice(["self-use", "third-party"]), required=True,
              help="self-use: a company's own accounts (client credentials); third-party: acts for customers.")
@click.option("--plan", default=None, help="Plan from fixtures/plans.yaml (default: standard).")
@click.option("--customer", "customer_id", default=None, help="Self-use: the corporate customer id (cus_...).")
@click.option("--registration-number", default=None, help="Third-party: e.g. 関東財務局長（電代）第12号.")
@click.option("--redirect-uri", "redirect_uris", multiple=True, help="Third-party: an allowed redirect URI; repeatable.")
@click.option("--token-ttl", type=int, default=3600, show_default=True, help="Access token lifetime in seconds.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_dir_option
def connector_create(workspace_name, name, connector_class, plan, customer_id, registration_number, redirect_uris,
                     token_ttl, as_json, data_dir):
    """Register a connector and print its client id and secret (the secret is shown once)."""
    try:
        created = _registry(_settings(data_dir)).create(
            workspace_name, name=name, connector_class=connector_class, plan=plan, customer_id=customer_id,
            registration_number=registration_number, redirect_uris=list(redirect_uris), token_ttl=token_ttl)
    except SandboxError as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps(created, ensure_ascii=False, indent=2))
        return
    console.print(f"created {created['id']} ({created['class']}, plan {created['plan']}) in workspace {workspace_name}")
    console.print(f"  client_id      {created['client_id']}")
    console.print(f"  client_secret  {created['client_secret']}  (shown once)")


@connector.command("list")
@click.option("--workspace", "workspace_name", default=None, help="Only this workspace's connectors.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_dir_option
def connector_list(workspace_name, as_json, data_dir):
    """List connectors."""
    items = [c.to_dict() for c in _registry(_settings(data_dir)).connectors.list(workspace_name)]
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    table = Table("id", "workspace", "name", "class", "plan", "status")
    for item in items:
        table.add_row(item["id"], item["workspace"], escape(item["name"]), item["class"], item["plan"], item["status"])
    console.print(table)


@connector.command("show")
@click.argument("connector_id")
@data_dir_option
def connector_show(connector_id, data_dir):
    """Show a connector, its capacity today and its audit trail."""
    registry = _registry(_settings(data_dir))
    try:
        shown = {**registry.connectors.get(connector_id).to_dict(), "capacity": registry.capacity(connector_id),
                 "audit": registry.connectors.audit(connector_id=connector_id)}
    except SandboxError as error:
        _fail(error)
    click.echo(json.dumps(shown, ensure_ascii=False, indent=2))


def _kill_switch(verb: str, summary: str):
    """The `connector suspend` / `connector resume` command (they differ only in what they call)."""

    @connector.command(verb, help=summary)
    @click.argument("connector_id")
    @click.option("--reason", default=None, help="Why (kept in the audit log).")
    @data_dir_option
    def switch(connector_id, reason, data_dir):
        connectors = _registry(_settings(data_dir)).connectors
        try:
            getattr(connectors, verb)(connector_id, actor="bank staff (cli)", reason=reason)
        except SandboxError as error:
            _fail(error)
        console.print(f"{verb}d {connector_id}" if verb.endswith("e") else f"{verb}ed {connector_id}")

    return switch


connector_suspend = _kill_switch("suspend", "Stop CONNECTOR_ID at once: its tokens are refused from the next request on.")
connector_resume = _kill_switch("resume", "Let CONNECTOR_ID call again.")


@main.command()
@click.option("--profile", default="default", show_default=True, help="Seeding profile (name or YAML path).")
@click.option("--seed", type=int, default=None, help="Random seed (default 42).")
@click.option("--workspace", "name", default="default", show_default=True, help="Workspace to (re)create.")
@click.option("--as-of", default=None, help="Last day of seeded history, YYYY-MM-DD, 1970-01-01 to 2099-12-31 (default today).")
@click.option("--force", is_flag=True, help="Replace the workspace if it exists.")
@data_dir_option
def seed(profile, seed, name, as_of, force, data_dir):
    """Seed a workspace from a profile (replacing it with --force)."""
    workspaces = _workspaces(_settings(data_dir))
    if workspaces.registry.exists(name):
        if not force:
            err.print(f"workspace {name} exists; pass --force to replace it, or use `workspace reset {name}`")
            sys.exit(1)
        workspaces.delete(name)
    _seed(workspaces, name, profile, seed, as_of)


def _seed(workspaces, name, profile, seed_value, as_of):
    try:
        chosen = load_profile(profile, workspaces.profile_dirs)
        total = sum(sum(b["customers"].values()) for b in chosen.data["banks"])
        with Progress(TextColumn("[bold]seeding"), BarColumn(), MofNCompleteColumn(), TextColumn("customers"),
                      TimeElapsedColumn(), console=err, transient=True, disable=total < 1000) as progress:
            task = progress.add_task("seed", total=total)
            result = workspaces.create(name, profile, seed_value, as_of, progress=lambda n: progress.advance(task, n))
    except SandboxError as error:
        _fail(error)
    except ValueError as error:
        err.print(f"[red]error[/red] {escape(str(error))}")
        sys.exit(1)
    console.print(f"created {name}: {len(result['banks'])} banks, {result['customers']} customers, "
                  f"{result['accounts']} accounts, {result['postings']} postings (profile {result['profile']}, seed {result['seed']})")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--specs", "specs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="An extra folder of bank specs; repeatable.")
def banks(as_json, specs):
    """List the served bank APIs: slug, name, bank code, base URL and spec path."""
    settings = _settings(None, specs=tuple(Path(s) for s in specs) or None)
    rows = [{"slug": api.slug, "name": api.title, "bank_code": api.bank_code, "base_url": f"{settings.base_url}{api.mount}",
             "ui": f"{settings.base_url}{api.mount}/ui/", "spec": str(api.spec_path), "bound": api.bound,
             "operations": sum(1 for _ in api.spec_operations()), "bound_operations": len(api.operations)}
            for api in _apis(settings)]
    if as_json:
        click.echo(json.dumps({"banks": rows}, ensure_ascii=False, indent=2))
        return
    table = Table("slug", "name", "bank code", "base URL", "operations bound", "spec")
    for row in rows:
        table.add_row(row["slug"], row["name"], row["bank_code"] or "(all)", row["base_url"],
                      f"{row['bound_operations']}/{row['operations']}", row["spec"])
    console.print(table)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def glossary(as_json):
    """Show how each canonical term (amount, branch code, ...) is named in each bank's API."""
    from .bindings.glossary import TERMS, glossary as build

    table_data = build(_apis(_settings(None)))
    if as_json:
        click.echo(json.dumps(table_data, ensure_ascii=False, indent=2))
        return
    table = Table("term", *table_data)
    for term in TERMS:
        cells = []
        for slug in table_data:
            entry = table_data[slug].get(term)
            cells.append("" if not entry else " / ".join(filter(None, [", ".join(entry["request"]), ", ".join(entry["response"])])))
        if any(cells):
            table.add_row(term, *cells)
    console.print(table)
    console.print("(request names / response names, read from each bank's binding.yaml)")


@main.command()
@click.option("--bank", "slug", default=None, help="Only this bank (a slug).")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the tables as docs/errors.md holds them.")
def errors(slug, as_markdown):
    """Show how each bank renders every canonical error: HTTP status and the bank's own code."""
    from .bindings.errors_table import error_table, markdown

    apis = [a for a in _apis(_settings(None)) if a.errors and (slug is None or a.slug == slug)]
    if slug is not None and not apis:
        raise click.UsageError(f"no bank {slug!r} with an error table")
    if as_markdown:
        click.echo(markdown(apis), nl=False)
        return
    for api in apis:
        table = Table("canonical error", "status", "bank's code", title=f"{api.slug} — {escape(api.title)}")
        for row in error_table(api):
            table.add_row(row["canonical"], str(row["status"]), escape(row["bank_code"]))
        console.print(table)


def _apis(settings: Settings):
    try:
        return discover((*settings.specs, shipped("specs")))
    except BindingError as error:
        err.print(f"[red]error[/red]: {escape(str(error))}")
        sys.exit(2)


@main.command()
def profiles():
    """List the seeding profiles."""
    for profile in list_profiles():
        console.print(f"[bold]{profile.name}[/bold]  {profile.description}")


if __name__ == "__main__":  # pragma: no cover
    main()
