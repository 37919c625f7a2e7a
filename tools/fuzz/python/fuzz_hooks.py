"""Schemathesis hooks for `npm run fuzz` (loaded through SCHEMATHESIS_HOOKS=fuzz_hooks).

The runner (tools/fuzz/src) starts the local runtime, registers a user, signs in and passes who that
user is through the environment. These hooks steer generated requests towards the paths that
matter without making any request less random than schemathesis made it:

* Owner paths. A random `userId` almost never names a user, so owner-only writes would only ever
  meet 403 and reads only 404. When the generated `userId` is a well-formed id, three cases in four
  get the signed-in user's id instead (chosen from the generated value, so hypothesis replays and
  shrinks see the same request); the fourth keeps the foreign id and exercises 403/404. A malformed
  `userId` (negative data) is left alone: it must still be rejected.
* Opaque cursors. `GET /loc/{userId}/history?cursor=` takes only a `nextCursor` the service issued;
  any other schema-valid string is a client mistake the contract answers with 400. Such a 400 is
  accepted for a positive case (tools/fuzz/src/config.ts), and `cursor_rejection_names_cursor`
  makes sure it is that 400 and no other: it must carry a cursor and name only `/query/cursor`.
* If-Match. schemathesis' coverage phase may send an `If-Match` its header pattern forbids (seen:
  `If-Match: 0`) and still call the request valid. Such a 400 is accepted for `putProfile` only when
  `if_match_rejection_breaks_the_pattern` confirms it: the header really breaks the contract's
  pattern, and the 400 names only `/header/if-match`.
* Token revocation. `DELETE /tokens/current` revokes the token it carries; sent with the shared
  token it would sign the fuzzer out of every later operation. Each such call gets a token of its
  own, minted through `POST /tokens` at the auth API's base URL (`FUZZ_AUTH_URL`) just before it is
  sent: on this machine, or, when the user named a deployed stage (`FUZZ_DEPLOYED=1`), over https.
"""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import urlsplit

import requests
import schemathesis

# The contract's UserId: a lowercase UUID v4 (contracts/common/components.yaml#/components/schemas/UserId).
_USER_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_REVOKE_OPERATION = "revokeCurrentToken"
_HISTORY_OPERATION = "listLocationHistory"
_PROFILE_WRITE_OPERATION = "putProfile"
_LOOPBACK = re.compile(r"^(127(\.\d{1,3}){3}|localhost|::1)$")


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"fuzz_hooks: {name} is not set; run the fuzzer through `npm run fuzz`")
    return value


def _auth_url() -> str:
    """The auth API's base URL: this machine, or (a deployed stage the user named) an https host."""
    auth_url = _env("FUZZ_AUTH_URL").rstrip("/")
    parts = urlsplit(auth_url)
    if _LOOPBACK.match(parts.hostname or ""):
        return auth_url
    if os.environ.get("FUZZ_DEPLOYED") != "1":
        raise RuntimeError(f"fuzz_hooks: refusing to send requests to {auth_url}: only loopback targets are fuzzed")
    if parts.scheme != "https":
        raise RuntimeError(f"fuzz_hooks: refusing to send a password to {auth_url}: a deployed stage is reached over https only")
    return auth_url


def takes_owner_id(generated_user_id: str) -> bool:
    """Three well-formed ids in four become the owner's; the choice depends only on the generated id."""
    if not _USER_ID.match(generated_user_id):
        return False
    return hashlib.sha256(generated_user_id.encode()).digest()[0] % 4 != 0


def mint_token() -> str:
    """Signs the fuzz user in once more and returns the new bearer token."""
    response = requests.post(
        f"{_auth_url()}/tokens",
        json={"username": _env("FUZZ_USERNAME"), "password": _env("FUZZ_PASSWORD")},
        timeout=30,
    )
    if response.status_code != 201:
        raise RuntimeError(f"fuzz_hooks: POST /tokens answered {response.status_code}: {response.text[:500]}")
    return response.json()["token"]


def _header(headers: dict | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def _operation_id(case) -> str | None:
    return case.operation.definition.raw.get("operationId")


@schemathesis.hook
def before_call(context, case, **kwargs):
    path_parameters = case.path_parameters
    if path_parameters and isinstance(path_parameters.get("userId"), str):
        if takes_owner_id(path_parameters["userId"]):
            path_parameters["userId"] = _env("FUZZ_USER_ID")

    if _operation_id(case) == _REVOKE_OPERATION:
        shared = f"Bearer {_env('FUZZ_TOKEN')}"
        if _header(case.headers, "Authorization") == shared:
            case.headers = {k: v for k, v in case.headers.items() if k.lower() != "authorization"}
            case.headers["Authorization"] = f"Bearer {mint_token()}"


@schemathesis.check
def cursor_rejection_names_cursor(ctx, response, case):
    """A schema-valid history request may be refused only for its cursor, and must say so."""
    if _operation_id(case) != _HISTORY_OPERATION or response.status_code != 400:
        return None
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if not (case.query or {}).get("cursor"):
        raise AssertionError("A schema-valid history request without a cursor was refused with 400")
    pointers = sorted({error.get("pointer") for error in (response.json().get("errors") or [])})
    if pointers != ["/query/cursor"]:
        raise AssertionError(f"A 400 for a schema-valid history request must name only /query/cursor, named {pointers}")
    return None


def _if_match_pattern(case) -> str | None:
    for parameter in case.operation.definition.raw.get("parameters") or []:
        if parameter.get("in") == "header" and str(parameter.get("name", "")).lower() == "if-match":
            return (parameter.get("schema") or {}).get("pattern")
    return None


@schemathesis.check
def if_match_rejection_breaks_the_pattern(ctx, response, case):
    """A "valid" profile write may be refused only for an If-Match that breaks the contract's pattern."""
    if _operation_id(case) != _PROFILE_WRITE_OPERATION or response.status_code != 400:
        return None
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    value = _header(case.headers, "If-Match")
    pattern = _if_match_pattern(case)
    if value is None or pattern is None or re.search(pattern, value):
        raise AssertionError(f"A schema-valid profile write was refused with 400 (If-Match {value!r} matches the contract)")
    pointers = sorted({error.get("pointer") for error in (response.json().get("errors") or [])})
    if pointers != ["/header/if-match"]:
        raise AssertionError(f"A 400 for a profile write with a malformed If-Match must name only /header/if-match, named {pointers}")
    return None
