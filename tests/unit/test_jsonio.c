/* test_jsonio.c - JSON in and out (jsonio.h): the strict parse of a request
 * body (one object, no duplicate keys, bounded depth, no U+0000 in a string,
 * contract §2, family spec §1.2) and the compact writer of every response,
 * which must write what jansson writes; jsonio_time (contract §4).
 *
 * Bodies are written with single quotes for readability; sq() turns them
 * into double quotes before parsing. */
#include "testutil.h"
#include "jsonio.h"
#include "timefmt.h"

/* ---- the strict parse ----------------------------------------------------- */

static json_t *parse_sq(const char *body_sq, struct apierr *e)
{
    char *b = sq(body_sq);
    apierr_init(e);
    json_t *v = parse_body(b, strlen(b), e);
    free(b);
    return v;
}

/* Expects jsonio_parse_object to refuse the body with a 400. */
static void refuse(const char *body_sq, size_t len, const char *message_part)
{
    struct apierr e;
    if (len == (size_t)-1)
        len = strlen(body_sq);
    char *b = sq_n(body_sq, len);
    apierr_init(&e);
    json_t *v = parse_body(b, len, &e);
    if (v != NULL)
        fail_msg("jsonio_parse_object accepted %s", b);
    assert_int_equal(e.status, 400);
    assert_true(apierr_count(&e) >= 1);
    if (message_part != NULL && strstr(e.message, message_part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", e.message, message_part);
    free(b);
    apierr_clear(&e);
}

static void test_parse_object_ok(void **state)
{
    (void)state;
    struct apierr e;
    json_t *v = parse_sq("{}", &e);
    assert_non_null(v);
    assert_int_equal(e.status, 0);
    assert_int_equal(apierr_count(&e), 0);
    json_decref(v);
    apierr_clear(&e);
    v = parse_sq(" \n\t{ 'a' : [ {'b':1}, {'b':1} ], 'c': {'a':1} } \n", &e);
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "c"), "a")), 1);
    json_decref(v);
    apierr_clear(&e);
    /* Only len bytes are read. */
    apierr_init(&e);
    v = parse_body("{}garbage", 2, &e);
    assert_non_null(v);
    json_decref(v);
    apierr_clear(&e);
}

static void test_parse_object_duplicates(void **state)
{
    (void)state;
    refuse("{'a':1,'a':2}", (size_t)-1, NULL);
    refuse("{'type':'voice','type':'sms'}", (size_t)-1, NULL);
    refuse("{'a':1,'b':2,'a':1}", (size_t)-1, NULL);
    refuse("{'filters':{'status':['Ready'],'status':['Stopped']}}", (size_t)-1, NULL);
    refuse("{'sortBy':{'name':'asc','name':'desc'}}", (size_t)-1, NULL);
    refuse("{'a':[{'x':1},{'x':1,'x':1}]}", (size_t)-1, NULL);
    refuse("{'a':{'b':{'c':{'d':1,'d':1}}}}", (size_t)-1, NULL);
    /* Same name, different escaping: still the same key. */
    refuse("{'a':1,'\\u0061':2}", (size_t)-1, NULL);
}

/* An object nested `depth` levels deep in all: the top-level object, then
 * depth - 1 objects ({"a":...}) or arrays, around `inner`. */
static char *nested(int depth, int arrays, const char *inner)
{
    size_t cap = (size_t)depth * 6 + strlen(inner) + 1;
    char *b = xmalloc(cap);
    size_t n = 0;
    for (int i = 0; i < depth; i++) {
        if (i == 0 || !arrays) {
            memcpy(b + n, "{\"a\":", 5);
            n += 5;
        } else {
            b[n++] = '[';
        }
    }
    memcpy(b + n, inner, strlen(inner));
    n += strlen(inner);
    for (int i = depth - 1; i >= 0; i--)
        b[n++] = i == 0 || !arrays ? '}' : ']';
    b[n] = '\0';
    return b;
}

