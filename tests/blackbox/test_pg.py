"""PostgreSQL back end only: an outage under load, and two nodes on one database.

These run when the suite runs against PostgreSQL (scripts/run-tests.sh sets
CAMPAIGND_TEST_PG and CAMPAIGND_TEST_PG_DIR, the throwaway cluster it started);
on the embedded store there is no separate server to stop.
"""
import json
import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import FAMILY_BASE, PG_BASE, app_create, run_threads

PG_DIR = os.environ.get("CAMPAIGND_TEST_PG_DIR")
CLUSTER = Path(__file__).resolve().parents[2] / "scripts" / "pg-cluster.sh"

pytestmark = pytest.mark.skipif(not (PG_BASE and PG_DIR),
                                reason="needs the test run's PostgreSQL cluster")

def cluster(cmd):
    subprocess.run([str(CLUSTER), cmd, PG_DIR], check=True, timeout=90,
                   capture_output=True)


def create_list(session, srv, t, name, timeout=10):
    base = FAMILY_BASE.format(stream=t.stream)
    return session.post(srv.url(base + "/contactList/createContactList"),
                        headers=t.headers(), timeout=timeout,
                        data=json.dumps({"name": name, "description": "", "source": "passiveApi"}))


def list_names(session, srv, t):
    base = FAMILY_BASE.format(stream=t.stream)
    r = session.post(srv.url(base + "/contactList/getAllListDetails"),
                     headers=t.headers(), timeout=10)
    assert r.status_code == 200, r.text
    return {x["name"] for x in r.json()["data"]}


def test_outage_gives_503_and_service_resumes_without_losing_writes(server_factory, tmp_path,
                                                                     http):
    db = tmp_path / "outage.db"
    t = app_create(db)
    srv = server_factory(db=db)
    acked, failed, other = [], 0, []
    sent = 0
    deadline = time.monotonic() + 60           # bounded in time ...
    stopped = restarted = False
    while sent < 300 and time.monotonic() < deadline:   # ... and in count
        if sent == 80:
            cluster("stop")
            stopped = True
        if sent == 160:
            cluster("restart")
            restarted = True
        name = f"L{sent}-{uuid.uuid4().hex[:6]}"
        try:
            r = create_list(http, srv, t, name)
        except requests.RequestException as exc:   # the server must never drop us
            other.append(repr(exc))
            break
        sent += 1
        if r.status_code == 201:
            acked.append(name)
        elif r.status_code == 503:
            body = r.json()
            assert r.headers["Content-Type"].startswith("application/json")
            assert body["status"] == "error" and body["message"], body
            failed += 1
        else:
            other.append((r.status_code, r.text[:200]))
        if stopped and not restarted:
            h = http.get(srv.url("/healthz"), timeout=10)
            assert h.status_code == 503, h.text
    assert not other, other
    assert stopped and restarted and sent == 300
    assert failed >= 60, f"expected 503s while PostgreSQL was down, saw {failed}"
    assert srv.alive()
    # Every acknowledged write is there; nothing else is.
    stored = list_names(http, srv, t)
    lost = [n for n in acked if n not in stored]
    print(f"\noutage: requests sent {sent}, 503s seen {failed}, "
          f"acknowledged {len(acked)}, writes lost {len(lost)}")
    assert lost == []
    assert stored == set(acked)
    assert http.get(srv.url("/healthz"), timeout=10).status_code == 200


