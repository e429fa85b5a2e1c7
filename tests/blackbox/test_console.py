"""The console (issue 11, item 3): GET /console serves a small single-page
app built into the binary, which calls the public API with a pasted token.

The HTTP tests check what is served (types, the 404 of a missing file, and
that nothing refers outside the server).  The browser test runs
tests/console/console.mjs: Debian's chromium, driven by playwright-core from
npm (make test installs both), clicks through connect -> list -> filter ->
sort -> page -> open -> start -> contacts refresh -> stop against a real
demo server whose campaigns run on the simulator, and compares what the page
shows with the API's answers; its screenshots go to
build/test-output/console/<back end>/."""
import os
import re
import shutil
import subprocess

import requests

from conftest import HTTP_TIMEOUT, PG_BASE, REPO, assert_error

CONSOLE_DIR = REPO / "console"
SCRIPT = REPO / "tests" / "console" / "console.mjs"
CHROMIUM = "/usr/bin/chromium"
PLAYWRIGHT = REPO / "node_modules" / "playwright-core" / "package.json"
SCRIPT_TIMEOUT = 240  # the script stops itself after 180 s
RUN_CAMPAIGN = "Service Renewal Outreach Campaign6"  # a demo voice campaign, Ready
RUN_LIST = "CL Only 2020 Dec 4"                      # its contact list (empty in the demo)
RUN_CONTACTS = 300  # at --pace 1 the run lasts five minutes: it is still running when the walk stops it
TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


def console_files():
    """The console's files: every file of console/ (the Makefile builds them
    all in, CONSOLE := $(wildcard console/*))."""
    return sorted(f for f in CONSOLE_DIR.iterdir() if f.is_file())


def content_type(resp):
    return resp.headers.get("Content-Type", "").split(";")[0].strip()


def test_console_files_are_served_as_built(demo_server):
    files = console_files()
    assert {f.name for f in files} >= {"index.html", "app.js", "api.js", "style.css"}
    for f in files:
        # no credentials: the page carries none, the person pastes a token
        r = requests.get(demo_server.url(f"/console/{f.name}"), timeout=HTTP_TIMEOUT)
        assert r.status_code == 200, (f.name, r.status_code, r.text)
        assert content_type(r) == TYPES[f.suffix], (f.name, r.headers)
        assert r.content == f.read_bytes(), f"{f.name} is served as committed"
    index = requests.get(demo_server.url("/console"), timeout=HTTP_TIMEOUT)
    assert index.status_code == 200
    assert content_type(index) == "text/html"
    # the page that holds a pasted token loads and calls nothing but this server
    csp = index.headers.get("Content-Security-Policy", "")
    for directive in ("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                      "frame-ancestors 'none'"):
        assert directive in csp, csp
    assert index.headers.get("X-Content-Type-Options") == "nosniff"
    assert index.content == (CONSOLE_DIR / "index.html").read_bytes()


def test_console_refers_to_nothing_outside(demo_server):
    html = requests.get(demo_server.url("/console"), timeout=HTTP_TIMEOUT).text
    refs = re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", html)
    assert refs and all(r.startswith("/console/") for r in refs), refs
    served = {"/console/" + f.name for f in console_files()}
    assert set(refs) <= served, refs
    for f in console_files():
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), \
            f"{f.name} names an outside address"
        if f.suffix == ".js":
            imports = re.findall(r"""\bimport\b[^'"]*['"]([^'"]+)['"]""", text)
            assert all(i.startswith("/console/") and i in served for i in imports), imports
        if f.suffix == ".css":
            assert "@import" not in text and "url(" not in text, f.name


def test_console_missing_file_is_a_json_404(demo_server):
    for path in ("/console/nope.js", "/console/nope.png", "/console/app.exe", "/console/..%2fopenapi.json"):
        r = requests.get(demo_server.url(path), timeout=HTTP_TIMEOUT)
        assert_error(r, 404)


def test_console_in_a_browser(server_factory, tmp_path):
    node = shutil.which("node")
    missing = [what for what, ok in (("node", node), (CHROMIUM, os.access(CHROMIUM, os.X_OK)),
                                     ("node_modules/playwright-core (npm ci)", PLAYWRIGHT.exists()))
               if not ok]
    # make test installs all three (TEST_DEPS, node_modules/.installed)
    assert not missing, f"the console test needs {', '.join(missing)}"

    srv = server_factory("--channel", "simulator", "--pace", "1", db=tmp_path / "console.db",
                         demo=True)
    c = srv.creds
    headers = {"auth": c["token"], "iid": c["streamId"], "accountId": c["accountId"],
               "Content-Type": "application/json"}
    base = f"/campaign/api/v2/public/{c['streamId']}/campaign"
    # the demo's voice campaigns share one empty list: give it contacts so a
    # started campaign runs for a while on the simulator
    r = requests.post(srv.url(f"{base}/contactList/addContacts?accountId={c['accountId']}"),
                      headers=headers, timeout=HTTP_TIMEOUT,
                      json={"contact_list_name": RUN_LIST,
                            "data": [{"phoneNumber": f"+1250555{k:04d}"}
                                     for k in range(RUN_CONTACTS)]})
    assert r.status_code == 200, r.text

    out = REPO / "build" / "test-output" / "console" / ("postgresql" if PG_BASE else "sqlite")
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, CONSOLE_BASE=f"http://127.0.0.1:{srv.port}", CONSOLE_TOKEN=c["token"],
               CONSOLE_ACCOUNT=c["accountId"], CONSOLE_STREAM=c["streamId"],
               CONSOLE_CAMPAIGN=RUN_CAMPAIGN, CONSOLE_OUT=str(out), CONSOLE_BROWSER=CHROMIUM)
    p = subprocess.run([node, str(SCRIPT)], cwd=REPO, env=env, capture_output=True, text=True,
                       timeout=SCRIPT_TIMEOUT, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, f"console.mjs exited {p.returncode}\n{p.stdout}\n{p.stderr}"
    assert p.stdout.rstrip().endswith("console test: all steps passed"), p.stdout

    steps = ["connect-error", "list", "filter", "sort", "page-2", "open", "start", "contacts", "stop"]
    shots = sorted(out.glob("*.png"))
    assert [re.sub(r"^\d+-", "", s.stem) for s in shots] == steps, shots
    for s in shots:
        data = s.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10000, s
    assert not srv.sanitizer_report(), srv.stderr()[-8000:]