static void test_parse_object_depth(void **state)
{
    (void)state;
    /* Objects (the top level counts as 1), then arrays: 32 levels pass,
     * 33 do not. */
    struct apierr e;
    json_t *v;
    char *b;
    for (int arrays = 0; arrays <= 1; arrays++) {
        b = nested(32, arrays, "1");
        apierr_init(&e);
        v = parse_body(b, strlen(b), &e);
        assert_non_null(v);
        json_decref(v);
        apierr_clear(&e);
        free(b);
        b = nested(33, arrays, "1");
        refuse(b, (size_t)-1, "nested too deeply");
        free(b);
    }
    b = nested(5000, 1, "1");
    refuse(b, (size_t)-1, "nested too deeply");
    free(b);
    /* Brackets inside strings (escaped quotes included) do not count. */
    char s[256];
    snprintf(s, sizeof s, "{\"a\":\"%s\\\"%s\"}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
             "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{");
    apierr_init(&e);
    v = parse_body(s, strlen(s), &e);
    assert_non_null(v);
    json_decref(v);
    apierr_clear(&e);
    /* Siblings do not add up. */
    v = parse_sq("{'a':[[1],[2],[3]],'b':{'c':{}},'d':[{}, {}]}", &e);
    assert_non_null(v);
    json_decref(v);
    apierr_clear(&e);

    assert_true(jsonio_depth_ok("", 0, 0));
    assert_true(jsonio_depth_ok("1", 1, 0));
    assert_false(jsonio_depth_ok("{}", 2, 0));
    assert_true(jsonio_depth_ok("{}", 2, 1));
    assert_true(jsonio_depth_ok("[[]]", 4, 2));
    assert_false(jsonio_depth_ok("[[[]]]", 6, 2));
    assert_true(jsonio_depth_ok("[][][]", 6, 1));
    assert_true(jsonio_depth_ok("\"[[[[\"", 6, 0));
    assert_true(jsonio_depth_ok("\"\\\"[[[[\"", 8, 0));
    assert_false(jsonio_depth_ok("\"\\\\\"[", 5, 0));
}

static void test_parse_object_rejects(void **state)
{
    (void)state;
    refuse("", 0, "required");
    refuse("[]", (size_t)-1, "must be a JSON object");
    refuse("[{'type':'voice'}]", (size_t)-1, "must be a JSON object");
    refuse("'voice'", (size_t)-1, NULL);
    refuse("1", (size_t)-1, NULL);
    refuse("null", (size_t)-1, NULL);
    refuse("true", (size_t)-1, NULL);
    refuse("   ", (size_t)-1, "not valid JSON");
    refuse("{", (size_t)-1, "not valid JSON");
    refuse("{'a':}", (size_t)-1, "not valid JSON");
    refuse("{'a':1,}", (size_t)-1, "not valid JSON");
    refuse("{a:1}", (size_t)-1, "not valid JSON");
    refuse("{\\'a\\':1}", (size_t)-1, "not valid JSON");
    refuse("{} {}", (size_t)-1, "not valid JSON");
    refuse("{} x", (size_t)-1, "not valid JSON");
    refuse("{'a':NaN}", (size_t)-1, "not valid JSON");
    refuse("{'a':01}", (size_t)-1, "not valid JSON");
    /* U+0000 in a string value is reported at its path (family spec §1.2). */
    refuse("{'a':'\\u0000'}", (size_t)-1, "Request validation failed");
    refuse("{'x':{'y':['ok','b\\u0000']}}", (size_t)-1, "Request validation failed");
    refuse("{'a\\u0000b':1}", (size_t)-1, "not valid JSON");
    refuse("{'a':'\xff'}", (size_t)-1, "not valid JSON");
    refuse("{'a':99999999999999999999999}", (size_t)-1, "not valid JSON");
    refuse("{}\0", 3, "not valid JSON");
    refuse("{'a':'b\0c'}", 11, "not valid JSON");
    /* The invalid-JSON problem has no field and names where it went wrong. */
    struct apierr e;
    json_t *v = parse_sq("{'a':\n}", &e);
    assert_null(v);
    json_t *x = json_array_get(e.errors, 0);
    assert_null(json_object_get(x, "field"));
    assert_non_null(strstr(json_string_value(json_object_get(x, "msg")), "line 2"));
    apierr_clear(&e);
}

