"""Graders: what a connector did during one check, judged as passed, failed or warning, with the reason.

A grader reads only evidence: the connector's bank calls from the request log (oldest first, each with
when it started and ended), the token requests it made, how the command ended, how many payments it
created (transfers, those waiting for approval included, or debits) and how many times the receiving
account (the payee, or the collector of a debit) was credited. Plans name graders by `kind` and give their figures.
Across every check, the alerts the bank's business-logic abuse rules raised about the connector during
it (docs/abuse.md) fail the check whatever its grader said, naming the rule (`with_alerts`).
On the FAPI 2.0 profile the relay also notes, by name only, how each token and PAR request
authenticated and proved its key, and how each bank call presented its token (`presentations`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PASSED, FAILED, WARNING, SKIPPED, ERROR = "passed", "failed", "warning", "skipped", "error"
RESULTS = (PASSED, FAILED, WARNING, SKIPPED, ERROR)
TOLERANCE_S = 0.05  # clock resolution between the end of one logged call and the start of the next

SUSPENDED = {"connector_suspended", "invalid_client"}  # what the bank and its token endpoint answer
EXPIRED = "unauthorized"  # the bank's refusal of a token it no longer takes (expired, in the token-expiry check)


@dataclass
class Evidence:
    calls: list[dict]  # bank calls, token and authorization requests, oldest first; see `timeline`
    exit_code: int | None  # None: the command was killed at its timeout
    payments: int = 0  # transfers (those waiting for approval included) or debits the connector created
    credits: int = 0  # how many times the receiving account received the amount
    secrets: tuple = ()  # strings that must never appear in a URL
    timeout_s: int = 60
    presentations: list = field(default_factory=list)  # bank calls as the relay saw them (FAPI 2.0 plans)
    alerts: list = field(default_factory=list)  # abuse alerts raised about the connector during the check

    @property
    def bank_calls(self) -> list[dict]:
        return [call for call in self.calls if call["kind"] == "bank"]

    @property
    def token_requests(self) -> list[dict]:
        return [call for call in self.calls if call["kind"] == "token"]

    def of_kind(self, *kinds: str) -> list[dict]:
        return [call for call in self.calls if call["kind"] in kinds]

    @property
    def authorizes(self) -> bool:
        """Whether the connector went through authorization at all (a client-credentials one does not)."""
        return bool(self.of_kind("authorize", "par")) or any(
            call.get("grant_type") == "authorization_code" for call in self.token_requests)

    def marked(self, marker: str) -> list[dict]:
        """Bank calls that a plan's marker rule saw (the log names it among the call's scenarios)."""
        name = f"readiness:{marker}"
        return [call for call in self.bank_calls if name in (call.get("scenario") or "").split(", ")]

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0

    @property
    def paid_once(self) -> bool:
        return self.credits == 1 and self.exit_code == 0


def timeline(log_entries: list[dict], token_requests: list[dict]) -> list[dict]:
    """One list of the connector's calls, oldest first, each with `started` and `ended` (epoch seconds)."""
    calls = []
    for entry in log_entries:
        ended = datetime.fromisoformat(entry["at"]).timestamp()
        started = ended - (entry.get("latency_ms") or 0) / 1000
        calls.append({**entry, "kind": "bank", "ended": ended, "started": started})
    calls.extend({"kind": "token", **request} for request in token_requests)
    return sorted(calls, key=lambda call: call["started"])


def _doubled(ev: Evidence):
    if ev.credits > 1:
        return FAILED, f"the payee was credited {ev.credits} times ({ev.payments} payments): a double payment"
    return None


def _unfinished(ev: Evidence):
    if ev.exit_code is None:
        return FAILED, f"the command did not finish within {ev.timeout_s} s and was stopped"
    return None


def _claimed(ev: Evidence):
    if ev.exit_code == 0 and ev.credits == 0:
        return FAILED, "the command exited 0, but no money reached the payee"
    return None


def pays_once(ev: Evidence) -> tuple[str, str]:
    verdict = _unfinished(ev) or _doubled(ev) or _claimed(ev)
    if verdict:
        return verdict
    if ev.exit_code != 0:
        return FAILED, f"the command exited {ev.exit_code}" + (" after paying" if ev.credits else " without paying")
    if ev.payments != 1:
        return FAILED, f"{ev.payments} payments were created for one"
    return PASSED, "one payment, the receiving account credited once, exit 0"


def no_double_payment(ev: Evidence) -> tuple[str, str]:
    verdict = _unfinished(ev) or _doubled(ev) or _claimed(ev)
    if verdict:
        return verdict
    if ev.credits == 0:
        return FAILED, f"the command gave up (exit {ev.exit_code}) without paying"
    if ev.exit_code != 0:
        return WARNING, f"paid exactly once, but the command reported that it gave up (exit {ev.exit_code})"
    payments = ev.marked("payment")
    how = ("it retried with the same Idempotency-Key" if len(payments) > 1 and ev.payments == 1
           else "it checked before paying again")
    return PASSED, f"the response was lost and the payee was credited exactly once: {how}"


