"""The OpenAPI description (issue 11, item 1): served, printed, linted by two
validators from npm, covering every route the server has, and able to fail.

Every other response the suite receives is checked against it by conftest.py
(openapi_check.py); the tests here check the description itself."""
import json
import os
import shutil
import subprocess

import pytest
import requests

from conftest import BIN, REPO, description, run_cli, merge_headers  # noqa: F401
from openapi_check import Description

NODE_BIN = REPO / "node_modules" / ".bin"
B = "/campaign/api/v2/public/{s}/campaign"


def npm_tool(name):
    path = NODE_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: make test runs `npm ci` first (package-lock.json)")
    return str(path)


def test_served_and_printed_alike(demo_server, http):
    r = http.get(demo_server.url("/openapi.json"), timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    printed = subprocess.run([BIN, "openapi"], capture_output=True, timeout=30)
    assert printed.returncode == 0
    assert r.content == printed.stdout
    doc = r.json()
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["version"] == subprocess.run(
        [BIN, "--version"], capture_output=True, text=True, timeout=30).stdout.split()[1]


def test_built_from_the_yaml_in_the_repository():
    import yaml  # python3-yaml: a build dependency (scripts/openapi-json.py)
    with open(REPO / "openapi.yaml", encoding="utf-8") as f:
        source = yaml.safe_load(f)
    assert description().doc == source


def test_redocly_lints_clean(tmp_path):
    """@redocly/cli 2.x, its recommended rules (redocly.yaml turns off two,
    with the reasons)."""
    out = subprocess.run([npm_tool("redocly"), "lint", "--format=stylish", "openapi.yaml"],
                         cwd=REPO, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "REDOCLY_TELEMETRY": "off",
                              "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"})
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    assert "Your API description is valid" in text, text
    assert " warning " not in text and " error " not in text, text


def test_second_validator_agrees():
    """@seriousme/openapi-schema-validator: the 3.1 meta-schema, strictly
    (it also insists that every $ref is a URI reference)."""
    node = shutil.which("node")
    assert node, "node is needed (make test installs the npm tools with it)"
    script = ("const {Validator} = require('@seriousme/openapi-schema-validator');"
              "new Validator().validate(process.argv[1]).then(r => {"
              " console.log(JSON.stringify(r)); process.exit(r.valid ? 0 : 1); });")
    out = subprocess.run([node, "-e", script, str(REPO / "openapi.yaml")], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout) == {"valid": True}


# Every operation of family spec §11 and Get All Campaigns, the extension
# routes, and the aliases: (method, path as the description writes it).
CANONICAL = [
    ("post", B + "/getAllCampaignDetails"),
    ("post", B), ("get", B + "/{campaignId}"), ("put", B + "/{campaignId}"),
    ("delete", B + "/{campaignId}"), ("post", B + "/trigger/{campaignId}"),
    ("post", B + "/{campaignId}/status"), ("post", B + "/schedule"),
    ("post", B + "/contactList/createContactList"),
    ("post", B + "/contactList/getAllListDetails"),
    ("get", B + "/contactList/{contactListId}"), ("put", B + "/contactList/{contactListId}"),
    ("delete", B + "/contactList/{contactListId}"),
    ("get", B + "/contactList/{contactListId}/getAllContacts"),
    ("post", B + "/contactList/addContacts"),
]
_OTHER = [("post", B + "/{campaignId}"), ("post", B + "//trigger/{campaignId}")]
ALIASES = _OTHER + [("post", "/api/1.1/public/{s}/campaign/contactList/addContacts")] + \
    [(m, p.replace("/campaign/api/v2", "/api/v2", 1)) for m, p in CANONICAL[1:] + _OTHER]
EXTENSIONS = [("get", "/healthz"), ("get", "/openapi.json"), ("get", "/console"),
              ("get", "/console/{file}"), ("post", "/campaignd/v1/attempts/{attemptId}/outcome"),
              ("get", "/metrics")]


def test_every_route_is_described():
    d = description()
    paths = {p.replace("{streamId}", "{s}"): d.deref(item) for p, item in d.doc["paths"].items()}
    for method, path in CANONICAL + ALIASES + EXTENSIONS:
        assert path in paths, path
        assert method in paths[path], (method, path)
    # ... and nothing else: every described operation is one of those.
    described = {(m, p) for p, item in paths.items() for m in item
                 if m in ("get", "put", "post", "delete", "patch")}
    assert described == set(CANONICAL + ALIASES + EXTENSIONS)
    ops = [op for _, item in paths.items() for m, op in item.items()
           if m in ("get", "put", "post", "delete")]
    for op in ops:
        assert op.get("operationId") and op.get("summary"), op
        for code, resp in op["responses"].items():
            resp = d.deref(resp)
            assert resp.get("description"), (op["operationId"], code)
            if code.startswith(("4", "5")) and op["operationId"] != "getMetrics":
                schema = resp["content"]["application/json"]["schema"]
                kind = "ClientError" if code.startswith("4") else "Error"
                assert schema == {"$ref": "#/components/schemas/" + kind}, (op["operationId"], code)


