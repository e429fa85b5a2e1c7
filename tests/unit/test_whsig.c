/* test_whsig.c - Standard Webhooks signatures (whsig.h), base64, and the
 * outcome reports a channel sends back (report.h; execution spec §5.2, §6). */
#include "outcome.h"
#include "report.h"
#include "testutil.h"
#include "whsig.h"

/* The example of the Standard Webhooks specification's libraries. */
#define EX_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define EX_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define EX_TS 1614265330
#define EX_BODY "{\"test\": 2432232314}"
#define EX_SIG "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

static void test_base64(void **state)
{
    (void)state;
    /* RFC 4648 §10 */
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    char enc[16];
    unsigned char dec[16];
    for (int i = 0; i < 7; i++) {
        assert_int_equal(whsig_b64_encode((const unsigned char *)in[i], strlen(in[i]), enc),
                         strlen(out[i]));
        assert_string_equal(enc, out[i]);
        assert_int_equal(whsig_b64_decode(out[i], strlen(out[i]), dec, sizeof dec),
                         (long)strlen(in[i]));
        assert_memory_equal(dec, in[i], strlen(in[i]));
    }
    /* padding optional; anything else refused */
    assert_int_equal(whsig_b64_decode("Zm8", 3, dec, sizeof dec), 2);
    const char *bad[] = {"Z", "Zm9v!", "Zm=8", "Zm9v Yg==", "Zh==", "Zm9=", "Zg==="};
    for (int i = 0; i < 7; i++)
        assert_int_equal(whsig_b64_decode(bad[i], strlen(bad[i]), dec, sizeof dec), -1);
    assert_int_equal(whsig_b64_decode("Zm9vYmFy", 8, dec, 5), -1); /* too long for out */
}

static void test_sign_and_verify(void **state)
{
    (void)state;
    struct whsig w = {0};
    char sig[WHSIG_HEADER_MAX + 1];
    assert_int_equal(whsig_add(&w, EX_SECRET), 0);
    whsig_sign(&w, EX_ID, EX_TS, EX_BODY, strlen(EX_BODY), sig);
    assert_string_equal(sig, EX_SIG);
    const char *b = EX_BODY;
    size_t n = strlen(b);
    assert_int_equal(whsig_verify(&w, EX_ID, "1614265330", EX_SIG, b, n, EX_TS, 300), WHSIG_OK);
    /* the window: 300 s either way */
    assert_int_equal(whsig_verify(&w, EX_ID, "1614265330", EX_SIG, b, n, EX_TS + 300, 300),
                     WHSIG_OK);
    assert_int_equal(whsig_verify(&w, EX_ID, "1614265330", EX_SIG, b, n, EX_TS + 301, 300),
                     WHSIG_STALE);
    assert_int_equal(whsig_verify(&w, EX_ID, "1614265330", EX_SIG, b, n, EX_TS - 301, 300),
                     WHSIG_STALE);
    assert_int_equal(whsig_verify(&w, EX_ID, "+1614265330", EX_SIG, b, n, EX_TS, 300), WHSIG_STALE);
    /* another id, body, or key; one good signature among others passes */
    assert_int_equal(whsig_verify(&w, "msg_other", "1614265330", EX_SIG, b, n, EX_TS, 300),
                     WHSIG_BAD);
    assert_int_equal(whsig_verify(&w, EX_ID, "1614265330", EX_SIG, b, n - 1, EX_TS, 300),
                     WHSIG_BAD);
    assert_int_equal(
        whsig_verify(&w, EX_ID, "1614265330", "v1,AAAA " EX_SIG " v2,x", b, n, EX_TS, 300),
        WHSIG_OK);
    assert_int_equal(whsig_verify(&w, EX_ID, "1614265330",
                                  "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJE"
                                  "LVlNIOLJ1OE=",
                                  b, n, EX_TS, 300),
                     WHSIG_BAD);
    assert_int_equal(whsig_verify(&w, NULL, "1614265330", EX_SIG, b, n, EX_TS, 300), WHSIG_MISSING);
    assert_int_equal(whsig_verify(&w, EX_ID, "", EX_SIG, b, n, EX_TS, 300), WHSIG_MISSING);
    /* a rotation: two keys, two signatures; either verifies */
    struct whsig two = {0};
    assert_int_equal(whsig_add(&two, "whsec_c2Vjb25k"), 0);
    assert_int_equal(whsig_add(&two, EX_SECRET), 0);
    assert_int_equal(whsig_add(&two, EX_SECRET), -1); /* two at most */
    whsig_sign(&two, EX_ID, EX_TS, b, n, sig);
    assert_non_null(strstr(sig, " " EX_SIG));
    assert_int_equal(strchr(sig, ' ') - sig, (long)strlen(EX_SIG));
    assert_int_equal(whsig_verify(&two, EX_ID, "1614265330", EX_SIG, b, n, EX_TS, 300), WHSIG_OK);
    /* secrets that are not whsec_<base64> */
    struct whsig bad = {0};
    assert_int_equal(whsig_add(&bad, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), -1);
    assert_int_equal(whsig_add(&bad, "whsec_"), -1);
    assert_int_equal(whsig_add(&bad, "whsec_***"), -1);
    assert_int_equal(bad.n, 0);
}

