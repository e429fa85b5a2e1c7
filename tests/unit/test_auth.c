/* test_auth.c - the JWT checks of contract §1: auth_verify_token,
 * auth_peek_app_id and auth_sign_token (auth.h).
 *
 * Tokens are made by auth_sign_token and by hand: base64url of a header and
 * a payload written here, signed with OpenSSL's HMAC (checked against RFC
 * 4231 and against auth_sign_token itself). */
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "testutil.h"
#include "auth.h"

#define NOW 1765185441LL /* 2025-12-08T09:17:21Z */
#define SECRET "k7Qm2vX9pL4sT8wZ1nB6rY3cF5hJ0dGa"
#define CLIENT "cs-3f6c1a2b-9d4e-4f70-8a1b-2c3d4e5f6a7b"

/* ---- HMAC ------------------------------------------------------------------ */

enum hash { SHA256, SHA512 };

/* HMAC (RFC 2104) with OpenSSL, which libjwt already links; returns the MAC
 * length, writes at most 64 bytes. */
static size_t hmac(enum hash hf, const void *key, size_t klen, const void *msg, size_t mlen,
                   uint8_t out[64])
{
    unsigned int n = 0;
    assert_non_null(HMAC(hf == SHA256 ? EVP_sha256() : EVP_sha512(), key, (int)klen, msg, mlen,
                         out, &n));
    return n;
}

/* ---- tokens by hand ------------------------------------------------------- */

static char *b64url(const void *data, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const uint8_t *d = data;
    char *out = xmalloc(n / 3 * 4 + 5);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        if (i + 1 < n)
            out[o++] = tab[v >> 6 & 63];
        if (i + 2 < n)
            out[o++] = tab[v & 63];
    }
    out[o] = '\0';
    return out;
}

/* "h64.p64." followed by the base64url HMAC of "h64.p64" with key. */
static char *sign_segments(const char *h64, const char *p64, enum hash hf, const char *key,
                           size_t klen)
{
    size_t n = strlen(h64) + 1 + strlen(p64);
    char *input = xmalloc(n + 1);
    snprintf(input, n + 1, "%s.%s", h64, p64);
    uint8_t mac[64];
    size_t mlen = hmac(hf, key, klen, input, n, mac);
    char *sig = b64url(mac, mlen);
    char *tok = xmalloc(n + 1 + strlen(sig) + 1);
    snprintf(tok, n + 1 + strlen(sig) + 1, "%s.%s", input, sig);
    free(sig);
    free(input);
    return tok;
}

/* A token for header and payload (JSON with ' for "), signed with hf. */
static char *token_alg(const char *header_sq, const char *payload_sq, enum hash hf,
                       const char *secret)
{
    char *h = sq(header_sq), *p = sq(payload_sq);
    char *h64 = b64url(h, strlen(h)), *p64 = b64url(p, strlen(p));
    char *tok = sign_segments(h64, p64, hf, secret, strlen(secret));
    free(h);
    free(p);
    free(h64);
    free(p64);
    return tok;
}

#define HS256_HEADER "{'alg':'HS256','typ':'JWT'}"

static char *token(const char *payload_sq, const char *secret)
{
    return token_alg(HS256_HEADER, payload_sq, SHA256, secret);
}

/* auth_verify_token on a token given with ' for " in its JSON. */
static int verify_payload(const char *payload_sq, int64_t now)
{
    char *tok = token(payload_sq, SECRET);
    int rc = auth_verify_token(tok, SECRET, now);
    free(tok);
    return rc;
}

/* A payload with appId and one more claim: "'appId':'cs-…', <extra>". */
static int verify_claims(const char *extra, int64_t now)
{
    char p[512];
    snprintf(p, sizeof p, "{'appId':'%s'%s%s}", CLIENT, extra[0] ? "," : "", extra);
    return verify_payload(p, now);
}

static char *decode_segment(const char *tok, int which)
{
    const char *s = tok;
    for (int i = 0; i < which; i++)
        s = strchr(s, '.') + 1;
    size_t n = strcspn(s, ".");
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *out = xmalloc(n + 1);
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *c = strchr(tab, s[i]);
        assert_non_null(c);
        acc = acc << 6 | (uint32_t)(c - tab);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)(acc >> bits & 0xff);
        }
    }
    out[o] = '\0';
    return out;
}

/* ---- the tests ------------------------------------------------------------ */

