"""Contract §4: the shape of a Get All Campaigns response."""
import json
import re

import pytest

from conftest import (LIST_MESSAGE, SMS_KEYS, TS_RE, UUID4, VOICE_KEYS, contains_null,
                      is_subsequence, list_ok, ordered)


def test_envelope_and_message(http, demo_server, demo_tenant):
    r = http.post(demo_server.list_url(demo_tenant.stream, demo_tenant.account),
                  data=json.dumps({"type": "voice"}), headers=demo_tenant.headers(), timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0].strip() == "application/json"
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["status"] == "success"
    assert doc["message"] == "Campaign  retrieved successfully" == LIST_MESSAGE
    assert b'"Campaign  retrieved successfully"' in r.content
    assert list(doc["data"]) == ["results", "skip", "limit", "hasMore", "totalPages",
                                 "totalResults"]
    d = doc["data"]
    for k in ("skip", "limit", "totalPages", "totalResults"):
        assert type(d[k]) is int, k
    assert type(d["hasMore"]) is bool


def test_demo_voice_items_have_every_key_in_contract_order(http, demo_server, demo_tenant):
    doc = list_ok(http, demo_server, demo_tenant, {"type": "voice", "limit": 100})
    assert len(doc["data"]["results"]) == 5
    for item in doc["data"]["results"]:
        assert list(item) == VOICE_KEYS
        assert list(item["dncLists"]) == ["id", "name"]
        assert re.fullmatch(r"cl-[0-9a-f-]{36}", item["dncLists"]["id"])
        assert is_subsequence(list(item["schedule"]),
                              ["isSchedulingEnabled", "isRecurrenceEnabled"])
        assert item["_id"].startswith("cd-")
        assert "id" not in item and "type" not in item and "isImported" not in item
        assert isinstance(item["contactLists"], list)
        assert all(isinstance(x, str) for x in item["contactLists"])


def test_demo_sms_items_keys_in_contract_order(http, demo_server, demo_tenant):
    doc = list_ok(http, demo_server, demo_tenant, {"type": "sms", "limit": 100})
    results = doc["data"]["results"]
    assert len(results) == 7
    for item in results:
        assert is_subsequence(list(item), SMS_KEYS), list(item)
        assert "_id" not in item and "type" not in item and "isImported" not in item
        assert item["format"] in ("simple", "advanced")
        # message only for simple, experienceFlow only for advanced
        if item["format"] == "simple":
            assert "message" in item and "experienceFlow" not in item
        else:
            assert "experienceFlow" in item and "message" not in item
        if "dncLists" in item:
            assert list(item["dncLists"]) == ["name"]
    stopped = [i for i in results if i["status"] == "Stopped"]
    assert len(stopped) == 1 and stopped[0]["campaignInstanceId"].startswith("cid-")
    assert stopped[0]["schedule"] == {"isSchedulingEnabled": False}


@pytest.mark.parametrize("type_", ["voice", "sms"])
def test_values_types_and_formats(http, demo_server, demo_tenant, type_):
    doc = list_ok(http, demo_server, demo_tenant, {"type": type_, "limit": 100})
    assert not contains_null(doc)
    for item in doc["data"]["results"]:
        assert isinstance(item["priority"], str) and item["priority"] in "12345"
        assert len(item["priority"]) == 1
        for k in ("createdAt", "updatedAt", "campaignInstanceUpdatedAt"):
            if k in item:
                assert TS_RE.match(item[k]), item[k]


def test_absent_values_are_omitted_never_null(http, demo_server, tenant_factory):
    t = tenant_factory()
    t.import_items([
        {"type": "voice", "name": "bare voice", "description": None, "dncLists": None,
         "dialingMode": None, "schedule": None, "connection": None, "contactLists": None,
         "isFiltersEnabled": None, "campaignInstanceUpdatedAt": None},
        {"type": "sms", "name": "bare sms", "message": None, "experienceFlow": None,
         "format": None, "totalMessagesSent": None},
    ])
    v = list_ok(http, demo_server, t, {"type": "voice"})
    s = list_ok(http, demo_server, t, {"type": "sms"})
    assert not contains_null(v) and not contains_null(s)
    vi = v["data"]["results"][0]
    si = s["data"]["results"][0]
    assert list(vi) == ["_id", "name", "priority", "status", "createdAt", "updatedAt"]
    assert list(si) == ["name", "status", "priority", "createdAt", "updatedAt", "id"]
    assert vi["priority"] == "5" and vi["status"] == "Ready"
    assert si["priority"] == "5" and si["status"] == "Ready"
    assert re.fullmatch(r"cd-" + UUID4, vi["_id"])
    assert re.fullmatch(r"cd-" + UUID4, si["id"])


