"""Bindings: a bank's OpenAPI spec plus a data file that maps its operations onto core actions.

`load_bank` reads and checks a `specs/<slug>/` folder; `Dispatcher.handle` runs one request through a
bound operation (request → JMESPath → action → JMESPath → response) or, for an unbound operation,
through the schema-driven fallback. Nothing here knows about Flask or Connexion.
"""

from .loader import BankApi, BindingError, discover, load_bank
from .runner import Reply, handle, render_error

__all__ = ["BankApi", "BindingError", "Reply", "discover", "handle", "load_bank", "render_error"]
