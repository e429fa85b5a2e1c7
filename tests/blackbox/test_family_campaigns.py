"""Family spec §3-§5 and §10: creating, reading, updating and deleting SMS and
voice campaigns; every field rule with its error path; referential rules;
the flow and template registries."""
import itertools
import json

import pytest
import requests

from conftest import (CD_RE, CF_RE, CL_RE, CMT_RE, SCHEDULE_OFF, SMS_CREATE_KEYS, SMS_DOC_KEYS,
                      TS_RE, VOICE_CREATE_KEYS, VOICE_DOC_KEYS, Family, app_create,
                      LONGEST_NAME, assert_conflict, assert_error, dialing_strategy, fields_of,
                      sms_body, tick, voice_body)

SMS_VARIANTS = ["simple", "template", "advanced"]
VOICE_MODES = ["Agentless", "Progressive", "Preview"]


@pytest.fixture
def f(f):
    """conftest's f, with one more list: CL2."""
    f.create_list("CL2")
    return f


@pytest.fixture(scope="module")
def shared(demo_server):
    """One tenant for the field-rule tests: a rejected create changes nothing,
    and the accepted ones use names of their own."""
    with requests.Session() as s:
        fam = Family(demo_server, app_create(demo_server.db), s)
        fam.setup_lists()
        fam.create_list("CL2")
        for i in range(63):
            fam.create_list(f"L{i}")
        yield fam


_names = itertools.count(1)


# ---- create: the six variants ------------------------------------------------


@pytest.mark.parametrize("variant", SMS_VARIANTS)
def test_create_sms_response(f, variant):
    body = sms_body("Alpha Campaign", ["CL"], variant, dnc="DNC")
    r = f.create(body)
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["status"] == "success"
    assert doc["message"] == "Campaign Alpha Campaign creation in progress"
    d = doc["data"]
    drop = {"simple": ("experienceFlow",), "template": ("experienceFlow",),
            "advanced": ("message",)}[variant]
    assert list(d) == [k for k in SMS_CREATE_KEYS if k not in drop]
    assert CD_RE.match(d["_id"])
    assert (d["name"], d["lname"], d["description"]) == \
        ("Alpha Campaign", "alpha campaign", "Alpha Campaign description")
    assert d["status"] == "Ready" and d["priority"] == "5"
    assert d["dncLists"] == {"name": "DNC"}
    assert d["dialingStrategy"] == dialing_strategy(voice=False)
    assert list(d["dialingStrategy"]["callingHours"]) == ["frequency", "timezone", "days"]
    if variant == "simple":
        assert d["message"] == {"message": "SGVsbG8gd29ybGQ="}
    elif variant == "template":
        assert list(d["message"]) == ["template_name", "message", "templateId"]
        assert d["message"]["template_name"] == "Welcome"
        assert d["message"]["message"] == "VGVtcGxhdGUgYm9keQ=="
        assert CMT_RE.match(d["message"]["templateId"])
    else:
        assert CF_RE.match(d["experienceFlow"])
    assert d["isImported"] is False and d["isFiltersEnabled"] is False
    assert TS_RE.match(d["createdAt"]) and d["updatedAt"] == d["createdAt"]
    assert d["schedule"] == {"isSchedulingEnabled": False}
    assert d["contactLists"] == ["CL"]
    assert d["format"] == ("advanced" if variant == "advanced" else "simple")


@pytest.mark.parametrize("mode", VOICE_MODES)
def test_create_voice_response(f, mode):
    r = f.create(voice_body("Beta Voice", ["CL", "CL2"], "DNC", mode))
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Campaign Beta Voice creation in progress"
    d = doc["data"]
    drop = {"Agentless": ("maxSkips",),
            "Progressive": ("experienceFlow", "maxSkips", "enableMachineDetect"),
            "Preview": ("experienceFlow", "enableMachineDetect")}[mode]
    assert list(d) == [k for k in VOICE_CREATE_KEYS if k not in drop]
    assert d["lname"] == "beta voice"
    assert list(d["dncLists"]) == ["id", "name"] and d["dncLists"]["name"] == "DNC"
    assert CL_RE.match(d["dncLists"]["id"])
    assert d["dialingMode"] == mode
    ds = d["dialingStrategy"]
    assert list(ds) == ["callerId", "callingHours", "dialingOrder", "maxAttemptsPerRecord",
                        "defaultRetryPeriod", "maxRingTime", "useSystemMappings"]
    assert list(ds["callingHours"]) == ["frequency", "days", "timezone"]
    assert [list(x) for x in ds["callingHours"]["days"]] == [["start", "end", "day"]] * 2
    assert ds["useSystemMappings"] is False
    assert d["status"] == "Preparing"
    assert d["updatedAt"] == d["createdAt"]
    assert CD_RE.match(d["id"])
    assert d["contactLists"] == ["CL", "CL2"]
    if mode == "Agentless":
        assert CF_RE.match(d["experienceFlow"]) and d["enableMachineDetect"] is False
    if mode == "Preview":
        assert d["maxSkips"] == 1


@pytest.mark.parametrize("variant", SMS_VARIANTS)
def test_get_sms_document(f, variant):
    created = f.create(sms_body("Gamma", ["CL", "CL2"], variant)).json()["data"]
    r = f.req("GET", f"/{created['_id']}")
    assert r.status_code == 200
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Campaign Gamma retrieved successfully"
    d = doc["data"]
    drop = ("experienceFlow", "dncLists", "campaignInstanceId") if variant != "advanced" else \
        ("message", "dncLists", "campaignInstanceId")
    assert list(d) == [k for k in SMS_DOC_KEYS if k not in drop]
    assert d["schedule"] == SCHEDULE_OFF
    for k in created:
        if k != "schedule":
            assert d[k] == created[k], k


@pytest.mark.parametrize("mode", VOICE_MODES)
def test_get_voice_document(f, mode):
    created = f.create(voice_body("Delta", ["CL"], "DNC", mode)).json()["data"]
    d = f.get(created["id"])
    drop = {"Agentless": ("maxSkips", "connection"),
            "Progressive": ("experienceFlow", "maxSkips", "enableMachineDetect"),
            "Preview": ("experienceFlow", "enableMachineDetect")}[mode]
    assert list(d) == [k for k in VOICE_DOC_KEYS if k not in drop + ("campaignInstanceId",)]
    assert d["_id"] == created["id"]
    assert d["status"] == "Ready"
    assert d["updatedAt"] == d["createdAt"] == created["createdAt"]
    assert d["schedule"] == SCHEDULE_OFF
    if mode != "Agentless":
        assert d["connection"] == "Default Queue"
    for k in ("name", "lname", "description", "dncLists", "priority", "dialingMode",
              "dialingStrategy", "experienceFlow", "maxSkips", "isFiltersEnabled", "createdAt",
              "contactLists", "enableMachineDetect"):
        assert d.get(k) == created.get(k), k


@pytest.mark.parametrize("value,returned", [("no", False), ("detect", True),
                                            ("disconnect", True)])