def test_two_nodes_share_one_database(server_factory, tmp_path, http):
    db = tmp_path / "two.db"
    t = app_create(db)
    a = server_factory(db=db)
    b = server_factory(db=db)
    # A write through one node is visible through the other at once.
    r = create_list(http, a, t, "Seen Everywhere")
    assert r.status_code == 201, r.text
    assert "Seen Everywhere" in list_names(http, b, t)
    r = create_list(http, b, t, "seen everywhere")
    assert r.status_code == 409, r.text

    # Racing creates of the same names, spread over both nodes: exactly one
    # of each name wins.
    names = [f"Race {i}" for i in range(12)]
    results = {n: [] for n in names}
    lock = threading.Lock()

    def worker(k):
        with requests.Session() as s:
            for i, n in enumerate(names):
                srv = a if (i + k) % 2 == 0 else b
                spelled = n.upper() if k % 2 else n.lower()
                code = create_list(s, srv, t, spelled).status_code
                with lock:
                    results[n].append(code)

    run_threads(worker, 6, timeout=60)
    for n, codes in results.items():
        assert sorted(codes) == [201] + [409] * 5, (n, codes)
    stored = {x.lower() for x in list_names(http, a, t)}
    assert stored == {n.lower() for n in names} | {"seen everywhere"}


def test_concurrent_app_creates_on_one_stream_from_two_processes(tmp_path):
    # app create through the CLI from several processes at once: one stream,
    # one account; every client is created exactly once.
    db = tmp_path / "apps.db"
    first = app_create(db)
    from conftest import _map_db_args, BIN, child_env
    procs = [subprocess.Popen([BIN, *_map_db_args(["app", "create", "--account", first.account,
                                                  "--stream", first.stream, "--db", db])],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
             for _ in range(6)]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        outs.append(json.loads(out))
    clients = {o["clientId"] for o in outs}
    assert len(clients) == 6
    assert {o["streamId"] for o in outs} == {first.stream}


def test_db_read_serves_the_listing_only(server_factory, tmp_path, http):
    # --db-read (a streaming replica in production) answers Get All Campaigns;
    # every other route uses --db.  Two databases with different campaigns
    # under the same app show which one answered.
    from conftest import db_target
    primary, replica = tmp_path / "primary.db", tmp_path / "replica.db"
    t = app_create(primary)
    rt = app_create(replica, account=t.account, stream=t.stream)
    t.import_items([{"type": "sms", "name": "On the primary"}])
    rt.import_items([{"type": "sms", "name": "On the replica"}])
    srv = server_factory("--db-read", db_target(replica), db=primary)
    r = http.post(srv.list_url(t.stream, t.account), headers=t.headers(),
                  data=json.dumps({"type": "sms"}), timeout=10)
    assert r.status_code == 200, r.text
    assert [x["name"] for x in r.json()["data"]["results"]] == ["On the replica"]
    # A write goes to the primary.
    r = create_list(http, srv, t, "Primary List")
    assert r.status_code == 201, r.text
    assert "Primary List" in list_names(http, srv, t)


def test_campaign_name_race_across_two_nodes(server_factory, tmp_path, http):
    # The family's uniqueness rule (campaign names per tenant and type,
    # ASCII case-insensitive) holds with creates spread over two nodes.
    from conftest import sms_body
    db = tmp_path / "race.db"
    t = app_create(db)
    a = server_factory(db=db)
    b = server_factory(db=db)
    assert create_list(http, a, t, "CL").status_code == 201
    names = [f"Race Campaign {i}" for i in range(8)]
    results = {n: [] for n in names}
    lock = threading.Lock()

    def worker(k):
        with requests.Session() as s:
            for i, n in enumerate(names):
                srv = a if (i + k) % 2 == 0 else b
                body = sms_body(n.upper() if k % 2 else n, ["CL"])
                r = s.post(srv.url(FAMILY_BASE.format(stream=t.stream) + "?campaignType=sms"),
                           headers=t.headers(), data=json.dumps(body), timeout=20)
                with lock:
                    results[n].append(r.status_code)

    run_threads(worker, 6, timeout=60)
    for n, codes in results.items():
        assert sorted(codes) == [201] + [409] * 5, (n, codes)
    r = http.post(b.list_url(t.stream, t.account), headers=t.headers(),
                  data=json.dumps({"type": "sms", "limit": 100}), timeout=10)
    assert r.status_code == 200, r.text
    listed = sorted(x["name"].lower() for x in r.json()["data"]["results"])
    assert listed == sorted(n.lower() for n in names)
