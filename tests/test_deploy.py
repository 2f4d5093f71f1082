"""The deployment files under deploy/ and the readiness probe they rely on.

The Kubernetes manifests are checked against the Kubernetes API's own schemas with kubernetes-validate
(strict: an unknown field is an error), offline; CloudNativePG's Cluster, which those schemas do not
know, is checked for the fields the overlay relies on. The kustomizations are rendered with kubectl or
kustomize where one is installed, and always checked for files that exist and are listed. The compose
file and HAProxy's configuration are checked for what makes the scale-out work (HAProxy itself checks
its file where it is installed). Claims are held to the code: every SANDBOX_* variable the files set is
a setting the sandbox reads, and the ConfigMap's banks are loaded and served. `/readyz` is probed on
real servers: one whose data directory is taken away, one whose PostgreSQL database stops taking
connections, and `bank-sandbox serve` run on a read-only root (both engines), as the Deployment runs it.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

import live_server
from engines import database_url, postgres  # noqa: F401 - fixtures: the PostgreSQL server, and both engines
from sandbox.bindings import survey
from sandbox.settings import Settings

kubernetes_validate = pytest.importorskip("kubernetes_validate", reason="pip install -e '.[test]' brings kubernetes-validate")

ROOT = Path(__file__).resolve().parent.parent
KUBE = ROOT / "deploy" / "kubernetes"
BASE = KUBE / "base"
OVERLAY = KUBE / "overlays" / "with-postgres"
COMPOSE = ROOT / "deploy" / "compose"
# The oldest Kubernetes the manifests are meant for, and the newest the installed schemas know.
KUBE_VERSIONS = ("1.30.0", kubernetes_validate.latest_version())
CNPG = "postgresql.cnpg.io/v1"
SETTINGS = {f"SANDBOX_{f.name.upper()}" for f in dataclasses.fields(Settings)}


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def _patches() -> set[Path]:
    """The overlays' patches: parts of a manifest, checked once applied (below), not on their own."""
    return {(path.parent / patch["path"]).resolve() for path in KUBE.rglob("kustomization.yaml")
            for patch in yaml.safe_load(path.read_text(encoding="utf-8")).get("patches", [])}


def _manifests() -> list[tuple[str, int, dict]]:
    """Every document of every manifest file (not the kustomizations, which are kustomize's own)."""
    found = []
    for path in sorted(KUBE.rglob("*.yaml")):
        if path.name != "kustomization.yaml" and path.resolve() not in _patches():
            found += [(path.relative_to(ROOT).as_posix(), i, doc) for i, doc in enumerate(_documents(path))]
    return found


def _one(kind: str, folder: Path = BASE) -> dict:
    docs = [doc for path in folder.glob("*.yaml") if path.name != "kustomization.yaml"
            for doc in _documents(path) if doc["kind"] == kind]
    assert len(docs) == 1, f"{folder}: expected one {kind}, found {len(docs)}"
    return docs[0]


def _container(deployment: dict) -> dict:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return container


def _env(container: dict) -> dict:
    return {item["name"]: item for item in container.get("env", [])}


