"""One model behind every route: API-created campaigns in Get All Campaigns
and in `campaignd export`, listing and document agreeing; concurrent creates
with colliding names; failed requests changing nothing; and an end-to-end
run through every family route."""
import json
import threading
from urllib.parse import quote

import pytest
import requests

from conftest import (CID_RE, DAILY, HTTP_TIMEOUT, SCHEDULE_OFF, SMS_KEYS, VOICE_KEYS, WEEKLY,
                      assert_conflict, assert_error, fields_of, is_subsequence, run_threads,
                      sms_body, voice_body)

SMS_SHARED = ["name", "description", "status", "dncLists", "priority", "message", "experienceFlow",
              "createdAt", "updatedAt", "contactLists", "format"]
VOICE_SHARED = ["name", "description", "dncLists", "priority", "dialingMode", "status",
                "isFiltersEnabled", "createdAt", "updatedAt", "contactLists", "connection"]


@pytest.mark.parametrize("variant", ["simple", "template", "advanced"])
def test_api_sms_campaign_in_the_listing(f, variant):
    cid = f.create_sms("Listed", variant=variant, dnc="DNC")
    doc = f.get(cid)
    item = f.listed("sms", cid)
    assert is_subsequence(list(item), SMS_KEYS), list(item)
    for k in ("name", "description", "status", "dncLists", "priority", "createdAt", "updatedAt",
              "schedule", "id", "totalMessagesSent", "campaignInstanceUpdatedAt", "contactLists",
              "format"):
        assert k in item, k
    assert item["id"] == cid and "_id" not in item and "campaignInstanceId" not in item
    for k in SMS_SHARED:
        assert item.get(k) == doc.get(k), k
    assert item["schedule"] == SCHEDULE_OFF
    assert item["totalMessagesSent"] == 0
    assert item["campaignInstanceUpdatedAt"] == item["createdAt"]
    assert "lname" not in item and "isImported" not in item


@pytest.mark.parametrize("mode", ["Agentless", "Progressive", "Preview"])
def test_api_voice_campaign_in_the_listing(f, mode):
    cid = f.create_voice("Listed", mode=mode)
    doc = f.get(cid)
    item = f.listed("voice", cid)
    assert list(item) == [k for k in VOICE_KEYS if k in item]
    expected = [k for k in VOICE_KEYS if not (k == "connection" and mode == "Agentless")]
    assert list(item) == expected
    assert item["_id"] == cid
    for k in VOICE_SHARED:
        assert item.get(k) == doc.get(k), k
    assert item["status"] == "Ready"
    assert item["schedule"] == SCHEDULE_OFF
    assert item["campaignInstanceUpdatedAt"] == item["updatedAt"] == item["createdAt"]


def test_listing_follows_every_write(f):
    s = f.create_sms("S")
    v = f.create_voice("V")
    f.update(s, {"priority": 2, "description": "changed"})
    f.start(s)
    f.start(v)
    f.cli_sent(s, 5)
    f.cli_sent(s, 3)
    sd, vd = f.get(s), f.get(v)
    si, vi = f.listed("sms", s), f.listed("voice", v)
    for k in SMS_SHARED:
        assert si.get(k) == sd.get(k), k
    for k in VOICE_SHARED:
        assert vi.get(k) == vd.get(k), k
    assert si["status"] == vi["status"] == "Active"
    assert si["campaignInstanceId"] == sd["campaignInstanceId"]
    assert CID_RE.match(si["campaignInstanceId"])
    assert si["totalMessagesSent"] == 8
    assert si["campaignInstanceUpdatedAt"] == si["updatedAt"]
    assert vi["campaignInstanceUpdatedAt"] == vi["updatedAt"] == vd["updatedAt"]
    assert (si["priority"], si["description"]) == ("2", "changed")
    # the listing filters see API-made states
    assert [i["id"] for i in f.listing("sms", filters={"status": ["Active"], "priority": [2]})] \
        == [s]
    assert [i["_id"] for i in f.listing("voice", filters={"dialingMode": ["Progressive"]})] == [v]


