/* test_lcache.c - the listing cache (lcache.h): hits give back the bytes
 * stored, replacing a key replaces its value, the byte budget holds by
 * evicting the least recently used, oversized values are not kept, and
 * many threads at once see only values that were put. */
#include <pthread.h>

#include "testutil.h"
#include "lcache.h"

static char *get(struct lcache *c, const char *key, size_t *len)
{
    return lcache_get(c, key, strlen(key), len);
}

static void put(struct lcache *c, const char *key, const char *val)
{
    lcache_put(c, key, strlen(key), val, strlen(val));
}

static void test_hit_miss_replace(void **state)
{
    (void)state;
    struct lcache *c = lcache_new(1 << 20);
    size_t len = 0;
    assert_null(get(c, "a", &len));
    put(c, "a", "alpha");
    char *v = get(c, "a", &len);
    assert_non_null(v);
    assert_int_equal(len, 5);
    assert_memory_equal(v, "alpha", 5);
    assert_int_equal(v[len], '\0');
    free(v);
    put(c, "a", "ALPHA!");
    v = get(c, "a", &len);
    assert_int_equal(len, 6);
    assert_memory_equal(v, "ALPHA!", 6);
    free(v);
    /* Keys are bytes: a longer key is another key. */
    assert_null(get(c, "", &len));
    lcache_put(c, "ab", 2, "x", 1);
    v = lcache_get(c, "ab", 2, &len);
    assert_non_null(v);
    assert_memory_equal(v, "x", 1);
    free(v);
    v = get(c, "a", &len);
    assert_memory_equal(v, "ALPHA!", 6);
    free(v);
    struct lcache_stats st;
    lcache_stats(c, &st);
    assert_int_equal(st.entries, 2);
    assert_int_equal(st.hits, 4);
    assert_int_equal(st.misses, 2);
    lcache_free(c);
}

static void test_budget_evicts_least_recent(void **state)
{
    (void)state;
    char val[1000];
    memset(val, 'v', sizeof val - 1);
    val[sizeof val - 1] = '\0';
    struct lcache *c = lcache_new(64 * 1024);
    char key[32];
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "k%d", i);
        put(c, key, val);
        /* k0 is read after every put, so it stays the most recent. */
        size_t len;
        free(get(c, "k0", &len));
    }
    struct lcache_stats st;
    lcache_stats(c, &st);
    assert_true(st.bytes <= 64 * 1024);
    assert_true(st.evictions > 100);
    size_t len;
    char *v = get(c, "k0", &len);
    assert_non_null(v);
    free(v);
    assert_null(get(c, "k1", &len));         /* the oldest untouched went first */
    assert_non_null(v = get(c, "k199", &len)); /* the newest is there */
    free(v);
    /* A value larger than an eighth of the budget is not kept. */
    char *big = malloc(9 * 1024);
    memset(big, 'b', 9 * 1024);
    lcache_put(c, "big", 3, big, 9 * 1024);
    assert_null(lcache_get(c, "big", 3, &len));
    free(big);
    lcache_free(c);
    /* No budget, no cache: every call accepts NULL. */
    assert_null(lcache_new(0));
    lcache_put(NULL, "a", 1, "b", 1);
    assert_null(lcache_get(NULL, "a", 1, &len));
    lcache_stats(NULL, &st);
    assert_int_equal(st.entries, 0);
    lcache_free(NULL);
}

static void test_many_entries_grow(void **state)
{
    (void)state;
    struct lcache *c = lcache_new(64 << 20);
    char key[32], val[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        snprintf(val, sizeof val, "value-%d", i);
        put(c, key, val);
    }
    for (int i = 0; i < 20000; i += 7) {
        snprintf(key, sizeof key, "key-%d", i);
        snprintf(val, sizeof val, "value-%d", i);
        size_t len;
        char *v = get(c, key, &len);
        assert_non_null(v);
        assert_string_equal(v, val);
        free(v);
    }
    lcache_free(c);
}

struct worker {
    struct lcache *c;
    int id, bad;
};

/* Values are derived from their key, so any torn or crossed value shows. */
static void *work(void *arg)
{
    struct worker *w = arg;
    char key[16], val[64];
    for (int i = 0; i < 20000; i++) {
        int k = (i * 7 + w->id * 13) % 300;
        snprintf(key, sizeof key, "%d", k);
        snprintf(val, sizeof val, "value of %d, repeated: %d %d", k, k, k);
        if (i % 3 == 0) {
            put(w->c, key, val);
        } else {
            size_t len;
            char *v = get(w->c, key, &len);
            if (v != NULL && (len != strlen(val) || memcmp(v, val, len) != 0))
                w->bad++;
            free(v);
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct lcache *c = lcache_new(8 * 1024); /* small: evictions all the time */
    pthread_t t[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){c, i, 0};
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].bad, 0);
    }
    struct lcache_stats st;
    lcache_stats(c, &st);
    assert_true(st.bytes <= 8 * 1024);
    lcache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_miss_replace),
        cmocka_unit_test(test_budget_evicts_least_recent),
        cmocka_unit_test(test_many_entries_grow),
        cmocka_unit_test(test_threads),
    };
    return unit_run(tests);
}
