"""Family spec §8.3-§8.5: enabling and disabling schedules; the query rules
(campaignName decoding, case-insensitive match, ambiguity across types), the
date formats and the recurrence rules, and how a schedule shows in the
campaign document and in Get All Campaigns."""
import copy
from datetime import datetime, timedelta, timezone

import pytest

from conftest import DAILY, SCHEDULE_OFF, WEEKLY, assert_conflict, assert_error, tick

SCHEDULE_KEYS = ["isSchedulingEnabled", "isRecurrenceEnabled", "startDateTime", "endDateTime",
                 "recurrenceObject"]


def body_with(**changes):
    b = copy.deepcopy(DAILY)
    for k, v in changes.items():
        if k.startswith("rec_"):
            b["recurrenceObject"][k[4:]] = v
        elif v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b


def test_enable_response_and_document(f):
    cid = f.create_sms("Sched One")
    before = f.get(cid)
    tick()
    r = f.schedule("Sched One", body=DAILY)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert list(doc) == ["status", "message", "id"]
    assert doc == {"status": "success", "message": "Campaign Sched One scheduled successfully",
                   "id": cid}
    d = f.get(cid)
    assert d["status"] == "Scheduled" and d["updatedAt"] > before["updatedAt"]
    assert list(d["schedule"]) == SCHEDULE_KEYS
    assert d["schedule"] == {"isSchedulingEnabled": True, "isRecurrenceEnabled": True,
                             "startDateTime": "2099-01-27T18:29:00.000Z",
                             "endDateTime": "2099-02-27T18:29:00.000Z",
                             "recurrenceObject": {"recurType": "Daily",
                                                  "dailyDetails": {"onceEveryNdays": 1}}}


def test_weekly_document(f):
    cid = f.create_voice("Weekly One")
    r = f.schedule("Weekly One", body=WEEKLY)
    assert r.status_code == 200, r.text
    s = f.get(cid)["schedule"]
    assert s["startDateTime"] == "2099-01-01T18:29:00.000Z"
    assert s["recurrenceObject"] == WEEKLY["recurrenceObject"]
    assert list(s["recurrenceObject"]) == ["recurType", "weeklyDetails"]
    assert list(s["recurrenceObject"]["weeklyDetails"]) == ["onceEveryNweeks", "whichDays"]


def test_details_of_the_other_recurrence_type_are_ignored(f):
    cid = f.create_sms("Other")
    b = body_with(rec_weeklyDetails={"onceEveryNweeks": 999, "whichDays": "garbage"})
    assert f.schedule("Other", body=b).status_code == 200
    assert f.get(cid)["schedule"]["recurrenceObject"] == DAILY["recurrenceObject"]
    w = copy.deepcopy(WEEKLY)
    w["recurrenceObject"]["dailyDetails"] = {"onceEveryNdays": -1}
    assert f.schedule("Other", body=w).status_code == 200
    assert f.get(cid)["schedule"]["recurrenceObject"] == WEEKLY["recurrenceObject"]


def test_unknown_body_keys_are_not_stored(f):
    cid = f.create_sms("Unk")
    b = body_with(timezone="Asia/Kolkata", rec_extra=1)
    b["recurrenceObject"]["dailyDetails"]["foo"] = "bar"
    assert f.schedule("Unk", body=b).status_code == 200
    s = f.get(cid)["schedule"]
    assert "timezone" not in s and "extra" not in s["recurrenceObject"]
    assert s["recurrenceObject"]["dailyDetails"] == {"onceEveryNdays": 1}


def test_enable_again_replaces_the_schedule(f):
    cid = f.create_sms("Again")
    assert f.schedule("Again", body=DAILY).status_code == 200
    first = f.get(cid)
    tick()
    assert f.schedule("Again", body=WEEKLY).status_code == 200
    d = f.get(cid)
    assert d["status"] == "Scheduled"
    assert d["schedule"]["recurrenceObject"] == WEEKLY["recurrenceObject"]
    assert d["updatedAt"] > first["updatedAt"]


def test_listing_shows_only_the_two_booleans(f):
    s = f.create_sms("Listed S")
    v = f.create_voice("Listed V")
    for name in ("Listed S", "Listed V"):
        assert f.schedule(name, body=WEEKLY).status_code == 200
    for kind, cid in (("sms", s), ("voice", v)):
        item = f.listed(kind, cid)
        assert item["schedule"] == {"isSchedulingEnabled": True, "isRecurrenceEnabled": True}
        assert list(item["schedule"]) == ["isSchedulingEnabled", "isRecurrenceEnabled"]
        assert item["status"] == "Scheduled"
    assert [i["_id"] for i in f.listing("voice", filters={"status": ["Scheduled"]})] == [v]


