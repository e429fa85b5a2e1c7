"""The clock of execution spec §1: --clock-start and --clock-rate, read by
every stored timestamp and by the JWT time checks, in `serve` and the CLI."""
import json
import time

import jwt

from conftest import Family, app_create, assert_error, run_cli


def parse_ts(s):
    from datetime import datetime
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


START_2030 = "2030-06-01T12:00:00Z"
EPOCH_2030 = parse_ts(START_2030)


def family_on(server_factory, http, *args):
    srv = server_factory(*args)
    tenant = app_create(srv.db)
    return srv, Family(srv, tenant, http)


def test_stored_timestamps_come_from_the_clock(server_factory, http):
    srv, fam = family_on(server_factory, http, "--clock-start", START_2030)
    fam.setup_lists()
    data = fam.get(fam.create_sms(name="On the clock"))
    created = parse_ts(data["createdAt"])
    assert EPOCH_2030 <= created < EPOCH_2030 + 120, data["createdAt"]
    assert data["updatedAt"] == data["createdAt"]
    lists = fam.lists()
    assert all(parse_ts(l["updatedAt"]) >= EPOCH_2030 for l in lists), lists


def test_the_clock_runs_at_its_rate(server_factory, http):
    srv, fam = family_on(server_factory, http, "--clock-start", START_2030, "--clock-rate", "1000")
    fam.setup_lists()
    a = fam.get(fam.create_sms(name="First"))
    time.sleep(0.5)
    b = fam.get(fam.create_sms(name="Second"))
    gap = parse_ts(b["createdAt"]) - parse_ts(a["createdAt"])
    # half a second of real time is 500 s of clock time (allow for slow machines)
    assert 450 <= gap < 500 + 60 * 1000, gap


def test_jwt_time_claims_are_checked_on_the_clock(server_factory, http):
    # A server whose clock is in 2020 sees a token issued now as issued in
    # its future: refused.  One whose clock is in 2030 sees a token that
    # expires in an hour of real time as long expired.
    past, fam_past = family_on(server_factory, http, "--clock-start", "2020-01-01T00:00:00Z")
    assert_error(fam_past.req("POST", "/contactList/getAllListDetails?type=call", {}), 401)
    future, fam = family_on(server_factory, http, "--clock-start", START_2030)
    now = int(time.time())
    token = fam.tenant.token(iat=now, exp=now + 3600)
    assert_error(fam.req("POST", "/contactList/getAllListDetails?type=call", {},
                         headers={"auth": token}), 401)
    token = fam.tenant.token(iat=int(EPOCH_2030), exp=int(EPOCH_2030) + 3600)
    r = fam.req("POST", "/contactList/getAllListDetails?type=call", {}, headers={"auth": token})
    assert r.status_code == 200, r.text
    assert past.alive() and future.alive()


def test_cli_token_is_issued_on_the_clock(server_factory, http):
    srv, fam = family_on(server_factory, http, "--clock-start", START_2030)
    r = run_cli("token", "--client-id", fam.tenant.client_id, "--db", srv.db, "--ttl", "600",
                "--clock-start", START_2030)
    assert r.returncode == 0, r.stderr
    tok = r.stdout.strip()
    claims = jwt.decode(tok, options={"verify_signature": False})
    assert abs(claims["iat"] - EPOCH_2030) < 60, claims
    assert claims["exp"] - claims["iat"] == 600
    # the 2030 server takes it; its own clock agrees
    ok = fam.req("POST", "/contactList/getAllListDetails?type=call", {}, headers={"auth": tok})
    assert ok.status_code == 200, ok.text
    # a token from the system clock's CLI has expired by the 2030 server's clock
    r = run_cli("token", "--client-id", fam.tenant.client_id, "--db", srv.db, "--ttl", "600")
    old = r.stdout.strip()
    assert_error(fam.req("POST", "/contactList/getAllListDetails?type=call", {},
                         headers={"auth": old}), 401)


def test_bad_clock_options_are_refused(tmp_path):
    db = tmp_path / "c.db"
    cases = [
        (["--clock-rate", "0"], "--clock-rate must be a number from 1 to 100000"),
        (["--clock-rate", "100001"], "--clock-rate must be a number from 1 to 100000"),
        (["--clock-rate=abc"], "--clock-rate must be a number from 1 to 100000"),
        (["--clock-rate", "nan"], "--clock-rate must be a number from 1 to 100000"),
        (["--clock-rate"], "--clock-rate must be a number from 1 to 100000"),
        (["--clock-start", "yesterday"], "--clock-start must be an RFC 3339 timestamp"),
        (["--clock-start=2030-02-30T00:00:00Z"], "--clock-start must be an RFC 3339 timestamp"),
    ]
    for args, message in cases:
        r = run_cli("app", "create", "--account", "acc1", "--db", db, *args)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert message in r.stderr, (args, r.stderr)
        assert not db.exists() or "acc1" not in run_cli("export", "--account", "acc1",
                                                        "--stream", "st-x", "--db", db).stdout
    # both forms, anywhere after the command, with a fractional rate
    r = run_cli("app", "create", "--clock-rate=2.5", "--account", "acc2", "--db", db,
                "--clock-start", START_2030)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["accountId"] == "acc2"