static void assert_hex(const uint8_t *d, size_t n, const char *hex)
{
    char buf[129];
    for (size_t i = 0; i < n; i++)
        snprintf(buf + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(buf, hex);
}

static void test_hmac_rfc4231(void **state)
{
    (void)state;
    uint8_t mac[64];
    /* Test case 2. */
    assert_int_equal(hmac(SHA256, "Jefe", 4, "what do ya want for nothing?", 28, mac), 32);
    assert_hex(mac, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assert_int_equal(hmac(SHA512, "Jefe", 4, "what do ya want for nothing?", 28, mac), 64);
    assert_hex(mac, 64,
               "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a"
               "6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
    /* Test case 6: a key longer than the block. */
    uint8_t key[131];
    memset(key, 0xaa, sizeof key);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    hmac(SHA256, key, sizeof key, m6, strlen(m6), mac);
    assert_hex(mac, 32, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    hmac(SHA512, key, sizeof key, m6, strlen(m6), mac);
    assert_hex(mac, 64,
               "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598"
               "bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
}

static void test_sign_token_verifies(void **state)
{
    (void)state;
    char *tok = auth_sign_token(CLIENT, SECRET, NOW, 3600);
    assert_non_null(tok);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), 0);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW + 3600 + 59), 0);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW + 3600 + 60), -1);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW - 60), 0);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW - 61), -1); /* iat in the future */
    assert_int_equal(auth_verify_token(tok, "k7Qm2vX9pL4sT8wZ1nB6rY3cF5hJ0dGb", NOW), -1);

    /* Its shape: HS256 header; appId, sub, iat, exp; our HMAC agrees. */
    char *h = decode_segment(tok, 0), *p = decode_segment(tok, 1);
    json_t *hj = json_loads(h, 0, NULL), *pj = json_loads(p, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(hj, "alg")), "HS256");
    assert_string_equal(json_string_value(json_object_get(pj, "appId")), CLIENT);
    assert_true(json_is_string(json_object_get(pj, "sub")));
    assert_int_equal(json_integer_value(json_object_get(pj, "iat")), NOW);
    assert_int_equal(json_integer_value(json_object_get(pj, "exp")), NOW + 3600);
    json_decref(hj);
    json_decref(pj);
    free(h);
    free(p);
    const char *d2 = strrchr(tok, '.');
    uint8_t mac[64];
    hmac(SHA256, SECRET, strlen(SECRET), tok, (size_t)(d2 - tok), mac);
    char *sig = b64url(mac, 32);
    assert_string_equal(d2 + 1, sig);
    free(sig);

    char id[IDS_MAX + 1];
    assert_int_equal(auth_peek_app_id(tok, id, sizeof id), 0);
    assert_string_equal(id, CLIENT);
    free(tok);

    /* No ttl: no exp, valid whatever the future. */
    tok = auth_sign_token(CLIENT, SECRET, NOW, 0);
    assert_non_null(tok);
    p = decode_segment(tok, 1);
    pj = json_loads(p, 0, NULL);
    assert_null(json_object_get(pj, "exp"));
    json_decref(pj);
    free(p);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW + 100LL * 365 * 86400), 0);
    free(tok);
}

static void test_hand_made_hs256_accepted(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "{'appId':'%s','sub':'x','iat':%lld}", CLIENT, NOW);
    assert_int_equal(verify_payload(p, NOW), 0);
    assert_int_equal(verify_claims("", NOW), 0); /* no time claims at all */
    char *tok = token_alg("{'alg':'HS256'}", "{'appId':'cs-1'}", SHA256, SECRET);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), 0);
    free(tok);
    tok = token_alg("{'typ':'JWT','alg':'HS256','kid':'k1'}", "{'appId':'cs-1','extra':[1,{}]}",
                    SHA256, SECRET);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), 0);
    free(tok);
    /* The key is the secret's bytes, whatever they are. */
    tok = token("{'appId':'cs-1'}", "\xc3\xa9t\xc3\xa9 secret with spaces");
    assert_int_equal(auth_verify_token(tok, "\xc3\xa9t\xc3\xa9 secret with spaces", NOW), 0);
    free(tok);
    tok = token("{'appId':'cs-1'}", "s");
    assert_int_equal(auth_verify_token(tok, "s", NOW), 0);
    free(tok);
}

/* Each header (single quotes) with payload_sq, signed with HMAC-SHA256 and
 * SECRET, is refused; fails once, naming every header that was accepted. */