def test_status_view_agrees_with_the_document(f):
    cid = f.create_voice("Agree")
    for step in (None, "play", "stop"):
        if step:
            f.trigger(cid, step)
        d = f.get(cid)
        assert f.status(cid) == {"id": cid, "status": d["status"], "name": "Agree"}


def test_export_includes_api_campaigns(f):
    s = f.create_sms("Exported SMS", variant="template", dnc="DNC")
    v = f.create_voice("Exported Voice", mode="Preview")
    out = f.tenant.export()
    by_name = {e["name"]: e for e in out}
    assert set(by_name) == {"Exported SMS", "Exported Voice"}
    es, ev = by_name["Exported SMS"], by_name["Exported Voice"]
    assert list(es)[0] == "type" and es["type"] == "sms"
    assert ev["type"] == "voice"
    si, vi = f.listed("sms", s), f.listed("voice", v)
    assert {k: v_ for k, v_ in es.items() if k != "type"} == si
    assert {k: v_ for k, v_ in ev.items() if k != "type"} == vi
    assert [e["name"] for e in f.tenant.export("voice")] == ["Exported Voice"]


def test_exported_api_campaigns_import_into_another_tenant(f, family_factory):
    f.create_sms("Round Trip", variant="advanced")
    f.create_voice("Round Trip V")
    out = f.tenant.export()
    other = family_factory()
    other.tenant.import_items(out)
    assert other.tenant.export() == out


# ---- concurrency ------------------------------------------------------------------


def test_parallel_creates_with_colliding_names(f):
    threads, per_thread = 8, 10
    bases = [f"Race {i}" for i in range(20)]
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads, timeout=30)

    def worker(t):
        variants = [b.upper() if (t + j) % 3 == 0 else b.lower() if (t + j) % 3 == 1 else b
                    for j, b in enumerate(bases)]
        mine = [variants[(t * 3 + j) % len(bases)] for j in range(per_thread)]
        with requests.Session() as s:
            barrier.wait()
            for j, name in enumerate(mine):
                if j % 2:
                    kind, body = "voice", voice_body(name, ["CL"], "DNC", "Progressive")
                else:
                    kind, body = "sms", sms_body(name, ["CL"])
                r = s.post(f.url(f"?campaignType={kind}"), data=json.dumps(body),
                           headers=f.tenant.headers(), timeout=HTTP_TIMEOUT)
                with lock:
                    results.append((kind, name.lower(), r.status_code, r.text))

    run_threads(worker, threads, timeout=60)
    assert len(results) == threads * per_thread
    bad = [r for r in results if r[2] not in (201, 409)]
    assert not bad, bad[:3]
    for kind in ("sms", "voice"):
        names = {n for k, n, _, _ in results if k == kind}
        created = [n for k, n, st, _ in results if k == kind and st == 201]
        assert sorted(created) == sorted(names), "exactly one 201 per distinct name"
        for k, n, st, text in results:
            if k == kind and st == 409:
                assert fields_of(json.loads(text)) == ["name"], text
        listed = [i["name"].lower() for i in f.listing(kind)]
        assert sorted(listed) == sorted(names), "one campaign per name in the listing"
    cl = [x for x in f.lists() if x["name"] == "CL"][0]
    assert len(cl["campaignInUse"]) == len([r for r in results if r[2] == 201])


def test_parallel_starts_open_one_instance(f):
    cid = f.create_voice("Once")
    codes = []
    lock = threading.Lock()

    def worker(_):
        with requests.Session() as s:
            r = s.post(f.url(f"/trigger/{cid}?trigger=play"), data=b"{}",
                       headers=f.tenant.headers(), timeout=HTTP_TIMEOUT)
            with lock:
                codes.append((r.status_code, r.json()))

    run_threads(worker, 6, timeout=30)
    ok = [b for c, b in codes if c == 200]
    assert len(ok) == 1 and len(codes) == 6, codes
    assert sorted(c for c, _ in codes) == [200] + [409] * 5
    assert f.get(cid)["campaignInstanceId"] == ok[0]["campaignInstanceId"]


