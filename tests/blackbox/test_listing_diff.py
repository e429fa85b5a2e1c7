"""Issue 7, item 3: a differential test of Get All Campaigns.

Random tenants are loaded with `campaignd import`; random valid list requests
are answered by the server and by a plain Python evaluation of contract §3/§4
over the tenant's data as `campaignd export` prints it; the two whole
responses (key order included) must be equal.  Between query phases the
tenant is changed through every write path (API creates, updates, deletes,
starts and stops, schedules, contact-list renames, admin CLI status and SMS
deliveries, good and rejected imports, rejected API writes), and around each
single write the same requests are asked again, so that a maintained count,
index or cache that misses a write, or serves a stale answer, fails here.

The data is the export: each element is a result item plus "type" (contract
§6), so the model's item is the element without "type".  The export itself is
checked too: after each write only the campaigns that write touches may
change, in the way the write says.

Everything is random from one seed: CAMPAIGND_DIFF_SEED overrides the default
and the seed is printed (and named in every failure message).  On a
PostgreSQL run (CAMPAIGND_TEST_PG) the reads are spread over two nodes on the
same database, as in the documented deployment."""
import datetime
import json
import math
import os
import random
import re
import time
import uuid

import requests

from conftest import (DIALING_MODES, FILTER_STATUSES, LIST_MESSAGE, PG_BASE, SMS_KEYS, TS_RE,
                      VOICE_KEYS, Family, app_create, dialing_strategy, fold, is_subsequence,
                      post_list, sms_body, ts, voice_body)

DEFAULT_SEED = 20251208
SEED = int(os.environ.get("CAMPAIGND_DIFF_SEED") or DEFAULT_SEED)

SORT_KEYS = ["name", "createdAt", "updatedAt"]
RUNNING = ("Active", "Paused")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

# Sizes: the main tenant, its sibling app on the same account, another account.
SIZE_A, SIZE_B, SIZE_C = 320, 160, 30
POLL_A, POLL_B = 40, 20            # requests asked again in every phase
FRESH_A, FRESH_B, FRESH_C = 90, 30, 8     # new random requests per phase


# ---- time ---------------------------------------------------------------------------

CLOCK_SLACK_MS = 2000


def now_ms():
    return time.time_ns() // 1000000


def ms_of(dt):
    return (dt - EPOCH) // datetime.timedelta(milliseconds=1)


def dt_of(ms):
    return EPOCH + datetime.timedelta(milliseconds=ms)


def parse_instant(s):
    """The instant (ms since the epoch) a §3 timestamp names; fractions are
    cut to the millisecond, a bare date is midnight UTC."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
                     r"([Zz]|([+-])(\d{2}):(\d{2})))?", s)
    assert m, f"not a timestamp the test means to send: {s!r}"
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    days = (datetime.date(y, mo, d) - datetime.date(1970, 1, 1)).days
    if m[4] is None:
        return days * 86400000
    secs = ((days * 24 + int(m[4])) * 60 + int(m[5])) * 60 + int(m[6])
    frac = int((m[7] or "").ljust(3, "0")[:3])
    off = 0
    if m[9]:
        off = (1 if m[9] == "+" else -1) * (int(m[10]) * 60 + int(m[11])) * 60
    return (secs - off) * 1000 + frac


OFFSETS = [(5, 30), (-8, 0), (14, 0), (-12, 0), (0, 0), (1, 0), (-3, 30), (9, 45)]


def fmt_instant(rng, ms, allow_date=True):
    """ms written in one of the §3 forms (the string may name a slightly
    earlier instant when its form has less precision: the model parses the
    string, not ms)."""
    dt = dt_of(ms)
    forms = ["ms", "ms", "sec", "frac1", "frac2", "frac6", "off", "off", "off_sec", "lower"]
    if allow_date:
        forms.append("date")
    form = rng.choice(forms)
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    f3 = f"{ms % 1000:03d}"
    if form == "ms":
        return f"{base}.{f3}Z"
    if form == "sec":
        return f"{base}Z"
    if form == "frac1":
        return f"{base}.{f3[0]}Z"
    if form == "frac2":
        return f"{base}.{f3[:2]}Z"
    if form == "frac6":
        return f"{base}.{f3}000Z"
    if form == "lower":
        return f"{dt.strftime('%Y-%m-%dt%H:%M:%S')}.{f3}z"
    if form == "date":
        return dt.strftime("%Y-%m-%d")
    h, mi = rng.choice(OFFSETS)
    sign = -1 if h < 0 else 1
    delta = datetime.timedelta(hours=h, minutes=sign * mi)
    local = (dt + delta).strftime("%Y-%m-%dT%H:%M:%S")
    zone = f"{'-' if h < 0 else '+'}{abs(h):02d}:{mi:02d}"
    return f"{local}.{f3}{zone}" if form == "off" else f"{local}{zone}"


# ---- names --------------------------------------------------------------------------


STEMS = ["alpha", "Alpha Beta", "_under", "[bracket", "zeta", "Zulu", "123 numbers", "~tilde",
         "a", "B", "mixedCASE", "hyphen-ated", "dot.name", "\u00c9clair", "\u00e9clair",
         "e\u0301clair", "stra\u00dfe", "STRASSE", "\u65e5\u672c\u8a9e", "\U0001f600 smile",
         "\u0130stanbul", "\u0131i", "\u03a9 omega", "\u03c9 omega", "\ufb01 ligature",
         "Z\u00fcrich", "z\u00fcrich", "Renewal", "renewal due", "Billing", "billing"]


def case_variant(rng, s):
    """s with its letters' case changed (non-ASCII ones too: a new name)."""
    return rng.choice([s, s.upper(), s.lower(), s.swapcase(), s.title()])


