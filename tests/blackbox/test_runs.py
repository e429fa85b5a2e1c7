"""Runs dispatched by the simulator (execution spec §3, §4, §5.1, §7) on a
fast clock: every record reached once or retried up to its cap with the
simulator's test numbers, outcomes and counters in the documented views,
calling hours in the contact's own zone, DNC at dispatch, stop mid-run, and
the run's end."""
import json
import time

from conftest import dialing_strategy, run_cli, sms_body, voice_body
from test_schedules_fire import family, start_server, wait_for

EVERY_DAY = [{"day": d, "start": "12:00 AM", "end": "11:59 PM"}
             for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")]


def rows_by_phone(fam, cid):
    """The contacts view of a voice campaign's latest run, by number."""
    data = fam.contacts(cid, {"limit": 100})
    return {row["phoneNumber"]: row for row in data["results"]}


def voice_campaign(fam, name, contacts=None, **strategy):
    """A voice campaign on the lists CL and DNC calling every day in UTC,
    with `strategy` over its dialing strategy; the lists are made first,
    CL holding `contacts`, unless contacts is None (they exist)."""
    if contacts is not None:
        fam.setup_lists(contacts=list(contacts), dnc=())
    body = voice_body(name, ["CL"], "DNC")
    body["dialingStrategy"] = dialing_strategy(voice=True, timezone="UTC", days=EVERY_DAY)
    body["dialingStrategy"].update(strategy)
    return fam.create(body).json()["data"]["id"]


def progress(fam, cid):
    r = fam.cli("campaign", "progress", "--account", fam.account, "--stream", fam.stream,
                "--campaign", cid)
    return json.loads(r.stdout)


def test_sms_run_reaches_everyone_once_and_completes(server_factory, http):
    srv = start_server(server_factory, http, "2026-01-05T10:00:00Z", 100)
    fam = family(srv, http)
    normal = [f"+1415555{i:04d}" for i in range(1100, 1140)]
    tests = ["+14155550004", "+14155550006", "+14155550001"]
    fam.create_list("CL")
    fam.add_contacts("CL", normal + tests)
    body = sms_body("Run SMS", ["CL"])
    body["dialingStrategy"] = dialing_strategy(voice=False, timezone="UTC", days=EVERY_DAY)
    cid = fam.create(body).json()["data"]["_id"]
    fam.start(cid)
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the run to complete")
    data, listed = fam.get(cid), fam.listed("sms", cid)
    # 40 ordinary numbers at 97% delivered, 0006 delivered, 0004 and 0001 not
    sent = listed["totalMessagesSent"]
    assert 35 <= sent <= 41, sent
    assert data["schedule"] == {"isSchedulingEnabled": False, "isRecurrenceEnabled": False}
    assert data["updatedAt"] >= "2026-01-05T10:00:00.000Z"
    assert listed["status"] == "Completed"
    # the same audience draws the same outcomes: a second run delivers as many
    fam.start(cid)
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the second run")
    assert fam.listed("sms", cid)["totalMessagesSent"] == 2 * sent


def test_voice_retries_up_to_the_cap(server_factory, http):
    # Monday 09:30 in Kolkata; 10-minute retries are 0.6 s real at 1000 x.
    srv = start_server(server_factory, http, "2026-01-05T04:00:00Z", 1000)
    fam = family(srv, http)
    numbers = {"+14155550001": ("busy", 3), "+14155550002": ("noAnswer", 3),
               "+14155550004": ("invalidNumber", 1), "+14155550005": ("machine", 3),
               "+14155550006": ("completed", 1), "+14155550003": ("failed", 3)}
    fam.setup_lists(contacts=list(numbers), dnc=())
    body = voice_body("Run voice", ["CL"], "DNC")
    cid = fam.create(body).json()["data"]["id"]
    fam.start(cid)
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the run to complete")
    rows = rows_by_phone(fam, cid)
    for phone, (outcome, attempts) in numbers.items():
        assert rows[phone]["dialerOutcome"] == outcome, (phone, rows[phone])
        assert rows[phone]["numberOfAttemptsSoFar"] == attempts, (phone, rows[phone])
    p = progress(fam, cid)
    data = fam.get(cid)
    assert list(p) == ["campaignId", "campaignInstanceId", "status", "records", "ended",
                       "notYetTried", "waitingRetry", "inFlight", "attempts", "byOutcome",
                       "startedAt", "endedAt"], p
    assert p["campaignId"] == cid and p["campaignInstanceId"] == data["campaignInstanceId"]
    assert (p["status"], p["records"], p["ended"], p["notYetTried"], p["waitingRetry"],
            p["inFlight"], p["attempts"]) == ("Completed", 6, 6, 0, 0, 0, 14), p
    assert p["byOutcome"] == {"busy": 1, "completed": 1, "failed": 1, "invalidNumber": 1,
                              "machine": 1, "noAnswer": 1}, p
    assert p["startedAt"] <= p["endedAt"] == data["updatedAt"], (p, data["updatedAt"])


def test_calling_hours_in_the_contacts_zone_and_dnc_at_dispatch(server_factory, http):
    # Monday 04:00Z: 09:30 in Kolkata (open), 23:00 Sunday in New York
    # (closed until 14:00Z).  10,000 x: ten clock hours in 3.6 s.
    srv = start_server(server_factory, http, "2026-01-05T04:00:00Z", 10000)
    fam = family(srv, http)
    fam.create_list("CL")
    fam.create_list("DNC")
    fam.add_contacts("CL", [{"phoneNumber": "+919812345678", "timeZone": "Asia/Kolkata"},
                            {"phoneNumber": "+12125550123", "timeZone": "America/New_York"},
                            {"phoneNumber": "+12125550124", "timeZone": "America/New_York"}])
    body = voice_body("Zones", ["CL"], "DNC")
    body["dialingStrategy"] = dialing_strategy(
        voice=True, timezone="UTC",
        days=[{"day": "MO", "start": "9:00 AM", "end": "6:00 PM"}])
    body["dialingStrategy"]["maxAttemptsPerRecord"] = 1
    cid = fam.create(body).json()["data"]["id"]
    fam.start(cid)
    wait_for(lambda: rows_by_phone(fam, cid)["+919812345678"]["numberOfAttemptsSoFar"] == 1, 30,
             "the Kolkata contact's attempt")
    rows = rows_by_phone(fam, cid)
    assert rows["+12125550123"]["numberOfAttemptsSoFar"] == 0
    assert rows["+12125550124"]["numberOfAttemptsSoFar"] == 0
    p = progress(fam, cid)
    assert (p["status"], p["records"], p["notYetTried"], p["attempts"]) == ("Active", 3, 2, 1), p
    assert "endedAt" not in p
    # listed on the DNC list while it waits: never called
    fam.add_contacts("DNC", ["+12125550124"])
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the run to complete")
    rows = rows_by_phone(fam, cid)
    assert rows["+12125550124"]["dialerOutcome"] == "dnc"
    assert rows["+12125550124"]["numberOfAttemptsSoFar"] == 0
    assert rows["+12125550123"]["numberOfAttemptsSoFar"] == 1
    # the New York contact could only be reached from 09:00 EST = 14:00Z
    assert fam.get(cid)["updatedAt"] >= "2026-01-05T14:00:00.000Z"


def test_stop_mid_run_leaves_the_rest_pending(server_factory, http):
    srv = start_server(server_factory, http, "2026-01-05T10:00:00Z", 1, extra=("--pace", "2"))
    fam = family(srv, http)
    cid = voice_campaign(fam, "Stopped", [f"+1415555{i:04d}" for i in range(2000, 2030)])
    fam.start(cid)
    time.sleep(1.5)
    fam.stop(cid)
    time.sleep(1.0)
    rows = list(rows_by_phone(fam, cid).values())
    tried = [r for r in rows if r["numberOfAttemptsSoFar"] > 0]
    assert 1 <= len(tried) <= 8, tried
    untried = [r for r in rows if r["numberOfAttemptsSoFar"] == 0]
    assert untried and all(r["dialerOutcome"] == "Pending" for r in untried)
    time.sleep(1.0)
    assert len([r for r in rows_by_phone(fam, cid).values() if r["numberOfAttemptsSoFar"] > 0]) \
        == len(tried)
    assert fam.get(cid)["status"] == "Stopped"


def test_fifo_and_lifo_order(server_factory, http, tmp_path):
    log = tmp_path / "order.log"
    srv = start_server(server_factory, http, "2026-01-05T10:00:00Z", 1,
                       extra=("--pace", "5", "--sim-log", str(log), "--sim-latency-ms", "0"))
    fam = family(srv, http)
    numbers = [f"+1415555{i:04d}" for i in range(3000, 3008)]
    fam.setup_lists(contacts=numbers, dnc=())
    order = {}
    for mode in ("FIFO", "LIFO"):
        cid = voice_campaign(fam, f"Order {mode}", dialingOrder=mode, maxAttemptsPerRecord=1)
        before = len(log.read_text().splitlines()) if log.exists() else 0
        fam.start(cid)
        wait_for(lambda: fam.get(cid)["status"] == "Completed", 30, f"the {mode} run")
        lines = log.read_text().splitlines()[before:]
        order[mode] = [json.loads(line)["phoneNumber"] for line in lines]
    assert order["FIFO"] == numbers, order
    assert order["LIFO"] == numbers[::-1], order


def test_pause_and_resume(server_factory, http):
    srv = start_server(server_factory, http, "2026-01-05T10:00:00Z", 1, extra=("--pace", "4"))
    fam = family(srv, http)
    cid = voice_campaign(fam, "Paused", [f"+1415555{i:04d}" for i in range(4000, 4030)],
                         maxAttemptsPerRecord=1)
    fam.start(cid)
    wait_for(lambda: progress(fam, cid)["attempts"] >= 4, 30, "some attempts")
    fam.cli_status(cid, "Paused")
    time.sleep(0.5)  # an attempt already out may still get its outcome
    held = progress(fam, cid)
    assert held["status"] == "Paused" and held["inFlight"] == 0, held
    time.sleep(1.5)
    assert progress(fam, cid)["attempts"] == held["attempts"]  # nothing new while paused
    assert held["attempts"] < 30
    run = fam.get(cid)["campaignInstanceId"]
    fam.start(cid)  # resumes the same run
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the resumed run")
    p = progress(fam, cid)
    assert p["campaignInstanceId"] == run and (p["records"], p["ended"], p["attempts"]) == \
        (30, 30, 30), p


def test_an_empty_audience_ends_at_once(server_factory, http):
    srv = start_server(server_factory, http, "2026-01-05T10:00:00Z", 1)
    fam = family(srv, http)
    fam.setup_lists(contacts=(), dnc=())
    cid = fam.create(voice_body("Nobody", ["CL"], "DNC")).json()["data"]["id"]
    r = fam.start(cid)
    assert r["status"] == "Completed", r
    data = fam.get(cid)
    assert data["status"] == "Completed" and data["updatedAt"] == r["updatedAt"]
    p = progress(fam, cid)
    assert (p["records"], p["attempts"]) == (0, 0) and p["endedAt"] == p["startedAt"], p


def test_simulator_mixes(server_factory, http, tmp_path):
    srv = start_server(server_factory, http, "2026-01-05T10:00:00Z", 100,
                       extra=("--pace", "0", "--tenant-pace", "0", "--sim-voice", "busy=100"))
    fam = family(srv, http)
    numbers = [f"+1415555{i:04d}" for i in range(5000, 5010)]
    cid = voice_campaign(fam, "All busy", numbers + ["+14155550006"], maxAttemptsPerRecord=2,
                         defaultRetryPeriod=1)
    fam.start(cid)
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the run")
    rows = rows_by_phone(fam, cid)
    assert all(rows[n]["dialerOutcome"] == "busy" and rows[n]["numberOfAttemptsSoFar"] == 2
               for n in numbers), rows
    assert rows["+14155550006"]["dialerOutcome"] == "completed"  # test numbers stay fixed
    for bad, sentence in [("dnc=100", '--sim-voice: "dnc" is not an outcome of voice attempts'),
                          ("completed=90", "--sim-voice: the percents must sum to 100, not 90")]:
        r = run_cli("serve", "--channel", "simulator", "--sim-voice", bad, "--db",
                    tmp_path / "never.db")
        assert r.returncode == 2 and sentence in r.stderr, (bad, r.stderr)
    r = run_cli("serve", "--sim-sms", "busy=100", "--db", tmp_path / "never.db")
    assert r.returncode == 2 and '"busy" is not an outcome of SMS attempts' in r.stderr


def test_tenant_pace_priority_first_and_turns(server_factory, http, tmp_path):
    """--tenant-pace 6 over three SMS campaigns of one tenant (§4): never
    more than 6 attempts in a clock second; the priority-3 campaign, started
    first, gets nothing until both priority-5 ones have every record out;
    those two take turns.  Their calling hours open at 10:00, 30 clock
    seconds after the start, so that all three runs are waiting then."""
    log = tmp_path / "pace.log"
    srv = start_server(server_factory, http, "2026-01-05T09:59:30Z", 5,
                       extra=("--pace", "0", "--tenant-pace", "6", "--sim-log", str(log),
                              "--sim-latency-ms", "0", "--sim-sms", "completed=100"))
    fam = family(srv, http)
    groups = {"A": ("5", 2000), "B": ("5", 3000), "C": ("3", 4000)}
    owner, ids = {}, {}
    for name, (prio, base) in groups.items():
        phones = [f"+1415555{i:04d}" for i in range(base, base + 30)]
        owner.update({p: name for p in phones})
        fam.create_list(f"Pace {name}")
        fam.add_contacts(f"Pace {name}", phones)
        body = sms_body(f"Pace {name}", [f"Pace {name}"], priority=prio)
        body["dialingStrategy"] = dialing_strategy(
            voice=False, timezone="UTC",
            days=[{"day": "MO", "start": "10:00 AM", "end": "11:59 PM"}])
        ids[name] = fam.create(body).json()["data"]["_id"]
    for name in ("C", "A", "B"):
        fam.start(ids[name])
    assert not log.exists() or log.read_text() == "", "the window opened too soon"
    for cid in ids.values():
        wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the runs to complete")
    sent = [(json.loads(line)["at"], owner[json.loads(line)["phoneNumber"]])
            for line in log.read_text().splitlines()]
    assert len(sent) == 90
    per_second = {}
    for at, _ in sent:
        per_second[at[:19]] = per_second.get(at[:19], 0) + 1
    assert max(per_second.values()) <= 6, per_second
    assert len(per_second) >= 15                  # 90 attempts at 6 a clock second
    first_c = min(at for at, g in sent if g == "C")
    assert max(at for at, g in sent if g != "C") <= first_c
    first_30 = [g for _, g in sorted(sent)[:30]]
    assert 10 <= first_30.count("A") <= 20 and first_30.count("C") == 0, first_30


def test_ten_thousand_contacts_counters_equal_the_records(server_factory, http, tmp_path):
    """A 10,000-contact voice run with retries to completion: every record's
    numberOfAttemptsSoFar is the number of attempts the simulator acted on
    for it, its dialerOutcome is the last of them, and the run's progress
    adds up to the same."""
    log = tmp_path / "ten.log"
    # 1-minute retries are 0.1 s at 600x
    srv = start_server(server_factory, http, "2026-01-05T10:00:00Z", 600,
                       extra=("--pace", "0", "--tenant-pace", "0", "--max-inflight", "2000",
                              "--sim-log", str(log), "--sim-latency-ms", "0"))
    fam = family(srv, http)
    phones = [f"+1415{i:07d}" for i in range(2000000, 2010000)]
    fam.create_list("Ten")
    fam.create_list("Ten DNC")
    for i in range(0, len(phones), 1000):
        fam.add_contacts("Ten", phones[i:i + 1000])
    body = voice_body("Ten thousand", ["Ten"], "Ten DNC")
    body["dialingStrategy"] = dialing_strategy(voice=True, timezone="UTC", days=EVERY_DAY)
    body["dialingStrategy"].update(maxAttemptsPerRecord=2, defaultRetryPeriod=1)
    cid = fam.create(body).json()["data"]["id"]
    fam.start(cid)
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 300, "the 10,000-contact run")
    acted = {}
    for line in log.read_text().splitlines():
        e = json.loads(line)
        acted.setdefault(e["phoneNumber"], []).append(e["outcome"])
    view = {}
    for page in range(1, len(phones) // 100 + 1):
        for row in fam.contacts(cid, {"limit": 100, "page": page})["results"]:
            view[row["phoneNumber"]] = row
    assert set(view) == set(phones) == set(acted)
    for phone, row in view.items():
        outcomes = acted[phone]
        assert row["numberOfAttemptsSoFar"] == len(outcomes), (phone, row, outcomes)
        assert row["dialerOutcome"] == outcomes[-1], (phone, row, outcomes)
        # a second attempt only after a retryable first one
        assert len(outcomes) == 1 or outcomes[0] in ("busy", "noAnswer", "failed", "machine")
    p = progress(fam, cid)
    attempts = sum(len(o) for o in acted.values())
    assert (p["records"], p["ended"], p["attempts"]) == (10000, 10000, attempts)
    assert p["notYetTried"] == p["waitingRetry"] == p["inFlight"] == 0
    finals = {}
    for o in acted.values():
        finals[o[-1]] = finals.get(o[-1], 0) + 1
    assert p["byOutcome"] == finals
    assert 10000 < attempts < 10000 * 2