static void refuse_headers(const char *const *headers, size_t n, const char *payload_sq)
{
    char accepted[512] = "";
    for (size_t i = 0; i < n; i++) {
        char *tok = token_alg(headers[i], payload_sq, SHA256, SECRET);
        if (auth_verify_token(tok, SECRET, NOW) != -1)
            snprintf(accepted + strlen(accepted), sizeof accepted - strlen(accepted), " %s",
                     headers[i]);
        free(tok);
    }
    if (accepted[0] != '\0')
        fail_msg("accepted HMAC-SHA256 tokens with headers:%s", accepted);
}

static void test_other_algorithms_rejected(void **state)
{
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "{'appId':'%s','iat':%lld}", CLIENT, NOW);
    /* Properly signed with the right secret, but not HS256. */
    char *tok = token_alg("{'alg':'HS512','typ':'JWT'}", p, SHA512, SECRET);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), -1);
    char id[64];
    assert_int_equal(auth_peek_app_id(tok, id, sizeof id), 0); /* peek does not care */
    free(tok);
    tok = token_alg("{'alg':'HS512','typ':'JWT'}", p, SHA256, SECRET);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), -1);
    free(tok);
    tok = token_alg("{'alg':'HS256','typ':'JWT'}", p, SHA512, SECRET);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), -1);
    free(tok);
    static const char *const headers[] = {
        "{'alg':'HS384'}", "{'alg':'RS256'}", "{'alg':'ES256'}",
        "{'alg':'HS256 '}", "{'alg':''}", "{'alg':null}", "{'alg':256}", "{'typ':'JWT'}", "{}",
        "[]", "'HS256'", "{'alg':['HS256']}",
    };
    refuse_headers(headers, sizeof headers / sizeof headers[0], p);
}

/* "alg" values are case-sensitive (RFC 7515 §4.1.1); contract §1: HS256 only. */
static void test_alg_is_case_sensitive(void **state)
{
    (void)state;
    static const char *const headers[] = {"{'alg':'hs256'}", "{'alg':'Hs256'}",
                                          "{'alg':'hS256','typ':'JWT'}"};
    refuse_headers(headers, sizeof headers / sizeof headers[0], "{'appId':'cs-1'}");
}

static void test_alg_none_rejected(void **state)
{
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "{'appId':'%s','iat':%lld}", CLIENT, NOW);
    char *ps = sq(p);
    char *p64 = b64url(ps, strlen(ps));
    static const char *const headers[] = {
        "{\"alg\":\"none\"}", "{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"alg\":\"None\"}",
        "{\"alg\":\"NONE\"}", "{\"alg\":\"nOnE\"}",
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char *h64 = b64url(headers[i], strlen(headers[i]));
        char buf[1024];
        /* Without a signature ... */
        snprintf(buf, sizeof buf, "%s.%s.", h64, p64);
        assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
        snprintf(buf, sizeof buf, "%s.%s", h64, p64);
        assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
        /* ... and with a valid HS256 signature over the same bytes. */
        char *tok = sign_segments(h64, p64, SHA256, SECRET, strlen(SECRET));
        assert_int_equal(auth_verify_token(tok, SECRET, NOW), -1);
        free(tok);
        free(h64);
    }
    free(p64);
    free(ps);
}

static void test_wrong_secret(void **state)
{
    (void)state;
    char *tok = token("{'appId':'cs-1'}", SECRET);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), 0);
    assert_int_equal(auth_verify_token(tok, "another secret", NOW), -1);
    assert_int_equal(auth_verify_token(tok, "k7Qm2vX9pL4sT8wZ1nB6rY3cF5hJ0dG", NOW), -1);
    assert_int_equal(auth_verify_token(tok, SECRET "a", NOW), -1);
    assert_int_equal(auth_verify_token(tok, "K7Qm2vX9pL4sT8wZ1nB6rY3cF5hJ0dGa", NOW), -1);
    free(tok);
}

static void test_empty_or_null_secret(void **state)
{
    (void)state;
    char *tok = token("{'appId':'cs-1'}", SECRET);
    assert_int_equal(auth_verify_token(tok, "", NOW), -1);
    assert_int_equal(auth_verify_token(tok, NULL, NOW), -1);
    free(tok);
    /* Even a token really signed with the empty key. */
    char *h64 = b64url("{\"alg\":\"HS256\"}", 15);
    char *p64 = b64url("{\"appId\":\"cs-1\"}", 16);
    tok = sign_segments(h64, p64, SHA256, "", 0);
    assert_int_equal(auth_verify_token(tok, "", NOW), -1);
    assert_int_equal(auth_verify_token(tok, NULL, NOW), -1);
    free(tok);
    free(h64);
    free(p64);
}