static void test_dump(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:i, s:[s, b]}", "a", 1, "b", "x", 0);
    size_t len = 0;
    char *s = jsonio_dump(v, &len);
    assert_string_equal(s, "{\"a\":1,\"b\":[\"x\",false]}");
    assert_int_equal(len, strlen(s));
    free(s);
    json_decref(v);
    v = json_string("only");
    s = jsonio_dump(v, NULL);
    assert_string_equal(s, "\"only\"");
    free(s);
    json_decref(v);
}

/* Expects a 400 with exactly this message and these fields (fields_of). */
static void refuse_exact(const char *buf, size_t len, const char *message, const char *fields)
{
    struct apierr e;
    apierr_init(&e);
    json_t *v = parse_body(buf, len, &e);
    if (v != NULL)
        fail_msg("jsonio_parse_object accepted %.*s", (int)len, buf);
    assert_fields(&e, 400, fields);
    assert_string_equal(apierr_message(&e), message);
    apierr_clear(&e);
}

static void test_parse_object_messages(void **state)
{
    (void)state;
    refuse_exact("", 0, "Request body is required and must be a JSON object", "-");
    refuse_exact("[]", 2, "Request body must be a JSON object", "-");
    refuse_exact("[{}]", 4, "Request body must be a JSON object", "-");
    /* jansson reads only an object or an array at the top level. */
    refuse_exact("\"x\"", 3, "Request body is not valid JSON", "-");
    refuse_exact("12", 2, "Request body is not valid JSON", "-");
    refuse_exact("null", 4, "Request body is not valid JSON", "-");
    refuse_exact("{\"a\":1,\"a\":1}", 13, "Request body is not valid JSON", "-");
    char *deep = nested(TEST_MAX_DEPTH + 1, 0, "1");
    refuse_exact(deep, strlen(deep), "Request body is nested too deeply", "-");
    free(deep);
    /* The depth problem names the limit; the duplicate its key. */
    struct apierr e;
    deep = nested(TEST_MAX_DEPTH + 1, 1, "1");
    apierr_init(&e);
    assert_null(parse_body(deep, strlen(deep), &e));
    assert_string_equal(json_string_value(json_object_get(json_array_get(e.errors, 0), "msg")),
                        "JSON nesting deeper than 32 levels");
    apierr_clear(&e);
    free(deep);
    assert_null(parse_sq("{'type':'sms','type':'voice'}", &e));
    const char *msg = json_string_value(json_object_get(json_array_get(e.errors, 0), "msg"));
    if (strstr(msg, "duplicate") == NULL || strstr(msg, "type") == NULL)
        fail_msg("duplicate key message: %s", msg);
    apierr_clear(&e);
}

/* max_depth is the caller's: 1 allows only the top-level object. */
static void test_parse_object_max_depth_argument(void **state)
{
    (void)state;
    struct apierr e;
    apierr_init(&e);
    json_t *v = jsonio_parse_object("{\"a\":1}", 7, 1, &e);
    assert_non_null(v);
    json_decref(v);
    assert_null(jsonio_parse_object("{\"a\":[]}", 8, 1, &e));
    assert_int_equal(e.status, 400);
    apierr_clear(&e);
    apierr_init(&e);
    assert_null(jsonio_parse_object("{}", 2, 0, &e));
    assert_string_equal(apierr_message(&e), "Request body is nested too deeply");
    apierr_clear(&e);
    apierr_init(&e);
    v = jsonio_parse_object("{\"a\":{\"b\":{}}}", 14, 3, &e);
    assert_non_null(v);
    json_decref(v);
    apierr_clear(&e);
}

/* Every string value holding U+0000 is reported at its path, in document
 * order, and the object is not returned. */
