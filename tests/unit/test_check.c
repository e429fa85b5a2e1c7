/* test_check.c - the field checks (check.h): for each check_* function,
 * absent, null as a body sees it (a type error) and as an import or listing
 * sees it (absent), the wrong types, the bounds, the field reported with and
 * without a prefix and with a field other than the key, and k.bad; the
 * paging numbers of contract §3 and totalPages.
 *
 * JSON is written with single quotes; jsq() turns them into double quotes.
 * A check only lists problems: the status is the caller's, so e.status
 * stays 0 throughout. */
#include "testutil.h"
#include "check.h"
#include "contract.h"

/* The objects the checks read, one key each, of every JSON type. */
#define TYPES "{'s':'x','i':5,'r':1.5,'t':true,'f':false,'n':null,'a':[],'o':{}}"

/* ---- helpers ------------------------------------------------------------- */

/* k has failed exactly at `fields` (fields_of form) and no status was set;
 * or, with fields "", has not failed at all. */
static void expect(const struct check *k, const char *fields)
{
    assert_fields(k->e, 0, fields);
    if (k->bad != (fields[0] != '\0'))
        fail_msg("k.bad %d with fields \"%s\"", k->bad, fields);
}

/* The msg of problem i. */
static const char *msg_of(const struct apierr *e, size_t i)
{
    const char *m = json_string_value(json_object_get(json_array_get(e->errors, i), "msg"));
    assert_non_null(m);
    return m;
}

/* ---- check_fail, check_get ------------------------------------------------ */

static void test_fail(void **state)
{
    (void)state;
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_BODY(&e);
    check_fail(&k, "name", "must be %d to %s", 1, "48");
    expect(&k, "name");
    assert_string_equal(msg_of(&e, 0), "must be 1 to 48");
    /* Problems add up, in order; bad stays set. */
    check_fail(&k, "a.b[2]", "x");
    expect(&k, "name,a.b[2]");
    apierr_clear(&e);

    apierr_init(&e);
    k = CHECK_LENIENT(&e, "[3]");
    check_fail(&k, "priority", "%s", "100% wrong");
    expect(&k, "[3].priority");
    assert_string_equal(msg_of(&e, 0), "100% wrong");
    apierr_clear(&e);

    /* Two checkers on one apierr: each has its own bad. */
    apierr_init(&e);
    struct check k1 = CHECK_BODY(&e), k2 = CHECK_LENIENT(&e, "p");
    check_fail(&k2, "x", "bad");
    assert_int_equal(k1.bad, 0);
    assert_int_equal(k2.bad, 1);
    assert_fields(&e, 0, "p.x");
    apierr_clear(&e);
}

static void test_get(void **state)
{
    (void)state;
    struct apierr e;
    apierr_init(&e);
    json_t *o = jsq(TYPES);
    struct check body = CHECK_BODY(&e), lenient = CHECK_LENIENT(&e, NULL);
    assert_null(check_get(&body, o, "absent"));
    assert_null(check_get(&lenient, o, "absent"));
    assert_true(json_is_null(check_get(&body, o, "n")));
    assert_null(check_get(&lenient, o, "n"));
    assert_ptr_equal(check_get(&body, o, "s"), json_object_get(o, "s"));
    assert_ptr_equal(check_get(&lenient, o, "f"), json_object_get(o, "f"));
    /* Keys are case-sensitive. */
    assert_null(check_get(&body, o, "S"));
    expect(&body, "");
    expect(&lenient, "");
    json_decref(o);
    apierr_clear(&e);
}

/* ---- strings -------------------------------------------------------------- */

static void test_string(void **state)
{
    (void)state;
    json_t *o = jsq(TYPES);
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_BODY(&e);
    assert_string_equal(check_string(&k, o, "s", NULL), "x");
    assert_null(check_string(&k, o, "absent", NULL));
    expect(&k, "");
    static const char *const wrong[] = {"i", "r", "t", "f", "n", "a", "o"};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
        assert_null(check_string(&k, o, wrong[i], NULL));
    expect(&k, "i,r,t,f,n,a,o");
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
        assert_string_equal(msg_of(&e, i), "must be a string");
    apierr_clear(&e);

    /* Lenient: null is absent; the field and the prefix name the place. */
    apierr_init(&e);
    k = CHECK_LENIENT(&e, "[0]");
    assert_null(check_string(&k, o, "n", NULL));
    expect(&k, "");
    assert_null(check_string(&k, o, "i", "message.template_name"));
    assert_null(check_string(&k, o, "a", NULL));
    expect(&k, "[0].message.template_name,[0].a");
    apierr_clear(&e);
    json_decref(o);
}

