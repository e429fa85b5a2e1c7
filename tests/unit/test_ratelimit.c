/* test_ratelimit.c - token buckets: burst, refill, Retry-After, keys apart. */
#include "testutil.h"
#include "ratelimit.h"

static void test_burst_then_wait(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(2, 3);   /* 2/s, 3 at once */
    int64_t t = 1000000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ratelimit_take(rl, "cs-a", t), 0);
    assert_int_equal(ratelimit_take(rl, "cs-a", t), 1);  /* half a second: whole 1 */
    assert_int_equal(ratelimit_take(rl, "cs-a", t + 499), 1);
    assert_int_equal(ratelimit_take(rl, "cs-a", t + 500), 0); /* one token back */
    assert_int_equal(ratelimit_take(rl, "cs-a", t + 500), 1);
    /* a long pause refills to the burst, not beyond */
    t += 60000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ratelimit_take(rl, "cs-a", t), 0);
    assert_true(ratelimit_take(rl, "cs-a", t) > 0);
    ratelimit_free(rl);
}

static void test_keys_are_independent(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(1, 1);
    assert_int_equal(ratelimit_take(rl, "cs-a", 5000), 0);
    assert_int_equal(ratelimit_take(rl, "cs-a", 5000), 1);
    assert_int_equal(ratelimit_take(rl, "cs-b", 5000), 0);
    ratelimit_free(rl);
}

static void test_slow_rate_retry_after(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0.1, 1);  /* one per 10 s */
    assert_int_equal(ratelimit_take(rl, "k", 1000), 0);
    assert_int_equal(ratelimit_take(rl, "k", 1000), 10);
    assert_int_equal(ratelimit_take(rl, "k", 6000), 5);
    ratelimit_free(rl);
}

static void test_many_keys_bounded(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(1, 1);
    char key[32];
    /* far more keys than slots: every new key is allowed once */
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "cs-%d", i);
        assert_int_equal(ratelimit_take(rl, key, 1000 + i), 0);
    }
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_wait),
        cmocka_unit_test(test_keys_are_independent),
        cmocka_unit_test(test_slow_rate_retry_after),
        cmocka_unit_test(test_many_keys_bounded),
    };
    return unit_run(tests);
}
