"""Contract §6: the command line (app create, token, import, export, --help)."""
import calendar
import json
import re
import time

import jwt
import pytest

from conftest import SAMPLES_PATH, UUID4, app_create, list_ok, new_account, run_cli, sqlite_only

OPTIONS = {
    None: ["serve", "app create", "token", "import", "export", "--db"],
    "serve": ["--listen", "--demo", "--db", "--threads", "--max-body", "--max-headers",
              "--max-url", "--max-depth", "--request-timeout", "--idle-timeout"],
    "app create": ["--account", "--stream", "--name", "--scopes", "--db"],
    "token": ["--client-id", "--ttl", "--db"],
    "import": ["--account", "--stream", "--db", "FILE"],
    "export": ["--account", "--stream", "--type", "--db"],
}


@pytest.mark.parametrize("cmd", list(OPTIONS), ids=str)
def test_help_exits_0_and_mentions_the_options(cmd):
    args = (cmd.split() if cmd else []) + ["--help"]
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    for opt in OPTIONS[cmd]:
        assert opt in r.stdout, f"{cmd} --help does not mention {opt}:\n{r.stdout}"


def test_unknown_command_fails():
    r = run_cli("frobnicate")
    assert r.returncode != 0
    assert r.stderr.strip()


def test_app_create_output_shape(tmp_path):
    db = tmp_path / "a.db"
    r = run_cli("app", "create", "--account", "acct_1-X", "--name", "My App", "--db", db)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    o = json.loads(lines[0])
    assert list(o) == ["accountId", "streamId", "clientId", "clientSecret"]
    assert o["accountId"] == "acct_1-X"
    assert re.fullmatch("st-" + UUID4, o["streamId"]), o["streamId"]
    assert re.fullmatch("cs-" + UUID4, o["clientId"]), o["clientId"]
    assert isinstance(o["clientSecret"], str) and len(o["clientSecret"]) >= 32


def test_app_create_with_given_stream_and_second_client(tmp_path):
    db = tmp_path / "a.db"
    stream = "st-0603182c-7ffb-43c3-b307-47ca14b12345"
    a = app_create(db, account="acc", stream=stream)
    b = app_create(db, account="acc", stream=stream)
    assert a.stream == b.stream == stream
    assert a.client_id != b.client_id and a.secret != b.secret
    # the stream belongs to "acc": another account cannot take it
    r = run_cli("app", "create", "--account", "other", "--stream", stream, "--db", db)
    assert r.returncode != 0
    assert r.stderr.strip() and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [
    ["--account", "bad id!"], ["--account", ""], ["--account", "a" * 65], [],
    ["--account", "ok", "--stream", "st-NOT-A-UUID"],
    ["--account", "ok", "--stream", "cs-0603182c-7ffb-43c3-b307-47ca14b12345"],
])
def test_app_create_rejects_bad_arguments(tmp_path, args):
    r = run_cli("app", "create", *args, "--db", tmp_path / "a.db")
    assert r.returncode != 0
    assert r.stderr.strip()
    assert r.stdout.strip() == ""


def test_token_for_unknown_client_fails(tmp_path):
    app_create(tmp_path / "a.db")
    r = run_cli("token", "--client-id", "cs-00000000-0000-4000-8000-000000000000", "--db",
                tmp_path / "a.db")
    assert r.returncode != 0 and r.stderr.strip() and not r.stdout.strip()


@pytest.mark.parametrize("ttl", ["0", "-5", "abc", "31536001"])
def test_token_rejects_bad_ttl(tmp_path, ttl):
    t = app_create(tmp_path / "a.db")
    r = run_cli("token", "--client-id", t.client_id, "--ttl", ttl, "--db", t.db)
    assert r.returncode != 0