# ---- failed requests change nothing -------------------------------------------------


def snapshot(f, ids, list_ids):
    return ([f.get_raw(c) for c in ids],
            [f.req("GET", f"/contactList/{x}").content for x in list_ids],
            [f.contacts_of(x) for x in list_ids],
            f.listing("sms"), f.listing("voice"))


def test_failed_requests_change_nothing(f):
    s = f.create_sms("Stable S", dnc="DNC")
    v = f.create_voice("Stable V", mode="Agentless")
    a = f.create_voice("Stable A")
    f.start(a)
    assert f.schedule("Stable S").status_code == 200
    lists = {x["name"]: x["_id"] for x in f.lists()}
    before = snapshot(f, [s, v, a], list(lists.values()))
    failures = [
        f.update(s, {"description": "new", "priority": "05"}),
        f.update(v, {"name": "Renamed", "dialingMode": "Preview"}),
        f.update(v, {"dncLists": None}),
        f.update(v, {"contactLists": ["CL", "Nope"]}),
        f.update(s, {"name": "stable s", "campaignType": "voice"}),
        f.update(a, {"description": "running"}),
        f.delete(a),
        f.trigger(a, "play"),
        f.trigger(v, "stop"),
        f.trigger(s, "pause"),
        f.schedule("Stable V", body={**DAILY, "endDateTime": "2000-01-01 00:00:00"}),
        f.schedule("Stable A"),
        f.schedule("Stable V", enable=False),
        f.schedule("Stable S", body={**WEEKLY, "recurrenceObject": {"recurType": "Weekly"}}),
        f.req("DELETE", f"/contactList/{lists['CL']}"),
        f.req("PUT", f"/contactList/{lists['CL']}", {"name": "DNC"}),
        f.req("PUT", f"/contactList/{lists['CL']}", {"name": "x", "description": None}),
        f.req("POST", "/contactList/addContacts",
              {"contact_list_name": "CL", "data": [{"phoneNumber": "+14155550111"},
                                                   {"phoneNumber": "bad"}]}),
        f.req("POST", "/contactList/createContactList",
              {"name": "cl", "description": "", "source": "passiveApi"}),
        f.create(sms_body("Stable s", ["CL"]), expect=None),
        f.create(voice_body("New V", ["CL", "Missing"], "DNC"), expect=None),
        f.req("POST", f"/{v}/status?view=bogus", {}),
        f.req("POST", f"/{s}/status?view=contacts", {}),
    ]
    for r in failures:
        assert r.status_code in (400, 404, 409), (r.request.method, r.request.url, r.text)
    assert snapshot(f, [s, v, a], list(lists.values())) == before


def test_failed_update_leaves_the_document_byte_identical(f):
    cid = f.create_voice("Bytes", mode="Preview")
    raw = f.get_raw(cid)
    for body, field in (
            ({"maxSkips": 101}, "maxSkips"),
            ({"dialingStrategy": {"callerId": {"phoneNumber": "0"}}},
             "dialingStrategy.callerId.phoneNumber"),
            ({"name": "Fine", "priority": 9}, "priority"), ({"contactLists": []}, "contactLists"),
            ({"dialingStrategy": {"callingHours": {"frequency": "DAILY", "timezone": "UTC",
                                                   "days": [{"day": "MO", "start": "2:00 PM",
                                                             "end": "1:00 PM"}]}}},
             "dialingStrategy.callingHours.days[0].end")):
        assert_error(f.update(cid, body), 400, [field])
        assert f.get_raw(cid) == raw, body


# ---- end to end ---------------------------------------------------------------------