def _labels_match(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


# --- Kubernetes ----------------------------------------------------------------------------------

MANIFESTS = _manifests()


@pytest.mark.parametrize("version", KUBE_VERSIONS)
@pytest.mark.parametrize("where, index, doc", MANIFESTS, ids=[f"{w}#{i}" for w, i, _ in MANIFESTS])
def test_kubernetes_manifest_validates_strictly(where, index, doc, version):
    if doc["apiVersion"] == CNPG:  # a custom resource: not in the API's schemas (checked below)
        with pytest.raises(kubernetes_validate.SchemaNotFoundError):
            kubernetes_validate.validate(doc, version, strict=True)
        return
    kubernetes_validate.validate(doc, version, strict=True)


def test_kubernetes_manifests_cover_every_kind_the_deployment_needs():
    kinds = {doc["kind"] for where, _, doc in MANIFESTS if where.startswith("deploy/kubernetes/base/")}
    assert kinds == {"Deployment", "Service", "Ingress", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ConfigMap"}


def test_kubernetes_cnpg_cluster_has_what_the_overlay_relies_on():
    (cluster,) = [doc for _, _, doc in MANIFESTS if doc["apiVersion"] == CNPG]
    assert cluster["kind"] == "Cluster" and set(cluster) == {"apiVersion", "kind", "metadata", "spec"}
    spec = cluster["spec"]
    assert isinstance(spec["instances"], int) and spec["instances"] >= 2, "a primary and at least one standby"
    assert re.fullmatch(r"\d+(Gi|Mi|Ti)", spec["storage"]["size"])
    owner = spec["bootstrap"]["initdb"]
    assert owner["database"] and owner["owner"]
    major = re.search(r":(\d+)", spec.get("imageName", ":16")).group(1)
    assert int(major) >= 14, "the sandbox needs PostgreSQL 14 or newer"
    # CloudNativePG names the application user's Secret `<cluster>-app`, with the URL under `uri`.
    url = _env(_container(_patched_deployment()))["SANDBOX_DATABASE_URL"]
    assert url["valueFrom"]["secretKeyRef"] == {"name": f"{cluster['metadata']['name']}-app", "key": "uri"}


def _patched_deployment() -> dict:
    """The base Deployment with the overlay's patch applied as kustomize merges it (env entries by name)."""
    (patch,) = _documents(OVERLAY / "database-url.yaml")
    deployment = copy.deepcopy(_one("Deployment"))
    assert patch["kind"] == "Deployment" and patch["metadata"]["name"] == deployment["metadata"]["name"]
    (patched,) = patch["spec"]["template"]["spec"]["containers"]
    container = _container(deployment)
    assert patched["name"] == container["name"] and set(patched) == {"name", "env"}
    replaced = {item["name"]: item for item in patched["env"]}
    assert set(replaced) <= set(_env(container)), "the patch replaces settings the base sets"
    container["env"] = [replaced.get(item["name"], item) for item in container["env"]]
    return deployment


@pytest.mark.parametrize("version", KUBE_VERSIONS)
def test_kubernetes_overlay_patch_gives_a_valid_deployment(version):
    kubernetes_validate.validate(_patched_deployment(), version, strict=True)


def test_kubernetes_deployment_rolls_out_without_downtime():
    deployment = _one("Deployment")
    spec, pod = deployment["spec"], deployment["spec"]["template"]["spec"]
    container = _container(deployment)
    assert spec["replicas"] == 3
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    assert _labels_match(spec["selector"]["matchLabels"], spec["template"]["metadata"]["labels"])
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] in ports
    env = _env(container)
    assert int(env["SANDBOX_PORT"]["value"]) in ports.values()
    assert env["FORWARDED_ALLOW_IPS"]["value"] == "*", "behind the ingress, the client is in X-Forwarded-For"
    # The pod keeps serving while the endpoints go, then has time to drain after SIGTERM.
    command = container["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep" and 0 < int(command[1]) < pod["terminationGracePeriodSeconds"] - 10


def test_kubernetes_deployment_is_locked_down():
    deployment = _one("Deployment")
    pod = deployment["spec"]["template"]["spec"]
    container = _container(deployment)
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    assert pod["automountServiceAccountToken"] is False
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    # What the server writes (its data directory, temporary files) is on emptyDirs; the rest is read-only.
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
    env = _env(container)
    for path in (env["SANDBOX_DATA_DIR"]["value"], env["TMPDIR"]["value"]):
        assert "emptyDir" in volumes[mounts[path]], path


def test_kubernetes_deployment_uses_the_image_user():
    """runAsNonRoot needs a numeric USER in the image, and it is the user the pod runs as."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    user = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)[-1]
    assert re.fullmatch(r"\d+(:\d+)?", user), f"Dockerfile USER {user!r} is not numeric"
    pod = _one("Deployment")["spec"]["template"]["spec"]
    assert user.split(":")[0] == str(pod["securityContext"]["runAsUser"])
    data_dir = re.search(r"SANDBOX_DATA_DIR=(\S+)", dockerfile).group(1)
    assert _env(_container(_one("Deployment")))["SANDBOX_DATA_DIR"]["value"] == data_dir


def test_kubernetes_deployment_sets_only_real_settings_and_commits_no_secret():
    for deployment in (_one("Deployment"), _patched_deployment()):
        for name, item in _env(_container(deployment)).items():
            assert not name.startswith("SANDBOX_") or name in SETTINGS, f"{name} is no setting of the sandbox"
            if re.search(r"TOKEN|URL|PASSWORD|SECRET", name):
                assert set(item) == {"name", "valueFrom"} and "secretKeyRef" in item["valueFrom"], name
    assert not [doc for _, _, doc in MANIFESTS if doc["kind"] == "Secret"], "secret values are never committed"


def test_kubernetes_service_ingress_budget_and_autoscaler_point_at_the_deployment():
    deployment, service = _one("Deployment"), _one("Service")
    pods = deployment["spec"]["template"]["metadata"]["labels"]
    assert _labels_match(service["spec"]["selector"], pods)
    port_names = {port["name"] for port in _container(deployment)["ports"]}
    assert all(port["targetPort"] in port_names for port in service["spec"]["ports"])

    ingress = _one("Ingress")
    backends = [path["backend"]["service"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    service_ports = {port["name"] for port in service["spec"]["ports"]}
    assert backends and all(b["name"] == service["metadata"]["name"] and b["port"]["name"] in service_ports for b in backends)
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
    assert ingress["spec"]["tls"] and all(tls["secretName"] and set(tls["hosts"]) <= hosts for tls in ingress["spec"]["tls"])

    budget = _one("PodDisruptionBudget")
    assert _labels_match(budget["spec"]["selector"]["matchLabels"], pods)
    assert 0 < budget["spec"]["minAvailable"] < deployment["spec"]["replicas"]

    scaler = _one("HorizontalPodAutoscaler")
    target = scaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert scaler["spec"]["minReplicas"] == deployment["spec"]["replicas"] <= scaler["spec"]["maxReplicas"]
    assert budget["spec"]["minAvailable"] < scaler["spec"]["minReplicas"]


def test_kubernetes_kustomizations_list_every_file_and_only_files_that_exist():
    for folder in (BASE, OVERLAY):
        kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
        assert kustomization["kind"] == "Kustomization"
        listed = [*kustomization.get("resources", []), *(p["path"] for p in kustomization.get("patches", []))]
        for entry in listed:
            assert (folder / entry).exists(), f"{folder}: {entry} is listed but does not exist"
        files = {path.name for path in folder.glob("*.yaml")} - {"kustomization.yaml"}
        assert files <= {Path(entry).name for entry in listed if not entry.startswith("..")}, f"{folder}: unlisted files"
    assert "../../base" in yaml.safe_load((OVERLAY / "kustomization.yaml").read_text())["resources"]


def _kustomize(folder: Path) -> list[dict]:
    if shutil.which("kubectl"):
        command = ["kubectl", "kustomize", str(folder)]
    elif shutil.which("kustomize"):
        command = ["kustomize", "build", str(folder)]
    else:
        pytest.skip("neither kubectl nor kustomize is installed; the kustomizations' file lists are checked above")
    rendered = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rendered.returncode == 0, rendered.stderr
    return [doc for doc in yaml.safe_load_all(rendered.stdout) if doc]


@pytest.mark.parametrize("folder, secret", [(BASE, {"name": "bank-sandbox-database", "key": "url"}),
                                            (OVERLAY, {"name": "sandbox-db-app", "key": "uri"})], ids=["base", "with-postgres"])
def test_kubernetes_kustomization_renders_valid_manifests(folder, secret):
    docs = _kustomize(folder)
    for doc in docs:
        if doc["apiVersion"] != CNPG:
            kubernetes_validate.validate(doc, KUBE_VERSIONS[-1], strict=True)
    (deployment,) = [doc for doc in docs if doc["kind"] == "Deployment"]
    env = _env(_container(deployment))
    assert env["SANDBOX_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == secret
    assert [e for e in _container(deployment)["env"] if e["name"] == "SANDBOX_DATABASE_URL"] == [env["SANDBOX_DATABASE_URL"]]
    assert _container(deployment)["image"].startswith("bank-sandbox:")
    assert (CNPG in {doc["apiVersion"] for doc in docs}) == (folder == OVERLAY)


# --- the ConfigMap of extra banks ------------------------------------------------------------------

def _bank_specs_folder(into: Path) -> Path:
    """Lay the ConfigMap out as the Deployment's volume does, at the place SANDBOX_SPECS names."""
    deployment = _one("Deployment")
    container = _container(deployment)
    (volume,) = [v for v in deployment["spec"]["template"]["spec"]["volumes"] if "configMap" in v]
    config_map = _one("ConfigMap")
    assert volume["configMap"]["name"] == config_map["metadata"]["name"]
    items = volume["configMap"]["items"]
    assert sorted(item["key"] for item in items) == sorted(config_map["data"]), "every key laid out, and only keys"
    (mount,) = [m for m in container["volumeMounts"] if m["name"] == volume["name"]]
    assert _env(container)["SANDBOX_SPECS"]["value"] == mount["mountPath"], "serve looks where the ConfigMap is"
    folder = into / "specs"
    for item in items:
        bank, _, name = item["path"].partition("/")
        assert item["key"] == f"{bank}.{name}" and "/" not in name, item
        (folder / bank).mkdir(parents=True, exist_ok=True)
        (folder / bank / name).write_text(config_map["data"][item["key"]], encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def configmap_server(tmp_path_factory):
    """A real server given the ConfigMap's banks the way the Deployment gives them (SANDBOX_SPECS)."""
    place = tmp_path_factory.mktemp("deploy")
    specs = _bank_specs_folder(place)
    with live_server.running(place / "data", specs=(specs,), strict=True) as server:
        yield server


def test_bank_specs_configmap_holds_servable_bank_folders(tmp_path):
    apis, unavailable = survey([_bank_specs_folder(tmp_path)])
    assert not unavailable, unavailable
    assert [api.slug for api in apis] == ["kumo"] and apis[0].operations


def test_bank_specs_configmap_bank_answers_from_the_ledger(configmap_server):
    with configmap_server.admin() as admin:
        account = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 1}).json()["accounts"][0]
        answer = httpx.get(f"{configmap_server.url}/banks/kumo/accounts/{account['id']}/balance", timeout=30)
        assert answer.status_code == 200, answer.text
        assert answer.json()["balance"] == account["balance"] and answer.json()["accountId"] == account["id"]
        missing = httpx.get(f"{configmap_server.url}/banks/kumo/accounts/acc_missing/balance", timeout=30)
        assert missing.status_code == 404 and missing.json()["code"] == "KUMO-account_not_found"


# --- /readyz -------------------------------------------------------------------------------------

def test_readyz_answers_200_while_the_store_is_usable(configmap_server):
    answer = httpx.get(f"{configmap_server.url}/readyz", timeout=10)
    assert answer.status_code == 200 and answer.json() == {"status": "ready"}
    assert httpx.get(f"{configmap_server.url}/healthz", timeout=10).status_code == 200


def test_readyz_answers_503_problem_when_the_data_directory_cannot_be_used(configmap_server):
    data_dir = Path(configmap_server.settings.data_dir)
    away = data_dir.with_name(data_dir.name + ".away")
    data_dir.rename(away)
    data_dir.write_text("not a directory")  # what was the data directory cannot be used at all
    try:
        answer = httpx.get(f"{configmap_server.url}/readyz", timeout=10)
        alive = httpx.get(f"{configmap_server.url}/healthz", timeout=10)
    finally:
        data_dir.unlink()
        away.rename(data_dir)
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"].isdigit()
    problem = answer.json()
    assert problem["status"] == 503 and problem["title"] and "store" in problem["detail"]
    assert str(data_dir) not in answer.text, "the answer does not show the server's paths to anyone who asks"
    assert alive.status_code == 200, "alive, only not ready: liveness must not restart it"
    # Back by itself once the directory is back: no restart.
    assert httpx.get(f"{configmap_server.url}/readyz", timeout=10).status_code == 200


def test_readyz_on_postgresql_answers_503_while_the_database_refuses_and_200_once_it_is_back(postgres, tmp_path):
    """A replica whose database stops taking connections is taken out of rotation, and comes back by itself."""
    import psycopg

    url = postgres.new_database()
    name = url.rsplit("/", 1)[1].split("?")[0]

    def admit(allowed: bool) -> None:
        with psycopg.connect(postgres.admin_url, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}')
            if not allowed:  # and cut the connections it has: what a restarting server does
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))

    server = live_server.start(tmp_path / "data", database_url=url)
    try:
        assert httpx.get(f"{server.url}/readyz", timeout=10).status_code == 200
        admit(False)
        answer = httpx.get(f"{server.url}/readyz", timeout=10)
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json" and answer.headers["retry-after"].isdigit()
        assert "postgresql://" not in answer.text and name not in answer.text
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
        admit(True)
        assert _eventually_ready(server.url), "the replica did not come back by itself"
    finally:
        admit(True)
        server.stop()
        postgres.drop_database(url)