def test_token_claims(tmp_path):
    t = app_create(tmp_path / "a.db")
    r = run_cli("token", "--client-id", t.client_id, "--db", t.db)
    assert r.returncode == 0
    tok = r.stdout.strip()
    assert jwt.get_unverified_header(tok)["alg"] == "HS256"
    claims = jwt.decode(tok, t.secret.encode(), algorithms=["HS256"])
    assert claims["appId"] == t.client_id
    assert "exp" not in claims
    r = run_cli("token", "--client-id", t.client_id, "--ttl", "3600", "--db", t.db)
    claims = jwt.decode(r.stdout.strip(), t.secret.encode(), algorithms=["HS256"])
    assert abs(claims["exp"] - time.time() - 3600) < 60


@sqlite_only
def test_db_env_and_sqlite_prefix(tmp_path):
    db = tmp_path / "env.db"
    r = run_cli("app", "create", "--account", "envacct", env={"CAMPAIGND_DB": str(db)})
    assert r.returncode == 0, r.stderr
    o = json.loads(r.stdout)
    assert db.exists()
    r = run_cli("token", "--client-id", o["clientId"], "--db", f"sqlite:{db}")
    assert r.returncode == 0, r.stderr


# ---- import / export -----------------------------------------------------------


def by_id(items):
    return {(c.get("_id") or c.get("id")): c for c in items}


def test_import_then_export_gives_back_the_samples(tmp_path, samples):
    t = app_create(tmp_path / "a.db")
    r = run_cli("import", "--account", t.account, "--stream", t.stream, "--db", t.db,
                SAMPLES_PATH)
    assert r.returncode == 0, r.stderr
    exported = t.export()
    assert len(exported) == len(samples)
    assert by_id(exported) == by_id(samples)
    for c in exported:
        assert "isImported" not in c
    assert {c["type"] for c in t.export("voice")} == {"voice"}
    assert len(t.export("sms")) == 7 and len(t.export("voice")) == 5


def test_export_keys_follow_the_result_item_order(tmp_path, samples):
    t = app_create(tmp_path / "a.db")
    t.import_items(samples)
    from conftest import SMS_KEYS, VOICE_KEYS
    for c in t.export():
        keys = list(c)
        assert keys[0] == "type"
        order = VOICE_KEYS if c["type"] == "voice" else SMS_KEYS
        assert keys[1:] == [k for k in order if k in c]


def test_import_from_stdin(tmp_path):
    t = app_create(tmp_path / "a.db")
    items = [{"type": "sms", "name": "from stdin"}]
    r = run_cli("import", "--account", t.account, "--stream", t.stream, "--db", t.db, "-",
                input=json.dumps(items))
    assert r.returncode == 0, r.stderr
    assert [c["name"] for c in t.export()] == ["from stdin"]


def test_bad_element_rejects_the_whole_file(tmp_path):
    t = app_create(tmp_path / "a.db")
    t.import_items([{"type": "voice", "name": "existing"}])
    before = t.export()
    items = [{"type": "voice", "name": "one"}, {"type": "sms", "name": "two"},
             {"type": "voice", "name": "three", "priority": "9"},
             {"type": "voice", "name": "four"}]
    r = t.import_items(items, expect_ok=False)
    assert r.returncode != 0
    assert "[2]" in r.stderr and "priority" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert t.export() == before


@pytest.mark.parametrize("element,field", [
    ({"type": "voice", "name": "x", "status": "ready"}, "status"),
    ({"type": "voice", "name": "x", "dialingMode": "Manual"}, "dialingMode"),
    ({"type": "voice", "name": "x", "createdAt": "yesterday"}, "createdAt"),
    ({"type": "voice", "name": "x", "_id": "cd-NOT-AN-ID"}, "_id"),
    ({"type": "sms", "name": "x", "format": "fancy"}, "format"),
    ({"type": "voice"}, "name"),
    ({"type": "fax", "name": "x"}, "type"),
    ({"name": "x"}, "type"),
    ({"type": "voice", "name": "x", "message": {"message": "hi"}}, "message"),
    ({"type": "voice", "name": "x", "bogus": 1}, "bogus"),
])
def test_invalid_elements_name_index_and_field(tmp_path, element, field):
    t = app_create(tmp_path / "a.db")
    r = t.import_items([{"type": "sms", "name": "fine"}, element], expect_ok=False)
    assert r.returncode != 0
    assert "[1]" in r.stderr and field in r.stderr, r.stderr
    assert t.export() == []


