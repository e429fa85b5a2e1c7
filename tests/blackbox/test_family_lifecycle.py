"""Family spec §6-§8.2: start and stop, every cell of the lifecycle table of
§7.2 with its 409 sentence, campaign instances, the status view and the
contacts view of voice campaigns (audience, snapshot, outcomes, paging)."""
import pytest

from conftest import (CID_RE, CONTACT_ROW_KEYS, DAILY, SCHEDULE_OFF, TS_RE, WEEKLY,
                      assert_conflict, assert_error, tick)

STATUSES = ["Ready", "Scheduled", "Rescheduled", "Active", "Paused", "Stopped", "Completed"]
KINDS = ["sms", "voice"]


def make(fam, kind, status, name="Life"):
    """A campaign of the given kind brought to status through the API and the
    admin CLI; returns its id."""
    fam.setup_lists()
    cid = fam.create_sms(name, dnc="DNC") if kind == "sms" else fam.create_voice(name)
    if status == "Ready":
        pass
    elif status == "Scheduled":
        assert fam.schedule(name).status_code == 200
    elif status == "Rescheduled":
        fam.start(cid)
        fam.stop(cid)
        assert fam.schedule(name).status_code == 200
    elif status == "Active":
        fam.start(cid)
    elif status == "Paused":
        fam.start(cid)
        fam.cli_status(cid, "Paused")
    elif status == "Stopped":
        fam.start(cid)
        fam.stop(cid)
    elif status == "Completed":
        fam.start(cid)
        fam.cli_status(cid, "Completed")
    d = fam.get(cid)
    assert d["status"] == status, d
    return cid


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


# ---- play ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["Ready", "Scheduled", "Rescheduled", "Stopped", "Completed"])
def test_play_opens_a_new_instance(fam, kind, status):
    cid = make(fam, kind, status)
    before = fam.get(cid)
    tick()
    r = fam.start(cid)
    after = fam.get(cid)
    assert r["status"] == "Active" == after["status"]
    assert CID_RE.match(after["campaignInstanceId"])
    assert after["campaignInstanceId"] != before.get("campaignInstanceId")
    assert after["updatedAt"] == r["updatedAt"] > before["updatedAt"]
    if kind == "voice":
        assert r["campaignInstanceId"] == after["campaignInstanceId"]
    # a manual start leaves a schedule enabled (§7.2)
    if status in ("Scheduled", "Rescheduled"):
        assert after["schedule"] == {**before["schedule"]}
        assert after["schedule"]["isSchedulingEnabled"] is True
    else:
        assert after["schedule"] == SCHEDULE_OFF


def test_play_on_active_is_409(fam, kind):
    cid = make(fam, kind, "Active")
    before = fam.get_raw(cid)
    assert_conflict(fam.trigger(cid, "play"), "Campaign Life cannot be started in status Active")
    assert fam.get_raw(cid) == before


def test_play_on_paused_resumes_the_same_instance(fam, kind):
    cid = make(fam, kind, "Paused")
    before = fam.get(cid)
    if kind == "voice":
        fam.cli_outcome(cid, "+14155550101", "completed", "--attempts", "2")
    r = fam.start(cid)
    after = fam.get(cid)
    assert after["status"] == "Active"
    assert after["campaignInstanceId"] == before["campaignInstanceId"]
    if kind == "voice":
        assert r["campaignInstanceId"] == before["campaignInstanceId"]
        assert r["totalCallsCompleted"] == 1
        rows = fam.contacts(cid)["results"]
        assert rows[0]["dialerOutcome"] == "completed" and rows[0]["numberOfAttemptsSoFar"] == 2


def test_every_start_but_resume_gives_a_fresh_instance_id(fam, kind):
    cid = make(fam, kind, "Ready")
    seen = []
    for _ in range(3):
        fam.start(cid)
        seen.append(fam.get(cid)["campaignInstanceId"])
        fam.stop(cid)
    assert len(set(seen)) == 3 and all(CID_RE.match(x) for x in seen)
    assert fam.get(cid)["campaignInstanceId"] == seen[-1]


