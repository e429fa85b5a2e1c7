"""Contract §3/§4: pagination, sorting and filtering against a model.

A fresh tenant (app create) gets a known set of campaigns through
`campaignd import`, in an order that is neither id order nor time order; every
expectation is computed from that data by the model below."""
import functools
import json
import math
import random

import pytest

from conftest import app_create, fold, list_ok


def cid(n):
    return f"cd-{n:08x}-0000-4000-8000-{(n * 7919) % 0xffffffffffff:012x}"


# (n, name, createdAt, updatedAt, status, priority, dialingMode)
VOICE = [
    (0x11, "apple", "2025-03-01T09:59:59.999Z", "2025-04-01T00:00:00.000Z", "Ready", "1",
     "Progressive"),
    (0x12, "Banana", "2025-03-01T10:00:00.000Z", "2025-04-01T00:00:00.000Z", "Paused", "2",
     "Preview"),
    (0x13, "cherry", "2025-03-01T10:00:00.000Z", "2025-04-02T00:00:00.000Z", "Ready", "3",
     "Agentless"),
    (0x14, "_under", "2025-03-01T10:00:00.001Z", "2025-04-02T00:00:00.000Z", "Stopped", "5",
     "Progressive"),
    (0x15, "Zeta", "2025-03-02T00:00:00.000Z", "2025-04-01T00:00:00.000Z", "Active", "5",
     "Preview"),
    (0x16, "[bracket", "2025-03-02T00:00:00.000Z", "2025-04-03T00:00:00.000Z", "Completed", "4",
     None),
    (0x17, "\u00e9clair", "2025-03-03T12:00:00.000Z", "2025-04-03T00:00:00.000Z", "Ready", "2",
     "Preview"),
    (0x18, "\u00c9clair", "2025-03-03T12:00:00.000Z", "2025-04-03T00:00:00.000Z", "Ready", "2",
     "Progressive"),
    (0x19, "delta", "2025-03-04T00:00:00.000Z", "2025-04-04T00:00:00.000Z", "Scheduled", "1",
     "Progressive"),
    (0x1a, "Echo", "2025-03-04T00:00:00.000Z", "2025-04-04T00:00:00.000Z", "Rescheduled", "3",
     "Preview"),
    (0x1b, "foxtrot", "2025-03-04T00:00:00.000Z", "2025-04-04T00:00:00.000Z", "Preparing", "4",
     "Agentless"),
    (0x1c, "GOLF", "2025-03-05T00:00:00.000Z", "2025-04-01T00:00:00.000Z", "Ready", "5",
     "Preview"),
    (0x1d, "hotel", "2025-02-28T23:59:59.000Z", "2025-04-05T00:00:00.000Z", "Paused", "1",
     "Progressive"),
    (0x0e, "India", "2025-03-04T00:00:00.000Z", "2025-04-04T00:00:00.000Z", "Ready", "5",
     "Preview"),
]
SMS = [
    (0x21, "apple", "2025-03-01T10:00:00.000Z", "2025-04-01T00:00:00.000Z", "Ready", "5", None),
    (0x22, "kilo", "2025-03-06T00:00:00.000Z", "2025-04-01T00:00:00.000Z", "Stopped", "2",
     None),
    (0x23, "Lima", "2025-03-06T00:00:00.000Z", "2025-04-01T00:00:00.000Z", "Ready", "5", None),
]


class Row:
    def __init__(self, t):
        self.n, self.name, self.created, self.updated, self.status, self.priority, \
            self.mode = t
        self.id = cid(self.n)


ROWS = {"voice": [Row(t) for t in VOICE], "sms": [Row(t) for t in SMS]}


def sort_key_value(row, field):
    return {"name": fold(row.name), "createdAt": row.created, "updatedAt": row.updated}[field]


