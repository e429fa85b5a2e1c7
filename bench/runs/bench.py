#!/usr/bin/python3
"""Benchmarks of running campaigns (issue 10), on loopback, release build:

  dispatch   attempts/s of one SMS run with the simulator at zero latency and
             no pace limit: one SQLite node; one and two PostgreSQL nodes
             (a throwaway cluster) and their ratio
  lateness   how late schedules fire at --clock-rate 1: RUNS_SCHEDULES
             campaigns whose occurrences come within a few seconds; p50/p99
             of (log line's time - occurrence)
  listing    p50/p99 of the documented SMS listing (wrk, RUNS_SECS s) idle
             and while a 100,000-contact run goes at --pace RUNS_PACE; their
             ratio; at 16 connections (the two cores saturated, so any work
             of the runner queues requests) and at 2 (the cores not
             saturated: what the runner's locks and commits cost a request)

Every load is bounded in count and time; figures are ratios within one run.
Knobs: RUNS_RECORDS (20000), RUNS_SCHEDULES (100), RUNS_SECS (10),
RUNS_PACE (1000), RUNS_BACKENDS ("sqlite postgresql"), RUNS_BIN (./campaignd).
Prints a table and writes bench/runs/results/runs-<time>.json.
"""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("RUNS_BIN", str(ROOT / "campaignd"))
RECORDS = int(os.environ.get("RUNS_RECORDS", "20000"))
SCHEDULES = int(os.environ.get("RUNS_SCHEDULES", "100"))
SECS = int(os.environ.get("RUNS_SECS", "10"))
PACE = int(os.environ.get("RUNS_PACE", "1000"))
BACKENDS = os.environ.get("RUNS_BACKENDS", "sqlite postgresql").split()
BASE = "/campaign/api/v2/public/{stream}/campaign"
EVERY_DAY = [{"day": d, "start": "12:00 AM", "end": "11:59 PM"}
             for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")]


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def cli(*args, db):
    r = subprocess.run([BIN, *map(str, args), "--db", str(db)], capture_output=True, text=True,
                       timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"{args}: {r.stderr}")
    return r.stdout


class Node:
    def __init__(self, db, work, *args):
        self.err = open(work / f"node-{time.monotonic_ns()}.err", "w+")
        self.proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--db", str(db),
                                      "--no-access-log", "--drain-s", "0", *map(str, args)],
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.err.seek(0)
            m = re.search(r"\(port (\d+)\)", self.err.read())
            if m:
                self.port = int(m.group(1))
                return
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def log_text(self):
        self.err.seek(0)
        return self.err.read()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Tenant:
    def __init__(self, db):
        self.db = db
        o = json.loads(cli("app", "create", "--account", f"bench{time.monotonic_ns()}", db=db))
        self.account, self.stream = o["accountId"], o["streamId"]
        self.token = cli("token", "--client-id", o["clientId"], "--ttl", "86400", db=db).strip()
        self.http = requests.Session()

    def req(self, node, method, path, body):
        h = {"auth": self.token, "iid": self.stream, "accountId": self.account,
             "Content-Type": "application/json"}
        url = f"http://127.0.0.1:{node.port}{BASE.format(stream=self.stream)}{path}"
        url += ("&" if "?" in url else "?") + "accountId=" + self.account
        r = self.http.request(method, url, data=json.dumps(body), headers=h, timeout=60)
        if r.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r.json()

    def sms_campaign(self, node, name, contacts, hours=True, schedule=None):
        lst = f"{name} list"
        self.req(node, "POST", "/contactList/createContactList",
                 {"name": lst, "description": "", "source": "passiveApi"})
        for k in range(0, len(contacts), 1000):
            self.req(node, "POST", "/contactList/addContacts",
                     {"contact_list_name": lst,
                      "data": [{"phoneNumber": p} for p in contacts[k:k + 1000]]})
        body = {"name": name, "description": "bench", "contactLists": [lst],
                "campaignType": "sms", "priority": "5", "format": "simple",
                "message": {"message": "SGVsbG8="},
                "dialingStrategy": {"callerId": {"phoneNumber": "+14155550100"},
                                    "callingHours": {"frequency": "DAILY", "timezone": "UTC",
                                                     "days": EVERY_DAY}},
                "schedule": {"isSchedulingEnabled": False}}
        cid = self.req(node, "POST", "?campaignType=sms", body)["data"]["_id"]
        if schedule:
            from urllib.parse import quote
            self.req(node, "POST", f"/schedule?enableSchedule=true&campaignName={quote(name)}",
                     schedule)
        return cid

    def progress(self, cid):
        return json.loads(cli("campaign", "progress", "--account", self.account, "--stream",
                              self.stream, "--campaign", cid, db=self.db))