# ---- stop ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["Scheduled", "Rescheduled", "Active", "Paused"])
def test_stop_clears_the_schedule(fam, kind, status):
    cid = make(fam, kind, status)
    before = fam.get(cid)
    tick()
    r = fam.stop(cid)
    after = fam.get(cid)
    assert r["status"] == "Stopped" == after["status"]
    assert after["schedule"] == SCHEDULE_OFF
    assert after["updatedAt"] == r["updatedAt"] > before["updatedAt"]
    assert after.get("campaignInstanceId") == before.get("campaignInstanceId")
    if kind == "voice":
        if "campaignInstanceId" in before:
            assert r["campaignInstanceId"] == before["campaignInstanceId"]
        else:
            assert "campaignInstanceId" not in r


def test_stop_of_an_active_scheduled_campaign_clears_its_schedule(fam, kind):
    cid = make(fam, kind, "Scheduled")
    fam.start(cid)
    assert fam.get(cid)["schedule"]["isSchedulingEnabled"] is True
    fam.stop(cid)
    d = fam.get(cid)
    assert d["schedule"] == SCHEDULE_OFF and list(d["schedule"]) == list(SCHEDULE_OFF)


@pytest.mark.parametrize("status", ["Ready", "Stopped", "Completed"])
def test_stop_is_409(fam, kind, status):
    cid = make(fam, kind, status)
    before = fam.get_raw(cid)
    assert_conflict(fam.trigger(cid, "stop"), f"Campaign Life cannot be stopped in status {status}")
    assert fam.get_raw(cid) == before


# ---- enable schedule -----------------------------------------------------------


@pytest.mark.parametrize("status,after", [("Ready", "Scheduled"), ("Scheduled", "Scheduled"),
                                          ("Rescheduled", "Rescheduled"),
                                          ("Stopped", "Rescheduled"),
                                          ("Completed", "Rescheduled")])
def test_enable_schedule(fam, kind, status, after):
    cid = make(fam, kind, status)
    before = fam.get(cid)
    tick()
    r = fam.schedule("Life", body=WEEKLY)
    assert r.status_code == 200, r.text
    d = fam.get(cid)
    assert d["status"] == after
    assert d["schedule"]["recurrenceObject"] == WEEKLY["recurrenceObject"]
    assert d["updatedAt"] > before["updatedAt"]
    assert d.get("campaignInstanceId") == before.get("campaignInstanceId")


def test_enable_schedule_on_stopped_that_never_ran_is_scheduled(fam, kind):
    cid = make(fam, kind, "Scheduled")
    fam.stop(cid)
    d = fam.get(cid)
    assert d["status"] == "Stopped" and "campaignInstanceId" not in d
    assert fam.schedule("Life").status_code == 200
    assert fam.get(cid)["status"] == "Scheduled"


@pytest.mark.parametrize("status", ["Active", "Paused"])
def test_enable_schedule_on_a_running_campaign_is_409(fam, kind, status):
    cid = make(fam, kind, status)
    before = fam.get_raw(cid)
    assert_conflict(fam.schedule("Life"), f"Campaign Life cannot be scheduled in status {status}")
    assert fam.get_raw(cid) == before


# ---- disable schedule ----------------------------------------------------------


@pytest.mark.parametrize("status,after", [("Scheduled", "Ready"), ("Rescheduled", "Stopped")])
def test_disable_schedule(fam, kind, status, after):
    cid = make(fam, kind, status)
    before = fam.get(cid)
    tick()
    r = fam.schedule("Life", enable=False)
    assert r.status_code == 200, r.text
    d = fam.get(cid)
    assert d["status"] == after and d["schedule"] == SCHEDULE_OFF
    assert d["updatedAt"] > before["updatedAt"]


@pytest.mark.parametrize("status", ["Active", "Paused"])
def test_disable_schedule_of_a_running_campaign_keeps_its_status(fam, kind, status):
    cid = make(fam, kind, "Scheduled")
    fam.start(cid)
    if status == "Paused":
        fam.cli_status(cid, "Paused")
    r = fam.schedule("Life", enable=False)
    assert r.status_code == 200, r.text
    d = fam.get(cid)
    assert d["status"] == status and d["schedule"] == SCHEDULE_OFF
    # and now there is none
    assert_conflict(fam.schedule("Life", enable=False), "Campaign Life has no schedule enabled")


