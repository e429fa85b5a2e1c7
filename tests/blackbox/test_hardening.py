"""Issue 9: no client can lock others out, a stop loses nothing.

Connection limits (the oldest idle connection makes room, else 503 at once;
429 per address), the request deadline (408 for headers or a body that
dribble past --request-timeout; a response nobody reads is cut off), the
413 that a client still sending can read, and the drain at SIGTERM
(/healthz 503, Connection: close, every request sent before the stop
answered).  Every loop here is bounded in count and time, on 127.0.0.1."""
import http.client
import json
import re
import resource
import signal
import socket
import threading
import time

import pytest

from conftest import (app_create, assert_error, connect, list_request_bytes, read_response,
                      recv_until_close, run_threads, stop_cleanly)

HEALTH = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def _raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(n, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def idle_connection(port, settle=0.0):
    """A keep-alive connection that was served one request and now idles.
    settle: seconds to wait after, so that the server has marked it idle
    (its completion may lag the client's read) before the next one."""
    s = connect(port)
    s.sendall(HEALTH)
    status, headers, _ = read_response(s)
    assert status == 200
    time.sleep(settle)
    return s


def busy_connections(port, n):
    """n connections each in the middle of a request (its headers unfinished)."""
    busy = []
    for _ in range(n):
        s = connect(port)
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        busy.append(s)
    time.sleep(0.1)
    return busy


def is_closed(sock, timeout=2.0):
    """Whether the server closed sock (EOF or reset) within timeout."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def error_of(data):
    """(status, headers, decoded body) of one raw response."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(body)


def check_error_body(body, message_part):
    assert body["status"] == "error"
    assert message_part in body["message"]
    assert isinstance(body["errors"], list)


def timed_health(port, timeout=2.0):
    """Seconds one fresh /healthz took (it must be a 200)."""
    t0 = time.monotonic()
    with connect(port, timeout) as s:
        s.sendall(HEALTH)
        status, _, _ = read_response(s, timeout)
    assert status == 200
    return time.monotonic() - t0


# ---- connection limits -------------------------------------------------------


def test_idle_and_slow_connections_lock_no_one_out(server_factory):
    # 3,000 idle keep-alive connections and 1,000 connections dribbling
    # header bytes: 50 fresh requests are still each answered within 2 s.
    assert _raise_nofile(8192) >= 4200
    srv = server_factory("--request-timeout", "30")
    idle, slow = [], []
    try:
        for _ in range(3000):
            idle.append(idle_connection(srv.port))
        for _ in range(1000):
            s = connect(srv.port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
            slow.append(s)
        worst = 0.0
        for i in range(50):
            if i % 10 == 0:
                for s in slow:  # one more byte each, as a slow client would
                    s.sendall(b"a")
            worst = max(worst, timed_health(srv.port))
        print(f"3000 idle + 1000 dribbling: worst of 50 fresh requests {worst * 1000:.1f} ms")
        assert worst < 2.0
        # nobody was pushed out: the limit is far above 4,050
        assert not any(is_closed(s, 0.001) for s in idle[:50])
    finally:
        for s in idle + slow:
            s.close()
    stop_cleanly(srv)


def test_full_server_closes_the_oldest_idle_connection(server_factory):
    srv = server_factory("--max-conns", "20")
    conns = [idle_connection(srv.port, settle=0.02) for _ in range(20)]
    newcomers = []
    try:
        time.sleep(0.05)
        for i in range(5):  # each newcomer is served; the oldest idle ones make room
            t0 = time.monotonic()
            newcomers.append(idle_connection(srv.port, settle=0.02))
            assert time.monotonic() - t0 < 2.0
            assert is_closed(conns[i]), f"idle connection {i} was not closed"
        assert not any(is_closed(c, 0.05) for c in conns[5:])
        # a connection that was made room for keeps working
        conns[-1].sendall(HEALTH)
        assert read_response(conns[-1])[0] == 200
    finally:
        for c in conns + newcomers:
            c.close()
    stop_cleanly(srv)


def test_idle_connections_over_half_the_limit_get_a_shorter_timeout(server_factory):
    srv = server_factory("--max-conns", "10", "--idle-timeout", "60")
    few = [idle_connection(srv.port, settle=0.02) for _ in range(5)]
    time.sleep(2.6)
    assert not any(is_closed(c, 0.05) for c in few)  # half the limit: the idle timeout holds
    more = [idle_connection(srv.port, settle=0.02) for _ in range(3)]
    time.sleep(2.6)
    closed = [is_closed(c, 0.05) for c in few + more]
    assert sum(closed) == 3, closed  # idle for 2 s and over half: back down to half
    assert closed[:3] == [True] * 3  # the longest idle went first
    assert idle_connection(srv.port) is not None
    for c in few + more:
        c.close()
    stop_cleanly(srv)


def test_full_of_busy_connections_answers_503_at_once(server_factory):
    srv = server_factory("--max-conns", "4", "--request-timeout", "30")
    busy = busy_connections(srv.port, 4)
    try:
        t0 = time.monotonic()
        with connect(srv.port) as s:
            data = recv_until_close(s, timeout=3.0)
        assert time.monotonic() - t0 < 1.0
        status, headers, body = error_of(data)
        assert status == 503
        assert headers["retry-after"] == "1"
        assert headers["content-type"] == "application/json"
        check_error_body(body, "too many connections")
        # once a busy one finishes, there is room again
        busy[0].sendall(b"Host: x\r\n\r\n")
        assert read_response(busy[0])[0] == 200
        busy[0].close()
        busy.pop(0)
        time.sleep(0.2)
        assert timed_health(srv.port) < 2.0
    finally:
        for s in busy:
            s.close()
    assert "503" in srv.stderr()
    stop_cleanly(srv)


def test_per_address_limit(server_factory):
    srv = server_factory("--max-conns-per-ip", "3", "--request-timeout", "30")
    busy = busy_connections(srv.port, 3)
    try:
        with connect(srv.port) as s:
            status, headers, body = error_of(recv_until_close(s, timeout=3.0))
        assert status == 429
        check_error_body(body, "from this address")
        # an idle connection of the same address makes room instead
        for s in busy:
            s.sendall(b"Host: x\r\n\r\n")
            assert read_response(s)[0] == 200
            time.sleep(0.05)  # busy[0] is marked idle first
        time.sleep(0.05)
        assert timed_health(srv.port) < 2.0
        assert is_closed(busy[0])
    finally:
        for s in busy:
            s.close()
    stop_cleanly(srv)


def test_one_connection_per_address_moves_to_the_newcomer(server_factory):
    # --max-conns-per-ip 1: the address's one idle connection is closed for
    # its next one (the address's count must outlive that close: under ASan
    # a count freed while the newcomer was admitted would fail this)
    srv = server_factory("--max-conns-per-ip", "1")
    conns = [idle_connection(srv.port, settle=0.02) for _ in range(4)]
    try:
        assert [is_closed(c, 0.5) for c in conns] == [True, True, True, False]
        conns[-1].sendall(b"GET /healthz HTTP/1.1\r\n")  # now in a request: not idle
        time.sleep(0.1)
        with connect(srv.port) as s:
            status, _, body = error_of(recv_until_close(s, timeout=3.0))
        assert status == 429
    finally:
        for c in conns:
            c.close()
    stop_cleanly(srv)


# ---- deadlines ---------------------------------------------------------------


def dribble_until_answer(sock, data, every=0.25, limit=8.0):
    """Sends data a byte at a time until the server answers or closes;
    returns (seconds, bytes read)."""
    t0 = time.monotonic()
    sock.settimeout(every)
    got = b""
    for i in range(int(limit / every)):
        try:
            sock.sendall(data[i % len(data):i % len(data) + 1])
        except OSError:
            break
        try:
            b = sock.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            break
        if not b:
            break
        got += b
        if b"\r\n\r\n" in got:
            got += recv_until_close(sock, timeout=2.0)
            break
    return time.monotonic() - t0, got


@pytest.mark.parametrize("part", ["headers", "body"])
def test_request_that_dribbles_past_the_deadline_gets_408(server_factory, part):
    srv = server_factory("--request-timeout", "2")
    t = app_create(srv.db)
    with connect(srv.port) as s:
        if part == "headers":
            s.sendall(b"GET /healthz HTTP/1.1\r\n")
            secs, got = dribble_until_answer(s, b"X-Slow-Header-Bytes-")
        else:
            s.sendall(list_request_bytes(t, body=b"", length=200))
            secs, got = dribble_until_answer(s, b" ")
    print(f"dribbled {part}: 408 after {secs:.2f} s")
    assert 1.9 < secs < 4.0, secs
    status, headers, body = error_of(got)
    assert status == 408
    assert headers["connection"] == "close"
    check_error_body(body, "did not arrive in time")
    assert " 408 " in srv.stderr()
    stop_cleanly(srv)


def test_a_response_nobody_reads_is_cut_off(server_factory):
    srv = server_factory("--request-timeout", "2", demo=True)
    c = srv.creds
    path = (f"/campaign/api/v2/public/{c['streamId']}/campaign/getAllCampaignDetails"
            f"?accountId={c['accountId']}")
    body = b'{"type":"sms","limit":100}'
    req = (f"POST {path} HTTP/1.1\r\nHost: x\r\nauth: {c['token']}\r\niid: {c['streamId']}\r\n"
           f"accountId: {c['accountId']}\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", srv.port))
    try:
        s.settimeout(0.5)
        sent = 0
        for _ in range(4000):  # pipelined, never read: the server's writes stall
            try:
                s.sendall(req)
            except (socket.timeout, BlockingIOError):
                break
            sent += 1
        time.sleep(4.5)  # the 2 s departure deadline, then the reaper
        got = recv_until_close(s, timeout=5.0, limit=1 << 30)
    finally:
        s.close()
    answered = got.count(b"HTTP/1.1 200")
    print(f"slow reader: {sent} requests pipelined, {answered} answered before the cut")
    assert answered < sent, (answered, sent)
    assert "was not read within 2 s" in srv.stderr()
    # the server still serves everyone else
    assert timed_health(srv.port) < 2.0
    stop_cleanly(srv)


# ---- oversize bodies ---------------------------------------------------------


def test_413_is_readable_by_a_client_still_sending(server_factory):
    srv = server_factory()
    t = app_create(srv.db)
    body = b'{"type":"sms","x":"' + b"a" * (32 << 20) + b'"}'
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("POST", t.path() + "?accountId=" + t.account, body=body,
                 headers={"auth": t.token(), "iid": t.stream, "accountId": t.account,
                          "Content-Type": "application/json"})
    r = conn.getresponse()
    assert r.status == 413
    check_error_body(json.loads(r.read()), "too large")
    conn.close()
    stop_cleanly(srv)


def test_413_for_a_chunked_body_sent_with_pauses(server_factory):
    srv = server_factory()
    t = app_create(srv.db)
    head = list_request_bytes(t, body=b"").replace(b"Content-Length: 0\r\n",
                                                   b"Transfer-Encoding: chunked\r\n")
    with connect(srv.port, timeout=10) as s:
        s.sendall(head)
        chunk = b"a" * (256 << 10)
        for _ in range(6):  # 1.5 MiB, over the 1 MiB limit, in pauses
            s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            time.sleep(0.1)
        s.sendall(b"0\r\n\r\n")
        status, _, body = read_response(s, timeout=10)
    assert status == 413
    check_error_body(json.loads(body), "too large")
    stop_cleanly(srv)


def test_expect_100_continue_gets_413_before_the_body(server_factory):
    srv = server_factory()
    t = app_create(srv.db)
    req = list_request_bytes(t, body=b"", extra="Expect: 100-continue\r\n", length=5 << 20)
    with connect(srv.port) as s:
        s.sendall(req)
        status, _, body = read_response(s)
    assert status == 413
    check_error_body(json.loads(body), "too large")
    stop_cleanly(srv)


# ---- stopping ----------------------------------------------------------------


def test_drain_healthz_503_and_connection_close(server_factory):
    srv = server_factory("--drain-s", "2")
    keep = idle_connection(srv.port)
    t0 = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    # the load balancer's probe fails at once ...
    with connect(srv.port) as s:
        s.sendall(HEALTH)
        status, headers, body = read_response(s)
    assert status == 503
    check_error_body(json.loads(body), "stopping")
    # ... a keep-alive client is told to go away after its next answer ...
    keep.sendall(HEALTH)
    status, headers, _ = read_response(keep)
    assert headers.get("connection") == "close"
    assert is_closed(keep)
    keep.close()
    # ... and new connections are still served during the drain
    t = app_create(srv.db)
    with connect(srv.port) as s:
        s.sendall(list_request_bytes(t))
        assert read_response(s)[0] == 200
    assert srv.wait(10) == 0
    assert time.monotonic() - t0 >= 1.9
    stop_cleanly(srv)


@pytest.mark.parametrize("run", range(5))
def test_sigterm_under_load_answers_every_request_sent(server_factory, run):
    # 16 clients, a new connection per request; SIGTERM with no drain at all.
    # Every request sent before the signal gets a full answer; afterwards
    # connections are refused (a request racing the close of the listening
    # socket may also be reset, which is why only those sent before count).
    srv = server_factory("--drain-s", "0")
    stop = threading.Event()
    lock = threading.Lock()
    outcomes = []  # (monotonic time the request was sent, outcome)

    def client(_):
        while not stop.is_set():
            try:
                s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            except OSError:
                return
            with s:
                try:
                    s.sendall(HEALTH.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
                    sent = time.monotonic()
                    status, _, _ = read_response(s, timeout=15)
                    outcome = "ok" if status in (200, 503) else f"status {status}"
                except Exception as e:  # reset, empty reply, timeout
                    sent, outcome = time.monotonic(), repr(e)
            with lock:
                outcomes.append((sent, outcome))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for th in threads:
        th.start()
    time.sleep(0.5 + 0.1 * run)
    signalled = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    rc = srv.wait(20)
    stop.set()
    for th in threads:
        th.join(20)
    assert rc == 0
    before = [o for t, o in outcomes if t < signalled]
    print(f"SIGTERM run {run}: {len(before)} requests sent before the signal, "
          f"{sum(o != 'ok' for o in before)} failed; {len(outcomes) - len(before)} after")
    assert len(before) > 50
    assert [o for o in before if o != "ok"] == []
    stop_cleanly(srv)


# ---- request ids -------------------------------------------------------------


def test_every_response_carries_a_request_id(server_factory):
    srv = server_factory()
    t = app_create(srv.db)
    ids = []
    for req in (HEALTH, b"GET /no/such HTTP/1.1\r\nHost: x\r\n\r\n", list_request_bytes(t),
                list_request_bytes(t, body=b"{")):
        with connect(srv.port) as s:
            s.sendall(req)
            status, headers, _ = read_response(s)
        assert re.fullmatch(r"[0-9a-f]{24}", headers["x-request-id"]), headers
        ids.append((status, headers["x-request-id"]))
    assert [st for st, _ in ids] == [200, 404, 200, 400]
    assert len({i for _, i in ids}) == 4
    # the access log names each (its line is written once the answer is sent)
    pats = [re.compile(r' access "\S+ \S+" \d{3} \d+ \d+us ' + rid + "$", re.M) for _, rid in ids]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not all(p.search(srv.stderr()) for p in pats):
        time.sleep(0.05)
    assert all(p.search(srv.stderr()) for p in pats), srv.stderr()[-2000:]
    stop_cleanly(srv)


@pytest.mark.parametrize("sent,kept", [
    ("abc-123", True), ("0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41", True), ("a.b:c_d", True),
    ("x" * 128, True), ("x" * 129, False), ("has space", False), ('quote"d', False),
    ("", False), ("ümlaut", False)])
def test_a_sane_client_request_id_is_kept(server_factory, sent, kept):
    srv = server_factory()
    with connect(srv.port) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + sent.encode() +
                  b"\r\n\r\n")
        status, headers, _ = read_response(s)
    assert status == 200
    if kept:
        assert headers["x-request-id"] == sent
    else:
        assert re.fullmatch(r"[0-9a-f]{24}", headers["x-request-id"])
    stop_cleanly(srv)
