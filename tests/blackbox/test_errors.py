"""Contract §2 (errors, status codes, order of checks) and §5 (limits)."""
import json

import pytest

from conftest import (DEMO_STREAM, LIST_PATH, HttpReader, assert_error, connect, list_ok,
                      list_request_bytes, post_list, raw_exchange, read_response,
                      server_on_demo_db)

BODY = {"type": "sms"}


def padded_body(size):
    """A valid request body of exactly size bytes."""
    head = b'{"type":"sms","pad":"'
    tail = b'"}'
    assert size >= len(head) + len(tail)
    return head + b"a" * (size - len(head) - len(tail)) + tail


@pytest.fixture(scope="module")
def small_body_server(demo_server):
    """A server with --max-body 1024 on the demo db (reads the same tenants)."""
    yield from server_on_demo_db(demo_server, "--max-body", "1024")


# ---- 404 / 405 ---------------------------------------------------------------


@pytest.mark.parametrize("method,path", [
    ("GET", "/"),
    ("GET", "/nope"),
    ("POST", "/nope"),
    ("GET", "/healthz/"),
    ("GET", "/HEALTHZ"),
    ("GET", "/Healthz"),
    ("POST", LIST_PATH.format(stream=DEMO_STREAM) + "/"),
    ("POST", LIST_PATH.format(stream=DEMO_STREAM).replace("/campaign/api", "/Campaign/api")),
    ("GET", LIST_PATH.format(stream=DEMO_STREAM).replace("getAllCampaignDetails", "trigger")),
    ("POST", LIST_PATH.format(stream=DEMO_STREAM).replace("/campaign/api", "/api")),
    ("POST", LIST_PATH.format(stream=DEMO_STREAM).replace("/v2/", "/v1/")),
    ("POST", LIST_PATH.format(stream="")),
    ("POST", "/campaign/api/v2/public/" + DEMO_STREAM + "/x/campaign/getAllCampaignDetails"),
    ("DELETE", "/nope"),
])
def test_unknown_route_is_404(http, demo_server, demo_tenant, method, path):
    r = http.request(method, demo_server.url(path) + "?accountId=" + demo_tenant.account,
                     data=json.dumps(BODY), headers=demo_tenant.headers(), timeout=10)
    body = assert_error(r, 404)
    assert body["errors"], body


def test_miscased_list_literal_reads_as_a_campaign_id(http, demo_server, demo_tenant):
    # family spec 2: only the exact literal is the listing; another spelling
    # is a {campaignId} segment, where POST without trigger is a 405.
    path = LIST_PATH.format(stream=DEMO_STREAM).replace("getAllCampaignDetails",
                                                        "getallcampaigndetails")
    r = http.post(demo_server.url(path) + "?accountId=" + demo_tenant.account,
                  data=json.dumps(BODY), headers=demo_tenant.headers(), timeout=10)
    assert_error(r, 405)
    assert r.headers.get("Allow") == "GET, PUT, DELETE"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_wrong_method_on_list_route_is_405_with_allow_post(http, demo_server, demo_tenant,
                                                           method):
    r = http.request(method, demo_server.list_url(demo_tenant.stream, demo_tenant.account),
                     headers=demo_tenant.headers(), data=json.dumps(BODY), timeout=10)
    assert_error(r, 405)
    assert r.headers.get("Allow") == "POST"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_wrong_method_on_healthz_is_405_with_allow_get(http, demo_server, method):
    r = http.request(method, demo_server.url("/healthz"), timeout=10)
    assert_error(r, 405)
    assert r.headers.get("Allow") == "GET"


def test_404_beats_405_413_401_415_400(http, small_body_server):
    r = http.post(small_body_server.url("/nope"), data=b"x" * 5000,
                  headers={"Content-Type": "text/plain"}, timeout=10)
    assert_error(r, 404)


def test_405_beats_413_401_415_400(http, small_body_server):
    r = http.get(small_body_server.list_url(DEMO_STREAM), data=b"x" * 5000,
                 headers={"Content-Type": "text/plain"}, timeout=10)
    assert_error(r, 405)
    assert r.headers.get("Allow") == "POST"


# ---- 413 -----------------------------------------------------------------------


def test_body_at_the_limit_is_accepted(http, small_body_server, demo_tenant):
    r = post_list(http, small_body_server, demo_tenant, None, raw=padded_body(1024))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["totalResults"] == 7


