"""The documented sample requests of the campaign family (family spec §2-§9),
sent as written.

tests/blackbox/data/family/<page>.txt holds the sample request (the curl
code block) of each page of Koredotcom/docs, docs/xo/apis/contact-center/,
byte for byte (see SOURCES.md there). Each test sends the request curl would
send for it: the method, the headers as written and the body bytes as
written. Only the host, the credentials (auth, iid, accountId), the path
placeholders (streamId, campaignId, contactListId, campaignName, trigger) and
redacted digits of phone numbers (+181633xxxxx) are substituted. The lists
the samples name are created beforehand."""
import json
import re
from urllib.parse import quote

import pytest

from conftest import (ADD_CONTACTS_MESSAGE, CD_RE, CF_RE, CID_RE, CL_RE, CMT_RE, CONTACT_ROW_KEYS,
                      DATA, LIST_CREATE_KEYS, LIST_FULL_KEYS, LIST_MAPPING, LIST_SUMMARY_KEYS,
                      SCHEDULE_OFF, SMS_CREATE_KEYS, SMS_DOC_KEYS, TS_RE, VOICE_CREATE_KEYS,
                      VOICE_DOC_KEYS, fields_of, parse_curl, send_as_curl)

SAMPLES = DATA / "family"
PAGES = ["create-sms-campaign-without-template-v2", "create-sms-campaign-using-template-v2",
         "create-sms-campaign-advanced-format-v2", "get-sms-campaign-by-id-v2",
         "update-sms-campaign-v2", "delete-sms-campaign-v2",
         "create-voice-campaign-agentless-v2", "create-voice-campaign-progressive-v2",
         "create-voice-campaign-preview-v2", "get-voice-campaign-by-id-v2",
         "update-voice-campaign-v2", "delete-voice-campaign-v2", "start-sms-campaign-v2",
         "stop-sms-campaign-v2", "start-voice-campaign-v2", "stop-voice-campaign-v2",
         "get-campaign-status-v2", "get-all-contact-details-voice-campaigns-v2",
         "enable-voice-or-sms-campaign-schedule-daily",
         "enable-voice-or-sms-campaign-schedule-weekly",
         "disable-voice-or-sms-campaign-schedule", "create-contact-list-v2",
         "get-all-contact-lists-v2", "get-contact-list-details-v2", "update-contact-list-v2",
         "delete-contact-list-details-v2", "get-all-contacts-of-a-contactlist-v2",
         "add-contacts-to-contact-list"]

SAMPLE_LIST = "CL Only 2020 Dec 4"
SAMPLE_DNC = "DNC CL Dec 4"


def load(page):
    return (SAMPLES / f"{page}.txt").read_text(encoding="utf-8")


def fix_phones(body):
    """Redacted phone digits (+181633xxxxx) become zeros."""
    return re.sub(rb'("phoneNumber": "\+?[0-9]*)(x+)"',
                  lambda m: m.group(1) + b"0" * len(m.group(2)) + b'"', body)


class Sender:
    def __init__(self, fam):
        self.fam = fam

    def send(self, page, subst=None, body_subst=None, text=None):
        """Sends the sample of page; subst maps a path placeholder to its value."""
        fam = self.fam
        method, url, headers, body = parse_curl(text if text is not None else load(page))
        url = re.sub(r"^h?https://\{\{?(host|url)\}\}", "", url)
        values = {"streamId": fam.stream, "IID": fam.stream, "streamID": fam.stream,
                  "accountId": fam.account}
        values.update(subst or {})

        def repl(m):
            assert m.group(1) in values, f"unsubstituted placeholder {m.group(0)} in {url}"
            return values[m.group(1)]
        url = re.sub(r"\{\{(\w+)\}\}", repl, url)
        assert url.startswith(("/campaign/api/v2/public/", "/api/v2/public/",
                               "/api/1.1/public/")), url
        creds = {"auth": fam.tenant.token(), "accountid": fam.account, "iid": fam.stream}
        headers = [(name, creds.get(name.lower(), value)) for name, value in headers]
        if body is not None:
            body = fix_phones(body)
            for old, new in (body_subst or {}).items():
                assert old.encode() in body, old
                body = body.replace(old.encode(), new.encode())
        return send_as_curl(fam.server.port, method, url, headers, body)