@pytest.mark.parametrize("status", ["Ready", "Active", "Paused", "Stopped", "Completed"])
def test_disable_without_a_schedule_is_409(fam, kind, status):
    cid = make(fam, kind, status)
    before = fam.get_raw(cid)
    assert_conflict(fam.schedule("Life", enable=False), "Campaign Life has no schedule enabled")
    assert fam.get_raw(cid) == before


# ---- update and delete ---------------------------------------------------------


@pytest.mark.parametrize("status", ["Ready", "Scheduled", "Rescheduled", "Stopped", "Completed"])
def test_update_is_allowed_and_keeps_the_status(fam, kind, status):
    cid = make(fam, kind, status)
    before = fam.get(cid)
    r = fam.update(cid, {"description": "changed"})
    assert r.status_code == 200, r.text
    d = fam.get(cid)
    assert d["status"] == status and d["description"] == "changed"
    assert d["schedule"] == before["schedule"]


@pytest.mark.parametrize("status", ["Active", "Paused"])
def test_update_of_a_running_campaign_is_409(fam, kind, status):
    cid = make(fam, kind, status)
    before = fam.get_raw(cid)
    assert_conflict(fam.update(cid, {"description": "x"}),
                    f"Campaign Life cannot be updated in status {status}")
    assert_conflict(fam.update(cid, {}), f"Campaign Life cannot be updated in status {status}")
    assert fam.get_raw(cid) == before


def test_update_body_errors_come_before_the_status_conflict(fam, kind):
    cid = make(fam, kind, "Active")
    assert_error(fam.update(cid, {"priority": "0"}), 400, ["priority"])


@pytest.mark.parametrize("status", ["Ready", "Scheduled", "Rescheduled", "Stopped", "Completed"])
def test_delete_is_allowed(fam, kind, status):
    cid = make(fam, kind, status)
    r = fam.delete(cid)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == status
    assert_error(fam.req("GET", f"/{cid}"), 404)


@pytest.mark.parametrize("status", ["Active", "Paused"])
def test_delete_of_a_running_campaign_is_409(fam, kind, status):
    cid = make(fam, kind, status)
    before = fam.get_raw(cid)
    assert_conflict(fam.delete(cid), f"Campaign Life cannot be deleted in status {status}")
    assert fam.get_raw(cid) == before


# ---- start/stop responses ------------------------------------------------------


def test_sms_start_and_stop_response_shapes(fam):
    cid = make(fam, "sms", "Ready")
    r = fam.trigger(cid, "play", "sms")
    doc = r.json()
    assert list(doc) == ["status", "message", "updatedAt"]
    assert (doc["status"], doc["message"]) == ("Active", "Campaign Started")
    assert TS_RE.match(doc["updatedAt"])
    r = fam.trigger(cid, "stop", "sms")
    doc = r.json()
    assert list(doc) == ["status", "message", "updatedAt", "campaignExecutionType"]
    assert (doc["status"], doc["message"], doc["campaignExecutionType"]) == \
        ("Stopped", "Campaign Stopped", "NORMAL")


def test_voice_start_and_stop_response_shapes(fam):
    cid = make(fam, "voice", "Ready")
    doc = fam.trigger(cid, "play", "voice").json()
    assert list(doc) == ["status", "message", "totalCallsCompleted", "updatedAt",
                         "campaignInstanceId"]
    assert (doc["status"], doc["message"], doc["totalCallsCompleted"]) == \
        ("Active", "Campaign Started", 0)
    inst = doc["campaignInstanceId"]
    doc = fam.trigger(cid, "stop", "voice").json()
    assert list(doc) == ["status", "message", "updatedAt", "campaignInstanceId"]
    assert (doc["status"], doc["message"], doc["campaignInstanceId"]) == \
        ("Stopped", "Campaign Stopped", inst)


