"""Schedules fire (execution spec §2, §7) with --channel simulator, watched on
a fast clock: daily and weekly occurrences on the campaign zone's wall clock
(UTC, Asia/Kolkata, America/New_York across both 2026 changes), exact to the
second; skipped while a run goes on; cleared when exhausted; caught up after
a restart within --schedule-grace and not beyond it.  Without a channel
nothing fires.  The firing instants are read from the server's log, where
the runner writes one line per occurrence it handles."""
import re
import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import Family, Tenant, app_create, dialing_strategy, sms_body

FIRED = re.compile(r"runner: campaign (cd-[0-9a-f-]+) fired for its occurrence at (\S+): "
                   r"run (cid-[0-9a-f-]+), status (\w+)")
SKIPPED = re.compile(r"runner: campaign (cd-[0-9a-f-]+) skipped its occurrence at (\S+)")
EXHAUSTED = re.compile(r"runner: campaign (cd-[0-9a-f-]+) has no occurrence left")


def events(srv, cid, pattern):
    return [m.groups()[1:] for m in pattern.finditer(srv.stderr()) if m.group(1) == cid]


def wait_for(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def start_server(server_factory, http, clock_start, rate, channel=True, db=None, extra=()):
    args = ["--clock-start", clock_start, "--clock-rate", str(rate), *extra]
    if channel:
        args += ["--channel", "simulator"]
    srv = server_factory(*args, db=db)
    return srv


class ClockTenant(Tenant):
    """A tenant whose tokens carry no iat: the servers here run on clocks
    far from the system's, which would take a real-time iat for one in
    their future (test_clock.py covers the time claims)."""

    def token(self, alg="HS256", key=None, headers=None, **claims):
        claims.setdefault("iat", None)
        return super().token(alg, key, headers, **claims)


def family(srv, http, tenant=None):
    t = tenant or app_create(srv.db)
    return Family(srv, ClockTenant(t.db, t.account, t.stream, t.client_id, t.secret), http)


def scheduled_campaign(fam, name, zone, schedule, contacts=(), days=None):
    """An SMS campaign in zone whose audience is `contacts` (empty: every
    run ends as soon as it starts), calling on `days` (default Monday and
    Tuesday 9-6), with schedule enabled."""
    fam.create_list(f"{name} list")
    if contacts:
        fam.add_contacts(f"{name} list", list(contacts))
    body = sms_body(name, [f"{name} list"])
    body["dialingStrategy"] = dialing_strategy(voice=False, timezone=zone, days=days)
    cid = fam.create(body).json()["data"]["_id"]
    r = fam.schedule(name, body=schedule)
    assert r.status_code == 200, r.text
    return cid


def daily(start, end, n=1):
    return {"startDateTime": start, "endDateTime": end,
            "recurrenceObject": {"recurType": "Daily", "dailyDetails": {"onceEveryNdays": n}}}


def weekly(start, end, days, n=1):
    return {"startDateTime": start, "endDateTime": end,
            "recurrenceObject": {"recurType": "Weekly",
                                 "weeklyDetails": {"onceEveryNweeks": n, "whichDays": days}}}


def test_daily_in_new_york_across_spring_forward(server_factory, http):
    # 10 hours of clock per real second; 09:00 New York every day.
    srv = start_server(server_factory, http, "2026-03-05T20:00:00Z", 36000)
    fam = family(srv, http)
    cid = scheduled_campaign(fam, "NY daily", "America/New_York",
                             daily("2026-03-06T14:00:00Z", "2026-03-11T20:00:00Z"))
    wait_for(lambda: events(srv, cid, EXHAUSTED) or len(events(srv, cid, FIRED)) >= 6, 60,
             "six occurrences")
    fired = events(srv, cid, FIRED)
    assert [f[0] for f in fired] == [
        "2026-03-06T14:00:00.000Z", "2026-03-07T14:00:00.000Z",  # 09:00 EST
        "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z",  # 09:00 EDT
        "2026-03-10T13:00:00.000Z", "2026-03-11T13:00:00.000Z"], fired
    # empty audience: each run ended at once; the last left no occurrence
    assert [f[2] for f in fired] == ["Rescheduled"] * 5 + ["Completed"], fired
    assert len({f[1] for f in fired}) == 6  # a new run each time
    data = fam.get(cid)
    assert data["status"] == "Completed"
    assert data["schedule"] == {"isSchedulingEnabled": False, "isRecurrenceEnabled": False}
    assert data["campaignInstanceId"] == fired[-1][1]
    assert data["updatedAt"] == "2026-03-11T13:00:00.000Z"
    assert not events(srv, cid, SKIPPED)


def test_daily_in_new_york_across_fall_back_at_a_repeated_hour(server_factory, http):
    # 01:30 happens twice on 2026-11-01: the first (EDT) fires, once.
    srv = start_server(server_factory, http, "2026-10-30T12:00:00Z", 36000)
    fam = family(srv, http)
    cid = scheduled_campaign(fam, "NY fall", "America/New_York",
                             daily("2026-10-31T05:30:00Z", "2026-11-02T12:00:00Z"))
    wait_for(lambda: len(events(srv, cid, FIRED)) >= 3, 60, "three occurrences")
    assert [f[0] for f in events(srv, cid, FIRED)] == [
        "2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]


def test_weekly_in_kolkata_and_every_two_days_in_utc(server_factory, http):
    # 100,000 x: a week of clock in six real seconds; two clock days (two real
    # seconds) to set up before the first occurrence.
    srv = start_server(server_factory, http, "2026-01-02T20:00:00Z", 100000)
    fam = family(srv, http)
    wk = scheduled_campaign(fam, "Kolkata weekly", "Asia/Kolkata",
                            weekly("2026-01-05T03:30:00Z", "2026-01-20T00:00:00Z", ["Mon", "Thu"]))
    ut = scheduled_campaign(fam, "UTC two days", "UTC",
                            daily("2026-01-05T10:15:30Z", "2026-01-12T00:00:00Z", n=2))
    wait_for(lambda: events(srv, wk, EXHAUSTED) or len(events(srv, wk, FIRED)) >= 5, 60,
             "the weekly campaign's five occurrences")
    wait_for(lambda: len(events(srv, ut, FIRED)) >= 4, 60, "the daily campaign's occurrences")
    assert [f[0] for f in events(srv, wk, FIRED)] == [
        "2026-01-05T03:30:00.000Z", "2026-01-08T03:30:00.000Z", "2026-01-12T03:30:00.000Z",
        "2026-01-15T03:30:00.000Z", "2026-01-19T03:30:00.000Z"]
    assert [f[0] for f in events(srv, ut, FIRED)] == [
        "2026-01-05T10:15:30.000Z", "2026-01-07T10:15:30.000Z", "2026-01-09T10:15:30.000Z",
        "2026-01-11T10:15:30.000Z"]
    assert fam.get(ut)["status"] == "Completed"


def test_occurrences_while_a_run_goes_on_are_skipped(server_factory, http):
    # With records that may only be called on Wednesdays (after the
    # schedule's end) the first run stays Active: the later occurrences are
    # skipped and the run goes on.
    srv = start_server(server_factory, http, "2026-01-31T12:00:00Z", 36000)
    fam = family(srv, http)
    cid = scheduled_campaign(fam, "Busy", "UTC", daily("2026-02-01T06:00:00Z", "2026-02-04T00:00:00Z"),
                             contacts=["+14155550123", "+14155550124"],
                             days=[{"day": "WE", "start": "9:00 AM", "end": "6:00 PM"}])
    wait_for(lambda: events(srv, cid, SKIPPED) and len(events(srv, cid, SKIPPED)) >= 2, 60,
             "two skipped occurrences")
    fired = events(srv, cid, FIRED)
    assert [f[0] for f in fired] == ["2026-02-01T06:00:00.000Z"]
    assert fired[0][2] == "Active"
    assert [s[0] for s in events(srv, cid, SKIPPED)][:2] == [
        "2026-02-02T06:00:00.000Z", "2026-02-03T06:00:00.000Z"]
    data = fam.get(cid)
    assert data["status"] == "Active" and data["campaignInstanceId"] == fired[0][1]
    # the schedule stays: E bounds starts, not runs
    assert data["schedule"]["isSchedulingEnabled"] is True
    # a skip is handled, not a failure to handle the schedule
    assert "could not be handled" not in srv.stderr(), srv.stderr()


def test_enabling_a_schedule_whose_start_is_past_skips_the_past(server_factory, http):
    srv = start_server(server_factory, http, "2026-04-10T12:00:00Z", 3600)
    fam = family(srv, http)
    cid = scheduled_campaign(fam, "Late start", "UTC",
                             daily("2026-04-01T11:00:00Z", "2026-04-20T00:00:00Z"))
    # the first to fire is 2026-04-11T11:00 (23 clock hours: 23 s real at 3600 x)
    time.sleep(1.0)
    assert events(srv, cid, FIRED) == [] and events(srv, cid, SKIPPED) == []
    assert fam.get(cid)["status"] == "Scheduled"


def test_without_a_channel_nothing_fires(server_factory, http):
    srv = start_server(server_factory, http, "2026-01-04T20:00:00Z", 100000, channel=False)
    fam = family(srv, http)
    cid = scheduled_campaign(fam, "Idle", "UTC", daily("2026-01-05T00:00:00Z", "2026-01-09T00:00:00Z"))
    time.sleep(3.0)  # about 3.5 clock days
    data = fam.get(cid)
    assert data["status"] == "Scheduled" and "campaignInstanceId" not in data
    assert "channel: none: campaigns will not run" in srv.stderr()
    assert "runner:" not in srv.stderr()


@pytest.mark.parametrize("late_s,fires", [(600, True), (1200, False)])
def test_restart_within_and_beyond_the_grace(server_factory, http, tmp_path, late_s, fires):
    # A first server enables a daily 10:00 UTC schedule and stops before the
    # occurrences of 01-10 and 01-11 come; a second starts on the same
    # store late_s seconds after 01-11T10:00 (grace 900): only the latest
    # missed occurrence may fire, and only within the grace.
    db = tmp_path / "restart.db"
    a = start_server(server_factory, http, "2026-01-10T08:00:00Z", 1, db=db)
    fam = family(a, http)
    cid = scheduled_campaign(fam, "Restarted", "UTC",
                             daily("2026-01-10T10:00:00Z", "2026-01-20T00:00:00Z"))
    assert a.stop() == 0
    start = (datetime(2026, 1, 11, 10, 0, tzinfo=timezone.utc)
             + timedelta(seconds=late_s)).strftime("%Y-%m-%dT%H:%M:%SZ")
    b = start_server(server_factory, http, start, 1, db=db)
    fam_b = Family(b, fam.tenant, http)
    wait_for(lambda: events(b, cid, FIRED) or events(b, cid, SKIPPED), 10, "the catch-up")
    time.sleep(0.3)
    fired, skipped = events(b, cid, FIRED), events(b, cid, SKIPPED)
    if fires:
        assert [f[0] for f in fired] == ["2026-01-11T10:00:00.000Z"] and skipped == []
        data = fam_b.get(cid)
        # the audience is empty: the run ended at once, an occurrence is left
        assert data["status"] == "Rescheduled"
        # a late catch-up is stamped with the moment it happened
        assert data["updatedAt"] >= start.replace("Z", ".000Z")
    else:
        assert fired == [] and [s[0] for s in skipped] == ["2026-01-11T10:00:00.000Z"]
        assert fam_b.get(cid)["status"] == "Scheduled"
    # an occurrence never fires twice: a third start sees nothing to do
    assert b.stop() == 0
    c = start_server(server_factory, http, start, 1, db=db)
    time.sleep(0.5)
    assert events(c, cid, FIRED) == [] and events(c, cid, SKIPPED) == []
