"""Checks responses against campaignd's OpenAPI description (openapi.yaml).

conftest.py loads the description the binary under test serves (`campaignd
openapi`, the bytes of GET /openapi.json) and routes every response the
black-box suite receives from a campaignd API listener through `check`:

  - the request's path is matched against the description's paths as the
    server matches its routes: literal segments first, a {param} never
    taking a literal of the family (trigger, schedule, contactList,
    getAllCampaignDetails), the most literal segments winning;
  - a path the description has, with a method it lists: the status must be
    one of that operation's responses, the Content-Type one of the
    response's media types, the required response headers present, and a
    JSON body valid under the response's schema (JSON Schema 2020-12, the
    dialect of OpenAPI 3.1, by python3-jsonschema);
  - a request without a required query parameter, or with a value outside
    the parameter's enum, can only get a 4xx;
  - where the answer's shape depends on the request, the description says
    how: the branches of a oneOf/anyOf carry `x-when` ({"query": {name:
    [values]}, "body": {key: [values]}}, null for absent), and only the
    branches whose x-when fits the request may match (a voice listing holds
    voice items, `trigger=stop` gets a stop answer, `view=contacts` the
    contacts view);
  - a known path with a method it does not list: a 405 whose Allow names
    exactly the path's methods (less one whose route a query parameter
    selects, `x-selects-route`, when the request lacks it) and the error
    body (or a status that comes before routing: 408, 413, 414, 431);
  - an unknown path: a 404 (or one of those) with the error body.

A response the description does not allow raises AssertionError, which
fails the test that received it.
"""
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema



def _reserved():
    """The segments the server never reads as an id: router.c's reserved[]."""
    text = (Path(__file__).resolve().parents[2] / "src" / "router.c").read_text()
    m = re.search(r"reserved\[\] = \{([^}]*)\}", text)
    assert m, "src/router.c has no reserved[] table"
    return set(re.findall(r'"([^"]+)"', m.group(1)))