static char *replace_char(const char *tok, size_t at, char c)
{
    char *t = xstrdup(tok);
    t[at] = c;
    return t;
}

static void test_tampering(void **state)
{
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "{'appId':'%s','iat':%lld}", CLIENT, NOW);
    char *tok = token(p, SECRET);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), 0);
    size_t d1 = (size_t)(strchr(tok, '.') - tok), d2 = (size_t)(strrchr(tok, '.') - tok);
    size_t len = strlen(tok);

    /* Payload: another appId, same signature. */
    char p2[128];
    snprintf(p2, sizeof p2, "{'appId':'%s','iat':%lld}", "cs-3f6c1a2b-9d4e-4f70-8a1b-2c3d4e5f6a7c",
             NOW);
    char *other = token(p2, "not the secret");
    char *forged = xmalloc(len + 64);
    snprintf(forged, len + 64, "%.*s%.*s", (int)(strrchr(other, '.') - other), other,
             (int)(len - d2), tok + d2);
    assert_int_equal(auth_verify_token(forged, SECRET, NOW), -1);
    free(forged);
    free(other);

    /* Every single-character change in header, payload or signature. */
    for (size_t i = 0; i < len; i++) {
        if (i == d1 || i == d2)
            continue;
        char *t = replace_char(tok, i, tok[i] == 'A' ? 'B' : 'A');
        if (auth_verify_token(t, SECRET, NOW) != -1)
            fail_msg("accepted a token changed at %zu: %s", i, t);
        free(t);
    }
    /* Signature truncated, extended, removed, or padded. */
    char *t = xstrdup(tok);
    t[len - 1] = '\0';
    assert_int_equal(auth_verify_token(t, SECRET, NOW), -1);
    t[d2 + 1] = '\0';
    assert_int_equal(auth_verify_token(t, SECRET, NOW), -1);
    free(t);
    char buf[1024];
    snprintf(buf, sizeof buf, "%sA", tok);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    snprintf(buf, sizeof buf, "%s=", tok);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    snprintf(buf, sizeof buf, "%.*s", (int)(d2 + 1), tok);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    /* The signature of another token of the same client. */
    char *tok2 = token("{'appId':'cs-1','n':2}", SECRET);
    snprintf(buf, sizeof buf, "%.*s%s", (int)d2, tok, strrchr(tok2, '.'));
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    free(tok2);
    free(tok);
}

static void test_exp(void **state)
{
    (void)state;
    char c[64];
    snprintf(c, sizeof c, "'exp':%lld", NOW + 3600);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'exp':%lld", NOW);
    assert_int_equal(verify_claims(c, NOW), 0); /* within leeway */
    snprintf(c, sizeof c, "'exp':%lld", NOW - 30);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'exp':%lld", NOW - 59);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'exp':%lld", NOW - 60);
    assert_int_equal(verify_claims(c, NOW), -1);
    snprintf(c, sizeof c, "'exp':%lld", NOW - 61);
    assert_int_equal(verify_claims(c, NOW), -1);
    snprintf(c, sizeof c, "'exp':%lld", NOW - 86400);
    assert_int_equal(verify_claims(c, NOW), -1);
    assert_int_equal(verify_claims("'exp':0", NOW), -1);
    assert_int_equal(verify_claims("'exp':-1", NOW), -1);
    snprintf(c, sizeof c, "'exp':%lld.5", NOW - 59);
    assert_int_equal(verify_claims(c, NOW), 0); /* NumericDate may have a fraction */
    snprintf(c, sizeof c, "'exp':%lld.5", NOW - 61);
    assert_int_equal(verify_claims(c, NOW), -1);
    assert_int_equal(verify_claims("'exp':1e300", NOW), 0);
}

