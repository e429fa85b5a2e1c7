"""Running under systemd (issue 11): Type=notify's READY=1 and STOPPING=1
through a real NOTIFY_SOCKET that the test listens on, SIGHUP reopening
--log-file after a rotation, and the unit's exposure score as
`systemd-analyze security` rates it."""
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from conftest import BIN, child_env, db_target

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "deploy/systemd/campaignd.service"


def serve(tmp_path, *args, env=None):
    err = open(tmp_path / "serve.stderr", "wb")
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--drain-s", "0",
                             "--db", db_target(tmp_path / "s.db"), *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                            env=child_env(env), cwd=str(tmp_path))
    return proc


def port_of(text_fn, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(r"listening on \S+ \(port (\d+)\)", text_fn())
        if m:
            return int(m.group(1))
        time.sleep(0.05)
    raise AssertionError("no port: " + text_fn())


def test_notify_ready_then_stopping(tmp_path):
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(30)
    proc = serve(tmp_path, env={"NOTIFY_SOCKET": path})
    try:
        ready = sock.recv(4096).decode()
        assert ready.splitlines()[0] == "READY=1", ready
        port = int(re.search(r"STATUS=serving on port (\d+)", ready).group(1))
        # READY comes once the API answers
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert sock.recv(4096).decode() == "STOPPING=1"
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        sock.close()


def test_sighup_reopens_the_log_file(tmp_path):
    log = tmp_path / "campaignd.log"
    proc = serve(tmp_path, "--log-file", str(log))
    try:
        port = port_of(lambda: log.read_text() if log.exists() else "")
        assert (tmp_path / "serve.stderr").read_text() == ""    # nothing on stderr
        requests.get(f"http://127.0.0.1:{port}/healthz?first", timeout=5)
        log.rename(tmp_path / "campaignd.log.1")                  # what logrotate does
        requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while not (log.exists() and "reopened" in log.read_text()):
            assert time.monotonic() < deadline, "the log was not reopened"
            time.sleep(0.05)
        requests.get(f"http://127.0.0.1:{port}/nothing", timeout=5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        old, new = (tmp_path / "campaignd.log.1").read_text(), log.read_text()
        assert "listening on" in old and "GET /healthz" in old and "reopened" not in old
        assert "SIGHUP:" in new and '"GET /nothing" 404' in new and "stopped" in new
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_log_file_that_cannot_be_opened_is_an_error(tmp_path):
    r = subprocess.run([BIN, "serve", "--db", db_target(tmp_path / "s.db"), "--log-file",
                        str(tmp_path / "no" / "such" / "dir.log")],
                       capture_output=True, text=True, timeout=30, env=child_env())
    assert r.returncode == 1 and "cannot open --log-file" in r.stderr, r.stderr


def test_the_unit_is_hardened_below_exposure_2():
    r = subprocess.run(["systemd-analyze", "security", "--offline=true", str(UNIT)],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for campaignd\.service: ([\d.]+)", r.stdout)
    assert m, r.stdout + r.stderr
    assert float(m.group(1)) < 2.0, r.stdout
    unit = UNIT.read_text()
    for line in ("Type=notify", "DynamicUser=yes", "StateDirectory=campaignd",
                 "ExecReload=/bin/kill -HUP $MAINPID"):
        assert line in unit