/* The fields report_parse names for body (single quotes), "" when valid. */
static void report_fields(const char *body, char *out, size_t cap, struct report *r)
{
    struct apierr e;
    apierr_init(&e);
    json_t *j = jsq(body);
    int rc = report_parse(j, r, &e);
    fields_of(&e, out, cap);
    assert_int_equal(rc == 0, out[0] == '\0');
    json_decref(j);
    apierr_clear(&e);
}

static void test_report(void **state)
{
    (void)state;
    char f[512];
    struct report r;
    report_fields("{'outcome': 'completed', 'botSessionId': '685d', 'agentDispositionCodes': "
                  "['System Generated'], 'botOutboundStatus': 'userHangUp', "
                  "'botOutboundStatusDetail': 'user_hangup', 'extra': 1}",
                  f, sizeof f, &r);
    assert_string_equal(f, "");
    assert_int_equal(r.outcome, OUT_COMPLETED);
    assert_json(r.detail, "{'botSessionId': '685d', 'botOutboundStatus': 'userHangUp', "
                          "'botOutboundStatusDetail': 'user_hangup', "
                          "'agentDispositionCodes': ['System Generated']}");
    report_clear(&r);
    report_fields("{'outcome': 'timeout'}", f, sizeof f, &r);
    assert_int_equal(r.outcome, OUT_TIMEOUT);
    assert_int_equal(json_object_size(r.detail), 0);
    report_clear(&r);
    const struct {
        const char *body, *fields;
    } bad[] = {
        {"{}", "outcome"},
        {"{'outcome': null}", "outcome"},
        {"{'outcome': 'dnc'}", "outcome"},
        {"{'outcome': 'Completed'}", "outcome"},
        {"{'outcome': 3}", "outcome"},
        {"{'outcome': 'busy', 'botSessionId': 5, 'botOutboundStatus': []}",
         "botSessionId,botOutboundStatus"},
        {"{'outcome': 'busy', 'agentDispositionCodes': 'x'}", "agentDispositionCodes"},
        {"{'outcome': 'busy', 'agentDispositionCodes': ['a', 1, null]}",
         "agentDispositionCodes[1],agentDispositionCodes[2]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        report_fields(bad[i].body, f, sizeof f, &r);
        assert_string_equal(f, bad[i].fields);
        assert_null(r.detail);
    }
    /* sizes: 128 code points, 32 codes */
    char *long_id = rep("é", 129);
    char body[1024];
    snprintf(body, sizeof body, "{'outcome': 'busy', 'botSessionId': '%s'}", long_id);
    report_fields(body, f, sizeof f, &r);
    assert_string_equal(f, "botSessionId");
    free(long_id);
    char *codes = rep("'c',", 33);
    codes[strlen(codes) - 1] = '\0';
    snprintf(body, sizeof body, "{'outcome': 'busy', 'agentDispositionCodes': [%s]}", codes);
    report_fields(body, f, sizeof f, &r);
    assert_string_equal(f, "agentDispositionCodes");
    free(codes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_sign_and_verify),
        cmocka_unit_test(test_report),
    };
    return unit_run(tests);
}