def test_enable_machine_detect_is_returned_as_boolean(f, value, returned):
    cid = f.create_voice("AMD", mode="Agentless", enableMachineDetect=value)
    assert f.get(cid)["enableMachineDetect"] is returned


def test_sms_without_dnc_list_omits_dnc_lists_and_null_means_absent(f):
    a = f.create(sms_body("No DNC", ["CL"])).json()["data"]
    assert "dncLists" not in a
    b = f.create(sms_body("Null DNC", ["CL"], dncLists=None)).json()["data"]
    assert "dncLists" not in b and "dncLists" not in f.get(b["_id"])


def test_description_defaults_to_empty(f):
    body = sms_body("NoDesc", ["CL"])
    del body["description"]
    assert f.create(body).json()["data"]["description"] == ""
    body = voice_body("NoDesc", ["CL"], "DNC")
    del body["description"]
    assert f.create(body).json()["data"]["description"] == ""


@pytest.mark.parametrize("given,stored", [(1, "1"), (5, "5"), ("3", "3")])
def test_priority_integers_are_accepted_and_returned_as_strings(f, given, stored):
    d = f.create(sms_body("P", ["CL"], priority=given)).json()["data"]
    assert d["priority"] == stored and f.get(d["_id"])["priority"] == stored
    v = f.create(voice_body("P", ["CL"], "DNC", priority=given)).json()["data"]
    assert v["priority"] == stored


def test_fields_of_other_formats_and_modes_are_not_stored(f):
    # advanced: message is not stored; simple: experienceFlowName is not used
    a = f.create(sms_body("Adv", ["CL"], "advanced", message={"message": "x"})).json()["data"]
    assert "message" not in a and "message" not in f.get(a["_id"])
    s = f.create(sms_body("Simple", ["CL"], experienceFlowName="Some Flow")).json()["data"]
    assert "experienceFlow" not in s and "experienceFlow" not in f.get(s["_id"])
    # Progressive: enableMachineDetect, maxSkips, experienceFlowName not stored
    p = f.create(voice_body("Prog", ["CL"], "DNC", "Progressive", enableMachineDetect="detect",
                            maxSkips=3, experienceFlowName="F")).json()["data"]
    d = f.get(p["id"])
    for k in ("enableMachineDetect", "maxSkips", "experienceFlow"):
        assert k not in p and k not in d, k
    # Agentless: queue_name and maxSkips not stored
    a = f.create(voice_body("Agl", ["CL"], "DNC", "Agentless", queue_name="Q",
                            maxSkips=3)).json()["data"]
    d = f.get(a["id"])
    assert "connection" not in d and "maxSkips" not in d


@pytest.mark.parametrize("mode,extra", [
    ("Progressive", {"enableMachineDetect": "bogus"}),
    ("Progressive", {"maxSkips": -5}),
    ("Progressive", {"experienceFlowName": 42}),
    ("Agentless", {"queue_name": ""}),
    ("Agentless", {"maxSkips": "many"}),
    ("Preview", {"enableMachineDetect": True}),
])
def test_fields_of_other_modes_are_ignored_not_validated(f, mode, extra):
    # family spec §5.1: "A field that belongs to another mode is ignored and not
    # stored; for example, enableMachineDetect on a Progressive campaign is ignored."
    r = f.create(voice_body("Other mode", ["CL"], "DNC", mode, **extra), expect=None)
    assert r.status_code == 201, r.text
    d = f.get(r.json()["data"]["id"])
    for k in extra:
        assert k not in d


@pytest.mark.parametrize("extra", [{"message": "not an object"},
                                   {"message": {"message": ""}}])
def test_message_is_ignored_not_validated_for_advanced(f, extra):
    r = f.create(sms_body("Adv", ["CL"], "advanced", **extra), expect=None)
    assert r.status_code == 201, r.text


def test_experience_flow_name_is_ignored_not_validated_for_simple(f):
    r = f.create(sms_body("Simple", ["CL"], experienceFlowName=""), expect=None)
    assert r.status_code == 201, r.text


def test_voice_keys_are_ignored_for_sms(f):
    ds = dialing_strategy(voice=True)
    ds.update({"dialingOrder": "bogus", "maxRingTime": 1, "useSystemMappings": True})
    d = f.create(sms_body("SMS voice keys", ["CL"], dialingStrategy=ds)).json()["data"]
    assert list(d["dialingStrategy"]) == ["callerId", "callingHours"]
    assert list(f.get(d["_id"])["dialingStrategy"]) == ["callerId", "callingHours"]


def test_use_system_mappings_is_output_only(f):
    ds = dialing_strategy(voice=True)
    ds["useSystemMappings"] = True
    d = f.create(voice_body("USM", ["CL"], "DNC", dialingStrategy=ds)).json()["data"]
    assert d["dialingStrategy"]["useSystemMappings"] is False


def test_unknown_keys_at_any_level_are_ignored_and_not_stored(f):
    body = sms_body("Unknown keys", ["CL"], "template", dnc="DNC", foo=1, orgId="o-1")
    body["message"]["extra"] = True
    body["dncLists"]["id"] = "cl-whatever"
    body["dialingStrategy"]["zzz"] = {}
    body["dialingStrategy"]["callerId"]["label"] = "x"
    body["dialingStrategy"]["callingHours"]["days"][0]["note"] = "n"
    body["schedule"]["whatever"] = 1
    d = f.create(body).json()["data"]
    text = json.dumps(f.get(d["_id"]))
    for k in ("foo", "orgId", "extra", "zzz", "label", "note", "whatever", "cl-whatever"):
        assert k not in text, k
    v = voice_body("Unknown keys", ["CL"], "DNC", "Preview", connection="C", lname="nope",
                   status="Active", _id="cd-x", isImported=True)
    d = f.get(f.create(v).json()["data"]["id"])
    assert d["connection"] == "Default Queue" and d["lname"] == "unknown keys"
    assert d["status"] == "Ready" and CD_RE.match(d["_id"])


def test_schedule_in_the_body_is_accepted_and_ignored(f):
    d = f.create(sms_body("Sched", ["CL"], schedule={"isSchedulingEnabled": True})).json()["data"]
    assert d["schedule"] == {"isSchedulingEnabled": False}
    got = f.get(d["_id"])
    assert got["schedule"] == SCHEDULE_OFF and got["status"] == "Ready"
    body = sms_body("Sched2", ["CL"])
    del body["schedule"]
    f.create(body)


def test_names_with_unicode_up_to_48_code_points(f):
    name = "é" * 47 + "😀"
    d = f.create(sms_body(name, ["CL"])).json()["data"]
    assert d["name"] == name and d["lname"] == name
    name = "Ünïcode ÀBC"
    d = f.create(sms_body(name, ["CL"])).json()["data"]
    assert d["lname"] == "Ünïcode Àbc"  # ASCII folding only