def _eventually_ready(url: str, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if httpx.get(f"{url}/readyz", timeout=10).status_code == 200:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("unshare"),
                    reason="a read-only root is arranged in a private mount namespace, which needs root and unshare")
def test_serve_runs_on_a_read_only_root_with_only_its_data_dir_and_tmp_writable(tmp_path, database_url):
    """As in the Deployment: the root filesystem read-only, the data directory and the temporary files' directory empty scratch mounts."""
    port = live_server.free_port()
    executable = Path(sys.executable).parent / "bank-sandbox"
    # The scratch space for temporary files is mounted on /mnt and named by TMPDIR, not mounted over
    # /tmp: a checkout (and its virtualenv) under /tmp would disappear beneath it.
    script = ("mount --bind / / && mount -o remount,bind,ro / && mount -t tmpfs scratch /srv && mount -t tmpfs tmp /mnt "
              f"&& exec {executable} serve")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_DATA_DIR": "/srv",
           "SANDBOX_PORT": str(port), "SANDBOX_HOST": "127.0.0.1", "SANDBOX_STRICT": "true",
           "SANDBOX_ADMIN_TOKEN": live_server.ADMIN_TOKEN, "TMPDIR": "/mnt", "HOME": "/nonexistent",
           **({"SANDBOX_DATABASE_URL": database_url} if database_url else {})}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                                   cwd="/", env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        assert live_server.wait_healthy(url, seconds=120), log.read_text()[-3000:]
        assert httpx.get(f"{url}/readyz", timeout=10).status_code == 200, log.read_text()[-3000:]
        accounts = httpx.get(f"{url}/sandbox/v1/workspaces/default/accounts", params={"limit": 1}, timeout=30,
                             headers={"Authorization": f"Bearer {live_server.ADMIN_TOKEN}"})
        assert accounts.status_code == 200 and accounts.json()["accounts"], accounts.text
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Read-only file system" not in log.read_text(), log.read_text()[-3000:]


