"""The webhook channel (execution spec §5.2) and outcomes sent back (§6),
against a real HTTP receiver written here: every request it gets is checked
with this file's own implementation of Standard Webhooks; sync outcomes in
2xx bodies, async ones by signed callbacks; 5xx, 429 with Retry-After and
time-outs tried again with the same webhook-id; 4xx and six failures end as
channelError; a gateway that is down is not flooded; the callback's
signature, replay window, unknown attempt and conflicting outcome."""
import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import assert_error, dialing_strategy, sms_body, voice_body
from test_runs import EVERY_DAY, progress
from test_schedules_fire import family, start_server, wait_for

KEY1 = base64.b64encode(b"campaignd-webhook-test-key-one!!").decode()
KEY2 = base64.b64encode(b"the second key, during a rotation").decode()
SECRET1, SECRET2 = "whsec_" + KEY1, "whsec_" + KEY2

VOICE_KEYS = {"attemptId", "attempt", "campaignId", "campaignInstanceId", "campaignType",
              "accountId", "streamId", "phoneNumber", "callerId", "dialingMode", "maxRingTime",
              "sentAt"}
SMS_KEYS = {"attemptId", "attempt", "campaignId", "campaignInstanceId", "campaignType",
            "accountId", "streamId", "phoneNumber", "callerId", "message", "format", "sentAt"}


def signature(secret, msg_id, ts, body):
    """v1,<base64 HMAC-SHA256 of "<id>.<ts>.<body>"> under the whsec_ key."""
    key = base64.b64decode(secret[len("whsec_"):])
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secret, body, ts=None, msg_id="msg-test-1"):
    ts = int(time.time()) if ts is None else ts
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts),
            "webhook-signature": signature(secret, msg_id, ts, body),
            "Content-Type": "application/json"}


class Receiver:
    """A gateway on 127.0.0.1: answer(payload, n) gives (status, headers,
    body, delay_s) for the n-th request (1 first) carrying that webhook-id.
    Every request is recorded after its signature is checked against
    `secrets` (each must have signed it)."""

    def __init__(self, answer, secrets=(SECRET1,)):
        self.answer, self.secrets = answer, secrets
        self.lock = threading.Lock()
        self.requests = []   # (monotonic time, headers, raw body, payload)
        self.bad = []        # what failed verification, with why
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.check(dict(self.headers), raw)
                payload = json.loads(raw)
                with receiver.lock:
                    receiver.requests.append((time.monotonic(), dict(self.headers), raw, payload))
                    n = sum(1 for r in receiver.requests
                            if r[1].get("webhook-id") == self.headers.get("webhook-id"))
                status, headers, body, delay = receiver.answer(payload, n)
                if delay:
                    time.sleep(delay)
                data = json.dumps(body).encode() if body is not None else b""
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/attempts"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def check(self, headers, raw):
        h = {k.lower(): v for k, v in headers.items()}
        try:
            msg_id, ts, sigs = h["webhook-id"], h["webhook-timestamp"], h["webhook-signature"]
            payload = json.loads(raw)
            assert msg_id == payload["attemptId"] == h["idempotency-key"], "ids differ"
            assert h["content-type"] == "application/json"
            got = sigs.split(" ")
            assert len(got) == len(self.secrets), got
            for s in self.secrets:
                assert signature(s, msg_id, ts, raw) in got, f"no signature under {s[:10]}"
        except (KeyError, AssertionError, ValueError) as e:
            self.bad.append((repr(e), headers, raw))

    def by_id(self):
        with self.lock:
            out = {}
            for t, h, raw, p in self.requests:
                out.setdefault(p["attemptId"], []).append((t, raw, p))
            return out

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver_factory():
    made = []

    def make(answer, secrets=(SECRET1,)):
        r = Receiver(answer, secrets)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def now_iso():
    """The real time to the millisecond: each server's clock starts on it."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def webhook_server(server_factory, http, receiver, rate=1, secrets=(SECRET1,), extra=(),
                   db=None):
    """At rate 1 the server runs on the system's clock itself (no
    --clock-start: a start given here would lag by the process's start-up,
    and the callbacks' 300 s window is checked against it)."""
    args = ["--channel", "webhook", "--webhook-url", receiver.url]
    for s in secrets:
        args += ["--webhook-secret", s]
    if rate == 1:
        return server_factory(*args, *extra, db=db)
    return start_server(server_factory, http, now_iso(), rate, channel=False, db=db,
                        extra=(*args, *extra))


