"""`serve --demo` runs campaigns on the simulator by default (execution spec
§5): a second app of the demo account whose voice and SMS campaigns start
a new run at every start and complete; `--channel none` keeps the demo
still."""
import json
import re

from conftest import Family, Tenant, run_cli
from test_schedules_fire import wait_for

RUNS_STREAM = "st-0603182c-7ffb-53c3-b307-47ca14b00001"


def runs_family(srv, http):
    out = srv.stdout()
    token = re.search(r"^RUNS_TOKEN=(\S+)$", out, re.M).group(1)

    class Fixed(Tenant):
        def token(self, alg="HS256", key=None, headers=None, **claims):
            return token

    t = Fixed(srv.db, srv.creds["accountId"], RUNS_STREAM, None, None)
    return Family(srv, t, http)


def progress(fam, cid):
    r = run_cli("campaign", "progress", "--account", fam.account, "--stream", fam.stream,
                "--campaign", cid, "--db", fam.db)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_demo_runs_its_campaigns_on_the_simulator(server_factory, http, tmp_path):
    db = tmp_path / "demo-runs.db"
    srv = server_factory("--pace", "0", "--tenant-pace", "0", db=db, demo=True, demo_runs=True)
    assert "channel: simulator: nothing is delivered to anyone" in srv.stderr()
    fam = runs_family(srv, http)
    ids = {c["name"]: c.get("_id", c.get("id"))
           for t in ("voice", "sms") for c in fam.listing(t)}
    assert set(ids) == {"Demo voice run", "Demo SMS run"}
    for name, cid in ids.items():
        wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, f"{name} to complete")
        p = progress(fam, cid)
        # 306 contacts, two of them on the DNC list (left out of the snapshot)
        assert (p["records"], p["ended"]) == (304, 304), p
    rows = fam.contacts(ids["Demo voice run"], {"limit": 100})["results"]
    assert all(r["dialerOutcome"] != "Pending" and r["numberOfAttemptsSoFar"] == 1 for r in rows)
    first = fam.get(ids["Demo voice run"])["campaignInstanceId"]
    # a second start of the demo starts new runs
    assert srv.stop() == 0
    again = server_factory("--pace", "0", "--tenant-pace", "0", db=db, demo=True, demo_runs=True)
    fam.server = again
    wait_for(lambda: fam.get(ids["Demo voice run"])["campaignInstanceId"] != first, 30,
             "a new run")
    wait_for(lambda: fam.get(ids["Demo voice run"])["status"] == "Completed", 60, "the new run")
    assert "demo: Demo voice run started" in again.stderr()


def test_demo_with_channel_none_stays_still(server_factory, http, tmp_path):
    srv = server_factory(db=tmp_path / "still.db", demo=True)
    assert "channel: none: campaigns will not run" in srv.stderr()
    assert "RUNS_TOKEN" not in srv.stdout()
