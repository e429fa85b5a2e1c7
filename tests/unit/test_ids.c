/* test_ids.c - object ids: prefix "-" lowercase uuid (ids.h, contract §4). */
#include "testutil.h"
#include "ids.h"

static const char *const prefixes[] = {"cd", "cid", "cl", "cf", "cmt", "cs", "st"};
#define NPREFIXES (sizeof prefixes / sizeof prefixes[0])

/* ids_valid on an exactly sized heap copy, so ASan reports any read past len. */
static bool valid_exact(const char *prefix, const char *s, size_t len)
{
    char *copy = exact_copy(s, len);
    bool r = ids_valid(prefix, copy, len);
    free(copy);
    return r;
}

static bool valid(const char *prefix, const char *s)
{
    return valid_exact(prefix, s, strlen(s));
}

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static void check_shape(const char *prefix, const char *id)
{
    size_t p = strlen(prefix);
    assert_int_equal(strlen(id), p + 37);
    assert_true(strlen(id) <= IDS_MAX);
    assert_memory_equal(id, prefix, p);
    assert_int_equal(id[p], '-');
    const char *u = id + p + 1;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(u[i], '-');
        else if (!is_lower_hex(u[i]))
            fail_msg("id %s: character %zu of the uuid is '%c'", id, i, u[i]);
    }
    assert_int_equal(u[14], '4'); /* version 4 */
    assert_non_null(strchr("89ab", u[19])); /* RFC 4122 variant 10xx */
}

static void test_new_shape_every_prefix(void **state)
{
    (void)state;
    for (size_t k = 0; k < NPREFIXES; k++) {
        for (int n = 0; n < 200; n++) {
            char id[IDS_MAX + 1];
            memset(id, 'X', sizeof id);
            ids_new(prefixes[k], id);
            check_shape(prefixes[k], id);
            assert_true(valid(prefixes[k], id));
            /* Valid for its own prefix only. */
            for (size_t j = 0; j < NPREFIXES; j++)
                if (j != k)
                    assert_false(valid(prefixes[j], id));
        }
    }
}

static void test_new_longest_fits(void **state)
{
    (void)state;
    char id[IDS_MAX + 2];
    memset(id, 'X', sizeof id);
    ids_new("cmt", id);
    assert_int_equal(strlen(id), IDS_MAX);
    assert_int_equal(id[IDS_MAX + 1], 'X');
}

