"""Typed Python clients generated from a bank's spec, ready to talk to the sandbox they came from.

openapi-python-client writes the typed client (models, one module per operation). It names a package
after the spec's title, which for a Japanese bank is kanji no installer accepts, takes the spec's
version as the package's even when pip cannot read it, and ignores the spec's servers; so the package
is named from the bank's slug (`kaede-client`, `import kaede_client`), versioned in PEP 440 terms, and
the sandbox adds three files of its own: `server.py` (the base URL the client was generated for,
and a client-credentials token helper), the package's `__init__.py` (which exports them) and a README
that says where the bank is, how to get a token and which operation lives in which module.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2

from ..bindings.spec import served_at

_env = jinja2.Environment(loader=jinja2.PackageLoader("sandbox.sdk", "templates"), autoescape=False,
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_env.filters["py"] = repr  # a value as a Python literal in the generated code


class SdkError(Exception):
    """The client could not be generated (the generator is missing or refused the spec)."""


def client_names(slug: str) -> tuple[str, str]:
    """The client's distribution and import names, from the bank's slug: `kaede-client` / `kaede_client`."""
    words = re.sub(r"[^a-z0-9]+", "_", slug.lower()).strip("_") or "bank"
    words = f"bank_{words}" if words[0].isdigit() else words
    return f"{words.replace('_', '-')}-client", f"{words}_client"


def client_version(spec: dict) -> str:
    """A version pip accepts, from the spec's `info.version`: `3.1.0-hsz.1` becomes `3.1.0+hsz.1`.

    Specs version themselves as their authors like; the packaging tools take PEP 440 versions only.
    """
    version = str((spec.get("info") or {}).get("version") or "0")
    release = re.match(r"\d+(?:\.\d+)*", version)
    if release is None:
        return "0+" + (re.sub(r"[^a-z0-9]+", ".", version.lower()).strip(".") or "0")
    rest = re.sub(r"[^a-z0-9]+", ".", version[release.end():].lower()).strip(".")
    return f"{release.group()}+{rest}" if rest else release.group()


def without_name_clashes(spec: dict) -> dict:
    """A copy of the spec in which no inline object takes the generated name of a component schema.

    The generator names an object declared inline in a component's property after both (the `payee` of
    `Transfer` becomes `TransferPayee`); when a component already has that name it drops the enclosing
    model and every model built on it, and the operations answering them lose their types. Such an
    inline object gets a title that keeps it apart (`TransferPayeeInline`); the spec on disk is untouched.
    """
    schemas = (spec.get("components") or {}).get("schemas") or {}
    clashes = [(parent, name) for parent, schema in schemas.items() if isinstance(schema, dict)
               for name, prop in (schema.get("properties") or {}).items()
               if isinstance(prop, dict) and "$ref" not in prop and prop.get("type") == "object" and "title" not in prop
               and _pascal(parent) + _pascal(name) in schemas]
    if not clashes:
        return spec
    spec = json.loads(json.dumps(spec))
    for parent, name in clashes:
        spec["components"]["schemas"][parent]["properties"][name]["title"] = f"{name} inline"
    return spec


def _pascal(text: str) -> str:
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", text)
    return "".join(word[:1].upper() + word[1:] for word in words)


def generator() -> str | None:
    """The openapi-python-client command beside this Python, else on PATH; None when it is not installed."""
    beside = Path(sys.executable).parent / "openapi-python-client"
    return str(beside) if beside.exists() else shutil.which("openapi-python-client")


def generate_python(api, out: Path, server_url: str) -> str:
    """Write a pip-installable client for `api` (a served BankApi) into `out`; answer its import name.

    `server_url` is the sandbox's root (`http://127.0.0.1:8000`): the client's default base URL is the
    bank's mount under it, and its token helper asks that server's `/oauth/token`.
    """
    command = generator()
    if command is None:
        raise SdkError(f"openapi-python-client is not installed: {Path(sys.executable).parent / 'pip'} install "
                       "'openapi-python-client>=0.21' (the sdk extra: pip install -e '.[sdk]' in the sandbox's clone)")
    server_url = server_url.rstrip("/")
    base_url = f"{server_url}{api.mount}"
    project, package = client_names(api.slug)
    with tempfile.TemporaryDirectory() as work:
        spec_path = Path(work) / "openapi.json"
        spec = served_at(without_name_clashes(api.spec), base_url)
        spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        config_path = Path(work) / "config.json"
        config_path.write_text(json.dumps({"project_name_override": project, "package_name_override": package,
                                           "package_version_override": client_version(api.spec)}))
        # The generator's post hooks (ruff) are found beside it.
        env = {**os.environ, "PATH": f"{Path(command).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        result = subprocess.run([command, "generate", "--path", str(spec_path), "--config", str(config_path),
                                 "--output-path", str(out), "--overwrite"], capture_output=True, text=True, env=env)
    if result.returncode != 0 or not (out / package / "client.py").is_file():
        raise SdkError(f"the generator failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    values = {"api": api, "title": api.title, "project": project, "package": package, "server_url": server_url,
              "base_url": base_url, "token_url": f"{server_url}/oauth/token",
              "metadata_url": f"{server_url}/.well-known/oauth-authorization-server",
              "operations": operations(out / package), "scopes": _scopes(api.spec)}
    for template, target in (("server.py.jinja", out / package / "server.py"),
                             ("package_init.py.jinja", out / package / "__init__.py"),
                             ("README.md.jinja", out / "README.md")):
        target.write_text(_env.get_template(template).render(values), encoding="utf-8")
    return package


def operations(package_dir: Path) -> list[dict]:
    """Every operation module of a generated client: its import path, and the summary its docstring opens with."""
    found = []
    for path in sorted((package_dir / "api").glob("*/*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        sync = next((node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "sync_detailed"), None)
        doc = (ast.get_docstring(sync) or "") if sync else ""
        found.append({"module": f"{package_dir.name}.api.{path.parent.name}", "name": path.stem,
                      "summary": doc.strip().splitlines()[0].strip() if doc.strip() else ""})
    return found


def _scopes(spec: dict) -> list[str]:
    """The OAuth scopes the spec's security schemes name, in the order they appear."""
    scopes = []
    for scheme in ((spec.get("components") or {}).get("securitySchemes") or {}).values():
        for flow in ((scheme or {}).get("flows") or {}).values():
            scopes += [name for name in (flow or {}).get("scopes") or {} if name not in scopes]
    return scopes
