"""kill -9 during a simulator run (execution spec §8): a 5,000-contact SMS
run with --sim-log, the server killed at 20 random moments and restarted on
the same store each time.  At the end every record has exactly one final
outcome, the simulator's log shows no attempt id acted on twice and no
number reached twice, and the counters equal the records."""
import json
import random
import re
import time
from datetime import datetime, timedelta, timezone

from conftest import dialing_strategy, sms_body
from test_schedules_fire import family, wait_for

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
EVERY_DAY = [{"day": d, "start": "12:00 AM", "end": "11:59 PM"}
             for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")]
KILLS = 20
RECORDS = 5000


def test_kill9_twenty_times_during_a_run(server_factory, http, tmp_path):
    rng = random.Random(20261206)
    db, log = tmp_path / "kill.db", tmp_path / "sim.log"
    mono0 = time.monotonic()
    servers = []

    def start():
        # Each process starts its clock where the last one's had got to (plus
        # a second), so that the clock never runs backwards across restarts.
        at = T0 + timedelta(seconds=time.monotonic() - mono0 + 1)
        servers.append(server_factory(
            "--channel", "simulator", "--sim-log", str(log), "--sim-latency-ms", "50",
            "--pace", "400", "--tenant-pace", "0", "--lease-s", "1",
            "--clock-start", at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", db=db))
        return servers[-1]

    srv = start()
    fam = family(srv, http)
    fam.create_list("CL")
    numbers = [f"+1650{i:07d}" for i in range(1000, 1000 + RECORDS)]
    for k in range(0, RECORDS, 1000):
        fam.add_contacts("CL", numbers[k:k + 1000])
    body = sms_body("Killed", ["CL"])
    body["dialingStrategy"] = dialing_strategy(voice=False, timezone="UTC", days=EVERY_DAY)
    cid = fam.create(body).json()["data"]["_id"]
    fam.start(cid)
    for _ in range(KILLS):
        time.sleep(rng.uniform(0.05, 0.5))
        srv.kill()
        srv = start()
        fam.server = srv
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 180, "the run to complete")

    r = fam.cli("campaign", "progress", "--account", fam.account, "--stream", fam.stream,
                "--campaign", cid)
    p = json.loads(r.stdout)
    assert (p["records"], p["ended"], p["inFlight"], p["notYetTried"], p["waitingRetry"]) == \
        (RECORDS, RECORDS, 0, 0, 0), p
    assert p["attempts"] == RECORDS, p  # one attempt per SMS record, none counted twice
    assert sum(p["byOutcome"].values()) == RECORDS, p

    lines = log.read_text().splitlines()
    acted = [json.loads(line) for line in lines if line.strip()]
    ids = [a["attemptId"] for a in acted]
    phones = [a["phoneNumber"] for a in acted]
    assert len(ids) == len(set(ids)), "an attempt id acted on twice"
    assert len(phones) == len(set(phones)), "a number reached twice"
    assert sorted(phones) == sorted(numbers)
    delivered = sum(a["outcome"] == "completed" for a in acted)
    assert p["byOutcome"].get("completed", 0) == delivered
    assert p["byOutcome"].get("failed", 0) == RECORDS - delivered
    assert fam.listed("sms", cid)["totalMessagesSent"] == delivered
    resent = sum(int(m) for srv_ in servers for m in
                 re.findall(r"runner: (\d+) attempts sent again", srv_.stderr()))
    print(f"\nkill -9 x{KILLS}: {RECORDS} records ended once, {len(acted)} attempts acted on "
          f"(no id or number twice), {resent} sent again after a lease expired, "
          f"{delivered} delivered")
