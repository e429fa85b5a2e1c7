"""Black-box fixtures for campaignd.

Every test drives the real binary (env CAMPAIGND_BIN, default
build/san/campaignd) over 127.0.0.1.  Nothing is mocked.

Fixtures and helpers:
  demo_server      session-scoped `serve --demo` on a temp db
  demo_tenant      the demo tenant's credentials (from the --demo output)
  server_factory   start(*flags, db=None, demo=False) -> Server; every server
                   started through it is stopped at teardown
  tenant_factory   new tenant (`app create`) in the demo server's db
  http             a requests.Session for the test
  fam, f           a Family (below) on a new tenant; f with its lists CL and DNC
Helpers shared by the test files live here too (assert_error, fields_of,
parse_curl, send_as_curl, list_request_bytes, fold, ts, ...): one copy each.
Every wait is bounded.
"""
import datetime
import hashlib
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import jwt
import pytest
import requests
from urllib.parse import urlsplit

from openapi_check import Description, request_line

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = HERE / "data"
BIN = os.environ.get("CAMPAIGND_BIN") or str(REPO / "build" / "san" / "campaignd")
SAMPLES_PATH = REPO / "demo" / "samples.json"

DEMO_ACCOUNT = "67777ce93e25326494e00000"
DEMO_STREAM = "st-0603182c-7ffb-53c3-b307-47ca14b00000"
LIST_PATH = "/campaign/api/v2/public/{stream}/campaign/getAllCampaignDetails"
LIST_MESSAGE = "Campaign  retrieved successfully"

START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
CLI_TIMEOUT = 30.0
HTTP_TIMEOUT = 10.0

UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

VOICE_KEYS = ["_id", "name", "description", "dncLists", "priority", "dialingMode", "status",
              "isFiltersEnabled", "createdAt", "updatedAt", "campaignInstanceUpdatedAt",
              "schedule", "connection", "contactLists"]
SMS_KEYS = ["name", "description", "status", "dncLists", "priority", "message",
            "experienceFlow", "createdAt", "updatedAt", "schedule", "campaignInstanceId", "id",
            "totalMessagesSent", "campaignInstanceUpdatedAt", "campaignExecutionType",
            "contactLists", "format"]
# Contract §3: the values of filters.status and filters.dialingMode.
FILTER_STATUSES = ["Active", "Completed", "Ready", "Paused", "Preparing", "Stopped", "Scheduled",
                   "Rescheduled"]
DIALING_MODES = ["Progressive", "Preview", "Agentless"]
LONGEST_NAME = "\U0001F600" * 48  # 48 code points (the name limit), 192 bytes of UTF-8

SANITIZER_RE = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
                          r"SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer")

_counter = itertools.count(1)


# ---- every response against the OpenAPI description -------------------------
# The ports of the campaignd API listeners this run started (Server adds and
# removes them); responses from anything else (webhook receivers, metrics
# listeners) are not the API's.
API_PORTS = set()
METRICS_PORTS = set()  # --metrics-listen ports (test_metrics.py adds them)
_description = None


def description():
    """The OpenAPI description the binary under test serves (openapi_check)."""
    global _description
    if _description is None:
        out = subprocess.run([BIN, "openapi"], capture_output=True, timeout=CLI_TIMEOUT)
        assert out.returncode == 0, out.stderr
        _description = Description(out.stdout)
    return _description


_session_send = requests.Session.send


def _checked_send(self, request, **kw):
    """requests' send, then the response against the description: every
    request the suite makes through requests (a Session, requests.get, ...)
    passes here."""
    resp = _session_send(self, request, **kw)
    port = urlsplit(request.url).port
    if (port in API_PORTS or port in METRICS_PORTS) and not kw.get("stream"):
        description().check(request.method, request.url, resp.status_code, resp.headers,
                            resp.content, side=port in METRICS_PORTS, req_body=request.body)
    return resp


requests.Session.send = _checked_send


def child_env(extra=None):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1:strict_string_checks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    env.pop("CAMPAIGND_DB", None)
    if extra:
        env.update(extra)
    return env


# With CAMPAIGND_TEST_PG set (a base URL such as postgresql://postgres@127.0.0.1:5432,
# as scripts/run-tests.sh does), every database the tests name by a file path is a
# fresh PostgreSQL database instead: the same suite runs on both back ends.
PG_BASE = os.environ.get("CAMPAIGND_TEST_PG")
_pg_dbs = {}