static void test_text(void **state)
{
    (void)state;
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_BODY(&e);
    /* min..max code points, both inclusive, multibyte counted once. */
    char *s47 = rep("\xc3\xa9", 47), *s48 = rep("\xf0\x9f\x98\x80", 48), *s49 = rep("a", 49);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:n}", "e", "", "one", "x", "s47", s47,
                          "s48", s48, "s49", s49, "i", 1, "n");
    assert_string_equal(check_text(&k, o, "s47", NULL, 0, 48), s47);
    assert_string_equal(check_text(&k, o, "s48", NULL, 0, 48), s48);
    assert_string_equal(check_text(&k, o, "e", NULL, 0, 48), "");
    assert_string_equal(check_text(&k, o, "one", NULL, 1, 1), "x");
    assert_null(check_text(&k, o, "absent", NULL, 1, 48));
    expect(&k, "");
    assert_null(check_text(&k, o, "s49", NULL, 0, 48));
    assert_null(check_text(&k, o, "e", "description", 1, 256));
    assert_null(check_text(&k, o, "s47", NULL, 48, 48));
    assert_null(check_text(&k, o, "i", NULL, 0, 48));
    assert_null(check_text(&k, o, "n", NULL, 0, 48));
    expect(&k, "s49,description,s47,i,n");
    assert_string_equal(msg_of(&e, 0), "must be 0 to 48 characters long");
    assert_string_equal(msg_of(&e, 1), "must be 1 to 256 characters long");
    assert_string_equal(msg_of(&e, 3), "must be a string");
    apierr_clear(&e);

    apierr_init(&e);
    k = CHECK_LENIENT(&e, "[7]");
    assert_null(check_text(&k, o, "n", NULL, 1, 48));
    expect(&k, "");
    assert_null(check_text(&k, o, "e", NULL, 1, 48));
    expect(&k, "[7].e");
    apierr_clear(&e);
    json_decref(o);
    free(s47);
    free(s48);
    free(s49);
}

static void test_name(void **state)
{
    (void)state;
    json_t *o = jsq("{'ok':' Spring Sale ','empty':'','blank':'\\u2003 \\u3000','ctl':'a\\tb',"
                    "'long':'abcdefghi','n':null,'i':7}");
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_BODY(&e);
    assert_string_equal(check_name(&k, o, "ok", NULL, 48, true), " Spring Sale ");
    assert_string_equal(check_name(&k, o, "long", NULL, 9, true), "abcdefghi");
    assert_null(check_name(&k, o, "absent", NULL, 48, false));
    expect(&k, "");
    assert_null(check_name(&k, o, "absent", "name", 48, true));
    assert_null(check_name(&k, o, "empty", NULL, 48, false));
    assert_null(check_name(&k, o, "blank", NULL, 48, false));
    assert_null(check_name(&k, o, "ctl", NULL, 48, false));
    assert_null(check_name(&k, o, "long", NULL, 8, false));
    assert_null(check_name(&k, o, "n", NULL, 48, false));
    assert_null(check_name(&k, o, "i", NULL, 48, true));
    expect(&k, "name,empty,blank,ctl,long,n,i");
    static const char *const msgs[] = {
        "is required",
        "must not be empty",
        "must not be only whitespace",
        "must not contain control characters",
        "is too long",
        "must be a string",
        "must be a string",
    };
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        assert_string_equal(msg_of(&e, i), msgs[i]);
    apierr_clear(&e);

    /* Lenient: null is absent, so required when required. */
    apierr_init(&e);
    k = CHECK_LENIENT(&e, "[2]");
    assert_null(check_name(&k, o, "n", NULL, 48, false));
    expect(&k, "");
    assert_null(check_name(&k, o, "n", "contact_list_name", 48, true));
    expect(&k, "[2].contact_list_name");
    assert_string_equal(msg_of(&e, 0), "is required");
    apierr_clear(&e);
    json_decref(o);
}