# --- Compose and HAProxy -------------------------------------------------------------------------

def _compose() -> dict:
    return yaml.safe_load((COMPOSE / "compose.yaml").read_text(encoding="utf-8"))


def _haproxy_sections() -> dict[str, list[str]]:
    sections, current = {}, None
    for raw in (COMPOSE / "haproxy.cfg").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not raw[0].isspace():
            current = sections.setdefault(line.strip(), [])
        else:
            current.append(line.strip())
    return sections


def test_compose_scale_file_runs_replicas_on_postgres_behind_haproxy():
    services = _compose()["services"]
    assert set(services) == {"postgres", "sandbox", "haproxy"}
    postgres, sandbox, haproxy = services["postgres"], services["sandbox"], services["haproxy"]
    assert re.fullmatch(r"postgres:(\d+)(\..*)?", postgres["image"]) and int(postgres["image"].split(":")[1].split(".")[0]) >= 14
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert sandbox["deploy"]["replicas"] == 3
    assert sandbox["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "/readyz" in " ".join(sandbox["healthcheck"]["test"])
    assert "ports" not in sandbox, "replicas are reached through HAProxy only (and --scale needs no host ports)"
    assert sandbox["read_only"] is True and {"/tmp"} <= {t.split(":")[0] for t in sandbox["tmpfs"]}
    env = sandbox["environment"]
    assert all(name in SETTINGS for name in env if name.startswith("SANDBOX_")), env
    url = re.fullmatch(r"postgresql://(\w+):\$\{POSTGRES_PASSWORD[^}]*\}@(\w+):5432/(\w+)", env["SANDBOX_DATABASE_URL"])
    assert url and url.group(2) == "postgres" and url.groups()[0::2] == (postgres["environment"]["POSTGRES_USER"],
                                                                          postgres["environment"]["POSTGRES_DB"])
    assert "${" in env["SANDBOX_ADMIN_TOKEN"] and "${" in postgres["environment"]["POSTGRES_PASSWORD"], "no secret committed"
    # Docker mounts a tmpfs as root's: the data directory's must belong to the image's user to be written.
    (data,) = [t for t in sandbox["tmpfs"] if t.split(":")[0] == "/data"]
    user = re.findall(r"^USER\s+(\d+)", (ROOT / "Dockerfile").read_text(encoding="utf-8"), re.M)[-1]
    assert f"uid={user}" in data.split(":", 1)[1].split(","), data
    assert haproxy["image"].startswith("haproxy:")
    (config,) = [v for v in haproxy["volumes"] if v.startswith("./haproxy.cfg:")]
    assert config.split(":")[1] == "/usr/local/etc/haproxy/haproxy.cfg"
    assert (ROOT / "deploy" / "compose" / "haproxy.cfg").exists()


def test_compose_haproxy_sends_only_to_ready_sandbox_replicas():
    sections = _haproxy_sections()
    sandbox = _compose()["services"]["sandbox"]
    (backend,) = [lines for name, lines in sections.items() if name.startswith("backend ")]
    assert "http-check send meth GET uri /readyz" in backend and "http-check expect status 200" in backend
    (common,) = [lines for name, lines in sections.items() if name == "defaults"]
    assert "option forwardfor" in common + backend and sandbox["environment"]["FORWARDED_ALLOW_IPS"] == "*"
    servers = [line.split() for line in backend if line.startswith(("server ", "server-template "))]
    assert servers
    for words in servers:
        host, port = words[3 if words[0] == "server-template" else 2].split(":")
        assert host == "sandbox" and port == str(sandbox["environment"]["SANDBOX_PORT"])
    defaults = " ".join(line for line in backend if line.startswith("default-server"))
    assert all(" check" in f" {' '.join(words)} {defaults}" for words in servers)
    (frontend,) = [lines for name, lines in sections.items() if name.startswith("frontend ")]
    bind = next(line for line in frontend if line.startswith("bind ")).split()[1]
    published = _compose()["services"]["haproxy"]["ports"][0].rsplit(":", 1)[1]
    assert bind.rsplit(":", 1)[1] == published


@pytest.mark.skipif(not shutil.which("haproxy"), reason="HAProxy is not installed (Debian: apt-get install haproxy)")
def test_compose_haproxy_config_is_valid_for_haproxy():
    checked = subprocess.run(["haproxy", "-c", "-f", str(COMPOSE / "haproxy.cfg")], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_deploy_docs_patch_the_bank_specs_volume_where_it_is():
    """docs/deploy.md adds a bank's keys by the volume's index in the Deployment: the index must be right."""
    volumes = _one("Deployment")["spec"]["template"]["spec"]["volumes"]
    (index,) = [i for i, volume in enumerate(volumes) if "configMap" in volume]
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    named = set(re.findall(r"/spec/template/spec/volumes/(\d+)/configMap", docs))
    assert named == {str(index)}


def _compose_command() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


@pytest.mark.skipif(_compose_command() is None, reason="neither `docker compose` nor `docker-compose` is installed")
def test_compose_scale_file_is_valid_for_compose():
    """Compose's own reading of the file (no engine needed): it parses, interpolates and needs both secrets."""
    command = [*_compose_command(), "-f", str(COMPOSE / "compose.yaml"), "config", "-q"]
    env = {k: v for k, v in os.environ.items() if k not in ("POSTGRES_PASSWORD", "SANDBOX_ADMIN_TOKEN")}
    checked = subprocess.run(command, capture_output=True, text=True, timeout=60,
                             env={**env, "POSTGRES_PASSWORD": "p", "SANDBOX_ADMIN_TOKEN": "t" * 32})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    refused = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert refused.returncode != 0 and "POSTGRES_PASSWORD" in refused.stdout + refused.stderr
