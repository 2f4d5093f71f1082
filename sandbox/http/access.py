"""Who is calling a bank API: the security step of the pipeline, in its development form.

Bank specs declare their own OAuth2 schemes and scopes. Until connectors get OAuth tokens, every
request is let through as the sandbox's development caller and names its workspace with the
`X-Sandbox-Workspace` header. The real authorization server replaces `OpenAccess` in the security
map with handlers that check tokens and return the workspace and connector in the token info; the
bank views read the caller from there, so no binding changes.
"""

from __future__ import annotations

from connexion.security import AbstractSecurityHandler


class OpenAccess(AbstractSecurityHandler):
    """Accept every request, granting exactly the scopes the operation asks for."""

    def get_fn(self, security_scheme, required_scopes):
        scopes = list(required_scopes or [])

        def allow(request):
            return {"sub": "development", "scope": scopes}

        return allow


DEVELOPMENT_SECURITY = {kind: OpenAccess for kind in ("oauth2", "bearer", "basic", "apiKey", "openIdConnect")}


def caller(context: dict, headers, workspace_header: str, default_workspace: str) -> tuple[str, str | None]:
    """(workspace, connector) of the request: from the token info when there is one, else the header."""
    info = (context or {}).get("token_info") or {}
    if info.get("workspace"):
        return info["workspace"], info.get("connector")
    return headers.get(workspace_header) or default_workspace, None