@pytest.mark.parametrize("kind", ["sms", "voice"])
def test_create_with_the_longest_multibyte_name(f, kind):
    body = sms_body(LONGEST_NAME, ["CL"]) if kind == "sms" else \
        voice_body(LONGEST_NAME, ["CL"], "DNC")
    r = f.create(body, expect=None)
    assert r.status_code == 201, r.text
    assert r.json()["message"] == f"Campaign {LONGEST_NAME} creation in progress"
    assert [c["name"] for c in f.listing(kind)] == [LONGEST_NAME]


def test_failed_create_leaves_nothing_behind(f):
    # whatever the outcome, a non-2xx create must not store the campaign
    r = f.create(sms_body(LONGEST_NAME, ["CL"]), expect=None)
    stored = [c["name"] for c in f.listing("sms")]
    if r.status_code == 201:
        assert stored == [LONGEST_NAME]
    else:
        assert stored == [], f"{r.status_code} {r.text} but the campaign was stored"


def test_update_message_with_the_longest_multibyte_name(f):
    cid = f.create_sms("Short")
    r = f.update(cid, {"name": LONGEST_NAME})
    assert r.status_code == 200, r.text
    assert r.json()["message"] == f"Campaign {LONGEST_NAME} details updated successfully"


@pytest.mark.parametrize("kind", ["sms", "voice"])
def test_every_campaign_sentence_carries_the_name_verbatim(f, kind):
    name = "\u00e9" * 45 + "\U0001F600 |"  # 48 code points, multi-byte
    if kind == "sms":
        created = f.create(sms_body(name, ["CL"]))
        cid = created.json()["data"]["_id"]
    else:
        created = f.create(voice_body(name, ["CL"], "DNC"))
        cid = created.json()["data"]["id"]
    assert created.json()["message"] == f"Campaign {name} creation in progress"
    assert f.req("GET", f"/{cid}").json()["message"] == f"Campaign {name} retrieved successfully"
    r = f.update(cid, {})
    assert r.json()["message"] == f"Campaign {name} details updated successfully"
    f.start(cid)
    assert_conflict(f.trigger(cid, "play"), f"Campaign {name} cannot be started in status Active")
    assert_conflict(f.update(cid, {}), f"Campaign {name} cannot be updated in status Active")
    assert_conflict(f.delete(cid), f"Campaign {name} cannot be deleted in status Active")
    assert_conflict(f.schedule(name), f"Campaign {name} cannot be scheduled in status Active")
    assert_conflict(f.schedule(name, enable=False), f"Campaign {name} has no schedule enabled")
    f.stop(cid)
    assert_conflict(f.trigger(cid, "stop"), f"Campaign {name} cannot be stopped in status Stopped")
    r = f.schedule(name)
    assert r.json()["message"] == f"Campaign {name} scheduled successfully"
    r = f.schedule(name, enable=False)
    assert r.json()["message"] == f"Campaign {name} schedule has been disabled successfully"
    r = f.delete(cid)
    assert r.json()["message"] == f"Campaign {name} deleted successfully"


# ---- field rules -------------------------------------------------------------

LONG = "x" * 49


def sms_case(**changes):
    b = sms_body("Rules", ["CL"], "template", dnc="DNC")
    for path, value in changes.items():
        set_path(b, path, value)
    return b


def voice_case(mode="Preview", **changes):
    b = voice_body("Rules", ["CL"], "DNC", mode)
    for path, value in changes.items():
        set_path(b, path, value)
    return b


DELETE = object()


def set_path(obj, path, value):
    """path like 'dialingStrategy__callingHours__days__0__end'."""
    parts = path.split("__")
    for p in parts[:-1]:
        obj = obj[int(p)] if isinstance(obj, list) else obj[p]
    last = int(parts[-1]) if isinstance(obj, list) else parts[-1]
    if value is DELETE:
        if isinstance(obj, list) or last in obj:
            del obj[last]
    else:
        obj[last] = value


DAYS = "dialingStrategy__callingHours__days"

COMMON_BAD = [
    # (changes, expected field)
    ({"name": DELETE}, "name"), ({"name": ""}, "name"), ({"name": "   "}, "name"),
    ({"name": "\t"}, "name"), ({"name": "a\u0001b"}, "name"), ({"name": "a\u007fb"}, "name"),
    ({"name": "a\nb"}, "name"), ({"name": LONG}, "name"), ({"name": 5}, "name"),
    ({"name": None}, "name"), ({"name": ["n"]}, "name"),
    ({"description": "d" * 257}, "description"), ({"description": None}, "description"),
    ({"description": 1}, "description"),
    ({"contactLists": DELETE}, "contactLists"), ({"contactLists": []}, "contactLists"),
    ({"contactLists": "CL"}, "contactLists"), ({"contactLists": None}, "contactLists"),
    ({"contactLists": [1]}, "contactLists[0]"), ({"contactLists": ["CL", None]}, "contactLists[1]"),
    ({"contactLists": ["CL", "Missing"]}, "contactLists[1]"),
    ({"contactLists": ["CL", "cl"]}, "contactLists[1]"),
    ({"contactLists": ["CL"] + [f"L{i}" for i in range(64)]}, "contactLists"),
    ({"dncLists": "DNC"}, "dncLists"), ({"dncLists": {"name": "Missing"}}, "dncLists.name"),
    ({"dncLists": {"name": 3}}, "dncLists.name"), ({"dncLists": {}}, "dncLists.name"),
    ({"dncLists": {"name": "cl"}}, "dncLists.name"),
    ({"priority": DELETE}, "priority"), ({"priority": "05"}, "priority"),
    ({"priority": "0"}, "priority"), ({"priority": "6"}, "priority"), ({"priority": 6}, "priority"),
    ({"priority": 0}, "priority"), ({"priority": 3.0}, "priority"), ({"priority": 2.5}, "priority"),
    ({"priority": True}, "priority"), ({"priority": ""}, "priority"),
    ({"priority": None}, "priority"), ({"priority": " 5"}, "priority"),
    ({"priority": "1e0"}, "priority"), ({"priority": [5]}, "priority"),
    ({"campaignType": DELETE}, "campaignType"), ({"campaignType": "voice"}, "campaignType"),
    ({"campaignType": "SMS"}, "campaignType"), ({"campaignType": None}, "campaignType"),
    ({"dialingStrategy": DELETE}, "dialingStrategy"), ({"dialingStrategy": []}, "dialingStrategy"),
    ({"dialingStrategy": None}, "dialingStrategy"),
    ({"dialingStrategy__callerId": DELETE},
     ("dialingStrategy.callerId", "dialingStrategy.callerId.phoneNumber")),
    ({"dialingStrategy__callerId": "+14155550100"}, "dialingStrategy.callerId"),
    ({"dialingStrategy__callerId__phoneNumber": DELETE}, "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callerId__phoneNumber": "+0123456789"},
     "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callerId__phoneNumber": "123456"}, "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callerId__phoneNumber": "+1234567890123456"},
     "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callerId__phoneNumber": "+1 415 555 0100"},
     "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callerId__phoneNumber": "++14155550100"},
     "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callerId__phoneNumber": "1415555010a"},
     "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callerId__phoneNumber": 14155550100},
     "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callerId__phoneNumber": ""}, "dialingStrategy.callerId.phoneNumber"),
    ({"dialingStrategy__callingHours": DELETE}, "dialingStrategy.callingHours"),
    ({"dialingStrategy__callingHours__frequency": DELETE},
     "dialingStrategy.callingHours.frequency"),
    ({"dialingStrategy__callingHours__frequency": "weekly"},
     "dialingStrategy.callingHours.frequency"),
    ({"dialingStrategy__callingHours__frequency": "MONTHLY"},
     "dialingStrategy.callingHours.frequency"),
    ({"dialingStrategy__callingHours__timezone": DELETE}, "dialingStrategy.callingHours.timezone"),
    ({"dialingStrategy__callingHours__timezone": "Mars/Olympus_Mons"},
     "dialingStrategy.callingHours.timezone"),
    ({"dialingStrategy__callingHours__timezone": "asia/kolkata"},
     "dialingStrategy.callingHours.timezone"),
    ({"dialingStrategy__callingHours__timezone": "../../etc/passwd"},
     "dialingStrategy.callingHours.timezone"),
    ({"dialingStrategy__callingHours__timezone": ""}, "dialingStrategy.callingHours.timezone"),
    ({"dialingStrategy__callingHours__timezone": 5}, "dialingStrategy.callingHours.timezone"),
    ({DAYS: DELETE}, "dialingStrategy.callingHours.days"),
    ({DAYS: []}, "dialingStrategy.callingHours.days"),
    ({DAYS: [{"day": "MO", "start": "1:00 AM", "end": "1:30 AM"}] * 29},
     "dialingStrategy.callingHours.days"),
    ({DAYS + "__0": "MO"}, "dialingStrategy.callingHours.days[0]"),
    ({DAYS + "__1__day": "Mo"}, "dialingStrategy.callingHours.days[1].day"),
    ({DAYS + "__1__day": "MON"}, "dialingStrategy.callingHours.days[1].day"),
    ({DAYS + "__1__day": DELETE}, "dialingStrategy.callingHours.days[1].day"),
    ({DAYS + "__0__start": "13:00 PM"}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__0__start": "0:30 AM"}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__0__start": "9:00 am"}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__0__start": "9:00AM"}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__0__start": "9:0 AM"}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__0__start": "9:60 AM"}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__0__start": "9:00  AM"}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__0__start": "09:00"}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__0__start": DELETE}, "dialingStrategy.callingHours.days[0].start"),
    ({DAYS + "__1__end": "9:00 AM"}, "dialingStrategy.callingHours.days[1].end"),
    ({DAYS + "__1__end": "8:00 AM"}, "dialingStrategy.callingHours.days[1].end"),
    ({DAYS + "__1__end": DELETE}, "dialingStrategy.callingHours.days[1].end"),
    ({"schedule": "off"}, "schedule"), ({"schedule": None}, "schedule"),
    ({"schedule__isSchedulingEnabled": "false"}, "schedule.isSchedulingEnabled"),
]

