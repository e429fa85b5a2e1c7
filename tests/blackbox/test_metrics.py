"""GET /metrics (issue 11): Prometheus text format 0.0.4 on --metrics-listen
only, checked by Debian's promtool; counters that move with the requests
made, labelled by route template (never an id) and status; the process_*
metrics and campaignd_build_info; `campaignd --version`."""
import re
import shutil
import subprocess
from pathlib import Path

from conftest import BIN, METRICS_PORTS, dialing_strategy, run_cli, sms_body
from test_runs import EVERY_DAY, progress
from test_schedules_fire import family, wait_for

PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def metrics_server(server_factory, *extra):
    srv = server_factory("--metrics-listen", "127.0.0.1:0", *extra)
    pat = r"metrics: GET /metrics on 127\.0\.0\.1:0 \(port (\d+)\)"
    m = wait_for(lambda: re.search(pat, srv.stderr()), 10, "the metrics listener's port")
    srv.metrics_port = int(m.group(1))
    METRICS_PORTS.add(srv.metrics_port)  # its responses are checked against the description
    return srv, f"http://127.0.0.1:{m.group(1)}/metrics"


def scrape(http, url):
    r = http.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return r.text


def samples(text):
    """{(name, frozenset(labels)): value} of every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)', line)
        assert m, line
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def requests_total(s, route, method, code):
    key = ("campaignd_http_requests_total",
           frozenset({("route", route), ("method", method), ("code", str(code))}))
    return s.get(key, 0)


def test_metrics_pass_promtool_and_count_by_route_template(server_factory, http):
    srv, url = metrics_server(server_factory)
    fam = family(srv, http)
    fam.setup_lists()
    before = samples(scrape(http, url))
    cid = fam.create_sms("Metric one")
    for _ in range(3):
        fam.get(cid)
    assert http.get(srv.url("/nowhere")).status_code == 404
    assert http.get(srv.url(f"/campaign/api/v2/public/{fam.stream}/campaign/{cid}")) \
        .status_code == 401                                         # no credentials
    text = scrape(http, url)
    after = samples(text)
    get_route = "/campaign/api/v2/public/:stream/campaign/:id"
    assert requests_total(after, get_route, "GET", 200) - \
        requests_total(before, get_route, "GET", 200) == 3
    assert requests_total(after, get_route, "GET", 401) - \
        requests_total(before, get_route, "GET", 401) == 1
    assert requests_total(after, "/campaign/api/v2/public/:stream/campaign", "POST", 201) >= 1
    assert requests_total(after, "none", "GET", 404) - requests_total(before, "none", "GET", 404) \
        == 1
    # durations: a histogram per route, its count the requests counted
    count = after[("campaignd_http_request_duration_seconds_count",
                   frozenset({("route", get_route), ("method", "GET")}))]
    assert count == sum(requests_total(after, get_route, "GET", c) for c in (200, 401))
    # no id in any label: label values are bounded
    assert cid not in text and fam.stream not in text
    # the process and the build
    version = run_cli("--version").stdout.splitlines()[0].split()[1]
    assert after[("campaignd_build_info", frozenset({("version", version)}))] == 1
    assert after[("process_resident_memory_bytes", frozenset())] > 1 << 20
    assert after[("process_open_fds", frozenset())] >= 3
    assert after[("process_cpu_seconds_total", frozenset())] > 0
    assert after[("process_start_time_seconds", frozenset())] > 1.7e9
    assert after[("campaignd_store_connections", frozenset({("state", "idle")}))] >= 1
    # Debian's promtool accepts the exposition as it is
    r = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_metrics_only_on_their_listener(server_factory, http):
    srv, url = metrics_server(server_factory)
    r = http.get(srv.url("/metrics"))
    assert r.status_code == 404 and r.json()["status"] == "error"   # the API's 404
    assert http.get(url.replace("/metrics", "/other")).status_code == 404
    plain = server_factory()
    assert "metrics:" not in plain.stderr()


def test_rate_limit_rejections_are_counted(server_factory, http):
    srv, url = metrics_server(server_factory, "--rate-limit", "1", "--rate-burst", "1")
    fam = family(srv, http)
    codes = [fam.req("POST", "/contactList/getAllListDetails?type=call", {}).status_code
             for _ in range(4)]
    assert 429 in codes
    s = samples(scrape(http, url))
    assert s[("campaignd_rate_limit_rejections_total", frozenset())] == codes.count(429)


def test_version_names_the_linked_libraries():
    r = subprocess.run([BIN, "--version"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"campaignd \d+\.\d+\.\d+", lines[0]), lines
    names = [line.split()[0] for line in lines[1:]]
    assert names == ["libmicrohttpd", "jansson", "libjwt", "sqlite", "libpq", "openssl",
                     "libcurl"]
    assert all(re.search(r"\d+\.\d+", line) for line in lines[1:]), lines


def test_the_readme_alerts_are_valid_rules():
    repo = Path(__file__).resolve().parents[2]
    rules = repo / "deploy/prometheus/alerts.yml"
    r = subprocess.run([PROMTOOL, "check", "rules", str(rules)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and "SUCCESS: 2 rules found" in r.stdout, r.stdout + r.stderr
    readme = (repo / "README.md").read_text()
    assert rules.read_text() in readme
    assert (repo / "deploy/prometheus/scrape.yml").read_text() in readme


def test_runner_metrics_count_what_the_run_did(server_factory, http):
    srv, url = metrics_server(server_factory, "--channel", "simulator", "--sim-latency-ms", "0",
                              "--pace", "0", "--tenant-pace", "0")
    fam = family(srv, http)
    phones = [f"+1415556{i:04d}" for i in range(100, 140)] + ["+14155550004"]  # invalidNumber
    fam.create_list("M")
    fam.add_contacts("M", phones)
    body = sms_body("Metric run", ["M"])
    body["dialingStrategy"] = dialing_strategy(voice=False, timezone="UTC", days=EVERY_DAY)
    cid = fam.create(body).json()["data"]["_id"]
    fam.start(cid)
    wait_for(lambda: fam.get(cid)["status"] == "Completed", 60, "the run to complete")
    text = scrape(http, url)
    s = samples(text)
    p = progress(fam, cid)
    assert s[("campaignd_runner_attempts_total", frozenset())] == p["attempts"] == 41
    by = {dict(k[1])["outcome"]: v for k, v in s.items()
          if k[0] == "campaignd_runner_outcomes_total"}
    assert {o: n for o, n in by.items() if n} == p["byOutcome"]
    assert by["invalidNumber"] == 1 and len(by) == 9   # every outcome, zeros included
    assert s[("campaignd_runner_channel_failures_total", frozenset())] == 0
    assert s[("campaignd_runner_running_campaigns", frozenset())] == 0
    assert s[("campaignd_store_query_duration_seconds_count", frozenset())] > 0
    assert ("campaignd_runner_schedule_lateness_seconds_count", frozenset()) in s
    r = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