def numbers(n, base):
    return [f"+1{base + i:010d}" for i in range(n)]


def dispatch_rate(db, work, nodes_n):
    args = ("--channel", "simulator", "--sim-latency-ms", "0", "--pace", "0", "--tenant-pace", "0",
            "--max-inflight", "0")
    nodes = [Node(db, work, *args) for _ in range(nodes_n)]
    try:
        t = Tenant(db)
        cid = t.sms_campaign(nodes[0], "Rate", numbers(RECORDS, 6500000000))
        t0 = time.monotonic()
        t.req(nodes[0], "POST", f"/trigger/{cid}?trigger=play", {})
        deadline = t0 + 600
        while time.monotonic() < deadline:
            p = t.progress(cid)
            if p["ended"] == RECORDS:
                break
            time.sleep(0.1)
        secs = time.monotonic() - t0
        p = t.progress(cid)
        assert p["ended"] == RECORDS and p["attempts"] == RECORDS, p
        return {"records": RECORDS, "secs": round(secs, 2), "rate": round(RECORDS / secs)}
    finally:
        for n in nodes:
            n.stop()


def stamp(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def lateness(db, work):
    node = Node(db, work, "--channel", "simulator", "--log-level", "info")
    try:
        t = Tenant(db)
        now = datetime.now(timezone.utc)
        cids = []
        for i in range(SCHEDULES):
            start = now + timedelta(seconds=6 + (i % 40) * 0.25)
            cids.append(t.sms_campaign(node, f"Late {i}", [], schedule={
                "startDateTime": stamp(start), "endDateTime": stamp(start + timedelta(days=2)),
                "recurrenceObject": {"recurType": "Daily",
                                     "dailyDetails": {"onceEveryNdays": 1}}}))
        deadline = time.monotonic() + 60
        pat = re.compile(r"^(\S+) info runner: campaign (\S+) fired for its occurrence at (\S+):",
                         re.M)
        while time.monotonic() < deadline:
            fired = pat.findall(node.log_text())
            if len(fired) >= SCHEDULES:
                break
            time.sleep(0.2)

        def ms(s):
            return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000

        late = sorted(ms(a) - ms(o) for a, _, o in fired)
        assert len(late) >= SCHEDULES, f"{len(late)} of {SCHEDULES} fired"
        return {"schedules": len(late), "p50_ms": round(statistics.median(late), 1),
                "p99_ms": round(late[int(0.99 * (len(late) - 1))], 1),
                "max_ms": round(late[-1], 1)}
    finally:
        node.stop()


def wrk_listing(node, t, conns):
    script = work_dir / "list.lua"
    script.write_text(
        'wrk.method = "POST"\nwrk.body = \'{"type":"sms","limit":50}\'\n'
        f'wrk.headers["auth"] = "{t.token}"\nwrk.headers["iid"] = "{t.stream}"\n'
        f'wrk.headers["accountId"] = "{t.account}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n')
    url = (f"http://127.0.0.1:{node.port}{BASE.format(stream=t.stream)}"
           f"/getAllCampaignDetails?accountId={t.account}")
    r = subprocess.run(["wrk", f"-t{min(conns, 2)}", f"-c{conns}", f"-d{SECS}s", "--latency",
                        "-s", str(script), url],
                       capture_output=True, text=True, timeout=SECS + 60)
    out = r.stdout

    def lat(q):
        m = re.search(rf"^\s+{q}%\s+([\d.]+)(us|ms|s)", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": round(rps), "p50_ms": lat(50), "p99_ms": lat(99)}


def listing_during_run(db, work):
    node = Node(db, work, "--channel", "simulator", "--pace", str(PACE), "--tenant-pace", "0")
    try:
        t = Tenant(db)
        for i in range(50):  # something to list
            t.sms_campaign(node, f"Listed {i}", [])
        idle = wrk_listing(node, t, 16)
        idle2 = wrk_listing(node, t, 2)
        cid = t.sms_campaign(node, "Big run", numbers(100000, 7500000000))
        t.req(node, "POST", f"/trigger/{cid}?trigger=play", {})
        time.sleep(1)
        busy = wrk_listing(node, t, 16)
        busy2 = wrk_listing(node, t, 2)
        p = t.progress(cid)
        return {"idle": idle, "during": busy, "idle_2conns": idle2, "during_2conns": busy2,
                "attempts_during": p["attempts"],
                "p99_ratio": round(busy["p99_ms"] / idle["p99_ms"], 2),
                "p99_ratio_2conns": round(busy2["p99_ms"] / idle2["p99_ms"], 2)}
    finally:
        node.stop()


def pg_cluster(work):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    d = Path(tempfile.mkdtemp(prefix="campaignd-bench-pg."))  # postgres must reach it
    subprocess.run([str(ROOT / "scripts/pg-cluster.sh"), "start", str(d), str(port)], check=True,
                   capture_output=True, timeout=120)
    return d, port


def pg_db(port, name):
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qc",
                    f"CREATE DATABASE {name}"], check=True, capture_output=True, timeout=60)
    return f"postgresql://postgres@127.0.0.1:{port}/{name}"


