"""The canonical error vocabulary every bank dialect renders in its own format."""

from __future__ import annotations

# code -> (default HTTP status, short title). Bank bindings may render another status and body;
# the control plane and the hub use these as they are (RFC 7807 problem+json).
CANONICAL_ERRORS: dict[str, tuple[int, str]] = {
    "invalid_request": (400, "The request is malformed"),
    "invalid_amount": (400, "The amount is not valid"),
    "invalid_account_number": (400, "The account number is not valid"),
    "invalid_bank_code": (400, "The bank code is not valid"),
    "invalid_branch_code": (400, "The branch code is not valid"),
    "invalid_account_type": (400, "The account type is not valid"),
    "invalid_kana": (400, "The name has characters outside the Zengin character set"),
    "invalid_date": (400, "The date is not valid"),
    "past_execution_date": (400, "The execution date is in the past"),
    "non_business_day": (400, "The execution date is not a business day"),
    "execution_date_too_far": (400, "The execution date is too far ahead"),
    "unknown_bank": (400, "No bank has this bank code"),
    "unknown_branch": (400, "The bank has no branch with this code"),
    "same_account": (400, "The payer and the payee are the same account"),
    "invalid_zengin_file": (400, "The file is not a valid Zengin bulk-transfer file"),
    "invalid_bulk_items": (400, "Items of the bulk transfer are refused"),
    "account_not_found": (404, "The account does not exist"),
    "transfer_not_found": (404, "The transfer does not exist"),
    "bulk_transfer_not_found": (404, "The bulk transfer or its item does not exist"),
    "mandate_not_found": (404, "The direct-debit mandate does not exist"),
    "debit_not_found": (404, "The debit does not exist"),
    "customer_not_found": (404, "The customer does not exist"),
    "consent_not_found": (404, "The consent does not exist"),
    "connector_not_found": (404, "The connector does not exist"),
    "approval_not_found": (404, "The approval request does not exist"),
    "alert_not_found": (404, "The alert does not exist"),
    "not_found": (404, "No such resource"),
    "method_not_allowed": (405, "The method is not allowed on this resource"),
    "unsupported_media_type": (415, "The body's media type is not one this operation accepts"),
    "workspace_not_found": (404, "The workspace does not exist"),
    "workspace_exists": (409, "A workspace with this name already exists"),
    "profile_not_found": (404, "The seeding profile does not exist"),
    "beneficiary_name_mismatch": (422, "The beneficiary name does not match the account holder"),
    "insufficient_funds": (422, "The account balance is not sufficient"),
    "limit_exceeded": (422, "The amount exceeds a transfer limit"),
    "account_frozen": (422, "The account is frozen"),
    "account_closed": (422, "The account is closed"),
    "cutoff_passed": (422, "The cut-off time for this execution date has passed"),
    "not_cancellable": (409, "The transfer can no longer be cancelled"),
    "not_returnable": (409, "The transfer cannot be returned"),
    "invalid_state": (422, "The resource's state does not allow this action"),
    "mandate_inactive": (422, "The direct-debit mandate is not active"),
    "mandate_limit_exceeded": (422, "The amount exceeds the mandate's limit"),
    "mandate_exists": (409, "An active mandate already links these accounts"),
    "consent_inactive": (422, "The consent is not authorised or was already used"),
    "consent_expired": (422, "The consent has expired"),
    "consent_mismatch": (422, "The request differs from what the customer consented to"),
    "idempotency_conflict": (409, "The idempotency key was used with a different request"),
    "version_mismatch": (409, "The resource was changed since the version sent"),
    "unauthorized": (401, "Authentication is required"),
    "forbidden": (403, "The credentials do not allow this"),
    "consent_required": (403, "The customer has not consented to this"),
    "step_up_required": (403, "The transfer needs an extra approval"),
    "approval_expired": (409, "The approval request has expired"),
    "alert_resolved": (409, "The alert is resolved already"),
    "scope_missing": (403, "The token lacks a required scope"),
    "plan_forbidden": (403, "The connector's plan does not include this API"),
    "connector_suspended": (403, "The connector is suspended"),
    "rate_limited": (429, "Too many requests"),
    "abuse_throttled": (429, "Calls are held back: the connector tripped a business-logic rule"),
    "maintenance": (503, "The bank is under maintenance"),
    "gateway_timeout": (504, "The bank did not answer in time"),
}

# Which account a refusal is about, when a request names several: `details.role` of account_not_found,
# account_frozen and account_closed. A binding's error table may render a code differently per role.
ROLES = ("payer", "payee", "collector")


class SandboxError(Exception):
    """A refusal with a canonical `code`, a human message and optional details.

    Raised anywhere below the HTTP layer; each bank binding renders it in the bank's own format.
    """

    def __init__(self, code: str, message: str | None = None, **details):
        if code not in CANONICAL_ERRORS:
            raise ValueError(f"unknown canonical error code {code!r}")
        self.code = code
        self.status, self.title = CANONICAL_ERRORS[code]
        self.message = message or self.title
        self.details = details
        super().__init__(f"{code}: {self.message}")

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, **({"details": self.details} if self.details else {})}