SMS_BAD = [
    ({"format": DELETE}, "format"), ({"format": "Simple"}, "format"), ({"format": 1}, "format"),
    ({"message": DELETE}, "message"), ({"message": "text"}, "message"),
    ({"message": None}, "message"),
    ({"message__message": DELETE}, "message.message"),
    ({"message__message": ""}, "message.message"),
    ({"message__message": "m" * 4097}, "message.message"),
    ({"message__message": 1}, "message.message"),
    ({"message__template_name": ""}, "message.template_name"),
    ({"message__template_name": "t" * 129}, "message.template_name"),
    ({"message__template_name": 7}, "message.template_name"),
    ({"message__templateId": "cmt-00000000-0000-4000-8000-000000000000"}, "message.templateId"),
    ({"message__templateId": 1}, "message.templateId"),
    ({"format": "advanced", "experienceFlowName": DELETE}, "experienceFlowName"),
    ({"format": "advanced", "experienceFlowName": ""}, "experienceFlowName"),
    ({"format": "advanced", "experienceFlowName": "f" * 129}, "experienceFlowName"),
    ({"format": "advanced", "experienceFlowName": None}, "experienceFlowName"),
]

VOICE_BAD = [
    ({"dncLists": DELETE}, "dncLists"), ({"dncLists": None}, "dncLists"),
    ({"campaignType": "sms"}, "campaignType"),
    ({"dialingMode": DELETE}, "dialingMode"), ({"dialingMode": "preview"}, "dialingMode"),
    ({"dialingMode": "Predictive"}, "dialingMode"),
    ({"queue_name": DELETE}, "queue_name"), ({"queue_name": ""}, "queue_name"),
    ({"queue_name": "q" * 129}, "queue_name"), ({"queue_name": 1}, "queue_name"),
    ({"maxSkips": DELETE}, "maxSkips"), ({"maxSkips": -1}, "maxSkips"),
    ({"maxSkips": 101}, "maxSkips"), ({"maxSkips": 1.5}, "maxSkips"),
    ({"maxSkips": "1"}, "maxSkips"),
    ({"maxSkips": None}, "maxSkips"),
    ({"dialingStrategy__dialingOrder": DELETE}, "dialingStrategy.dialingOrder"),
    ({"dialingStrategy__dialingOrder": "fifo"}, "dialingStrategy.dialingOrder"),
    ({"dialingStrategy__maxAttemptsPerRecord": DELETE}, "dialingStrategy.maxAttemptsPerRecord"),
    ({"dialingStrategy__maxAttemptsPerRecord": 0}, "dialingStrategy.maxAttemptsPerRecord"),
    ({"dialingStrategy__maxAttemptsPerRecord": 101}, "dialingStrategy.maxAttemptsPerRecord"),
    ({"dialingStrategy__maxAttemptsPerRecord": "3"}, "dialingStrategy.maxAttemptsPerRecord"),
    ({"dialingStrategy__maxAttemptsPerRecord": 3.0}, "dialingStrategy.maxAttemptsPerRecord"),
    ({"dialingStrategy__maxAttemptsPerRecord": 3e0}, "dialingStrategy.maxAttemptsPerRecord"),
    ({"dialingStrategy__defaultRetryPeriod": 0}, "dialingStrategy.defaultRetryPeriod"),
    ({"dialingStrategy__defaultRetryPeriod": 1441}, "dialingStrategy.defaultRetryPeriod"),
    ({"dialingStrategy__defaultRetryPeriod": DELETE}, "dialingStrategy.defaultRetryPeriod"),
    ({"dialingStrategy__maxRingTime": 4}, "dialingStrategy.maxRingTime"),
    ({"dialingStrategy__maxRingTime": 121}, "dialingStrategy.maxRingTime"),
    ({"dialingStrategy__maxRingTime": None}, "dialingStrategy.maxRingTime"),
    ({"dialingStrategy__maxRingTime": DELETE}, "dialingStrategy.maxRingTime"),
]