@pytest.fixture
def sender(fam):
    fam.create_list(SAMPLE_LIST)
    fam.create_list(SAMPLE_DNC)
    fam.create_list("testdnc")
    fam.add_contacts(SAMPLE_LIST, ["+919876543210", "+12505550200"])
    return Sender(fam)


def ok_json(status, hdrs, raw, expect):
    assert status == expect, raw
    assert hdrs["content-type"].split(";")[0] == "application/json"
    return json.loads(raw)


def check_sms_ds(ds, phone):
    assert list(ds) == ["callerId", "callingHours"]
    assert ds["callerId"] == {"phoneNumber": phone}
    assert list(ds["callingHours"]) == ["frequency", "timezone", "days"]
    assert ds["callingHours"]["timezone"] == "Asia/Kolkata"
    assert [d["day"] for d in ds["callingHours"]["days"]] == ["MO", "TU", "WE", "TH", "FR"]
    for d in ds["callingHours"]["days"]:
        assert list(d) == ["day", "start", "end"] and d["start"] == "9:00 AM"


def check_voice_ds(ds, phone):
    assert list(ds) == ["callerId", "callingHours", "dialingOrder", "maxAttemptsPerRecord",
                        "defaultRetryPeriod", "maxRingTime", "useSystemMappings"]
    assert ds["callerId"] == {"phoneNumber": phone}
    assert list(ds["callingHours"]) == ["frequency", "days", "timezone"]
    for d in ds["callingHours"]["days"]:
        assert list(d) == ["start", "end", "day"]
    assert (ds["dialingOrder"], ds["maxAttemptsPerRecord"], ds["defaultRetryPeriod"],
            ds["maxRingTime"], ds["useSystemMappings"]) == ("FIFO", 3, 10, 30, False)


# ---- the data files --------------------------------------------------------


