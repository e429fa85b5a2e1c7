/* test_jstream.c - the streaming array reader of imports (jstream.h): it
 * finds the same elements jansson does, across read boundaries and inside
 * strings, and refuses what is not one array with a sentence. */
#include "testutil.h"
#include "jstream.h"

/* Splits text and checks each element against jansson's parse of the whole.
 * Returns the element count, or -1 when the stream refused the text. */
static int split(const char *text, size_t len, int from_file)
{
    FILE *f = NULL;
    struct jstream *s;
    if (from_file) {
        f = fmemopen((void *)(uintptr_t)text, len, "rb");
        assert_non_null(f);
        s = jstream_file(f);
    } else {
        s = jstream_mem(text, len);
    }
    json_t *whole = json_loadb(text, len, JSON_DECODE_ANY, NULL);
    int n = 0, rc;
    const char *elem;
    size_t elen;
    long line;
    while ((rc = jstream_next(s, &elem, &elen, &line)) == 1) {
        json_t *one = json_loadb(elem, elen, JSON_DECODE_ANY, NULL);
        if (whole != NULL) {
            assert_non_null(one);
            assert_true(json_equal(one, json_array_get(whole, (size_t)n)));
        }
        json_decref(one);
        n++;
    }
    if (rc < 0)
        assert_true(strlen(jstream_error(s)) > 0);
    else if (whole != NULL)
        assert_int_equal((size_t)n, json_array_size(whole));
    json_decref(whole);
    jstream_free(s);
    if (f != NULL)
        fclose(f);
    return rc < 0 ? -1 : n;
}

static int split_str(const char *text)
{
    int a = split(text, strlen(text), 0), b = split(text, strlen(text), 1);
    assert_int_equal(a, b);
    return a;
}

static void test_arrays(void **state)
{
    (void)state;
    assert_int_equal(split_str("[]"), 0);
    assert_int_equal(split_str("  [ ]  \n"), 0);
    assert_int_equal(split_str("[{}]"), 1);
    assert_int_equal(split_str("[{\"a\":1},{\"b\":[1,2,{\"c\":\"]}\"}]}]"), 2);
    assert_int_equal(split_str("[1, \"two\", null, true, [3], {\"x\": \"\\\"],\"}]"), 6);
    assert_int_equal(split_str("[\n{\"name\":\"a,b\"}\n,\n{\"name\":\"c\\\\\"}\n]\n"), 2);
    assert_int_equal(split_str("[ {\"s\": \"{[\"} ]"), 1);
}

static void test_refusals(void **state)
{
    (void)state;
    const char *bad[] = {"", "   ", "{}", "\"x\"", "[", "[{}", "[{},", "[{}}", "[{} {}]",
                         "[{}] x", "[{}][]", "[,]", "[{},]", "[\"abc", "[{\"a\":\"b}]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int n = split_str(bad[i]);
        /* "[{}}" and friends: the splitter may hand jansson a broken element
         * instead; either way the import refuses the file. */
        if (n >= 0) {
            json_t *whole = json_loads(bad[i], JSON_DECODE_ANY, NULL);
            assert_null(whole);
        }
    }
}

static void test_large_elements_cross_reads(void **state)
{
    (void)state;
    /* Elements around the 64 KiB read size, strings with brackets, quotes
     * and escapes right at the boundaries. */
    size_t cap = 3 << 20, len = 0;
    char *text = malloc(cap);
    text[len++] = '[';
    for (int i = 0; i < 40; i++) {
        if (i)
            text[len++] = ',';
        len += (size_t)snprintf(text + len, cap - len, "{\"i\":%d,\"s\":\"", i);
        size_t body = 1000 + (size_t)i * 3001;
        for (size_t k = 0; k < body; k++) {
            const char *piece = k % 97 == 0 ? "\\\"" : k % 89 == 0 ? "]}," : "x";
            size_t pl = strlen(piece);
            memcpy(text + len, piece, pl);
            len += pl;
        }
        len += (size_t)snprintf(text + len, cap - len, "\"}\n");
    }
    text[len++] = ']';
    assert_int_equal(split(text, len, 0), 40);
    assert_int_equal(split(text, len, 1), 40);
    free(text);
}

static void test_lines(void **state)
{
    (void)state;
    const char *text = "[\n{\"a\":\n1},\n\n{\"b\":2}]";
    struct jstream *s = jstream_mem(text, strlen(text));
    const char *e;
    size_t n;
    long line;
    assert_int_equal(jstream_next(s, &e, &n, &line), 1);
    assert_int_equal(line, 2);
    assert_int_equal(jstream_next(s, &e, &n, &line), 1);
    assert_int_equal(line, 5);
    assert_int_equal(jstream_next(s, &e, &n, &line), 0);
    jstream_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_large_elements_cross_reads),
        cmocka_unit_test(test_lines),
    };
    return unit_run(tests);
}