AGENTLESS_BAD = [
    ({"experienceFlowName": DELETE}, "experienceFlowName"),
    ({"experienceFlowName": ""}, "experienceFlowName"),
    ({"enableMachineDetect": DELETE}, "enableMachineDetect"),
    ({"enableMachineDetect": "yes"}, "enableMachineDetect"),
    ({"enableMachineDetect": False}, "enableMachineDetect"),
    ({"enableMachineDetect": "No"}, "enableMachineDetect"),
]


def _id(case):
    changes, field = case
    field = field if isinstance(field, str) else field[-1]
    return field + ":" + ",".join(f"{k}={'DEL' if v is DELETE else str(v)[:12]}"
                                  for k, v in changes.items())


def _check_rejected(f, body, ctype, field):
    """field: the one expected error path, or a tuple of acceptable ones."""
    before = f.listing(ctype)
    r = f.create(body, ctype=ctype, expect=None)
    if isinstance(field, str):
        assert_error(r, 400, [field])
    else:
        # the spec leaves the path open between these: exactly one of them
        fields = set(fields_of(assert_error(r, 400)))
        assert any(fields == {w} for w in field), f"{fields} is none of {field}"
    assert f.listing(ctype) == before


@pytest.mark.parametrize("case", COMMON_BAD + SMS_BAD, ids=_id)
def test_sms_field_rule(shared, case):
    changes, field = case
    _check_rejected(shared, sms_case(**changes), "sms", field)


@pytest.mark.parametrize("case", COMMON_BAD + VOICE_BAD, ids=_id)
def test_voice_field_rule(shared, case):
    changes, field = case
    if field == "campaignType" and changes.get("campaignType") == "voice":
        changes = {"campaignType": "sms"}
    _check_rejected(shared, voice_case(**changes), "voice", field)


@pytest.mark.parametrize("case", AGENTLESS_BAD, ids=_id)
def test_agentless_field_rule(shared, case):
    changes, field = case
    _check_rejected(shared, voice_case("Agentless", **changes), "voice", field)