def pg_admin(sql):
    subprocess.run(["psql", PG_BASE + "/postgres", "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                   check=True, capture_output=True, timeout=60)


def db_target(db):
    """The --db argument for a database the tests call `db` (a path)."""
    if not PG_BASE:
        return str(db)
    key = str(Path(db).resolve())
    name = _pg_dbs.get(key)
    if name is None:
        name = "t" + hashlib.sha1(key.encode()).hexdigest()[:24]
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{name}"')
        _pg_dbs[key] = name
    return f"{PG_BASE}/{name}"


def _map_db_args(args):
    """Maps every --db PATH to db_target(PATH); URLs, sqlite: forms and paths
    in directories that do not exist (tests of bad paths) stay as given."""
    args = [str(a) for a in args]
    def mapped(a):
        return db_target(a) if "://" not in a and not a.startswith("sqlite:") and \
            Path(a).parent.is_dir() else a
    return [mapped(a) if i > 0 and args[i - 1] == "--db" else a for i, a in enumerate(args)]


# Tests of the embedded store's own forms (file paths, sqlite:PATH, $CAMPAIGND_DB
# with a path) do not apply to a PostgreSQL run.
sqlite_only = pytest.mark.skipif(bool(PG_BASE), reason="exercises SQLite file paths")


def run_cli(*args, input=None, env=None, timeout=CLI_TIMEOUT, cwd=None):
    """Runs `campaignd ARGS...`; returns the CompletedProcess (text, utf-8)."""
    return subprocess.run([BIN, *_map_db_args(args)], input=input, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, env=child_env(env),
                          cwd=cwd, stdin=None if input is not None else subprocess.DEVNULL)


def ordered(value):
    """A JSON value with every object turned into its list of (key, value)
    pairs, so that == also compares key order."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def contains_null(value):
    if value is None:
        return True
    if isinstance(value, dict):
        return any(contains_null(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_null(v) for v in value)
    return False


def run_threads(target, count, timeout=60.0):
    """Runs target(k) for k in 0..count-1, each in a thread of its own, all at
    once; waits for them (timeout seconds in all) and asserts that all ended."""
    threads = [threading.Thread(target=target, args=(k,)) for k in range(count)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), f"threads still running after {timeout} s"


def is_subsequence(keys, order):
    it = iter(order)
    return all(k in it for k in keys)


def fold(name):
    """Contract §3's name order key: ASCII A-Z lowered, the rest as UTF-8 bytes."""
    return bytes(b + 32 if 0x41 <= b <= 0x5a else b for b in name.encode("utf-8"))


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def ts(ms):
    """An instant in milliseconds since the epoch, in contract §4 form
    (2025-12-08T09:17:21.090Z)."""
    d = _EPOCH + datetime.timedelta(milliseconds=ms)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"


# ---- servers ---------------------------------------------------------------


class Server:
    """One `campaignd serve` process on 127.0.0.1:<free port>."""

    def __init__(self, workdir, db, args=(), demo=False, demo_runs=False):
        n = next(_counter)
        self.workdir = Path(workdir)
        self.db = Path(db)
        self.out_path = self.workdir / f"server{n}.stdout"
        self.err_path = self.workdir / f"server{n}.stderr"
        self._out = open(self.out_path, "wb")
        self._err = open(self.err_path, "wb")
        cmd = [BIN, "serve", "--listen", "127.0.0.1:0", "--db", db_target(self.db)]
        if demo:
            cmd.append("--demo")
        cmd += [str(a) for a in args]
        if demo and not demo_runs and not any(a.startswith("--channel") for a in cmd):
            # --demo runs campaigns on the simulator by default; the suite's
            # shared demo server keeps the default channel's "nothing changes
            # by itself" (family spec §7), which most tests rely on.
            cmd += ["--channel", "none"]
        if "--drain-s" not in cmd:
            cmd += ["--drain-s", "0"]  # stop at once unless a test measures the drain
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._out,
                                     stderr=self._err, env=child_env(), cwd=str(self.workdir))
        self.port = None
        self.metrics_port = None
        self.creds = None
        try:
            self._wait_ready(demo)
        except BaseException:
            self.kill()
            raise

    def _wait_ready(self, demo):
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            m = re.search(r"\(port (\d+)\)", self.stderr())
            if m:
                self.port = int(m.group(1))
                API_PORTS.add(self.port)
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"campaignd serve exited with {self.proc.returncode}:\n"
                                   f"{self.stderr()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"campaignd serve did not report its port:\n{self.stderr()}")
            time.sleep(0.02)
        if demo:
            out = self.stdout()
            fields = {}
            for key in ("accountId", "streamId", "clientId", "clientSecret"):
                m = re.search(r"^  " + key + r":\s+(\S+)\s*$", out, re.M)
                assert m, f"--demo output lacks {key}:\n{out}"
                fields[key] = m.group(1)
            m = re.search(r"^TOKEN=(\S+)\s*$", out, re.M)
            assert m, f"--demo output lacks TOKEN=:\n{out}"
            fields["token"] = m.group(1)
            self.creds = fields

    # -- io
    def stderr(self):
        return self.err_path.read_bytes().decode("utf-8", "replace")

    def stdout(self):
        return self.out_path.read_bytes().decode("utf-8", "replace")

    def sanitizer_report(self):
        return SANITIZER_RE.findall(self.stderr())

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def list_url(self, stream, account=None):
        u = self.url(LIST_PATH.format(stream=stream))
        if account is not None:
            u += "?accountId=" + account
        return u

    def alive(self):
        return self.proc.poll() is None

    # -- lifecycle
    def wait(self, timeout=STOP_TIMEOUT):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Sends sig, waits (bounded) and returns the exit status; kills and
        returns None when the process does not stop in time."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            rc = self.wait(timeout)
            if rc is None:
                self.kill()
                return None
        self._close()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        self._close()

    def _close(self):
        API_PORTS.discard(self.port)
        METRICS_PORTS.discard(self.metrics_port)
        for f in (self._out, self._err):
            try:
                f.close()
            except Exception:
                pass


class Tenant:
    """An app with one API client, as printed by `app create`."""

    def __init__(self, db, account, stream, client_id, secret):
        self.db = Path(db)
        self.account = account
        self.stream = stream
        self.client_id = client_id
        self.secret = secret

    def token(self, alg="HS256", key=None, headers=None, **claims):
        payload = {"appId": self.client_id, "sub": "blackbox", "iat": int(time.time())}
        payload.update(claims)
        for k in [k for k, v in payload.items() if v is None]:
            del payload[k]
        return jwt.encode(payload, self.secret.encode() if key is None else key,
                          algorithm=alg, headers=headers)

    def headers(self, token=None, **extra):
        h = {"auth": self.token() if token is None else token, "iid": self.stream,
             "accountId": self.account, "Content-Type": "application/json"}
        h.update(extra)
        return h

    def path(self):
        return LIST_PATH.format(stream=self.stream)

    def import_items(self, items, expect_ok=True):
        path = self.db.parent / f"import-{uuid.uuid4().hex}.json"
        path.write_text(json.dumps(items), encoding="utf-8")
        r = run_cli("import", "--account", self.account, "--stream", self.stream,
                    "--db", self.db, path)
        if expect_ok:
            assert r.returncode == 0, f"import failed ({r.returncode}): {r.stderr}"
        return r

    def export(self, type_=None):
        args = ["export", "--account", self.account, "--stream", self.stream, "--db", self.db]
        if type_:
            args += ["--type", type_]
        r = run_cli(*args)
        assert r.returncode == 0, f"export failed ({r.returncode}): {r.stderr}"
        return json.loads(r.stdout)


def new_account():
    return uuid.uuid4().hex[:24]


def app_create(db, account=None, stream=None, scopes=None, name=None):
    account = account or new_account()
    args = ["app", "create", "--account", account, "--db", db]
    if stream:
        args += ["--stream", stream]
    if scopes is not None:
        args += ["--scopes", scopes]
    if name is not None:
        args += ["--name", name]
    r = run_cli(*args)
    assert r.returncode == 0, f"app create failed ({r.returncode}): {r.stderr}"
    o = json.loads(r.stdout)
    return Tenant(db, o["accountId"], o["streamId"], o["clientId"], o["clientSecret"])


def merge_headers(h, overrides):
    """h with each header of overrides set, replacing any of the same name in
    any case; an override of None removes the header."""
    h = dict(h)
    for k, v in (overrides or {}).items():
        for old in [x for x in h if x.lower() == k.lower()]:
            del h[old]
        if v is not None:
            h[k] = v
    return h


def post_list(session, server, tenant, body, headers=None, url=None, token=None, raw=None):
    """POSTs a Get All Campaigns request; body is JSON-encoded unless raw
    (bytes/str) is given."""
    h = merge_headers(tenant.headers(token=token) if tenant is not None else {}, headers)
    data = raw if raw is not None else json.dumps(body).encode()
    if url is None:
        url = server.list_url(tenant.stream, tenant.account)
    return session.post(url, data=data, headers=h, timeout=HTTP_TIMEOUT)


def list_ok(session, server, tenant, body, **kw):
    r = post_list(session, server, tenant, body, **kw)
    assert r.status_code == 200, f"{r.status_code}: {r.text}"
    return r.json()


def fields_of(body):
    """The errors[].field of an error body, in order; None for a field-less error."""
    return [e.get("field") for e in body.get("errors", [])]


def assert_error(resp, status, fields=None, subset=False):
    """The §2 error shape.  When fields is given, the set of errors[].field must
    equal it (order free; None stands for an error without a field): contract §2
    has `errors` list every problem, so an extra one is as wrong as a missing one.
    subset=True only asks that each of fields be among them, for the few tests
    that cannot know every problem the server may also find (say why there)."""
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text}"
    assert resp.headers.get("Content-Type", "").split(";")[0].strip() == "application/json"
    body = resp.json()
    assert body.get("status") == "error", body
    assert isinstance(body.get("message"), str) and body["message"], body
    assert isinstance(body.get("errors"), list), body
    for e in body["errors"]:
        assert isinstance(e.get("msg"), str) and e["msg"], body
        # §2: `field` is omitted for a problem of no field, never null or empty.
        assert "field" not in e or (isinstance(e["field"], str) and e["field"]), body
    got = fields_of(body)
    if fields is not None:
        if subset:
            missing = [f for f in fields if f not in got]
            assert not missing, f"fields {missing} not in {got}: {body}"
        else:
            assert set(got) == set(fields), \
                f"fields {sorted(got, key=str)} != expected {sorted(fields, key=str)}: {body}"
    return body