def test_every_page_has_its_sample_file():
    assert sorted(p.stem for p in SAMPLES.glob("*.txt")) == sorted(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_sample_files_parse_as_curl_commands(page):
    method, url, headers, body = parse_curl(load(page))
    assert method in ("GET", "POST", "PUT", "DELETE")
    assert "auth" in [h[0].lower() for h in headers]
    if body:
        json.loads(fix_phones(body))


# ---- SMS campaigns ---------------------------------------------------------


def test_create_sms_without_template_sample(sender):
    doc = ok_json(*sender.send("create-sms-campaign-without-template-v2"), 201)
    assert list(doc) == ["status", "message", "data"]
    assert doc["status"] == "success"
    assert doc["message"] == "Campaign Event Reminder SMS Campaign71 creation in progress"
    d = doc["data"]
    assert list(d) == [k for k in SMS_CREATE_KEYS if k not in ("experienceFlow",)]
    assert CD_RE.match(d["_id"])
    assert d["name"] == "Event Reminder SMS Campaign71"
    assert d["lname"] == "event reminder sms campaign71"
    assert d["description"].endswith("used—just a plain, direct message.")
    assert d["status"] == "Ready" and d["priority"] == "5"
    assert d["dncLists"] == {"name": SAMPLE_DNC}
    check_sms_ds(d["dialingStrategy"], "+919561600000")
    assert d["message"] == {"message": "TWVzc2FnZSBmb3IgeW91ciB0YXJnZXRlZCBjdXN0b21lcg%xxxxx"}
    assert d["isImported"] is False and d["isFiltersEnabled"] is False
    assert TS_RE.match(d["createdAt"]) and d["updatedAt"] == d["createdAt"]
    assert d["schedule"] == {"isSchedulingEnabled": False}
    assert d["contactLists"] == [SAMPLE_LIST]
    assert d["format"] == "simple"


def test_create_sms_using_template_sample(sender):
    doc = ok_json(*sender.send("create-sms-campaign-using-template-v2"), 201)
    assert doc["message"] == "Campaign Billing Alert Template Campaign-21 creation in progress"
    d = doc["data"]
    assert list(d) == [k for k in SMS_CREATE_KEYS if k != "experienceFlow"]
    assert d["dncLists"] == {"name": "testdnc"}
    assert list(d["message"]) == ["template_name", "message", "templateId"]
    assert d["message"]["template_name"] == "Welcome"
    assert d["message"]["message"].startswith("VGhpcyBpcyBhIHJlbWluZGVy")
    assert d["message"]["message"].endswith("%xxxxx")
    assert CMT_RE.match(d["message"]["templateId"])
    assert d["updatedAt"] == d["createdAt"]
    assert d["schedule"] == {"isSchedulingEnabled": False}
    assert d["format"] == "simple"


def test_create_sms_advanced_sample_on_the_api_v2_alias(sender):
    # 'hhttps://{{host}}/api/v2/public/...': the prefix alias of family spec §2
    doc = ok_json(*sender.send("create-sms-campaign-advanced-format-v2"), 201)
    assert doc["message"] == "Campaign Interactive Support SMS Campaign1212 creation in progress"
    d = doc["data"]
    assert list(d) == [k for k in SMS_CREATE_KEYS if k != "message"]
    assert CF_RE.match(d["experienceFlow"])
    assert d["format"] == "advanced"
    check_sms_ds(d["dialingStrategy"], "+919860700000")


def test_get_sms_campaign_sample(sender):
    _, _, raw = sender.send("create-sms-campaign-advanced-format-v2")
    created = json.loads(raw)["data"]
    doc = ok_json(*sender.send("get-sms-campaign-by-id-v2", {"campaignId": created["_id"]}), 200)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == \
        "Campaign Interactive Support SMS Campaign1212 retrieved successfully"
    d = doc["data"]
    assert list(d) == ["_id", "name", "lname", "description", "status", "dncLists", "priority",
                       "dialingStrategy", "experienceFlow", "isImported", "isFiltersEnabled",
                       "createdAt", "updatedAt", "schedule", "contactLists", "format"]
    assert d["schedule"] == SCHEDULE_OFF
    for k in ("_id", "name", "lname", "description", "dncLists", "priority", "dialingStrategy",
              "experienceFlow", "createdAt", "updatedAt", "contactLists", "format"):
        assert d[k] == created[k], k


def test_update_sms_campaign_sample(sender):
    _, _, raw = sender.send("create-sms-campaign-advanced-format-v2")
    cid = json.loads(raw)["data"]["_id"]
    doc = ok_json(*sender.send("update-sms-campaign-v2", {"campaignId": cid}), 200)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == \
        "Campaign Interactive Support SMS Campaign details updated successfully"
    d = doc["data"]
    assert list(d) == [k for k in SMS_DOC_KEYS if k in d]
    assert d["_id"] == cid and d["name"] == "Interactive Support SMS Campaign"
    assert d["lname"] == "interactive support sms campaign"
    assert d["description"].startswith("Updated: ")
    # dncLists is not in the body: it is kept (family spec §3.3)
    assert d["dncLists"] == {"name": "testdnc"}
    assert CF_RE.match(d["experienceFlow"]) and "message" not in d
    assert d["schedule"] == SCHEDULE_OFF and d["format"] == "advanced"
    assert d["updatedAt"] >= d["createdAt"]


def test_delete_sms_campaign_sample(sender):
    _, _, raw = sender.send("create-sms-campaign-using-template-v2")
    cid = json.loads(raw)["data"]["_id"]
    before = sender.fam.get(cid)
    doc = ok_json(*sender.send("delete-sms-campaign-v2", {"campaignId": cid}), 200)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Campaign Billing Alert Template Campaign-21 deleted successfully"
    assert doc["data"] == before and list(doc["data"]) == list(before)
    assert sender.fam.req("GET", f"/{cid}").status_code == 404


def test_start_and_stop_sms_samples(sender):
    _, _, raw = sender.send("create-sms-campaign-without-template-v2")
    cid = json.loads(raw)["data"]["_id"]
    # B/{campaignId}?campaignType=sms&trigger=play, no accountId: the alias of §2
    doc = ok_json(*sender.send("start-sms-campaign-v2", {"campaignId": cid, "trigger": "play"}),
                  200)
    assert list(doc) == ["status", "message", "updatedAt"]
    assert doc["status"] == "Active" and doc["message"] == "Campaign Started"
    assert TS_RE.match(doc["updatedAt"])
    assert sender.fam.get(cid)["updatedAt"] == doc["updatedAt"]
    # B//trigger/{campaignId}: the double-slash alias
    doc = ok_json(*sender.send("stop-sms-campaign-v2", {"campaignId": cid}), 200)
    assert list(doc) == ["status", "message", "updatedAt", "campaignExecutionType"]
    assert doc["status"] == "Stopped" and doc["message"] == "Campaign Stopped"
    assert doc["campaignExecutionType"] == "NORMAL"
    assert sender.fam.get(cid)["status"] == "Stopped"


# ---- voice campaigns ---------------------------------------------------------


def test_create_voice_agentless_sample(sender):
    doc = ok_json(*sender.send("create-voice-campaign-agentless-v2"), 201)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Campaign Product Feedback Voice Campaign-3.41 creation in progress"
    d = doc["data"]
    assert list(d) == [k for k in VOICE_CREATE_KEYS if k != "maxSkips"]
    assert d["lname"] == "product feedback voice campaign-3.41"
    assert list(d["dncLists"]) == ["id", "name"]
    assert CL_RE.match(d["dncLists"]["id"]) and d["dncLists"]["name"] == SAMPLE_DNC
    assert d["dialingMode"] == "Agentless"
    check_voice_ds(d["dialingStrategy"], "+14846500000")
    assert CF_RE.match(d["experienceFlow"])
    assert d["status"] == "Preparing"
    assert d["updatedAt"] == d["createdAt"]
    assert CD_RE.match(d["id"])
    assert d["contactLists"] == [SAMPLE_LIST]
    assert d["enableMachineDetect"] is False


def test_create_voice_progressive_sample(sender):
    doc = ok_json(*sender.send("create-voice-campaign-progressive-v2"), 201)
    assert doc["message"] == "Campaign Service Renewal Outreach Campaign61 creation in progress"
    d = doc["data"]
    assert list(d) == [k for k in VOICE_CREATE_KEYS
                       if k not in ("experienceFlow", "maxSkips", "enableMachineDetect")]
    assert d["dialingMode"] == "Progressive" and d["status"] == "Preparing"
    check_voice_ds(d["dialingStrategy"], "+18163300000")


def test_create_voice_preview_sample(sender):
    doc = ok_json(*sender.send("create-voice-campaign-preview-v2"), 201)
    assert doc["message"] == "Campaign Billing Reminder Voice Campaign1 creation in progress"
    d = doc["data"]
    assert list(d) == [k for k in VOICE_CREATE_KEYS
                       if k not in ("experienceFlow", "enableMachineDetect")]
    assert d["dialingMode"] == "Preview" and d["maxSkips"] == 1


def test_get_voice_campaign_sample(sender):
    _, _, raw = sender.send("create-voice-campaign-agentless-v2")
    created = json.loads(raw)["data"]
    doc = ok_json(*sender.send("get-voice-campaign-by-id-v2", {"campaignId": created["id"]}),
                  200)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == \
        "Campaign Product Feedback Voice Campaign-3.41 retrieved successfully"
    d = doc["data"]
    assert list(d) == ["_id", "name", "lname", "description", "dncLists", "priority",
                       "dialingMode", "dialingStrategy", "experienceFlow", "status",
                       "isFiltersEnabled", "createdAt", "updatedAt", "schedule", "contactLists",
                       "enableMachineDetect"]
    assert d["_id"] == created["id"] and d["status"] == "Ready"
    assert d["schedule"] == SCHEDULE_OFF
    assert d["updatedAt"] == d["createdAt"] == created["createdAt"]
    for k in ("name", "lname", "description", "dncLists", "priority", "dialingMode",
              "dialingStrategy", "experienceFlow", "contactLists", "enableMachineDetect"):
        assert d[k] == created[k], k


def test_update_voice_campaign_sample_with_campaign_type_sms(sender):
    _, _, raw = sender.send("create-voice-campaign-agentless-v2")
    cid = json.loads(raw)["data"]["id"]
    doc = ok_json(*sender.send("update-voice-campaign-v2", {"campaignId": cid}), 200)
    assert list(doc) == ["status", "message", "id", "data"]
    assert doc["message"] == \
        "Campaign Product Feedback Voice Campaign-3.5 details updated successfully"
    assert doc["id"] == cid
    d = doc["data"]
    assert list(d) == [k for k in VOICE_DOC_KEYS if k in d]
    assert d["_id"] == cid and d["name"] == "Product Feedback Voice Campaign-3.5"
    assert d["description"].endswith("customer experience.qqq2")
    assert d["dialingMode"] == "Agentless" and CF_RE.match(d["experienceFlow"])
    assert d["enableMachineDetect"] is False and "maxSkips" not in d
    assert d["schedule"] == SCHEDULE_OFF


def test_delete_voice_campaign_sample(sender):
    _, _, raw = sender.send("create-voice-campaign-progressive-v2")
    cid = json.loads(raw)["data"]["id"]
    before = sender.fam.get(cid)
    doc = ok_json(*sender.send("delete-voice-campaign-v2", {"campaignId": cid}), 200)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Campaign Service Renewal Outreach Campaign61 deleted successfully"
    assert list(doc["data"]) == list(before) and doc["data"] == before
    assert doc["data"]["connection"] == "Default Queue"


def test_start_and_stop_voice_samples_on_the_api_v2_alias(sender):
    _, _, raw = sender.send("create-voice-campaign-progressive-v2")
    cid = json.loads(raw)["data"]["id"]
    doc = ok_json(*sender.send("start-voice-campaign-v2", {"campaignId": cid}), 200)
    assert list(doc) == ["status", "message", "totalCallsCompleted", "updatedAt",
                         "campaignInstanceId"]
    assert doc["status"] == "Active" and doc["message"] == "Campaign Started"
    assert doc["totalCallsCompleted"] == 0 and CID_RE.match(doc["campaignInstanceId"])
    started = doc
    doc = ok_json(*sender.send("stop-voice-campaign-v2", {"campaignId": cid}), 200)
    assert list(doc) == ["status", "message", "updatedAt", "campaignInstanceId"]
    assert doc["status"] == "Stopped" and doc["message"] == "Campaign Stopped"
    assert doc["campaignInstanceId"] == started["campaignInstanceId"]
    assert doc["updatedAt"] >= started["updatedAt"]


def test_campaign_status_sample(sender):
    _, _, raw = sender.send("create-voice-campaign-progressive-v2")
    cid = json.loads(raw)["data"]["id"]
    # --data '{}' without a Content-Type: curl sends x-www-form-urlencoded
    doc = ok_json(*sender.send("get-campaign-status-v2", {"campaignId": cid}), 200)
    assert doc == {"status": "success",
                   "data": {"id": cid, "status": "Ready",
                            "name": "Service Renewal Outreach Campaign61"}}
    assert list(doc) == ["status", "data"] and list(doc["data"]) == ["id", "status", "name"]


def test_voice_contacts_sample(sender):
    _, _, raw = sender.send("create-voice-campaign-progressive-v2")
    cid = json.loads(raw)["data"]["id"]
    doc = ok_json(*sender.send("get-all-contact-details-voice-campaigns-v2",
                               {"campaignId": cid}), 200)
    assert list(doc) == ["status", "data"]
    assert list(doc["data"]) == ["results", "page", "limit", "totalPages", "totalResults"]
    assert (doc["data"]["page"], doc["data"]["limit"], doc["data"]["totalPages"],
            doc["data"]["totalResults"]) == (1, 100, 1, 2)
    rows = doc["data"]["results"]
    assert [r["phoneNumber"] for r in rows] == ["+919876543210", "+12505550200"]
    for row in rows:
        assert list(row) == CONTACT_ROW_KEYS
        assert row["dialerOutcome"] == "Pending" and row["numberOfAttemptsSoFar"] == 0


# ---- schedules -------------------------------------------------------------

SCHEDULE_NAME = "Agentless Voice | Product Feedback | Jan 9"


def schedule_target(sender):
    body = (json.dumps({"name": SCHEDULE_NAME}))[1:-1]
    text = load("create-voice-campaign-agentless-v2").replace(
        '"name": "Product Feedback Voice Campaign-3.41"', body)
    status, _, raw = sender.send("create-voice-campaign-agentless-v2", text=text)
    assert status == 201, raw
    return json.loads(raw)["data"]["id"]


@pytest.mark.parametrize("page", ["enable-voice-or-sms-campaign-schedule-daily",
                                  "enable-voice-or-sms-campaign-schedule-weekly"])
def test_enable_schedule_samples_as_written_end_in_the_past(sender, page):
    # Both samples end in early 2026: "after the current time" fails (§8.3).
    schedule_target(sender)
    status, _, raw = sender.send(page, {"campaignName": quote(SCHEDULE_NAME, safe="")})
    body = json.loads(raw)
    assert status == 400, raw
    assert set(fields_of(body)) == {"endDateTime"}, body


def test_enable_daily_schedule_sample(sender):
    cid = schedule_target(sender)
    doc = ok_json(*sender.send("enable-voice-or-sms-campaign-schedule-daily",
                               {"campaignName": quote(SCHEDULE_NAME, safe="")},
                               {"2026-01-27": "2099-01-27", "2026-02-27": "2099-02-27"}), 200)
    assert doc == {"status": "success",
                   "message": f"Campaign {SCHEDULE_NAME} scheduled successfully", "id": cid}
    assert list(doc) == ["status", "message", "id"]
    d = sender.fam.get(cid)
    assert d["status"] == "Scheduled"
    assert list(d["schedule"]) == ["isSchedulingEnabled", "isRecurrenceEnabled", "startDateTime",
                                   "endDateTime", "recurrenceObject"]
    assert d["schedule"] == {
        "isSchedulingEnabled": True, "isRecurrenceEnabled": True,
        "startDateTime": "2099-01-27T18:29:00.000Z", "endDateTime": "2099-02-27T18:29:00.000Z",
        "recurrenceObject": {"recurType": "Daily", "dailyDetails": {"onceEveryNdays": 1}}}


def test_enable_weekly_schedule_sample(sender):
    cid = schedule_target(sender)
    doc = ok_json(*sender.send("enable-voice-or-sms-campaign-schedule-weekly",
                               {"campaignName": quote(SCHEDULE_NAME, safe="")},
                               {"2026-01-1 ": "2099-01-1 ", "2026-01-27": "2099-01-27"}), 200)
    assert doc == {"status": "success",
                   "message": f"Campaign {SCHEDULE_NAME} scheduled successfully", "id": cid}
    s = sender.fam.get(cid)["schedule"]
    assert s["startDateTime"] == "2099-01-01T18:29:00.000Z"
    assert s["endDateTime"] == "2099-01-27T18:29:00.000Z"
    assert s["recurrenceObject"] == {
        "recurType": "Weekly",
        "weeklyDetails": {"onceEveryNweeks": 1,
                          "whichDays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}}


def test_disable_schedule_sample(sender):
    cid = schedule_target(sender)
    r = sender.fam.schedule(SCHEDULE_NAME)
    assert r.status_code == 200, r.text
    doc = ok_json(*sender.send("disable-voice-or-sms-campaign-schedule",
                               {"campaignName": quote(SCHEDULE_NAME, safe="")}), 200)
    assert doc == {"status": "success",
                   "message": f"Campaign {SCHEDULE_NAME} schedule has been disabled successfully",
                   "id": cid}
    assert list(doc) == ["status", "message", "id"]
    d = sender.fam.get(cid)
    assert d["status"] == "Ready" and d["schedule"] == SCHEDULE_OFF


# ---- contact lists -----------------------------------------------------------


def test_create_contact_list_sample(sender):
    doc = ok_json(*sender.send("create-contact-list-v2"), 201)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Contact list Renewal Due 1- July 2025 created successfully"
    d = doc["data"]
    assert list(d) == LIST_CREATE_KEYS
    assert d["name"] == "Renewal Due 1- July 2025"
    assert d["isActive"] is True and d["totalRecordCount"] == 0 and d["status"] == "Ready"
    assert d["createdBy"] == d["updatedBy"] == sender.fam.tenant.client_id
    assert d["mapping"] == LIST_MAPPING and list(d["mapping"]) == list(LIST_MAPPING)
    assert (d["isListInUse"], d["listType"], d["isGlobalDNC"], d["isDefault"]) == \
        (False, "call", False, False)
    assert d["campaignInUse"] == [] and d["source"] == "passiveApi"
    assert d["apiConfigurations"] == {"dataSyncMode": "allowDuplicates"}
    assert d["columns"] == [] and d["files"] == []
    assert TS_RE.match(d["createdAt"]) and d["updatedAt"] == d["createdAt"]
    assert CL_RE.match(d["_id"]) and d["allowDuplicates"] is True


def test_get_all_contact_lists_sample_as_written_is_a_get(sender):
    # The sample has neither --request nor --data, so curl sends a GET; the
    # page's table and family spec §9.3 / §11 say POST: 405 with Allow.
    status, hdrs, raw = sender.send("get-all-contact-lists-v2")
    assert status == 405, raw
    assert hdrs["allow"] == "POST"
    assert json.loads(raw)["status"] == "error"


def test_get_all_contact_lists_sample_with_its_documented_method(sender):
    # the same request with the documented POST (and still no body)
    text = load("get-all-contact-lists-v2").replace("curl --location ",
                                                    "curl --location --request POST ")
    doc = ok_json(*sender.send(None, text=text), 200)
    assert list(doc) == ["status", "message", "data"]
    assert doc["status"] == "success" and doc["message"] == ""
    assert sorted(i["name"] for i in doc["data"]) == sorted([SAMPLE_LIST, SAMPLE_DNC, "testdnc"])
    for item in doc["data"]:
        assert list(item) == LIST_SUMMARY_KEYS


def test_get_contact_list_sample(sender):
    lid = [i for i in sender.fam.lists() if i["name"] == SAMPLE_LIST][0]["_id"]
    doc = ok_json(*sender.send("get-contact-list-details-v2", {"contactListId": lid}), 200)
    assert list(doc) == ["status", "message", "data"] and doc["message"] == ""
    assert list(doc["data"]) == LIST_FULL_KEYS
    assert doc["data"]["_id"] == lid and doc["data"]["totalRecordCount"] == 2


def test_update_contact_list_sample(sender):
    lid = sender.fam.create_list("Renewal Due - July 2025")["_id"]
    doc = ok_json(*sender.send("update-contact-list-v2", {"contactList": lid}), 200)
    f = sender.fam
    assert doc == {"status": "success",
                   "message": "Contact list Renewal Due - May/June 2025 updated successfully",
                   "data": {"contactListId": lid,
                            "body": {"name": "Renewal Due - May/June 2025",
                                     "scope": ["campaign_management"], "iId": f.stream,
                                     "listType": "call", "accountId": f.account,
                                     "updatedBy": f.tenant.client_id}}}
    assert list(doc["data"]["body"]) == ["name", "scope", "iId", "listType", "accountId",
                                         "updatedBy"]
    assert f.get_list(lid)["name"] == "Renewal Due - May/June 2025"


def test_delete_contact_list_sample(sender):
    lid = sender.fam.create_list("Renewal Due - May/June 2025")["_id"]
    before = sender.fam.get_list(lid)
    # --data '' with DELETE
    doc = ok_json(*sender.send("delete-contact-list-details-v2", {"contactList": lid}), 200)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Contact list Renewal Due - May/June 2025 deleted successfully"
    assert doc["data"] == before and list(doc["data"]) == LIST_FULL_KEYS
    assert sender.fam.req("GET", f"/contactList/{lid}").status_code == 404


def test_get_all_contacts_sample_as_written_lacks_iid_and_account(sender):
    # The sample sends only auth; the family spec keeps contract §1 (open point of §2).
    lid = [i for i in sender.fam.lists() if i["name"] == SAMPLE_LIST][0]["_id"]
    status, _, raw = sender.send("get-all-contacts-of-a-contactlist-v2", {"contactList": lid})
    assert status == 400, raw
    assert set(fields_of(json.loads(raw))) == {"headers.iid", "headers.accountId"}, raw


def test_get_all_contacts_sample_with_the_required_headers(sender):
    lid = [i for i in sender.fam.lists() if i["name"] == SAMPLE_LIST][0]["_id"]
    text = load("get-all-contacts-of-a-contactlist-v2").replace(
        "--header 'auth: <token>'",
        "--header 'auth: <token>' \\\n--header 'iid: x' \\\n--header 'accountId: y'")
    doc = ok_json(*sender.send(None, {"contactList": lid}, text=text), 200)
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Contacts retrieved successfully"
    d = doc["data"]
    assert list(d) == ["results", "skip", "limit", "hasMore", "totalPages", "totalResults"]
    assert (d["skip"], d["limit"], d["hasMore"], d["totalPages"], d["totalResults"]) == \
        (0, 50, False, 1, 2)
    for c in d["results"]:
        assert list(c) == ["_id", "createdAt", "updatedAt", "phoneNumber"]


def test_add_contacts_sample_on_the_api_1_1_path(sender):
    lid = sender.fam.create_list("Renewal Due - July 2025")["_id"]
    status, hdrs, raw = sender.send("add-contacts-to-contact-list")
    assert status == 200, raw
    assert json.loads(raw) == {"message": ADD_CONTACTS_MESSAGE}
    contacts = sender.fam.contacts_of(lid)["results"]
    assert [c["phoneNumber"] for c in contacts] == ["9122333445566"]