def ascii_variant(rng, s):
    """s with only ASCII letters' case changed: the same name under the fold."""
    how = rng.choice(["same", "upper", "lower", "swap", "random"])
    out = []
    for ch in s:
        if "a" <= ch.lower() <= "z" and ch.isascii():
            if how == "upper" or (how == "random" and rng.random() < 0.5):
                ch = ch.upper()
            elif how == "lower":
                ch = ch.lower()
            elif how == "swap":
                ch = ch.swapcase()
        out.append(ch)
    return "".join(out)


class Names:
    """Unique campaign names per type (ASCII case-insensitive), with
    deliberate case variants of one name across the two types."""

    def __init__(self, rng):
        self.rng = rng
        self.used = {"voice": set(), "sms": set()}
        self.n = 0

    def take(self, type_, name):
        self.used[type_].add(fold(name))

    def release(self, type_, name):
        self.used[type_].discard(fold(name))

    def free(self, type_, name):
        return fold(name) not in self.used[type_]

    def new(self, type_, other_names=()):
        rng = self.rng
        for _ in range(1000):
            if other_names and rng.random() < 0.3:
                name = case_variant(rng, rng.choice(list(other_names)))
            elif rng.random() < 0.15:
                name = case_variant(rng, rng.choice(STEMS))
            else:
                self.n += 1
                name = f"{case_variant(rng, rng.choice(STEMS))} {self.n}"
            if self.free(type_, name):
                self.take(type_, name)
                return name
        raise AssertionError("no free name")

    def clash(self, type_, existing):
        """A name that collides with `existing` (same type) under the fold."""
        v = ascii_variant(self.rng, existing)
        assert fold(v) == fold(existing)
        return v


# ---- tenant data for import ---------------------------------------------------------


def rand_uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


CONTACT_LISTS = ["Renewals", "VIP \u00dcn\u00efcode", "Winter 2025", "Overdue", "Leads",
                 "\u00e9t\u00e9 list"]
DNC_LISTS = ["DNC Main", "dnc \u00c9ire", "Do Not Call"]