static void test_parse_object_nul_strings(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *fields;
    } cases[] = {
        {"{'a':'\\u0000'}", "a"},
        {"{'a':'x\\u0000'}", "a"},
        {"{'x':{'y':['ok','b\\u0000']}}", "x.y[1]"},
        {"{'a':'\\u0000','b':['\\u0000',{'c':'x\\u0000y'}],'d':'ok'}", "a,b[0],b[1].c"},
        {"{'m':[[1,'\\u0000'],[]]}", "m[0][1]"},
        {"{'a.b':{'':'\\u0000'}}", "a.b."},
        {"{'ok':'\\u0001','n':null,'t':true,'e':{},'z':'\\u0000\\u0000'}", "z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *b = sq(cases[i].body);
        refuse_exact(b, strlen(b), "Request validation failed", cases[i].fields);
        free(b);
    }
    struct apierr e;
    json_t *v = parse_sq("{'a':'\\u0000'}", &e);
    assert_null(v);
    assert_string_equal(json_string_value(json_object_get(json_array_get(e.errors, 0), "msg")),
                        "must not contain the character U+0000");
    apierr_clear(&e);
    /* A path longer than the reporter's buffer still finds the string,
     * reported at its path as far as it fits (a key of 600 characters, and
     * 30 levels of 20-character keys). */
    char body[2048], key[601];
    memset(key, 'k', 600);
    key[600] = '\0';
    snprintf(body, sizeof body, "{\"%s\":\"a\\u0000b\"}", key);
    apierr_init(&e);
    v = jsonio_parse_object(body, strlen(body), 32, &e);
    assert_null(v);
    assert_int_equal(e.status, 400);
    assert_int_equal(json_array_size(e.errors), 1);
    apierr_clear(&e);
    size_t n = 0;
    for (int d = 0; d < 30; d++)
        n += (size_t)snprintf(body + n, sizeof body - n, "{\"%020d\":", d);
    n += (size_t)snprintf(body + n, sizeof body - n, "\"\\u0000\"");
    for (int d = 0; d < 30; d++)
        body[n++] = '}';
    body[n] = '\0';
    apierr_init(&e);
    v = jsonio_parse_object(body, n, 32, &e);
    assert_null(v);
    assert_int_equal(json_array_size(e.errors), 1);
    apierr_clear(&e);
    /* Other control characters are the checks' business, not the parse's. */
    v = parse_sq("{'a':'\\u0001\\u001f\\u007f','b':['\\t']}", &e);
    assert_non_null(v);
    assert_int_equal(json_string_length(json_object_get(v, "a")), 3);
    json_decref(v);
    apierr_clear(&e);
}

/* ---- the writer ----------------------------------------------------------- */

/* Each ASCII character alone in a string: the escapes jbuf_string writes.
 * '/' and DEL are not escaped; controls other than \b \f \n \r \t are \u00xx
 * with lowercase hex digits. */
static void test_jbuf_string_ascii(void **state)
{
    (void)state;
    for (int c = 0; c < 0x80; c++) {
        char want[16];
        switch (c) {
        case '"': strcpy(want, "\"\\\"\""); break;
        case '\\': strcpy(want, "\"\\\\\""); break;
        case '\b': strcpy(want, "\"\\b\""); break;
        case '\f': strcpy(want, "\"\\f\""); break;
        case '\n': strcpy(want, "\"\\n\""); break;
        case '\r': strcpy(want, "\"\\r\""); break;
        case '\t': strcpy(want, "\"\\t\""); break;
        default:
            if (c < 0x20)
                snprintf(want, sizeof want, "\"\\u%04x\"", (unsigned)c);
            else
                snprintf(want, sizeof want, "\"%c\"", c);
        }
        struct jbuf b = {NULL, 0, 0};
        char ch = (char)c;
        jbuf_string(&b, &ch, 1);
        size_t len = 0;
        char *got = jbuf_finish(&b, &len);
        if (strcmp(got, want) != 0 || len != strlen(want))
            fail_msg("character 0x%02x: got %s, want %s", (unsigned)c, got, want);
        free(got);
    }
}