static void test_nbf_and_iat(void **state)
{
    (void)state;
    char c[64];
    snprintf(c, sizeof c, "'nbf':%lld", NOW - 3600);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'nbf':%lld", NOW + 30);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'nbf':%lld", NOW + 60);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'nbf':%lld", NOW + 61);
    assert_int_equal(verify_claims(c, NOW), -1);
    snprintf(c, sizeof c, "'nbf':%lld", NOW + 86400);
    assert_int_equal(verify_claims(c, NOW), -1);
    assert_int_equal(verify_claims("'nbf':1e300", NOW), -1);

    snprintf(c, sizeof c, "'iat':%lld", NOW - 100000);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'iat':%lld", NOW + 30);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'iat':%lld", NOW + 60);
    assert_int_equal(verify_claims(c, NOW), 0);
    snprintf(c, sizeof c, "'iat':%lld", NOW + 61);
    assert_int_equal(verify_claims(c, NOW), -1);
    snprintf(c, sizeof c, "'iat':%lld", NOW + 3600);
    assert_int_equal(verify_claims(c, NOW), -1);
    assert_int_equal(verify_claims("'iat':0", NOW), 0);

    /* All three, each failing alone. */
    char all[160];
    snprintf(all, sizeof all, "'iat':%lld,'nbf':%lld,'exp':%lld", NOW - 10, NOW - 10, NOW + 10);
    assert_int_equal(verify_claims(all, NOW), 0);
    assert_int_equal(verify_claims(all, NOW + 71), -1);  /* expired */
    assert_int_equal(verify_claims(all, NOW - 71), -1);  /* not yet valid, issued later */
}

static void test_time_claims_must_be_numbers(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "'exp':'9999999999'", "'exp':'1765185441'", "'exp':true", "'exp':null", "'exp':[1]",
        "'exp':{}", "'nbf':'0'", "'nbf':false", "'nbf':null", "'iat':'0'", "'iat':null",
        "'iat':[]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (verify_claims(bad[i], NOW) != -1)
            fail_msg("accepted a payload with %s", bad[i]);
}

static void test_app_id_claim(void **state)
{
    (void)state;
    assert_int_equal(verify_payload("{'appId':'cs-1'}", NOW), 0);
    static const char *const bad[] = {
        "{}", "{'sub':'cs-1'}", "{'appid':'cs-1'}", "{'AppId':'cs-1'}", "{'app_id':'cs-1'}",
        "{'appId ':'cs-1'}", "{'appId':1}", "{'appId':null}", "{'appId':true}",
        "{'appId':['cs-1']}", "{'appId':{'id':'cs-1'}}", "{'data':{'appId':'cs-1'}}",
    };
    char id[64];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (verify_payload(bad[i], NOW) != -1)
            fail_msg("accepted payload %s", bad[i]);
        char *tok = token(bad[i], SECRET);
        assert_int_equal(auth_peek_app_id(tok, id, sizeof id), -1);
        free(tok);
    }
}

static void test_payload_duplicates_and_shape(void **state)
{
    (void)state;
    char id[64];
    static const char *const bad[] = {
        "{'appId':'cs-1','appId':'cs-2'}",
        "{'appId':'cs-1','appId':'cs-1'}",
        "{'appId':'cs-1','exp':1,'exp':99999999999}",
        "{'appId':'cs-1','nbf':1,'nbf':1}",
        "{'appId':'cs-1','x':{'y':1,'y':2}}",
        "['appId','cs-1']",
        "'cs-1'",
        "null",
        "",
        "{'appId':'cs-1'",
        "{'appId':'cs-1'} {}",
        "{'appId':'cs-1',}",
        "{'appId':'cs-\\u0000'}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *tok = token(bad[i], SECRET);
        if (auth_verify_token(tok, SECRET, NOW) != -1)
            fail_msg("accepted payload %s", bad[i]);
        if (i < 2 && auth_peek_app_id(tok, id, sizeof id) != -1)
            fail_msg("peeked into payload %s", bad[i]);
        free(tok);
    }
}

