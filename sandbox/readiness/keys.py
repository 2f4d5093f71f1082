"""The signing key of a check's connector on the FAPI 2.0 profile: made per check, its private half in a file.

A FAPI 2.0 client authenticates with `private_key_jwt`: it holds a private key and the bank knows the
public half (registered as a JWKS). In production the connector makes its key pair and registers the
public half once; its code loads the private key from a file or a secret store. A readiness run plays
the registration for it: each check makes a fresh P-256 key, registers its public half as the check's
connector's `jwks`, and hands the private half to the command as a JWK file (SANDBOX_CLIENT_JWK_FILE),
so the connector's code takes its key exactly as it would in production. The file lives in a
temporary folder that is gone when the check ends. DPoP keys are the connector's own business.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path

from joserfc.jwk import ECKey

ALGORITHM = "ES256"


@contextmanager
def client_key():
    """(the public JWKS to register, the path of the private JWK file); the file is removed afterwards."""
    key = ECKey.generate_key("P-256", parameters={"kid": f"readiness-{secrets.token_hex(4)}", "alg": ALGORITHM,
                                                  "use": "sig"})
    with tempfile.TemporaryDirectory(prefix="readiness-key-") as folder:
        path = Path(folder) / "client.jwk.json"
        path.touch(mode=0o600)
        path.write_text(json.dumps(key.as_dict(private=True)), encoding="utf-8")
        os.chmod(path, 0o600)
        yield {"keys": [key.as_dict(private=False)]}, str(path)
