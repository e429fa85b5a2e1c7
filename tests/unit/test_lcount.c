/* test_lcount.c - the listing's count arithmetic (lcount.h): a plan covers
 * exactly its range, each instant once, within the bounded number of
 * spans; slots and masks agree; vectors survive their text form. */
#include "testutil.h"
#include "lcount.h"

/* How many times the plan counts instant t: once per edge holding it, once
 * per span holding its bucket. */
static int covered(const struct lc_plan *p, int64_t t)
{
    int n = 0;
    for (int i = 0; i < p->nedges; i++)
        n += t >= p->edge_lo[i] && t <= p->edge_hi[i];
    for (int i = 0; i < p->nspans; i++) {
        int64_t b = lc_bucket(t, p->spans[i].level);
        n += b >= p->spans[i].lo && b <= p->spans[i].hi;
    }
    return n;
}

static uint64_t rng = 88172645463325252ULL;
static int64_t next_rand(void)
{
    return (int64_t)(xorshift64(&rng) >> 1);
}

static void check_range(int64_t s, int64_t e)
{
    struct lc_plan p;
    lc_plan(s, e, &p);
    assert_true(p.nspans <= LC_SPANS_MAX);
    assert_true(p.nedges <= 2);
    /* The edges are read from the campaigns: they lie within two level-0
     * buckets in all. */
    int64_t edges = 0;
    for (int i = 0; i < p.nedges; i++)
        edges += p.edge_hi[i] - p.edge_lo[i] + 1;
    assert_true(edges <= 2 * (INT64_C(1) << LC_SHIFT0));
    int64_t lo = s < LC_TIME_MIN ? LC_TIME_MIN : s, hi = e > LC_TIME_MAX ? LC_TIME_MAX : e;
    int64_t probes[] = {lo, hi, lo - 1, hi + 1, lo + 1, hi - 1, (lo / 2) + (hi / 2)};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        int64_t t = probes[i];
        if (t < LC_TIME_MIN || t > LC_TIME_MAX)
            continue;
        assert_int_equal(covered(&p, t), t >= s && t <= e ? 1 : 0);
    }
    for (int k = 0; k < 200; k++) {
        int64_t span = hi - lo;
        int64_t t = span > 0 ? lo + next_rand() % (span + 1) : lo;
        assert_int_equal(covered(&p, t), 1);
        int64_t out = lo - 1 - next_rand() % (INT64_C(1) << 40);
        if (out >= LC_TIME_MIN)
            assert_int_equal(covered(&p, out), 0);
    }
}

static void test_plan_random_ranges(void **state)
{
    (void)state;
    for (int i = 0; i < 3000; i++) {
        /* Ranges of every magnitude, around 2025 and around zero. */
        int scale = (int)(next_rand() % 44);
        int64_t base = i % 3 == 0 ? 0 : INT64_C(1735689600000);
        int64_t s = base + (next_rand() % (INT64_C(1) << 42)) - (INT64_C(1) << 41);
        int64_t e = s + next_rand() % ((INT64_C(1) << scale) + 1);
        check_range(s, e);
    }
}

static void test_plan_edges_and_open_ends(void **state)
{
    (void)state;
    int64_t b0 = INT64_C(1) << LC_SHIFT0;
    check_range(0, 0);
    check_range(5 * b0, 6 * b0 - 1);     /* exactly one bucket: no edge */
    check_range(5 * b0 + 1, 6 * b0);     /* straddles: two edges */
    check_range(-3 * b0 - 7, 40 * b0 + 9);
    check_range(INT64_MIN, INT64_MAX);
    check_range(INT64_MIN, 1735689600000);
    check_range(1735689600000, INT64_MAX);
    struct lc_plan p;
    lc_plan(INT64_MIN, INT64_MAX, &p);
    assert_int_equal(p.nedges, 0);
    assert_int_equal(p.nspans, 1);
    assert_int_equal(p.spans[0].level, LC_LEVELS - 1);
    lc_plan(10, 9, &p); /* empty */
    assert_int_equal(p.nedges + p.nspans, 0);
    /* A one-week range reads few rows. */
    lc_plan(1735689600000, 1735689600000 + 7 * 86400000LL, &p);
    assert_true(p.nspans <= LC_SPANS_MAX && p.nedges == 2);
}

static void test_slots_and_masks(void **state)
{
    (void)state;
    int seen[LC_SLOTS] = {0};
    for (int st = 0; st < 8; st++)
        for (int pr = 1; pr <= 5; pr++)
            for (int m = 0; m < 4; m++) {
                int slot = lc_slot(st, pr, m);
                assert_true(slot >= 0 && slot < LC_SLOTS);
                assert_int_equal(seen[slot]++, 0);
                assert_true(lc_slot_passes(slot, 1u << st, 1u << pr, 1u << m));
                assert_false(lc_slot_passes(slot, ~(1u << st), 0xffffffffu, 0xffffffffu));
                assert_false(lc_slot_passes(slot, 0xffffffffu, ~(1u << pr), 0xffffffffu));
                assert_false(lc_slot_passes(slot, 0xffffffffu, 0xffffffffu, ~(1u << m)));
            }
}

static void test_vector_text(void **state)
{
    (void)state;
    struct lc_vec v, w;
    memset(&v, 0, sizeof v);
    memset(&w, 0, sizeof w);
    char text[LC_TEXT_MAX];
    assert_int_equal(lc_vec_text(&v, text, sizeof text), 0);
    assert_string_equal(text, "");
    v.n[0] = 3;
    v.n[17] = 1;
    v.n[LC_SLOTS - 1] = 1000000000000LL;
    v.n[40] = -2; /* a transient negative survives too */
    lc_vec_text(&v, text, sizeof text);
    assert_string_equal(text, "0:3,17:1,40:-2,159:1000000000000");
    assert_int_equal(lc_vec_add_text(&w, text), 0);
    assert_int_equal(lc_vec_add_text(&w, text), 0);
    for (int i = 0; i < LC_SLOTS; i++)
        assert_true(w.n[i] == 2 * v.n[i]);
    int64_t all;
    int64_t m = lc_vec_sum(&v, 1u << 0, 0xffffffffu, 0xffffffffu, &all);
    assert_true(all == 3 + 1 - 2 + 1000000000000LL);
    assert_true(m == 3 + 1); /* slots 0 and 17 have status 0 */
    const char *bad[] = {"x", "1", "1:", ":1", "160:1", "-1:1", "1:2;3:4", "1:2x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&w, 0, sizeof w);
        assert_int_equal(lc_vec_add_text(&w, bad[i]), -1);
    }
    memset(&w, 0, sizeof w); /* a trailing separator is tolerated */
    assert_int_equal(lc_vec_add_text(&w, "1:2,"), 0);
    assert_true(w.n[1] == 2);
    /* Every slot at its largest fits the text buffer. */
    for (int i = 0; i < LC_SLOTS; i++)
        v.n[i] = INT64_MIN + 1;
    size_t n = lc_vec_text(&v, text, sizeof text);
    assert_true(n < sizeof text);
    memset(&w, 0, sizeof w);
    assert_int_equal(lc_vec_add_text(&w, text), 0);
    assert_true(w.n[LC_SLOTS - 1] == INT64_MIN + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_random_ranges),
        cmocka_unit_test(test_plan_edges_and_open_ends),
        cmocka_unit_test(test_slots_and_masks),
        cmocka_unit_test(test_vector_text),
    };
    return unit_run(tests);
}