static void test_name_problem(void **state)
{
    (void)state;
    assert_null(check_name_problem("Campaign 1", 48));
    assert_null(check_name_problem("x", 1));
    assert_null(check_name_problem(" padded ", 48));
    assert_null(check_name_problem("Événement — été", 48));
    assert_string_equal(check_name_problem("", 48), "must not be empty");
    assert_string_equal(check_name_problem(" ", 48), "must not be only whitespace");
    assert_string_equal(check_name_problem("    ", 48), "must not be only whitespace");
    /* Every kind of Unicode white space counts as blank, U+200B does not. */
    assert_string_equal(check_name_problem("\xc2\xa0\xe2\x80\x80\xe2\x80\xa8\xe3\x80\x80", 48),
                        "must not be only whitespace");
    assert_null(check_name_problem("\xe2\x80\x8b", 48));
    assert_string_equal(check_name_problem("a\tb", 48), "must not contain control characters");
    assert_string_equal(check_name_problem("\t", 48), "must not contain control characters");
    assert_string_equal(check_name_problem("a\nb", 48), "must not contain control characters");
    assert_string_equal(check_name_problem("\x1f", 48), "must not contain control characters");
    assert_string_equal(check_name_problem("a\x7f", 48), "must not contain control characters");
    /* Control characters are reported before length. */
    char *longctl = rep("a\x01", 100);
    assert_string_equal(check_name_problem(longctl, 48), "must not contain control characters");
    free(longctl);
    /* Lengths count code points, not bytes. */
    char buf[256];
    memset(buf, 'a', 48);
    buf[48] = '\0';
    assert_null(check_name_problem(buf, 48));
    buf[48] = 'a';
    buf[49] = '\0';
    assert_string_equal(check_name_problem(buf, 48), "is too long");
    buf[0] = '\0';
    for (int i = 0; i < 48; i++)
        strcat(buf, "\xc3\xa9"); /* é, 2 bytes */
    assert_null(check_name_problem(buf, 48));
    strcat(buf, "\xc3\xa9");
    assert_string_equal(check_name_problem(buf, 48), "is too long");
    buf[0] = '\0';
    for (int i = 0; i < 48; i++)
        strcat(buf, "\xf0\x9f\x98\x80"); /* U+1F600, 4 bytes */
    assert_null(check_name_problem(buf, 48));
}

/* ---- numbers, booleans, enums, times -------------------------------------- */

