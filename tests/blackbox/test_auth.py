"""Contract §1: tenancy and authentication, and the order of its checks."""
import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest

from conftest import assert_error, list_ok, post_list, run_cli

BODY = {"type": "sms"}


def b64(data):
    if isinstance(data, (dict, list)):
        data = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_token(header, payload, secret):
    signing = f"{b64(header)}.{b64(payload)}"
    sig = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{b64(sig)}"


@pytest.fixture
def tenant(tenant_factory):
    return tenant_factory()


def test_valid_pyjwt_token_is_accepted(http, demo_server, tenant):
    doc = list_ok(http, demo_server, tenant, BODY)
    assert doc["status"] == "success"
    assert doc["data"]["totalResults"] == 0


def test_cli_token_is_accepted(http, demo_server, tenant):
    r = run_cli("token", "--client-id", tenant.client_id, "--db", tenant.db)
    assert r.returncode == 0, r.stderr
    tok = r.stdout.strip()
    claims = jwt.decode(tok, tenant.secret.encode(), algorithms=["HS256"])
    assert claims["appId"] == tenant.client_id
    assert jwt.get_unverified_header(tok)["alg"] == "HS256"
    list_ok(http, demo_server, tenant, BODY, token=tok)


def test_cli_token_ttl_sets_exp(http, demo_server, tenant):
    r = run_cli("token", "--client-id", tenant.client_id, "--ttl", "120", "--db", tenant.db)
    assert r.returncode == 0, r.stderr
    claims = jwt.decode(r.stdout.strip(), tenant.secret.encode(), algorithms=["HS256"])
    assert abs(claims["exp"] - (time.time() + 120)) < 30
    list_ok(http, demo_server, tenant, BODY, token=r.stdout.strip())


def test_bearer_prefix_is_tolerated(http, demo_server, tenant):
    list_ok(http, demo_server, tenant, BODY, token="Bearer " + tenant.token())


def test_header_names_are_case_insensitive(http, demo_server, tenant):
    h = {"AUTH": tenant.token(), "IID": tenant.stream, "ACCOUNTID": tenant.account,
         "content-type": "application/json"}
    r = http.post(demo_server.list_url(tenant.stream, tenant.account), data=json.dumps(BODY),
                  headers=h, timeout=10)
    assert r.status_code == 200, r.text
    h = {"Auth": tenant.token(), "Iid": tenant.stream, "accountid": tenant.account}
    r = http.post(demo_server.list_url(tenant.stream, tenant.account), data=json.dumps(BODY),
                  headers=h, timeout=10)
    assert r.status_code == 200, r.text


def test_query_account_id_may_be_absent(http, demo_server, tenant):
    list_ok(http, demo_server, tenant, BODY, url=demo_server.list_url(tenant.stream))


def _junk_header_token(payload, secret):
    """A correctly signed token whose header segment carries a byte that is
    not base64url: malformed, whatever a lenient decoder makes of it."""
    h = b64({"alg": "HS256", "typ": "JWT"})
    h = h[:4] + "*" + h[4:]
    signing = f"{h}.{b64(payload)}"
    sig = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{b64(sig)}"