static void test_malformed_tokens(void **state)
{
    (void)state;
    char *good = token("{'appId':'cs-1'}", SECRET);
    assert_int_equal(auth_verify_token(good, SECRET, NOW), 0);
    char buf[1024];
    const char *d1 = strchr(good, '.'), *d2 = strrchr(good, '.');
    static const char *const junk[] = {
        "", ".", "..", "...", "abc", "abc.def", "a.b.c", "a.b.c.d", "Bearer x.y.z", "null",
        "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9.", "eyJhbGciOiJIUzI1NiJ9..",
        ".eyJhcHBJZCI6ImNzLTEifQ.", "\xff\xfe.\x01.\x02",
    };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        if (auth_verify_token(junk[i], SECRET, NOW) != -1)
            fail_msg("accepted \"%s\"", junk[i]);
        char id[64];
        if (junk[i][0] != '.') /* that one has a readable payload */
            assert_int_equal(auth_peek_app_id(junk[i], id, sizeof id), -1);
    }
    /* Dots removed. */
    snprintf(buf, sizeof buf, "%.*s%s", (int)(d1 - good), good, d1 + 1);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    snprintf(buf, sizeof buf, "%.*s%s", (int)(d2 - good), good, d2 + 1);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    /* A fourth segment, even empty. */
    snprintf(buf, sizeof buf, "%s.%s", good, d2 + 1);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    snprintf(buf, sizeof buf, "%s.", good);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    char id[64];
    assert_int_equal(auth_peek_app_id(buf, id, sizeof id), -1);
    /* Surrounding whitespace, a Bearer prefix (auth_check strips that, not this). */
    snprintf(buf, sizeof buf, " %s", good);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    snprintf(buf, sizeof buf, "%s\n", good);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    snprintf(buf, sizeof buf, "Bearer %s", good);
    assert_int_equal(auth_verify_token(buf, SECRET, NOW), -1);
    free(good);
}

/* Segments that are not base64url, signed correctly over their text. */
static void test_bad_base64_segments(void **state)
{
    (void)state;
    char *h64 = b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 27);
    char *p64 = b64url("{\"appId\":\"cs-1\"}", 16);
    char *tok = sign_segments(h64, p64, SHA256, SECRET, strlen(SECRET));
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), 0);
    free(tok);

    char seg[256];
    char accepted[1024] = "";
    /* A character outside the base64url alphabet, in the payload, then in the
     * header. */
    static const char *const inserts[] = {"!", "*", "+", "/", " ", "%", "\\", "\x80", "="};
    static const char *const shown[] = {"!", "*", "+", "/", "' '", "%", "\\", "0x80", "="};
    for (int which = 0; which < 2; which++) {
        const char *s64 = which == 0 ? p64 : h64;
        for (size_t i = 0; i < sizeof inserts / sizeof inserts[0]; i++) {
            snprintf(seg, sizeof seg, "%.8s%s%s", s64, inserts[i], s64 + 8);
            tok = which == 0 ? sign_segments(h64, seg, SHA256, SECRET, strlen(SECRET))
                             : sign_segments(seg, p64, SHA256, SECRET, strlen(SECRET));
            if (auth_verify_token(tok, SECRET, NOW) != -1)
                snprintf(accepted + strlen(accepted), sizeof accepted - strlen(accepted),
                         " %s in the %s;", shown[i], which == 0 ? "payload" : "header");
            free(tok);
        }
    }
    free(h64);
    free(p64);
    if (accepted[0] != '\0')
        fail_msg("accepted correctly signed tokens with a segment that is not base64url, "
                 "a character inserted after 8:%s", accepted);
}

/* Builds an HS256 token whose total length is exactly `want`, padding with
 * a "sub" claim and a "kid" header; NULL when no combination fits. */
static char *token_of_length(size_t want)
{
    for (size_t kid = 0; kid < 4; kid++) {
        char h[64];
        snprintf(h, sizeof h, "{'alg':'HS256','kid':'%.*s'}", (int)kid, "kkkk");
        char *hs = sq(h);
        size_t h64len = (strlen(hs) * 4 + 2) / 3;
        free(hs);
        for (size_t n = 0; n < want; n++) {
            size_t plen = strlen("{\"appId\":\"cs-1\",\"sub\":\"\"}") + n;
            size_t p64len = (plen * 4 + 2) / 3;
            if (h64len + 1 + p64len + 1 + 43 != want)
                continue;
            char *p = xmalloc(n + 64);
            snprintf(p, n + 64, "{'appId':'cs-1','sub':'%*s'}", (int)n, "");
            char *tok = token_alg(h, p, SHA256, SECRET);
            free(p);
            assert_int_equal(strlen(tok), want);
            return tok;
        }
    }
    return NULL;
}