def test_stored_type_picks_the_response_shape(fam):
    fam.setup_lists()
    s = fam.create_sms("S")
    v = fam.create_voice("V")
    assert list(fam.trigger(s, "play", "voice").json()) == ["status", "message", "updatedAt"]
    assert "totalCallsCompleted" in fam.trigger(v, "play", "sms").json()


def test_total_calls_completed_counts_recorded_outcomes(fam):
    fam.setup_lists(contacts=("+14155550101", "+14155550102", "+14155550103"))
    cid = fam.create_voice("Calls")
    fam.start(cid)
    fam.cli_outcome(cid, "+14155550101", "completed", "--attempts", "1")
    fam.cli_outcome(cid, "+14155550102", "failed", "--attempts", "3")
    fam.cli_outcome(cid, "+14155550103", "Pending")
    fam.cli_status(cid, "Paused")
    r = fam.start(cid)
    assert r["totalCallsCompleted"] == 2
    fam.stop(cid)
    assert fam.start(cid)["totalCallsCompleted"] == 0


@pytest.mark.parametrize("query", ["", "?trigger=", "?trigger=pause", "?trigger=PLAY",
                                   "?trigger=resume", "?trigger=play&campaignType=email"])
def test_trigger_query_rules(fam, query):
    cid = make(fam, "voice", "Ready")
    r = fam.req("POST", f"/trigger/{cid}{query}", {})
    field = "query.campaignType" if "email" in query else "query.trigger"
    assert_error(r, 400, [field])
    assert fam.get(cid)["status"] == "Ready"


@pytest.mark.parametrize("raw,ctype", [(None, None), (b"{}", "application/json"),
                                       (b'{"anything": [1, 2]}', "application/json"),
                                       (b"{}", "application/x-www-form-urlencoded")])
def test_trigger_body_is_ignored(fam, raw, ctype):
    cid = make(fam, "sms", "Ready")
    headers = {"Content-Type": ctype} if ctype else {}
    r = fam.req("POST", f"/trigger/{cid}?trigger=play", raw=raw, headers=headers)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("raw", [b"[]", b'"play"', b"{"])
def test_trigger_body_must_be_an_object_when_present(fam, raw):
    cid = make(fam, "sms", "Ready")
    assert_error(fam.req("POST", f"/trigger/{cid}?trigger=play", raw=raw), 400)
    assert fam.get(cid)["status"] == "Ready"


def test_cli_cannot_pause_a_campaign_that_is_not_running(fam):
    cid = make(fam, "voice", "Ready")
    r = fam.cli("campaign", "status", "--account", fam.account, "--stream", fam.stream,
                "--campaign", cid, "--status", "Paused", expect_ok=False)
    assert r.returncode != 0
    assert fam.get(cid)["status"] == "Ready" and "campaignInstanceId" not in fam.get(cid)


# ---- status view (§8.1) ---------------------------------------------------------


@pytest.mark.parametrize("view", ["status", None])
def test_status_view(fam, kind, view):
    cid = make(fam, kind, "Ready", name="Status Name")
    r = fam.req("POST", f"/{cid}/status" + (f"?view={view}" if view else ""), {})
    doc = r.json()
    assert list(doc) == ["status", "data"] and list(doc["data"]) == ["id", "status", "name"]
    assert doc == {"status": "success", "data": {"id": cid, "status": "Ready",
                                                 "name": "Status Name"}}
    fam.start(cid)
    assert fam.status(cid, view)["status"] == "Active"


@pytest.mark.parametrize("view", ["", "Status", "contact", "all"])
def test_status_view_values(fam, view):
    cid = make(fam, "voice", "Ready")
    assert_error(fam.req("POST", f"/{cid}/status?view={view}", {}), 400, ["query.view"])


def test_contacts_view_is_for_voice_only(fam):
    cid = make(fam, "sms", "Ready")
    assert_error(fam.req("POST", f"/{cid}/status?view=contacts", {}), 400, ["query.view"])


def test_status_view_body_is_ignored(fam):
    cid = make(fam, "sms", "Ready")
    for raw in (None, b'{"x": 1}'):
        r = fam.req("POST", f"/{cid}/status", raw=raw)
        assert r.status_code == 200, r.text


# ---- contacts view (§8.2) -------------------------------------------------------


