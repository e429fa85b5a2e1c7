/* test_auth_cache.c - auth_check against a real SQLite store: a remembered
 * token gives the answer a full verification would (expiry, nbf, the
 * client's current secret and app), and the check order of contract §1. */
#include <unistd.h>

#include "testutil.h"
#include "auth.h"
#include "store.h"

static struct store *st;
static struct store_creds cr, other;
static char dbpath[64];

static int setup(void **state)
{
    (void)state;
    struct store_err e = STORE_ERR_INIT;
    snprintf(dbpath, sizeof dbpath, "/tmp/campaignd-auth-%d.db", (int)getpid());
    unlink(dbpath);
    st = store_open(dbpath, 1, &e);
    assert_non_null(st);
    assert_int_equal(store_app_create(st, "acct1", NULL, "a", SCOPE_CAMPAIGNS, &cr, &e), STORE_OK);
    assert_int_equal(store_app_create(st, "acct2", NULL, "b", SCOPE_CAMPAIGNS, &other, &e),
                     STORE_OK);
    store_err_clear(&e);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    auth_cache_clear();
    char p[80];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
    return 0;
}

/* auth_check's status for token at now (0 when accepted). */
static int check(const char *token, const struct store_creds *c, int64_t now)
{
    struct auth_request r = {token, c->stream_id, c->account_id, NULL, c->stream_id, now};
    struct tenant t;
    struct apierr e;
    apierr_init(&e);
    int rc = auth_check(st, &r, &t, &e);
    int status = rc == 0 ? 0 : e.status;
    apierr_clear(&e);
    return status;
}

static void test_remembered_token_still_expires(void **state)
{
    (void)state;
    int64_t now = 1800000000;
    char *tok = auth_sign_token(cr.client_id, cr.secret, now, 100);
    assert_int_equal(check(tok, &cr, now), 0);          /* verified, remembered */
    assert_int_equal(check(tok, &cr, now + 50), 0);     /* remembered */
    assert_int_equal(check(tok, &cr, now + 100 + 59), 0); /* within the leeway */
    assert_int_equal(check(tok, &cr, now + 100 + 61), 401);
    /* iat in the future beyond the leeway, on a remembered token */
    assert_int_equal(check(tok, &cr, now - 61), 401);
    free(tok);
}

static void test_remembered_token_checks_tenancy_each_time(void **state)
{
    (void)state;
    int64_t now = 1800000000;
    char *tok = auth_sign_token(cr.client_id, cr.secret, now, 0);
    assert_int_equal(check(tok, &cr, now), 0);
    /* the same token presented for another app: 403, not a cached yes */
    struct auth_request r = {tok, other.stream_id, other.account_id, NULL, other.stream_id, now};
    struct tenant t;
    struct apierr e;
    apierr_init(&e);
    assert_int_equal(auth_check(st, &r, &t, &e), -1);
    assert_int_equal(e.status, 403);
    apierr_clear(&e);
    free(tok);
}

static void test_other_secret_is_not_remembered(void **state)
{
    (void)state;
    int64_t now = 1800000000;
    char *good = auth_sign_token(cr.client_id, cr.secret, now, 0);
    char *forged = auth_sign_token(cr.client_id, other.secret, now, 0);
    assert_int_equal(check(good, &cr, now), 0);
    assert_int_equal(check(forged, &cr, now), 401);
    assert_int_equal(check(forged, &cr, now), 401);  /* a failure is never remembered */
    assert_int_equal(check(good, &cr, now), 0);
    /* a token differing in its last byte is verified afresh and refused */
    char *tampered = xstrdup(good);
    size_t n = strlen(tampered);
    tampered[n - 1] = tampered[n - 1] == 'A' ? 'B' : 'A';
    assert_int_equal(check(tampered, &cr, now), 401);
    free(tampered);
    free(good);
    free(forged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remembered_token_still_expires),
        cmocka_unit_test(test_remembered_token_checks_tenancy_each_time),
        cmocka_unit_test(test_other_secret_is_not_remembered),
    };
    return unit_run_group(tests, setup, teardown);
}
