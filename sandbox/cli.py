"""The `bank-sandbox` command: serve the sandbox, manage workspaces, seed, and list the banks.

Every command imports the parts of the sandbox it needs inside its own body: `--help` and the light
commands then start in a fraction of the time the server, the bindings and Faker take to import.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape

from .domain.errors import SandboxError
from .resources import data_dir as shipped

if TYPE_CHECKING:
    from .settings import Settings

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
# Connexion imports Starlette's test client, which warns about its httpx backend; not ours to fix.
warnings.filterwarnings("ignore", message=".*starlette.testclient.*")


def _settings(data_dir_option=None, **overrides) -> Settings:
    from .settings import Settings, SettingsError

    try:
        context = click.get_current_context(silent=True)
        url = context.meta.get("database_url") if context else None
        return Settings.from_env(data_dir=Path(data_dir_option) if data_dir_option else None, database_url=url, **overrides)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def _workspaces(settings: Settings, banks: tuple[dict, ...] = ()):
    """The workspaces service; a command that creates workspaces passes the banks the bank folders declare."""
    from .domain.clock import clock_at
    from .workspaces import Workspaces

    return Workspaces(settings.data_dir, clock_at(settings.clock), extra_banks=banks, database_url=settings.database_url)


def _table(*headers: str, whole: tuple[str, ...] = (), **options):
    """A table that keeps every character at any terminal width (COLUMNS=80 included).

    Columns named in `whole` (ids, URLs, paths: what a reader copies) never wrap; every other column
    wraps, and a word too long for its column folds onto the next line rather than ending in "…".
    """
    from rich.table import Table

    # No rules or borders: at 80 columns every character is worth more as text.
    table = Table(box=None, pad_edge=False, header_style="bold underline", **options)
    for header in headers:
        table.add_column(header, no_wrap=header in whole, overflow="fold")
    return table


def _fail(error: SandboxError):
    err.print(f"[red]error[/red] {error.code}: {escape(error.message)}")
    sys.exit(1)


_data_dir = click.option("--data-dir", type=click.Path(file_okay=False), default=None,
                         help="Where workspaces live (default ./.sandbox, or SANDBOX_DATA_DIR).")


def _remember_database_url(ctx, param, value):
    if value is not None:
        from .settings import SettingsError, database_url

        try:
            ctx.meta["database_url"] = database_url(value)
        except SettingsError as error:
            raise click.BadParameter(str(error)) from None


_database_url = click.option("--database-url", default=None, expose_value=False, callback=_remember_database_url,
                             help="Keep all state in this PostgreSQL database (postgresql://user@host/db, or "
                                  "SANDBOX_DATABASE_URL) instead of SQLite files under the data directory.")


def data_dir_option(command):
    """--data-dir and --database-url: every command that reads or writes sandbox data takes both."""
    return _data_dir(_database_url(command))


def _moment(ctx, param, value):
    """Refuse a --clock that is not an ISO 8601 moment before anything starts."""
    if value is not None:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not an ISO 8601 date-time, e.g. 2026-11-05T10:00:00+09:00") from None
    return value


class _Commands(click.Group):
    """The command group; a store that cannot be reached (a PostgreSQL server down or refusing) is one
    clear line and exit status 1 from any command, not a traceback."""

    def invoke(self, ctx):
        from .store.errors import StoreUnavailable

        try:
            return super().invoke(ctx)
        except StoreUnavailable as error:
            err.print(f"[red]error[/red] store_unavailable: {escape(str(error))}")
            sys.exit(1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bank-sandbox")
def main():
    """A stateful sandbox of Japanese banks for payment-API connectors."""


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8000).")
@data_dir_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Server worker processes (default: one per CPU this process may use, at most 8).")
@click.option("--specs", "specs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="An extra bank folder, or folder of bank folders (each subfolder one bank); repeatable.")
@click.option("--clock", default=None, callback=_moment,
              help="Freeze the sandbox time at this ISO 8601 moment (for CI).")
@click.option("--strict", is_flag=True, default=False,
              help="Refuse to start when a bank folder cannot be served (default: report it, serve the rest).")
@click.option("--tls", is_flag=True, default=False,
              help="Serve HTTPS with a certificate from the sandbox's own authority (<data-dir>/tls/ca.pem: trust "
                   "that file), naming every host the served specs name (or SANDBOX_TLS).")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Serve HTTPS with this certificate chain (PEM) instead; needs --tls-key.")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The private key (PEM) of --tls-cert.")
def serve(host, port, data_dir, workers, specs, clock, strict, tls, tls_cert, tls_key):
    """Serve the banks, the hub and the control plane; seed workspace `default` on first start."""
    import uvicorn

    from .settings import MIN_ADMIN_TOKEN, SettingsError, admin_token, weak_admin_token

    settings = _settings(data_dir, host=host, port=port, workers=workers,
                         specs=tuple(Path(s) for s in specs) or None, clock=clock, strict=strict or None,
                         tls=tls or None, tls_cert=Path(tls_cert) if tls_cert else None,
                         tls_key=Path(tls_key) if tls_key else None)
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise click.UsageError("--tls-cert and --tls-key (SANDBOX_TLS_CERT, SANDBOX_TLS_KEY) go together")
    apis, unavailable = _survey(settings, verb="cannot start")
    try:
        token, created_token = admin_token(settings)
    except SettingsError as error:
        err.print(f"[red]cannot start[/red]: {escape(str(error))}")
        sys.exit(2)
    # Read here once, as each worker reads it again at its start: a worker that cannot start is started again,
    # for ever, by the process that keeps the workers (a plans file named but missing had kept two cores busy).
    from .governance.plans import Plans, PlansError

    try:
        Plans(settings.plans_file)
    except PlansError as error:
        err.print(f"[red]cannot start[/red]: SANDBOX_PLANS: {escape(str(error))}")
        sys.exit(2)
    if weak_admin_token(token):
        err.print(f"[yellow]warning[/yellow]: the admin token is {len(token)} characters long; it is accepted only "
                  f"because the server listens on {settings.host} alone. Use at least {MIN_ADMIN_TOKEN} characters "
                  "before serving to anyone else.")
    workspaces = _workspaces(settings, _folder_banks(apis, verb="cannot start"))
    if not workspaces.registry.exists(settings.default_workspace):
        console.print(f"Seeding workspace [bold]{escape(settings.default_workspace)}[/bold] from profile "
                      f"{escape(settings.default_profile)} ...")
    try:
        if workspaces.ensure(settings.default_workspace, settings.default_profile):
            console.print(f"  done: {workspaces.get(settings.default_workspace)['accounts']} accounts")
    except SandboxError as error:  # e.g. SANDBOX_DEFAULT_WORKSPACE or SANDBOX_DEFAULT_PROFILE unusable
        err.print(f"[red]cannot start[/red]: {error.code}: {escape(error.message)}")
        sys.exit(2)
    base = settings.base_url
    # Only addresses that answer 200 when opened in a browser: an API's base path alone is a 404.
    console.print(f"[bold]bank-sandbox[/bold] on {base}  (data in {escape(str(Path(settings.data_dir).resolve()))})")
    console.print(f"  index          {base}/")
    console.print(f"  console        {base}/console/")
    console.print(f"  health         {base}/healthz")
    console.print(f"  control plane  {base}/sandbox/v1/ui/")
    for api in apis:
        console.print(f"  {api.slug:<14} {base}{api.mount}/ui/")
        for warning in api.warnings:
            console.print(f"  {'':<14} [yellow]warning[/yellow] {escape(warning)}")
        if api.security_mode == "undeclared" and api.operations:  # bound, with no word on where the token is
            console.print(f"  {'':<14} declares no security: " + ("[yellow]open[/yellow] to token-less callers "
                          "(SANDBOX_OPEN_ACCESS)" if settings.open_access else "its bound operations answer 401 "
                          "until SANDBOX_OPEN_ACCESS is on or its binding says where the token is (auth)"))
    for folder in unavailable:
        console.print(f"  {folder.folder.name:<14} [red]not served[/red]: {escape(folder.reason)}")
    where = "the database" if settings.database_url else Path(settings.data_dir) / "admin-token"
    source = "from SANDBOX_ADMIN_TOKEN" if settings.admin_token else f"{'generated, ' if created_token else ''}stored in {where}"
    console.print(f"  admin token    {escape(token)}  ({escape(source)})")
    given = workers is not None or os.environ.get("SANDBOX_WORKERS")
    console.print(f"  workers        {settings.workers}  ("
                  + ("--workers or SANDBOX_WORKERS" if given else "one per CPU this process may use; --workers to change")
                  + ")")
    if settings.open_access:
        console.print("  [yellow]open access[/yellow]    on (SANDBOX_OPEN_ACCESS): bank APIs let token-less requests through "
                      "as a development caller naming its workspace in X-Sandbox-Workspace")
    served_tls = _tls(settings, apis)
    _export(settings)
    _record_server(settings)
    # Python's own event loop, not uvloop: under a flood of new connections uvloop takes in about one
    # per loop turn, so the last of 500 waited seconds for its first answer (docs/security.md). Several
    # workers share the listening socket, each taking its share of a burst (`wire.SharedAcceptLoop`).
    # Each answer leaves in one write (http/wire.py).
    from .http.wire import KEEP_ALIVE_S, OneWriteHttp

    if settings.workers == 1:
        from .http.app import create_app, for_life

        uvicorn.run(for_life(create_app(settings)), host=settings.host, port=settings.port, log_level="warning", loop="asyncio",
                    http=OneWriteHttp, timeout_keep_alive=KEEP_ALIVE_S, timeout_graceful_shutdown=DRAIN_S, **served_tls)
    else:
        uvicorn.run("sandbox.http.app:app_from_env", factory=True, host=settings.host, port=settings.port,
                    workers=settings.workers, log_level="warning", loop="sandbox.http.wire:SharedAcceptLoop",
                    http=OneWriteHttp, timeout_keep_alive=KEEP_ALIVE_S, timeout_graceful_shutdown=DRAIN_S, **served_tls)


def _tls(settings: Settings, apis) -> dict:
    """uvicorn's TLS arguments for `serve` (none without TLS), and the banner lines that say what to trust."""
    from .http.hosts import host_names

    names = host_names(apis)
    if names:
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        console.print(f"  vendor hosts   {escape(shown)}: a request sent to one of these names (pointed here) is "
                      "answered by the bank whose spec names it")
    if not settings.serves_tls:
        return {}
    if settings.tls_cert:
        console.print(f"  tls            {escape(str(settings.tls_cert))}")
        return {"ssl_certfile": str(settings.tls_cert), "ssl_keyfile": str(settings.tls_key)}
    from .http.certificates import server_files

    from .readiness.tls import AUTHORITY_VARIABLE

    files = server_files(Path(settings.data_dir) / "tls", [settings.host, *names])
    os.environ[AUTHORITY_VARIABLE] = str(files.authority.resolve())  # the console's calls to itself trust it
    console.print(f"  tls            certificate authority {escape(str(files.authority.resolve()))}: trust it "
                  "(SSL_CERT_FILE, REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS)")
    return {"ssl_certfile": str(files.certificate), "ssl_keyfile": str(files.key)}


