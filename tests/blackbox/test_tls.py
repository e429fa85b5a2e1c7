"""Issue 9 item 5: HTTPS with --tls-cert/--tls-key (libmicrohttpd's GnuTLS),
with a certificate made by the test: TLS 1.2 or 1.3 with AEAD ciphers only;
the listener's deadlines close a silent TLS connection without writing
clear text; bad options are refused with one line."""
import json
import socket
import ssl
import subprocess
import time

import pytest
import requests

from conftest import app_create, run_cli, stop_cleanly


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    crt, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(crt), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return crt, key


def tls_server(server_factory, cert, *args, db=None):
    crt, key = cert
    return server_factory("--tls-cert", crt, "--tls-key", key, *args, db=db)


def test_https_serves_the_api(server_factory, cert, tmp_path):
    db = tmp_path / "tls.db"
    t = app_create(db)
    srv = tls_server(server_factory, cert, db=db)
    base = f"https://127.0.0.1:{srv.port}"
    r = requests.get(base + "/healthz", verify=str(cert[0]), timeout=10)
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert r.headers["x-request-id"]
    path = srv.list_url(t.stream, t.account).replace(f"http://127.0.0.1:{srv.port}", base)
    r = requests.post(path, headers=t.headers(), data=json.dumps({"type": "sms"}),
                      verify=str(cert[0]), timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["totalResults"] == 0
    # plain HTTP on the TLS port gets no HTTP answer
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{srv.port}/healthz", timeout=5)
    stop_cleanly(srv)


def handshake(port, ctx):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
            return s.version(), s.cipher()[0]


def test_only_tls12_and_13_with_aead_ciphers(server_factory, cert):
    srv = tls_server(server_factory, cert)
    ctx = ssl.create_default_context(cafile=str(cert[0]))
    version, cipher = handshake(srv.port, ctx)
    assert version in ("TLSv1.2", "TLSv1.3")
    assert "GCM" in cipher or "CHACHA20" in cipher, cipher
    # TLS 1.2 with each AEAD family works
    for suite in ("ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                  "ECDHE-RSA-CHACHA20-POLY1305"):
        c = ssl.create_default_context(cafile=str(cert[0]))
        c.maximum_version = ssl.TLSVersion.TLSv1_2
        c.set_ciphers(suite)
        assert handshake(srv.port, c) == ("TLSv1.2", suite)
    # a client offering only CBC suites, or only RSA key exchange, is refused
    for suite in ("ECDHE-RSA-AES128-SHA", "AES128-SHA", "AES128-GCM-SHA256"):
        c = ssl.create_default_context(cafile=str(cert[0]))
        c.maximum_version = ssl.TLSVersion.TLSv1_2
        c.set_ciphers(suite + ":@SECLEVEL=0")
        with pytest.raises((ssl.SSLError, ConnectionError)):
            handshake(srv.port, c)
    # so is a client that speaks at most TLS 1.1 (whichever side gives up)
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.load_verify_locations(cafile=str(cert[0]))
    c.minimum_version = ssl.TLSVersion.TLSv1
    c.maximum_version = ssl.TLSVersion.TLSv1_1
    c.set_ciphers("ALL:@SECLEVEL=0")
    with pytest.raises((ssl.SSLError, ConnectionError)):
        handshake(srv.port, c)
    assert srv.alive()
    stop_cleanly(srv)


def test_a_silent_tls_connection_is_closed_without_clear_text(server_factory, cert):
    srv = tls_server(server_factory, cert, "--request-timeout", "1")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        t0 = time.monotonic()
        s.settimeout(5)
        try:
            data = s.recv(4096)
        except ConnectionError:
            data = b""
        took = time.monotonic() - t0
    assert data == b"" and 0.9 < took < 3.0, (data[:40], took)
    stop_cleanly(srv)


def test_tls_options_are_checked(tmp_path, cert):
    crt, key = cert
    for args, code in ((["--tls-cert", crt], 2), (["--tls-key", key], 2),
                       (["--tls-cert", tmp_path / "missing.pem", "--tls-key", key], 1),
                       (["--tls-cert", key, "--tls-key", crt], 1)):
        r = run_cli("serve", "--listen", "127.0.0.1:0", "--db", tmp_path / "x.db", *args,
                    timeout=20)
        assert r.returncode == code, (args, r.returncode, r.stderr)
        errors = [l for l in r.stderr.splitlines() if " error " in l or "campaignd serve" in l]
        assert errors, r.stderr