def model(type_, sort=None, status=None, priority=None, mode=None, start=None, end=None):
    """The expected ids, in order."""
    rows = [r for r in ROWS[type_]
            if (not status or r.status in status)
            and (not priority or r.priority in [str(p) for p in priority])
            and (type_ == "sms" or not mode or r.mode in mode)
            and (start is None or r.created >= start)
            and (end is None or r.created <= end)]
    keys = list(sort.items()) if sort else [("createdAt", "desc")]
    last_desc = keys[-1][1] == "desc"

    def cmp(a, b):
        for field, direction in keys:
            va, vb = sort_key_value(a, field), sort_key_value(b, field)
            if va != vb:
                r = -1 if va < vb else 1
                return -r if direction == "desc" else r
        r = -1 if a.id.encode() < b.id.encode() else (1 if a.id != b.id else 0)
        return -r if last_desc else r

    return [r.id for r in sorted(rows, key=functools.cmp_to_key(cmp))]


def item(type_, row):
    d = {"type": type_, "name": row.name, "createdAt": row.created, "updatedAt": row.updated,
         "status": row.status, "priority": row.priority}
    d["_id" if type_ == "voice" else "id"] = row.id
    if row.mode:
        d["dialingMode"] = row.mode
    return d


@pytest.fixture(scope="module")
def ds(demo_server):
    t = app_create(demo_server.db)
    items = [item("voice", r) for r in ROWS["voice"]] + [item("sms", r) for r in ROWS["sms"]]
    random.Random(7).shuffle(items)
    t.import_items(items)
    return t


def ids(doc, type_="voice"):
    key = "_id" if type_ == "voice" else "id"
    return [r[key] for r in doc["data"]["results"]]


def get(http, server, t, **body):
    body.setdefault("type", "voice")
    body.setdefault("limit", 100)
    return list_ok(http, server, t, body)


# ---- pagination ------------------------------------------------------------------


def test_default_order_is_created_desc_ties_by_id_desc(http, demo_server, ds):
    doc = get(http, demo_server, ds)
    assert ids(doc) == model("voice")
    # the tie group at 2025-03-04T00:00 has four campaigns
    assert ids(doc)[1:5] == sorted([cid(0x19), cid(0x1a), cid(0x1b), cid(0x0e)], reverse=True)
    assert doc["data"]["totalResults"] == len(VOICE)


@pytest.mark.parametrize("limit,page,skip", [
    (5, 1, 0), (5, 2, 0), (5, 3, 0), (5, 4, 0), (3, 2, 1), (5, 2, 2), (1, 14, 0), (1, 15, 0),
    (4, 1, 13), (4, 1, 14), (4, 1, 100), (100, 1, 0), (7, 2, 0), (13, 1, 1), (10, "", ""),
    ("6", "2", "1"),
])
def test_pages(http, demo_server, ds, limit, page, skip):
    doc = get(http, demo_server, ds, limit=limit, page=page, skip=skip)
    lim = int(limit) if limit != "" else 10
    pg = int(page) if page != "" else 1
    sk = int(skip) if skip != "" else 0
    offset = sk + (pg - 1) * lim
    all_ids = model("voice")
    d = doc["data"]
    assert ids(doc) == all_ids[offset:offset + lim]
    assert d["skip"] == offset
    assert d["limit"] == lim
    assert d["totalResults"] == len(all_ids)
    assert d["totalPages"] == math.ceil(len(all_ids) / lim)
    assert d["hasMore"] is (offset + len(d["results"]) < len(all_ids))


def test_walking_pages_covers_everything_once(http, demo_server, ds):
    seen = []
    for page in range(1, 5):
        doc = get(http, demo_server, ds, limit=4, page=page, sortBy={"name": "asc"})
        seen += ids(doc)
        assert doc["data"]["hasMore"] is (page < 4)
    assert seen == model("voice", sort={"name": "asc"})


def test_no_match_gives_zero_pages(http, demo_server, ds):
    doc = get(http, demo_server, ds, filters={"status": ["Active"], "priority": [1]})
    assert doc["data"] == {"results": [], "skip": 0, "limit": 100, "hasMore": False,
                           "totalPages": 0, "totalResults": 0}


