"""Issue 7: what keeps the listings flat at any tenant size, checked for
correctness (the timings live in bench/scale/):

- the maintained counts agree with the campaigns after a large import (the
  recount path), a small one (the per-campaign path), API writes, lifecycle
  steps and deletes, and after the counts are lost (the backfill at start);
- the listing cache never serves a page after a write that changes it,
  whoever writes: the same server, another process (import, admin CLI),
  another server on the same database;
- the streaming import refuses broken files with the reason and stores
  nothing;
- Get Contacts and the contacts view page by position at any offset;
  campaignInUse names exactly the list's campaigns.
"""
import json
import random
import sqlite3

import pytest

from conftest import (DIALING_MODES, FILTER_STATUSES, PG_BASE, app_create, list_ok, run_cli,
                      sms_body, ts)

DAY = 86400000
BASE = 1735689600000  # 2025-01-01


def make_items(rnd, n, prefix):
    items = []
    for i in range(n):
        t = "voice" if i % 2 else "sms"
        created = BASE + rnd.randrange(400 * DAY)
        it = {"type": t, "name": f"{prefix} {i}", "status": rnd.choice(FILTER_STATUSES),
              "priority": str(rnd.randint(1, 5)), "createdAt": ts(created),
              "updatedAt": ts(created + rnd.randrange(DAY)),
              "contactLists": [f"{prefix} list {rnd.randrange(5)}"]}
        if t == "voice":
            it["dialingMode"] = rnd.choice(DIALING_MODES)
        items.append(it)
    return items


def model_total(items, body):
    """Contract §3 filters over the import elements, by hand."""
    f = body.get("filters", {})
    start = body.get("startDate")
    end = body.get("endDate")
    n = 0
    for it in items:
        if it["type"] != body["type"]:
            continue
        if start and it["createdAt"] < start:
            continue
        if end and it["createdAt"] > end:
            continue
        if f.get("status") and it["status"] not in f["status"]:
            continue
        if f.get("priority") and int(it["priority"]) not in f["priority"]:
            continue
        if body["type"] == "voice" and f.get("dialingMode") and \
                it["dialingMode"] not in f["dialingMode"]:
            continue
        n += 1
    return n


def random_body(rnd):
    body = {"type": rnd.choice(["sms", "voice"]), "limit": 1}
    if rnd.random() < 0.7:
        a = BASE + rnd.randrange(400 * DAY)
        body["startDate"] = ts(a)
        if rnd.random() < 0.7:
            body["endDate"] = ts(a + rnd.randrange(1, 120 * DAY))
    f = {}
    if rnd.random() < 0.5:
        f["status"] = rnd.sample(FILTER_STATUSES, rnd.randint(1, 3))
    if rnd.random() < 0.5:
        f["priority"] = rnd.sample([1, 2, 3, 4, 5], rnd.randint(1, 3))
    if rnd.random() < 0.5:
        f["dialingMode"] = rnd.sample(DIALING_MODES, rnd.randint(1, 2))
    if f:
        body["filters"] = f
    return body


def check_totals(http, server, tenant, items, rnd, n=60):
    for _ in range(n):
        body = random_body(rnd)
        got = list_ok(http, server, tenant, body)["data"]["totalResults"]
        assert got == model_total(items, body), body