SERVER_FILE = "server.json"
# On SIGTERM the server stops accepting connections and lets the requests under way finish for at most
# this long (a scenario may hold one for a minute), leaving the rest of Kubernetes' 30 s grace period
# to the webhook dispatcher's own stop (docs/architecture.md, "State across processes").
DRAIN_S = 20


def _record_server(settings: Settings) -> None:
    """Write where this server answers into its data directory, for the commands that print URLs.

    The file stays when the server stops (uvicorn ends the process on the signal it caught); the
    process id in it tells a reader whether that server still runs.
    """
    path = Path(settings.data_dir) / SERVER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": settings.base_url, "pid": os.getpid()}), encoding="utf-8")


def _server_url(settings: Settings) -> str:
    """The URL of the sandbox serving this data directory, if one runs; else the one the settings describe.

    `serve` records its URL in the data directory, so `banks` and `teams create` print the port the
    server really listens on, not 8000; SANDBOX_HOST and SANDBOX_PORT give it when no server runs.
    """
    try:
        recorded = json.loads((Path(settings.data_dir) / SERVER_FILE).read_text(encoding="utf-8"))
        os.kill(int(recorded["pid"]), 0)  # the server that wrote it still runs
        return str(recorded["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return settings.base_url


def _export(settings: Settings) -> None:
    """Hand the settings to worker processes through the environment."""
    os.environ["SANDBOX_DATA_DIR"] = str(Path(settings.data_dir).resolve())
    os.environ["SANDBOX_HOST"] = settings.host
    os.environ["SANDBOX_PORT"] = str(settings.port)
    if settings.specs:
        os.environ["SANDBOX_SPECS"] = os.pathsep.join(str(Path(p).resolve()) for p in settings.specs)
    if settings.clock:
        os.environ["SANDBOX_CLOCK"] = settings.clock
    if settings.strict:
        os.environ["SANDBOX_STRICT"] = "true"
    if settings.database_url:
        os.environ["SANDBOX_DATABASE_URL"] = settings.database_url
    if settings.serves_tls:
        os.environ["SANDBOX_TLS"] = "true"


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
    settings = _settings(data_dir)
    _seed(_workspaces(settings, _folder_banks(_apis(settings))), name, profile, seed, as_of)


@workspace.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_dir_option
def workspace_list(as_json, data_dir):
    """List workspaces."""
    items = _workspaces(_settings(data_dir)).list()
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    table = _table("name", "profile", "seed", "as of", "created", "resets", whole=("name",))
    for item in items:
        table.add_row(escape(item["name"]), escape(item["profile"]), str(item["seed"]), item["as_of"], item["created_at"],
                      str(item["generation"]))
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
    registry = _registry(settings)
    names = [item["name"] for item in workspaces.list()] if every else [name]
    started = time.perf_counter()
    for each in names:
        try:
            result = workspaces.reset(each)
        except SandboxError as error:
            _fail(error)
        registry.governance.abuse.forget(each)
        wiped = registry.connectors.delete_workspace(each) if wipe_connectors else 0
        console.print(f"reset {escape(each)} in {result['elapsed_ms']} ms" + (f", {wiped} connector(s) deleted" if wiped else ""))
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
    console.print(f"deleted {escape(name)}")


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
        err.print(f"[red]✗[/red] {escape(str(problem))}")
    if problems:
        sys.exit(1)
    console.print(f"{escape(name)}: the books balance")


@main.group()
def scenario():
    """Inject scenario rules into a workspace: apply a pack or a rule file, list them, clear them."""


@scenario.command("apply")
@click.argument("source")
@click.option("--workspace", "workspace_name", default="default", show_default=True, help="The workspace.")
@data_dir_option
def scenario_apply(source, workspace_name, data_dir):
    """Apply SOURCE: a pack name (see `scenario packs`) or a YAML/JSON file of one rule or a list of rules."""
    import yaml

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
    console.print(f"{len(added)} rule(s) added to {escape(workspace_name)}: {', '.join(a['id'] for a in added)}")


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
    table = _table("id", "pack", "name", "effect", "matched", "applied", "active", "remaining", whole=("id",))
    for rule in rules:
        table.add_row(rule["id"], escape(rule["pack"] or ""), escape(rule["rule"].get("name", "")), rule["rule"]["effect"]["type"],
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
    console.print(f"{cleared} rule(s) removed from {escape(workspace_name)}")


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
@click.option("--jobs", type=click.IntRange(1, 16), default=None,
              help="Teams onboarded at once (default: one per CPU this process may use, and one more).")
@data_dir_option
def teams_create(count, prefix, profile, plan, out, base_url, jobs, data_dir):
    """Create COUNT teams: a workspace each (seeded from its number), two connectors and test users."""
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .settings import machine_workers
    from .teams import Teams

    settings = _settings(data_dir)
    team_maker = Teams(_workspaces(settings, _folder_banks(_apis(settings))), _registry(settings))
    folder = Path(out) if out else Path(settings.data_dir) / "teams"
    folder.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(count)))
    base_url = base_url or _server_url(settings)
    # A team spends much of its time waiting: on PostgreSQL for the server (its schemas' DDL, the seeded
    # rows), on SQLite for its files. Teams made side by side keep every core busy: 40 teams on two cores
    # took 0.55-0.65x the time of one after another on PostgreSQL, 0.76x on SQLite; one team more than
    # cores fills the waits too (80 teams on PostgreSQL: 0.84-0.93x the time of two at once; SQLite 0.95x).
    jobs = jobs or machine_workers() + 1
    started, skipped = time.perf_counter(), []
    names = [f"{prefix}-{number:0{width}d}" for number in range(1, count + 1)]
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err) as progress, ThreadPoolExecutor(jobs, thread_name_prefix="sandbox-team") as pool:
        task = progress.add_task("onboarding teams", total=count)

        def finish(pending: set) -> set:
            """Write the sheets of the teams made so far; at a refusal, end once the teams under way are made."""
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                try:
                    team = future.result()
                except SandboxError as error:
                    for other in pending:
                        other.cancel()
                    for other in wait(pending).done:
                        if not other.cancelled() and other.exception() is None:
                            _write_sheet(folder, other.result())
                    _fail(error)
                _write_sheet(folder, team)
                progress.advance(task)
            return pending

        pending: set = set()
        for number, name in enumerate(names, start=1):
            if team_maker.workspaces.registry.exists(name):
                # An existing team keeps its workspace and connectors: its secrets were shown once, so
                # re-onboarding it could only hand out new ones. It is skipped, and said so.
                skipped.append(name)
                progress.advance(task)
                continue
            pending.add(pool.submit(team_maker.create, name, profile, seed=number, plan=plan, base_url=base_url))
            if len(pending) >= jobs:
                pending = finish(pending)
        while pending:
            pending = finish(pending)
    console.print(f"{count - len(skipped)} team(s) onboarded in {time.perf_counter() - started:.1f} s; sheets in "
                  f"{escape(str(folder))}")
    if skipped:
        console.print(f"{len(skipped)} skipped: they exist already ({escape(', '.join(skipped))}); their sheets are "
                      "the ones written when they were created")