# ---- sorting -----------------------------------------------------------------------


SORTS = [
    {"createdAt": "asc"},
    {"createdAt": "desc"},
    {"updatedAt": "asc"},
    {"updatedAt": "desc"},
    {"name": "asc"},
    {"name": "desc"},
    {"updatedAt": "asc", "name": "desc"},
    {"name": "desc", "updatedAt": "asc"},
    {"updatedAt": "desc", "createdAt": "asc"},
    {"createdAt": "asc", "updatedAt": "desc"},
    {"updatedAt": "asc", "createdAt": "desc"},
    {"createdAt": "desc", "updatedAt": "asc"},
    {"updatedAt": "desc", "createdAt": "desc", "name": "asc"},
    {"createdAt": "asc", "name": "desc", "updatedAt": "asc"},
    {},
]


@pytest.mark.parametrize("sort", SORTS, ids=lambda s: json.dumps(s))
def test_sort_orders(http, demo_server, ds, sort):
    doc = get(http, demo_server, ds, sortBy=sort)
    assert ids(doc) == model("voice", sort=sort or None)


def test_request_key_order_decides_the_sort(http, demo_server, ds):
    a = ids(get(http, demo_server, ds, sortBy={"updatedAt": "asc", "createdAt": "desc"}))
    b = ids(get(http, demo_server, ds, sortBy={"createdAt": "desc", "updatedAt": "asc"}))
    assert a != b


def test_name_sort_folds_ascii_only_and_compares_bytes(http, demo_server, ds):
    doc = get(http, demo_server, ds, sortBy={"name": "asc"})
    names = [r["name"] for r in doc["data"]["results"]]
    assert names == ["[bracket", "_under", "apple", "Banana", "cherry", "delta", "Echo",
                     "foxtrot", "GOLF", "hotel", "India", "Zeta", "\u00c9clair", "\u00e9clair"]


def test_ties_are_broken_by_id_in_the_direction_of_the_last_key(http, demo_server, ds):
    tie = [cid(0x19), cid(0x1a), cid(0x1b), cid(0x0e)]   # same createdAt and updatedAt
    asc = ids(get(http, demo_server, ds, sortBy={"createdAt": "desc", "updatedAt": "asc"}))
    desc = ids(get(http, demo_server, ds, sortBy={"createdAt": "asc", "updatedAt": "desc"}))
    assert [i for i in asc if i in tie] == sorted(tie)
    assert [i for i in desc if i in tie] == sorted(tie, reverse=True)


def test_sort_is_stable_across_pages_with_ties(http, demo_server, ds):
    full = model("voice", sort={"updatedAt": "asc"})
    got = []
    for page in range(1, 8):
        got += ids(get(http, demo_server, ds, limit=2, page=page, sortBy={"updatedAt": "asc"}))
    assert got == full


def test_sms_sorting_and_type_separation(http, demo_server, ds):
    doc = get(http, demo_server, ds, type="sms", sortBy={"name": "desc"})
    assert ids(doc, "sms") == model("sms", sort={"name": "desc"})
    assert [r["name"] for r in doc["data"]["results"]] == ["Lima", "kilo", "apple"]
    doc = get(http, demo_server, ds, type="sms")
    assert ids(doc, "sms") == model("sms")