def test_disable_response_and_document(f):
    cid = f.create_voice("Dis")
    assert f.schedule("Dis").status_code == 200
    before = f.get(cid)
    tick()
    r = f.schedule("Dis", enable=False, body={})
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "success",
                        "message": "Campaign Dis schedule has been disabled successfully",
                        "id": cid}
    assert list(r.json()) == ["status", "message", "id"]
    d = f.get(cid)
    assert d["schedule"] == SCHEDULE_OFF and d["status"] == "Ready"
    assert d["updatedAt"] > before["updatedAt"]
    assert f.listed("voice", cid)["schedule"] == SCHEDULE_OFF
    assert_conflict(f.schedule("Dis", enable=False), "Campaign Dis has no schedule enabled")


@pytest.mark.parametrize("raw", [None, b'{"startDateTime": "garbage", "x": [1]}', b"{}"])
def test_disable_ignores_its_body(f, raw):
    f.create_sms("Dis")
    assert f.schedule("Dis").status_code == 200
    r = f.req("POST", "/schedule?enableSchedule=false&campaignName=Dis", raw=raw)
    assert r.status_code == 200, r.text


# ---- query -----------------------------------------------------------------------


@pytest.mark.parametrize("query,field", [
    ("?campaignName=X", "query.enableSchedule"),
    ("?enableSchedule=&campaignName=X", "query.enableSchedule"),
    ("?enableSchedule=TRUE&campaignName=X", "query.enableSchedule"),
    ("?enableSchedule=1&campaignName=X", "query.enableSchedule"),
    ("?enableSchedule=yes&campaignName=X", "query.enableSchedule"),
    ("?enableSchedule=true", "query.campaignName"),
    ("?enableSchedule=true&campaignName=", "query.campaignName"),
    ("?enableSchedule=true&campaignName=" + "x" * 49, "query.campaignName"),
    ("?enableSchedule=true&campaignName=X&campaignType=email", "query.campaignType"),
    ("?enableSchedule=false&campaignName=X&campaignType=SMS", "query.campaignType"),
])
def test_query_rules(f, query, field):
    f.create_sms("X")
    assert_error(f.req("POST", "/schedule" + query, DAILY), 400, [field])
    assert f.listing("sms")[0]["status"] == "Ready"


def test_unknown_name_is_404(f):
    f.create_sms("Known")
    assert_error(f.schedule("Unknown"), 404, ["query.campaignName"])
    assert_error(f.schedule("Unknown", enable=False), 404, ["query.campaignName"])
    assert_error(f.schedule("Known", ctype="voice"), 404, ["query.campaignName"])


def test_query_is_checked_before_the_body(f):
    f.create_sms("Known")
    r = f.req("POST", "/schedule?enableSchedule=maybe&campaignName=Known", {"bad": True})
    assert_error(r, 400, ["query.enableSchedule"])
    # the name (404) is looked up before the body (400)
    assert_error(f.schedule("Unknown", body={"startDateTime": "nope"}), 404,
                 ["query.campaignName"])


def test_name_matches_case_insensitively(f):
    cid = f.create_sms("Promo Wave")
    r = f.schedule("x", quoted="pROMO%20wave")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == cid
    assert r.json()["message"] == "Campaign Promo Wave scheduled successfully"


def test_plus_decodes_to_space_and_percent_2b_to_plus(f):
    spaced = f.create_sms("Deal 1")
    plus = f.create_voice("Deal+1")
    r = f.schedule("x", quoted="Deal+1")
    assert r.status_code == 200 and r.json()["id"] == spaced
    r = f.schedule("x", quoted="Deal%2B1")
    assert r.status_code == 200 and r.json()["id"] == plus
    assert f.get(plus)["status"] == f.get(spaced)["status"] == "Scheduled"


def test_ambiguous_name_needs_campaign_type(f):
    s = f.create_sms("Twin")
    v = f.create_voice("TWIN")
    before = (f.get_raw(s), f.get_raw(v))
    assert_error(f.schedule("twin"), 400, ["query.campaignType"])
    assert (f.get_raw(s), f.get_raw(v)) == before
    r = f.schedule("twin", ctype="voice")
    assert r.status_code == 200 and r.json()["id"] == v
    assert f.get(s)["status"] == "Ready" and f.get(v)["status"] == "Scheduled"
    assert_error(f.schedule("Twin", enable=False), 400, ["query.campaignType"])
    r = f.schedule("Twin", enable=False, ctype="voice")
    assert r.status_code == 200 and r.json()["id"] == v
    r = f.schedule("Twin", ctype="sms")
    assert r.status_code == 200 and r.json()["id"] == s


