"""Bindings: a bank's OpenAPI spec plus a data file that maps its operations onto core actions.

`load_bank` reads and checks a `specs/<slug>/` folder; `Dispatcher.handle` runs one request through a
bound operation (request → JMESPath → action → JMESPath → response) or, for an unbound operation,
through the schema-driven fallback. Nothing here knows about Flask or Connexion.
"""

from .bank import declared_banks
from .loader import BankApi, BindingError, Unavailable, discover, load_bank, survey
from .headers import required as required_headers
from .runner import Reply, handle, render_error

__all__ = ["BankApi", "BindingError", "Reply", "declared_banks", "Unavailable", "discover", "handle", "load_bank", "render_error",
           "required_headers", "survey"]
