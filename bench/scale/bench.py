#!/usr/bin/python3
"""make bench-scale: Get All Campaigns at scale (GitHub issue 7).

Run by bench/scale/run.sh from the repository root; see bench/scale/README.md
for what it measures and the knobs (environment variables SCALE_*).  Only the
Python standard library is used.  Every server, load and wait is bounded in
time, on 127.0.0.1 only, and every process started here is stopped on exit.
"""
import fcntl
import grp
import http.client
import json
import math
import os
import pwd
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gen  # noqa: E402

BIN = os.path.abspath(os.environ.get("SCALE_BIN") or os.path.join(ROOT, "campaignd"))
LUA = os.path.join(HERE, "bodies.lua")
PG_CLUSTER = os.path.join(ROOT, "scripts", "pg-cluster.sh")


def env_num(name, default, conv=float):
    v = os.environ.get(name, "").strip()
    return conv(v) if v else default


SIZES = [int(x) for x in os.environ.get("SCALE_SIZES", "10000 100000 1000000").split()]
SECS = env_num("SCALE_SECS", 10.0)
SHAPE_SECS = env_num("SCALE_SHAPE_SECS", float(max(1, round(SECS * 0.2))))
REPEAT_SECS = max(1.0, round(SHAPE_SECS / 2))  # the repeated body of a shape
BACKENDS = os.environ.get("SCALE_BACKENDS", "sqlite postgresql").split()
WORK = os.path.abspath(os.environ.get("SCALE_WORK", "/tmp/campaignd-bench-scale"))
CONNS = [int(x) for x in os.environ.get("SCALE_CONNS", "32 64 128").split()]
WRK_THREADS = env_num("SCALE_WRK_THREADS", 2, int)
IMPORT_TIMEOUT = env_num("SCALE_IMPORT_TIMEOUT", 300.0)
SIDE_N, SIDE_SIZE = (int(x) for x in os.environ.get("SCALE_SIDE", "20x5000").split("x"))
SIDE_BUDGET = env_num("SCALE_SIDE_BUDGET", 2 * IMPORT_TIMEOUT)
SMALL = env_num("SCALE_SMALL", 1000, int)
MIX_N = env_num("SCALE_MIX_N", 256, int)
COLD_N = env_num("SCALE_COLD_N", 300000, int)
CHECK_SECS = env_num("SCALE_CHECK_SECS", 60.0)
REQ_TIMEOUT = env_num("SCALE_REQ_TIMEOUT", 30.0)
SETUP_SECS = env_num("SCALE_SETUP_SECS", 300.0)
CONTACTS = env_num("SCALE_CONTACTS", 100000, int)
SHAPE_VARIANTS = env_num("SCALE_SHAPE_VARIANTS", 5000, int)
LISTS = env_num("SCALE_LISTS", 10000, int)
IDLE_SECS = env_num("SCALE_IDLE_SECS", 120.0)
KEEP = os.environ.get("SCALE_KEEP", "") not in ("", "0")
REF_SIZE = 100000          # the size the throughput targets name
RSS_LIMIT_MIB = 256        # import and serve memory targets

DATA = os.path.join(WORK, "data")      # generated files, kept between runs
RUN = os.path.join(WORK, "run")        # databases, logs: fresh every run

PROCS = []          # every Popen started here (own process group each)
PG = {"dir": None, "port": None}
PROBLEMS = []       # loud messages, repeated at the end