class Pools:
    """Shared timestamp values, so that many campaigns tie on createdAt and
    on updatedAt."""

    def __init__(self, rng):
        start = ms_of(datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc))
        year = 365 * 86400000
        self.created = sorted({start + rng.randrange(year) for _ in range(25)} |
                              {start + rng.randrange(365) * 86400000 for _ in range(5)} |
                              {start + rng.randrange(year) // 1000 * 1000 for _ in range(5)})
        self.updated = sorted({start + year + rng.randrange(year // 4) for _ in range(20)} |
                              {start + rng.randrange(year) for _ in range(5)})
        self.start, self.year = start, year


def make_item(rng, type_, name, pools, lists, dncs, expect):
    """One import element; expect[...] gets the instants it must export."""
    e = {"type": type_}
    if rng.random() < 0.6:
        e["_id" if type_ == "voice" else "id"] = "cd-" + rand_uuid(rng)
    e["name"] = name
    r = rng.random()
    if r < 0.7:
        created = rng.choice(pools.created)
    elif r < 0.9:
        created = pools.start + rng.randrange(pools.year)
    else:
        created = None
    if created is not None:
        e["createdAt"] = fmt_instant(rng, created, allow_date=created % 86400000 == 0)
        expect["createdAt"] = parse_instant(e["createdAt"])
    r = rng.random()
    if r < 0.8:
        updated = rng.choice(pools.updated)
        e["updatedAt"] = fmt_instant(rng, updated, allow_date=False)
        expect["updatedAt"] = parse_instant(e["updatedAt"])
    elif r < 0.9 and created is not None:
        e["updatedAt"] = e["createdAt"]
        expect["updatedAt"] = expect["createdAt"]
    if rng.random() < 0.9:
        e["status"] = rng.choice(FILTER_STATUSES)
    if rng.random() < 0.85:
        p = rng.randint(1, 5)
        e["priority"] = p if rng.random() < 0.4 else str(p)
    if rng.random() < 0.7:
        e["description"] = rng.choice(["", "plain", "d\u00e9j\u00e0 vu", f"note {rng.random()}"])
    if rng.random() < 0.85:
        k = rng.choice([1, 1, 2, 3])
        e["contactLists"] = [ascii_variant(rng, x) for x in rng.sample(lists, k)]
    if rng.random() < 0.3 and "updatedAt" in e:
        e["campaignInstanceUpdatedAt"] = e["updatedAt"]
    if rng.random() < 0.5:
        e["schedule"] = {"isSchedulingEnabled": rng.random() < 0.3}
        if rng.random() < 0.5:
            e["schedule"]["isRecurrenceEnabled"] = rng.random() < 0.3
    if type_ == "voice":
        if rng.random() < 0.9:
            e["dialingMode"] = rng.choice(DIALING_MODES)
        if rng.random() < 0.8:
            e["dncLists"] = {"name": ascii_variant(rng, rng.choice(dncs))}
        if rng.random() < 0.6:
            e["isFiltersEnabled"] = rng.random() < 0.5
        if e.get("dialingMode") in ("Progressive", "Preview") and rng.random() < 0.8:
            e["connection"] = rng.choice(["Default Queue", "Billing Queue"])
    else:
        if rng.random() < 0.3:
            e["dncLists"] = {"name": ascii_variant(rng, rng.choice(dncs))}
        if rng.random() < 0.7:
            e["format"] = "simple"
            msg = {"message": rng.choice(["SGVsbG8=", "VGVtcGxhdGUgYm9keQ==", "%00000"])}
            if rng.random() < 0.3:
                msg = {"template_name": "Welcome", **msg, "templateId": "cmt-" + rand_uuid(rng)}
            e["message"] = msg
        else:
            e["format"] = "advanced"
            e["experienceFlow"] = "cf-" + rand_uuid(rng)
        if e.get("status") in ("Active", "Paused", "Completed", "Stopped") and rng.random() < 0.7:
            e["campaignInstanceId"] = "cid-" + rand_uuid(rng)
        if rng.random() < 0.6:
            e["totalMessagesSent"] = rng.randrange(0, 5000)
        if rng.random() < 0.6:
            e["campaignExecutionType"] = "NORMAL"
    keys = list(e)[1:]
    if rng.random() < 0.5:       # the element's key order is free
        rng.shuffle(keys)
    return {"type": type_, **{k: e[k] for k in keys}}


def make_tenant(rng, n, names, pools):
    """n import elements, about half of each type, each with the instants it
    must export: [(element, expect)]."""
    out = []
    voice_names = []
    for _ in range(n):
        type_ = "voice" if rng.random() < 0.5 else "sms"
        name = names.new(type_, voice_names if type_ == "sms" else ())
        if type_ == "voice":
            voice_names.append(name)
        exp = {}
        out.append((make_item(rng, type_, name, pools, CONTACT_LISTS, DNC_LISTS, exp), exp))
    rng.shuffle(out)
    return out


def check_imported(truth, pairs):
    """Every element is in the export with its name, status, priority and
    instants."""
    by_name = {(r.type, r.name): r for r in truth.recs}
    for e, exp in pairs:
        rec = by_name.get((e["type"], e["name"]))
        assert rec is not None, f"seed {SEED}: imported {e} is not exported"
        idkey = "_id" if e["type"] == "voice" else "id"
        assert rec.id == e.get(idkey, rec.id), (e, rec.item)
        assert rec.status == e.get("status", "Ready"), (e, rec.item)
        assert rec.priority == int(e.get("priority", 5)), (e, rec.item)
        assert rec.mode == e.get("dialingMode"), (e, rec.item)
        got = {"createdAt": rec.created, "updatedAt": rec.updated}
        for k, v in exp.items():
            assert got[k] == v, f"seed {SEED}: {k} of {e} exported as {rec.item[k]}"


# ---- the model ----------------------------------------------------------------------


class Rec:
    __slots__ = ("type", "id", "name", "fname", "created", "updated", "status", "priority",
                 "mode", "item")

    def __init__(self, element):
        assert list(element)[0] == "type", list(element)
        self.type = element["type"]
        assert self.type in ("voice", "sms"), element
        item = {k: v for k, v in element.items() if k != "type"}
        keys = VOICE_KEYS if self.type == "voice" else SMS_KEYS
        assert is_subsequence(list(item), keys), f"export keys {list(item)}"
        assert None not in item.values(), item
        self.item = item
        self.id = item["_id" if self.type == "voice" else "id"]
        self.name = item["name"]
        self.fname = fold(self.name)
        for k in ("createdAt", "updatedAt"):
            assert TS_RE.match(item[k]), item
        self.created = parse_instant(item["createdAt"])
        self.updated = parse_instant(item["updatedAt"])
        self.status = item["status"]
        self.priority = int(item["priority"])
        self.mode = item.get("dialingMode")

    def key(self, field):
        return {"name": self.fname, "createdAt": self.created, "updatedAt": self.updated}[field]


class Truth:
    """One tenant's campaigns as export prints them."""

    def __init__(self, exported):
        self.raw = exported
        # in a run-independent order (ids and API timestamps vary between
        # runs, names do not), so that one seed makes the same choices
        self.recs = sorted((Rec(e) for e in exported), key=lambda r: (r.type, r.fname))
        self.by_type = {"voice": [], "sms": []}
        for r in self.recs:
            self.by_type[r.type].append(r)
        self.by_id = {r.id: r for r in self.recs}
        assert len(self.by_id) == len(self.recs), "export repeats an id"
        for t, rs in self.by_type.items():
            assert len({r.fname for r in rs}) == len(rs), f"two {t} campaigns share a name"

    def element(self, cid):
        r = self.by_id.get(cid)
        return None if r is None else json.dumps({"type": r.type, **r.item})


def absent(v):
    return v is None or v == ""


def count_value(v, default):
    return default if absent(v) else int(v)


def expected_response(truth, body):
    """Contract §3/§4, evaluated plainly over the export."""
    type_ = body["type"]
    limit = count_value(body.get("limit"), 10)
    skip = count_value(body.get("skip"), 0)
    page = count_value(body.get("page"), 1)
    offset = skip + (page - 1) * limit
    start = None if absent(body.get("startDate")) else parse_instant(body["startDate"])
    end = None if absent(body.get("endDate")) else parse_instant(body["endDate"])
    filters = body.get("filters") or {}
    status = filters.get("status") or []
    prio = [int(p) for p in (filters.get("priority") or [])]
    modes = filters.get("dialingMode") or []
    rows = [r for r in truth.by_type[type_]
            if (start is None or r.created >= start) and (end is None or r.created <= end)
            and (not status or r.status in status) and (not prio or r.priority in prio)
            and (type_ == "sms" or not modes or r.mode in modes)]
    keys = list((body.get("sortBy") or {}).items()) or [("createdAt", "desc")]
    rows.sort(key=lambda r: r.id.encode(), reverse=keys[-1][1] == "desc")
    for field, direction in reversed(keys):
        rows.sort(key=lambda r, f=field: r.key(f), reverse=direction == "desc")
    total = len(rows)
    results = [r.item for r in rows[offset:offset + limit]]
    return {"status": "success", "message": LIST_MESSAGE,
            "data": {"results": results, "skip": offset, "limit": limit,
                     "hasMore": offset + len(results) < total,
                     "totalPages": math.ceil(total / limit), "totalResults": total}}


# ---- random valid requests ----------------------------------------------------------


def rand_count(rng, lo, hi):
    """A pagination number in lo..hi: a JSON integer or a digit string (now
    and then with leading zeros)."""
    v = rng.randint(lo, hi)
    if rng.random() < 0.55:
        return v
    return str(v) if rng.random() < 0.8 else str(v).rjust(rng.randint(2, 4), "0")


def rand_bound(rng, truth, type_):
    recs = truth.by_type[type_] or truth.recs
    r = rng.random()
    if recs and r < 0.45:
        ms = rng.choice(recs).created           # exactly on a campaign: inclusivity
        return fmt_instant(rng, ms, allow_date=ms % 86400000 == 0) if rng.random() < 0.7 \
            else ts(ms)
    if recs and r < 0.6:
        return ts(rng.choice(recs).created + rng.choice([-1, 1]))
    lo = min((x.created for x in truth.recs), default=0) - 86400000
    hi = max((x.created for x in truth.recs), default=0) + 86400000
    return fmt_instant(rng, rng.randint(lo, hi))


def random_query(rng, truth, type_=None):
    type_ = type_ or rng.choice(["voice", "sms"])
    n = len(truth.by_type[type_])
    body = {"type": type_}
    r = rng.random()
    if r < 0.6:
        body["limit"] = rand_count(rng, 1, 20)
    elif r < 0.75:
        body["limit"] = rand_count(rng, 1, 100)
    elif r < 0.8:
        body["limit"] = 100
    elif r < 0.87:
        body["limit"] = rng.choice(["", None])
    r = rng.random()
    if r < 0.4:
        body["skip"] = rand_count(rng, 0, 30)
    elif r < 0.5:
        body["skip"] = rand_count(rng, max(0, n - 15), n + 15)
    elif r < 0.53:
        body["skip"] = rng.choice([1000000000, rng.randint(1000, 999999999)])
    elif r < 0.6:
        body["skip"] = rng.choice(["", None, 0])
    r = rng.random()
    if r < 0.45:
        body["page"] = rand_count(rng, 1, 8)
    elif r < 0.52:
        body["page"] = rand_count(rng, 1, 400)
    elif r < 0.54:
        body["page"] = rng.choice([1000000000, rng.randint(1000, 999999999)])
    elif r < 0.6:
        body["page"] = rng.choice(["", None, 1])
    r = rng.random()
    if r < 0.5:
        start, end = rand_bound(rng, truth, type_), rand_bound(rng, truth, type_)
        if parse_instant(start) > parse_instant(end):
            start, end = end, start
        if rng.random() < 0.25:                  # one range exactly on one campaign
            recs = truth.by_type[type_]
            if recs:
                start = end = ts(rng.choice(recs).created)
        body["startDate"], body["endDate"] = start, end
    elif r < 0.62:
        body["startDate"] = rand_bound(rng, truth, type_)
    elif r < 0.74:
        body["endDate"] = rand_bound(rng, truth, type_)
    elif r < 0.8:
        body["startDate"] = rng.choice(["", None])
        body["endDate"] = rng.choice(["", None])
    r = rng.random()
    if r < 0.7:
        keys = rng.sample(SORT_KEYS, rng.choice([1, 1, 2, 2, 3]))
        body["sortBy"] = {k: rng.choice(["asc", "desc"]) for k in keys}
    elif r < 0.8:
        body["sortBy"] = rng.choice([{}, None])
    r = rng.random()
    if r < 0.75:
        f = {}
        for key in rng.sample(["status", "priority", "dialingMode"], rng.randint(0, 3)):
            k = rng.choice([0, 1, 1, 2, 2, 3])
            if key == "status":
                vals = [rng.choice(FILTER_STATUSES) for _ in range(k)]
            elif key == "priority":
                vals = [rng.randint(1, 5) for _ in range(k)]
                vals = [str(v) if rng.random() < 0.4 else v for v in vals]
            else:
                vals = [rng.choice(DIALING_MODES) for _ in range(k)]
            f[key] = vals if rng.random() < 0.95 else None
        body["filters"] = f
    elif r < 0.8:
        body["filters"] = None
    if rng.random() < 0.05:
        body["unknownTopLevel"] = {"ignored": [1, 2]}
    keys = list(body)
    rng.shuffle(keys)                           # top-level key order is free
    return {k: body[k] for k in keys}


# ---- the harness --------------------------------------------------------------------


def canon(value):
    """The JSON text of value, keys in their order (so that equal texts mean
    equal values, key order, {} versus [] and true versus 1 included)."""
    return json.dumps(value, ensure_ascii=False)


def load_strict(content):
    """Parses a response, refusing an object that repeats a key."""
    def obj(pairs):
        keys = [k for k, _ in pairs]
        assert len(set(keys)) == len(keys), f"a key repeats in {keys}"
        return dict(pairs)
    return json.loads(content, object_pairs_hook=obj)


def diff_text(body, exp, got):
    def head(d):
        return {k: v for k, v in d.get("data", {}).items() if k != "results"}

    def ids(d):
        return [i.get("_id", i.get("id")) for i in d.get("data", {}).get("results", [])]
    lines = [f"seed {SEED} (CAMPAIGND_DIFF_SEED)", f"request: {json.dumps(body)}",
             f"expected: {json.dumps(head(exp))}", f"got:      {json.dumps(head(got))}",
             f"expected ids: {ids(exp)}", f"got ids:      {ids(got)}"]
    for i, (a, b) in enumerate(zip(exp.get("data", {}).get("results", []),
                                   got.get("data", {}).get("results", []))):
        if canon(a) != canon(b):
            lines += [f"first differing item #{i}:", f"  expected {canon(a)}",
                      f"  got      {canon(b)}"]
            break
    lines.append(f"got (whole): {canon(got)[:2000]}")
    return "\n".join(lines)


class Side:
    """One tenant under test: its credentials, its current truth, the nodes
    its reads go to."""

    def __init__(self, label, tenant, nodes, session, rng):
        self.label = label
        self.tenant = tenant
        self.nodes = nodes
        self.http = session
        self.rng = rng
        # node choice has its own generator: one seed makes the same data,
        # requests and writes on one node (SQLite) as on two (PostgreSQL)
        self.node_rng = random.Random(SEED + 1)
        self.truth = None
        self.fam = Family(nodes[0], tenant, session)
        self.asked = 0
        self.context = "after the load"     # named in failure messages

    def refresh(self):
        self.truth = Truth(self.tenant.export())
        return self.truth

    def ask(self, body, times=2):
        """Asks body `times` times in a row (one node each time, at random),
        checking every answer against the model."""
        exp = expected_response(self.truth, body)
        want = canon(exp)
        first = None
        for _ in range(times):
            node = self.node_rng.choice(self.nodes)
            r = post_list(self.http, node, self.tenant, body)
            self.asked += 1
            assert r.status_code == 200, \
                f"{self.label}: {r.status_code} {r.text}\nseed {SEED}\nrequest: {json.dumps(body)}"
            assert r.headers.get("Content-Type", "").split(";")[0].strip() == \
                "application/json"
            got = load_strict(r.content)
            if canon(got) != want:
                raise AssertionError(f"{self.label} ({self.context}): response differs from "
                                     f"the model\n" + diff_text(body, exp, got))
            if first is None:
                first = r.content
            else:
                assert r.content == first, f"{self.label}: a repeated request changed bytes " \
                    f"with no write in between\nseed {SEED}\nrequest: {json.dumps(body)}"
        return exp


# ---- writes -------------------------------------------------------------------------


def full_update_body(rng, fam_lists, rec, mode=None):
    """A PUT body that makes any campaign (an imported one too) complete for
    the create rules of its type and dialing mode."""
    contact, dnc = fam_lists
    body = {"contactLists": [ascii_variant(rng, x)
                             for x in rng.sample(contact, rng.randint(1, 2))]}
    if rec.type == "sms":
        body["dialingStrategy"] = dialing_strategy(voice=False)
        if rec.item.get("format") == "advanced":
            body["experienceFlowName"] = "SMS Support Flow"
        else:
            body["format"] = "simple"
            body["message"] = rec.item.get("message", {"message": "SGVsbG8="})
            body["message"] = {k: v for k, v in body["message"].items() if k != "templateId"}
    else:
        mode = mode or rec.mode or rng.choice(DIALING_MODES)
        body["dialingMode"] = mode
        body["dialingStrategy"] = dialing_strategy(voice=True)
        body["dncLists"] = {"name": ascii_variant(rng, rng.choice(dnc))}
        if mode == "Agentless":
            body["experienceFlowName"] = "Voice Survey Entry Flow"
            body["enableMachineDetect"] = rng.choice(["no", "detect"])
        else:
            body["queue_name"] = rng.choice(["Default Queue", "Billing Queue"])
        if mode == "Preview":
            body["maxSkips"] = rng.randint(0, 5)
    return body


class Writer:
    """Random writes to one Side, each checked through the export: only the
    campaigns it touches change, in the way it says; then the requests asked
    just before the write are asked again."""

    def __init__(self, side, names, lists):
        self.side = side
        self.fam = side.fam
        self.rng = side.rng
        self.names = names
        self.lists = lists            # [contact list names], [dnc list names] (current spelling)
        self.counts = {}
        self.started = set()          # ids this test started (they have an instance)
        self.done = 0

    def pick(self, pred, type_=None):
        recs = [r for r in self.side.truth.recs if pred(r) and (type_ is None or r.type == type_)]
        return self.rng.choice(recs) if recs else None

    def probes(self):
        """Requests whose answers a write is likely to change, of both types:
        the most recently updated (a write moves its campaign to the top),
        and a count under a status filter."""
        rng = self.rng
        out = []
        for t in ("voice", "sms"):
            out.append({"type": t, "limit": 100, "sortBy": {"updatedAt": "desc"}})
            out.append({"type": t, "limit": 1,
                        "filters": {"status": rng.sample(FILTER_STATUSES, rng.randint(1, 3))}})
        return out

    def run(self, kind):
        """Does one write of the given kind, asking the probes just before it
        and again just after it."""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.done += 1
        before = self.side.truth
        bodies = self.probes()
        self.side.context = f"before write #{self.done}, {kind}"
        for b in bodies:
            self.side.ask(b, times=1)
        self.t0 = now_ms() - CLOCK_SLACK_MS
        check = getattr(self, "w_" + kind)(before)
        self.t1 = now_ms() + CLOCK_SLACK_MS
        self.side.context = f"just after write #{self.done}, {kind}"
        after = self.side.refresh()
        changed = {i for i in set(before.by_id) | set(after.by_id)
                   if before.element(i) != after.element(i)}
        check(before, after, changed)
        for b in bodies:
            self.side.ask(b, times=1)

    # -- helpers for checks
    @staticmethod
    def only(ids):
        def check(before, after, changed):
            assert changed <= set(ids), f"seed {SEED}: campaigns {changed - set(ids)} changed"
        return check

    def in_window(self, ms):
        """ms is the time of the write just done (server and test share the
        clock of this machine)."""
        return self.t0 <= ms <= self.t1

    def fail_msg(self, r):
        return f"seed {SEED}: {r.request.method} {r.request.url}: {r.status_code} {r.text}"

    # -- creates
    def w_create(self, before, type_=None):
        rng, fam = self.rng, self.fam
        type_ = type_ or rng.choice(["voice", "sms"])
        other = [r.name for r in before.by_type["voice" if type_ == "sms" else "sms"]]
        name = self.names.new(type_, other)
        contact, dnc = self.lists
        lists = [ascii_variant(rng, x) for x in rng.sample(contact, rng.randint(1, 3))]
        prio = rng.randint(1, 5)
        if type_ == "sms":
            variant = rng.choice(["simple", "template", "advanced"])
            body = sms_body(name, lists, variant,
                            dnc=ascii_variant(rng, rng.choice(dnc)) if rng.random() < 0.5
                            else None, priority=prio if rng.random() < 0.5 else str(prio))
            mode = None
        else:
            mode = rng.choice(DIALING_MODES)
            body = voice_body(name, lists, ascii_variant(rng, rng.choice(dnc)), mode,
                              priority=prio if rng.random() < 0.5 else str(prio))
        r = fam.create(body, expect=None)
        assert r.status_code == 201, self.fail_msg(r)
        data = r.json()["data"]
        cid = data["_id"] if type_ == "sms" else data["id"]

        def check(b, a, changed):
            assert changed == {cid}, f"seed {SEED}: create changed {changed}"
            rec = a.by_id[cid]
            assert (rec.type, rec.name, rec.priority, rec.status, rec.mode) == \
                (type_, name, prio, "Ready", mode), rec.item
            assert [fold(x) for x in rec.item["contactLists"]] == [fold(x) for x in lists]
            assert rec.created == rec.updated and self.in_window(rec.created), rec.item
        return check

    def w_create_voice(self, before):
        return self.w_create(before, "voice")

    def w_create_sms(self, before):
        return self.w_create(before, "sms")

    def w_create_clash(self, before):
        rec = self.pick(lambda r: True)
        name = self.names.clash(rec.type, rec.name)
        contact, dnc = self.lists
        body = sms_body(name, contact[:1]) if rec.type == "sms" else \
            voice_body(name, contact[:1], dnc[0])
        r = self.fam.create(body, expect=None)
        assert r.status_code == 409, self.fail_msg(r)
        return self.only(())

    # -- updates
    def w_update(self, before):
        rng = self.rng
        rec = self.pick(lambda r: r.status not in RUNNING)
        body = {}
        want = {}
        if rng.random() < 0.5:
            p = rng.randint(1, 5)
            body["priority"] = p if rng.random() < 0.5 else str(p)
            want["priority"] = p
        if rng.random() < 0.4:
            if rng.random() < 0.3:
                name = ascii_variant(rng, rec.name)     # a new spelling of its own name
            else:
                name = self.names.new(rec.type)
            body["name"] = name
            want["name"] = name
        if rng.random() < 0.4 or not body:
            d = f"updated {rng.randrange(10 ** 6)}"
            body["description"] = d
            want["description"] = d
        mode = None
        if rec.type == "voice" and rng.random() < 0.3:
            mode = rng.choice(DIALING_MODES)
        r = self.fam.update(rec.id, body, rec.type if rng.random() < 0.5 else None)
        if r.status_code == 400 or mode:
            # imported campaigns may lack settings: send what the rules need
            body.update(full_update_body(rng, self.lists, rec, mode))
            if mode:
                want["mode"] = mode
            r = self.fam.update(rec.id, body)
        assert r.status_code == 200, self.fail_msg(r)
        if "name" in want and fold(want["name"]) != rec.fname:
            self.names.release(rec.type, rec.name)

        def check(b, a, changed):
            assert changed <= {rec.id}, f"seed {SEED}: update changed {changed}"
            new = a.by_id[rec.id]
            assert new.status == rec.status and new.created == rec.created, new.item
            assert self.in_window(new.updated), new.item
            for k, v in want.items():
                got = {"priority": new.priority, "name": new.name, "mode": new.mode,
                       "description": new.item.get("description")}[k]
                assert got == v, f"seed {SEED}: after PUT {body}: {k} is {got!r}, not {v!r}"
        return check

    def w_update_running(self, before):
        rec = self.pick(lambda r: r.status in RUNNING)
        if rec is None:
            return self.w_update(before)
        # a body valid for the campaign, so that the status is what refuses it
        body = {"priority": "1", "description": "never",
                **full_update_body(self.rng, self.lists, rec)}
        r = self.fam.update(rec.id, body)
        assert r.status_code == 409, self.fail_msg(r)
        return self.only(())

    # -- delete
    def w_delete(self, before):
        rec = self.pick(lambda r: r.status not in RUNNING)
        r = self.fam.delete(rec.id, rec.type if self.rng.random() < 0.5 else None)
        assert r.status_code == 200, self.fail_msg(r)
        self.names.release(rec.type, rec.name)

        def check(b, a, changed):
            assert changed == {rec.id} and rec.id not in a.by_id, \
                f"seed {SEED}: delete changed {changed}"
        return check

    def w_delete_running(self, before):
        rec = self.pick(lambda r: r.status in RUNNING)
        if rec is None:
            return self.w_delete(before)
        r = self.fam.delete(rec.id)
        assert r.status_code == 409, self.fail_msg(r)
        return self.only(())

    # -- lifecycle
    def _trigger(self, rec, trigger, new_status):
        r = self.fam.trigger(rec.id, trigger, rec.type if self.rng.random() < 0.5 else None)
        assert r.status_code == 200, self.fail_msg(r)
        assert r.json()["status"] == new_status, self.fail_msg(r)
        upd = parse_instant(r.json()["updatedAt"])
        if trigger == "play":
            self.started.add(rec.id)

        def check(b, a, changed):
            assert changed <= {rec.id}, f"seed {SEED}: {trigger} changed {changed}"
            new = a.by_id[rec.id]
            assert new.status == new_status and new.updated == upd, new.item
            assert self.in_window(upd), new.item
        return check

    def w_play(self, before):
        rec = self.pick(lambda r: r.status in ("Ready", "Preparing", "Stopped", "Completed",
                                               "Scheduled", "Rescheduled"))
        return self._trigger(rec, "play", "Active")

    def w_stop(self, before):
        rec = self.pick(lambda r: r.status in ("Active", "Paused", "Scheduled", "Rescheduled"))
        if rec is None:
            return self.w_play(before)
        return self._trigger(rec, "stop", "Stopped")

    def w_play_conflict(self, before):
        rec = self.pick(lambda r: r.status == "Active")
        if rec is None:
            return self.w_play(before)
        r = self.fam.trigger(rec.id, "play")
        assert r.status_code == 409, self.fail_msg(r)
        return self.only(())

    def w_cli_status(self, before):
        rec = self.pick(lambda r: r.status == "Active" and r.id in self.started)
        if rec is None:
            return self.w_play(before)
        status = self.rng.choice(["Paused", "Completed"])
        self.fam.cli_status(rec.id, status)

        def check(b, a, changed):
            assert changed <= {rec.id} and a.by_id[rec.id].status == status, \
                f"seed {SEED}: cli status {status}: {a.by_id[rec.id].item}"
        return check

    def w_cli_sent(self, before):
        rec = self.pick(lambda r: True, "sms")
        n = self.rng.randint(1, 50)
        self.fam.cli_sent(rec.id, n)
        was = rec.item.get("totalMessagesSent", 0)

        def check(b, a, changed):
            assert changed <= {rec.id}, f"seed {SEED}: sent changed {changed}"
            assert a.by_id[rec.id].item.get("totalMessagesSent") == was + n, \
                a.by_id[rec.id].item
        return check

    def w_schedule(self, before):
        rng = self.rng
        enable = rng.random() < 0.6
        if enable:
            rec = self.pick(lambda r: r.status in ("Ready", "Stopped", "Completed", "Scheduled",
                                                   "Rescheduled"))
        else:
            rec = self.pick(lambda r: r.status in ("Scheduled", "Rescheduled"))
            if rec is None:
                enable = True
                rec = self.pick(lambda r: r.status == "Ready")
        r = self.fam.schedule(rec.name, enable=enable, ctype=rec.type)
        assert r.status_code == 200, self.fail_msg(r)
        allowed = {"Scheduled", "Rescheduled"} if enable else {"Ready", "Stopped"}

        def check(b, a, changed):
            assert changed <= {rec.id}, f"seed {SEED}: schedule changed {changed}"
            new = a.by_id[rec.id]
            assert new.status in allowed, f"seed {SEED}: schedule {enable}: {new.item}"
            assert self.in_window(new.updated), new.item
            if rec.status in ("Scheduled", "Rescheduled") and enable:
                assert new.status == rec.status, new.item
        return check

    # -- contact lists
    def w_rename_list(self, before):
        rng = self.rng
        lists = {x["name"]: x["_id"] for x in self.fam.lists()}
        contact, dnc = self.lists
        assert sorted(lists, key=fold) == sorted(contact + dnc, key=fold), (lists, self.lists)
        which = contact if rng.random() < 0.7 else dnc
        i = rng.randrange(len(which))
        old = which[i]
        new = f"{case_variant(rng, rng.choice(CONTACT_LISTS + DNC_LISTS))} r{rng.randrange(10**6)}"
        if rng.random() < 0.3:          # a new spelling of the same name
            new = ascii_variant(rng, old)
            if new == old:
                new = old + " x"
        r = self.fam.req("PUT", f"/contactList/{lists[old]}", {"name": new})
        assert r.status_code == 200, self.fail_msg(r)
        which[i] = new
        users = {rec.id for rec in before.recs
                 if old in rec.item.get("contactLists", [])
                 or rec.item.get("dncLists", {}).get("name") == old}

        def check(b, a, changed):
            assert changed == users, \
                f"seed {SEED}: rename {old!r} -> {new!r}: changed {changed ^ users} unexpectedly"
            for cid in users:
                item = a.by_id[cid].item
                shown = item.get("contactLists", []) + [item.get("dncLists", {}).get("name")]
                assert new in shown and old not in shown, item
        return check

    # -- imports
    def w_import(self, before):
        rng = self.rng
        n = rng.randint(5, 25)
        pools = Pools(rng)
        other = {"voice": [r.name for r in before.by_type["sms"]],
                 "sms": [r.name for r in before.by_type["voice"]]}
        contact, dnc = self.lists
        pairs = []
        for _ in range(n):
            type_ = rng.choice(["voice", "sms"])
            exp = {}
            extra = f"Imported {rng.randrange(3)}"
            pool = contact + [extra] if fold(extra) not in {fold(x) for x in contact} \
                else contact
            pairs.append((make_item(rng, type_, self.names.new(type_, other[type_]), pools,
                                    pool, dnc, exp), exp))
        self.side.tenant.import_items([e for e, _ in pairs])
        self.sync_lists()

        def check(b, a, changed):
            assert set(b.by_id) <= set(a.by_id)
            new = set(a.by_id) - set(b.by_id)
            assert changed == new and len(new) == n, f"seed {SEED}: import changed {changed}"
            check_imported(a, pairs)
        return check

    def w_import_rejected(self, before):
        rng = self.rng
        rec = self.pick(lambda r: True)
        lists = sorted(x["name"] for x in self.fam.lists())
        good = [{"type": "sms", "name": self.names.new("sms"), "contactLists": ["Never Made"]},
                {"type": "voice", "name": self.names.new("voice"), "status": "Active"}]
        bad = {"type": rec.type, "name": self.names.clash(rec.type, rec.name)}
        items = good + [bad] if rng.random() < 0.5 else [bad] + good
        r = self.side.tenant.import_items(items, expect_ok=False)
        assert r.returncode != 0, f"seed {SEED}: an import repeating a name was accepted"
        assert sorted(x["name"] for x in self.fam.lists()) == lists, \
            f"seed {SEED}: a rejected import left a list behind"
        for g in good:
            self.names.release(g["type"], g["name"])
        return self.only(())

    def sync_lists(self):
        """The current spelling of every list (imports may add some)."""
        stored = sorted((x["name"] for x in self.fam.lists()), key=fold)
        dnc = {fold(x) for x in self.lists[1]}
        self.lists[0][:] = [x for x in stored if fold(x) not in dnc]
        self.lists[1][:] = [x for x in stored if fold(x) in dnc]


# The write batches between query phases (each shuffled): every write path,
# the rejected ones included (they must change nothing, counts neither).
BATCHES = [
    ["create_voice", "create_sms"] * 2 + ["update", "update", "delete", "play", "play", "stop",
                                          "schedule", "cli_status", "cli_sent", "create_clash",
                                          "update_running"],
    ["import", "import_rejected", "rename_list", "rename_list", "create_voice", "create_sms",
     "update", "update", "delete", "play", "stop", "schedule", "cli_status", "cli_sent",
     "delete_running", "play_conflict"],
    ["import", "delete", "delete", "delete", "create_voice", "create_sms", "update", "play",
     "play", "stop", "schedule", "cli_sent", "rename_list", "create_clash", "update_running"],
]


# ---- the test -----------------------------------------------------------------------


def test_listing_matches_the_model_through_random_writes(server_factory, tmp_path):
    print(f"CAMPAIGND_DIFF_SEED={SEED}")
    rng = random.Random(SEED)
    t_begin = time.monotonic()
    db = tmp_path / "diff.db"
    ta = app_create(db)
    tb = app_create(db, account=ta.account)      # a second app of the same account
    tc = app_create(db)                          # another account
    assert tb.stream != ta.stream

    names_a = Names(rng)
    pools = Pools(rng)
    loaded = {}
    # the other tenants reuse names, timestamps and list names of the first
    for t, size, names in ((ta, SIZE_A, names_a), (tb, SIZE_B, Names(rng)),
                           (tc, SIZE_C, Names(rng))):
        loaded[t.stream] = make_tenant(rng, size, names, pools)
        t.import_items([e for e, _ in loaded[t.stream]])

    nodes = [server_factory(db=db)]
    if PG_BASE:
        nodes.append(server_factory(db=db))      # two nodes on one database
    with requests.Session() as http:
        a = Side("tenant A", ta, nodes, http, rng)
        b = Side("tenant B", tb, nodes, http, rng)
        c = Side("tenant C", tc, nodes, http, rng)
        for s, size in ((a, SIZE_A), (b, SIZE_B), (c, SIZE_C)):
            s.refresh()
            assert len(s.truth.recs) == size
            check_imported(s.truth, loaded[s.tenant.stream])
        b_export, c_export = json.dumps(b.truth.raw), json.dumps(c.truth.raw)

        lists_a = ([], list(DNC_LISTS))
        writer = Writer(a, names_a, lists_a)
        writer.sync_lists()
        assert lists_a[0] and lists_a[1], lists_a

        poll_a = [random_query(rng, a.truth) for _ in range(POLL_A)]
        poll_b = [random_query(rng, b.truth) for _ in range(POLL_B)]
        poll_a += [{"type": "voice"}, {"type": "sms"}, {"type": "voice", "sortBy": {}},
                   {"type": "sms", "limit": 100, "sortBy": {"name": "asc"}},
                   {"type": "voice", "limit": 100, "page": 4, "sortBy": {"name": "desc"}}]

        def phase(context):
            for s in (a, b, c):
                s.context = context
            for s, poll, fresh in ((a, poll_a, FRESH_A), (b, poll_b, FRESH_B),
                                   (c, [], FRESH_C)):
                for body in poll + [random_query(rng, s.truth) for _ in range(fresh)]:
                    s.ask(body)
            # writes to A never reach the other tenants
            assert json.dumps(b.refresh().raw) == b_export, f"seed {SEED}: tenant B changed"
            assert json.dumps(c.refresh().raw) == c_export, f"seed {SEED}: tenant C changed"

        phase("after the load")
        for n, batch in enumerate(BATCHES, 1):
            batch = list(batch)
            rng.shuffle(batch)
            for kind in batch:
                writer.run(kind)
            phase(f"query phase after write batch {n}")

    elapsed = time.monotonic() - t_begin
    print(f"{a.asked + b.asked + c.asked} list requests, writes {writer.counts}, "
          f"{elapsed:.1f} s")
    for srv in nodes:
        assert srv.stop() == 0, srv.stderr()[-4000:]
        assert not srv.sanitizer_report(), srv.stderr()[-8000:]