# ---- raw sockets -------------------------------------------------------------


def connect(port, timeout=5.0):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def recv_until_close(sock, timeout=5.0, limit=1 << 20):
    """Reads until EOF, error or timeout (bounded); returns the bytes read."""
    sock.settimeout(timeout)
    deadline = time.monotonic() + timeout
    chunks = []
    total = 0
    while time.monotonic() < deadline and total < limit:
        try:
            b = sock.recv(65536)
        except socket.timeout:
            break
        except OSError:
            break
        if not b:
            break
        chunks.append(b)
        total += len(b)
    return b"".join(chunks)


class HttpReader:
    """Reads successive HTTP/1.1 responses from one socket (pipelining-safe:
    bytes read past one response stay buffered for the next)."""

    def __init__(self, sock, timeout=5.0):
        self.sock = sock
        self.buf = b""
        sock.settimeout(timeout)

    def _fill(self):
        b = self.sock.recv(65536)
        if not b:
            raise ConnectionError("connection closed before a complete response")
        self.buf += b

    def _line(self):
        while b"\r\n" not in self.buf:
            if len(self.buf) > 1 << 20:
                raise ValueError("response line too long")
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def response(self):
        status_line = self._line().decode("latin-1")
        m = re.match(r"^HTTP/1\.[01] (\d{3})", status_line)
        if not m:
            raise ValueError(f"bad status line {status_line!r}")
        headers = {}
        while True:
            line = self._line()
            if not line:
                break
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        status = int(m.group(1))
        if status < 200 or status in (204, 304):
            body = b""
        elif "content-length" in headers:
            body = self._exact(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                body += self._exact(size)
                self._exact(2)
        else:
            chunks = [self.buf]
            self.buf = b""
            while True:
                try:
                    b = self.sock.recv(65536)
                except OSError:
                    break
                if not b:
                    break
                chunks.append(b)
            body = b"".join(chunks)
        try:
            port = self.sock.getpeername()[1]
        except OSError:
            port = None
        if port in API_PORTS:
            description().check_error(status, headers, body, "raw socket")
        return status, headers, body


def read_response(sock, timeout=5.0):
    """Parses one HTTP response from sock: (status, headers (lower-case), body)."""
    return HttpReader(sock, timeout).response()


def raw_exchange(port, data, timeout=5.0):
    with connect(port, timeout) as s:
        s.sendall(data)
        status, headers, body = read_response(s, timeout)
    method, target = request_line(data)
    if method is not None and port in API_PORTS:
        description().check(method, target, status, headers, body,
                            req_body=data.partition(b"\r\n\r\n")[2])
    return status, headers, body


def list_request_bytes(tenant, body=b'{"type":"sms"}', extra="", length=None):
    """The bytes of a Get All Campaigns request of tenant; extra is more header
    lines (each ending in CRLF); length, when given, is the Content-Length sent
    instead of the body's."""
    return (f"POST {tenant.path()}?accountId={tenant.account} HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nauth: {tenant.token()}\r\niid: {tenant.stream}\r\n"
            f"accountId: {tenant.account}\r\nContent-Type: application/json\r\n{extra}"
            f"Content-Length: {len(body) if length is None else length}\r\n\r\n").encode() + body


# ---- documented curl commands ------------------------------------------------


def parse_curl(text):
    """(method, url, [(name, value)], body bytes or None) of a documented
    `curl --location [--request METHOD] 'URL' --header 'N: V' ... --data '...'`.
    Headers may be in single or double quotes (the demo prints
    --header "auth: $TOKEN"). The body runs to the last single quote of the
    text, or to its end when the quote is never closed (the weekly schedule
    sample). Without --request the method is POST with a body, else GET."""
    m = re.search(r"curl --location (?:--request (\w+) )?'([^']*)'", text)
    method, url = m.group(1), m.group(2)
    headers = [(name, value) for _, name, value in
               re.findall(r"--header (['\"])([^:'\"]+): ([^'\"]*)\1", text)]
    body = None
    d = re.search(r"--data '", text)
    if d:
        rest = text[d.end():]
        end = rest.rfind("'")
        body = (rest[:end] if end >= 0 else rest.rstrip("\n")).encode("utf-8")
    if method is None:
        method = "POST" if body is not None else "GET"
    return method, url, headers, body


def send_as_curl(port, method, path, headers, body):
    """Sends, on a connection of its own, the bytes curl sends for a command
    with these method, path (no host), [(name, value)] headers and body (bytes
    or None): its Host, User-Agent and Accept, the headers as given, and with
    a body its Content-Length and, when the headers name none, the Content-Type
    curl --data adds. Returns read_response's (status, headers, body)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}",
             "User-Agent: curl/7.88.1", "Accept: */*"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
        if "content-type" not in [name.lower() for name, _ in headers]:
            lines.append("Content-Type: application/x-www-form-urlencoded")
    with connect(port) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        status, rheaders, rbody = read_response(s)
    if port in API_PORTS:
        description().check(method, path, status, rheaders, rbody, req_body=body)
    return status, rheaders, rbody


# ---- fixtures ----------------------------------------------------------------


@pytest.fixture(scope="session")
def binary():
    assert os.access(BIN, os.X_OK), f"campaignd binary not found at {BIN} (set CAMPAIGND_BIN)"
    return BIN


def stop_cleanly(srv):
    """Stops srv: it must exit with status 0 and no sanitizer report."""
    rc = srv.stop()
    assert rc == 0, f"server exit status {rc}\n{srv.stderr()[-4000:]}"
    assert not srv.sanitizer_report(), srv.stderr()[-8000:]


@pytest.fixture(scope="session")
def demo_server(binary, tmp_path_factory):
    work = tmp_path_factory.mktemp("demo")
    srv = Server(work, work / "demo.db", demo=True)
    yield srv
    stop_cleanly(srv)


def server_on_demo_db(demo_server, *args):
    """For a module fixture (`yield from`): a server of its own, started with
    args, on the demo server's db (the same tenants), stopped cleanly after."""
    srv = Server(demo_server.db.parent, demo_server.db, args=args)
    yield srv
    stop_cleanly(srv)


@pytest.fixture(scope="session")
def demo_tenant(demo_server):
    c = demo_server.creds
    return Tenant(demo_server.db, c["accountId"], c["streamId"], c["clientId"],
                  c["clientSecret"])


@pytest.fixture
def tenant_factory(demo_server):
    def make(**kw):
        return app_create(demo_server.db, **kw)
    return make


@pytest.fixture
def server_factory(binary, tmp_path):
    started = []

    def start(*args, db=None, demo=False, demo_runs=False):
        srv = Server(tmp_path, db or (tmp_path / f"s{len(started)}.db"), args=args, demo=demo,
                     demo_runs=demo_runs)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        if srv.alive():
            srv.stop(timeout=10)
        else:
            srv._close()


@pytest.fixture
def http():
    with requests.Session() as s:
        yield s


@pytest.fixture(scope="session")
def samples():
    return json.loads(SAMPLES_PATH.read_text(encoding="utf-8"))


# ---- the campaign family (family spec) ---------------------------------------
#
# fam               a Family bound to a fresh tenant (`app create` in the demo
#                   server's db) and a requests.Session
# family_factory    more Family objects (more tenants) for the same test
#
# Family.req() sends one request and returns the requests.Response; the other
# methods are thin wrappers that also assert the documented success status.

FAMILY_BASE = "/campaign/api/v2/public/{stream}/campaign"
FAMILY_ALIAS = "/api/v2/public/{stream}/campaign"
FAMILY_ADD_ALIAS = "/api/1.1/public/{stream}/campaign/contactList/addContacts"

SMS_DOC_KEYS = ["_id", "name", "lname", "description", "status", "dncLists", "priority",
                "dialingStrategy", "message", "experienceFlow", "isImported",
                "isFiltersEnabled", "createdAt", "updatedAt", "schedule", "campaignInstanceId",
                "contactLists", "format"]
SMS_CREATE_KEYS = [k for k in SMS_DOC_KEYS if k != "campaignInstanceId"]
VOICE_DOC_KEYS = ["_id", "name", "lname", "description", "dncLists", "priority", "dialingMode",
                  "dialingStrategy", "experienceFlow", "status", "maxSkips", "isFiltersEnabled",
                  "createdAt", "updatedAt", "schedule", "campaignInstanceId", "contactLists",
                  "connection", "enableMachineDetect"]
VOICE_CREATE_KEYS = ["name", "lname", "description", "dncLists", "priority", "dialingMode",
                     "dialingStrategy", "experienceFlow", "status", "maxSkips",
                     "isFiltersEnabled", "createdAt", "updatedAt", "id", "contactLists",
                     "enableMachineDetect"]
LIST_FULL_KEYS = ["_id", "isActive", "name", "description", "totalRecordCount", "status",
                  "createdBy", "updatedBy", "mapping", "isListInUse", "listType", "isGlobalDNC",
                  "isDefault", "campaignInUse", "source", "apiConfigurations", "columns", "files",
                  "createdAt", "updatedAt", "allowDuplicates"]
LIST_CREATE_KEYS = LIST_FULL_KEYS[1:-1] + ["_id", "allowDuplicates"]
LIST_SUMMARY_KEYS = ["_id", "name", "description", "totalRecordCount", "status", "mapping",
                     "isListInUse", "listType", "campaignInUse", "source", "apiConfigurations",
                     "columns", "files", "updatedAt"]
LIST_MAPPING = {"firstName": "firstName", "lastName": "lastName", "phoneNumber": "phoneNumber",
                "timeZone": "timeZone", "uniqueId": "uniqueId",
                "contactPriority": "contactPriority"}
CONTACT_ROW_KEYS = ["phoneNumber", "uniqueId", "dialerOutcome", "numberOfAttemptsSoFar",
                    "botSessionId", "agentDispositionCodes", "botOutboundStatus",
                    "botOutboundStatusDetail"]
ADD_CONTACTS_MESSAGE = "Adding contacts to public list is in progress"
SCHEDULE_OFF = {"isSchedulingEnabled": False, "isRecurrenceEnabled": False}
DAILY = {"startDateTime": "2099-01-27 18:29:00", "endDateTime": "2099-02-27 18:29:00",
         "recurrenceObject": {"recurType": "Daily", "dailyDetails": {"onceEveryNdays": 1}}}
WEEKLY = {"startDateTime": "2099-01-1 18:29:00", "endDateTime": "2099-03-27 18:29:00",
          "recurrenceObject": {"recurType": "Weekly",
                               "weeklyDetails": {"onceEveryNweeks": 2,
                                                 "whichDays": ["Mon", "Wed", "Fri"]}}}
CD_RE = re.compile(r"^cd-" + UUID4 + "$")
CID_RE = re.compile(r"^cid-" + UUID4 + "$")
CL_RE = re.compile(r"^cl-" + UUID4 + "$")
CC_RE = re.compile(r"^cc-" + UUID4 + "$")
CF_RE = re.compile(r"^cf-" + UUID4 + "$")
CMT_RE = re.compile(r"^cmt-" + UUID4 + "$")
UNKNOWN_CD = "cd-00000000-0000-4000-8000-000000000000"
UNKNOWN_CL = "cl-00000000-0000-4000-8000-000000000000"


def dialing_strategy(voice=True, days=None, timezone="Asia/Kolkata", phone="+14155550100",
                     frequency="WEEKLY"):
    ds = {"callerId": {"phoneNumber": phone},
          "callingHours": {"frequency": frequency, "timezone": timezone,
                           "days": days if days is not None else
                           [{"day": "MO", "start": "9:00 AM", "end": "6:00 PM"},
                            {"day": "TU", "start": "9:00 AM", "end": "6:00 PM"}]}}
    if voice:
        ds.update({"dialingOrder": "FIFO", "maxAttemptsPerRecord": 3, "defaultRetryPeriod": 10,
                   "maxRingTime": 30})
    return ds


def sms_body(name, lists, variant="simple", dnc=None, **extra):
    """A valid SMS create body; variant is simple, template or advanced."""
    b = {"name": name, "description": f"{name} description", "contactLists": list(lists)}
    if dnc is not None:
        b["dncLists"] = {"name": dnc}
    b.update({"campaignType": "sms", "priority": "5",
              "format": "advanced" if variant == "advanced" else "simple"})
    if variant == "simple":
        b["message"] = {"message": "SGVsbG8gd29ybGQ="}
    elif variant == "template":
        b["message"] = {"template_name": "Welcome", "message": "VGVtcGxhdGUgYm9keQ=="}
    b["dialingStrategy"] = dialing_strategy(voice=False)
    b["schedule"] = {"isSchedulingEnabled": False}
    if variant == "advanced":
        b["experienceFlowName"] = "SMS Support Flow"
    b.update(extra)
    return b


def voice_body(name, lists, dnc, mode="Progressive", **extra):
    """A valid voice create body for dialing mode Agentless, Progressive or Preview."""
    b = {"name": name, "description": f"{name} description", "contactLists": list(lists),
         "dncLists": {"name": dnc}, "priority": "5", "dialingMode": mode,
         "dialingStrategy": dialing_strategy(voice=True),
         "schedule": {"isSchedulingEnabled": False}}
    if mode == "Agentless":
        b["experienceFlowName"] = "Voice Survey Entry Flow"
        b["enableMachineDetect"] = "no"
    else:
        b["queue_name"] = "Default Queue"
    if mode == "Preview":
        b["maxSkips"] = 1
    b["campaignType"] = "voice"
    b.update(extra)
    return b


def tick():
    """Waits past the current millisecond, so that the next write gets a later
    updatedAt than the one just read (timestamps have millisecond precision)."""
    time.sleep(0.002)


def assert_conflict(resp, sentence):
    """A 409 whose message is the given sentence, with one field-less error."""
    body = assert_error(resp, 409)
    assert body["message"] == sentence, body
    assert len(body["errors"]) == 1 and "field" not in body["errors"][0], body
    return body


def keys_in(order, obj):
    """obj's keys must follow order (each key of obj must be in order)."""
    keys = list(obj)
    assert set(keys) <= set(order), f"unexpected keys {set(keys) - set(order)} in {keys}"
    assert keys == [k for k in order if k in obj], f"key order {keys}"


class Family:
    """A tenant on the demo server, with helpers for the family routes."""

    def __init__(self, server, tenant, session):
        self.server = server
        self.tenant = tenant
        self.http = session
        self.account = tenant.account
        self.stream = tenant.stream
        self.db = tenant.db

    # -- raw requests
    def base(self, alias=False):
        return (FAMILY_ALIAS if alias else FAMILY_BASE).format(stream=self.stream)

    def url(self, path, alias=False, account=True, base=None):
        u = (base if base is not None else self.base(alias)) + path
        if account:
            u += ("&" if "?" in u else "?") + "accountId=" + self.account
        return self.server.url(u)

    def req(self, method, path, body=None, raw=None, alias=False, account=True, headers=None,
            base=None, url=None):
        """path is relative to B (or the alias prefix); body is JSON-encoded
        unless raw is given; no body at all when both are None."""
        h = merge_headers(self.tenant.headers(), headers)
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        if data is None:
            h.pop("Content-Type", None)
        return self.http.request(method, url or self.url(path, alias, account, base), data=data,
                                 headers=h, timeout=HTTP_TIMEOUT)

    # -- contact lists
    def create_list(self, name, description="list", allow_duplicates=None):
        body = {"name": name, "description": description, "source": "passiveApi"}
        if allow_duplicates is not None:
            body["allowDuplicates"] = allow_duplicates
        r = self.req("POST", "/contactList/createContactList", body)
        assert r.status_code == 201, f"{r.status_code}: {r.text}"
        return r.json()["data"]

    def add_contacts(self, list_name, items):
        items = [{"phoneNumber": i} if isinstance(i, str) else i for i in items]
        r = self.req("POST", "/contactList/addContacts",
                     {"contact_list_name": list_name, "data": items})
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r

    def get_list(self, list_id):
        r = self.req("GET", f"/contactList/{list_id}")
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.json()["data"]

    def lists(self):
        r = self.req("POST", "/contactList/getAllListDetails?type=call", {})
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.json()["data"]

    def contacts_of(self, list_id, query=""):
        r = self.req("GET", f"/contactList/{list_id}/getAllContacts{query}")
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.json()["data"]

    def setup_lists(self, contacts=("+14155550101", "+14155550102"), dnc=("+14155550199",)):
        """Creates the lists CL (contacts) and DNC (dnc numbers)."""
        self.create_list("CL")
        self.create_list("DNC")
        if contacts:
            self.add_contacts("CL", list(contacts))
        if dnc:
            self.add_contacts("DNC", list(dnc))

    # -- campaigns
    def create(self, body, ctype=None, expect=201):
        ctype = ctype or body.get("campaignType", "sms")
        r = self.req("POST", f"?campaignType={ctype}", body)
        if expect is not None:
            assert r.status_code == expect, f"{r.status_code}: {r.text}"
        return r

    def create_sms(self, name="SMS One", lists=("CL",), variant="simple", dnc=None, **extra):
        data = self.create(sms_body(name, lists, variant, dnc, **extra)).json()["data"]
        return data["_id"]

    def create_voice(self, name="Voice One", lists=("CL",), dnc="DNC", mode="Progressive",
                     **extra):
        data = self.create(voice_body(name, lists, dnc, mode, **extra)).json()["data"]
        return data["id"]

    def get(self, cid):
        r = self.req("GET", f"/{cid}")
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.json()["data"]

    def get_raw(self, cid):
        r = self.req("GET", f"/{cid}")
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.content

    def update(self, cid, body, ctype=None):
        q = f"?campaignType={ctype}" if ctype else ""
        return self.req("PUT", f"/{cid}{q}", body)

    def delete(self, cid, ctype=None):
        q = f"?campaignType={ctype}" if ctype else ""
        return self.req("DELETE", f"/{cid}{q}")

    def trigger(self, cid, trigger, ctype=None, body=None):
        q = f"?trigger={trigger}" + (f"&campaignType={ctype}" if ctype else "")
        return self.req("POST", f"/trigger/{cid}{q}", body if body is not None else {})

    def start(self, cid):
        r = self.trigger(cid, "play")
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.json()

    def stop(self, cid):
        r = self.trigger(cid, "stop")
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.json()

    def status(self, cid, view="status"):
        q = f"?view={view}" if view is not None else ""
        r = self.req("POST", f"/{cid}/status{q}", {})
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.json()["data"]

    def contacts(self, cid, body=None):
        r = self.req("POST", f"/{cid}/status?view=contacts", body if body is not None else {})
        assert r.status_code == 200, f"{r.status_code}: {r.text}"
        return r.json()["data"]

    def schedule(self, name, enable=True, body=None, ctype=None, quoted=None):
        from urllib.parse import quote
        q = f"?enableSchedule={'true' if enable else 'false'}&campaignName="
        q += quoted if quoted is not None else quote(name, safe="")
        if ctype:
            q += f"&campaignType={ctype}"
        if body is None:
            body = DAILY if enable else {}
        return self.req("POST", f"/schedule{q}", body)

    def listing(self, type_, **body):
        body = {"type": type_, "limit": 100, **body}
        return list_ok(self.http, self.server, self.tenant, body)["data"]["results"]

    def listed(self, type_, cid):
        items = [i for i in self.listing(type_) if i.get("_id", i.get("id")) == cid]
        assert len(items) == 1, items
        return items[0]

    # -- admin CLI
    def cli(self, *args, expect_ok=True):
        r = run_cli(*args, "--db", self.db)
        if expect_ok:
            assert r.returncode == 0, f"{args}: {r.returncode}: {r.stderr}"
        return r

    def cli_status(self, cid, status):
        return self.cli("campaign", "status", "--account", self.account, "--stream",
                        self.stream, "--campaign", cid, "--status", status)

    def cli_outcome(self, cid, phone, outcome, *more):
        return self.cli("campaign", "outcome", "--account", self.account, "--stream",
                        self.stream, "--campaign", cid, "--phone", phone, "--outcome", outcome,
                        *more)

    def cli_sent(self, cid, count):
        return self.cli("campaign", "sent", "--account", self.account, "--stream", self.stream,
                        "--campaign", cid, "--count", count)

    def registry_add(self, kind, name):
        r = self.cli("registry", "add", "--account", self.account, "--stream", self.stream,
                     "--kind", kind, "--name", name)
        return r.stdout.strip()


@pytest.fixture
def family_factory(demo_server, http):
    def make(**kw):
        return Family(demo_server, app_create(demo_server.db, **kw), http)
    return make


@pytest.fixture
def fam(family_factory):
    return family_factory()


@pytest.fixture
def f(fam):
    """fam with its lists CL (two contacts) and DNC (one number)."""
    fam.setup_lists()
    return fam


def pytest_terminal_summary(terminalreporter):
    if _description is not None:
        terminalreporter.write_line(
            f"openapi: {_description.checked} responses checked against the description")