@pytest.fixture
def audience(fam):
    """Lists L1, L2, D and a voice campaign over [L2, L1] with DNC list D."""
    fam.create_list("L1")
    fam.create_list("L2", allow_duplicates=True)
    fam.create_list("D")
    fam.add_contacts("L1", [{"phoneNumber": "+14155550001", "uniqueId": "u1"},
                            "14155550002", "+14155550004"])
    fam.add_contacts("L2", ["14155550001", "+14155550003", "+14155550003", "14155550005"])
    fam.add_contacts("D", ["14155550003", "+14155550004"])
    cid = fam.create_voice("Aud", lists=("L2", "L1"), dnc="D")
    return fam, cid


def test_audience_order_dedupe_and_dnc(audience):
    fam, cid = audience
    data = fam.contacts(cid)
    assert [r["phoneNumber"] for r in data["results"]] == \
        ["14155550001", "14155550005", "14155550002"]
    for row in data["results"]:
        assert list(row) == CONTACT_ROW_KEYS
        assert row == {"phoneNumber": row["phoneNumber"], "uniqueId": "",
                       "dialerOutcome": "Pending", "numberOfAttemptsSoFar": 0,
                       "botSessionId": "", "agentDispositionCodes": [],
                       "botOutboundStatus": "", "botOutboundStatusDetail": ""}
    assert list(data) == ["results", "page", "limit", "totalPages", "totalResults"]
    assert (data["page"], data["limit"], data["totalPages"], data["totalResults"]) == \
        (1, 10, 1, 3)


def test_unique_id_comes_from_the_first_occurrence(fam):
    fam.create_list("L1")
    fam.create_list("D")
    fam.add_contacts("L1", [{"phoneNumber": "+14155550001", "uniqueId": "A-17"}, "14155550002"])
    cid = fam.create_voice("U", lists=("L1",), dnc="D")
    rows = fam.contacts(cid)["results"]
    assert [r["uniqueId"] for r in rows] == ["A-17", ""]


def test_before_the_first_start_the_view_is_live(audience):
    fam, cid = audience
    fam.add_contacts("L1", ["+14155550006"])
    assert fam.contacts(cid)["results"][-1]["phoneNumber"] == "+14155550006"
    fam.add_contacts("D", ["14155550006"])
    assert "+14155550006" not in [r["phoneNumber"] for r in fam.contacts(cid)["results"]]


def test_snapshot_at_start(audience):
    fam, cid = audience
    fam.start(cid)
    fam.add_contacts("L1", ["+14155550007"])
    fam.add_contacts("D", ["14155550002"])
    phones = [r["phoneNumber"] for r in fam.contacts(cid)["results"]]
    assert phones == ["14155550001", "14155550005", "14155550002"]
    fam.stop(cid)
    assert [r["phoneNumber"] for r in fam.contacts(cid)["results"]] == phones
    fam.start(cid)
    assert [r["phoneNumber"] for r in fam.contacts(cid)["results"]] == \
        ["14155550001", "14155550005", "+14155550007"]


def test_outcomes_overwrite_snapshot_rows(audience):
    fam, cid = audience
    fam.start(cid)
    fam.cli_outcome(cid, "14155550005", "completed", "--attempts", "1", "--session",
                    "685d3c4a6b208b1e96a1f00d", "--disposition", "System Generated",
                    "--disposition", "Callback", "--bot-status", "userHangUp", "--bot-detail",
                    "user_hangup")
    rows = fam.contacts(cid)["results"]
    assert rows[1] == {"phoneNumber": "14155550005", "uniqueId": "", "dialerOutcome": "completed",
                       "numberOfAttemptsSoFar": 1, "botSessionId": "685d3c4a6b208b1e96a1f00d",
                       "agentDispositionCodes": ["System Generated", "Callback"],
                       "botOutboundStatus": "userHangUp",
                       "botOutboundStatusDetail": "user_hangup"}
    assert list(rows[1]) == CONTACT_ROW_KEYS
    assert rows[0]["dialerOutcome"] == rows[2]["dialerOutcome"] == "Pending"
    # a second outcome for the same row overwrites it
    fam.cli_outcome(cid, "14155550005", "failed", "--attempts", "2")
    row = fam.contacts(cid)["results"][1]
    assert (row["dialerOutcome"], row["numberOfAttemptsSoFar"]) == ("failed", 2)
    # the next start opens a new instance with every row Pending
    fam.stop(cid)
    fam.start(cid)
    assert {r["dialerOutcome"] for r in fam.contacts(cid)["results"]} == {"Pending"}