def log(msg):
    sys.stdout.write("[%s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stdout.flush()


def problem(msg):
    PROBLEMS.append(msg)
    log("!!! " + msg)


# ---- processes -------------------------------------------------------------

def spawn(argv, **kw):
    p = subprocess.Popen(argv, start_new_session=True, **kw)
    PROCS.append(p)
    return p


def stop(p, sig=signal.SIGTERM, wait=15.0):
    if p is None or p.poll() is not None:
        return
    try:
        os.killpg(p.pid, sig)
    except ProcessLookupError:
        return
    try:
        p.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(timeout=10)


def run_bounded(argv, timeout, **kw):
    """Runs argv in its own process group; kills the group on timeout.
    Returns (returncode or None on timeout, seconds)."""
    t0 = time.monotonic()
    p = spawn(argv, **kw)
    try:
        rc = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(p, signal.SIGKILL)
        rc = None
    return rc, time.monotonic() - t0


def cleanup():
    for p in PROCS:
        stop(p, wait=10)
    if PG["dir"] and os.path.isdir(os.path.join(PG["dir"], "data")):
        subprocess.run([PG_CLUSTER, "stop", PG["dir"]], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=90)
        PG["dir"] = None
    if not KEEP:  # the databases and request files go; the logs stay in run/
        for d in ("sqlite", "pg", "nginx"):
            shutil.rmtree(os.path.join(RUN, d), ignore_errors=True)
        for f in os.listdir(RUN) if os.path.isdir(RUN) else ():
            if f.startswith("body-"):
                os.remove(os.path.join(RUN, f))


def on_signal(sig, frame):
    raise KeyboardInterrupt("signal %d" % sig)


def freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def proc_cpu(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return int(parts[11]) + int(parts[12])
    except (OSError, IndexError, ValueError):
        return 0


def pg_pids():
    """The PostgreSQL cluster's processes (postmaster and its children)."""
    if not PG["dir"]:
        return []
    try:
        with open(os.path.join(PG["dir"], "data", "postmaster.pid")) as f:
            master = int(f.readline())
    except (OSError, ValueError):
        return []
    pids = [master]
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                if ppid == master:
                    pids.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return pids


def wait_idle(server):
    """After a load, waits (bounded) until the server and the database stop
    working on requests a client gave up on, so they do not leak into the
    next measurement."""
    t0 = time.monotonic()
    hz = os.sysconf("SC_CLK_TCK")
    while time.monotonic() - t0 < IDLE_SECS:
        pids = [server.pid] + pg_pids()
        a = sum(proc_cpu(p) for p in pids)
        time.sleep(0.3)
        b = sum(proc_cpu(p) for p in pids)
        if (b - a) / hz < 0.3 * 0.05:
            return time.monotonic() - t0
    problem("server still busy %.0f s after a load" % IDLE_SECS)
    return time.monotonic() - t0


def rss(pid):
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmHWM", "VmRSS"):
                    out[k + "_mib"] = round(int(v.split()[0]) / 1024.0, 1)
    except OSError:
        pass
    return out


# ---- back ends -------------------------------------------------------------

def pg_start():
    PG["dir"] = os.path.join(RUN, "pg")
    PG["port"] = freeport()
    os.chmod(WORK, 0o755)
    os.chmod(RUN, 0o755)
    r = subprocess.run([PG_CLUSTER, "start", PG["dir"], str(PG["port"])],
                       capture_output=True, text=True, timeout=180)
    if r.returncode != 0:
        PG["dir"] = None
        raise RuntimeError("pg-cluster start failed: %s" % (r.stderr.strip().splitlines() or ["?"])[0])


def psql(sql):
    r = subprocess.run(["psql", "postgresql://postgres@127.0.0.1:%d/postgres" % PG["port"], "-qAtX",
                        "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError("psql %r: %s" % (sql, r.stderr.strip()))


def db_url(backend, name):
    if backend == "sqlite":
        return os.path.join(RUN, "sqlite", name + ".db")
    return "postgresql://postgres@127.0.0.1:%d/scale_%s" % (PG["port"], name)


def db_create(backend, name):
    if backend == "sqlite":
        os.makedirs(os.path.join(RUN, "sqlite"), exist_ok=True)
        for suf in ("", "-wal", "-shm"):
            if os.path.exists(db_url(backend, name) + suf):
                os.remove(db_url(backend, name) + suf)
    else:
        psql("DROP DATABASE IF EXISTS scale_%s" % name)
        psql("CREATE DATABASE scale_%s" % name)


def db_clone(backend, src, dst):
    """A copy of a database (the 20 side tenants are imported once)."""
    if backend == "sqlite":
        db_create(backend, dst)
        a = sqlite3.connect(db_url(backend, src))
        b = sqlite3.connect(db_url(backend, dst))
        a.backup(b)
        b.close()
        a.close()
    else:
        psql("DROP DATABASE IF EXISTS scale_%s" % dst)
        psql("CREATE DATABASE scale_%s TEMPLATE scale_%s" % (dst, src))


# ---- tenants, import -------------------------------------------------------

def tenant_ids(label):
    r = random.Random("tenant-" + label)
    account = "68a0%020x" % r.getrandbits(80)
    stream = "st-%s" % uuid.UUID(int=r.getrandbits(128), version=4)
    return account, stream


def app_create(db, label):
    account, stream = tenant_ids(label)
    r = subprocess.run([BIN, "app", "create", "--account", account, "--stream", stream, "--db", db],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("app create %s: %s" % (label, first_error(r.stderr)))
    creds = json.loads(r.stdout)
    t = subprocess.run([BIN, "token", "--client-id", creds["clientId"], "--db", db],
                       capture_output=True, text=True, timeout=120)
    if t.returncode != 0:
        raise RuntimeError("token %s: %s" % (label, first_error(t.stderr)))
    return {"label": label, "account": account, "stream": stream, "token": t.stdout.strip()}


def first_error(stderr):
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    bad = [l for l in lines if not re.match(r"^\d{4}-\d\d-\d\dT\S+ (info|debug) ", l)
           and "campaigns imported" not in l]
    return (bad or lines or ["(no message)"])[0]


def data_file(n, seed, listmode="pool"):
    """The cached import file for these parameters (generated if missing)."""
    path = os.path.join(DATA, "tenant-n%d-s%d-%s-v%d.json" % (n, seed, listmode, gen.GEN_VERSION))
    if not os.path.exists(path):
        t0 = time.monotonic()
        gen.write_tenant(path, n, seed, listmode)
        log("generated %s (%.1f MB) in %.1f s" % (os.path.basename(path),
                                                   os.path.getsize(path) / 1e6, time.monotonic() - t0))
    return path


def do_import(db, tenant, path, n):
    """campaignd import under /usr/bin/time -v, bounded.  Never raises."""
    tf = os.path.join(RUN, "time-%s.txt" % tenant["label"])
    ef = os.path.join(RUN, "import-%s.err" % tenant["label"])
    argv = ["/usr/bin/time", "-v", "-o", tf, BIN, "import", "--account", tenant["account"],
            "--stream", tenant["stream"], "--db", db, path]
    with open(ef, "w") as err:
        rc, secs = run_bounded(argv, IMPORT_TIMEOUT, stdout=subprocess.DEVNULL, stderr=err)
    res = {"campaigns": n, "file_mb": round(os.path.getsize(path) / 1e6, 1), "secs": round(secs, 3)}
    try:
        with open(tf) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
            if m:
                res["peak_rss_mib"] = round(int(m.group(1)) / 1024.0, 1)
    except OSError:
        pass
    if rc is None:
        res["ok"] = False
        res["error"] = "import timed out after %.0f s (SCALE_IMPORT_TIMEOUT)" % IMPORT_TIMEOUT
    elif rc != 0:
        with open(ef) as f:
            res["ok"] = False
            res["error"] = "import failed: " + first_error(f.read())
    else:
        res["ok"] = True
        res["rate"] = round(n / secs) if secs > 0 else None
    if res["ok"]:
        log("import %s: %d campaigns in %.2f s = %s/s, peak RSS %s MiB" % (
            tenant["label"], n, secs, res["rate"], res.get("peak_rss_mib")))
    else:
        problem("%s %s: %s" % (os.path.basename(db.split("/")[-1]), tenant["label"], res["error"]))
    return res


# ---- server, HTTP ----------------------------------------------------------

class Server:
    def __init__(self, db, tag):
        self.tag = tag
        self.err_path = os.path.join(RUN, "serve-%s.err" % tag)
        self.err = open(self.err_path, "w")
        self.proc = spawn([BIN, "serve", "--listen", "127.0.0.1:0", "--db", db, "--no-access-log",
                           "--log-level", "info"], stdout=self.err, stderr=self.err)
        self.port = None
        t0 = time.monotonic()
        while time.monotonic() - t0 < 120:
            if self.proc.poll() is not None:
                break
            with open(self.err_path) as f:
                m = re.search(r"listening on \S+ \(port (\d+)\)", f.read())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        if self.port is None:
            with open(self.err_path) as f:
                msg = first_error(f.read())
            self.stop()
            raise RuntimeError("serve %s did not start: %s" % (tag, msg))

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """SIGTERM; the server promises to finish requests in flight within
        10 s, so it is killed (and that reported) after 20 s."""
        crashed = self.proc.poll() is not None
        t0 = time.monotonic()
        stop(self.proc, wait=20)
        secs = time.monotonic() - t0
        rc = self.proc.returncode
        self.err.close()
        with open(self.err_path) as f:
            tail = f.read()[-2000:].strip().splitlines()[-1:]
        if crashed:
            problem("serve %s had exited by itself, status %s: %s" % (self.tag, rc, tail))
        elif rc == -signal.SIGKILL:
            problem("serve %s did not exit within 20 s of SIGTERM (README: in-flight requests get "
                    "up to 10 s); killed" % self.tag)
        elif rc != 0:
            problem("serve %s exited with status %s after SIGTERM: %s" % (self.tag, rc, tail))
        elif secs > 12:
            problem("serve %s took %.1f s to exit after SIGTERM" % (self.tag, secs))


class Client:
    """One keep-alive connection with a tenant's headers."""

    def __init__(self, port, tenant=None):
        self.port = port
        self.t = tenant
        self.c = None

    def base(self):
        return "/campaign/api/v2/public/%s/campaign" % self.t["stream"]

    def list_path(self):
        return "%s/getAllCampaignDetails?accountId=%s" % (self.base(), self.t["account"])

    def request(self, method, path, body=None):
        """(status, body bytes, seconds); status 0 on a transport error."""
        h = {}
        if self.t:
            h = {"auth": self.t["token"], "accountid": self.t["account"], "iid": self.t["stream"]}
        if body is not None:
            h["Content-Type"] = "application/json"
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
        t0 = time.perf_counter()
        try:
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQ_TIMEOUT)
            self.c.request(method, path, body=body, headers=h)
            r = self.c.getresponse()
            data = r.read()
            st = r.status
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return 0, str(e).encode(), time.perf_counter() - t0
        return st, data, time.perf_counter() - t0

    def close(self):
        if self.c is not None:
            self.c.close()
            self.c = None


# ---- wrk -------------------------------------------------------------------

UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}


def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m|h)$", text)
    return round(float(m.group(1)) * UNIT[m.group(2)], 3) if m else None


def parse_wrk(out):
    r = {}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    r["rps"] = float(m.group(1)) if m else 0.0
    for p in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % p, out, re.M)
        r["p%s_ms" % p] = ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", out)
    if m:
        r["requests"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"),
                                  (int(x) for x in m.groups()))) if m else {}
    for key, pat in (("non200", "non-200 responses"), ("repeats", "repeats"), ("bodies", "bodies")):
        m = re.search(r"^%s: (\d+)" % pat, out, re.M)
        r[key] = int(m.group(1)) if m else None
    return r


