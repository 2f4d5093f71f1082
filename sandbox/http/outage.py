"""Database outages, as a caller sees them: 503 with Retry-After in the caller's own dialect, never a 500.

While the database cannot be reached (PostgreSQL down or restarting, a SQLite file locked past the
busy timeout or unreadable), nothing can be decided, so nothing is: the transaction that met the
outage rolled back, and the caller is told to come back shortly. A bank API answers in its own error
format (its `maintenance` error, the one banks use when their core is away), the control plane with
an RFC 7807 problem. The replica itself stays up and serves again on the first request after the
database returns; it keeps no state that would need a restart. Which exceptions are an outage is the
store's knowledge (`sandbox.store.errors.unavailable`); this module only answers them.
"""

from __future__ import annotations

import json
import logging

from connexion.middleware.exceptions import ExceptionMiddleware
from starlette.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from ..store.errors import OUTAGE_TYPES, unavailable

# Seconds a caller is asked to wait: a restarting database or a released lock is usually back by then.
RETRY_AFTER_S = 2
DETAIL = "the sandbox cannot reach its database right now; nothing was changed, retry in a moment"

log = logging.getLogger(__name__)

__all__ = ["DETAIL", "OUTAGE_TYPES", "RETRY_AFTER_S", "error_handler", "guard_flask", "refusal", "unavailable"]


def refusal() -> HTTPException:
    """The 503 an outage is answered with (rendered by the app's usual early-refusal renderer)."""
    return HTTPException(503, detail=DETAIL, headers={"Retry-After": str(RETRY_AFTER_S)})


def error_handler(render):
    """A Connexion error handler for OUTAGE_TYPES: an outage becomes `render(request, refusal())`.

    The same exception classes also carry real bugs (a malformed query is a sqlite3.OperationalError
    too): those keep Connexion's own handling, a logged 500.
    """

    def handle(request, error):
        if not unavailable(error):
            return ExceptionMiddleware.common_error_handler(request, error)
        log.warning("database unavailable (%s); answered 503", error)
        return render(request, refusal())

    return handle


def guard_flask(app):
    """Answer outages in a Flask app (the OAuth server, the console) the same way; returns the app.

    Flask turns an unhandled exception into its own 500 page before any outer middleware could see
    it, so the app gets the handler itself. The body is OAuth's `temporarily_unavailable` error
    (RFC 6749, section 4.1.2.1), which a client library reports as such.
    """

    def handle(error):
        if not unavailable(error):
            app.logger.error("unhandled error", exc_info=error)
            return InternalServerError()
        log.warning("database unavailable (%s); answered 503", error)
        body = {"error": "temporarily_unavailable", "error_description": DETAIL}
        return app.response_class(json.dumps(body), status=503, mimetype="application/json",
                                  headers={"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store"})

    for kind in OUTAGE_TYPES:
        app.register_error_handler(kind, handle)
    return app