def main():
    global work_dir
    work_dir = Path(tempfile.mkdtemp(prefix="campaignd-bench-runs."))
    R = {"config": {"records": RECORDS, "schedules": SCHEDULES, "secs": SECS, "pace": PACE,
                    "backends": BACKENDS}}
    try:
        if "sqlite" in BACKENDS:
            log("sqlite: dispatch rate, one node")
            R["sqlite_dispatch"] = dispatch_rate(work_dir / "rate.db", work_dir, 1)
            log(f"  {R['sqlite_dispatch']}")
            log("sqlite: schedule lateness at --clock-rate 1")
            R["sqlite_lateness"] = lateness(work_dir / "late.db", work_dir)
            log(f"  {R['sqlite_lateness']}")
            log("sqlite: listing idle and during a 100,000-contact run")
            R["sqlite_listing"] = listing_during_run(work_dir / "list.db", work_dir)
            log(f"  {R['sqlite_listing']}")
        if "postgresql" in BACKENDS:
            d, port = pg_cluster(work_dir)
            try:
                for n in (1, 2):
                    log(f"postgresql: dispatch rate, {n} node(s)")
                    R[f"pg_dispatch_{n}"] = dispatch_rate(pg_db(port, f"rate{n}"), work_dir, n)
                    log(f"  {R[f'pg_dispatch_{n}']}")
                R["pg_two_over_one"] = round(R["pg_dispatch_2"]["rate"] /
                                             R["pg_dispatch_1"]["rate"], 2)
            finally:
                subprocess.run([str(ROOT / "scripts/pg-cluster.sh"), "stop", str(d)],
                               capture_output=True, timeout=120)
                shutil.rmtree(d, ignore_errors=True)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    rows = []
    if "sqlite_dispatch" in R:
        rows.append(("dispatch, SQLite, 1 node", f"{R['sqlite_dispatch']['rate']} attempts/s",
                     ">= 5,000/s"))
        rows.append(("schedule lateness p99, clock rate 1",
                     f"{R['sqlite_lateness']['p99_ms']} ms", "<= 1,000 ms"))
        rows.append(("listing p99 during a run / idle, 16 conns",
                     f"{R['sqlite_listing']['p99_ratio']}", "<= 1.5"))
        rows.append(("listing p99 during a run / idle, 2 conns",
                     f"{R['sqlite_listing']['p99_ratio_2conns']}", "<= 1.5"))
    if "pg_two_over_one" in R:
        rows.append(("dispatch, PostgreSQL, 1 / 2 nodes",
                     f"{R['pg_dispatch_1']['rate']} / {R['pg_dispatch_2']['rate']} attempts/s",
                     ""))
        rows.append(("dispatch, 2 PostgreSQL nodes / 1", f"{R['pg_two_over_one']}", ">= 1.6"))
    print("\n== issue 10 benchmarks")
    for name, fig, limit in rows:
        print(f"{name:40} {fig:28} {limit}")
    out = ROOT / "bench/runs/results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"runs-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(R, indent=1))
    print(f"results: {path}")


if __name__ == "__main__":
    sys.exit(main())