static void test_int(void **state)
{
    (void)state;
    json_t *o = jsq("{'one':1,'five':5,'zero':0,'neg':-1,'big':9223372036854775807,'r':1.0,"
                    "'s':'3','t':true,'n':null,'a':[1]}");
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_BODY(&e);
    int64_t out = -7;
    assert_int_equal(check_int(&k, o, "absent", NULL, 1, 5, &out), 0);
    assert_int_equal(out, -7);
    assert_int_equal(check_int(&k, o, "one", NULL, 1, 5, &out), 1);
    assert_int_equal(out, 1);
    assert_int_equal(check_int(&k, o, "five", NULL, 1, 5, &out), 1);
    assert_int_equal(out, 5);
    assert_int_equal(check_int(&k, o, "big", NULL, INT64_MIN, INT64_MAX, &out), 1);
    assert_true(out == INT64_MAX);
    expect(&k, "");
    out = -7;
    static const char *const bad[] = {"zero", "neg", "big", "r", "s", "t", "n", "a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(check_int(&k, o, bad[i], NULL, 1, 5, &out), -1);
    assert_int_equal(out, -7); /* untouched */
    expect(&k, "zero,neg,big,r,s,t,n,a");
    assert_string_equal(msg_of(&e, 0), "must be an integer from 1 to 5");
    apierr_clear(&e);

    apierr_init(&e);
    k = CHECK_LENIENT(&e, "[1]");
    assert_int_equal(check_int(&k, o, "n", NULL, 1, 5, &out), 0);
    expect(&k, "");
    assert_int_equal(check_int(&k, o, "zero", "dialingStrategy.maxRingTime", -3, -1, &out), -1);
    expect(&k, "[1].dialingStrategy.maxRingTime");
    assert_string_equal(msg_of(&e, 0), "must be an integer from -3 to -1");
    apierr_clear(&e);
    json_decref(o);
}

static void test_bool(void **state)
{
    (void)state;
    json_t *o = jsq(TYPES);
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_BODY(&e);
    bool out = true;
    assert_int_equal(check_bool(&k, o, "absent", NULL, &out), 0);
    assert_true(out);
    assert_int_equal(check_bool(&k, o, "f", NULL, &out), 1);
    assert_false(out);
    assert_int_equal(check_bool(&k, o, "t", NULL, &out), 1);
    assert_true(out);
    expect(&k, "");
    static const char *const bad[] = {"s", "i", "r", "n", "a", "o"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(check_bool(&k, o, bad[i], NULL, &out), -1);
    assert_true(out);
    expect(&k, "s,i,r,n,a,o");
    assert_string_equal(msg_of(&e, 0), "must be a boolean");
    apierr_clear(&e);

    apierr_init(&e);
    k = CHECK_LENIENT(&e, "[0]");
    assert_int_equal(check_bool(&k, o, "n", NULL, &out), 0);
    assert_int_equal(check_bool(&k, o, "s", "allowDuplicates", &out), -1);
    expect(&k, "[0].allowDuplicates");
    apierr_clear(&e);
    json_decref(o);
}

static void test_enum(void **state)
{
    (void)state;
    static const char *const modes[] = {"Agentless", "Progressive", "Preview", NULL};
    json_t *o = jsq("{'a':'Agentless','p':'Preview','lower':'preview','sp':'Preview ',"
                    "'e':'','i':2,'n':null}");
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_BODY(&e);
    assert_int_equal(check_enum(&k, o, "a", NULL, modes, "m"), 0);
    assert_int_equal(check_enum(&k, o, "p", NULL, modes, "m"), 2);
    assert_int_equal(check_enum(&k, o, "absent", NULL, modes, "m"), -1);
    expect(&k, "");
    assert_int_equal(check_enum(&k, o, "lower", NULL, modes, "must be one of the modes"), -2);
    assert_int_equal(check_enum(&k, o, "sp", "dialingMode", modes, "m"), -2);
    assert_int_equal(check_enum(&k, o, "e", NULL, modes, "m"), -2);
    assert_int_equal(check_enum(&k, o, "i", NULL, modes, "m"), -2);
    assert_int_equal(check_enum(&k, o, "n", NULL, modes, "m"), -2);
    expect(&k, "lower,dialingMode,e,i,n");
    assert_string_equal(msg_of(&e, 0), "must be one of the modes");
    assert_string_equal(msg_of(&e, 3), "must be a string");
    assert_string_equal(msg_of(&e, 4), "must be a string");
    apierr_clear(&e);

    apierr_init(&e);
    k = CHECK_LENIENT(&e, "[4]");
    assert_int_equal(check_enum(&k, o, "n", NULL, modes, "m"), -1);
    expect(&k, "");
    assert_int_equal(check_enum(&k, o, "lower", NULL, modes, "m"), -2);
    expect(&k, "[4].lower");
    apierr_clear(&e);
    json_decref(o);
}

static void test_time(void **state)
{
    (void)state;
    json_t *o = jsq("{'t':'2025-12-08T09:17:21.090Z','d':'2025-12-01',"
                    "'off':'2025-12-01T05:30:00+05:30','bad':'2025-02-29','e':'',"
                    "'ms':1765185441090,'n':null,'a':['2025-12-01']}");
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_BODY(&e);
    int64_t ms = 42;
    assert_int_equal(check_time(&k, o, "absent", NULL, &ms), 0);
    assert_int_equal(ms, 42);
    assert_int_equal(check_time(&k, o, "t", NULL, &ms), 1);
    assert_int_equal(ms, ms_of("2025-12-08T09:17:21.090Z"));
    assert_int_equal(check_time(&k, o, "d", NULL, &ms), 1);
    assert_int_equal(ms, ms_of("2025-12-01T00:00:00Z"));
    assert_int_equal(check_time(&k, o, "off", NULL, &ms), 1);
    assert_int_equal(ms, ms_of("2025-12-01T00:00:00Z"));
    expect(&k, "");
    static const char *const bad[] = {"bad", "e", "ms", "n", "a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(check_time(&k, o, bad[i], NULL, &ms), -1);
    expect(&k, "bad,e,ms,n,a");
    assert_string_equal(msg_of(&e, 0), "must be an ISO 8601 timestamp");
    apierr_clear(&e);

    apierr_init(&e);
    k = CHECK_LENIENT(&e, "[9]");
    assert_int_equal(check_time(&k, o, "n", NULL, &ms), 0);
    assert_int_equal(check_time(&k, o, "bad", "createdAt", &ms), -1);
    expect(&k, "[9].createdAt");
    apierr_clear(&e);
    json_decref(o);
}

/* ---- counts and paging (contract §3) -------------------------------------- */

static void test_count_value(void **state)
{
    (void)state;
    static const struct {
        const char *v; /* JSON, single quotes; NULL: no value at all */
        int rc;
        int64_t out;
    } cases[] = {
        {NULL, 0, -5},
        {"null", 0, -5},
        {"''", 0, -5},
        {"0", 1, 0},
        {"100", 1, 100},
        {"'0'", 1, 0},
        {"'007'", 1, 7},
        {"'100'", 1, 100},
        {"'000000000000000000100'", 1, 100}, /* leading zeros do not count */
        {"'999999999999'", -1, -5},          /* 12 digits, above max */
        {"'1000000000000'", -1, -5},         /* 13 digits */
        {"101", -1, -5},
        {"-1", -1, -5},
        {"'-1'", -1, -5},
        {"'+1'", -1, -5},
        {"' 1'", -1, -5},
        {"'1 '", -1, -5},
        {"'1.0'", -1, -5},
        {"'1e2'", -1, -5},
        {"'x'", -1, -5},
        {"1.0", -1, -5},
        {"true", -1, -5},
        {"[1]", -1, -5},
        {"{}", -1, -5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = cases[i].v ? jsq(cases[i].v) : NULL;
        int64_t out = -5;
        int rc = check_count_value(v, 0, 100, &out);
        if (rc != cases[i].rc || out != cases[i].out)
            fail_msg("%s: rc %d out %lld, expected %d %lld", cases[i].v ? cases[i].v : "(none)", rc,
                     (long long)out, cases[i].rc, (long long)cases[i].out);
        json_decref(v);
    }
    /* The whole 12-digit range, up to the contract's largest count. */
    int64_t out = 0;
    json_t *v = json_string("1000000000");
    assert_int_equal(check_count_value(v, 0, CONTRACT_COUNT_MAX, &out), 1);
    assert_int_equal(out, CONTRACT_COUNT_MAX);
    assert_int_equal(check_count_value(v, 0, CONTRACT_COUNT_MAX - 1, &out), -1);
    json_decref(v);
    v = json_string("999999999999");
    assert_int_equal(check_count_value(v, 0, INT64_MAX, &out), 1);
    assert_int_equal(out, 999999999999LL);
    json_decref(v);
    /* A string holding U+0000 after digits is not digits. */
    v = json_stringn("5\0", 2);
    assert_int_equal(check_count_value(v, 0, 100, &out), -1);
    json_decref(v);
}

/* check_paging on the object (single quotes); returns the paging. */
static struct paging paging(struct check *k, const char *obj_sq, bool has_skip, int64_t def)
{
    json_t *o = jsq(obj_sq);
    struct paging p;
    memset(&p, 0xa5, sizeof p); /* check_paging must set everything */
    check_paging(k, o, has_skip, def, &p);
    json_decref(o);
    return p;
}

static void test_paging(void **state)
{
    (void)state;
    static const struct {
        const char *obj;
        bool has_skip;
        int64_t skip, limit, page, offset;
        const char *fields;
    } cases[] = {
        /* Defaults: limit_default, skip 0, page 1. */
        {"{}", true, 0, 10, 1, 0, ""},
        {"{'limit':'','skip':'','page':''}", true, 0, 10, 1, 0, ""},
        {"{'limit':50,'skip':0,'page':1}", true, 0, 50, 1, 0, ""},
        /* offset = skip + (page - 1) * limit */
        {"{'page':2}", true, 0, 10, 2, 10, ""},
        {"{'skip':7,'page':3,'limit':20}", true, 7, 20, 3, 47, ""},
        {"{'skip':'7','page':'3','limit':'20'}", true, 7, 20, 3, 47, ""},
        {"{'skip':1000000000,'page':1000000000,'limit':100}", true, 1000000000, 100, 1000000000,
         1000000000LL + 999999999LL * 100, ""},
        /* Without skip, skip is never read, even when it is bad. */
        {"{'skip':5,'page':2}", false, 0, 10, 2, 10, ""},
        {"{'skip':'x'}", false, 0, 10, 1, 0, ""},
        /* Bounds: limit 1..100, skip 0..10^9, page 1..10^9. */
        {"{'limit':1}", true, 0, 1, 1, 0, ""},
        {"{'limit':100}", true, 0, 100, 1, 0, ""},
        {"{'limit':0}", true, 0, 10, 1, 0, "limit"},
        {"{'limit':101}", true, 0, 10, 1, 0, "limit"},
        {"{'skip':-1}", true, 0, 10, 1, 0, "skip"},
        {"{'skip':1000000001}", true, 0, 10, 1, 0, "skip"},
        {"{'page':0}", true, 0, 10, 1, 0, "page"},
        {"{'page':'1000000001'}", true, 0, 10, 1, 0, "page"},
        /* A bad value keeps its default and does not disturb the others;
         * all are reported, limit, skip, page in that order. */
        {"{'page':true,'skip':3,'limit':2}", true, 3, 2, 1, 3, "page"},
        {"{'page':[],'skip':{},'limit':1.5}", true, 0, 10, 1, 0, "limit,skip,page"},
        /* null is a type error in a body. */
        {"{'limit':null,'skip':null,'page':null}", true, 0, 10, 1, 0, "limit,skip,page"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct apierr e;
        apierr_init(&e);
        struct check k = CHECK_BODY(&e);
        struct paging p = paging(&k, cases[i].obj, cases[i].has_skip, 10);
        if (p.skip != cases[i].skip || p.limit != cases[i].limit || p.page != cases[i].page ||
            p.offset != cases[i].offset)
            fail_msg("%s: skip %lld limit %lld page %lld offset %lld", cases[i].obj,
                     (long long)p.skip, (long long)p.limit, (long long)p.page, (long long)p.offset);
        expect(&k, cases[i].fields);
        apierr_clear(&e);
    }

    /* The message names the bounds; the prefix applies. */
    struct apierr e;
    apierr_init(&e);
    struct check k = CHECK_LENIENT(&e, "body");
    struct paging p = paging(&k, "{'limit':null,'skip':null,'page':null}", true, 50);
    assert_int_equal(p.limit, 50); /* null is absent here */
    expect(&k, "");
    p = paging(&k, "{'limit':'0','page':'x'}", true, 50);
    assert_int_equal(p.limit, 50);
    expect(&k, "body.limit,body.page");
    assert_string_equal(msg_of(&e, 0),
                        "must be an integer from 1 to 100, a string of digits, or \"\"");
    assert_string_equal(msg_of(&e, 1),
                        "must be an integer from 1 to 1000000000, a string of digits, or \"\"");
    apierr_clear(&e);
}

static void test_total_pages(void **state)
{
    (void)state;
    static const int64_t cases[][3] = {
        {0, 10, 0},  {1, 10, 1},    {9, 10, 1},    {10, 10, 1},
        {11, 10, 2}, {100, 1, 100}, {101, 100, 2}, {1000000000, 1, 1000000000},
        {5, 0, 0},   {0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (check_total_pages(cases[i][0], cases[i][1]) != cases[i][2])
            fail_msg("total %lld limit %lld: %lld pages, expected %lld", (long long)cases[i][0],
                     (long long)cases[i][1], (long long)check_total_pages(cases[i][0], cases[i][1]),
                     (long long)cases[i][2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail),
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_string),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_name),
        cmocka_unit_test(test_name_problem),
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_count_value),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_total_pages),
    };
    return unit_run(tests);
}