def _bad_tokens(t, other):
    now = int(time.time())
    good = t.token()
    h, p, s = good.split(".")
    mid = len(s) // 2
    flipped = s[:mid] + ("A" if s[mid] != "A" else "B") + s[mid + 1:]
    payload = {"appId": t.client_id, "sub": "x", "iat": now}
    tampered_payload = b64(dict(payload, sub="someone-else", admin=True))
    return {
        "garbage": "not-a-jwt",
        "three_dots_of_nothing": "a.b.c",
        "two_segments": f"{h}.{p}",
        "four_segments": f"{good}.{s}",
        "bearer_only": "Bearer ",
        "wrong_secret": t.token(key=b"not-the-secret"),
        "other_clients_secret": t.token(key=other.secret.encode()),
        "tampered_signature": f"{h}.{p}.{flipped}",
        "tampered_payload": f"{h}.{tampered_payload}.{s}",
        "empty_signature": f"{h}.{p}.",
        "hs512_right_secret": t.token(alg="HS512"),
        "hs384_right_secret": t.token(alg="HS384"),
        "alg_none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload)}.",
        "alg_none_with_valid_hs256_signature": hs256_token(
            {"alg": "none", "typ": "JWT"}, payload, t.secret),
        "alg_RS256_hmac_signed": hs256_token({"alg": "RS256", "typ": "JWT"}, payload, t.secret),
        "expired_beyond_leeway": t.token(exp=now - 120),
        "nbf_beyond_leeway": t.token(nbf=now + 180),
        "iat_in_future_beyond_leeway": t.token(iat=now + 180),
        "missing_appId": t.token(appId=None),
        "misspelt_appid": jwt.encode({"appid": t.client_id, "iat": now}, t.secret.encode(),
                                     algorithm="HS256"),
        "unknown_appId": t.token(appId="cs-" + str(uuid.uuid4())),
        "other_clients_appId_with_my_secret": t.token(appId=other.client_id),
        "appId_not_a_string": t.token(appId=12345),
        "alg_lowercase_hs256": hs256_token({"alg": "hs256", "typ": "JWT"}, payload, t.secret),
        "header_with_non_base64_bytes": _junk_header_token(payload, t.secret),
        "oversized_garbage": "e" * 10000 + "." + "f" * 3000 + "." + "g" * 43,
    }


BAD_TOKEN_CASES = ["garbage", "three_dots_of_nothing", "two_segments", "four_segments",
                   "bearer_only", "wrong_secret", "other_clients_secret", "tampered_signature",
                   "tampered_payload", "empty_signature", "hs512_right_secret",
                   "hs384_right_secret", "alg_none", "alg_none_with_valid_hs256_signature",
                   "alg_RS256_hmac_signed", "expired_beyond_leeway", "nbf_beyond_leeway",
                   "iat_in_future_beyond_leeway", "missing_appId", "misspelt_appid",
                   "unknown_appId", "other_clients_appId_with_my_secret", "appId_not_a_string",
                   "oversized_garbage", "alg_lowercase_hs256", "header_with_non_base64_bytes"]


@pytest.mark.parametrize("case", BAD_TOKEN_CASES)
def test_bad_token_is_401(http, demo_server, tenant_factory, case):
    t = tenant_factory()
    other = tenant_factory()
    tok = _bad_tokens(t, other)[case]
    r = post_list(http, demo_server, t, BODY, token=tok)
    assert_error(r, 401)


def test_missing_or_empty_auth_is_401(http, demo_server, tenant):
    r = post_list(http, demo_server, tenant, BODY, headers={"auth": None})
    assert_error(r, 401)
    r = post_list(http, demo_server, tenant, BODY, headers={"auth": ""})
    assert_error(r, 401)


def test_401_bodies_do_not_say_which_check_failed(http, demo_server, tenant_factory):
    t = tenant_factory()
    other = tenant_factory()
    bad = _bad_tokens(t, other)
    bodies = {}
    for case in ("wrong_secret", "tampered_signature", "hs512_right_secret",
                 "expired_beyond_leeway", "unknown_appId", "nbf_beyond_leeway"):
        r = post_list(http, demo_server, t, BODY, token=bad[case])
        assert r.status_code == 401
        bodies[case] = r.content
    assert len(set(bodies.values())) == 1, bodies


@pytest.mark.parametrize("claims", [
    {"exp_offset": -30}, {"nbf_offset": 30}, {"iat_offset": 30},
    {"exp_offset": 3600, "nbf_offset": -10},
])
def test_time_claims_within_leeway_are_accepted(http, demo_server, tenant, claims):
    now = int(time.time())
    kw = {k[:-len("_offset")]: now + v for k, v in claims.items()}
    list_ok(http, demo_server, tenant, BODY, token=tenant.token(**kw))


