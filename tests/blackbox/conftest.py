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
Every wait is bounded.
"""
import hashlib
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import jwt
import pytest
import requests

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

SANITIZER_RE = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
                          r"SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer")

_counter = itertools.count(1)


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


def is_subsequence(keys, order):
    it = iter(order)
    return all(k in it for k in keys)


# ---- servers ---------------------------------------------------------------


class Server:
    """One `campaignd serve` process on 127.0.0.1:<free port>."""

    def __init__(self, workdir, db, args=(), demo=False):
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
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._out,
                                     stderr=self._err, env=child_env(), cwd=str(self.workdir))
        self.port = None
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


def post_list(session, server, tenant, body, headers=None, url=None, token=None, raw=None):
    """POSTs a Get All Campaigns request; body is JSON-encoded unless raw
    (bytes/str) is given."""
    h = tenant.headers(token=token) if tenant is not None else {}
    if headers:
        for k, v in headers.items():
            for old in [x for x in h if x.lower() == k.lower()]:
                del h[old]
            if v is not None:
                h[k] = v
    data = raw if raw is not None else json.dumps(body).encode()
    if url is None:
        url = server.list_url(tenant.stream, tenant.account)
    return session.post(url, data=data, headers=h, timeout=HTTP_TIMEOUT)


def list_ok(session, server, tenant, body, **kw):
    r = post_list(session, server, tenant, body, **kw)
    assert r.status_code == 200, f"{r.status_code}: {r.text}"
    return r.json()


def assert_error(resp, status, fields=None):
    """The §2 error shape; fields (when given) must be among errors[].field."""
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text}"
    assert resp.headers.get("Content-Type", "").split(";")[0].strip() == "application/json"
    body = resp.json()
    assert body.get("status") == "error", body
    assert isinstance(body.get("message"), str) and body["message"], body
    assert isinstance(body.get("errors"), list), body
    got = [e.get("field") for e in body["errors"]]
    for e in body["errors"]:
        assert isinstance(e.get("msg"), str) and e["msg"], body
    if fields is not None:
        for f in fields:
            assert f in got, f"field {f!r} not in {got}: {body}"
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
        return status, headers, body


def read_response(sock, timeout=5.0):
    """Parses one HTTP response from sock: (status, headers (lower-case), body)."""
    return HttpReader(sock, timeout).response()


def raw_exchange(port, data, timeout=5.0):
    with connect(port, timeout) as s:
        s.sendall(data)
        return read_response(s, timeout)


# ---- fixtures ----------------------------------------------------------------


@pytest.fixture(scope="session")
def binary():
    assert os.access(BIN, os.X_OK), f"campaignd binary not found at {BIN} (set CAMPAIGND_BIN)"
    return BIN


@pytest.fixture(scope="session")
def demo_server(binary, tmp_path_factory):
    work = tmp_path_factory.mktemp("demo")
    srv = Server(work, work / "demo.db", demo=True)
    yield srv
    rc = srv.stop()
    assert rc == 0, f"demo server exit status {rc}\n{srv.stderr()[-4000:]}"
    assert not srv.sanitizer_report(), srv.stderr()[-8000:]


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

    def start(*args, db=None, demo=False):
        srv = Server(tmp_path, db or (tmp_path / f"s{len(started)}.db"), args=args, demo=demo)
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