def wrk(url, conns, secs, threads, env_extra, tag):
    env = dict(os.environ)
    env.update({"NTHREADS": str(threads), "COUNT_STATUS": "1"})
    env.update({k: str(v) for k, v in env_extra.items()})
    argv = ["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % max(1, round(secs)),
            "--timeout", "%ds" % max(1, round(REQ_TIMEOUT)), "--latency", "-s", LUA, url]
    outp = os.path.join(RUN, "wrk-%s.txt" % tag)
    with open(outp, "w") as out:
        rc, _ = run_bounded(argv, secs + REQ_TIMEOUT + 120, stdout=out, stderr=subprocess.STDOUT, env=env)
    with open(outp) as f:
        text = f.read()
    r = parse_wrk(text)
    if r["p99_ms"] is not None and r["p99_ms"] >= 900 * secs:
        # wrk records only requests answered before the run ends
        r["capped"] = "p99 near the run's length: slower requests went unanswered and unrecorded"
    if rc != 0 or r["non200"] is None:
        r["error"] = "wrk %s: %s" % ("timed out" if rc is None else "exit %s" % rc,
                                     (text.strip().splitlines() or ["no output"])[-1])
        problem("%s: %s" % (tag, r["error"]))
    if r.get("non200"):
        problem("%s: %d non-200 responses: a broken run" % (tag, r["non200"]))
    errs = sum(r["socket_errors"].values()) if r["socket_errors"] else 0
    if errs:
        r["socket_error_total"] = errs
        problem("%s: socket errors %s" % (tag, r["socket_errors"]))
    return r


def p99s(r):
    """p99 as text; '>=' when the run's length cut the distribution."""
    return (">=%s" if r.get("capped") else "%s") % r.get("p99_ms")


def pct(xs, p):
    xs = sorted(xs)
    return xs[max(0, math.ceil(p * len(xs)) - 1)]


def seq_measure(srv, cl, method, path, body, tag, variants=None, kind="body", secs_=None):
    """Sequential p50/p99 of one request shape.  Without variants the same
    request is repeated (what a cache keyed by the request serves); with
    variants (distinct bodies, or distinct paths when kind is "path") every
    request is a different one and none repeats.  wrk -t1 -c1 when the
    request is fast, so the client costs little; a Python loop, bounded in
    time, when it is too slow for that."""
    rest = []
    if variants:
        # the last few are sent untimed first: they warm the server's
        # connections to the database the way the repeated body warms them
        rest = variants[:-WARMUP]
        for v in variants[-WARMUP:-1]:
            if kind == "path":
                cl.request(method, v, None)
            else:
                cl.request(method, path, v)
        path, body = (variants[-1], None) if kind == "path" else (path, variants[-1])
    st, data, secs = cl.request(method, path, body)
    res = {"bytes": len(data), "distinct": bool(variants)}
    if st == 0:
        res["error"] = "no answer within %.0f s (SCALE_REQ_TIMEOUT): %s" % (
            REQ_TIMEOUT, data[:200].decode("utf-8", "replace"))
        res["timeout"] = True
        problem("%s: %s" % (tag, res["error"]))
        return res
    if st != 200:
        res["error"] = "status %s: %s" % (st, data[:200].decode("utf-8", "replace"))
        res["non200"] = 1
        problem("%s: %s" % (tag, res["error"]))
        return res
    if secs < 0.2 and (rest or not variants):
        extra = {"REQ_METHOD": method, "REQ_PATH": path, "TOKEN": cl.t["token"],
                 "ACCOUNT": cl.t["account"], "STREAM": cl.t["stream"]}
        bf = os.path.join(RUN, "body-%s.txt" % tag)
        if rest:
            with open(bf, "w") as f:
                f.write("\n".join(rest) + "\n")
            extra.update({"BODIES": bf, "MODE": "cold", "STOP_AT_END": "1", "LINE_KIND": kind})
        elif body is not None:
            with open(bf, "w") as f:
                f.write((body if isinstance(body, str) else json.dumps(body)) + "\n")
            extra["BODIES"] = bf
        r = wrk("http://127.0.0.1:%d" % srv.port, 1, secs_ or SHAPE_SECS, 1, extra, tag)
        res.update({"via": "wrk -c1", "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"],
                    "n": r.get("requests"), "non200": r["non200"]})
        if rest:
            res["variants"] = len(variants)
        if (r["p99_ms"] or 0) > 50:  # one connection leaves at most one request behind
            wait_idle(srv)
        return res
    lat = [secs]
    t0 = time.monotonic()
    bad = 0
    min_n = 3 if secs < 5 else 2  # a request of many seconds: two samples
    while (len(lat) < min_n or time.monotonic() - t0 < SHAPE_SECS) and len(lat) < 1000 \
            and time.monotonic() - t0 < SHAPE_SECS + 3 * REQ_TIMEOUT:
        if variants:
            if not rest:
                break
            v = rest.pop(0)
            path, body = (v, None) if kind == "path" else (path, v)
        st, data, secs = cl.request(method, path, body)
        if st != 200:
            bad += 1
            if st == 0:
                break
        lat.append(secs)
    res.update({"via": "sequential python", "p50_ms": round(pct(lat, 0.5) * 1e3, 3),
                "p99_ms": round(pct(lat, 0.99) * 1e3, 3), "n": len(lat), "non200": bad})
    if bad:
        problem("%s: %d non-200 responses" % (tag, bad))
    return res


# ---- nginx, the ceiling ----------------------------------------------------

def nginx_ceiling(payload):
    d = os.path.join(RUN, "nginx")
    os.makedirs(os.path.join(d, "www"), exist_ok=True)
    os.makedirs(os.path.join(d, "logs"), exist_ok=True)
    with open(os.path.join(d, "www", "response.json"), "wb") as f:
        f.write(payload)
    port = freeport()
    user = ""
    if os.geteuid() == 0:
        user = "user %s %s;" % (pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name)
    conf = """daemon off;
master_process on;
worker_processes auto;
%(user)s
pid %(d)s/nginx.pid;
error_log %(d)s/logs/error.log crit;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %(d)s/tmp-body;
    proxy_temp_path %(d)s/tmp-proxy;
    fastcgi_temp_path %(d)s/tmp-fastcgi;
    uwsgi_temp_path %(d)s/tmp-uwsgi;
    scgi_temp_path %(d)s/tmp-scgi;
    default_type application/json;
    keepalive_requests 100000000;
    keepalive_timeout 60s;
    server {
        listen 127.0.0.1:%(port)d;
        root %(d)s/www;
        location / { }
    }
}
""" % {"d": d, "port": port, "user": user}
    cp = os.path.join(d, "nginx.conf")
    with open(cp, "w") as f:
        f.write(conf)
    errf = open(os.path.join(d, "logs", "stderr.log"), "w")
    p = spawn(["nginx", "-p", d, "-c", cp, "-e", os.path.join(d, "logs", "error.log")],
              stdout=errf, stderr=errf)
    res = {"bytes": len(payload), "runs": {}}
    try:
        c = Client(port)
        t0 = time.monotonic()
        st = 0
        while time.monotonic() - t0 < 15 and p.poll() is None:
            st, _, _ = c.request("GET", "/response.json")
            if st == 200:
                break
            time.sleep(0.1)
        c.close()
        if st != 200:
            raise RuntimeError("nginx did not start (see %s)" % d)
        for conns in CONNS:
            r = wrk("http://127.0.0.1:%d" % port, conns, SECS, WRK_THREADS,
                    {"REQ_METHOD": "GET", "REQ_PATH": "/response.json"}, "nginx-c%d" % conns)
            res["runs"][str(conns)] = r
            log("nginx %d B, %d conns: %.0f req/s, p50 %s ms, p99 %s ms" % (
                len(payload), conns, r["rps"], r["p50_ms"], r["p99_ms"]))
        # the floor of the sequential measurements: the same client on one
        # connection to a static file
        r = wrk("http://127.0.0.1:%d" % port, 1, SHAPE_SECS, 1,
                {"REQ_METHOD": "GET", "REQ_PATH": "/response.json"}, "nginx-c1")
        res["seq_floor"] = {"p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"], "n": r.get("requests")}
        log("nginx, 1 connection (the floor of sequential figures): p50 %s ms, p99 %s ms" % (
            r["p50_ms"], r["p99_ms"]))
    finally:
        stop(p, signal.SIGQUIT)
        errf.close()
    return res