def voice(fam, name, phones, mode="Progressive", **strategy):
    fam.create_list(f"{name} CL")
    fam.create_list(f"{name} DNC")
    fam.add_contacts(f"{name} CL", phones)
    body = voice_body(name, [f"{name} CL"], f"{name} DNC", mode)
    body["dialingStrategy"] = dialing_strategy(voice=True, timezone="UTC", days=EVERY_DAY)
    body["dialingStrategy"].update(strategy)
    return fam.create(body).json()["data"]["id"]


def sms(fam, name, phones):
    fam.create_list(f"{name} CL")
    fam.add_contacts(f"{name} CL", phones)
    body = sms_body(name, [f"{name} CL"])
    body["dialingStrategy"] = dialing_strategy(voice=False, timezone="UTC", days=EVERY_DAY)
    return fam.create(body).json()["data"]["_id"]


def rows(fam, cid):
    return {r["phoneNumber"]: r for r in fam.contacts(cid, {"limit": 100})["results"]}


def completed(fam, cid, timeout=60):
    wait_for(lambda: fam.get(cid)["status"] == "Completed", timeout, f"{cid} to complete")


REPORT = {"outcome": "completed", "botSessionId": "685d3c4a6b208b1e96a1f00d",
          "agentDispositionCodes": ["System Generated"], "botOutboundStatus": "userHangUp",
          "botOutboundStatusDetail": "user_hangup"}


def test_sync_outcomes_signed_with_both_keys(server_factory, http, receiver_factory):
    rec = receiver_factory(lambda p, n: (200, {}, REPORT, 0), secrets=(SECRET1, SECRET2))
    srv = webhook_server(server_factory, http, rec, secrets=(SECRET1, SECRET2))
    fam = family(srv, http)
    phones = [{"phoneNumber": "+14155551001", "uniqueId": "A-17", "timeZone": "America/New_York"},
              {"phoneNumber": "+14155551002"}]
    fam.registry_add("flow", "Voice Survey Entry Flow")
    cid = voice(fam, "Hook voice", phones)
    agentless = voice(fam, "Hook agentless", ["+14155551003"], mode="Agentless")
    sid = sms(fam, "Hook sms", ["+14155551004"])
    for c in (cid, agentless, sid):
        fam.start(c)
    for c in (cid, agentless, sid):
        completed(fam, c)
    assert rec.bad == []
    got = {p["phoneNumber"]: p for _, _, _, p in rec.requests}
    assert set(got) == {"+14155551001", "+14155551002", "+14155551003", "+14155551004"}
    a = got["+14155551001"]
    assert set(a) == VOICE_KEYS | {"uniqueId", "timeZone", "queue"}, a
    assert (a["uniqueId"], a["timeZone"], a["queue"]) == ("A-17", "America/New_York",
                                                           "Default Queue")
    assert a["attempt"] == 1 and a["campaignId"] == cid and a["campaignType"] == "voice"
    assert a["accountId"] == fam.account and a["streamId"] == fam.stream
    assert a["callerId"] == "+14155550100" and a["dialingMode"] == "Progressive"
    assert a["maxRingTime"] == 30 and a["attemptId"].startswith("att-")
    assert a["campaignInstanceId"] == fam.get(cid)["campaignInstanceId"]
    assert set(got["+14155551002"]) == VOICE_KEYS | {"queue"}
    ag = got["+14155551003"]
    assert set(ag) == VOICE_KEYS | {"experienceFlow", "enableMachineDetect"}, ag
    assert ag["enableMachineDetect"] == "no" and ag["experienceFlow"].startswith("cf-")
    s = got["+14155551004"]
    assert set(s) == SMS_KEYS, s
    assert s["message"] == {"message": "SGVsbG8gd29ybGQ="} and s["format"] == "simple"
    # the report's fields show in the contacts view
    r = rows(fam, cid)["+14155551001"]
    for k, v in REPORT.items():
        assert r["dialerOutcome" if k == "outcome" else k] == v, r
    assert r["numberOfAttemptsSoFar"] == 1
    assert fam.listed("sms", sid)["totalMessagesSent"] == 1
    assert "channel: webhook" in srv.stderr()


