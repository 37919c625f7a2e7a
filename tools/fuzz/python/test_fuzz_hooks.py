"""Unit tests of the schemathesis hooks (`npx nx run fuzz:test-hooks`).

Cases and responses are stand-ins with only the attributes the hooks read: the hooks' own logic is
under test here; `npm run fuzz` exercises them inside schemathesis against the local runtime.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

import fuzz_hooks

OWNER = "0f8fad5b-d9cb-469f-a165-70867728950e"
TOKEN = "shared-token-" + "x" * 30


@pytest.fixture(autouse=True)
def fuzz_env(monkeypatch):
    monkeypatch.setenv("FUZZ_BASE_URL", "http://127.0.0.1:3000/_aws/execute-api/llllllllll/prod")
    monkeypatch.setenv("FUZZ_AUTH_URL", "http://127.0.0.1:3000/_aws/execute-api/aaaaaaaaaa/prod")
    monkeypatch.setenv("FUZZ_DEPLOYED", "0")
    monkeypatch.setenv("FUZZ_USER_ID", OWNER)
    monkeypatch.setenv("FUZZ_TOKEN", TOKEN)
    monkeypatch.setenv("FUZZ_USERNAME", "fuzz_user")
    monkeypatch.setenv("FUZZ_PASSWORD", "a-password-long-enough")


IF_MATCH = {"name": "If-Match", "in": "header", "schema": {"type": "string", "pattern": '^(\\*|"[!#-~]*")$'}}


def make_case(operation_id, *, path_parameters=None, headers=None, query=None, positive=True, parameters=None):
    mode = SimpleNamespace(is_positive=positive)
    raw = {"operationId": operation_id, "parameters": parameters or []}
    return SimpleNamespace(
        operation=SimpleNamespace(definition=SimpleNamespace(raw=raw)),
        path_parameters=path_parameters,
        headers=headers,
        query=query,
        meta=SimpleNamespace(generation=SimpleNamespace(mode=mode)),
    )


def make_response(status_code, body=None):
    return SimpleNamespace(status_code=status_code, json=lambda: body or {})


def test_malformed_user_ids_are_never_replaced():
    for value in ["", "not-a-uuid", OWNER.upper(), OWNER + "0", "0f8fad5b-d9cb-369f-a165-70867728950e"]:
        assert fuzz_hooks.takes_owner_id(value) is False


def test_about_three_in_four_well_formed_ids_become_the_owners_and_the_choice_is_stable():
    ids = [str(uuid.UUID(int=n * 7919 + 1, version=4)) for n in range(2000)]
    chosen = [fuzz_hooks.takes_owner_id(value) for value in ids]
    assert 0.70 < sum(chosen) / len(ids) < 0.80
    assert chosen == [fuzz_hooks.takes_owner_id(value) for value in ids]


def test_before_call_puts_the_owner_in_the_path_or_keeps_a_foreign_id():
    ids = [str(uuid.UUID(int=n * 104729 + 3, version=4)) for n in range(50)]
    for value in ids:
        case = make_case("putLocation", path_parameters={"userId": value})
        fuzz_hooks.before_call(None, case)
        expected = OWNER if fuzz_hooks.takes_owner_id(value) else value
        assert case.path_parameters["userId"] == expected


def test_before_call_leaves_a_malformed_path_parameter_for_the_api_to_reject():
    case = make_case("getProfile", path_parameters={"userId": "../etc/passwd"})
    fuzz_hooks.before_call(None, case)
    assert case.path_parameters["userId"] == "../etc/passwd"


def test_revocation_with_the_shared_token_gets_a_fresh_token(monkeypatch):
    monkeypatch.setattr(fuzz_hooks, "mint_token", lambda: "fresh")
    case = make_case("revokeCurrentToken", headers={"authorization": f"Bearer {TOKEN}", "X-Other": "1"})
    fuzz_hooks.before_call(None, case)
    assert case.headers == {"X-Other": "1", "Authorization": "Bearer fresh"}


def test_revocation_without_the_shared_token_is_sent_as_generated(monkeypatch):
    def fail():
        raise AssertionError("no token may be minted")

    monkeypatch.setattr(fuzz_hooks, "mint_token", fail)
    for headers in [None, {}, {"Authorization": "Bearer something-else"}]:
        case = make_case("revokeCurrentToken", headers=headers)
        fuzz_hooks.before_call(None, case)
        assert case.headers == headers


def test_other_operations_keep_the_shared_token(monkeypatch):
    monkeypatch.setattr(fuzz_hooks, "mint_token", lambda: "fresh")
    case = make_case("getLocation", path_parameters={"userId": "x"}, headers={"Authorization": f"Bearer {TOKEN}"})
    fuzz_hooks.before_call(None, case)
    assert case.headers == {"Authorization": f"Bearer {TOKEN}"}


def test_tokens_are_only_minted_on_loopback(monkeypatch):
    monkeypatch.setenv("FUZZ_AUTH_URL", "http://10.0.0.5:3000/prod")
    with pytest.raises(RuntimeError, match="only loopback"):
        fuzz_hooks.mint_token()


def test_a_deployed_stage_named_by_the_user_is_reached_over_https_only(monkeypatch):
    monkeypatch.setenv("FUZZ_DEPLOYED", "1")
    monkeypatch.setenv("FUZZ_AUTH_URL", "http://abc123defg.execute-api.eu-west-1.amazonaws.com/staging")
    with pytest.raises(RuntimeError, match="https only"):
        fuzz_hooks.mint_token()
    monkeypatch.setenv("FUZZ_AUTH_URL", "https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging/")
    assert fuzz_hooks._auth_url() == "https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging"


def test_a_missing_environment_variable_is_named(monkeypatch):
    monkeypatch.delenv("FUZZ_USER_ID")
    replaced = next(v for v in (str(uuid.UUID(int=n, version=4)) for n in range(100)) if fuzz_hooks.takes_owner_id(v))
    with pytest.raises(RuntimeError, match="FUZZ_USER_ID"):
        fuzz_hooks.before_call(None, make_case("getProfile", path_parameters={"userId": replaced}))


CURSOR_400 = {"errors": [{"pointer": "/query/cursor", "message": "is not a valid cursor"}]}


def test_a_cursor_rejection_that_names_the_cursor_passes():
    case = make_case("listLocationHistory", query={"cursor": "abc"})
    assert fuzz_hooks.cursor_rejection_names_cursor(None, make_response(400, CURSOR_400), case) is None


def test_a_400_for_a_valid_history_request_without_cursor_fails():
    case = make_case("listLocationHistory", query={"limit": 5})
    with pytest.raises(AssertionError, match="without a cursor"):
        fuzz_hooks.cursor_rejection_names_cursor(None, make_response(400, CURSOR_400), case)


def test_a_cursor_rejection_that_blames_another_field_fails():
    body = {"errors": [{"pointer": "/query/cursor", "message": "x"}, {"pointer": "/query/limit", "message": "y"}]}
    case = make_case("listLocationHistory", query={"cursor": "abc", "limit": 5})
    with pytest.raises(AssertionError, match="/query/limit"):
        fuzz_hooks.cursor_rejection_names_cursor(None, make_response(400, body), case)


def test_the_cursor_check_ignores_negative_data_other_statuses_and_operations():
    bad = make_response(400, {"errors": [{"pointer": "/query/limit", "message": "y"}]})
    assert fuzz_hooks.cursor_rejection_names_cursor(None, bad, make_case("listLocationHistory", query={}, positive=False)) is None
    assert fuzz_hooks.cursor_rejection_names_cursor(None, make_response(200), make_case("listLocationHistory", query={})) is None
    assert fuzz_hooks.cursor_rejection_names_cursor(None, bad, make_case("getLocation", query={})) is None


IF_MATCH_400 = {"errors": [{"pointer": "/header/if-match", "message": "must match pattern"}]}


def test_an_if_match_rejection_for_a_header_that_breaks_the_pattern_passes():
    case = make_case("putProfile", headers={"If-Match": "0"}, parameters=[IF_MATCH])
    assert fuzz_hooks.if_match_rejection_breaks_the_pattern(None, make_response(400, IF_MATCH_400), case) is None


def test_a_400_for_an_if_match_the_contract_allows_fails():
    case = make_case("putProfile", headers={"If-Match": '"v3"'}, parameters=[IF_MATCH])
    with pytest.raises(AssertionError, match="matches the contract"):
        fuzz_hooks.if_match_rejection_breaks_the_pattern(None, make_response(400, IF_MATCH_400), case)


def test_a_400_for_a_profile_write_without_if_match_fails():
    case = make_case("putProfile", headers={}, parameters=[IF_MATCH])
    with pytest.raises(AssertionError, match="refused with 400"):
        fuzz_hooks.if_match_rejection_breaks_the_pattern(None, make_response(400, IF_MATCH_400), case)


def test_an_if_match_rejection_that_blames_the_body_too_fails():
    body = {"errors": [{"pointer": "/header/if-match", "message": "x"}, {"pointer": "/body/bio", "message": "y"}]}
    case = make_case("putProfile", headers={"If-Match": "0"}, parameters=[IF_MATCH])
    with pytest.raises(AssertionError, match="/body/bio"):
        fuzz_hooks.if_match_rejection_breaks_the_pattern(None, make_response(400, body), case)


def test_the_if_match_check_ignores_negative_data_other_statuses_and_operations():
    case = make_case("putProfile", headers={"If-Match": '"v3"'}, parameters=[IF_MATCH], positive=False)
    assert fuzz_hooks.if_match_rejection_breaks_the_pattern(None, make_response(400, IF_MATCH_400), case) is None
    assert fuzz_hooks.if_match_rejection_breaks_the_pattern(None, make_response(412), make_case("putProfile", parameters=[IF_MATCH])) is None
    assert fuzz_hooks.if_match_rejection_breaks_the_pattern(None, make_response(400, IF_MATCH_400), make_case("putLocation")) is None