RESERVED = _reserved()
# Statuses a request can get before its route is known (contract §2): too
# slow, too large a body, too long a target, too large headers, too many
# connections from one address, or no connection slot.
BEFORE_ROUTE = {408, 413, 414, 429, 431, 503}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class Description:
    def __init__(self, text):
        self.doc = json.loads(text)
        self.resolver = jsonschema.RefResolver(base_uri="", referrer=self.doc)
        self.validators = {}
        self.paths = []        # the API's listener
        self.side_paths = []   # paths served on a listener of their own (/metrics)
        for template, item in self.doc["paths"].items():
            item = self.deref(item)
            segs = template.split("/")[1:]
            literal = sum(1 for s in segs if not s.startswith("{"))
            (self.side_paths if "servers" in item else self.paths).append(
                (segs, literal, template, item))
        self.paths.sort(key=lambda p: -p[1])
        self.error_schema = {"$ref": "#/components/schemas/Error"}
        self.client_error_schema = {"$ref": "#/components/schemas/ClientError"}
        self.checked = 0

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            _, node = self.resolver.resolve(node["$ref"])
        return node

    def match(self, path, side=False):
        segs = path.split("/")[1:]
        for tsegs, _, template, item in (self.side_paths if side else self.paths):
            if len(tsegs) != len(segs):
                continue
            ok = True
            for t, s in zip(tsegs, segs):
                if t.startswith("{"):
                    if s == "" or s in RESERVED:
                        ok = False
                        break
                elif t != s:
                    ok = False
                    break
            if ok:
                return template, item
        return None, None

    def validate(self, schema, value, where):
        key = json.dumps(schema, sort_keys=True)
        v = self.validators.get(key)
        if v is None:
            v = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
            self.validators[key] = v
        errors = sorted(v.iter_errors(value), key=lambda e: list(e.absolute_path))
        if errors:
            e = errors[0]
            detail = e.message if len(e.message) < 600 else e.message[:600] + "..."
            if e.context:
                detail += " | " + "; ".join(sorted({c.message[:200] for c in e.context})[:6])
            raise AssertionError(
                f"{where}: body does not match the OpenAPI description at "
                f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {detail}\n"
                f"body: {json.dumps(value)[:1500]}")

    def check(self, method, url, status, headers, body, side=False, req_body=None):
        """headers: a case-insensitive mapping or a dict of lower-case names;
        side: the response came from the metrics listener, whose paths the
        description gives a server of their own; req_body: the request's
        body (bytes or str), for the x-when branches that depend on it."""
        self.checked += 1
        parts = urlsplit(url)
        path = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        where = f"{method} {path} -> {status}"
        template, item = self.match(path, side)
        ctype = _header(headers, "content-type") or ""
        media = ctype.split(";")[0].strip().lower()
        if template is None and side:
            assert status == 404, f"{where}: the metrics listener has only /metrics"
            return
        if side and item.get(method.lower()) is None:
            # the metrics listener is no API: any other method is its plain 404
            assert status == 404 or (status == 200 and method.upper() == "HEAD"), where
            return
        if template is None:
            assert status == 404 or status in BEFORE_ROUTE, \
                f"{where}: the description has no such path, so only 404 is allowed"
            self._error_body(where, media, body, status)
            return
        op = item.get(method.lower())
        if op is None:
            allowed = {405} | BEFORE_ROUTE | ({404} if method.upper() == "HEAD" else set())
            assert status in allowed, \
                f"{where}: {template} has no {method}, so only 405 is allowed"
            self._check_allow(where, item, status, headers, query)
            self._error_body(where, media, body, status)
            return
        if not self._has_required(item, op, query) or not self._values_allowed(item, op, query):
            assert 400 <= status < 500 or status in BEFORE_ROUTE, \
                f"{where}: a required query parameter is missing or out of its enum, so only a 4xx"
        self._check_allow(where, item, status, headers, query)
        responses = op["responses"]
        resp = responses.get(str(status)) or responses.get("default")
        assert resp is not None, \
            f"{where}: {template} {method} lists only {sorted(responses)}"
        resp = self.deref(resp)
        for name, h in (resp.get("headers") or {}).items():
            h = self.deref(h)
            if h.get("required"):
                assert _header(headers, name.lower()), f"{where}: no {name} header"
        content = resp.get("content") or {}
        if not content:
            return
        assert media in content, f"{where}: Content-Type {ctype!r}, described: {sorted(content)}"
        if media == "application/json":
            try:
                value = json.loads(body)
            except ValueError as e:
                raise AssertionError(f"{where}: body is not JSON ({e}): {body[:200]!r}")
            schema = self._narrow(content[media].get("schema", {}), query, req_body, where)
            self.validate(schema, value, where)

    def _check_allow(self, where, item, status, headers, query):
        """A 405's Allow names exactly the path's methods, less those whose
        route a query parameter selects (x-selects-route) that the request
        does not have: POST B/{id} is start and stop only with `trigger`."""
        if status != 405:
            return
        allow = _header(headers, "allow")
        assert allow, f"{where}: a 405 without Allow"
        expected = {m.upper() for m in METHODS
                    if m in item and all(p["name"] in query for p in self._params(item, item[m])
                                         if p.get("x-selects-route"))}
        got = {m.strip() for m in allow.split(",")}
        assert got == expected, f"{where}: Allow {allow!r}, the description has {sorted(expected)}"

    def _params(self, item, op):
        for p in (item.get("parameters") or []) + (op.get("parameters") or []):
            yield self.deref(p)

    def _has_required(self, item, op, query):
        return all(p["name"] in query for p in self._params(item, op)
                   if p.get("in") == "query" and p.get("required"))

    def _values_allowed(self, item, op, query):
        for p in self._params(item, op):
            if p.get("in") != "query" or p["name"] not in query:
                continue
            enum = self.deref(p.get("schema", {})).get("enum")
            if enum is not None and query[p["name"]] not in enum:
                return False
        return True

    def _narrow(self, schema, query, req_body, where):
        """The schema with only the x-when branches that fit the request."""
        node = self.deref(schema)
        for key in ("oneOf", "anyOf"):
            branches = node.get(key) if isinstance(node, dict) else None
            if not branches or not any("x-when" in self.deref(b) for b in branches):
                continue
            doc = None  # unknown: a body requests sent from a generator is not kept
            if req_body is None:
                doc = {}
            elif isinstance(req_body, (str, bytes)):
                try:
                    doc = json.loads(req_body)
                except ValueError:
                    doc = {}
                if not isinstance(doc, dict):
                    doc = {}
            keep = [b for b in branches if _fits(self.deref(b).get("x-when"), query, doc)]
            assert keep, f"{where}: no branch of the description fits this request"
            return {key: keep}
        return schema

    def check_error(self, status, headers, body, where):
        """A response to a request this side did not frame itself (raw
        sockets): every error the description has is the error body.  A
        request that is not HTTP (a malformed request line, a bad
        Content-Length) never reaches the API: libmicrohttpd answers it
        with its own 400 page, which has no Content-Type and is not
        checked."""
        self.checked += 1
        ctype = _header(headers, "content-type")
        if status >= 400 and ctype is not None:
            media = ctype.split(";")[0].strip().lower()
            self._error_body(f"{where} -> {status}", media, body, status)

    def _error_body(self, where, media, body, status):
        assert media == "application/json", f"{where}: an error that is not application/json"
        try:
            value = json.loads(body)
        except ValueError as e:
            raise AssertionError(f"{where}: error body is not JSON ({e}): {body[:200]!r}")
        self.validate(self.client_error_schema if status < 500 else self.error_schema, value,
                      where)


def _fits(when, query, body):
    """Whether the request fits an x-when (None: any request); body None:
    the request's body is not known, so its conditions are not tested."""
    if when is None:
        return True
    for name, values in (when.get("query") or {}).items():
        if query.get(name) not in values:
            return False
    for name, values in (when.get("body") or {}).items():
        if body is not None and body.get(name) not in values:
            return False
    return True


def _header(headers, name):
    v = headers.get(name)
    if v is None and hasattr(headers, "items"):
        for k, val in headers.items():
            if k.lower() == name:
                return val
    return v


def request_line(data):
    """(method, target) of the first request in raw bytes, or (None, None)."""
    m = re.match(rb"^([A-Z]+) (\S+) HTTP/1\.[01]\r\n", data)
    if not m:
        return None, None
    return m.group(1).decode(), unquote(m.group(2).decode("latin-1"))