static void test_jbuf_put_finish(void **state)
{
    (void)state;
    struct jbuf b = {NULL, 0, 0};
    size_t len = 99;
    char *s = jbuf_finish(&b, &len);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    /* Only n bytes are taken, NULs included; the text grows past the
     * first allocation intact. */
    jbuf_put(&b, "abcdef", 3);
    jbuf_string(&b, "x\0y", 3);
    char *big = rep("0123456789", 500);
    jbuf_put(&b, big, 5000);
    jbuf_string(&b, big, 5000);
    s = jbuf_finish(&b, &len);
    assert_int_equal(len, 3 + 10 + 5000 + 5002);
    assert_int_equal(strlen(s), len);
    assert_memory_equal(s, "abc\"x\\u0000y\"", 13);
    assert_memory_equal(s + 13, big, 5000);
    assert_int_equal(s[13 + 5000], '"');
    assert_memory_equal(s + 13 + 5001, big, 5000);
    assert_int_equal(s[len - 1], '"');
    free(s);
    /* Emptied by finish, and usable again. */
    assert_null(b.p);
    jbuf_put(&b, "z", 1);
    s = jbuf_finish(&b, NULL);
    assert_string_equal(s, "z");
    free(s);
    free(big);
}

/* jansson's text with the hex digits of every \u escape lowercased: the one
 * way jbuf's escapes differ from json_dumps's (\u001F there, \u001f here);
 * both are the same JSON. */