def test_token_without_iat_is_accepted(http, demo_server, tenant):
    list_ok(http, demo_server, tenant, BODY, token=tenant.token(iat=None, sub="anything at all"))


# ---- the order of the checks -------------------------------------------------


def test_bad_token_and_missing_iid_is_401(http, demo_server, tenant):
    r = post_list(http, demo_server, tenant, BODY, token="garbage",
                  headers={"iid": None, "accountId": None})
    assert_error(r, 401)


def test_missing_auth_and_missing_headers_is_401(http, demo_server, tenant):
    r = post_list(http, demo_server, tenant, BODY,
                  headers={"auth": None, "iid": None, "accountId": None})
    assert_error(r, 401)


def test_good_token_missing_iid_is_400(http, demo_server, tenant):
    r = post_list(http, demo_server, tenant, BODY, headers={"iid": None})
    body = assert_error(r, 400, ["headers.iid"])
    assert [e.get("field") for e in body["errors"]] == ["headers.iid"]


def test_good_token_missing_account_header_is_400(http, demo_server, tenant):
    r = post_list(http, demo_server, tenant, BODY, headers={"accountId": None})
    body = assert_error(r, 400, ["headers.accountId"])
    assert [e.get("field") for e in body["errors"]] == ["headers.accountId"]


def test_good_token_missing_both_headers_lists_both(http, demo_server, tenant):
    r = post_list(http, demo_server, tenant, BODY, headers={"accountId": None, "iid": None})
    body = assert_error(r, 400, ["headers.iid", "headers.accountId"])
    assert len(body["errors"]) == 2


def test_iid_differing_from_path_is_400_even_for_a_real_app(http, demo_server, tenant_factory):
    a = tenant_factory()
    b = tenant_factory(account=a.account)
    # iid names a's own app, the path names b's app: a 400, not a 403.
    r = post_list(http, demo_server, a, BODY, url=demo_server.list_url(b.stream, a.account))
    assert_error(r, 400, ["headers.iid"])
    r = post_list(http, demo_server, a, BODY, headers={"iid": b.stream})
    assert_error(r, 400, ["headers.iid"])


def test_account_header_and_query_differ_is_400(http, demo_server, tenant):
    r = post_list(http, demo_server, tenant, BODY,
                  url=demo_server.list_url(tenant.stream, tenant.account + "x"))
    body = assert_error(r, 400, ["query.accountId"])
    assert [e.get("field") for e in body["errors"]] == ["query.accountId"]


def test_400_header_problems_come_before_403(http, demo_server, tenant_factory):
    noscope = tenant_factory(scopes="")
    r = post_list(http, demo_server, noscope, BODY, headers={"iid": None})
    assert_error(r, 400, ["headers.iid"])


def test_client_of_app_a_calling_app_b_is_403(http, demo_server, tenant_factory):
    a = tenant_factory()
    b = tenant_factory(account=a.account)          # same account, another app
    r = post_list(http, demo_server, a, BODY, url=demo_server.list_url(b.stream, a.account),
                  headers={"iid": b.stream})
    assert_error(r, 403)


def test_client_of_app_a_calling_another_accounts_app_is_403(http, demo_server, tenant_factory):
    a = tenant_factory()
    c = tenant_factory()
    r = post_list(http, demo_server, a, BODY, url=demo_server.list_url(c.stream, c.account),
                  headers={"iid": c.stream, "accountId": c.account})
    assert_error(r, 403)


def test_wrong_account_is_403(http, demo_server, tenant_factory):
    a = tenant_factory()
    other = tenant_factory()
    r = post_list(http, demo_server, a, BODY, url=demo_server.list_url(a.stream, other.account),
                  headers={"accountId": other.account})
    assert_error(r, 403)
    r = post_list(http, demo_server, a, BODY, url=demo_server.list_url(a.stream),
                  headers={"accountId": "nosuchaccount"})
    assert_error(r, 403)