def test_duplicate_names_in_one_file_are_rejected(tmp_path):
    t = app_create(tmp_path / "a.db")
    r = t.import_items([{"type": "voice", "name": "Same Name"},
                        {"type": "voice", "name": "sAME nAME"}], expect_ok=False)
    assert r.returncode != 0 and r.stderr.strip()
    assert t.export() == []


def test_duplicate_of_a_stored_name_is_rejected(tmp_path):
    t = app_create(tmp_path / "a.db")
    t.import_items([{"type": "sms", "name": "Stored"}])
    before = t.export()
    r = t.import_items([{"type": "sms", "name": "new one"}, {"type": "sms", "name": "STORED"}],
                       expect_ok=False)
    assert r.returncode != 0 and "[1]" in r.stderr
    assert t.export() == before


def test_same_name_different_types_is_allowed(tmp_path):
    t = app_create(tmp_path / "a.db")
    t.import_items([{"type": "voice", "name": "Both"}, {"type": "sms", "name": "Both"}])
    assert sorted(c["type"] for c in t.export()) == ["sms", "voice"]


def test_non_ascii_case_is_not_folded_for_duplicates(tmp_path):
    t = app_create(tmp_path / "a.db")
    t.import_items([{"type": "voice", "name": "\u00e9t\u00e9"},
                    {"type": "voice", "name": "\u00c9T\u00c9"}])
    assert len(t.export()) == 2


def test_duplicate_ids_are_rejected(tmp_path):
    t = app_create(tmp_path / "a.db")
    cid = "cd-11111111-2222-4333-8444-555555555555"
    r = t.import_items([{"type": "voice", "name": "a", "_id": cid},
                        {"type": "sms", "name": "b", "id": cid}], expect_ok=False)
    assert r.returncode != 0
    assert t.export() == []