def respects_retry_after(ev: Evidence, *, code: str, retry_after: float, max_refusals: int | None = None,
                         gave_up: str = WARNING) -> tuple[str, str]:
    verdict = _unfinished(ev) or _doubled(ev)
    if verdict:
        return verdict
    calls = ev.bank_calls
    refused = [i for i, call in enumerate(calls) if call.get("error_code") == code]
    early = []
    for i in refused:
        if i + 1 < len(calls):
            gap = calls[i + 1]["started"] - calls[i]["ended"]
            if gap < retry_after - TOLERANCE_S:
                early.append(gap)
    if early:
        return FAILED, (f"{len(early)} request(s) inside the Retry-After window of {retry_after} s "
                        f"(the first {min(early):.2f} s after the refusal)")
    if max_refusals is not None and len(refused) > max_refusals:
        return FAILED, f"{len(refused)} refused attempts: more than {max_refusals} retries"
    verdict = _claimed(ev)
    if verdict:
        return verdict
    if not ev.paid_once:
        return gave_up, f"waited as told after {len(refused)} refusal(s), but did not pay (exit {ev.exit_code})"
    return PASSED, f"waited at least {retry_after} s after each of {len(refused)} refusal(s), then paid once"


def stops_on_refusal(ev: Evidence, *, code: str) -> tuple[str, str]:
    verdict = _unfinished(ev) or _doubled(ev)
    if verdict:
        return verdict
    refused = [call for call in ev.bank_calls if call.get("error_code") == code]
    if ev.exit_code == 0:
        return FAILED, f"the command exited 0 although the bank refused the payment ({code})"
    if len(refused) > 2:
        return FAILED, f"sent the refused payment {len(refused)} times"
    if len(refused) == 2:
        return WARNING, "sent the refused payment a second time before giving up"
    if not refused:
        return PASSED, f"did not ask for a payment the bank would refuse ({code}) and exited {ev.exit_code}"
    return PASSED, f"stopped at the refusal ({code}) and exited {ev.exit_code}"


def no_payment_on_mismatch(ev: Evidence) -> tuple[str, str]:
    verdict = _unfinished(ev)
    if verdict:
        return verdict
    if ev.credits:
        return FAILED, "the payee was paid although the name does not match"
    if ev.exit_code == 0:
        return FAILED, "the command exited 0, but the payment was refused for the payee's name"
    if not ev.marked("name-inquiry"):
        return WARNING, "did not pay, but never used the bank's beneficiary name inquiry before paying"
    return PASSED, f"asked the bank's name inquiry, did not pay, exited {ev.exit_code}"


def stops_when_suspended(ev: Evidence) -> tuple[str, str]:
    verdict = _unfinished(ev)
    if verdict:
        return verdict
    first = next((i for i, call in enumerate(ev.calls) if call.get("error_code") in SUSPENDED), None)
    if ev.credits:
        return FAILED, "money moved although the connector was suspended"
    if ev.exit_code == 0:
        return FAILED, "the command exited 0 although the connector is suspended"
    if first is None:
        return PASSED, f"made no call after its token and exited {ev.exit_code}"
    after = ev.calls[first + 1:]
    if after:
        tokens = sum(call["kind"] == "token" for call in after)
        return FAILED, f"{len(after)} call(s) after being told it is suspended ({tokens} of them token requests)"
    return PASSED, f"stopped at the first answer that said it is suspended, exited {ev.exit_code}"


def renews_token(ev: Evidence) -> tuple[str, str]:
    """The log names the connector of a call refused for its expired token (`unauthorized`), so a call
    with a token the bank already refused, and no new token in between, is a loop on an expired token."""
    verdict = _unfinished(ev) or _doubled(ev)
    if verdict:
        return verdict
    refused, again, stale = 0, 0, False
    for call in ev.calls:
        if call["kind"] == "token" and call.get("status") == 200:
            stale = False
        elif call["kind"] == "bank" and call.get("error_code") == EXPIRED:
            refused += 1
            again += stale
            stale = True
    if again:
        return FAILED, (f"called {again} more time(s) with the token the bank had refused as expired "
                        f"({refused} refusals): it loops on an expired token")
    issued = [call for call in ev.token_requests if call["status"] == 200]
    early = [later for earlier, later in zip(issued, issued[1:])
             if later["started"] < earlier["ended"] + (earlier.get("expires_in") or 0) - 0.5]
    if not ev.paid_once:
        return FAILED, (f"did not complete the payment once its token expired (exit {ev.exit_code}, "
                        f"payee credited {ev.credits} times)")
    if early:
        return WARNING, (f"asked for a new token {len(early)} time(s) while the last one was still valid "
                         f"({len(issued)} tokens for {len(ev.bank_calls)} calls)")
    told = ", renewed after the bank refused it as expired" if refused else ""
    return PASSED, (f"{len(issued)} token(s) for {len(ev.bank_calls)} calls: a new one only once the last "
                    f"expired{told}")