def test_outcome_for_a_number_outside_the_audience_fails(audience):
    fam, cid = audience
    fam.start(cid)
    r = fam.cli("campaign", "outcome", "--account", fam.account, "--stream", fam.stream,
                "--campaign", cid, "--phone", "+19999999999", "--outcome", "completed",
                expect_ok=False)
    assert r.returncode != 0
    assert len(fam.contacts(cid)["results"]) == 3


def test_contacts_paging(fam):
    fam.create_list("Many")
    fam.create_list("D")
    numbers = [f"+1415555{i:04d}" for i in range(25)]
    fam.add_contacts("Many", numbers)
    cid = fam.create_voice("Paged", lists=("Many",), dnc="D")
    d = fam.contacts(cid, {"page": 3, "limit": 10})
    assert [r["phoneNumber"] for r in d["results"]] == numbers[20:]
    assert (d["page"], d["limit"], d["totalPages"], d["totalResults"]) == (3, 10, 3, 25)
    d = fam.contacts(cid, {"page": "2", "limit": "7"})
    assert [r["phoneNumber"] for r in d["results"]] == numbers[7:14]
    assert (d["page"], d["limit"], d["totalPages"]) == (2, 7, 4)
    d = fam.contacts(cid, {"page": "", "limit": ""})
    assert (d["page"], d["limit"], len(d["results"])) == (1, 10, 10)
    d = fam.contacts(cid, {"page": 9, "limit": 100})
    assert d["results"] == [] and (d["totalPages"], d["totalResults"]) == (1, 25)
    r = fam.req("POST", f"/{cid}/status?view=contacts")
    assert r.status_code == 200 and len(r.json()["data"]["results"]) == 10


@pytest.mark.parametrize("body,field", [({"page": 0}, "page"), ({"page": -1}, "page"),
                                        ({"page": 1.5}, "page"), ({"page": "x"}, "page"),
                                        ({"page": True}, "page"), ({"limit": 0}, "limit"),
                                        ({"limit": 101}, "limit"), ({"limit": "1e1"}, "limit"),
                                        ({"limit": "-1"}, "limit"), ({"limit": [10]}, "limit")])
def test_contacts_paging_rules(fam, body, field):
    cid = make(fam, "voice", "Ready")
    r = fam.req("POST", f"/{cid}/status?view=contacts", body)
    assert_error(r, 400, [field])


@pytest.mark.parametrize("body,field", [({"page": None}, "page"), ({"limit": None}, "limit")])
def test_contacts_paging_null_is_a_type_error(fam, body, field):
    # family spec §12: null in a request body is a type error, except dncLists;
    # §8.2 accepts "a JSON integer, a digit string, an empty string, or absent"
    cid = make(fam, "voice", "Ready")
    assert_error(fam.req("POST", f"/{cid}/status?view=contacts", body), 400, [field])


def test_empty_audience(fam):
    fam.create_list("Empty")
    fam.create_list("D")
    cid = fam.create_voice("E", lists=("Empty",), dnc="D")
    d = fam.contacts(cid)
    assert d == {"results": [], "page": 1, "limit": 10, "totalPages": 0, "totalResults": 0}
    fam.start(cid)
    assert fam.contacts(cid)["totalResults"] == 0


def test_schedule_then_start_keeps_schedule_and_stop_clears_it(fam):
    cid = make(fam, "voice", "Ready")
    assert fam.schedule("Life", body=DAILY).status_code == 200
    fam.start(cid)
    d = fam.get(cid)
    assert d["status"] == "Active" and d["schedule"]["isSchedulingEnabled"] is True
    fam.stop(cid)
    d = fam.get(cid)
    assert d["status"] == "Stopped" and d["schedule"] == SCHEDULE_OFF