@pytest.mark.parametrize("size", [300, 2500])  # per campaign, and the recount
def test_counts_after_import_of_any_size(http, demo_server, tenant_factory, size):
    rnd = random.Random(size)
    t = tenant_factory()
    first = make_items(rnd, size, "first")
    t.import_items(first)
    check_totals(http, demo_server, t, first, rnd)
    # A second import adds to what is there (the recount counts both).
    second = make_items(rnd, size // 2 + 1100, "second")
    t.import_items(second)
    check_totals(http, demo_server, t, first + second, rnd)


def test_counts_follow_api_writes_lifecycle_and_deletes(http, family_factory):
    fam = family_factory()
    fam.setup_lists()
    ids = [fam.create_voice(name=f"V{i}", mode=DIALING_MODES[i % 3]) for i in range(12)]
    sms = [fam.create_sms(name=f"S{i}") for i in range(6)]

    def totals():
        out = {}
        for type_ in ("voice", "sms"):
            for st in FILTER_STATUSES:
                body = {"type": type_, "limit": 1, "filters": {"status": [st]}}
                out[(type_, st)] = list_ok(fam.http, fam.server, fam.tenant,
                                           body)["data"]["totalResults"]
        return out

    def truth():
        out = {(t, s): 0 for t in ("voice", "sms") for s in FILTER_STATUSES}
        for type_ in ("voice", "sms"):
            for item in fam.listing(type_):
                out[(type_, item["status"])] += 1
        return out

    assert totals() == truth()
    fam.start(ids[0])
    fam.start(ids[1])
    fam.stop(ids[1])
    fam.start(sms[0])
    fam.cli_status(ids[0], "Paused")
    assert totals() == truth()
    assert fam.update(ids[2], {"priority": 2}, ctype="voice").status_code == 200
    assert fam.delete(ids[3], ctype="voice").status_code == 200
    assert fam.delete(sms[1], ctype="sms").status_code == 200
    assert totals() == truth()
    body = {"type": "voice", "limit": 1, "filters": {"priority": [2]}}
    assert list_ok(fam.http, fam.server, fam.tenant, body)["data"]["totalResults"] == 1
    body = {"type": "voice", "limit": 1, "filters": {"dialingMode": ["Preview"]}}
    expect = sum(1 for i in fam.listing("voice") if i["dialingMode"] == "Preview")
    assert list_ok(fam.http, fam.server, fam.tenant, body)["data"]["totalResults"] == expect


@pytest.mark.skipif(PG_BASE is not None, reason="edits the SQLite file directly")
def test_lost_counts_are_rebuilt_at_start(http, server_factory, tmp_path):
    rnd = random.Random(9)
    db = tmp_path / "counts.db"
    t = app_create(db)
    items = make_items(rnd, 400, "c")
    t.import_items(items)
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM campaign_counts")
    srv = server_factory(db=db)
    check_totals(http, srv, t, items, rnd, n=40)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM campaign_counts").fetchone()[0] > 0


def test_cache_never_serves_a_changed_page(http, family_factory, server_factory):
    fam = family_factory()
    fam.setup_lists()
    cid = fam.create_sms(name="Cached")
    body = {"type": "sms", "limit": 100}
    first = list_ok(fam.http, fam.server, fam.tenant, body)
    again = list_ok(fam.http, fam.server, fam.tenant, body)
    assert first == again
    # The same request spelt differently is the same page.
    alt = list_ok(fam.http, fam.server, fam.tenant,
                  {"type": "sms", "limit": "100", "skip": "", "page": 1, "sortBy": {}})
    assert alt == first
    # A write through this server.
    fam.create_sms(name="Second")
    assert list_ok(fam.http, fam.server, fam.tenant, body)["data"]["totalResults"] == 2
    # Another process: an import.
    fam.tenant.import_items([{"type": "sms", "name": "Imported"}])
    names = [i["name"] for i in list_ok(fam.http, fam.server, fam.tenant,
                                        body)["data"]["results"]]
    assert "Imported" in names and len(names) == 3
    # Another process: the admin CLI changes what the listing shows.
    before = fam.listed("sms", cid)["totalMessagesSent"]
    fam.cli_sent(cid, "7")
    assert fam.listed("sms", cid)["totalMessagesSent"] == before + 7
    # A list rename shows in the campaigns' contactLists at once.
    lid = next(l["_id"] for l in fam.lists() if l["name"] == "CL")
    assert fam.req("PUT", f"/contactList/{lid}", {"name": "CL renamed"}).status_code == 200
    assert fam.listed("sms", cid)["contactLists"] == ["CL renamed"]
    # Another server on the same database writes; this one sees it.
    other = server_factory(db=fam.db)
    r = http.post(other.url(fam.base() + "?campaignType=sms&accountId=" + fam.account),
                  data=json.dumps(sms_body("From the other node", ("CL renamed",), "simple",
                                           None)),
                  headers=fam.tenant.headers(), timeout=10)
    assert r.status_code == 201, r.text
    names = [i["name"] for i in list_ok(fam.http, fam.server, fam.tenant,
                                        body)["data"]["results"]]
    assert "From the other node" in names


def test_cache_off_answers_the_same(http, server_factory, tmp_path):
    db = tmp_path / "nocache.db"
    t = app_create(db)
    rnd = random.Random(3)
    items = make_items(rnd, 150, "n")
    t.import_items(items)
    on = server_factory(db=db)
    off = server_factory("--list-cache-mb", "0", db=db)
    for _ in range(30):
        body = random_body(rnd)
        body["limit"] = rnd.randint(1, 100)
        body["sortBy"] = {rnd.choice(["name", "createdAt", "updatedAt"]):
                          rnd.choice(["asc", "desc"])}
        a = list_ok(http, on, t, body)
        b = list_ok(http, off, t, body)
        c = list_ok(http, on, t, body)
        assert a == b == c


@pytest.mark.parametrize("text,reason", [
    ("{}", "must hold a JSON array"),
    ("[", "ends inside the array"),
    ('[{"type":"sms","name":"a"}', "ends inside the array"),
    ('[{"type":"sms","name":"a"} {"type":"sms","name":"b"}]', "expected ',' or ']'"),
    ('[{"type":"sms","name":"a"}] trailing', "unexpected text after the array"),
    ('[{"type":"sms","name":"a"},]', "a value is missing"),
    ('[{"type":"sms","name":"a"}, {"type": }]', "[1]"),
])
def test_import_refusals_say_why(tmp_path, text, reason):
    t = app_create(tmp_path / "a.db")
    path = tmp_path / "bad.json"
    path.write_text(text)
    r = run_cli("import", "--account", t.account, "--stream", t.stream, "--db", t.db, path)
    assert r.returncode != 0
    assert reason in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert t.export() == []


def test_import_conflict_far_into_a_large_file_stores_nothing(tmp_path):
    t = app_create(tmp_path / "a.db")
    rnd = random.Random(4)
    items = make_items(rnd, 3000, "big")
    items[2900]["name"] = items[10]["name"].upper()  # repeats an earlier element
    r = t.import_items(items, expect_ok=False)
    assert r.returncode != 0
    assert "[2900].name" in r.stderr, r.stderr[:500]
    assert t.export() == []


def test_import_lists_at_most_100_problems(tmp_path):
    t = app_create(tmp_path / "a.db")
    items = [{"type": "sms", "name": f"x{i}", "status": "bogus"} for i in range(250)]
    r = t.import_items(items, expect_ok=False)
    assert r.returncode != 0
    assert "[99].status" in r.stderr and "[100].status" not in r.stderr
    assert "and 150 more problems" in r.stderr
    assert t.export() == []


def test_import_missing_file_says_why(tmp_path):
    t = app_create(tmp_path / "a.db")
    r = run_cli("import", "--account", t.account, "--stream", t.stream, "--db", t.db,
                tmp_path / "nope.json")
    assert r.returncode != 0 and "No such file" in r.stderr


def test_contacts_page_by_position_at_any_offset(fam):
    lid = fam.create_list("Many")["_id"]
    numbers = [f"+1415{i:07d}" for i in range(2300)]
    for at in range(0, len(numbers), 1000):
        fam.add_contacts("Many", numbers[at:at + 1000])
    d = fam.contacts_of(lid, "?limit=100&page=23")
    assert [c["phoneNumber"] for c in d["results"]] == numbers[2200:2300]
    assert (d["totalResults"], d["hasMore"], d["totalPages"]) == (2300, False, 23)
    d = fam.contacts_of(lid, "?limit=7&skip=1234")
    assert [c["phoneNumber"] for c in d["results"]] == numbers[1234:1241]
    assert fam.get_list(lid)["totalRecordCount"] == 2300
    # The run's contacts page the same way.
    fam.create_list("NoDNC")
    cid = fam.create_voice(name="Caller", lists=("Many",), dnc="NoDNC")
    fam.start(cid)
    v = fam.contacts(cid, {"page": 23, "limit": 100})
    assert [c["phoneNumber"] for c in v["results"]] == numbers[2200:2300]
    assert v["totalResults"] == 2300


def test_campaign_in_use_names_only_the_lists_campaigns(fam):
    fam.setup_lists()
    fam.create_list("Other")
    fam.add_contacts("Other", ["+14155550300"])
    a = fam.create_voice(name="Uses CL", lists=("CL",), dnc="DNC")
    b = fam.create_sms(name="Uses Other", lists=("Other",))
    c = fam.create_voice(name="DNC only", lists=("Other",), dnc="DNC")
    by_name = {l["name"]: l for l in fam.lists()}

    def users(name):
        return sorted(u["id"] for u in fam.get_list(by_name[name]["_id"])["campaignInUse"])

    assert users("CL") == sorted([a])
    assert users("DNC") == sorted([a, c])
    assert users("Other") == sorted([b, c])