def test_async_callbacks_first_outcome_wins(server_factory, http, receiver_factory):
    rec = receiver_factory(lambda p, n: (202, {}, None, 0))
    srv = webhook_server(server_factory, http, rec)
    fam = family(srv, http)
    phones = ["+14155552001", "+14155552002", "+14155552003"]
    cid = voice(fam, "Async voice", phones, maxAttemptsPerRecord=1)
    sid = sms(fam, "Async sms", ["+14155552004"])
    fam.start(cid)
    fam.start(sid)
    wait_for(lambda: len(rec.requests) == 4, 30, "four attempts")
    att = {p["phoneNumber"]: p["attemptId"] for _, _, _, p in rec.requests}
    url = srv.url("/campaignd/v1/attempts/{}/outcome")

    def post(attempt, body, secret=SECRET1, ts=None, headers=None):
        raw = json.dumps(body).encode()
        h = signed_headers(secret, raw, ts) if headers is None else headers
        return http.post(url.format(attempt), data=raw, headers=h)

    first = att["+14155552001"]
    r = post(first, REPORT)
    assert r.status_code == 200 and r.json() == {"status": "success"}, r.text
    assert post(first, REPORT).status_code == 200                      # the same again
    assert_error(post(first, {"outcome": "busy"}), 409, ["outcome"])   # another: first wins
    assert_error(post("att-00000000-0000-4000-8000-000000000000", REPORT), 404, [None])
    # signatures: another key, a stale or future timestamp, missing headers
    assert_error(post(first, REPORT, secret=SECRET2), 401, ["headers.webhook-signature"])
    assert_error(post(first, REPORT, ts=int(time.time()) - 310), 401,
                 ["headers.webhook-timestamp"])
    assert_error(post(first, REPORT, ts=int(time.time()) + 310), 401,
                 ["headers.webhook-timestamp"])
    assert post(first, REPORT, ts=int(time.time()) - 290).status_code == 200  # inside
    assert_error(post(first, REPORT, headers={"Content-Type": "application/json"}), 401,
                 ["headers.webhook-signature"])
    raw = json.dumps(REPORT).encode()
    h = signed_headers(SECRET1, raw)
    assert_error(http.post(url.format(first), data=raw + b" ", headers=h), 401,
                 ["headers.webhook-signature"])
    # bodies: every wrong field named at once; dnc is campaignd's alone
    second = att["+14155552002"]
    assert_error(post(second, {"outcome": "dnc"}), 400, ["outcome"])
    assert_error(post(second, {"outcome": "Completed"}), 400, ["outcome"])
    assert_error(post(second, {}), 400, ["outcome"])
    assert_error(post(second, {"outcome": "busy", "botSessionId": 5,
                               "agentDispositionCodes": ["ok", 7]}), 400,
                 ["botSessionId", "agentDispositionCodes[1]"])
    assert_error(post(att["+14155552004"], {"outcome": "busy"}), 400, ["outcome"])  # SMS
    # nothing of the failed ones was recorded: the second takes its first outcome now
    assert post(second, {"outcome": "invalidNumber"}).status_code == 200
    assert post(att["+14155552003"], {"outcome": "noAnswer"}).status_code == 200
    assert post(att["+14155552004"], {"outcome": "completed"}).status_code == 200
    completed(fam, cid)
    completed(fam, sid)
    got = rows(fam, cid)
    assert {p: r["dialerOutcome"] for p, r in got.items()} == {
        "+14155552001": "completed", "+14155552002": "invalidNumber",
        "+14155552003": "noAnswer"}
    assert got["+14155552001"]["botOutboundStatus"] == "userHangUp"
    assert got["+14155552002"]["botSessionId"] == ""
    assert fam.listed("sms", sid)["totalMessagesSent"] == 1
    assert len(rec.requests) == 4  # an accepted attempt is never sent again
    assert rec.bad == []