def test_empty_contact_lists_and_partial_objects_are_kept(http, demo_server, tenant_factory):
    t = tenant_factory()
    t.import_items([
        {"type": "voice", "name": "v", "contactLists": [],
         "schedule": {"isRecurrenceEnabled": True}, "dncLists": {"name": "Only Name"}},
        {"type": "sms", "name": "s", "message": {"templateId":
                                                  "cmt-88fcd16f-bdb2-4d4d-8a2c-0324c7f00000",
                                                  "message": "aGk=", "template_name": "T"},
         "format": "simple", "dncLists": {"name": "Only Name"}},
    ])
    vi = list_ok(http, demo_server, t, {"type": "voice"})["data"]["results"][0]
    si = list_ok(http, demo_server, t, {"type": "sms"})["data"]["results"][0]
    assert vi["contactLists"] == []
    assert vi["schedule"] == {"isRecurrenceEnabled": True}
    assert list(vi["dncLists"]) == ["id", "name"] and vi["dncLists"]["name"] == "Only Name"
    assert ordered(si["message"]) == ordered({"template_name": "T", "message": "aGk=",
                                              "templateId":
                                              "cmt-88fcd16f-bdb2-4d4d-8a2c-0324c7f00000"})
    assert si["dncLists"] == {"name": "Only Name"}


def test_priority_is_rendered_as_a_string_for_every_value(http, demo_server, tenant_factory):
    t = tenant_factory()
    t.import_items([{"type": "voice", "name": f"p{p}", "priority": p if p % 2 else str(p)}
                    for p in range(1, 6)])
    res = list_ok(http, demo_server, t, {"type": "voice", "sortBy": {"name": "asc"}})
    assert [r["priority"] for r in res["data"]["results"]] == ["1", "2", "3", "4", "5"]


def test_message_text_is_returned_exactly_as_stored(http, demo_server, tenant_factory):
    t = tenant_factory()
    text = ("TWVzc2FnZQ%3xxxxx+/== \u00e9\u2014\U0001F600 \"quoted\" \\ back "
            "\n\r\t\b\f\u0001\u001f\u007f </script> \u2028")
    desc = "line one\nline two\ttabbed \"q\" \\ \u00e9"
    t.import_items([{"type": "sms", "name": "exact", "description": desc,
                     "message": {"message": text}}])
    r = http.post(demo_server.list_url(t.stream, t.account), data='{"type":"sms"}',
                  headers=t.headers(), timeout=10)
    assert r.status_code == 200
    si = json.loads(r.content.decode("utf-8"))["data"]["results"][0]
    assert si["message"] == {"message": text}
    assert si["description"] == desc
    # and the same through export
    e = t.export("sms")[0]
    assert e["message"] == {"message": text} and e["description"] == desc


def test_timestamps_are_utc_milliseconds(http, demo_server, tenant_factory):
    t = tenant_factory()
    t.import_items([{"type": "voice", "name": "tz",
                     "createdAt": "2025-03-01T15:30:00.123456+05:30",
                     "updatedAt": "2025-03-01",
                     "campaignInstanceUpdatedAt": "2025-03-01T10:00:00Z"}])
    vi = list_ok(http, demo_server, t, {"type": "voice"})["data"]["results"][0]
    assert vi["createdAt"] == "2025-03-01T10:00:00.123Z"
    assert vi["updatedAt"] == "2025-03-01T00:00:00.000Z"
    assert vi["campaignInstanceUpdatedAt"] == "2025-03-01T10:00:00.000Z"
