"""The documented sample requests (get-all-campaigns-v2.md), sent exactly as
written (only host and credentials substituted), against the demo tenant.

tests/blackbox/data/ holds the four code blocks of the documentation,
byte for byte: the two curl commands and the two sample responses."""
import json
import re

from conftest import (DATA, DEMO_ACCOUNT, DEMO_STREAM, LIST_MESSAGE, SMS_KEYS, VOICE_KEYS,
                      is_subsequence, ordered, parse_curl, send_as_curl)

ID_KEYS = {"id", "_id", "experienceFlow", "campaignInstanceId", "templateId"}


def fix_id(value):
    """The redaction rule of demo/samples.json: every 'x' of a redacted id is
    a '0', and a 7-hex-digit first uuid group is padded with a '0'."""
    value = value.replace("x", "0")
    m = re.match(r"^([a-z]+-)([0-9a-f]{7})(-.*)$", value)
    if m:
        value = m.group(1) + m.group(2) + "0" + m.group(3)
    return value


def fix_ids(value, key=None):
    if isinstance(value, dict):
        return {k: fix_ids(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [fix_ids(v) for v in value]
    if isinstance(value, str) and key in ID_KEYS:
        return fix_id(value)
    return value


def fix_dnc_ids(doc):
    """dncLists.id is an id too (voice items)."""
    for item in doc["data"]["results"]:
        if "dncLists" in item and "id" in item["dncLists"]:
            item["dncLists"]["id"] = fix_id(item["dncLists"]["id"])
    return doc


def send_curl(server, text, token):
    """Sends what the documented `curl` command text sends, against the demo
    tenant: its redacted ids (x digits) as zeros, the token for its auth."""
    method, url, headers, body = parse_curl(text)
    url = url.replace("https://{{host}}", "").replace("{{streamId}}", DEMO_STREAM)
    url = url.replace("{{accountId}}", DEMO_ACCOUNT)
    url = re.sub(r"^https?://127\.0\.0\.1:\d+", "", url)
    assert method == "POST" and url.startswith("/campaign/api/v2/public/")

    def value(name, v):
        if v in ("<token>", "$TOKEN"):
            return token
        if name.lower() in ("accountid", "iid"):
            return re.sub(r"x{5,}", lambda m: "0" * len(m.group()), v)
        return v
    return send_as_curl(server.port, method, url, [(n, value(n, v)) for n, v in headers], body)


def load_data(name):
    return (DATA / name).read_text(encoding="utf-8")


def test_sample_request_headers_are_the_documented_ones():
    # Guards the data files: the headers sent below are the documented ones.
    _, _, headers, body = parse_curl(load_data("sms_request.curl"))
    assert [h[0] for h in headers] == ["auth", "accountid", "iid", "Content-Type"]
    assert b'"endDate" : "2025-12-08T00:00:00.000Z"' in body
    assert b'"priority": [5] \n' in body


def test_sms_sample_request_gives_the_documented_response(demo_server, demo_tenant):
    status, headers, body = send_curl(demo_server, load_data("sms_request.curl"),
                                      demo_tenant.token())
    assert status == 200, body
    assert headers["content-type"].split(";")[0] == "application/json"
    actual = json.loads(body)
    expected = fix_ids(json.loads(load_data("sms_response.json")))
    # key for key, value for value, and in key order
    assert ordered(actual) == ordered(expected)


def test_sms_sample_response_item_key_order_is_the_contract_order(demo_server, demo_tenant):
    status, _, body = send_curl(demo_server, load_data("sms_request.curl"), demo_tenant.token())
    assert status == 200
    doc = json.loads(body)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == LIST_MESSAGE
    assert list(doc["data"]) == ["results", "skip", "limit", "hasMore", "totalPages",
                                 "totalResults"]
    for item in doc["data"]["results"]:
        assert is_subsequence(list(item), SMS_KEYS), list(item)
        if "message" in item:
            assert is_subsequence(list(item["message"]),
                                  ["template_name", "message", "templateId"])


def test_voice_sample_request_follows_the_contract_not_the_sample(demo_server, demo_tenant):
    # The documented voice response lists campaigns created after its own
    # endDate (2025-12-04T00:00:00.000Z); the contract's inclusive createdAt
    # bound wins: none of the demo voice campaigns is in range.
    status, headers, body = send_curl(demo_server, load_data("voice_request.curl"),
                                      demo_tenant.token())
    assert status == 200, body
    assert headers["content-type"].split(";")[0] == "application/json"
    doc = json.loads(body)
    assert ordered(doc) == ordered({
        "status": "success", "message": LIST_MESSAGE,
        "data": {"results": [], "skip": 0, "limit": 50, "hasMore": False, "totalPages": 0,
                 "totalResults": 0}})


def test_voice_sample_with_wider_dates_gives_the_documented_items(demo_server, demo_tenant):
    text = load_data("voice_request.curl").replace('"endDate" : "2025-12-04T00:00:00.000Z"',
                                                    '"endDate" : "2025-12-09T00:00:00.000Z"')
    status, _, body = send_curl(demo_server, text, demo_tenant.token())
    assert status == 200, body
    doc = json.loads(body)
    expected = fix_dnc_ids(fix_ids(json.loads(load_data("voice_response.json"))))
    results = doc["data"]["results"]
    # same items, same order (createdAt desc), compared as objects
    assert results == expected["data"]["results"]
    assert {k: v for k, v in doc["data"].items() if k != "results"} == \
        {"skip": 0, "limit": 50, "hasMore": False, "totalPages": 1, "totalResults": 5}
    for item in results:
        # contract §4 order (the sample itself is inconsistent about
        # schedule / campaignInstanceUpdatedAt)
        assert list(item) == [k for k in VOICE_KEYS if k in item]
        assert item["status"] in ("Ready", "Stopped")
        assert item["priority"] == "5"
        assert item["dialingMode"] in ("Progressive", "Preview")
        assert "2025-12-01T00:00:00.000Z" <= item["createdAt"] <= "2025-12-09T00:00:00.000Z"


def test_demo_prints_a_working_curl_command(demo_server, demo_tenant):
    out = demo_server.stdout()
    start = out.index("curl --location")
    end = out.index("}\n'", start) + 3
    text = out[start:end]
    assert f":{demo_server.port}/" in text
    status, _, body = send_curl(demo_server, text, demo_server.creds["token"])
    assert status == 200, body
    expected = fix_ids(json.loads(load_data("sms_response.json")))
    assert ordered(json.loads(body)) == ordered(expected)