def test_callbacks_need_the_webhook_channel(server_factory, http):
    srv = start_server(server_factory, http, now_iso(), 1)   # the simulator
    raw = json.dumps(REPORT).encode()
    r = http.post(srv.url("/campaignd/v1/attempts/att-x/outcome"), data=raw,
                  headers=signed_headers(SECRET1, raw))
    assert_error(r, 404)


def test_failed_tries_keep_their_id_and_back_off(server_factory, http, receiver_factory):
    """Each attempt fails twice (a 503, then a 429 asking for 3 s, or a
    time-out) before a 200: three requests with the same id and body, 1 s
    and then 2 or 3 s apart."""
    def answer(p, n):
        slow = p["phoneNumber"].endswith("3003")
        if n == 1:
            return (503, {}, None, 0) if not slow else (200, {}, REPORT, 2.5)
        if n == 2:
            return 429, {"Retry-After": "3"}, None, 0
        return 200, {}, REPORT, 0

    rec = receiver_factory(answer)
    srv = webhook_server(server_factory, http, rec, extra=("--webhook-timeout", "1"))
    fam = family(srv, http)
    sid = sms(fam, "Retry sms", ["+14155553001", "+14155553002", "+14155553003"])
    fam.start(sid)
    completed(fam, sid)
    tries = rec.by_id()
    assert len(tries) == 3 and all(len(t) == 3 for t in tries.values()), tries
    for t in tries.values():
        assert t[0][1] == t[1][1] == t[2][1]          # the same body each time
        gap1, gap2 = t[1][0] - t[0][0], t[2][0] - t[1][0]
        assert gap1 >= 0.95, gap1
        assert gap2 >= 2.9, gap2                        # Retry-After: 3 over the 2 s backoff
    assert fam.listed("sms", sid)["totalMessagesSent"] == 3
    assert rec.bad == []


def test_4xx_and_six_failures_are_channel_errors(server_factory, http, receiver_factory):
    def answer(p, n):
        return (400, {}, {"error": "no"}, 0) if p["phoneNumber"].endswith("4001") \
            else (500, {}, None, 0)

    rec = receiver_factory(answer)
    # at 10x the 1+2+4+8+16 s of backoff take about 3 s
    srv = webhook_server(server_factory, http, rec, rate=10)
    fam = family(srv, http)
    sid = sms(fam, "Err sms", ["+14155554001", "+14155554002"])
    fam.start(sid)
    completed(fam, sid, 60)
    tries = {t[0][2]["phoneNumber"]: len(t) for t in rec.by_id().values()}
    assert tries == {"+14155554001": 1, "+14155554002": 6}, tries
    assert progress(fam, sid)["byOutcome"] == {"channelError": 2}
    assert fam.listed("sms", sid)["totalMessagesSent"] == 0


def test_a_gateway_that_is_down_is_not_flooded(server_factory, http, receiver_factory):
    state = {"up": False}

    def answer(p, n):
        return (200, {}, REPORT, 0) if state["up"] else (503, {}, None, 0)

    rec = receiver_factory(answer)
    srv = webhook_server(server_factory, http, rec, extra=("--max-inflight", "1000", "--pace", "0", "--tenant-pace", "0"))
    fam = family(srv, http)
    phones = [f"+1415556{i:04d}" for i in range(200)]
    sid = sms(fam, "Flood sms", phones)
    fam.start(sid)
    time.sleep(5)
    down_ids = len(rec.by_id())
    down_requests = len(rec.requests)
    state["up"] = True
    completed(fam, sid, 90)
    # One batch went out, then only its tries and an occasional probe.
    assert 1 <= down_ids <= 45, down_ids
    assert down_requests <= 4 * down_ids + 10, (down_requests, down_ids)
    ids = rec.by_id()
    assert len(ids) == 200
    p = progress(fam, sid)
    assert p["records"] == 200 and p["ended"] == 200 and p["byOutcome"] == {"completed": 200}
    assert fam.listed("sms", sid)["totalMessagesSent"] == 200