def test_campaign_type_narrows_an_unambiguous_name_too(f):
    cid = f.create_sms("Solo")
    r = f.schedule("Solo", ctype="sms")
    assert r.status_code == 200 and r.json()["id"] == cid


# ---- body ------------------------------------------------------------------------


@pytest.mark.parametrize("start,end,stored_start,stored_end", [
    ("2099-1-2 3:04:05", "2099-12-31 23:59:59", "2099-01-02T03:04:05.000Z",
     "2099-12-31T23:59:59.000Z"),
    ("2099-01-02 03:04:05", "2099-1-3 0:00:00", "2099-01-02T03:04:05.000Z",
     "2099-01-03T00:00:00.000Z"),
    ("2099-01-02T03:04:05Z", "2099-01-02T05:00:00.123Z", "2099-01-02T03:04:05.000Z",
     "2099-01-02T05:00:00.123Z"),
    ("2099-01-02T03:04:05+05:30", "2099-01-02T03:04:05.5-01:00", "2099-01-01T21:34:05.000Z",
     "2099-01-02T04:04:05.500Z"),
    ("2020-01-01 00:00:00", "2099-01-01 00:00:00", "2020-01-01T00:00:00.000Z",
     "2099-01-01T00:00:00.000Z"),
])
def test_date_formats(f, start, end, stored_start, stored_end):
    cid = f.create_sms("Dates")
    r = f.schedule("Dates", body=body_with(startDateTime=start, endDateTime=end))
    assert r.status_code == 200, r.text
    s = f.get(cid)["schedule"]
    assert (s["startDateTime"], s["endDateTime"]) == (stored_start, stored_end)


def _fmt(dt):
    return dt.strftime("%Y-%m-%d %H:%M:%S")


@pytest.mark.parametrize("case", ["before", "equal", "past", "past_rfc"])
def test_end_must_follow_start_and_now(f, case):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    start, end = {
        "before": ("2099-02-01 00:00:00", "2099-01-31 23:59:59"),
        "equal": ("2099-02-01 00:00:00", "2099-02-01 00:00:00"),
        "past": ("2020-01-01 00:00:00", _fmt(now - timedelta(minutes=5))),
        "past_rfc": ("2020-01-01T00:00:00Z", "2021-01-01T00:00:00+00:00"),
    }[case]
    cid = f.create_sms("Ends")
    before = f.get_raw(cid)
    r = f.schedule("Ends", body=body_with(startDateTime=start, endDateTime=end))
    assert_error(r, 400, ["endDateTime"])
    assert f.get_raw(cid) == before


@pytest.mark.parametrize("changes,field", [
    ({"startDateTime": None}, "startDateTime"), ({"endDateTime": None}, "endDateTime"),
    ({"startDateTime": "2099-13-01 00:00:00"}, "startDateTime"),
    ({"startDateTime": "2099-02-30 00:00:00"}, "startDateTime"),
    ({"startDateTime": "2099-01-01 24:00:00"}, "startDateTime"),
    ({"startDateTime": "2099/01/01 00:00:00"}, "startDateTime"),
    ({"startDateTime": "01-01-2099 00:00:00"}, "startDateTime"),
    ({"startDateTime": "2099-01-01 00:00"}, "startDateTime"),
    ({"startDateTime": 4070908800}, "startDateTime"),
    ({"endDateTime": "tomorrow"}, "endDateTime"),
    ({"endDateTime": "2099-001-01 00:00:00"}, "endDateTime"),
    ({"recurrenceObject": None}, "recurrenceObject"),
    ({"recurrenceObject": "Daily"}, "recurrenceObject"),
    ({"rec_recurType": "daily"}, "recurrenceObject.recurType"),
    ({"rec_recurType": "Monthly"}, "recurrenceObject.recurType"),
    ({"rec_recurType": None}, "recurrenceObject.recurType"),
    ({"rec_dailyDetails": {"onceEveryNdays": 0}}, "recurrenceObject.dailyDetails.onceEveryNdays"),
    ({"rec_dailyDetails": {"onceEveryNdays": 366}},
     "recurrenceObject.dailyDetails.onceEveryNdays"),
    ({"rec_dailyDetails": {"onceEveryNdays": "1"}},
     "recurrenceObject.dailyDetails.onceEveryNdays"),
    ({"rec_dailyDetails": {"onceEveryNdays": 1.5}},
     "recurrenceObject.dailyDetails.onceEveryNdays"),
    ({"rec_dailyDetails": {}}, "recurrenceObject.dailyDetails.onceEveryNdays"),
])
def test_daily_body_rules(f, changes, field):
    cid = f.create_sms("Rules")
    b = body_with(**{k: v for k, v in changes.items() if v is not None or not k.startswith("rec_")})
    for k, v in changes.items():
        if k.startswith("rec_") and v is None:
            del b["recurrenceObject"][k[4:]]
    before = f.get_raw(cid)
    assert_error(f.schedule("Rules", body=b), 400, [field])
    assert f.get_raw(cid) == before


