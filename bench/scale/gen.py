#!/usr/bin/python3
"""Fixed-seed data for bench/scale: campaign import files and list-request bodies.

Everything here is deterministic: the same parameters give the same bytes.
Used as a module by bench.py, or from the command line:

  gen.py tenant OUT N SEED [LISTMODE]   an import file of N campaigns
                                        (LISTMODE pool: 1-3 of a few hundred
                                        list names; unique: campaign i uses
                                        list i, for the contact-lists listing)
  gen.py bodies OUT N SEED              N distinct valid Get All Campaigns
                                        bodies, one per line; the first is the
                                        documented SMS sample body
  gen.py shapes                         the sequential query shapes (JSON)

Import files are written as a stream (one element at a time), so a
million-campaign file never sits in memory.
"""
import calendar
import json
import os
import random
import sys
import time
import uuid

GEN_VERSION = 1  # bump when the output of any generator changes

STATUSES = ["Active", "Completed", "Ready", "Paused", "Preparing", "Stopped",
            "Scheduled", "Rescheduled"]
MODES = ["Progressive", "Preview", "Agentless"]
SORT_KEYS = ["name", "createdAt", "updatedAt"]

YEAR_START_MS = 1735689600000          # 2025-01-01T00:00:00Z
YEAR_MS = 365 * 86400 * 1000           # createdAt spreads over 2025
DAY_MS = 86400 * 1000

WORDS_A = ["Billing", "Service", "Renewal", "Event", "Payment", "Welcome", "Survey",
           "Holiday", "Loyalty", "Upgrade", "Outreach", "Feedback", "Onboarding",
           "Collections", "Appointment", "Delivery", "Retention", "Promo", "Winback",
           "Insurance", "Warranty", "Referral", "Membership", "Donation"]
WORDS_B = ["Reminder", "Alert", "Notice", "Drive", "Push", "Follow-up", "Check-in",
           "Blast", "Wave", "Update", "Offer", "Digest"]
DESCRIPTIONS = [
    "Progressive dialing campaign to remind customers about upcoming bill payments. "
    "Connects to an agent if available, else plays a recorded message",
    "Connects customers with live agents to assist with upcoming service renewals using "
    "progressive dialing. Ensures personalized support and improved engagement.",
    "Sends a one-time message to remind users about an upcoming event. No template or "
    "personalization is used\u2014just a plain, direct message.",
    "Uses a pre-approved message template to alert customers about pending bills. "
    "Includes dynamic fields for customer name, due date, and bill amount",
    "This campaign sends an SMS with a link or instructions to interact with a bot.",
    "",
    "Quarterly survey of recent customers",
    "Win-back outreach for lapsed members, second wave",
]
SMS_TEXTS = [
    "TWVzc2FnZSBmb3IgeW91ciB0YXJnZXRlZCBjdXN0b21lcg==",
    "R3JlZXRpbmdzLCA8Rmlyc3QgTmFtZT4hIFdlJ3JlIHRocmlsbGVkIHRvIGhhdmUgeW91IGpvaW4gdXMu",
    "WW91ciBhcHBvaW50bWVudCBpcyB0b21vcnJvdyBhdCAxMCBBTQ==",
    "UGF5bWVudCBkdWUgaW4gMyBkYXlz",
]

# The documented SMS sample body (bench/list.lua), one line.
DOCUMENTED_SMS = {
    "limit": 50, "skip": 0, "page": 1,
    "startDate": "2025-12-01T00:00:00.000Z", "endDate": "2025-12-08T00:00:00.000Z",
    "type": "sms", "sortBy": {"createdAt": "desc"},
    "filters": {"status": ["Ready", "Stopped"], "priority": [5]},
}


def iso_ms(ms):
    """Contract §4 form: 2025-12-08T09:17:21.090Z."""
    s, frac = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%03dZ" % frac


def rid(rng, prefix):
    return "%s-%s" % (prefix, uuid.UUID(int=rng.getrandbits(128), version=4))


def _name(rng, i, kind):
    n = "%s %s %s %07d" % (rng.choice(WORDS_A), rng.choice(WORDS_B), kind, i)
    r = rng.random()
    if r < 0.15:
        n = n.lower()
    elif r < 0.25:
        n = n.upper()
    return n


