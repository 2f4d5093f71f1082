"""The readiness probe: `/readyz` answers 200 only while this server can use its store.

Liveness (`/healthz`) says the process answers at all; readiness says a request would find its data.
A load balancer or Kubernetes sends traffic only to ready replicas, so the probe opens the control
store the way the server does at start (SQLite files under the data directory, or the PostgreSQL
database of `database_url`), which brings its schema up to date or finds it so, and reads from it.
It opens afresh because a SQLite connection kept from earlier goes on reading files that are gone and
would hide the failure; on PostgreSQL the read is a round trip to the server on the probe's own
connection, which reconnects by itself once the server is back.

The probe runs on one thread of its own, so it never holds more than one database connection and a
stuck database never ties up the threads that serve requests; its answer is bounded in time either
way. An unusable store is a 503 problem document with Retry-After, never a 500: saying so is the
probe's job. The answer names only the kind of failure (anyone may call the probe); the log has the
whole message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from starlette.responses import JSONResponse, Response

from ..settings import Settings
from ..store.workspaces import open_registry
from .problems import problem_body

log = logging.getLogger(__name__)
RETRY_AFTER_S = 5
# Below the Deployment's probe timeout (3 s), so the probe answers 503 itself rather than time out.
TIMEOUT_S = 2.5


def check_store(settings: Settings) -> None:
    """Open the control store (migrating it if need be) and read from it; raise whatever stops that."""
    registry = open_registry(settings.data_dir, settings.database_url)
    registry.exists(settings.default_workspace)  # the answer does not matter, the read does


def readiness_view(settings: Settings):
    """The `/readyz` view for a server with these settings."""
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readyz")

    async def readyz(request):
        try:
            await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(worker, check_store, settings), TIMEOUT_S)
        except Exception as error:  # noqa: BLE001 - any failure to use the store means: not ready
            kind = "no answer in time" if isinstance(error, asyncio.TimeoutError) else type(error).__name__
            log.warning("not ready: %s: %s", kind, error)
            body = problem_body(503, "Service Unavailable", f"the store cannot be used ({kind})")
            return Response(json.dumps(body, ensure_ascii=False), status_code=503, media_type="application/problem+json",
                            headers={"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store"})
        return JSONResponse({"status": "ready"}, headers={"Cache-Control": "no-store"})

    return readyz