def test_body_over_the_limit_is_413(http, small_body_server, demo_tenant):
    r = post_list(http, small_body_server, demo_tenant, None, raw=padded_body(1025))
    assert_error(r, 413)


def chunked(data, size=100):
    """data in pieces of size: requests sends a generator with chunked encoding."""
    for i in range(0, len(data), size):
        yield data[i:i + size]


@pytest.mark.parametrize("size,status", [(3000, 413), (900, 200)])
def test_chunked_body_is_held_to_the_limit(http, small_body_server, demo_tenant, size, status):
    r = post_list(http, small_body_server, demo_tenant, None, raw=chunked(padded_body(size)))
    assert r.request.headers.get("Transfer-Encoding") == "chunked"
    if status == 200:
        assert r.status_code == 200, r.text
    else:
        assert_error(r, status)


def test_413_beats_401_and_415(http, small_body_server, demo_tenant):
    r = http.post(small_body_server.list_url(demo_tenant.stream, demo_tenant.account),
                  data=b"{" * 2000, headers={"Content-Type": "text/plain"}, timeout=10)
    assert_error(r, 413)


def test_default_limit_is_one_mebibyte(http, demo_server, demo_tenant):
    r = post_list(http, demo_server, demo_tenant, None, raw=padded_body(1048576))
    assert r.status_code == 200, r.text[:300]


@pytest.mark.parametrize("expect", [True, False])
def test_default_limit_content_length_over_is_413(demo_server, demo_tenant, expect):
    # With Expect: 100-continue the Content-Length alone decides and the
    # answer comes before any body byte; without it the body is read (and
    # thrown away) first, so that a client still sending can read the 413.
    h = demo_tenant.headers()
    lines = [f"POST {demo_tenant.path()}?accountId={demo_tenant.account} HTTP/1.1",
             "Host: 127.0.0.1", f"Content-Length: {1048577}"]
    lines += [f"{k}: {v}" for k, v in h.items()]
    if expect:
        lines.append("Expect: 100-continue")
    with connect(demo_server.port) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        if not expect:
            s.sendall(b" " * 1048577)
        status, headers, body = read_response(s, timeout=5)
    assert status == 413
    assert headers["content-type"].split(";")[0] == "application/json"
    assert json.loads(body)["status"] == "error"


# ---- 414 / 431 -----------------------------------------------------------------


@pytest.mark.parametrize("length", [17 * 1024, 30 * 1024])
def test_long_url_is_414(demo_server, length):
    path = "/healthz?pad=" + "a" * (length - len("/healthz?pad="))
    status, headers, body = raw_exchange(
        demo_server.port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert status == 414, body[:200]
    assert headers["content-type"].split(";")[0] == "application/json"
    assert json.loads(body)["status"] == "error"


def test_long_url_on_list_route_is_414(http, demo_server, demo_tenant):
    url = demo_server.list_url(demo_tenant.stream, demo_tenant.account) + "&pad=" + "b" * 17000
    r = http.post(url, data=json.dumps(BODY), headers=demo_tenant.headers(), timeout=10)
    assert_error(r, 414)


def test_url_under_the_limit_is_served(http, demo_server):
    r = http.get(demo_server.url("/healthz?pad=" + "a" * 15000), timeout=10)
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_one_huge_header_is_431(http, demo_server):
    r = http.get(demo_server.url("/healthz"), headers={"X-Pad": "a" * 17000}, timeout=10)
    assert_error(r, 431)


def test_many_headers_over_the_limit_are_431(http, demo_server, demo_tenant):
    h = demo_tenant.headers()
    h.update({f"X-Pad-{i}": "p" * 1000 for i in range(20)})
    r = http.post(demo_server.list_url(demo_tenant.stream, demo_tenant.account),
                  data=json.dumps(BODY), headers=h, timeout=10)
    assert_error(r, 431)


def test_headers_under_the_limit_are_served(http, demo_server, demo_tenant):
    h = demo_tenant.headers()
    h.update({f"X-Pad-{i}": "p" * 1000 for i in range(13)})
    r = http.post(demo_server.list_url(demo_tenant.stream, demo_tenant.account),
                  data=json.dumps(BODY), headers=h, timeout=10)
    assert r.status_code == 200, r.text


# ---- 415 and accepted content types --------------------------------------------


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", "multipart/form-data",
                                   "application/jsonx", "text/json", "application/javascript"])