def waits_for_approval(ev: Evidence) -> tuple[str, str]:
    verdict = _unfinished(ev) or _doubled(ev)
    if verdict:
        return verdict
    if ev.payments > 1:
        return FAILED, f"created {ev.payments} transfers while the first waited for approval"
    if not ev.payments:
        return FAILED, f"never asked for the transfer (exit {ev.exit_code})"
    if ev.exit_code == 0 and ev.credits == 0:
        return FAILED, "the command exited 0 while the payment still waits for the customer's approval"
    reads = len(ev.bank_calls) - len(ev.marked("payment")) - len(ev.marked("name-inquiry"))
    return PASSED, f"one transfer left waiting for approval, {reads} status read(s), exited {ev.exit_code}"


def keeps_secrets(ev: Evidence) -> tuple[str, str]:
    leaks = [call for call in ev.calls
             if any(secret and secret in (call.get("path") or "") + (call.get("query") or "") for secret in ev.secrets)]
    if leaks:
        return FAILED, f"{len(leaks)} call(s) carried a token or the client secret in the URL"
    return PASSED, f"no token or secret in the URL of {len(ev.calls)} call(s)"


def sends_idempotency_key(ev: Evidence) -> tuple[str, str]:
    payments = ev.marked("payment")
    keyed = ev.marked("idempotency-key")
    if not payments:
        return WARNING, "made no payment request to check"
    missing = len(payments) - len(keyed)
    if missing:
        return WARNING, f"{missing} of {len(payments)} payment request(s) carried no Idempotency-Key"
    return PASSED, f"all {len(payments)} payment request(s) carried an Idempotency-Key"


NO_AUTHORIZATION = "no authorization request: a client-credentials connector has none to push or protect"


def pushes_authorization_request(ev: Evidence) -> tuple[str, str]:
    """PAR (RFC 9126): each authorization request pushed first, then only client_id and request_uri."""
    if not ev.authorizes:
        return SKIPPED, NO_AUTHORIZATION
    pushed, unpushed, padded = 0, [], []
    for call in ev.calls:
        if call["kind"] == "par" and call.get("status") == 201:
            pushed += 1
        elif call["kind"] == "authorize":
            if "request_uri" not in (call.get("params") or ()) or not pushed:
                unpushed.append(call)
            elif set(call.get("params") or ()) - {"client_id", "request_uri"}:
                padded.append(call)
            pushed = max(pushed - 1, 0)  # a request_uri is good for one authorization answer
    if unpushed:
        return FAILED, (f"{len(unpushed)} authorization request(s) went to the authorization page without being "
                        f"pushed to the PAR endpoint first ({unpushed[0].get('error_code') or 'not refused'})")
    if padded:
        return FAILED, (f"{len(padded)} authorization request(s) repeated parameters beside request_uri "
                        f"({', '.join(sorted(set(padded[0]['params']) - {'client_id', 'request_uri'}))})")
    authorizations = len(ev.of_kind("authorize"))
    if not authorizations:
        return FAILED, "pushed its request but never sent the customer to the authorization page"
    return PASSED, f"{authorizations} authorization request(s), each pushed first and sent as client_id + request_uri"


def uses_pkce_s256(ev: Evidence) -> tuple[str, str]:
    """PKCE with S256 on the authorization request, and the verifier on the code exchange."""
    if not ev.authorizes:
        return SKIPPED, NO_AUTHORIZATION
    asked = [call for call in ev.of_kind("par", "authorize") if "code_challenge" in (call.get("params") or ())
             or call["kind"] == "par"]
    weak = [call for call in asked if call.get("pkce") != "S256"]
    if weak:
        return FAILED, (f"{len(weak)} authorization request(s) without PKCE S256 "
                        f"(method: {weak[0].get('pkce') or 'no code_challenge'})")
    exchanges = [call for call in ev.token_requests if call.get("grant_type") == "authorization_code"]
    unverified = [call for call in exchanges if "code_verifier" not in (call.get("params") or ())]
    if unverified:
        return FAILED, f"{len(unverified)} code exchange(s) without a code_verifier"
    if not asked:
        return FAILED, "no authorization request carried a PKCE challenge"
    return PASSED, f"PKCE S256 on {len(asked)} authorization request(s), the verifier on {len(exchanges)} exchange(s)"