def campaigns(n, seed, listmode="pool"):
    """Yields n import elements: half voice, half sms, every filterable value
    spread, createdAt over 2025, updatedAt >= createdAt, 1-3 contact lists
    per campaign, half the voice ones with a DNC list.  Names are unique per
    type (the index is in the name)."""
    rng = random.Random("campaignd-scale-%d-%d" % (seed, n))
    pool = max(1, min(300, n // 10 + 1))
    lists = ["Contact list %03d %s" % (k, rng.choice(WORDS_A)) for k in range(pool)]
    dncs = ["DNC list %02d" % k for k in range(20)]
    for i in range(n):
        voice = i % 2 == 0
        created = YEAR_START_MS + rng.randrange(YEAR_MS)
        updated = created + (0 if rng.random() < 0.3 else rng.randrange(30 * DAY_MS))
        status = rng.choice(STATUSES)
        prio = rng.randrange(1, 6)
        sched_on = status in ("Scheduled", "Rescheduled")
        schedule = {"isSchedulingEnabled": sched_on, "isRecurrenceEnabled": sched_on and rng.random() < 0.5}
        if listmode == "unique":
            cl = ["List %05d" % i]
        else:
            cl = rng.sample(lists, rng.randint(1, min(3, pool)))
        if voice:
            it = {"type": "voice", "_id": rid(rng, "cd"), "name": _name(rng, i, "Voice"),
                  "description": rng.choice(DESCRIPTIONS)}
            if rng.random() < 0.5:
                it["dncLists"] = {"name": rng.choice(dncs)}
            it["priority"] = str(prio) if rng.random() < 0.8 else prio
            it["dialingMode"] = rng.choice(MODES)
            it["status"] = status
            it["isFiltersEnabled"] = False
            it["createdAt"] = iso_ms(created)
            it["updatedAt"] = iso_ms(updated)
            it["campaignInstanceUpdatedAt"] = it["updatedAt"]
            it["schedule"] = schedule
            it["connection"] = "Default Queue"
            it["contactLists"] = cl
        else:
            it = {"type": "sms", "name": _name(rng, i, "SMS"), "description": rng.choice(DESCRIPTIONS),
                  "status": status}
            if rng.random() < 0.3:
                it["dncLists"] = {"name": rng.choice(dncs)}
            it["priority"] = str(prio)
            advanced = rng.random() < 0.25
            if advanced:
                it["experienceFlow"] = "cf-67447605-115e-5dd2-a676-e158cf300000"
            elif rng.random() < 0.3:
                it["message"] = {"template_name": "Welcome", "message": rng.choice(SMS_TEXTS),
                                 "templateId": "cmt-88fcd16f-bdb2-4d4d-8a2c-0324c7f00000"}
            else:
                it["message"] = {"message": rng.choice(SMS_TEXTS)}
            it["createdAt"] = iso_ms(created)
            it["updatedAt"] = iso_ms(updated)
            it["schedule"] = schedule
            ran = status in ("Active", "Completed", "Paused", "Stopped")
            if ran:
                it["campaignInstanceId"] = rid(rng, "cid")
            it["id"] = rid(rng, "cd")
            it["totalMessagesSent"] = rng.randrange(5000) if ran else 0
            it["campaignInstanceUpdatedAt"] = it["updatedAt"]
            it["campaignExecutionType"] = "NORMAL"
            it["contactLists"] = cl
            it["format"] = "advanced" if advanced else "simple"
        yield it


def write_tenant(path, n, seed, listmode="pool"):
    """Writes the import file to path (via a temporary file, renamed when
    complete, so an interrupted run never leaves a truncated cache)."""
    tmp = path + ".tmp"
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as f:
        f.write("[\n")
        first = True
        for it in campaigns(n, seed, listmode):
            if not first:
                f.write(",\n")
            first = False
            f.write(enc(it))
        f.write("\n]\n")
    os.replace(tmp, path)


# ---- request bodies ---------------------------------------------------------

def _fmt_instant(rng, ms, is_end):
    """One of the accepted spellings of an instant; returns (text, instant the
    server will read).  A bare date means midnight UTC of that day."""
    r = rng.random()
    if r < 0.45:
        return iso_ms(ms), ms
    if r < 0.6:
        s = ms // 1000 * 1000
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(s // 1000)), s
    if r < 0.8:
        d = ms // DAY_MS * DAY_MS
        if is_end and rng.random() < 0.5:
            d += DAY_MS  # an end date of the next midnight, still >= the start below
        return time.strftime("%Y-%m-%d", time.gmtime(d // 1000)), d
    if r < 0.95:
        off = rng.choice([330, -240, 60, -480, 345, 0])  # minutes east of UTC
        local = ms + off * 60000
        s, frac = divmod(local, 1000)
        sign = "+" if off >= 0 else "-"
        a = abs(off)
        txt = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%03d%s%02d:%02d" % (frac, sign, a // 60, a % 60)
        return txt, ms
    s, frac = divmod(ms, 1000)  # six fraction digits
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%03d%03dZ" % (frac, rng.randrange(1000)), ms


def _num(rng, v, default_ok):
    """An integer field as a JSON integer, a digit string, or (when it is the
    default) an empty string."""
    r = rng.random()
    if r < 0.7:
        return v
    if r < 0.93:
        return str(v) if rng.random() < 0.8 else "0" + str(v)
    return "" if default_ok else str(v)


def body(rng):
    """One random valid body and its normalised meaning (what a cache keyed by
    the request would key on)."""
    b = {}
    typ = rng.choice(["sms", "voice"])
    # limit
    lim_r = rng.random()
    if lim_r < 0.06:
        limit = 10
        if rng.random() < 0.5:
            b["limit"] = ""
    else:
        limit = rng.randint(10, 100)
        b["limit"] = _num(rng, limit, False)
    # skip / page
    skip = 0 if rng.random() < 0.6 else rng.randrange(0, 500)
    if skip or rng.random() < 0.5:
        b["skip"] = _num(rng, skip, skip == 0)
    page = 1 if rng.random() < 0.45 else rng.randint(1, 20)
    if page != 1 or rng.random() < 0.5:
        b["page"] = _num(rng, page, page == 1)
    b["type"] = typ
    # dates
    start = end = None
    r = rng.random()
    if r < 0.55:
        t0 = YEAR_START_MS - 15 * DAY_MS + rng.randrange(YEAR_MS + 30 * DAY_MS)
        span = rng.choice([DAY_MS, 7 * DAY_MS, 30 * DAY_MS, 91 * DAY_MS, 182 * DAY_MS, YEAR_MS])
        span = rng.randrange(span // 2, span + 1)
        b["startDate"], start = _fmt_instant(rng, t0, False)
        if rng.random() < 0.7:
            txt, e = _fmt_instant(rng, t0 + span, True)
            if e >= start:
                b["endDate"], end = txt, e
        elif rng.random() < 0.2:
            b["endDate"] = "" if rng.random() < 0.5 else None
    elif r < 0.62:
        b["endDate"], end = _fmt_instant(rng, YEAR_START_MS + rng.randrange(YEAR_MS), True)
    # sortBy
    r = rng.random()
    sort = ()
    if r < 0.35:
        pass
    elif r < 0.45:
        b["sortBy"] = {} if rng.random() < 0.7 else None
    else:
        k = 1 if r < 0.75 else 2
        keys = rng.sample(SORT_KEYS, k)
        b["sortBy"] = {key: rng.choice(["asc", "desc"]) for key in keys}
        sort = tuple(b["sortBy"].items())
    # filters
    masks = [0, 0, 0]
    f = {}
    if rng.random() < 0.75:
        if rng.random() < 0.5:
            v = rng.sample(STATUSES, rng.randint(1, 3))
            f["status"] = v
            masks[0] = sum(1 << STATUSES.index(x) for x in v)
        if rng.random() < 0.5:
            v = rng.sample(range(1, 6), rng.randint(1, 3))
            f["priority"] = [x if rng.random() < 0.6 else str(x) for x in v]
            masks[1] = sum(1 << x for x in v)
        if rng.random() < 0.5:
            v = rng.sample(MODES, rng.randint(1, 3))
            f["dialingMode"] = v
            if typ == "voice":  # validated for sms, never applied
                masks[2] = sum(1 << MODES.index(x) for x in v)
        if not f and rng.random() < 0.5:
            f["status"] = []   # an empty array: no filter
        b["filters"] = f
    # key order varies as clients' do
    if rng.random() < 0.3:
        items = list(b.items())
        rng.shuffle(items)
        b = dict(items)
    offset = skip + (page - 1) * limit
    key = (typ, offset, limit, start, end, sort, tuple(masks))
    return b, key


def documented_key():
    return ("sms", 0, 50, 1764547200000, 1765152000000, (("createdAt", "desc"),),
            ((1 << STATUSES.index("Ready")) | (1 << STATUSES.index("Stopped")), 1 << 5, 0))


def draw_bodies(n, seed, first_documented=True, exclude=()):
    """Yields (line, key) for n bodies distinct in meaning (not just in
    bytes) and distinct from the keys in exclude."""
    rng = random.Random("campaignd-scale-bodies-%d" % seed)
    enc = json.JSONEncoder(separators=(",", ":")).encode
    seen = set(exclude)
    count = 0
    if first_documented and n > 0:
        seen.add(documented_key())
        yield enc(DOCUMENTED_SMS), documented_key()
        count = 1
    tries = 0
    while count < n:
        tries += 1
        if tries > 50 * n + 1000:
            raise RuntimeError("could not draw %d distinct bodies" % n)
        b, k = body(rng)
        if k in seen:
            continue
        seen.add(k)
        count += 1
        yield enc(b), k


def write_bodies(path, n, seed, first_documented=True, exclude=()):
    """Writes the bodies one per line (temporary file, then renamed)."""
    tmp = path + ".tmp"
    with open(tmp, "w", buffering=1 << 20) as f:
        for line, _ in draw_bodies(n, seed, first_documented, exclude):
            f.write(line + "\n")
    os.replace(tmp, path)


def body_keys(n, seed, first_documented=True):
    return {k for _, k in draw_bodies(n, seed, first_documented)}


# ---- sequential query shapes --------------------------------------------------

def shapes():
    """name -> body.  "count" pages past the end, so only the total is
    computed; every other shape asks for a page of 50 unless noted."""
    f3 = {"status": ["Active", "Ready", "Stopped"], "priority": [1, "3", 5],
          "dialingMode": ["Progressive", "Agentless"]}
    s = {
        "documented_sms": DOCUMENTED_SMS,
        "count_only": {"type": "sms", "skip": 1000000000},
        "count_filtered": {"type": "voice", "skip": 1000000000,
                           "filters": {"status": ["Paused"], "priority": [2]}},
    }
    for k in SORT_KEYS:
        for d in ("asc", "desc"):
            s["first_%s_%s" % (k, d)] = {"type": "sms", "limit": 50, "sortBy": {k: d}}
    s["filtered"] = {"type": "voice", "limit": 50, "filters": f3}
    s["filtered_sorted"] = {"type": "voice", "limit": 50, "sortBy": {"name": "asc"}, "filters": f3}
    s["date_week"] = {"type": "sms", "limit": 50, "startDate": "2025-06-02T00:00:00.000Z",
                      "endDate": "2025-06-08T23:59:59.999Z"}
    s["date_quarter"] = {"type": "voice", "limit": 50, "startDate": "2025-04-01",
                         "endDate": "2025-06-30T23:59:59+00:00", "sortBy": {"updatedAt": "desc"}}
    s["deep_page"] = {"type": "sms", "limit": 100, "page": 20}
    return s


def _parse_instant(text):
    """Milliseconds of the few spellings shapes() uses."""
    if len(text) == 10:
        text += "T00:00:00Z"
    frac = 0
    if "." in text:
        head, rest = text.split(".", 1)
        digits = rest.rstrip("Z").split("+")[0]
        frac = int((digits + "000")[:3])
        text = head + "Z"
    text = text.replace("+00:00", "Z")
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")) * 1000 + frac


def variant_cap(name):
    """How many distinct variants shape_variants() can make of a shape."""
    if name.startswith("count") or name.startswith("date_") or name == "documented_sms":
        return 10 ** 6
    if name == "deep_page":
        return 10000
    return 2000


def shape_variants(name, n):
    """n bodies of one shape, distinct in meaning, so that no cache keyed by
    the request can answer them: the count shapes move their (past the end)
    offset, the date shapes move the start of their window back by k
    seconds, the page shapes move the offset within the first 100 rows and
    the page size within 41..60 (deep page: page 20 of 91..100, skip
    0..999)."""
    enc = json.JSONEncoder(separators=(",", ":")).encode
    base = shapes()[name]
    n = min(n, variant_cap(name))
    for k in range(n):
        b = json.loads(json.dumps(base))
        if name.startswith("count"):
            b["skip"] = 1000000000 - k
        elif "startDate" in b:
            b["startDate"] = iso_ms(_parse_instant(b["startDate"]) - 1000 * k)
        elif name == "deep_page":
            b["limit"] = 100 - (k // 1000) % 10
            b["skip"] = k % 1000
        else:
            b["limit"] = 41 + k % 20
            b["skip"] = (k // 20) % 100
        yield enc(b)


def main(argv):
    if len(argv) >= 4 and argv[1] == "tenant":
        write_tenant(argv[2], int(argv[3]), int(argv[4]) if len(argv) > 4 else 1,
                     argv[5] if len(argv) > 5 else "pool")
    elif len(argv) >= 4 and argv[1] == "bodies":
        write_bodies(argv[2], int(argv[3]), int(argv[4]) if len(argv) > 4 else 1)
    elif len(argv) == 2 and argv[1] == "shapes":
        json.dump(shapes(), sys.stdout, indent=1)
        print()
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