def test_other_content_types_are_415(http, demo_server, demo_tenant, ctype):
    r = post_list(http, demo_server, demo_tenant, BODY, headers={"Content-Type": ctype})
    assert_error(r, 415)


@pytest.mark.parametrize("ctype", [
    "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
    "Application/JSON", "application/x-www-form-urlencoded", None,
])
def test_accepted_content_types(http, demo_server, demo_tenant, ctype):
    r = post_list(http, demo_server, demo_tenant, BODY, headers={"Content-Type": ctype})
    if ctype is None:
        assert "Content-Type" not in r.request.headers
    assert r.status_code == 200, r.text
    assert r.json()["data"]["totalResults"] == 7


def test_401_beats_415(http, demo_server, demo_tenant):
    r = post_list(http, demo_server, demo_tenant, BODY, token="garbage",
                  headers={"Content-Type": "text/plain"})
    assert_error(r, 401)


def test_header_400_beats_415(http, demo_server, demo_tenant):
    r = post_list(http, demo_server, demo_tenant, BODY,
                  headers={"Content-Type": "text/plain", "iid": None})
    assert_error(r, 400, ["headers.iid"])


def test_415_beats_body_400(http, demo_server, demo_tenant):
    r = post_list(http, demo_server, demo_tenant, None, raw=b"{not json",
                  headers={"Content-Type": "text/plain"})
    assert_error(r, 415)


def test_401_beats_body_400(http, demo_server, demo_tenant):
    r = post_list(http, demo_server, demo_tenant, None, raw=b"{not json", token="garbage")
    assert_error(r, 401)


def test_error_bodies_have_the_contract_shape(http, demo_server, demo_tenant):
    r = post_list(http, demo_server, demo_tenant, {"type": "fax"})
    body = assert_error(r, 400, ["type"])
    assert list(body) == ["status", "message", "errors"]
    assert body["message"].strip() and "\n" not in body["message"]
    for e in body["errors"]:
        assert set(e) <= {"field", "msg"}


def test_a_failed_request_does_not_break_the_connection_reuse(http, demo_server, demo_tenant):
    for _ in range(3):
        assert_error(post_list(http, demo_server, demo_tenant, {"type": "x"}), 400)
        list_ok(http, demo_server, demo_tenant, BODY)


def test_chunked_413_beats_401(http, small_body_server, demo_tenant):
    r = http.post(small_body_server.list_url(demo_tenant.stream, demo_tenant.account),
                  data=chunked(b"{" * 3000), headers={"Content-Type": "text/plain"}, timeout=10)
    assert_error(r, 413)


def test_max_url_and_max_headers_flags(http, server_factory, demo_server, demo_tenant):
    srv = server_factory("--max-url", "200", "--max-headers", "1024", db=demo_server.db)
    assert http.get(srv.url("/healthz?p=" + "a" * 150), timeout=10).status_code == 200
    assert_error(http.get(srv.url("/healthz?p=" + "a" * 250), timeout=10), 414)
    assert http.get(srv.url("/healthz"), headers={"X-P": "a" * 500}, timeout=10).status_code \
        == 200
    assert_error(http.get(srv.url("/healthz"), headers={"X-P": "a" * 1100}, timeout=10), 431)
    # a real request still fits
    list_ok(http, srv, demo_tenant, {"type": "sms"})


@pytest.mark.parametrize("length,expected", [(1048576, 200), (1048577, 413)])
def test_expect_100_continue(demo_server, demo_tenant, length, expected):
    # what curl sends for a large --data @file
    head = list_request_bytes(demo_tenant, b"", extra="Expect: 100-continue\r\n", length=length)
    with connect(demo_server.port, timeout=10) as s:
        s.sendall(head)
        reader = HttpReader(s, timeout=10)
        status, headers, body = reader.response()
        if expected == 200:
            assert status == 100
            s.sendall(padded_body(length))
            status, headers, body = reader.response()
    assert status == expected, body[:200]
    assert headers["content-type"].split(";")[0] == "application/json"
    doc = json.loads(body)
    if expected == 200:
        assert doc["data"]["totalResults"] == 7
    else:
        assert doc["status"] == "error"