# ---- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("start,end,mstart,mend", [
    ("2025-03-01T10:00:00.000Z", None, "2025-03-01T10:00:00.000Z", None),
    (None, "2025-03-01T10:00:00.000Z", None, "2025-03-01T10:00:00.000Z"),
    ("2025-03-01T10:00:00.000Z", "2025-03-01T10:00:00.000Z", "2025-03-01T10:00:00.000Z",
     "2025-03-01T10:00:00.000Z"),
    ("2025-03-01T15:30:00.000+05:30", "2025-03-01T05:00:00-05:00", "2025-03-01T10:00:00.000Z",
     "2025-03-01T10:00:00.000Z"),
    ("2025-03-01T10:00:00.001Z", None, "2025-03-01T10:00:00.001Z", None),
    (None, "2025-03-01T09:59:59.999Z", None, "2025-03-01T09:59:59.999Z"),
    ("2025-03-02", "2025-03-04", "2025-03-02T00:00:00.000Z", "2025-03-04T00:00:00.000Z"),
    ("2025-03-01", None, "2025-03-01T00:00:00.000Z", None),
    ("2025-03-01T11:00:00+01:00", "2025-03-02T01:00:00+01:00", "2025-03-01T10:00:00.000Z",
     "2025-03-02T00:00:00.000Z"),
    ("2025-03-02T00:00:00Z", "2025-03-02T00:00:00Z", "2025-03-02T00:00:00.000Z",
     "2025-03-02T00:00:00.000Z"),
])
def test_created_at_bounds_are_inclusive_instants(http, demo_server, ds, start, end, mstart,
                                                  mend):
    body = {}
    if start is not None:
        body["startDate"] = start
    if end is not None:
        body["endDate"] = end
    doc = get(http, demo_server, ds, **body)
    expected = model("voice", start=mstart, end=mend)
    assert expected, "the model must select something"
    assert ids(doc) == expected
    assert doc["data"]["totalResults"] == len(expected)


# ---- filters -------------------------------------------------------------------------


FILTERS = [
    {"status": ["Ready"]},
    {"status": ["Ready", "Paused"]},
    {"status": ["Completed", "Preparing", "Scheduled", "Rescheduled", "Active", "Stopped"]},
    {"priority": [1]},
    {"priority": [1, "2"]},
    {"priority": ["5", 4, 3]},
    {"dialingMode": ["Preview"]},
    {"dialingMode": ["Progressive", "Agentless"]},
    {"status": ["Ready"], "priority": [2]},
    {"status": ["Ready", "Paused"], "priority": [1, 2], "dialingMode": ["Progressive"]},
    {"status": ["Ready"], "dialingMode": ["Preview"]},
    {"status": ["Ready", "Ready"], "priority": [5, "5"]},
    {"status": ["Stopped"], "priority": [1]},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: json.dumps(f))
def test_filters_or_within_and_across(http, demo_server, ds, filters):
    doc = get(http, demo_server, ds, filters=filters)
    expected = model("voice", status=filters.get("status"), priority=filters.get("priority"),
                     mode=filters.get("dialingMode"))
    assert ids(doc) == expected
    assert doc["data"]["totalResults"] == len(expected)


def test_filters_dates_sort_and_paging_combined(http, demo_server, ds):
    filters = {"status": ["Ready", "Paused", "Scheduled", "Rescheduled"], "priority": [1, 2, 3, 5]}
    expected = model("voice", sort={"name": "asc"}, status=filters["status"],
                     priority=filters["priority"], start="2025-03-01T00:00:00.000Z",
                     end="2025-03-04T00:00:00.000Z")
    got = []
    for page in (1, 2, 3):
        doc = get(http, demo_server, ds, filters=filters, sortBy={"name": "asc"}, limit=3,
                  page=page, startDate="2025-03-01", endDate="2025-03-04T00:00:00.000Z")
        assert doc["data"]["totalResults"] == len(expected)
        assert doc["data"]["totalPages"] == math.ceil(len(expected) / 3)
        got += ids(doc)
    assert got == expected


def test_voice_without_dialing_mode_only_matches_without_mode_filter(http, demo_server, ds):
    all_ids = ids(get(http, demo_server, ds))
    assert cid(0x16) in all_ids
    for mode in (["Progressive"], ["Preview"], ["Agentless"],
                 ["Progressive", "Preview", "Agentless"]):
        assert cid(0x16) not in ids(get(http, demo_server, ds, filters={"dialingMode": mode}))