# ---- measurements ----------------------------------------------------------

def precheck(srv, tenant, mix_lines, budget, tag):
    """Every mix body once, sequentially (bounded by budget seconds): status
    and response size.  A body that is not answered 200 is a broken run."""
    cl = Client(srv.port, tenant)
    path = cl.list_path()
    sizes, bad, lat = [], [], []
    t0 = time.monotonic()
    median_body = None
    bodies = []
    for i, line in enumerate(mix_lines):
        if time.monotonic() - t0 > budget:
            break
        st, data, secs = cl.request("POST", path, line)
        lat.append(secs)
        if st != 200:
            bad.append({"index": i, "status": st, "body": line,
                        "response": data[:300].decode("utf-8", "replace")})
        else:
            sizes.append(len(data))
            bodies.append(data)
    cl.close()
    res = {"checked": len(lat), "of": len(mix_lines), "non200": len(bad), "secs": round(time.monotonic() - t0, 2)}
    if sizes:
        order = sorted(range(len(sizes)), key=lambda k: sizes[k])
        mid = order[len(order) // 2]
        res["median_bytes"] = sizes[mid]
        median_body = bodies[mid]
        res["mean_ms"] = round(sum(lat) / len(lat) * 1e3, 2)
    if bad:
        res["bad"] = bad[:10]
        problem("%s: %d of %d mix bodies not answered 200, e.g. #%d -> %s %s" % (
            tag, len(bad), len(lat), bad[0]["index"], bad[0]["status"], bad[0]["response"][:160]))
    log("%s: pre-check %d of %d bodies in %.1f s, %d not 200, median response %s B" % (
        tag, len(lat), len(mix_lines), res["secs"], len(bad), res.get("median_bytes")))
    if len(lat) < len(mix_lines):
        log("%s: pre-check stopped after %d of %d bodies (SCALE_CHECK_SECS=%g)" % (
            tag, len(lat), len(mix_lines), budget))
    return res, median_body


def run_mixes(srv, tenant, files, tag):
    url = "http://127.0.0.1:%d" % srv.port
    base = {"TOKEN": tenant["token"], "ACCOUNT": tenant["account"], "STREAM": tenant["stream"]}
    out = {"mix": {}, "cold": {}}
    for conns in CONNS:
        r = wrk(url, conns, SECS, WRK_THREADS, dict(base, BODIES=files["mix"], MODE="cycle"),
                "%s-mix-c%d" % (tag, conns))
        out["mix"][str(conns)] = r
        log("%s mix  %3d conns: %8.0f req/s  p50 %8s ms  p99 %8s ms  non-200 %s" % (
            tag, conns, r["rps"], r["p50_ms"], p99s(r), r["non200"]))
        wait_idle(srv)
    for k, conns in enumerate(CONNS):
        r = wrk(url, conns, SECS, WRK_THREADS,
                dict(base, BODIES=files["cold"], MODE="cold", PART=k, PARTS=len(CONNS)),
                "%s-cold-c%d" % (tag, conns))
        out["cold"][str(conns)] = r
        log("%s cold %3d conns: %8.0f req/s  p50 %8s ms  p99 %8s ms  non-200 %s  repeats %s" % (
            tag, conns, r["rps"], r["p50_ms"], p99s(r), r["non200"], r["repeats"]))
        if r.get("repeats"):
            problem("%s: the cold mix repeated %d bodies (raise SCALE_COLD_N)" % (tag, r["repeats"]))
        wait_idle(srv)
    return out


VARIANTS = {}
WARMUP = 4  # untimed variants sent before each distinct run


def run_shapes(runs):
    """Each shape twice: distinct bodies of the shape (none repeats, so no
    cache can answer), then its one body repeated.  runs is a list of
    (server, tenant, tag); with several, they take turns shape by shape, so
    that what they are compared on was measured at the same moment."""
    clients = [Client(srv.port, t) for srv, t, _ in runs]
    outs = [{} for _ in runs]
    for name, body in gen.shapes().items():
        if name not in VARIANTS:
            VARIANTS[name] = list(gen.shape_variants(name, SHAPE_VARIANTS))
        for (srv, _, tag), cl, out in zip(runs, clients, outs):
            d = seq_measure(srv, cl, "POST", cl.list_path(), None, "%s-%s-distinct" % (tag, name),
                            variants=VARIANTS[name])
            out[name] = {"distinct": d}
        for (srv, _, tag), cl, out in zip(runs, clients, outs):
            r = seq_measure(srv, cl, "POST", cl.list_path(), json.dumps(body), "%s-%s" % (tag, name),
                            secs_=REPEAT_SECS)
            out[name]["repeated"] = r
            d = out[name]["distinct"]
            log("%s shape %-20s distinct p50 %7s p99 %7s ms (%s, n=%s) | repeated p50 %7s p99 %7s ms" % (
                tag, name, d.get("p50_ms"), d.get("p99_ms"), d.get("via"), d.get("n"),
                r.get("p50_ms"), r.get("p99_ms")))
    for cl in clients:
        cl.close()
    return outs


DS = {"callerId": {"phoneNumber": "+14155550100"},
      "callingHours": {"frequency": "WEEKLY", "timezone": "Asia/Kolkata",
                       "days": [{"day": "MO", "start": "9:00 AM", "end": "6:00 PM"}]},
      "dialingOrder": "FIFO", "maxAttemptsPerRecord": 3, "defaultRetryPeriod": 10, "maxRingTime": 30}


def contacts_setup(srv, tenant):
    """A list of CONTACTS contacts (add-contacts in batches of 1000) and a
    started voice campaign whose run holds them.  Bounded by SETUP_SECS."""
    cl = Client(srv.port, tenant)
    B = cl.base()
    A = tenant["account"]
    t0 = time.monotonic()

    def must(st, data, what, ok=(200, 201)):
        if st not in ok:
            raise RuntimeError("%s: status %s %s" % (what, st, data[:200].decode("utf-8", "replace")))
        return json.loads(data)

    lists = {}
    for name in ("Bench contacts", "Bench DNC"):
        st, data, _ = cl.request("POST", "%s/contactList/createContactList?accountId=%s" % (B, A),
                                 {"name": name, "description": "bench/scale", "source": "passiveApi"})
        lists[name] = must(st, data, "create list %s" % name)["data"]["_id"]
    batch = 1000
    added = 0
    add_secs = 0.0
    for start in range(0, CONTACTS, batch):
        if time.monotonic() - t0 > SETUP_SECS:
            raise RuntimeError("setup exceeded %.0f s after %d contacts (SCALE_SETUP_SECS)" % (SETUP_SECS, added))
        data = [{"phoneNumber": "+1%010d" % (2000000000 + i)} for i in range(start, min(CONTACTS, start + batch))]
        st, resp, secs = cl.request("POST", "%s/contactList/addContacts" % B,
                                    {"contact_list_name": "Bench contacts", "data": data})
        must(st, resp, "addContacts at %d" % start)
        added += len(data)
        add_secs += secs
    st, resp, _ = cl.request("POST", "%s/contactList/addContacts" % B,
                             {"contact_list_name": "Bench DNC", "data": [{"phoneNumber": "+19999999999"}]})
    must(st, resp, "addContacts DNC")
    st, resp, _ = cl.request("POST", "%s?accountId=%s&campaignType=voice" % (B, A), {
        "name": "Bench voice run", "campaignType": "voice", "contactLists": ["Bench contacts"],
        "dncLists": {"name": "Bench DNC"}, "priority": "5", "dialingStrategy": DS,
        "dialingMode": "Progressive", "queue_name": "Default Queue"})
    cid = must(st, resp, "create voice campaign")["data"]["id"]
    st, resp, play_secs = cl.request("POST", "%s/trigger/%s?accountId=%s&campaignType=voice&trigger=play" % (B, cid, A), {})
    must(st, resp, "trigger play", ok=(200,))
    st, resp, _ = cl.request("POST", "%s/%s/status?accountId=%s&view=contacts" % (B, cid, A),
                             {"page": 1, "limit": 1})
    in_run = must(st, resp, "contacts view", ok=(200,))["data"]["totalResults"]
    if in_run != added:
        raise RuntimeError("the run holds %s contacts, %d were added" % (in_run, added))
    cl.close()
    return {"list_id": lists["Bench contacts"], "campaign_id": cid, "contacts": added,
            "add_contacts_per_s": round(added / add_secs) if add_secs else None,
            "play_secs": round(play_secs, 3), "secs": round(time.monotonic() - t0, 1)}


def other_listings(backend, results):
    """Get All Contact Lists at 1k and 10k lists, Get Contacts and the
    contacts view, first and last page, on 100k contacts."""
    out = results.setdefault("other", {})
    imp = results["imports"]
    name = "other"
    db_create(backend, name)
    db = db_url(backend, name)
    tenants = {}
    for n in sorted({1000, LISTS}):
        t = app_create(db, "lists%d" % n)
        r = do_import(db, t, data_file(n, 3, "unique"), n)
        imp["lists%d" % n] = r
        if r["ok"]:
            tenants[n] = t
    ct = app_create(db, "contacts")
    srv = Server(db, "%s-other" % backend)
    try:
        try:
            setup = contacts_setup(srv, ct)
            out["contacts_setup"] = setup
            log("%s contacts setup: %d contacts in %.1f s, play %.2f s" % (
                backend, setup["contacts"], setup["secs"], setup["play_secs"]))
        except (RuntimeError, KeyError, ValueError) as e:
            out["contacts_setup"] = {"error": str(e)}
            problem("%s contacts setup: %s" % (backend, e))
            setup = None
        if setup:
            cl = Client(srv.port, ct)
            last = max(1, math.ceil(CONTACTS / 100))
            A = ct["account"]
            lp = "%s/contactList/%s/getAllContacts?accountId=%s" % (cl.base(), setup["list_id"], A)
            vp = "%s/%s/status?accountId=%s&view=contacts" % (cl.base(), setup["campaign_id"], A)
            for which, page in (("first", 1), ("last", last)):
                # distinct requests of the page: Get Contacts moves its offset
                # by up to 499 rows (within the first or the last 600), the
                # contacts view takes pages 1-3 or the last 3 pages of sizes
                # 51..100
                if which == "first":
                    paths = ["%s&limit=100&skip=%d" % (lp, k) for k in range(500)]
                    bodies = [json.dumps({"page": p, "limit": l}) for p in (1, 2, 3) for l in range(100, 50, -1)]
                else:
                    paths = ["%s&limit=100&skip=%d" % (lp, max(0, CONTACTS - 100 - k)) for k in range(500)]
                    bodies = [json.dumps({"page": max(1, math.ceil(CONTACTS / l) - p), "limit": l})
                              for p in (0, 1, 2) for l in range(100, 50, -1)]
                tag = "%s-contacts-%s" % (backend, which)
                d = seq_measure(srv, cl, "GET", lp, None, tag + "-distinct", variants=paths, kind="path")
                r = seq_measure(srv, cl, "GET", "%s&limit=100&page=%d" % (lp, page), None, tag)
                out["get_contacts_%s" % which] = {"distinct": d, "repeated": r}
                tag = "%s-view-%s" % (backend, which)
                d2 = seq_measure(srv, cl, "POST", vp, None, tag + "-distinct", variants=bodies)
                r2 = seq_measure(srv, cl, "POST", vp, json.dumps({"page": page, "limit": 100}), tag)
                out["contacts_view_%s" % which] = {"distinct": d2, "repeated": r2}
                log("%s %s page: Get Contacts p50/p99 %s/%s ms distinct, %s/%s repeated; "
                    "contacts view %s/%s distinct, %s/%s repeated" % (
                        backend, which, d.get("p50_ms"), d.get("p99_ms"), r.get("p50_ms"), r.get("p99_ms"),
                        d2.get("p50_ms"), d2.get("p99_ms"), r2.get("p50_ms"), r2.get("p99_ms")))
            cl.close()
        for n, t in sorted(tenants.items()):
            cl = Client(srv.port, t)
            path = "%s/contactList/getAllListDetails?accountId=%s&type=call" % (cl.base(), t["account"])
            r = seq_measure(srv, cl, "POST", path, "{}", "%s-lists%d" % (backend, n))
            cl.close()
            r["lists"] = n
            out["all_lists_%d" % n] = r
            log("%s Get All Contact Lists, %d lists: p50 %s ms p99 %s ms (%s B)" % (
                backend, n, r.get("p50_ms"), r.get("p99_ms"), r.get("bytes")))
    finally:
        srv.stop()


def measure_backend(backend, files, mix_lines, state):
    res = {"imports": {}, "sizes": {}, "errors": []}
    state["results"]["backends"][backend] = res
    imp = res["imports"]
    if backend == "postgresql":
        pg_start()
        log("postgresql cluster on 127.0.0.1:%d" % PG["port"])
    # the 20 side tenants, imported once, copied under every size
    db_create(backend, "base")
    base = db_url(backend, "base")
    side = {"tenants": SIDE_N, "each": SIDE_SIZE, "runs": []}
    t_side = time.monotonic()
    for k in range(SIDE_N):
        if time.monotonic() - t_side > SIDE_BUDGET:
            side["stopped"] = "budget of %.0f s spent after %d of %d side tenants (SCALE_SIDE_BUDGET)" % (
                SIDE_BUDGET, k, SIDE_N)
            problem("%s: %s" % (backend, side["stopped"]))
            break
        t = app_create(base, "side%02d" % k)
        side["runs"].append(do_import(base, t, data_file(SIDE_SIZE, 100 + k), SIDE_SIZE))
    ok = [r for r in side["runs"] if r["ok"]]
    side["ok"] = len(ok)
    if ok:
        side["rate"] = round(sum(r["campaigns"] for r in ok) / sum(r["secs"] for r in ok))
        side["peak_rss_mib"] = max(r.get("peak_rss_mib", 0) for r in ok)
    imp["side"] = side
    # the small tenant alone in a fresh database; measured beside the
    # largest tenant's server, shape by shape, so both see the same moment
    db_create(backend, "alone")
    alone_db = db_url(backend, "alone")
    alone_t = app_create(alone_db, "small%d" % SMALL)
    imp["small_alone"] = do_import(alone_db, alone_t, data_file(SMALL, 2), SMALL)
    big = max(SIZES)
    for size in SIZES:
        name = "s%d" % size
        db_clone(backend, "base", name)
        db = db_url(backend, name)
        t = app_create(db, "big%d" % size)
        r = do_import(db, t, data_file(size, 1), size)
        imp[str(size)] = r
        small = None
        if size == big:
            small = app_create(db, "small%d" % SMALL)
            imp["small_beside"] = do_import(db, small, data_file(SMALL, 2), SMALL)
            if not imp["small_beside"]["ok"]:
                small = None
        sres = {"import_ok": r["ok"]}
        res["sizes"][str(size)] = sres
        if not r["ok"] and small is None and size != big:
            sres["skipped"] = r["error"]
            continue
        srv = Server(db, "%s-%s" % (backend, name))
        alone = None
        try:
            tag = "%s-%s" % (backend, name)
            if r["ok"]:
                sres["precheck"], median = precheck(srv, t, mix_lines, CHECK_SECS, tag)
                if median is not None and (state["median_body"] is None or
                                           abs(size - REF_SIZE) < abs(state["median_from"] - REF_SIZE)):
                    state["median_body"], state["median_from"] = median, size
                sres.update(run_mixes(srv, t, files, tag))
                if size == big:
                    sres["rss_after_mixes"] = rss(srv.pid)
                sres["shapes"] = run_shapes([(srv, t, tag)])[0]
            else:
                sres["skipped"] = r["error"]
            if size == big:
                runs = []
                if small is not None:
                    runs.append((srv, small, "%s-small-beside" % backend))
                if imp["small_alone"]["ok"]:
                    alone = Server(alone_db, "%s-alone" % backend)
                    runs.append((alone, alone_t, "%s-small-alone" % backend))
                outs = run_shapes(runs)
                if small is not None:
                    res["small_beside"] = {"host": size, "host_ok": r["ok"], "shapes": outs.pop(0)}
                if alone is not None:
                    res["small_alone"] = {"shapes": outs.pop(0)}
                    # validity of a sample of the cold mix, on this separate
                    # server so the measured ones never see these bodies early
                    sample = sample_lines(files["cold"], 200)
                    res["small_alone"]["cold_check"], _ = precheck(alone, alone_t, sample, CHECK_SECS,
                                                                   "%s-cold-sample" % backend)
                sres["rss_end"] = rss(srv.pid)
                log("%s serve RSS with %d: %s" % (backend, size, sres["rss_end"]))
        finally:
            srv.stop()
            if alone is not None:
                alone.stop()
    other_listings(backend, res)
    if backend == "postgresql":
        subprocess.run([PG_CLUSTER, "stop", PG["dir"]], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=90)
        PG["dir"] = None


def sample_lines(path, n):
    with open(path) as f:
        lines = f.read().splitlines()
    step = max(1, len(lines) // n)
    return lines[::step][:n]


# ---- targets and the table ---------------------------------------------------

def g(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def evaluate(R):
    T = []

    def add(target, backend, figure, limit, ok, note=""):
        T.append({"target": target, "backend": backend, "figure": figure, "limit": limit,
                  "status": "n/a" if ok is None else ("met" if ok else "missed"), "note": note})

    sizes = sorted(SIZES)
    ref = min(sizes, key=lambda s: abs(s - REF_SIZE))
    big, small = sizes[-1], sizes[0]
    refnote = "" if ref == REF_SIZE else "measured on %d (100k not run)" % ref
    bignote = "" if big == 1000000 else "measured on %d (1M not run)" % big
    ngx = g(R, "nginx", "runs") or {}
    mid = str(CONNS[len(CONNS) // 2]) if 64 not in CONNS else "64"
    for b, BR in R["backends"].items():
        S = BR.get("sizes", {})
        imp = BR.get("imports", {})
        rs = S.get(str(ref), {})
        why = g(imp, str(ref), "error") or ""
        for kind, lim, label in (("mix", 0.5, "mix req/s / nginx"), ("cold", 0.1, "cold mix req/s / nginx")):
            ratios = []
            for c in CONNS:
                a, n = g(rs, kind, str(c), "rps"), g(ngx, str(c), "rps")
                if a is not None and n:
                    ratios.append((a / n, c))
            if ratios:
                v, c = min(ratios)
                add("%s, %s tenant (worst of %s conns)" % (label, ref, "/".join(map(str, CONNS))), b,
                    "%.4f (at %d conns)" % (v, c), ">= %.2f" % lim, v >= lim, refnote)
            else:
                add("%s, %s tenant" % (label, ref), b, "-", ">= %.2f" % lim, False if why else None, why)
        p99 = g(rs, "mix", mid, "p99_ms")
        add("mix p99 at %s conns, %s tenant" % (mid, ref), b,
            "%s ms" % p99s(rs["mix"][mid]) if p99 is not None else "-",
            "<= 10 ms", (p99 <= 10) if p99 is not None else (False if why else None),
            refnote if p99 is not None else why)
        # flat cost
        if big != small:
            worst = worst_ratio(g(S, str(big), "shapes"), g(S, str(small), "shapes"), "p99_ms")
            w50 = worst_ratio(g(S, str(big), "shapes"), g(S, str(small), "shapes"), "p50_ms")
            wr = worst_ratio(g(S, str(big), "shapes"), g(S, str(small), "shapes"), "p99_ms", "repeated")
            if worst:
                add("flat cost: p99 at %d / at %d, distinct bodies, worst shape" % (big, small), b,
                    "%.2f (%s)" % worst, "<= 2.0", worst[0] <= 2.0,
                    ("%s; worst p50 ratio %.2f (%s); repeated body: worst p99 ratio %s" % (
                        (bignote,) + w50 + ("%.2f (%s)" % wr if wr else "-",))).lstrip("; "))
            else:
                add("flat cost: p99 at %d / at %d" % (big, small), b, "-", "<= 2.0",
                    False if g(imp, str(big), "error") else None, g(imp, str(big), "error") or "")
        else:
            add("flat cost: p99 at 1M / at 10k", b, "-", "<= 2.0", None, "needs two sizes")
        worst = worst_ratio(g(BR, "small_beside", "shapes"), g(BR, "small_alone", "shapes"), "p99_ms")
        w50 = worst_ratio(g(BR, "small_beside", "shapes"), g(BR, "small_alone", "shapes"), "p50_ms")
        wr = worst_ratio(g(BR, "small_beside", "shapes"), g(BR, "small_alone", "shapes"), "p99_ms",
                         "repeated")
        host_ok = g(BR, "small_beside", "host_ok")
        note = bignote if host_ok else ("host tenant not loaded: %s" % (g(imp, str(big), "error") or "?"))
        if w50:
            note = ("%s; worst p50 ratio %.2f (%s); repeated body: worst p99 ratio %s" % (
                (note,) + w50 + ("%.2f (%s)" % wr if wr else "-",))).lstrip("; ")
        add("%d tenant beside %d / alone, p99, distinct bodies, worst shape" % (SMALL, big), b,
            "%.2f (%s)" % worst if worst else "-", "<= 1.1",
            (worst[0] <= 1.1 and bool(host_ok)) if worst else None, note)
        lim = 200000 if b == "sqlite" else 100000
        ib = imp.get(str(big), {})
        if ib.get("ok"):
            add("import rate, %d campaigns" % big, b, "%d /s" % ib["rate"], ">= %d /s" % lim,
                ib["rate"] >= lim, bignote)
        else:
            add("import rate, %d campaigns" % big, b, "-", ">= %d /s" % lim, False if ib else None,
                ib.get("error", "not run"))
        pr = ib.get("peak_rss_mib")
        add("import peak RSS, %d campaigns" % big, b, "%s MiB" % pr if pr is not None else "-",
            "< %d MiB" % RSS_LIMIT_MIB, (pr < RSS_LIMIT_MIB and ib.get("ok", False)) if pr is not None else None,
            (bignote + " " + ("" if ib.get("ok") else ib.get("error", ""))).strip())
        hwm = g(S, str(big), "rss_end", "VmHWM_mib")
        if hwm is not None and ib.get("ok"):
            add("serve RSS (VmHWM) under load with %d" % big, b, "%s MiB" % hwm, "<= %d MiB" % RSS_LIMIT_MIB,
                hwm <= RSS_LIMIT_MIB,
                ("%s; VmRSS %s MiB" % (bignote, g(S, str(big), "rss_end", "VmRSS_mib"))).lstrip("; "))
        else:
            add("serve RSS (VmHWM) under load with %d" % big, b, "-", "<= %d MiB" % RSS_LIMIT_MIB,
                False if ib.get("error") else None, ib.get("error", "not run"))
        O = BR.get("other", {})
        for key, label in (("get_contacts", "Get Contacts"), ("contacts_view", "contacts view")):
            f, l = g(O, key + "_first", "distinct", "p99_ms"), g(O, key + "_last", "distinct", "p99_ms")
            rf, rl = g(O, key + "_first", "repeated", "p99_ms"), g(O, key + "_last", "repeated", "p99_ms")
            if f and l is not None:
                add("%s last/first page p99, distinct requests, %d contacts" % (label, CONTACTS), b,
                    "%.2f" % (l / f), "<= 2.0", l / f <= 2.0,
                    "first %s ms, last %s ms; repeated request: first %s ms, last %s ms" % (f, l, rf, rl))
            else:
                err = (g(O, "contacts_setup", "error") or g(O, key + "_first", "distinct", "error") or
                       g(O, key + "_last", "distinct", "error"))
                add("%s last/first page p99" % label, b, "-", "<= 2.0", False if err else None, err or "")
        a, s0 = g(O, "all_lists_%d" % LISTS, "p50_ms"), g(O, "all_lists_1000", "p50_ms")
        if a and s0 and LISTS != 1000:
            v = (a / LISTS) / (s0 / 1000)
            add("Get All Contact Lists cost per list, %d / 1000 lists (p50)" % LISTS, b, "%.2f" % v,
                "<= 2.0", v <= 2.0, "%d lists: p50 %s ms, p99 %s ms" % (LISTS, a, g(O, "all_lists_%d" % LISTS, "p99_ms")))
        else:
            err = (g(O, "all_lists_%d" % LISTS, "error") or g(O, "all_lists_1000", "error") or
                   g(imp, "lists%d" % LISTS, "error"))
            add("Get All Contact Lists cost per list, %d / 1000 lists" % LISTS, b, "-", "<= 2.0",
                False if err else None, err or "")
    if "sqlite" in R["backends"] and "postgresql" in R["backends"]:
        ratios = []
        for c in CONNS:
            p = g(R, "backends", "postgresql", "sizes", str(ref), "mix", str(c), "rps")
            s = g(R, "backends", "sqlite", "sizes", str(ref), "mix", str(c), "rps")
            if p is not None and s:
                ratios.append((p / s, c))
        if ratios:
            v, c = min(ratios)
            add("PostgreSQL mix / SQLite mix, %d tenant (worst conns)" % ref, "both",
                "%.3f (at %d conns)" % (v, c), ">= 0.50", v >= 0.5, refnote)
        else:
            add("PostgreSQL mix / SQLite mix, %d tenant" % ref, "both", "-", ">= 0.50", False,
                g(R, "backends", "postgresql", "imports", str(ref), "error") or "no PostgreSQL figure")
    n_bad = count_non200(R)
    add("every response 200 (mixes, shapes, listings)", "all", str(n_bad), "0", n_bad == 0,
        "see PROBLEMS" if n_bad else "")
    return T


def worst_ratio(a, b, key, run="distinct"):
    """(largest a/b over the shapes both have, that shape) or None."""
    worst = None
    for shape, ra in (a or {}).items():
        x, y = g(ra, run, key), g(b, shape, run, key)
        if x is not None and y:
            if worst is None or x / y > worst[0]:
                worst = (x / y, shape)
    return worst


def count_non200(d):
    n = 0
    if isinstance(d, dict):
        for k, v in d.items():
            if k == "non200" and isinstance(v, int):
                n += v
            elif k != "bad":
                n += count_non200(v)
    elif isinstance(d, list):
        for v in d:
            n += count_non200(v)
    return n


def table(rows, headers):
    w = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
         for i, h in enumerate(headers)]
    line = "  ".join("%-*s" % (w[i], h) for i, h in enumerate(headers))
    out = [line, "  ".join("-" * x for x in w)]
    for r in rows:
        out.append("  ".join("%-*s" % (w[i], r[i]) for i in range(len(headers))))
    return "\n".join(out)


def report(R):
    parts = []
    ngx = g(R, "nginx", "runs") or {}
    rows = []
    for c in CONNS:
        n = ngx.get(str(c), {})
        rows.append(["nginx %s B" % g(R, "nginx", "bytes"), "-", c, "%.0f" % n.get("rps", 0),
                     n.get("p50_ms"), n.get("p99_ms"), n.get("non200"), "1.000"])
    for b, BR in R["backends"].items():
        for size, S in sorted(BR.get("sizes", {}).items(), key=lambda x: int(x[0])):
            for kind in ("mix", "cold"):
                for c in CONNS:
                    r = g(S, kind, str(c))
                    if not r:
                        continue
                    n = g(ngx, str(c), "rps")
                    rows.append(["%s %s" % (b, kind), size, c, "%.0f" % r["rps"], r["p50_ms"], p99s(r),
                                 r["non200"], "%.4f" % (r["rps"] / n) if n else "-"])
    floor = g(R, "nginx", "seq_floor") or {}
    parts.append("== throughput (wrk, %d threads, %g s each)\n" % (WRK_THREADS, SECS) +
                 table(rows, ["run", "tenant", "conns", "req/s", "p50 ms", "p99 ms", "non-200", "/nginx"]) +
                 "\nsequential floor (nginx, the same client, 1 connection): p50 %s ms, p99 %s ms; "
                 "sequential p99s near it measure this machine's jitter more than the server" % (
                     floor.get("p50_ms"), floor.get("p99_ms")))
    if "sqlite" in R["backends"] and "postgresql" in R["backends"]:
        rows = []
        for size in SIZES:
            for c in CONNS:
                p = g(R, "backends", "postgresql", "sizes", str(size), "mix", str(c), "rps")
                s = g(R, "backends", "sqlite", "sizes", str(size), "mix", str(c), "rps")
                rows.append([size, c, "%.0f" % s if s is not None else "-", "%.0f" % p if p is not None else "-",
                             "%.3f" % (p / s) if p is not None and s else "-"])
        parts.append("== PostgreSQL / SQLite, the mix\n" +
                     table(rows, ["tenant", "conns", "sqlite req/s", "pg req/s", "pg/sqlite"]))
    for b, BR in R["backends"].items():
        cols = [str(s) for s in sorted(SIZES)]
        names = list(gen.shapes().keys())
        for run, title in (("distinct", "distinct bodies of each shape, none repeated"),
                           ("repeated", "the shape's one body repeated")):
            rows = []
            for name in names:
                row = [name]
                for s in cols:
                    r = g(BR, "sizes", s, "shapes", name, run)
                    row.append("%s / %s" % (r.get("p50_ms"), r.get("p99_ms")) if r else "-")
                for k in ("small_alone", "small_beside"):
                    r = g(BR, k, "shapes", name, run)
                    row.append("%s / %s" % (r.get("p50_ms"), r.get("p99_ms")) if r else "-")
                rows.append(row)
            parts.append("== %s: sequential p50 / p99 ms per query shape: %s\n" % (b, title) +
                         table(rows, ["shape"] + cols + ["%d alone" % SMALL,
                                                         "%d beside %d" % (SMALL, max(SIZES))]))
        O = BR.get("other", {})
        rows = []
        for key, label in (("get_contacts", "Get Contacts"), ("contacts_view", "contacts view")):
            for which in ("first", "last"):
                row = ["%s, %s page" % (label, which)]
                for run in ("distinct", "repeated"):
                    r = g(O, "%s_%s" % (key, which), run) or {}
                    row.append("%s / %s" % (r.get("p50_ms"), r.get("p99_ms")) if r else "-")
                rows.append(row)
        for n in sorted({1000, LISTS}):
            r = g(O, "all_lists_%d" % n) or {}
            rows.append(["Get All Contact Lists, %d lists" % n, "-",
                         "%s / %s" % (r.get("p50_ms"), r.get("p99_ms")) if r else "-"])
        parts.append("== %s: other listings, sequential p50 / p99 ms (%d contacts)\n" % (b, CONTACTS) +
                     table(rows, ["listing", "distinct requests", "one request repeated"]))
        rows = []
        for k, r in BR.get("imports", {}).items():
            if k == "side":
                rows.append(["%dx%d side" % (r["tenants"], r["each"]), r["tenants"] * r["each"],
                             round(sum(x["secs"] for x in r["runs"]), 2), r.get("rate", "-"),
                             r.get("peak_rss_mib", "-"),
                             "; ".join(x for x in (
                                 r.get("stopped", ""),
                                 "" if r["ok"] == len(r["runs"]) else "%d failed: %s" % (
                                     len(r["runs"]) - r["ok"],
                                     next(x["error"] for x in r["runs"] if not x["ok"]))) if x)])
            else:
                rows.append([k, r["campaigns"], r["secs"], r.get("rate", "-"), r.get("peak_rss_mib", "-"),
                             r.get("error", "")])
        for row in rows:
            row[-1] = str(row[-1]).replace(WORK, "$SCALE_WORK")
        parts.append("== %s: imports\n" % b +
                     table(rows, ["tenant", "campaigns", "secs", "campaigns/s", "peak RSS MiB", "error"]))
    parts.append("durations: " + ", ".join("%s %s s" % (b, BR.get("secs")) for b, BR in R["backends"].items()))
    T = R["targets"]
    def short(note):
        note = note.replace(WORK, "$SCALE_WORK")
        return note if len(note) <= 100 else note[:97] + "..."
    parts.append("== targets of issue 7\n" + table(
        [[t["target"], t["backend"], t["figure"], t["limit"], t["status"], short(t["note"])] for t in T],
        ["target", "backend", "figure", "limit", "status", "note"]))
    met = sum(t["status"] == "met" for t in T)
    missed = sum(t["status"] == "missed" for t in T)
    parts.append("%d met, %d missed, %d n/a" % (met, missed, len(T) - met - missed))
    if PROBLEMS:
        parts.append("== PROBLEMS (%d)\n" % len(PROBLEMS) + "\n".join("!!! " + p for p in PROBLEMS[:60]))
    return "\n\n".join(parts)


# ---- main ------------------------------------------------------------------

def main():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    for b in BACKENDS:
        if b not in ("sqlite", "postgresql"):
            sys.exit("SCALE_BACKENDS: unknown back end %r" % b)
    if not os.access(BIN, os.X_OK):
        sys.exit("%s missing: run make campaignd" % BIN)
    os.makedirs(DATA, exist_ok=True)
    # one run per work directory: a second one would delete the first's databases
    lock = open(os.path.join(WORK, "lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit("another bench-scale run is using %s (set SCALE_WORK to run beside it)" % WORK)
    shutil.rmtree(RUN, ignore_errors=True)
    os.makedirs(RUN)
    os.chmod(WORK, 0o755)
    t_start = time.time()
    R = {"issue": 7, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t_start)),
         "config": {"sizes": SIZES, "secs": SECS, "shape_secs": SHAPE_SECS, "backends": BACKENDS,
                    "work": WORK, "conns": CONNS, "wrk_threads": WRK_THREADS,
                    "import_timeout": IMPORT_TIMEOUT, "side": [SIDE_N, SIDE_SIZE], "small": SMALL,
                    "mix_n": MIX_N, "cold_n": COLD_N, "contacts": CONTACTS, "lists": LISTS,
                    "req_timeout": REQ_TIMEOUT},
         "machine": {"nproc": os.cpu_count()}, "backends": {}, "nginx": None}
    try:
        R["machine"]["git"] = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    state = {"results": R, "median_body": None, "median_from": 0}
    out_dir = os.path.join(HERE, "results")
    os.makedirs(out_dir, exist_ok=True)
    out_path = os.path.join(out_dir, "scale-%s.json" % time.strftime("%Y%m%d-%H%M%S", time.localtime(t_start)))
    try:
        # data first (cached between runs)
        mix = os.path.join(DATA, "mix-n%d-v%d.txt" % (MIX_N, gen.GEN_VERSION))
        cold = os.path.join(DATA, "cold-n%d-v%d.txt" % (COLD_N, gen.GEN_VERSION))
        if not os.path.exists(mix):
            gen.write_bodies(mix, MIX_N, 1)
        if not os.path.exists(cold):
            t0 = time.monotonic()
            gen.write_bodies(cold, COLD_N, 2, first_documented=False, exclude=gen.body_keys(MIX_N, 1))
            log("generated %d cold bodies in %.1f s" % (COLD_N, time.monotonic() - t0))
        files = {"mix": mix, "cold": cold}
        with open(mix) as f:
            mix_lines = f.read().splitlines()
        for s in SIZES:
            data_file(s, 1)
        log("sizes %s, back ends %s, %g s per load, %g s per shape, work dir %s" % (
            SIZES, BACKENDS, SECS, SHAPE_SECS, WORK))
        for b in BACKENDS:
            t0 = time.monotonic()
            try:
                measure_backend(b, files, mix_lines, state)
            except Exception as e:  # noqa: BLE001 - the other back end still runs
                problem("%s: %r" % (b, e))
                R["backends"].setdefault(b, {}).setdefault("errors", []).append(str(e))
            R["backends"][b]["secs"] = round(time.monotonic() - t0, 1)
            log("%s done in %.0f s" % (b, time.monotonic() - t0))
            if R["nginx"] is None and state["median_body"] is not None:
                R["nginx"] = nginx_ceiling(state["median_body"])
                R["nginx"]["median_of_tenant"] = state["median_from"]
        if R["nginx"] is None:
            problem("no mix response was measured: nginx serves a 16,700-byte file instead")
            R["nginx"] = nginx_ceiling(b"{" + b" " * 16698 + b"}")
    except KeyboardInterrupt as e:
        problem("interrupted (%s)" % e)
        R["interrupted"] = True
    finally:
        cleanup()
        R["duration_s"] = round(time.time() - t_start, 1)
        try:
            R["targets"] = evaluate(R)
        except Exception as e:  # the JSON is still written
            R["targets"] = []
            problem("evaluating targets: %r" % e)
        R["problems"] = PROBLEMS
        text = report(R)
        with open(out_path, "w") as f:
            json.dump(R, f, indent=1)
        shutil.copy(out_path, os.path.join(WORK, "results.json"))
        print()
        print(text)
        print()
        print("results: %s (also %s); %.0f s in all" % (out_path, os.path.join(WORK, "results.json"),
                                                        R["duration_s"]))
    return 1 if R.get("interrupted") else 0


if __name__ == "__main__":
    sys.exit(main())