/* qsort comparator for rows of char[IDS_MAX + 1] (not pointers). */
static int cmp_row(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void test_new_unique(void **state)
{
    (void)state;
    enum { N = 5000 };
    char(*ids)[IDS_MAX + 1] = xcalloc(N, sizeof *ids);
    for (int i = 0; i < N; i++)
        ids_new("cd", ids[i]);
    qsort(ids, N, sizeof *ids, cmp_row);
    for (int i = 1; i < N; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            fail_msg("duplicate id %s", ids[i]);
    /* Every random nibble takes more than one value over N ids. */
    for (size_t pos = 3; pos < 3 + 36; pos++) {
        if (pos == 3 + 8 || pos == 3 + 13 || pos == 3 + 14 || pos == 3 + 18 || pos == 3 + 23)
            continue;
        int seen = 0;
        for (int i = 0; i < N; i++)
            seen |= 1 << (ids[i][pos] <= '9' ? ids[i][pos] - '0' : ids[i][pos] - 'a' + 10);
        assert_true(pos == 3 + 19 ? seen == 0xf00 : seen == 0xffff);
    }
    free(ids);
}

static void test_valid_any_version(void **state)
{
    (void)state;
    assert_true(valid("cd", "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_true(valid("cd", "cd-c1b940c0-7012-4e7d-98d9-470717700000")); /* demo sample */
    assert_true(valid("cd", "cd-78d3f0a9-8f42-5d8c-af8d-d6a63ea00000")); /* v5 */
    assert_true(valid("cd", "cd-c1b940c0-7012-1e7d-08d9-470717700000")); /* v1, NCS variant */
    assert_true(valid("cd", "cd-00000000-0000-0000-0000-000000000000")); /* nil */
    assert_true(valid("cd", "cd-ffffffff-ffff-ffff-ffff-ffffffffffff"));
    assert_true(valid("cl", "cl-68b802a0-2b99-4245-8eea-6d322a800000"));
    assert_true(valid("cmt", "cmt-88fcd16f-bdb2-4d4d-8a2c-0324c7f00000"));
    assert_true(valid("cid", "cid-c4ad0662-6c2e-58f7-9a2c-9da337d00000"));
    assert_true(valid("cf", "cf-67447605-115e-5dd2-a676-e158cf300000"));
    assert_true(valid("st", "st-0603182c-7ffb-53c3-b307-47ca14b00000"));
    assert_true(valid("cs", "cs-0603182c-7ffb-53c3-b307-47ca14b00000"));
}

static void test_valid_rejects(void **state)
{
    (void)state;
    /* Uppercase anywhere. */
    assert_false(valid("cd", "cd-0B6E3F1C-9A2D-4C8E-B1F0-7D3A5E9C2B41"));
    assert_false(valid("cd", "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b4F"));
    assert_false(valid("cd", "CD-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    /* Wrong length: one hex digit short or too many (the documented samples
     * have 7-digit first groups). */
    assert_false(valid("cd", "cd-c1b940c-7012-4e7d-98d9-4707177xxxxx"));
    assert_false(valid("cd", "cd-c1b940c-7012-4e7d-98d9-470717700000"));
    assert_false(valid("cd", "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b4"));
    assert_false(valid("cd", "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b412"));
    assert_false(valid("cd", "cd-0b6e3f1c0-9a2d-4c8e-b1f0-7d3a5e9c2b4"));
    assert_false(valid("cd", ""));
    assert_false(valid("cd", "c"));
    assert_false(valid("cd", "cd"));
    assert_false(valid("cd", "cd-"));
    /* Wrong prefix, or none, or no dash after it. */
    assert_false(valid("cd", "cl-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cd", "cid-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cid", "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cd", "0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cd", "cd_0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cd", "cdx0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cd", "xd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    /* Dashes missing, moved or doubled. */
    assert_false(valid("cd", "cd-0b6e3f1c9a2d4c8eb1f07d3a5e9c2b41"));
    assert_false(valid("cd", "cd-0b6e3f1c9a2d-4c8e-b1f0-7d3a5e9c2b41a"));
    assert_false(valid("cd", "cd-0b6e3f1c-9a2d4-c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cd", "cd-0b6e3f1c-9a2d-4c8e-b1f0x7d3a5e9c2b41"));
    assert_false(valid("cd", "cd--0b6e3f1-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cd", "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b-1"));
    /* Non-hex characters, braces, spaces, NUL. */
    assert_false(valid("cd", "cd-0b6e3f1g-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid("cd", "cd-{b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b4}"));
    assert_false(valid("cd", "cd- b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"));
    assert_false(valid_exact("cd", "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b4\0", 39));
}

static void test_valid_honours_len(void **state)
{
    (void)state;
    const char *s = "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41 and more";
    assert_true(valid_exact("cd", s, 39));
    assert_false(valid_exact("cd", s, 38));
    assert_false(valid_exact("cd", s, 40));
    for (size_t n = 0; n < 40; n++)
        assert_false(valid_exact("cmt", s, n));
}

static void test_random_fills(void **state)
{
    (void)state;
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    ids_random(a, sizeof a);
    ids_random(b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a);
    ids_random(a, 0); /* no-op */
    unsigned char *big = xmalloc(1 << 20);
    ids_random(big, 1 << 20); /* larger than one getrandom() call may return */
    size_t zeros = 0;
    for (size_t i = 0; i < 1 << 20; i++)
        zeros += big[i] == 0;
    assert_true(zeros < 8192); /* ~4096 expected */
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_shape_every_prefix),
        cmocka_unit_test(test_new_longest_fits),
        cmocka_unit_test(test_new_unique),
        cmocka_unit_test(test_valid_any_version),
        cmocka_unit_test(test_valid_rejects),
        cmocka_unit_test(test_valid_honours_len),
        cmocka_unit_test(test_random_fills),
    };
    return unit_run(tests);
}
