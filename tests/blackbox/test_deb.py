"""The Debian package (issue 11): `make deb` builds
campaignd_<version>_amd64.deb with debhelper; its dependencies are the
libraries the binary links; dpkg -i installs it on this (CI) machine, the
binary runs from /usr/bin and lists the demo campaigns, and the package is
purged again.  Once per run: on the SQLite pass."""
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from conftest import PG_BASE

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(bool(PG_BASE), reason="the package is built and installed once, "
                                                      "on the SQLite pass")


def version():
    h = (REPO / "src/version.h").read_text()
    return re.search(r'#define CAMPAIGND_VERSION "([^"]+)"', h).group(1)


def test_make_deb_installs_and_serves_the_demo(tmp_path):
    v = version()
    changelog = (REPO / "debian/changelog").read_text().splitlines()[0]
    assert changelog.startswith(f"campaignd ({v})"), changelog   # one version
    r = subprocess.run(["make", "-C", str(REPO), "--no-print-directory", "deb"],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    deb = REPO / f"build/deb/campaignd_{v}_amd64.deb"
    assert deb.exists()
    info = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True,
                          text=True, timeout=60).stdout
    for lib in ("libmicrohttpd12", "libjansson4", "libjwt0", "libsqlite3-0", "libpq5",
                "libssl3", "libcurl4", "libsystemd0"):
        assert lib in info, info
    files = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                           timeout=60).stdout
    for f in ("./usr/bin/campaignd", "./usr/share/man/man8/campaignd.8.gz",
              "./lib/systemd/system/campaignd.service"):
        assert f in files, files
    installed = False
    proc = None
    try:
        r = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
        installed = True
        v_out = subprocess.run(["/usr/bin/campaignd", "--version"], capture_output=True,
                               text=True, timeout=30).stdout
        assert v_out.startswith(f"campaignd {v}\n"), v_out
        out, err = tmp_path / "out", tmp_path / "err"
        proc = subprocess.Popen(["/usr/bin/campaignd", "serve", "--demo", "--channel", "none",
                                 "--listen", "127.0.0.1:0", "--drain-s", "0",
                                 "--db", str(tmp_path / "deb.db")],
                                stdout=open(out, "wb"), stderr=open(err, "wb"),
                                stdin=subprocess.DEVNULL, cwd=str(tmp_path))
        deadline = time.monotonic() + 30
        while not re.search(r"^TOKEN=", out.read_text(), re.M):
            assert proc.poll() is None and time.monotonic() < deadline, err.read_text()
            time.sleep(0.05)
        text = out.read_text()
        port = re.search(r"\(port (\d+)\)", err.read_text()).group(1)
        token = re.search(r"^TOKEN=(\S+)", text, re.M).group(1)
        account = re.search(r"^  accountId:\s+(\S+)", text, re.M).group(1)
        stream = re.search(r"^  streamId:\s+(\S+)", text, re.M).group(1)
        resp = requests.post(
            f"http://127.0.0.1:{port}/campaign/api/v2/public/{stream}/campaign/"
            f"getAllCampaignDetails?accountId={account}",
            json={"type": "sms"}, headers={"auth": token, "iid": stream, "accountId": account},
            timeout=10)
        assert resp.status_code == 200, resp.text
        assert resp.json()["data"]["totalResults"] > 0
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        if installed:
            subprocess.run(["dpkg", "--purge", "campaignd"], capture_output=True, timeout=300)
    assert not Path("/usr/bin/campaignd").exists()