def test_client_without_campaign_scope_is_403(http, demo_server, tenant_factory):
    t = tenant_factory(scopes="")
    assert_error(post_list(http, demo_server, t, BODY), 403)
    t = tenant_factory(scopes="contacts,reports")
    assert_error(post_list(http, demo_server, t, BODY), 403)


def test_scope_list_containing_campaign_management_is_accepted(http, demo_server,
                                                              tenant_factory):
    t = tenant_factory(scopes="reports,campaign-management,contacts")
    list_ok(http, demo_server, t, BODY)
    t = tenant_factory(scopes="campaign-management-readonly")
    assert_error(post_list(http, demo_server, t, BODY), 403)


def test_403_bodies_are_generic(http, demo_server, tenant_factory):
    a = tenant_factory()
    b = tenant_factory(account=a.account)
    noscope = tenant_factory(scopes="")
    r1 = post_list(http, demo_server, a, BODY, url=demo_server.list_url(b.stream, a.account),
                   headers={"iid": b.stream})
    r2 = post_list(http, demo_server, noscope, BODY)
    r3 = post_list(http, demo_server, a, BODY, url=demo_server.list_url(a.stream),
                   headers={"accountId": "nosuchaccount"})
    assert r1.status_code == r2.status_code == r3.status_code == 403
    assert r1.content == r2.content == r3.content


def test_403_comes_before_415_and_body_validation(http, demo_server, tenant_factory):
    t = tenant_factory(scopes="")
    r = post_list(http, demo_server, t, None, raw=b"{not json",
                  headers={"Content-Type": "text/plain"})
    assert_error(r, 403)


def test_second_client_of_an_app_works(http, demo_server, tenant_factory):
    a = tenant_factory()
    a2 = tenant_factory(account=a.account, stream=a.stream)
    assert a2.stream == a.stream and a2.client_id != a.client_id
    list_ok(http, demo_server, a2, BODY)


# ---- tenancy -----------------------------------------------------------------


def test_tenants_see_only_their_own_campaigns(http, demo_server, tenant_factory):
    a = tenant_factory()
    b = tenant_factory()
    a2 = tenant_factory(account=a.account)       # same account, another app
    common = [{"type": "voice", "name": "Shared Name"}, {"type": "sms", "name": "Shared Name"},
              {"type": "voice", "name": "Other Shared"}]
    a.import_items(common + [{"type": "voice", "name": "Only In A"}])
    b.import_items(common)
    a2.import_items([{"type": "voice", "name": "shared name"}])
    ea = {c["_id"] for c in a.export("voice")}
    eb = {c["_id"] for c in b.export("voice")}
    assert not ea & eb

    da = list_ok(http, demo_server, a, {"type": "voice"})["data"]
    db = list_ok(http, demo_server, b, {"type": "voice"})["data"]
    da2 = list_ok(http, demo_server, a2, {"type": "voice"})["data"]
    assert da["totalResults"] == 3 and db["totalResults"] == 2 and da2["totalResults"] == 1
    assert {c["_id"] for c in da["results"]} == ea
    assert {c["_id"] for c in db["results"]} == eb
    assert sorted(c["name"] for c in da["results"]) == ["Only In A", "Other Shared",
                                                        "Shared Name"]
    assert [c["name"] for c in da2["results"]] == ["shared name"]
    assert list_ok(http, demo_server, b, {"type": "sms"})["data"]["totalResults"] == 1


def test_demo_tenant_totals_are_not_affected_by_other_tenants(http, demo_server, demo_tenant,
                                                              tenant_factory):
    t = tenant_factory()
    t.import_items([{"type": "voice", "name": f"extra {i}",
                     "createdAt": "2025-12-05T00:00:00.000Z"} for i in range(3)])
    d = list_ok(http, demo_server, demo_tenant, {"type": "voice"})["data"]
    assert d["totalResults"] == 5
    d = list_ok(http, demo_server, demo_tenant, {"type": "sms"})["data"]
    assert d["totalResults"] == 7