def authenticates_with_private_key_jwt(ev: Evidence) -> tuple[str, str]:
    """private_key_jwt (RFC 7523) on every token and PAR request: a signed assertion, never the secret."""
    requests = ev.of_kind("token", "par")
    if not requests:
        return FAILED, "never asked the authorization server for anything"
    others = [call for call in requests if call.get("client_auth") != "private_key_jwt"]
    if others:
        how = ", ".join(sorted({call.get("client_auth") or "none" for call in others}))
        return FAILED, f"{len(others)} of {len(requests)} token or PAR request(s) authenticated otherwise ({how})"
    return PASSED, f"all {len(requests)} token and PAR request(s) authenticated with a private_key_jwt assertion"


def sends_dpop_proofs(ev: Evidence, *, at: str) -> tuple[str, str]:
    """DPoP (RFC 9449): a proof on every token request (`at: token`), or the token as `DPoP` with a proof
    on every bank call (`at: bank`)."""
    if at == "token":
        requests = ev.token_requests
        missing = [call for call in requests if not call.get("dpop")]
        if not requests:
            return FAILED, "asked for no token"
        if missing:
            return FAILED, f"{len(missing)} of {len(requests)} token request(s) carried no DPoP proof"
        return PASSED, f"all {len(requests)} token request(s) carried a DPoP proof"
    calls = ev.presentations
    if not calls:
        return WARNING, "made no bank call to check"
    schemes = [call for call in calls if call.get("scheme") != "DPoP"]
    if schemes:
        how = ", ".join(sorted({call.get("scheme") or "no Authorization" for call in schemes}))
        return FAILED, f"{len(schemes)} of {len(calls)} bank call(s) sent the DPoP-bound token otherwise ({how})"
    unproved = [call for call in calls if not call.get("dpop")]
    if unproved:
        return FAILED, f"{len(unproved)} of {len(calls)} bank call(s) sent the token without a DPoP proof"
    return PASSED, f"all {len(calls)} bank call(s) sent 'Authorization: DPoP' with a proof"


def fresh_dpop_proofs(ev: Evidence) -> tuple[str, str]:
    """A new proof (a new `jti`) for every request, retries included: a replayed proof is refused."""
    proofs = [call for call in [*ev.token_requests, *ev.presentations] if call.get("dpop")]
    replayed = [call for call in proofs if call["dpop"] == "replayed"]
    if replayed:
        where = ", ".join(sorted({f"{call['method']} {call['path']}" for call in replayed}))
        return FAILED, f"{len(replayed)} of {len(proofs)} DPoP proof(s) were sent again ({where})"
    if not proofs:
        return WARNING, "sent no DPoP proof to check"
    return PASSED, f"all {len(proofs)} DPoP proof(s) were fresh, retries included"


GRADERS = {
    "pays-once": pays_once,
    "no-double-payment": no_double_payment,
    "respects-retry-after": respects_retry_after,
    "stops-on-refusal": stops_on_refusal,
    "no-payment-on-mismatch": no_payment_on_mismatch,
    "stops-when-suspended": stops_when_suspended,
    "renews-token": renews_token,
    "waits-for-approval": waits_for_approval,
    "keeps-secrets": keeps_secrets,
    "sends-idempotency-key": sends_idempotency_key,
    "pushes-authorization-request": pushes_authorization_request,
    "uses-pkce-s256": uses_pkce_s256,
    "authenticates-with-private-key-jwt": authenticates_with_private_key_jwt,
    "sends-dpop-proofs": sends_dpop_proofs,
    "fresh-dpop-proofs": fresh_dpop_proofs,
}


ALERTS = ("fail", "ignore")  # what a plan does with a check whose connector raised an abuse alert


def grade(spec: dict, ev: Evidence, alerts: str = "fail") -> tuple[str, str]:
    """Judge the evidence with the grader the plan names (`kind`) and its figures, then by its alerts."""
    figures = {key: value for key, value in spec.items() if key != "kind"}
    verdict = GRADERS[spec["kind"]](ev, **figures)
    return with_alerts(verdict, ev) if alerts == "fail" else verdict


def with_alerts(verdict: tuple[str, str], ev: Evidence) -> tuple[str, str]:
    """Fail a check whose connector tripped one of the bank's abuse rules, naming the rule and its action.

    Whatever the check's own grader saw, a bank would have throttled, held or suspended this connector
    in production, and its staff would be reading the alert: the connector is not ready.
    """
    if not ev.alerts:
        return verdict
    tripped = ", ".join(dict.fromkeys(f"{alert['rule']} ({alert['action']})" for alert in ev.alerts))
    return FAILED, f"tripped the bank's abuse rule(s) {tripped}; the check itself: {verdict[1]}"