def _write_sheet(folder: Path, team: dict) -> None:
    """A team's sheet (Markdown) and its JSON, readable by their owner only: they hold the connectors' secrets."""
    name = team["team"]
    (folder / f"{name}.md").write_text(team["sheet"], encoding="utf-8")
    (folder / f"{name}.json").write_text(json.dumps(team, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(folder / f"{name}.json", 0o600)
    os.chmod(folder / f"{name}.md", 0o600)


@main.group()
def sdk():
    """Generate typed clients for a bank's API from its spec."""


@sdk.command("python")
@click.option("--bank", "slug", required=True, help="The bank's slug (see `bank-sandbox banks`), e.g. hub or kaede.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Where to write the client package.")
@click.option("--base-url", default=None, help="The server the client talks to by default (default from settings).")
@click.option("--specs", "specs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="An extra bank folder, or folder of bank folders, as given to `serve --specs`; repeatable.")
@data_dir_option
def sdk_python(slug, out, base_url, specs, data_dir):
    """Generate a typed Python client (openapi-python-client) for one bank's API into OUT.

    The package is named from the slug (`kaede-client`, `import kaede_client`), talks to --base-url by
    default, and its README says how to get a token there.
    """
    from .sdk import SdkError, generate_python

    settings = _settings(data_dir, specs=tuple(Path(s) for s in specs) or None)
    api = next((a for a in _apis(settings) if a.slug == slug), None)
    if api is None:
        raise click.UsageError(f"no bank {slug!r}; banks: {', '.join(a.slug for a in _apis(settings))}")
    try:
        package = generate_python(api, Path(out), base_url or _server_url(settings))
    except SdkError as error:
        err.print(f"[red]error[/red] {escape(str(error))}")
        sys.exit(1)
    console.print(f"client for {slug} ({escape(api.title)}) in {escape(str(out))}: pip install {escape(str(out))}; "
                  f"import {package} (README.md there says how to get a token)")


def _registry(settings: Settings):
    from .governance import Governance
    from .registry import ConnectorRegistry

    return ConnectorRegistry(_workspaces(settings), Governance(settings.data_dir, settings.plans_file, settings.database_url))


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
@click.option("--security-profile", type=click.Choice(["plain", "fapi2"]), default=None,
              help="fapi2: the FAPI 2.0 profile (PAR, private_key_jwt, DPoP); needs --jwks or --jwks-uri.")
@click.option("--jwks", "jwks_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A JSON file holding the connector's public keys (a JWKS), for private_key_jwt.")
@click.option("--jwks-uri", default=None, help="Where the sandbox fetches the connector's public keys instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_dir_option
def connector_create(workspace_name, name, connector_class, plan, customer_id, registration_number, redirect_uris,
                     token_ttl, security_profile, jwks_file, jwks_uri, as_json, data_dir):
    """Register a connector and print its client id and secret (the secret is shown once)."""
    try:
        jwks = json.loads(jwks_file.read_text(encoding="utf-8")) if jwks_file else None
    except (ValueError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"{jwks_file} is not JSON: {error}", param_hint="--jwks") from None
    try:
        created = _registry(_settings(data_dir)).create(
            workspace_name, name=name, connector_class=connector_class, plan=plan, customer_id=customer_id,
            registration_number=registration_number, redirect_uris=list(redirect_uris), token_ttl=token_ttl,
            security_profile=security_profile, jwks=jwks, jwks_uri=jwks_uri)
    except SandboxError as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps(created, ensure_ascii=False, indent=2))
        return
    console.print(f"created {created['id']} ({created['class']}, plan {escape(created['plan'])}) in workspace {escape(workspace_name)}")
    console.print(f"  client_id      {created['client_id']}")
    console.print(f"  as a UUID      {created['client_id_uuid']}  (the same id, for banks that take only UUIDs)")
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
    table = _table("id", "workspace", "name", "class", "plan", "status", whole=("id",))
    for item in items:
        table.add_row(item["id"], escape(item["workspace"]), escape(item["name"]), item["class"], escape(item["plan"]), item["status"])
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


@main.group()
def alerts():
    """Alerts the business-logic abuse rules raised (docs/abuse.md): list, show with evidence, resolve."""


def _monitor(settings: Settings):
    """The abuse monitor, reading each workspace's sandbox clock."""
    registry = _registry(settings)
    registry.governance.abuse.attach(registry.workspaces.context)
    return registry


@alerts.command("list")
@click.option("--workspace", "workspace_name", default="default", show_default=True, help="The workspace of the alerts.")
@click.option("--connector", "connector_id", default=None, help="Only this connector's alerts.")
@click.option("--rule", default=None, help="Only this rule's alerts.")
@click.option("--status", type=click.Choice(["open", "resolved"]), default=None, help="Only open or resolved alerts.")
@click.option("--limit", type=click.IntRange(1, 500), default=50, show_default=True, help="Alerts per page.")
@click.option("--cursor", default=None, help="The next_cursor of the previous page.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_dir_option
def alerts_list(workspace_name, connector_id, rule, status, limit, cursor, as_json, data_dir):
    """List a workspace's alerts, newest first."""
    registry = _monitor(_settings(data_dir))
    try:
        registry.workspaces.get(workspace_name)
        page = registry.governance.abuse.alerts(workspace_name, connector_id=connector_id, rule=rule, status=status,
                                                limit=limit, cursor=cursor)
    except SandboxError as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps(page, ensure_ascii=False, indent=2))
        return
    table = _table("id", "raised (JST)", "rule", "connector", "subject", "action", "status", whole=("id", "connector"))
    for item in page["alerts"]:
        table.add_row(item["id"], item["raised_at"], item["rule"], item["connector_id"] or "", escape(item["subject"] or ""),
                      item["action"], item["status"])
    console.print(table)
    if page["next_cursor"]:
        console.print(f"more: --cursor {page['next_cursor']}")


@alerts.command("show")
@click.argument("alert_id")
@click.option("--workspace", "workspace_name", default="default", show_default=True, help="The workspace of the alerts.")
@data_dir_option
def alerts_show(alert_id, workspace_name, data_dir):
    """Show one alert: the window's figures and the requests that prove it."""
    governance = _monitor(_settings(data_dir)).governance
    try:
        alert = governance.abuse.get(workspace_name, alert_id)
    except SandboxError as error:
        _fail(error)
    alert["evidence"]["request_ids"] = governance.log.ids_of(workspace_name, alert["evidence"]["interaction_ids"])
    click.echo(json.dumps(alert, ensure_ascii=False, indent=2))


@alerts.command("resolve")
@click.argument("alert_id")
@click.option("--workspace", "workspace_name", default="default", show_default=True, help="The workspace of the alerts.")
@click.option("--note", default=None, help="What was found or done (kept with the alert).")
@data_dir_option
def alerts_resolve(alert_id, workspace_name, note, data_dir):
    """Close an open alert with a note."""
    registry = _monitor(_settings(data_dir))
    try:
        registry.governance.abuse.resolve(workspace_name, alert_id, note, registry.workspaces.context(workspace_name).now())
    except SandboxError as error:
        _fail(error)
    console.print(f"resolved {alert_id}")


@main.command()
@click.option("--profile", default="default", show_default=True, help="Seeding profile (name or YAML path).")
@click.option("--seed", type=int, default=None, help="Random seed (default 42).")
@click.option("--workspace", "name", default="default", show_default=True, help="Workspace to (re)create.")
@click.option("--as-of", default=None, help="Last day of seeded history, YYYY-MM-DD, 1970-01-01 to 2099-12-31 (default today).")
@click.option("--force", is_flag=True, help="Replace the workspace if it exists.")
@data_dir_option
def seed(profile, seed, name, as_of, force, data_dir):
    """Seed a workspace from a profile (replacing it with --force)."""
    settings = _settings(data_dir)
    workspaces = _workspaces(settings, _folder_banks(_apis(settings)))
    if workspaces.registry.exists(name):
        if not force:
            err.print(escape(f"workspace {name} exists; pass --force to replace it, or use `workspace reset {name}`"))
            sys.exit(1)
        workspaces.delete(name)
    _seed(workspaces, name, profile, seed, as_of)


def _seed(workspaces, name, profile, seed_value, as_of):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .seeding import load_profile

    try:
        chosen = load_profile(profile, workspaces.profile_dirs).with_banks(workspaces.extra_banks)
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
    console.print(f"created {escape(name)}: {len(result['banks'])} banks, {result['customers']} customers, "
                  f"{result['accounts']} accounts, {result['postings']} postings (profile {result['profile']}, seed {result['seed']})")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--specs", "specs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="An extra folder of bank specs; repeatable.")
def banks(as_json, specs):
    """List the served bank APIs: slug, name, bank code and base URL (with --json, the spec path too)."""
    settings = _settings(None, specs=tuple(Path(s) for s in specs) or None)
    apis, unavailable = _survey(settings)
    base = _server_url(settings)
    rows = [{"slug": api.slug, "name": api.title, "bank_code": api.bank_code, "base_url": f"{base}{api.mount}",
             "ui": f"{base}{api.mount}/ui/", "spec": str(api.spec_path), "bound": api.bound,
             "operations": sum(1 for _ in api.spec_operations()), "bound_operations": len(api.operations),
             "spec_version": api.source_version, "warnings": list(api.warnings)}
            for api in apis]
    missing = [{"folder": u.folder.name, "path": str(u.folder), "reason": u.reason} for u in unavailable]
    if as_json:
        click.echo(json.dumps({"banks": rows, "unavailable": missing}, ensure_ascii=False, indent=2))
        return
    table = _table("slug", "name", "bank code", "base URL", "bound", whole=("slug", "base URL"))
    for row in rows:
        table.add_row(row["slug"], escape(row["name"]), row["bank_code"] or "(all)", row["base_url"],
                      f"{row['bound_operations']}/{row['operations']}")
    console.print(table)
    for row in missing:
        console.print(f"[red]not served[/red] {escape(row['folder'])}: {escape(row['reason'])}")


@main.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check(folders, as_json):
    """Load bank folders as `serve` would and say how each operation is served; exit 1 on errors.

    FOLDERS are bank folders, or folders of bank folders (as given to `serve --specs`).
    """
    from .bindings.check import check_folders
    from .http.spec_checks import refusal

    report = check_folders([Path(f) for f in folders], refusal=refusal)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for bank in report["banks"]:
            console.print(f"[bold]{escape(bank['folder'])}[/bold]  {escape(bank['title'])} ({bank['spec_version']}, "
                          f"{escape(bank['spec'])}) at {bank['mount']}/")
            for warning in bank["warnings"]:
                console.print(f"  [yellow]warning[/yellow] {escape(warning)}")
            if bank["scopes"]:
                console.print(f"  scopes {escape(' '.join(bank['scopes']))}")
            if bank["events"] and bank["events"].get("listed_by"):  # a feed no read reads one by one
                console.print(f"  events  what kept resources go through is written as events listed by "
                              f"{escape(bank['events']['listed_by'])} ({escape(bank['events']['says'])})")
            elif bank["events"]:
                console.print(f"  events  what kept resources go through is written as events read at "
                              f"{escape(bank['events']['read'])} ({escape(bank['events']['says'])})")
            if bank.get("hosts"):  # a request sent to one of these names is this bank's (docs/bindings.md)
                console.print(f"  hosts   answers under {escape(', '.join(bank['hosts']))} too")
            if bank.get("accounts_by"):
                console.print(f"  accounts  what is kept is kept per account the header "
                              f"{escape(' or '.join(bank['accounts_by']))} acts for")
            table = _table("operation", "method", "path", "served from", "detail", whole=("operation", "path"))
            for op in bank["operations"]:
                colour = {"binding": "green", "fallback": "cyan"}.get(op["served_from"], "red")
                served = f"[{colour}]{op['served_from']}[/{colour}]"
                if console.is_terminal:
                    table.add_row(escape(op["operation"]), op["method"].upper(), escape(op["path"]), served,
                                  escape(op["detail"]))
                else:  # a log or a pipe: one line an operation, whole (a table's last column folded to nothing)
                    console.print(f"  {escape(op['operation'])}  {op['method'].upper()} {escape(op['path'])}  {served}: "
                                  f"{escape(op['detail'])}", soft_wrap=True)
            if console.is_terminal:
                console.print(table)
        for folder in report["unavailable"]:
            console.print(f"[red]cannot be served[/red] {escape(folder['folder'])}: {escape(folder['reason'])}")
        console.print(f"{report['errors']} error(s), {sum(len(b['warnings']) for b in report['banks'])} warning(s)")
    sys.exit(1 if report["errors"] else 0)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def glossary(as_json):
    """Show how each canonical term (amount, branch code, ...) is named in each bank's API."""
    from .bindings.glossary import TERMS, glossary as build

    table_data = build(_apis(_settings(None)))
    if as_json:
        click.echo(json.dumps(table_data, ensure_ascii=False, indent=2))
        return
    table = _table("term", *table_data, whole=("term",))
    for term in TERMS:
        cells = []
        for slug in table_data:
            entry = table_data[slug].get(term)
            cells.append("" if not entry else " / ".join(filter(None, [", ".join(entry["request"]), ", ".join(entry["response"])])))
        if any(cells):
            table.add_row(term, *map(escape, cells))
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
        table = _table("canonical error", "status", "bank's code", whole=("canonical error", "bank's code"),
                       title=f"{api.slug} — {escape(api.title)}")
        for row in error_table(api):
            table.add_row(row["canonical"], str(row["status"]), escape(row["bank_code"]))
        console.print(table)


def _apis(settings: Settings):
    """The bank APIs that can be served (see `_survey` for the folders that cannot)."""
    return _survey(settings)[0]


def _survey(settings: Settings, verb: str = "error"):
    """(servable APIs, unavailable folders); with `strict` on, an unavailable folder ends the command."""
    from .bindings import BindingError, Unavailable, survey

    try:
        apis, unavailable = survey((*settings.specs, shipped("specs")))
    except BindingError as error:  # a specs folder that does not exist
        err.print(f"[red]{verb}[/red]: {escape(str(error))}")
        sys.exit(2)
    # A folder of the user's that Connexion would not mount is left out here too, as each worker leaves
    # it out, so the banner does not list it and `--strict` stops before the workers start (each would
    # stop at start-up, and be started again, for ever). The shipped banks are checked by the test suite.
    given = [Path(folder).resolve() for folder in settings.specs]
    theirs = [api for api in apis if any(Path(api.folder).resolve().is_relative_to(root) for root in given)]
    if theirs:
        from .http.spec_checks import refusal  # Connexion: imported only for folders of the user's
    for api in theirs:
        reason = refusal(api)
        if reason is not None:
            apis.remove(api)
            unavailable.append(Unavailable(api.folder, reason))
    if unavailable and settings.strict:
        err.print(f"[red]{verb}[/red]: {escape(unavailable[0].reason)}")
        sys.exit(2)
    return apis, unavailable


def _folder_banks(apis, verb: str = "error") -> tuple[dict, ...]:
    """The banks the bank folders declare: every workspace created from here on is seeded with them."""
    from .bindings import BindingError, declared_banks

    try:
        return declared_banks(apis)
    except BindingError as error:  # two folders claim one bank
        err.print(f"[red]{verb}[/red]: {escape(str(error))}")
        sys.exit(2)


@main.command()
def profiles():
    """List the seeding profiles."""
    from .seeding import list_profiles

    for profile in list_profiles():
        console.print(f"[bold]{escape(profile.name)}[/bold]  {escape(profile.description)}")


@main.group()
def readiness():
    """Grade how a payment connector behaves under the failures a real bank shows it (docs/readiness.md)."""


_RESULT_STYLES = {"passed": "green", "failed": "red", "warning": "yellow", "skipped": "dim", "error": "magenta"}
server_option = click.option("--server", default=None, help="A running sandbox's URL.")
admin_token_option = click.option("--admin-token", default=None, envvar="SANDBOX_ADMIN_TOKEN",
                                  help="That sandbox's admin token (or SANDBOX_ADMIN_TOKEN).")


def _trust(context, parameter, value):
    """`--ca-file`: this process's clients, and the connectors a run starts, trust that authority too."""
    from .readiness.tls import AUTHORITY_VARIABLE

    if value:
        os.environ[AUTHORITY_VARIABLE] = str(Path(value).resolve())
    return value


ca_file_option = click.option("--ca-file", type=click.Path(exists=True, dir_okay=False), envvar="SANDBOX_TLS_AUTHORITY",
                              callback=_trust, expose_value=False, is_eager=True,
                              help="The certificate authority of a sandbox served with `serve --tls` "
                                   "(<data-dir>/tls/ca.pem): trusted by this command and by the connector it runs.")
session_option = click.option("--session", "session_id", envvar="SANDBOX_READINESS_SESSION", required=True,
                              help="The session id (or SANDBOX_READINESS_SESSION, as `readiness start` exports it).")


def _progress(result) -> None:
    style = _RESULT_STYLES[result.result]
    console.print(f"[{style}]{result.result.upper():8}[/{style}] {result.id:18} {escape(result.why)} "
                  f"[dim]({result.duration_s:.1f} s)[/dim]")


def _unreachable(error: Exception, server: str):
    """A sandbox the command cannot reach (refused, or its certificate not trusted): said plainly, exit 1."""
    hint = (" (a sandbox served with `serve --tls`: pass --ca-file <data-dir>/tls/ca.pem)"
            if "CERTIFICATE_VERIFY_FAILED" in str(error) else "")
    err.print(f"[red]error[/red] cannot reach the sandbox at {escape(server)}: {escape(str(error) or type(error).__name__)}"
              f"{escape(hint)}")
    sys.exit(1)


@contextmanager
def _readiness_control(server, admin_token):
    """A running sandbox's control plane for the session commands; a refusal ends the command with its code."""
    import httpx

    from .readiness import ControlPlane

    if not server or not admin_token:
        raise click.UsageError("this needs --server URL and --admin-token (or SANDBOX_ADMIN_TOKEN)")
    with ControlPlane(server, admin_token) as control:
        try:
            yield control
        except SandboxError as error:
            _fail(error)
        except httpx.TransportError as error:
            _unreachable(error, server)


def _readiness_outcome(report, out: Path) -> None:
    """Write the three reports, print the summary table, and exit 0 only when no check failed."""
    from rich.table import Table

    from .readiness import write_reports

    paths = write_reports(report, out)
    table = Table(title=f"readiness: {report.plan} / {report.bank}")
    table.add_column("check")
    table.add_column("result")
    for check in report.checks:
        style = _RESULT_STYLES[check.result]
        table.add_row(check.id, f"[{style}]{check.result}[/{style}]")
    console.print(table)
    console.print(" ".join(f"{name}: {count}" for name, count in report.summary.items()))
    console.print(f"reports: {', '.join(str(path) for path in paths.values())}")
    sys.exit(0 if report.ok else 1)


@readiness.command("run", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--plan", "plan_name", default="standard", show_default=True, help="A shipped plan's name, or a plan file.")
@click.option("--bank", default="hub", show_default=True,
              help="The bank API the connector pays through: a served API's slug, or a bank folder to serve.")
@click.option("--class", "connector_class", type=click.Choice(["self-use", "third-party"]), default="self-use",
              show_default=True, help="The connector's class (self-use: client credentials for its own company's "
                                      "accounts; third-party: authorization code + PKCE, the sandbox consenting "
                                      "as the customer).")
@click.option("--check", "checks", multiple=True, help="Run only this check of the plan (repeatable).")
@click.option("--out", type=click.Path(file_okay=False), default="readiness-report", show_default=True,
              help="Where report.json, junit.xml, report.html and each check's command output go.")
@click.option("--server", default=None, help="A running sandbox's URL (default: one served in this process).")
@admin_token_option
@ca_file_option
@click.option("--workspace", "workspace_name", default="readiness", show_default=True,
              help="The workspace the checks use (created when missing, reset before each check).")
@click.option("--timeout", type=click.IntRange(1, 3600), default=None,
              help="Seconds before COMMAND is stopped (default: the plan's, 60).")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def readiness_run(plan_name, bank, connector_class, checks, out, server, admin_token, workspace_name, timeout, command):
    """Run a readiness plan against COMMAND, a connector that pays once from the SANDBOX_* environment.

    \b
    bank-sandbox readiness run --bank kaede -- python my_connector.py
    Exits 0 only when no check failed. With --server, the report is also filed on that sandbox.
    """
    import tempfile

    import httpx

    from .readiness import ControlPlane, Runner, load_plan
    from .serving import serve

    if server and not admin_token:
        raise click.UsageError("--server needs --admin-token (or SANDBOX_ADMIN_TOKEN)")
    try:
        plan = load_plan(plan_name)
        plan = plan.select(checks) if checks else plan
    except SandboxError as error:
        _fail(error)
    specs, slug = (), bank
    if Path(bank).is_dir():
        if server:
            raise click.UsageError("a bank folder is served in this process: leave out --server")
        specs, slug = (Path(bank).resolve().parent,), Path(bank).name
    with tempfile.TemporaryDirectory(prefix="bank-sandbox-readiness-") as folder:
        served = None if server else serve(Path(folder), plan.clock, specs=specs)
        control = (ControlPlane(server, admin_token) if server
                   else ControlPlane(served.url, served.admin_token, settle_s=0.1))
        try:
            console.print(f"readiness plan [bold]{plan.name}[/bold] against [bold]{slug}[/bold] "
                          f"at {control.base_url}: {len(plan.checks)} checks")
            runner = Runner(control, plan, bank=slug, workspace=workspace_name, connector_class=connector_class,
                            timeout_s=timeout, on_check=_progress)
            report = runner.run(list(command), Path(out))
            if server:
                console.print(f"filed on the sandbox as {control.file_run(report.to_dict())['id']}")
        except SandboxError as error:
            _fail(error)
        except httpx.TransportError as error:
            _unreachable(error, control.base_url)
        finally:
            control.close()
            if served is not None:
                served.stop()
    _readiness_outcome(report, Path(out))


@readiness.command("start")
@server_option
@admin_token_option
@ca_file_option
@click.option("--plan", "plan_name", default="standard", show_default=True, help="A shipped plan's name.")
@click.option("--bank", default="hub", show_default=True, help="The bank API's slug.")
@click.option("--workspace", "workspace_name", default="readiness", show_default=True, help="The session's workspace.")
@click.option("--check", "checks", multiple=True, help="Only this check of the plan (repeatable).")
def readiness_start(server, admin_token, plan_name, bank, workspace_name, checks):
    """Start a readiness session for a connector you drive yourself; print its environment as shell exports.

    \b
    eval "$(bank-sandbox readiness start --server URL --admin-token T --bank kaede)"
    (make one payment attempt)  bank-sandbox readiness next --exit-code $?   ... then: readiness finish
    """
    import shlex

    with _readiness_control(server, admin_token) as control:
        session = control.start_session(plan=plan_name, bank=bank, workspace=workspace_name, checks=list(checks))
    for name, value in {**session["environment"], "SANDBOX_READINESS_SESSION": session["id"]}.items():
        click.echo(f"export {name}={shlex.quote(value)}")
    err.print(f"session {session['id']}: try check [bold]{session['check']['id']}[/bold] "
              f"({session['check']['number']} of {session['check']['of']})")


@readiness.command("next")
@server_option
@admin_token_option
@ca_file_option
@session_option
@click.option("--exit-code", type=click.IntRange(0, 255), required=True,
              help="How the attempt at the current check ended: 0 paid, other gave up.")
def readiness_next(server, admin_token, session_id, exit_code):
    """Grade the attempt at the session's current check and arrange the next one."""
    with _readiness_control(server, admin_token) as control:
        session = control.next_check(session_id, exit_code)
    graded = session["results"][-1]
    console.print(f"{graded['id']}: [{_RESULT_STYLES[graded['result']]}]{graded['result']}[/] {escape(graded['why'])}")
    if session["check"]:
        console.print(f"next: [bold]{session['check']['id']}[/bold] ({session['check']['number']} of {session['check']['of']})")
    else:
        console.print("every check was tried: bank-sandbox readiness finish")


@readiness.command("finish")
@server_option
@admin_token_option
@ca_file_option
@session_option
@click.option("--exit-code", type=click.IntRange(0, 255), default=None,
              help="How the attempt at the current check ended, if there was one.")
@click.option("--out", type=click.Path(file_okay=False), default="readiness-report", show_default=True,
              help="Where report.json, junit.xml and report.html go.")
def readiness_finish(server, admin_token, session_id, exit_code, out):
    """Finish a readiness session: grade, file the report on the sandbox and write it to OUT."""
    from .readiness import Report

    with _readiness_control(server, admin_token) as control:
        report = control.finish_session(session_id, exit_code)
    console.print(f"filed on the sandbox as {report['id']}")
    _readiness_outcome(Report.from_dict(report), Path(out))


if __name__ == "__main__":  # pragma: no cover
    main()