static void test_token_size_limit(void **state)
{
    (void)state;
    char *tok = token_of_length(AUTH_TOKEN_MAX);
    assert_non_null(tok);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), 0);
    char id[64];
    assert_int_equal(auth_peek_app_id(tok, id, sizeof id), 0);
    free(tok);
    tok = token_of_length(AUTH_TOKEN_MAX + 1);
    assert_non_null(tok);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), -1);
    free(tok);
    tok = token_of_length(100000);
    assert_non_null(tok);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), -1);
    assert_int_equal(auth_peek_app_id(tok, id, sizeof id), -1);
    free(tok);
}

static void test_peek_app_id(void **state)
{
    (void)state;
    char id[IDS_MAX + 8];
    char *tok = token("{'appId':'" CLIENT "','exp':1}", "whatever");
    /* Neither the signature nor the time claims matter to peek. */
    memset(id, 'X', sizeof id);
    assert_int_equal(auth_peek_app_id(tok, id, sizeof id), 0);
    assert_string_equal(id, CLIENT);
    /* cap counts the NUL. */
    memset(id, 'X', sizeof id);
    assert_int_equal(auth_peek_app_id(tok, id, strlen(CLIENT) + 1), 0);
    assert_string_equal(id, CLIENT);
    memset(id, 'X', sizeof id);
    assert_int_equal(auth_peek_app_id(tok, id, strlen(CLIENT)), -1);
    assert_int_equal(id[0], 'X');
    assert_int_equal(auth_peek_app_id(tok, id, 0), -1);
    free(tok);
    /* An alg none token still names its client (the caller then fails it). */
    char *h64 = b64url("{\"alg\":\"none\"}", 15);
    char *p64 = b64url("{\"appId\":\"cs-9\"}", 16);
    char buf[256];
    snprintf(buf, sizeof buf, "%s.%s.", h64, p64);
    assert_int_equal(auth_peek_app_id(buf, id, sizeof id), 0);
    assert_string_equal(id, "cs-9");
    free(h64);
    free(p64);
    /* Empty and odd ids are returned as they are. */
    tok = token("{'appId':''}", SECRET);
    assert_int_equal(auth_peek_app_id(tok, id, sizeof id), 0);
    assert_string_equal(id, "");
    free(tok);
    tok = token("{'appId':'\\u00e9\\\"'}", SECRET);
    assert_int_equal(auth_peek_app_id(tok, id, sizeof id), 0);
    assert_string_equal(id, "\xc3\xa9\"");
    free(tok);
}

static void test_sign_token_edge_cases(void **state)
{
    (void)state;
    /* An empty secret cannot sign (and could not verify anyway). */
    char *tok = auth_sign_token(CLIENT, "", NOW, 60);
    if (tok != NULL)
        assert_int_equal(auth_verify_token(tok, "", NOW), -1);
    free(tok);
    /* Client ids are carried verbatim, JSON-escaped. */
    tok = auth_sign_token("cs-\"quoted\"\\", SECRET, NOW, 0);
    assert_non_null(tok);
    char id[64];
    assert_int_equal(auth_peek_app_id(tok, id, sizeof id), 0);
    assert_string_equal(id, "cs-\"quoted\"\\");
    assert_int_equal(auth_verify_token(tok, SECRET, NOW), 0);
    free(tok);
    /* A negative ttl means no exp. */
    tok = auth_sign_token(CLIENT, SECRET, NOW, -5);
    assert_non_null(tok);
    assert_int_equal(auth_verify_token(tok, SECRET, NOW + 1000000), 0);
    free(tok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_rfc4231),
        cmocka_unit_test(test_sign_token_verifies),
        cmocka_unit_test(test_hand_made_hs256_accepted),
        cmocka_unit_test(test_other_algorithms_rejected),
        cmocka_unit_test(test_alg_is_case_sensitive),
        cmocka_unit_test(test_alg_none_rejected),
        cmocka_unit_test(test_wrong_secret),
        cmocka_unit_test(test_empty_or_null_secret),
        cmocka_unit_test(test_tampering),
        cmocka_unit_test(test_exp),
        cmocka_unit_test(test_nbf_and_iat),
        cmocka_unit_test(test_time_claims_must_be_numbers),
        cmocka_unit_test(test_app_id_claim),
        cmocka_unit_test(test_payload_duplicates_and_shape),
        cmocka_unit_test(test_malformed_tokens),
        cmocka_unit_test(test_bad_base64_segments),
        cmocka_unit_test(test_token_size_limit),
        cmocka_unit_test(test_peek_app_id),
        cmocka_unit_test(test_sign_token_edge_cases),
    };
    return unit_run(tests);
}