def test_each_described_route_is_served(demo_server, http):
    """The server has every route the description has: without credentials
    each answers as the description says (401 or 400 on the API, 200 on the
    open routes), never the 404 of an unknown path."""
    d = description()
    s = demo_server.creds["streamId"]
    fills = {"{streamId}": s, "{campaignId}": "cd-00000000-0000-4000-8000-000000000000",
             "{contactListId}": "cl-00000000-0000-4000-8000-000000000000",
             "{attemptId}": "att-1", "{file}": "index.html"}
    seen = 0
    for path, item in d.doc["paths"].items():
        item = d.deref(item)
        if "servers" in item:
            continue
        url = path
        for k, v in fills.items():
            url = url.replace(k, v)
        for method in ("get", "put", "post", "delete"):
            if method not in item:
                continue
            params = {"trigger": "play"} if item[method]["operationId"] == "triggerCampaignAlias" \
                else None
            r = http.request(method.upper(), demo_server.url(url), params=params, json={},
                             timeout=10)
            seen += 1
            if "/campaignd/v1/" in path:
                assert r.status_code == 404, (path, r.text)  # no webhook channel: no route
            elif item[method].get("security") == []:
                assert r.status_code == 200, (method, path, r.status_code, r.text)
            else:
                assert r.status_code == 401, (method, path, r.status_code, r.text)
    assert seen == len(CANONICAL + ALIASES + EXTENSIONS) - 1  # /metrics: another listener


def test_the_check_can_fail():
    """The checker rejects what the description does not allow: a status no
    route lists, an extra key, a wrong type or sentence, a 4xx naming no
    problem, a 405 whose Allow is wrong, an unknown path answered 200, an
    answer of the wrong branch for the request, a success for a request
    missing a required query parameter."""
    d = Description(json.dumps(description().doc))
    p = "/campaign/api/v2/public/st-1/campaign/getAllCampaignDetails"
    t = "/campaign/api/v2/public/st-1/campaign/trigger/cd-1"
    ok = {"status": "success", "message": "Campaign  retrieved successfully",
          "data": {"results": [], "skip": 0, "limit": 10, "hasMore": False, "totalPages": 0,
                   "totalResults": 0}}
    sms = {"name": "n", "id": "cd-1", "status": "Ready", "format": "simple"}
    voice = {"_id": "cd-1", "name": "n", "status": "Ready", "dialingMode": "Agentless"}
    page = {**ok, "data": {**ok["data"], "results": [sms], "totalResults": 1, "totalPages": 1}}
    vpage = {**page, "data": {**page["data"], "results": [voice]}}
    started = {"status": "Active", "message": "Campaign Started", "updatedAt":
               "2026-01-05T10:00:00.099Z"}
    err = {"status": "error", "message": "m", "errors": [{"msg": "x"}]}
    jh = {"content-type": "application/json"}
    SMS, VOICE = '{"type": "sms"}', '{"type": "voice"}'
    d.check("POST", p, 200, jh, json.dumps(ok), req_body=SMS)
    d.check("POST", p, 200, jh, json.dumps(page), req_body=SMS)
    d.check("POST", p, 200, jh, json.dumps(vpage), req_body=VOICE)
    d.check("POST", t + "?trigger=play", 200, jh, json.dumps(started))
    d.check("GET", p, 405, {**jh, "allow": "POST"}, json.dumps(err))
    bad = [
        ("POST", p, 302, jh, ok, SMS),
        ("POST", p, 200, jh, {**ok, "extra": 1}, SMS),
        ("POST", p, 200, jh, {**ok, "data": {**ok["data"], "totalResults": "0"}}, SMS),
        ("POST", p, 200, jh, {**ok, "message": "Campaigns retrieved successfully"}, SMS),
        ("POST", p, 200, {"content-type": "text/plain"}, ok, SMS),
        ("POST", p, 200, jh, page, VOICE),          # SMS items in a voice listing
        ("POST", p, 200, jh, vpage, SMS),
        ("GET", p, 405, jh, err, None),             # no Allow
        ("GET", p, 405, {**jh, "allow": "POST, GET"}, err, None),
        ("POST", p, 400, jh, {"status": "error", "message": "m", "errors": [{"field": "x"}]}, SMS),
        ("POST", p, 400, jh, {"status": "error", "message": "m", "errors": []}, SMS),
        ("POST", p, 400, jh, {"status": "error", "message": "m",
                              "errors": [{"field": 1, "msg": "x"}]}, SMS),
        ("POST", t + "?trigger=stop", 200, jh, started, None),  # a start answer to a stop
        ("POST", t, 200, jh, started, None),                    # no trigger: only a 4xx
        ("POST", t + "?trigger=pause", 200, jh, started, None),  # outside the enum
        ("GET", "/nope", 200, jh, {"status": "ok"}, None),
        ("GET", "/healthz", 200, jh, {"status": "ok", "uptime": 1}, None),
    ]
    for method, path, status, headers, body, req in bad:
        with pytest.raises(AssertionError):
            d.check(method, path, status, headers, json.dumps(body), req_body=req)
