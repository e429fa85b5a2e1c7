"""Two nodes on one PostgreSQL database run campaigns together (execution
spec §8): they share one run, each record reached once across both; a
schedule's occurrences each fire once across both; when one node is killed
mid-run the other finishes the run.  PostgreSQL only (SQLite serves one
node)."""
import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import PG_BASE, dialing_strategy, sms_body
from test_schedules_fire import FIRED, daily, family, scheduled_campaign, wait_for

pytestmark = pytest.mark.skipif(not PG_BASE, reason="needs PostgreSQL: SQLite serves one node")

EVERY_DAY = [{"day": d, "start": "12:00 AM", "end": "11:59 PM"}
             for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")]
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)


def stamp(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def read_log(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_two_nodes_share_a_run_and_one_finishes_it(server_factory, http, tmp_path):
    db = tmp_path / "nodes.db"
    logs = [tmp_path / "sim-a.log", tmp_path / "sim-b.log"]
    mono0 = time.monotonic()

    def node(i):
        at = T0 + timedelta(seconds=time.monotonic() - mono0)
        return server_factory("--channel", "simulator", "--sim-log", str(logs[i]),
                              "--sim-latency-ms", "50", "--pace", "0", "--tenant-pace", "0", "--max-inflight", "20",
                              "--lease-s", "2",
                              "--clock-start", stamp(at), db=db)

    a, b = node(0), node(1)
    fam = family(a, http)
    fam.create_list("CL")
    numbers = [f"+1650{i:07d}" for i in range(5000, 7000)]
    for k in range(0, len(numbers), 1000):
        fam.add_contacts("CL", numbers[k:k + 1000])
    body = sms_body("Two nodes", ["CL"])
    body["dialingStrategy"] = dialing_strategy(voice=False, timezone="UTC", days=EVERY_DAY)
    cid = fam.create(body).json()["data"]["_id"]
    fam.start(cid)
    # both nodes take part (a small in-flight cap shared through the
    # database leaves room for the other), then one dies and the other
    # carries on
    wait_for(lambda: read_log(logs[0]) and read_log(logs[1]), 60, "both nodes to send")
    time.sleep(2)
    a.kill()
    fam.server = b
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 120, "the survivor to finish")

    acted = read_log(logs[0]) + read_log(logs[1])
    ids = [x["attemptId"] for x in acted]
    phones = [x["phoneNumber"] for x in acted]
    # an attempt the dead node had sent may be sent again by the survivor
    # with the same id (its simulator has not seen it): never a new attempt
    assert sorted(set(phones)) == sorted(numbers)
    ids_of = {}
    for x in acted:
        ids_of.setdefault(x["phoneNumber"], set()).add(x["attemptId"])
    assert all(len(v) == 1 for v in ids_of.values()), "a number reached by two attempts"
    assert len(read_log(logs[0])) > 0 and len(read_log(logs[1])) > 0
    r = fam.cli("campaign", "progress", "--account", fam.account, "--stream", fam.stream,
                "--campaign", cid)
    p = json.loads(r.stdout)
    assert (p["records"], p["ended"], p["attempts"]) == (2000, 2000, 2000), p
    assert len(set(ids)) == 2000
    assert fam.listed("sms", cid)["totalMessagesSent"] == p["byOutcome"].get("completed", 0)


def test_each_occurrence_fires_once_across_two_nodes(server_factory, http, tmp_path):
    db = tmp_path / "nodes-sched.db"
    args = ("--channel", "simulator", "--clock-start", "2026-01-02T20:00:00Z",
            "--clock-rate", "100000")
    a = server_factory(*args, db=db)
    b = server_factory(*args, db=db)
    fam = family(a, http)
    cid = scheduled_campaign(fam, "Shared", "UTC",
                             daily("2026-01-05T10:00:00Z", "2026-01-12T00:00:00Z"))
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the schedule to run out")
    fired = [m.group(2) for srv in (a, b) for m in FIRED.finditer(srv.stderr())
             if m.group(1) == cid]
    assert sorted(fired) == [f"2026-01-{d:02d}T10:00:00.000Z" for d in range(5, 12)], fired