def test_end_to_end(fam):
    f = fam
    # lists and contacts
    f.create_list("Customers A")
    f.create_list("Customers B", allow_duplicates=True)
    f.create_list("Do Not Call")
    f.add_contacts("customers a", [{"phoneNumber": "+14155550001", "uniqueId": "A1"},
                                   "+14155550002", "+14155550003"])
    f.add_contacts("Customers B", ["14155550003", "+14155550004", "+14155550004"])
    f.add_contacts("Do Not Call", ["14155550002"])
    lists = {x["name"]: x for x in f.lists()}
    assert [x["name"] for x in f.lists()] == ["Do Not Call", "Customers B", "Customers A"]
    assert lists["Customers B"]["totalRecordCount"] == 3

    # one campaign of each variant
    ids = {
        "sms simple": f.create_sms("E2E Simple", lists=("Customers A",), dnc="Do Not Call"),
        "sms template": f.create_sms("E2E Template", lists=("Customers B",), variant="template"),
        "sms advanced": f.create_sms("E2E Advanced", lists=("Customers A", "Customers B"),
                                     variant="advanced"),
        "agentless": f.create_voice("E2E Agentless", lists=("Customers A", "Customers B"),
                                    dnc="Do Not Call", mode="Agentless"),
        "progressive": f.create_voice("E2E Progressive", lists=("Customers B",),
                                      dnc="Do Not Call", mode="Progressive"),
        "preview": f.create_voice("E2E Preview", lists=("Customers A",), dnc="Customers B",
                                  mode="Preview"),
    }
    assert {i["status"] for i in f.listing("sms") + f.listing("voice")} == {"Ready"}
    in_use = {x["name"]: [c["name"] for c in x["campaignInUse"]] for x in f.lists()}
    assert in_use["Customers A"] == ["E2E Simple", "E2E Advanced", "E2E Agentless",
                                     "E2E Preview"]
    assert in_use["Do Not Call"] == ["E2E Simple", "E2E Agentless", "E2E Progressive"]

    # audiences before any start
    rows = f.contacts(ids["agentless"])["results"]
    assert [r["phoneNumber"] for r in rows] == ["+14155550001", "+14155550003", "+14155550004"]
    assert rows[0]["uniqueId"] == "A1"
    assert [r["phoneNumber"] for r in f.contacts(ids["preview"])["results"]] == \
        ["+14155550001", "+14155550002"]

    # start, schedule, stop
    for key in ("sms simple", "agentless", "progressive"):
        f.start(ids[key])
    assert f.schedule("E2E Template", body=WEEKLY).status_code == 200
    assert f.schedule("e2e preview", body=DAILY).status_code == 200
    assert f.schedule("E2E Preview", enable=False).status_code == 200
    assert f.schedule("E2E Preview", body=DAILY).status_code == 200
    f.stop(ids["progressive"])
    assert f.schedule("E2E Progressive", body=DAILY).status_code == 200
    f.start(ids["sms advanced"])
    f.cli_status(ids["sms advanced"], "Completed")

    # outcomes from the CLI; one pause and resume
    f.add_contacts("Customers A", ["+14155550009"])  # after the start: not in the snapshot
    f.cli_outcome(ids["agentless"], "+14155550001", "completed", "--attempts", "1",
                  "--session", "s-1", "--disposition", "System Generated",
                  "--bot-status", "userHangUp", "--bot-detail", "user_hangup")
    f.cli_outcome(ids["agentless"], "+14155550004", "failed", "--attempts", "3")
    f.cli_status(ids["agentless"], "Paused")
    resumed = f.start(ids["agentless"])
    assert resumed["totalCallsCompleted"] == 2
    f.cli_sent(ids["sms simple"], 42)

    expected = {"sms simple": "Active", "sms template": "Scheduled", "sms advanced": "Completed",
                "agentless": "Active", "progressive": "Rescheduled", "preview": "Scheduled"}
    listed = {i["name"]: i for i in f.listing("sms") + f.listing("voice")}
    for key, cid in ids.items():
        d = f.get(cid)
        item = listed[d["name"]]
        assert d["status"] == item["status"] == expected[key], key
        assert f.status(cid) == {"id": cid, "status": expected[key], "name": d["name"]}
        on = expected[key] in ("Scheduled", "Rescheduled")
        assert item["schedule"] == {"isSchedulingEnabled": on, "isRecurrenceEnabled": on}, key
        assert d["schedule"]["isSchedulingEnabled"] is on, key
    assert listed["E2E Simple"]["totalMessagesSent"] == 42
    assert listed["E2E Template"]["schedule"] == {"isSchedulingEnabled": True,
                                                  "isRecurrenceEnabled": True}
    assert f.get(ids["sms template"])["schedule"]["recurrenceObject"] == \
        WEEKLY["recurrenceObject"]
    assert "campaignInstanceId" in f.get(ids["progressive"])
    assert "campaignInstanceId" not in f.get(ids["preview"])

    rows = f.contacts(ids["agentless"])["results"]
    assert [(r["phoneNumber"], r["dialerOutcome"], r["numberOfAttemptsSoFar"]) for r in rows] == \
        [("+14155550001", "completed", 1), ("+14155550003", "Pending", 0),
         ("+14155550004", "failed", 3)]
    assert rows[0]["agentDispositionCodes"] == ["System Generated"]
    assert rows[0]["botSessionId"] == "s-1"

    # conflicts along the way
    assert_conflict(f.delete(ids["agentless"]),
                    "Campaign E2E Agentless cannot be deleted in status Active")
    assert_conflict(f.req("DELETE", f"/contactList/{lists['Do Not Call']['_id']}"),
                    "Contact list Do Not Call is used by campaigns: "
                    "E2E Simple, E2E Agentless, E2E Progressive")

    # wind down: stop, rename a list, delete everything
    f.stop(ids["agentless"])
    f.stop(ids["sms simple"])
    r = f.req("PUT", f"/contactList/{lists['Customers A']['_id']}", {"name": "Customers Alpha"})
    assert r.status_code == 200
    assert f.get(ids["preview"])["contactLists"] == ["Customers Alpha"]
    for key, cid in ids.items():
        assert f.delete(cid).status_code == 200, key
    assert f.listing("sms") == [] and f.listing("voice") == []
    for x in f.lists():
        assert x["campaignInUse"] == [] and x["isListInUse"] is False
        assert f.req("DELETE", f"/contactList/{x['_id']}").status_code == 200
    assert f.lists() == []