def test_no_outcome_ends_as_timeout(server_factory, http, receiver_factory):
    rec = receiver_factory(lambda p, n: (204, {}, None, 0))
    srv = webhook_server(server_factory, http, rec, extra=("--attempt-timeout", "2"))
    fam = family(srv, http)
    sid = sms(fam, "Timeout sms", ["+14155557001"])
    fam.start(sid)
    t0 = time.monotonic()
    completed(fam, sid, 30)
    assert time.monotonic() - t0 >= 1.9
    assert progress(fam, sid)["byOutcome"] == {"timeout": 1}
    assert len(rec.requests) == 1


def test_cli_outcome_goes_through_the_same_rules(server_factory, http, receiver_factory):
    rec = receiver_factory(lambda p, n: (202, {}, None, 0))
    srv = webhook_server(server_factory, http, rec)
    fam = family(srv, http)
    cid = voice(fam, "Cli voice", ["+14155558001"], maxAttemptsPerRecord=1)
    fam.start(cid)
    wait_for(lambda: len(rec.requests) == 1, 30, "the attempt")
    def outcome(name):
        return fam.cli("campaign", "outcome", "--account", fam.account, "--stream", fam.stream,
                       "--campaign", cid, "--phone", "+14155558001", "--outcome", name,
                       "--session", "s-1", expect_ok=False)

    r = outcome("Pending")                 # not an outcome a channel reports
    assert r.returncode != 0 and "outcome" in r.stderr, r.stderr
    r = outcome("noAnswer")
    assert r.returncode == 0, r.stderr
    assert outcome("noAnswer").returncode == 0          # the same again
    r = outcome("busy")                    # the first outcome wins
    assert r.returncode != 0 and "noAnswer" in r.stderr, r.stderr
    completed(fam, cid)
    row = rows(fam, cid)["+14155558001"]
    assert (row["dialerOutcome"], row["botSessionId"]) == ("noAnswer", "s-1")


@pytest.mark.parametrize("args, message", [
    (["--channel", "webhook"], "needs --webhook-url and --webhook-secret"),
    (["--channel", "webhook", "--webhook-url", "http://127.0.0.1:9/x"], "needs"),
    (["--channel", "webhook", "--webhook-url", "ftp://127.0.0.1/x", "--webhook-secret",
      SECRET1], "http:// or https://"),
    (["--channel", "webhook", "--webhook-url", "http://127.0.0.1:9/x", "--webhook-secret",
      "abc"], "whsec_"),
    (["--webhook-url", "http://127.0.0.1:9/x"], "need --channel webhook"),
])
def test_webhook_options_are_checked(args, message, tmp_path):
    from conftest import run_cli
    r = run_cli("serve", "--db", str(tmp_path / "x.db"), "--listen", "127.0.0.1:0", *args)
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_kill9_while_a_request_is_out_sends_the_same_id_after_the_lease(
        server_factory, http, receiver_factory, tmp_path):
    """§8: the process dies while its request is at the gateway; the
    restarted server sends that attempt again, with the same id and body,
    once its lease (here 2 x 1 s + 5 s) has expired, and counts it once."""
    def answer(p, n):
        return (200, {}, REPORT, 3 if n == 1 else 0)

    rec = receiver_factory(answer)
    db = tmp_path / "kill.db"
    args = ("--webhook-timeout", "1", "--lease-s", "1")
    srv = webhook_server(server_factory, http, rec, extra=args, db=db)
    fam = family(srv, http)
    sid = sms(fam, "Killed sms", ["+14155559001"])
    fam.start(sid)
    wait_for(lambda: len(rec.requests) == 1, 30, "the first request")
    srv.kill()
    srv = webhook_server(server_factory, http, rec, extra=args, db=db)
    fam.server = srv
    completed(fam, sid)
    (t1, h1, raw1, p1), (t2, h2, raw2, p2) = rec.requests
    assert h1["webhook-id"] == h2["webhook-id"] == p1["attemptId"] and raw1 == raw2
    assert t2 - t1 >= 6.5, t2 - t1
    assert progress(fam, sid)["attempts"] == 1
    assert fam.listed("sms", sid)["totalMessagesSent"] == 1
    assert "attempts sent again" in srv.stderr()
    assert rec.bad == []