def test_missing_ids_and_timestamps_are_generated(http, demo_server, tenant_factory):
    t = tenant_factory()
    before = time.time()
    t.import_items([{"type": "voice", "name": "gen v"}, {"type": "sms", "name": "gen s"}])
    exported = t.export()
    assert len(exported) == 2
    for c in exported:
        key = "_id" if c["type"] == "voice" else "id"
        assert re.fullmatch("cd-" + UUID4, c[key]), c[key]
        assert c["status"] == "Ready" and c["priority"] == "5"
        for k in ("createdAt", "updatedAt"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", c[k])
            ts = calendar.timegm(time.strptime(c[k][:19], "%Y-%m-%dT%H:%M:%S"))
            assert before - 120 < ts < time.time() + 120, c[k]
        assert set(c) <= {"type", key, "name", "status", "priority", "createdAt", "updatedAt"}
    # visible through the API, without isImported
    for type_ in ("voice", "sms"):
        res = list_ok(http, demo_server, t, {"type": type_})["data"]["results"]
        assert len(res) == 1 and "isImported" not in res[0]


def test_timestamps_are_kept_as_instants_truncated_to_ms(tmp_path):
    t = app_create(tmp_path / "a.db")
    t.import_items([{"type": "sms", "name": "t", "createdAt": "2025-03-01T15:30:00.123999+05:30",
                     "updatedAt": "2025-03-01", "campaignInstanceUpdatedAt":
                     "2025-02-28T19:00:00-05:00"}])
    c = t.export()[0]
    assert c["createdAt"] == "2025-03-01T10:00:00.123Z"
    assert c["updatedAt"] == "2025-03-01T00:00:00.000Z"
    assert c["campaignInstanceUpdatedAt"] == "2025-03-01T00:00:00.000Z"


def test_list_names_mean_one_list(tmp_path):
    t = app_create(tmp_path / "a.db")
    t.import_items([{"type": "voice", "name": "a", "dncLists": {"name": "Shared DNC"}},
                    {"type": "voice", "name": "b", "dncLists": {"name": "Shared DNC"}}])
    t.import_items([{"type": "voice", "name": "c", "dncLists": {"name": "Shared DNC"}}])
    ids = {c["dncLists"]["id"] for c in t.export("voice")}
    assert len(ids) == 1 and re.fullmatch("cl-" + UUID4, ids.pop())


def test_list_id_disagreeing_with_its_name_rejects_the_import(tmp_path):
    t = app_create(tmp_path / "a.db")
    lid = "cl-68b802a0-2b99-4245-8eea-6d322a800000"
    t.import_items([{"type": "voice", "name": "a", "dncLists": {"id": lid, "name": "First"}}])
    before = t.export()
    r = t.import_items([{"type": "voice", "name": "b", "dncLists": {"id": lid, "name": "Second"}}],
                       expect_ok=False)
    assert r.returncode != 0 and r.stderr.strip()
    assert t.export() == before


def test_import_into_an_unknown_app_fails(tmp_path):
    t = app_create(tmp_path / "a.db")
    f = tmp_path / "one.json"
    f.write_text(json.dumps([{"type": "voice", "name": "x"}]))
    r = run_cli("import", "--account", t.account, "--stream",
                "st-00000000-0000-4000-8000-000000000000", "--db", t.db, f)
    assert r.returncode != 0 and r.stderr.strip()
    r = run_cli("import", "--account", new_account(), "--stream", t.stream, "--db", t.db, f)
    assert r.returncode != 0 and r.stderr.strip()
    assert t.export() == []


@pytest.mark.parametrize("text", ["", "{", '{"type":"voice","name":"x"}', "null",
                                  '[{"type":"voice","name":"x","name":"y"}]', "[1]"])
def test_import_of_a_non_array_or_invalid_file_fails(tmp_path, text):
    t = app_create(tmp_path / "a.db")
    r = run_cli("import", "--account", t.account, "--stream", t.stream, "--db", t.db, "-",
                input=text)
    assert r.returncode != 0 and r.stderr.strip()
    assert t.export() == []


def test_export_type_filter_and_bad_type(tmp_path):
    t = app_create(tmp_path / "a.db")
    t.import_items([{"type": "voice", "name": "v"}, {"type": "sms", "name": "s"}])
    assert [c["name"] for c in t.export("voice")] == ["v"]
    assert [c["name"] for c in t.export("sms")] == ["s"]
    r = run_cli("export", "--account", t.account, "--stream", t.stream, "--type", "fax",
                "--db", t.db)
    assert r.returncode != 0


def test_large_import_from_stdin_and_deep_paging(http, demo_server, tenant_factory):
    t = tenant_factory()
    n = 1500
    items = [{"type": "voice", "name": f"bulk {i:05d}", "description": "d" * 100,
              "createdAt": f"2025-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}.{i % 1000:03d}Z",
              "contactLists": [f"list {i % 7}"], "dncLists": {"name": f"dnc {i % 3}"}}
             for i in range(n)]
    text = json.dumps(items)
    assert len(text) > 200 * 1024
    r = run_cli("import", "--account", t.account, "--stream", t.stream, "--db", t.db, "-",
                input=text, timeout=60)
    assert r.returncode == 0, r.stderr
    d = list_ok(http, demo_server, t, {"type": "voice", "limit": 100, "page": 15,
                                       "sortBy": {"name": "asc"}})["data"]
    assert d["totalResults"] == n and d["totalPages"] == 15 and d["hasMore"] is False
    assert [x["name"] for x in d["results"]] == [f"bulk {i:05d}" for i in range(1400, 1500)]
    assert d["results"][0]["contactLists"] == [f"list {1400 % 7}"]
    assert len(t.export("voice")) == n