@pytest.mark.parametrize("details,field", [
    ({"onceEveryNweeks": 0, "whichDays": ["Mon"]},
     "recurrenceObject.weeklyDetails.onceEveryNweeks"),
    ({"onceEveryNweeks": 53, "whichDays": ["Mon"]},
     "recurrenceObject.weeklyDetails.onceEveryNweeks"),
    ({"whichDays": ["Mon"]}, "recurrenceObject.weeklyDetails.onceEveryNweeks"),
    ({"onceEveryNweeks": 1}, "recurrenceObject.weeklyDetails.whichDays"),
    ({"onceEveryNweeks": 1, "whichDays": []}, "recurrenceObject.weeklyDetails.whichDays"),
    ({"onceEveryNweeks": 1, "whichDays": ["Mon", "Mon"]},
     "recurrenceObject.weeklyDetails.whichDays"),
    ({"onceEveryNweeks": 1, "whichDays": ["mon"]}, "recurrenceObject.weeklyDetails.whichDays"),
    ({"onceEveryNweeks": 1, "whichDays": ["MO"]}, "recurrenceObject.weeklyDetails.whichDays"),
    ({"onceEveryNweeks": 1, "whichDays": "Mon"}, "recurrenceObject.weeklyDetails.whichDays"),
    ({"onceEveryNweeks": 1,
      "whichDays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon"]},
     "recurrenceObject.weeklyDetails.whichDays"),
])
def test_weekly_body_rules(f, details, field):
    cid = f.create_voice("Rules")
    b = copy.deepcopy(WEEKLY)
    b["recurrenceObject"]["weeklyDetails"] = details
    before = f.get_raw(cid)
    assert_error(f.schedule("Rules", body=b), 400, [field])
    assert f.get_raw(cid) == before


def test_weekly_limits_are_accepted(f):
    cid = f.create_voice("Limits")
    b = copy.deepcopy(WEEKLY)
    b["recurrenceObject"]["weeklyDetails"] = {
        "onceEveryNweeks": 52, "whichDays": ["Sun", "Sat", "Fri", "Thu", "Wed", "Tue", "Mon"]}
    assert f.schedule("Limits", body=b).status_code == 200
    assert f.get(cid)["schedule"]["recurrenceObject"] == b["recurrenceObject"]
    assert f.schedule("Limits", body=body_with(
        rec_dailyDetails={"onceEveryNdays": 365})).status_code == 200


@pytest.mark.parametrize("raw", [None, b"", b"[]", b"{", b'{"a": 1, "a": 2}'])
def test_enable_needs_a_json_object_body(f, raw):
    # §8.3: the body is required for enable; a missing or empty one is not a
    # JSON object, which §1.1 step 1 answers (a 400 of no field) before the
    # campaign is looked up (step 3), as every other route that needs a body does.
    cid = f.create_sms("Body")
    r = f.req("POST", "/schedule?enableSchedule=true&campaignName=Body", raw=raw)
    assert_error(r, 400, [None])
    assert f.get(cid)["status"] == "Ready"
    r = f.req("POST", "/schedule?enableSchedule=true&campaignName=Unknown", raw=raw)
    assert_error(r, 400, [None])


def test_every_body_error_is_listed(f):
    f.create_sms("All")
    r = f.schedule("All", body={"startDateTime": "x", "endDateTime": "y",
                                "recurrenceObject": {"recurType": "Hourly"}})
    assert_error(r, 400, ["startDateTime", "endDateTime", "recurrenceObject.recurType"])


def test_null_values_are_type_errors(f):
    f.create_sms("Null")
    r = f.schedule("Null", body={"startDateTime": None, "endDateTime": None,
                                 "recurrenceObject": None})
    assert_error(r, 400, ["startDateTime", "endDateTime", "recurrenceObject"])