GOOD = [
    {"name": "n" * 48}, {"description": "d" * 256}, {"description": ""},
    {"contactLists": ["CL"] + [f"L{i}" for i in range(63)]},
    {"dialingStrategy__callerId__phoneNumber": "+1234567"},
    {"dialingStrategy__callerId__phoneNumber": "1234567"},
    {"dialingStrategy__callerId__phoneNumber": "+123456789012345"},
    {"dialingStrategy__callingHours__frequency": "DAILY"},
    {"dialingStrategy__callingHours__frequency": "CUSTOM"},
    {"dialingStrategy__callingHours__timezone": "UTC"},
    {"dialingStrategy__callingHours__timezone": "America/Argentina/Buenos_Aires"},
    {DAYS: [{"day": d, "start": "12:00 AM", "end": "11:59 PM"}
            for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")]},
    {DAYS: [{"day": "MO", "start": "9:00 AM", "end": "12:00 PM"},
            {"day": "MO", "start": "12:00 PM", "end": "1:00 PM"}]},
    {DAYS: [{"day": d, "start": f"{h}:05 {m}", "end": f"{h}:59 {m}"}
            for d in ("SU", "MO", "TU", "WE", "TH", "FR", "SA") for h, m in
            ((1, "AM"), (10, "AM"), (12, "PM"), (11, "PM"))]},
]


@pytest.mark.parametrize("changes", GOOD, ids=lambda c: ",".join(c)[:40])
def test_values_at_the_limits_are_accepted(shared, changes):
    f = shared
    n = next(_names)
    changes = {"name": f"Good {n}", **changes}
    b = sms_case(**changes)
    d = f.create(b).json()["data"]
    for path, value in changes.items():
        got = d
        for p in path.split("__"):
            got = got[p]
        assert got == value, path
    v = voice_case(**changes)
    f.create(v)


def test_days_keep_their_order(f):
    days = [{"day": "FR", "start": "1:00 PM", "end": "2:00 PM"},
            {"day": "MO", "start": "9:00 AM", "end": "10:00 AM"}]
    d = f.create(sms_case(**{DAYS: days})).json()["data"]
    assert d["dialingStrategy"]["callingHours"]["days"] == days


def test_start_not_before_end_is_reported_on_end(f):
    days = [{"day": "MO", "start": "9:00 AM", "end": "10:00 AM"},
            {"day": "TU", "start": "9:00 AM", "end": "10:00 AM"},
            {"day": "WE", "start": "6:00 PM", "end": "9:00 AM"},
            {"day": "TH", "start": "12:00 PM", "end": "12:00 PM"}]
    r = f.create(sms_case(**{DAYS: days}), expect=None)
    assert_error(r, 400, ["dialingStrategy.callingHours.days[2].end",
                          "dialingStrategy.callingHours.days[3].end"])


def test_overlap_is_reported_on_the_later_window(f):
    days = [{"day": "MO", "start": "9:00 AM", "end": "12:00 PM"},
            {"day": "TU", "start": "9:00 AM", "end": "12:00 PM"},
            {"day": "MO", "start": "11:59 AM", "end": "1:00 PM"}]
    r = f.create(voice_case(**{DAYS: days}), expect=None)
    # family spec §11: an overlap is reported on the later window, days[j]
    assert_error(r, 400, ["dialingStrategy.callingHours.days[2]"])


def test_errors_name_exactly_the_offending_fields(f):
    # a given-but-invalid field is reported once, at its own path
    r = f.create(sms_case(contactLists=["CL", "cl"]), expect=None)
    assert fields_of(assert_error(r, 400)) == ["contactLists[1]"]
    days = [{"day": "MO", "start": "9:00 AM", "end": "12:00 PM"},
            {"day": "MO", "start": "11:00 AM", "end": "1:00 PM"}]
    r = f.create(sms_case(**{DAYS: days}), expect=None)
    assert fields_of(assert_error(r, 400)) == ["dialingStrategy.callingHours.days[1]"]


def test_every_error_is_listed_at_once(f):
    b = sms_case(name="", priority="05", description=None,
                 contactLists=["CL", "Nope1", "Nope2"], dncLists={"name": "Nope3"},
                 **{"dialingStrategy__callerId__phoneNumber": "12",
                    "dialingStrategy__callingHours__timezone": "Nowhere/Zone",
                    DAYS + "__1__day": "XX", "message__message": ""})
    r = f.create(b, expect=None)
    assert_error(r, 400, ["name", "priority", "description", "contactLists[1]",
                          "contactLists[2]", "dncLists.name",
                          "dialingStrategy.callerId.phoneNumber",
                          "dialingStrategy.callingHours.timezone",
                          "dialingStrategy.callingHours.days[1].day", "message.message"])


def test_missing_lists_are_reported_with_other_errors(f):
    r = f.create(sms_case(priority="9", contactLists=["CL", "Nope"]), expect=None)
    assert_error(r, 400, ["priority", "contactLists[1]"])


def test_missing_list_message_names_the_list(f):
    r = f.create(sms_case(contactLists=["CL", "The Missing One"]), expect=None)
    body = assert_error(r, 400, ["contactLists[1]"])
    msg = [e["msg"] for e in body["errors"] if e.get("field") == "contactLists[1]"][0]
    assert "The Missing One" in msg


def test_list_names_resolve_case_insensitively_and_show_stored_names(f):
    d = f.create(voice_body("Case", ["cl", "CL2"], "dnc")).json()["data"]
    assert d["contactLists"] == ["CL", "CL2"] and d["dncLists"]["name"] == "DNC"


def test_dnc_list_equal_to_a_contact_list_is_rejected(f):
    r = f.create(voice_body("Same", ["CL", "CL2"], "cl2"), expect=None)
    assert_error(r, 400, ["dncLists.name"])
    r = f.create(sms_body("Same", ["CL"], dnc="CL"), expect=None)
    assert_error(r, 400, ["dncLists.name"])


@pytest.mark.parametrize("query", ["", "?campaignType=", "?campaignType=email",
                                   "?campaignType=SMS", "?campaignType=Voice"])
def test_create_needs_campaign_type_query(f, query):
    r = f.req("POST", query, sms_body("Q", ["CL"]))
    assert_error(r, 400, ["query.campaignType"])


def test_query_campaign_type_selects_the_rules(f):
    # a voice body on the sms query: campaignType mismatch, and the SMS rules
    # (family spec §4.1) ask for the format a voice body lacks
    r = f.req("POST", "?campaignType=sms", voice_body("Mix", ["CL"], "DNC"))
    assert_error(r, 400, ["campaignType", "format"])
    # an SMS body on the voice query: the voice rules (§3.1, §3.2, §5.1) ask for
    # the DNC list, the dialing mode and the four voice dialingStrategy keys
    r = f.req("POST", "?campaignType=voice", sms_body("Mix", ["CL"]))
    assert_error(r, 400, ["campaignType", "dncLists", "dialingMode",
                          "dialingStrategy.dialingOrder", "dialingStrategy.maxAttemptsPerRecord",
                          "dialingStrategy.defaultRetryPeriod", "dialingStrategy.maxRingTime"])


@pytest.mark.parametrize("raw", [b"", b"[]", b'"x"', b"null", b"{", b'{"name": "a", "name": "b"}',
                                 b'{"dialingStrategy": {"callerId": {}, "callerId": {}}}'])
def test_create_body_must_be_one_json_object(f, raw):
    r = f.req("POST", "?campaignType=sms", raw=raw)
    assert_error(r, 400)


def test_duplicate_key_deep_in_a_valid_body_is_400(f):
    text = json.dumps(sms_body("Dup", ["CL"]))
    text = text.replace('"timezone": "Asia/Kolkata"',
                        '"timezone": "Asia/Kolkata", "timezone": "UTC"')
    assert_error(f.req("POST", "?campaignType=sms", raw=text.encode()), 400)
    assert f.listing("sms") == []


# ---- name uniqueness -----------------------------------------------------------


def test_names_are_unique_per_type_case_insensitively(f):
    f.create_sms("Unique Name")
    r = f.create(sms_body("UNIQUE name", ["CL"]), expect=None)
    assert_error(r, 409, ["name"])
    f.create_voice("unique NAME")
    r = f.create(voice_body("Unique Name", ["CL"], "DNC", "Agentless"), expect=None)
    assert_error(r, 409, ["name"])
    assert len(f.listing("sms")) == 1 and len(f.listing("voice")) == 1


def test_case_folding_is_ascii_only(f):
    f.create_sms("Émile")
    f.create_sms("émile")
    r = f.create(sms_body("ÉMILE", ["CL"]), expect=None)
    assert_error(r, 409, ["name"])


def test_body_errors_come_before_the_name_conflict(f):
    f.create_sms("Taken")
    r = f.create(sms_body("Taken", ["CL"], priority="7"), expect=None)
    assert_error(r, 400, ["priority"])


# ---- registries ------------------------------------------------------------------


def test_same_flow_name_gives_the_same_id_case_insensitively(f):
    a = f.create(sms_body("A", ["CL"], "advanced", experienceFlowName="Flow X")).json()["data"]
    b = f.create(sms_body("B", ["CL"], "advanced", experienceFlowName="flow x")).json()["data"]
    c = f.create(voice_body("C", ["CL"], "DNC", "Agentless",
                            experienceFlowName="FLOW X")).json()["data"]
    d = f.create(sms_body("D", ["CL"], "advanced", experienceFlowName="Flow Y")).json()["data"]
    assert a["experienceFlow"] == b["experienceFlow"] == c["experienceFlow"]
    assert d["experienceFlow"] != a["experienceFlow"]
    assert f.registry_add("flow", "fLoW x") == a["experienceFlow"]


def test_registered_flow_id_is_used(f):
    fid = f.registry_add("flow", "Pre Registered")
    assert CF_RE.match(fid)
    d = f.create(sms_body("A", ["CL"], "advanced",
                          experienceFlowName="PRE REGISTERED")).json()["data"]
    assert d["experienceFlow"] == fid


def test_same_template_name_gives_the_same_id(f):
    a = f.create(sms_body("A", ["CL"], "template")).json()["data"]
    b = f.create(sms_body("B", ["CL"], "template",
                          message={"template_name": "WELCOME", "message": "m"})).json()["data"]
    assert a["message"]["templateId"] == b["message"]["templateId"]
    assert b["message"]["template_name"] == "WELCOME"  # returned as given
    assert f.registry_add("template", "welcome") == a["message"]["templateId"]


def test_template_id_alone_fills_in_the_registered_name(f):
    tid = f.registry_add("template", "Payment Reminder")
    assert CMT_RE.match(tid)
    d = f.create(sms_body("T", ["CL"], message={"message": "m", "templateId": tid})).json()["data"]
    assert d["message"] == {"template_name": "Payment Reminder", "message": "m", "templateId": tid}
    assert list(d["message"]) == ["template_name", "message", "templateId"]
    assert f.get(d["_id"])["message"] == d["message"]


def test_template_id_with_matching_name(f):
    tid = f.registry_add("template", "Promo")
    d = f.create(sms_body("T", ["CL"], message={"template_name": "PROMO", "message": "m",
                                                "templateId": tid})).json()["data"]
    assert d["message"] == {"template_name": "PROMO", "message": "m", "templateId": tid}


def test_template_id_and_name_must_agree(f):
    tid = f.registry_add("template", "Promo")
    f.registry_add("template", "Other")
    r = f.create(sms_body("T", ["CL"], message={"template_name": "Other", "message": "m",
                                                "templateId": tid}), expect=None)
    # the spec does not say which of the two disagreeing keys is reported: one of them
    fields = set(fields_of(assert_error(r, 400)))
    assert fields in ({"message.templateId"}, {"message.template_name"}), fields


def test_unknown_or_foreign_template_id_is_rejected(f, family_factory):
    other = family_factory()
    foreign = other.registry_add("template", "Foreign")
    for tid in (foreign, "cmt-00000000-0000-4000-8000-000000000000", "not-an-id"):
        r = f.create(sms_body("T", ["CL"], message={"message": "m", "templateId": tid}),
                     expect=None)
        assert_error(r, 400, ["message.templateId"])


def test_empty_template_id_means_no_template(f):
    d = f.create(sms_body("T", ["CL"], message={"message": "m", "templateId": ""})).json()["data"]
    assert d["message"] == {"message": "m"}


def test_message_is_kept_verbatim(f):
    text = "Hi <First Name>, \u00e9\u4e2d\U0001F600 %xxxxx \\n \"q\" " + "z" * 4000
    d = f.create(sms_body("V", ["CL"], message={"message": text})).json()["data"]
    assert d["message"]["message"] == text and f.get(d["_id"])["message"]["message"] == text


# ---- update (PUT) --------------------------------------------------------------


def test_update_with_empty_body_moves_updated_at_only(f):
    cid = f.create_voice("U", mode="Preview")
    before = f.get(cid)
    tick()
    r = f.update(cid, {}, "voice")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert list(doc) == ["status", "message", "id", "data"]
    assert doc["message"] == "Campaign U details updated successfully" and doc["id"] == cid
    after = doc["data"]
    assert after["updatedAt"] > before["updatedAt"]
    assert {k: v for k, v in after.items() if k != "updatedAt"} == \
        {k: v for k, v in before.items() if k != "updatedAt"}
    assert list(after) == list(before)
    assert f.get(cid) == after


def test_sms_update_response_has_no_top_level_id(f):
    cid = f.create_sms("U")
    r = f.update(cid, {"description": "new"}, "sms")
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Campaign U details updated successfully"
    assert doc["data"]["description"] == "new"
    assert list(doc["data"]) == [k for k in SMS_DOC_KEYS if k in doc["data"]]


def test_update_message_uses_the_new_name(f):
    cid = f.create_sms("Old Name")
    r = f.update(cid, {"name": "New Name"})
    assert r.json()["message"] == "Campaign New Name details updated successfully"
    d = f.get(cid)
    assert (d["name"], d["lname"]) == ("New Name", "new name")


def test_dialing_strategy_is_merged_by_direct_key(f):
    cid = f.create_voice("M")
    before = f.get(cid)["dialingStrategy"]
    d = f.update(cid, {"dialingStrategy": {"callerId": {"phoneNumber": "+14155550999"},
                                           "maxRingTime": 60}}).json()["data"]
    ds = d["dialingStrategy"]
    assert ds["callerId"] == {"phoneNumber": "+14155550999"} and ds["maxRingTime"] == 60
    assert ds["callingHours"] == before["callingHours"]
    assert ds["dialingOrder"] == "FIFO" and ds["maxAttemptsPerRecord"] == 3
    assert list(ds) == list(before)


def test_calling_hours_are_replaced_whole(f):
    cid = f.create_sms("M")
    ch = {"frequency": "DAILY", "timezone": "UTC",
          "days": [{"day": "SA", "start": "10:00 AM", "end": "11:00 AM"}]}
    d = f.update(cid, {"dialingStrategy": {"callingHours": ch}}).json()["data"]
    assert d["dialingStrategy"]["callingHours"] == ch
    # a partial callingHours replaces the stored one and fails the create rules
    before = f.get_raw(cid)
    r = f.update(cid, {"dialingStrategy": {"callingHours": {"frequency": "WEEKLY"}}})
    assert_error(r, 400, ["dialingStrategy.callingHours.timezone",
                          "dialingStrategy.callingHours.days"])
    assert f.get_raw(cid) == before


def test_arrays_are_replaced_whole(f):
    cid = f.create_sms("Arr", lists=("CL", "CL2"))
    d = f.update(cid, {"contactLists": ["cl2"]}).json()["data"]
    assert d["contactLists"] == ["CL2"]
    days = [{"day": "SU", "start": "1:00 PM", "end": "2:00 PM"}]
    d = f.update(cid, {"dialingStrategy": {"callingHours": {
        "frequency": "WEEKLY", "timezone": "UTC", "days": days}}}).json()["data"]
    assert d["dialingStrategy"]["callingHours"]["days"] == days


def test_dnc_lists_null_removes_it_for_sms(f):
    cid = f.create_sms("Dnc", dnc="DNC")
    assert f.get(cid)["dncLists"] == {"name": "DNC"}
    d = f.update(cid, {"dncLists": None}).json()["data"]
    assert "dncLists" not in d and "dncLists" not in f.get(cid)
    lst = [x for x in f.lists() if x["name"] == "DNC"][0]
    assert lst["campaignInUse"] == [] and lst["isListInUse"] is False


def test_dnc_lists_null_is_400_for_voice(f):
    cid = f.create_voice("Dnc")
    before = f.get_raw(cid)
    assert_error(f.update(cid, {"dncLists": None}), 400, ["dncLists"])
    assert f.get_raw(cid) == before


@pytest.mark.parametrize("field,value", [("name", None), ("description", None),
                                         ("priority", None), ("contactLists", None),
                                         ("dialingStrategy", None), ("message", None),
                                         ("format", None)])
def test_null_is_a_type_error_on_update(f, field, value):
    cid = f.create_sms("Nul")
    before = f.get_raw(cid)
    assert_error(f.update(cid, {field: value}), 400, [field])
    assert f.get_raw(cid) == before


def test_campaign_type_in_body_must_match_stored_type(f):
    s = f.create_sms("T")
    v = f.create_voice("T")
    assert_error(f.update(s, {"campaignType": "voice"}), 400, ["campaignType"])
    assert_error(f.update(v, {"campaignType": "sms"}), 400, ["campaignType"])
    assert f.update(s, {"campaignType": "sms"}).status_code == 200
    # the query campaignType may disagree with the stored type (family spec §2)
    assert f.update(v, {}, "sms").status_code == 200
    assert f.update(s, {}, "voice").status_code == 200
    assert_error(f.update(s, {}, "email"), 400, ["query.campaignType"])


def test_switch_to_preview_needs_max_skips(f):
    cid = f.create_voice("Sw", mode="Progressive")
    before = f.get_raw(cid)
    assert_error(f.update(cid, {"dialingMode": "Preview"}), 400, ["maxSkips"])
    assert f.get_raw(cid) == before
    d = f.update(cid, {"dialingMode": "Preview", "maxSkips": 4}).json()["data"]
    assert d["dialingMode"] == "Preview" and d["maxSkips"] == 4
    assert d["connection"] == "Default Queue"  # queue_name already stored


def test_switch_to_agentless_needs_its_fields_and_drops_the_queue(f):
    cid = f.create_voice("Sw", mode="Preview")
    r = f.update(cid, {"dialingMode": "Agentless"})
    assert_error(r, 400, ["experienceFlowName", "enableMachineDetect"])
    d = f.update(cid, {"dialingMode": "Agentless", "experienceFlowName": "F",
                       "enableMachineDetect": "detect"}).json()["data"]
    assert "connection" not in d and "maxSkips" not in d
    assert CF_RE.match(d["experienceFlow"]) and d["enableMachineDetect"] is True
    assert list(d) == [k for k in VOICE_DOC_KEYS if k in d]


def test_switch_from_agentless_drops_flow_and_machine_detect(f):
    cid = f.create_voice("Sw", mode="Agentless")
    assert_error(f.update(cid, {"dialingMode": "Progressive"}), 400, ["queue_name"])
    d = f.update(cid, {"dialingMode": "Progressive", "queue_name": "Q2"}).json()["data"]
    assert "experienceFlow" not in d and "enableMachineDetect" not in d
    assert d["connection"] == "Q2"
    # back to Agentless: the dropped settings must be given again
    assert_error(f.update(cid, {"dialingMode": "Agentless"}), 400,
                 ["experienceFlowName", "enableMachineDetect"])


def test_preview_to_progressive_drops_max_skips(f):
    cid = f.create_voice("Sw", mode="Preview")
    d = f.update(cid, {"dialingMode": "Progressive"}).json()["data"]
    assert "maxSkips" not in d
    assert_error(f.update(cid, {"dialingMode": "Preview"}), 400, ["maxSkips"])


def test_sms_format_switches(f):
    cid = f.create_sms("Fmt", variant="template")
    d = f.update(cid, {"format": "advanced", "experienceFlowName": "Flow"}).json()["data"]
    assert "message" not in d and CF_RE.match(d["experienceFlow"])
    assert d["format"] == "advanced"
    assert_error(f.update(cid, {"format": "simple"}), 400, ["message"])
    d = f.update(cid, {"format": "simple", "message": {"message": "back"}}).json()["data"]
    assert d["message"] == {"message": "back"} and "experienceFlow" not in d


def test_update_validates_each_given_field(f):
    cid = f.create_voice("V")
    before = f.get_raw(cid)
    r = f.update(cid, {"priority": "05", "name": "", "contactLists": ["Nope"],
                       "dialingStrategy": {"maxRingTime": 500}})
    assert_error(r, 400, ["priority", "name", "contactLists[0]", "dialingStrategy.maxRingTime"])
    assert f.get_raw(cid) == before


def test_rename_conflict_and_self_rename(f):
    a = f.create_sms("First")
    f.create_sms("Second")
    f.create_voice("Third")
    assert_error(f.update(a, {"name": "SECOND"}), 409, ["name"])
    d = f.update(a, {"name": "FIRST"}).json()["data"]
    assert (d["name"], d["lname"]) == ("FIRST", "first")
    # another type's name is free
    assert f.update(a, {"name": "third"}).status_code == 200


def test_update_keeps_status_and_lists_by_id(f):
    cid = f.create_voice("Keep")
    f.start(cid)
    f.stop(cid)
    d = f.update(cid, {"priority": 2}).json()["data"]
    assert d["status"] == "Stopped" and d["priority"] == "2"
    assert "campaignInstanceId" in d


# ---- delete --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sms", "voice"])
def test_delete_returns_the_document_and_frees_the_name(f, kind):
    cid = f.create_sms("Gone", dnc="DNC") if kind == "sms" else f.create_voice("Gone")
    before = f.get(cid)
    r = f.delete(cid, kind)
    assert r.status_code == 200
    doc = r.json()
    assert list(doc) == ["status", "message", "data"]
    assert doc["message"] == "Campaign Gone deleted successfully"
    assert doc["data"] == before and list(doc["data"]) == list(before)
    assert_error(f.req("GET", f"/{cid}"), 404)
    assert_error(f.delete(cid), 404)
    # lists untouched and no longer in use
    for lst in f.lists():
        assert lst["campaignInUse"] == [] and lst["isListInUse"] is False
    assert [x["totalRecordCount"] for x in f.lists() if x["name"] == "CL"] == [2]
    again = f.create_sms("gone") if kind == "sms" else f.create_voice("GONE")
    assert again != cid


def test_delete_serves_both_types_whatever_the_query_type(f):
    v = f.create_voice("V")
    assert f.delete(v, "sms").status_code == 200
    s = f.create_sms("S")
    assert f.delete(s).status_code == 200
    assert_error(f.delete(f.create_sms("T"), "bogus"), 400, ["query.campaignType"])


def test_delete_ignores_a_body(f):
    cid = f.create_sms("Body")
    r = f.req("DELETE", f"/{cid}", raw=b"not json at all",
              headers={"Content-Type": "text/plain"})
    assert r.status_code == 200, r.text


def test_get_ignores_a_body(f):
    cid = f.create_sms("Body")
    r = f.req("GET", f"/{cid}", raw=b"[[[", headers={"Content-Type": "image/png"})
    assert r.status_code == 200, r.text


def test_deleted_campaign_outcomes_do_not_come_back(f):
    cid = f.create_voice("Again")
    f.start(cid)
    f.cli_outcome(cid, "+14155550101", "completed", "--attempts", "1")
    f.stop(cid)
    f.delete(cid)
    new = f.create_voice("Again")
    f.start(new)
    rows = f.contacts(new)["results"]
    assert [r["dialerOutcome"] for r in rows] == ["Pending", "Pending"]


def test_template_name_filled_in_is_the_first_registered_spelling(f):
    a = f.create(sms_body("A", ["CL"], message={"template_name": "Promo Code",
                                                "message": "m"})).json()["data"]
    b = f.create(sms_body("B", ["CL"], message={"template_name": "PROMO CODE",
                                                "message": "m"})).json()["data"]
    tid = a["message"]["templateId"]
    assert b["message"]["templateId"] == tid
    c = f.create(sms_body("C", ["CL"], message={"templateId": tid, "message": "m"})).json()["data"]
    assert c["message"]["template_name"] == "Promo Code"


def test_message_is_replaced_whole_on_update(f):
    cid = f.create_sms("Msg", variant="template")
    d = f.update(cid, {"message": {"message": "plain now"}}).json()["data"]
    assert d["message"] == {"message": "plain now"}


def test_dnc_list_can_be_changed_and_must_not_be_a_contact_list(f):
    v = f.create_voice("Dnc change", lists=("CL",))
    lists = {x["name"]: x["_id"] for x in f.lists()}
    d = f.update(v, {"dncLists": {"name": "cl2"}}).json()["data"]
    assert d["dncLists"] == {"id": lists["CL2"], "name": "CL2"}
    before = f.get_raw(v)
    assert_error(f.update(v, {"dncLists": {"name": "CL"}}), 400, ["dncLists.name"])
    # the merged campaign is checked: new contact lists against the stored DNC list
    assert_error(f.update(v, {"contactLists": ["CL", "CL2"]}), 400, ["dncLists.name"])
    assert f.get_raw(v) == before
    in_use = {x["name"]: [c["id"] for c in x["campaignInUse"]] for x in f.lists()}
    assert in_use["CL2"] == [v] and in_use["DNC"] == []