def test_sample_names_with_spaces_and_pipes_schedule_by_name(f):
    name = "Agentless Voice | Product Feedback | Jan 9"
    cid = f.create_voice(name, mode="Agentless")
    r = f.schedule("x", quoted=quote(name, safe=""))
    assert r.json() == {"status": "success", "message": f"Campaign {name} scheduled successfully",
                        "id": cid}
    assert_error(f.schedule("x", quoted=quote(name, safe="").replace("%7C", "|") + "x"), 404)


# ---- imported campaigns (family spec §3.3, §7, §12) ----------------------------------

INSTANCE = "cid-11111111-1111-4111-8111-111111111111"


def imported(f, items):
    f.tenant.import_items(items)
    out = {}
    for kind in ("sms", "voice"):
        for i in f.listing(kind):
            out[i["name"]] = i.get("_id", i.get("id"))
    return out


def test_imported_campaigns_are_marked_and_readable(f):
    ids = imported(f, [{"type": "sms", "name": "Imp S", "contactLists": ["CL"]},
                       {"type": "voice", "name": "Imp V", "contactLists": ["CL"],
                        "dncLists": {"name": "DNC"}, "dialingMode": "Progressive"}])
    s = f.get(ids["Imp S"])
    assert s["isImported"] is True and s["status"] == "Ready"
    assert s["schedule"] == SCHEDULE_OFF
    v = f.get(ids["Imp V"])
    assert v["status"] == "Ready" and v["dncLists"]["name"] == "DNC"
    assert f.get(f.create_sms("Made"))["isImported"] is False