static char *lower_u_escapes(const char *s)
{
    char *d = xstrdup(s);
    for (char *p = d; *p; p++) {
        if (*p != '\\')
            continue;
        if (p[1] == 'u') {
            for (int i = 2; i < 6; i++)
                if (p[i] >= 'A' && p[i] <= 'F')
                    p[i] = (char)(p[i] - 'A' + 'a');
            p += 5;
        } else {
            p++;
        }
    }
    return d;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t next_rand(void)
{
    return (uint32_t)(xorshift64(&rng) >> 32);
}

/* Code points where escaping and UTF-8 have their edges. */
static const uint32_t edge_cps[] = {
    0x00, 0x01, 0x07,  0x08,  0x09,   0x0a,   0x0b,   0x0c,   0x0d,   0x0e,    0x1a,    0x1f,
    0x20, '"',  '\\',  '/',   0x7f,   'a',    'Z',    '0',    '%',    '\'',    0x80,    0xa0,
    0xe9, 0xff, 0x7ff, 0x800, 0x2028, 0x2029, 0xfeff, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff,
};

static size_t put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xc0 | cp >> 6);
        d[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xe0 | cp >> 12);
        d[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        d[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    d[0] = (char)(0xf0 | cp >> 18);
    d[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    d[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    d[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* A string of up to 15 edge code points (U+0000 only when nul_ok). */
static size_t rand_text(char *d, int nul_ok)
{
    size_t n = 0, count = next_rand() % 16;
    for (size_t i = 0; i < count; i++) {
        uint32_t cp = edge_cps[next_rand() % (sizeof edge_cps / sizeof edge_cps[0])];
        if (cp == 0 && !nul_ok)
            cp = 0x01;
        n += put_utf8(d + n, cp);
    }
    d[n] = '\0';
    return n;
}

static json_t *rand_value(int depth)
{
    static const json_int_t ints[] = {
        0,         1,         -1,        42,           INT32_MAX,
        INT32_MIN, INT64_MAX, INT64_MIN, 1000000000LL, -9007199254740993LL};
    static const double reals[] = {0.5, -0.0, 1.0, 1e300, -2.5e-300, 3.141592653589793, 100.0};
    char text[64];
    switch (next_rand() % (depth > 0 ? 9 : 7)) {
    case 0: return json_null();
    case 1: return json_true();
    case 2: return json_false();
    case 3: return json_integer(ints[next_rand() % (sizeof ints / sizeof ints[0])]);
    case 4: return json_integer((json_int_t)next_rand() - (json_int_t)next_rand() * 65536);
    case 5: return json_real(reals[next_rand() % (sizeof reals / sizeof reals[0])]);
    case 6: {
        size_t n = rand_text(text, 1);
        return json_stringn(text, n);
    }
    case 7: {
        json_t *a = json_array();
        for (uint32_t i = next_rand() % 5; i > 0; i--)
            json_array_append_new(a, rand_value(depth - 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (uint32_t i = next_rand() % 5; i > 0; i--) {
            rand_text(text, 0);
            json_object_set_new(o, text, rand_value(depth - 1));
        }
        return o;
    }
    }
}

/* jsonio_dump writes what json_dumps(JSON_COMPACT) writes, to the escape
 * digits' case, for thousands of values; and its text reads back equal. */
static void test_dump_matches_jansson(void **state)
{
    (void)state;
    for (int i = 0; i < 3000; i++) {
        json_t *v = rand_value(4);
        size_t len = 0;
        char *got = jsonio_dump(v, &len);
        char *ref = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        assert_non_null(got);
        assert_non_null(ref);
        char *want = lower_u_escapes(ref);
        if (strcmp(got, want) != 0)
            fail_msg("value %d:\n got  %s\n want %s", i, got, want);
        assert_int_equal(len, strlen(got));
        json_error_t je;
        json_t *back = json_loadb(got, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
        if (back == NULL || !json_equal(back, v))
            fail_msg("value %d does not read back: %s (%s)", i, got, back ? "differs" : je.text);
        json_decref(back);
        free(want);
        free(ref);
        free(got);
        json_decref(v);
    }
}

static void test_dump_order_and_null(void **state)
{
    (void)state;
    assert_null(jsonio_dump(NULL, NULL));
    /* Keys in insertion order, not sorted; a replaced key keeps its place. */
    json_t *v = json_object();
    json_object_set_new(v, "z", json_integer(1));
    json_object_set_new(v, "a", json_integer(2));
    json_object_set_new(v, "m", json_integer(3));
    json_object_set_new(v, "z", json_integer(4));
    char *s = jsonio_dump(v, NULL);
    assert_string_equal(s, "{\"z\":4,\"a\":2,\"m\":3}");
    free(s);
    json_decref(v);
    v = jsq("{'a':[],'b':{},'c':[[]],'d':'/\\u2028'}");
    s = jsonio_dump(v, NULL);
    assert_string_equal(s, "{\"a\":[],\"b\":{},\"c\":[[]],\"d\":\"/\xe2\x80\xa8\"}");
    free(s);
    json_decref(v);
}

/* ---- jsonio_time ---------------------------------------------------------- */

static void test_time(void **state)
{
    (void)state;
    static const struct {
        int64_t ms;
        const char *text;
    } cases[] = {
        {0, "1970-01-01T00:00:00.000Z"},
        {-1, "1969-12-31T23:59:59.999Z"},
        {1765185441090LL, "2025-12-08T09:17:21.090Z"},
        {951782400000LL, "2000-02-29T00:00:00.000Z"},
        {-62167219200000LL, "0000-01-01T00:00:00.000Z"},
        {253402300799999LL, "9999-12-31T23:59:59.999Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *t = jsonio_time(cases[i].ms);
        assert_true(json_is_string(t));
        assert_int_equal(json_string_length(t), TIMEFMT_LEN);
        assert_string_equal(json_string_value(t), cases[i].text);
        json_decref(t);
    }
    /* Whatever the instant, the text reads back as it. */
    for (int i = 0; i < 2000; i++) {
        int64_t span = 253402300799999LL + 62167219200000LL;
        int64_t r = (int64_t)next_rand() << 16 | (next_rand() & 0xffff);
        int64_t ms = r % span - 62167219200000LL;
        json_t *t = jsonio_time(ms);
        assert_int_equal(ms_of(json_string_value(t)), ms);
        json_decref(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_object_ok),
        cmocka_unit_test(test_parse_object_duplicates),
        cmocka_unit_test(test_parse_object_depth),
        cmocka_unit_test(test_parse_object_rejects),
        cmocka_unit_test(test_parse_object_messages),
        cmocka_unit_test(test_parse_object_max_depth_argument),
        cmocka_unit_test(test_parse_object_nul_strings),
        cmocka_unit_test(test_jbuf_string_ascii),
        cmocka_unit_test(test_jbuf_put_finish),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_dump_matches_jansson),
        cmocka_unit_test(test_dump_order_and_null),
        cmocka_unit_test(test_time),
    };
    return unit_run(tests);
}