def test_update_of_an_imported_campaign_names_each_missing_setting(f):
    ids = imported(f, [{"type": "voice", "name": "Bare V", "contactLists": ["CL"],
                        "dncLists": {"name": "DNC"}},
                       {"type": "sms", "name": "Bare S", "contactLists": ["CL"]}])
    before = f.get_raw(ids["Bare V"])
    assert_error(f.update(ids["Bare V"], {}), 400, ["dialingStrategy", "dialingMode"])
    assert_error(f.update(ids["Bare V"], {"description": "x"}), 400,
                 ["dialingStrategy", "dialingMode"])
    assert f.get_raw(ids["Bare V"]) == before
    body = voice_body("Bare V", ["CL"], "DNC", "Preview")
    r = f.update(ids["Bare V"], {k: body[k] for k in ("dialingMode", "dialingStrategy",
                                                      "queue_name", "maxSkips")})
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert d["dialingMode"] == "Preview" and d["connection"] == "Default Queue"
    assert_error(f.update(ids["Bare S"], {}), 400, ["dialingStrategy", "format"])
    body = sms_body("Bare S", ["CL"])
    r = f.update(ids["Bare S"], {k: body[k] for k in ("format", "message", "dialingStrategy")})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["isImported"] is True


def test_resuming_an_imported_paused_campaign_without_instance(f):
    ids = imported(f, [{"type": "voice", "name": "Paused V", "status": "Paused",
                        "contactLists": ["CL"], "dncLists": {"name": "DNC"}},
                       {"type": "sms", "name": "Paused S", "status": "Paused",
                        "campaignInstanceId": INSTANCE, "contactLists": ["CL"]}])
    r = f.start(ids["Paused V"])
    assert CID_RE.match(r["campaignInstanceId"])
    assert f.get(ids["Paused V"])["campaignInstanceId"] == r["campaignInstanceId"]
    assert [x["dialerOutcome"] for x in f.contacts(ids["Paused V"])["results"]] == \
        ["Pending", "Pending"]
    # a Paused campaign that has an instance resumes it
    f.start(ids["Paused S"])
    assert f.get(ids["Paused S"])["campaignInstanceId"] == INSTANCE


def test_imported_preparing_behaves_like_ready(f):
    ids = imported(f, [{"type": "sms", "name": "Prep", "status": "Preparing",
                        "contactLists": ["CL"]}])
    cid = ids["Prep"]
    assert [i["id"] for i in f.listing("sms", filters={"status": ["Preparing"]})] == [cid]
    assert_conflict(f.trigger(cid, "stop"), "Campaign Prep cannot be stopped in status Preparing")
    assert_conflict(f.schedule("Prep", enable=False), "Campaign Prep has no schedule enabled")
    assert f.schedule("Prep").status_code == 200
    assert f.get(cid)["status"] == "Scheduled"
    # API-made campaigns never show as Preparing
    f.create_voice("Made")
    assert f.listing("voice", filters={"status": ["Preparing"]}) == []


def test_disabling_the_schedule_of_a_scheduled_campaign_that_had_run(f):
    ids = imported(f, [{"type": "sms", "name": "Ran", "status": "Scheduled",
                        "campaignInstanceId": INSTANCE, "contactLists": ["CL"],
                        "schedule": {"isSchedulingEnabled": True, "isRecurrenceEnabled": True}}])
    assert f.schedule("Ran", body=DAILY).status_code == 200
    assert f.get(ids["Ran"])["status"] == "Scheduled"
    assert f.schedule("Ran", enable=False).status_code == 200
    d = f.get(ids["Ran"])
    assert d["status"] == "Stopped" and d["schedule"] == SCHEDULE_OFF
