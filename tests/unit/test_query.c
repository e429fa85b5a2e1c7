/* test_query.c - the Get All Campaigns request validator (query.h, contract §3).
 * The strict JSON parse it relies on is test_jsonio.c's, the field checks
 * test_check.c's.
 *
 * Bodies are written with single quotes for readability; sq() turns them
 * into double quotes before parsing. */
#include "testutil.h"
#include "campaign.h"
#include "jsonio.h"
#include "query.h"
#include "timefmt.h"

/* ---- helpers ------------------------------------------------------------- */

/* Parses the body (single-quoted) and runs query_parse; returns its result. */
static int run(const char *body_sq, struct list_query *q, struct apierr *e)
{
    char *body = sq(body_sq);
    apierr_init(e);
    json_t *v = parse_body(body, strlen(body), e);
    if (v == NULL)
        fail_msg("body does not parse: %s", body);
    memset(q, 0xa5, sizeof *q); /* query_parse must set everything */
    int rc = query_parse(v, q, e);
    json_decref(v);
    free(body);
    return rc;
}

static struct list_query ok(const char *body_sq)
{
    struct list_query q;
    struct apierr e;
    int rc = run(body_sq, &q, &e);
    if (rc != 0) {
        char f[1024];
        fields_of(&e, f, sizeof f);
        apierr_clear(&e);
        fail_msg("query_parse rejected %s: fields %s", body_sq, f);
    }
    assert_int_equal(e.status, 0);
    assert_int_equal(apierr_count(&e), 0);
    apierr_clear(&e);
    return q;
}

/* Expects a 400 whose errors name exactly `want` (comma-separated). */
static void errs(const char *body_sq, const char *want)
{
    struct list_query q;
    struct apierr e;
    int rc = run(body_sq, &q, &e);
    char f[2048];
    fields_of(&e, f, sizeof f);
    if (rc != -1 || strcmp(f, want) != 0) {
        apierr_clear(&e);
        fail_msg("body %s: rc %d, fields \"%s\", expected \"%s\"", body_sq, rc, f, want);
    }
    assert_int_equal(e.status, 400);
    assert_string_equal(e.message, "Request validation failed");
    apierr_clear(&e);
}

/* ---- defaults and pagination --------------------------------------------- */

static void test_defaults(void **state)
{
    (void)state;
    struct list_query q = ok("{'type':'voice'}");
    assert_int_equal(q.type, CTYPE_VOICE);
    assert_int_equal(q.limit, 10);
    assert_int_equal(q.offset, 0);
    assert_true(q.start_ms == INT64_MIN);
    assert_true(q.end_ms == INT64_MAX);
    assert_int_equal(q.nsort, 0);
    assert_int_equal(q.status_mask, QUERY_MASK_ALL);
    assert_int_equal(q.priority_mask, QUERY_MASK_ALL);
    assert_int_equal(q.mode_mask, QUERY_MASK_ALL);

    q = ok("{'type':'sms'}");
    assert_int_equal(q.type, CTYPE_SMS);
    assert_int_equal(q.limit, 10);
    assert_int_equal(q.offset, 0);
    assert_int_equal(q.mode_mask, QUERY_MASK_ALL);

    /* "" and null mean the default; unknown top-level keys are ignored. */
    q = ok("{'type':'voice','limit':'','skip':'','page':'','startDate':'','endDate':'',"
           "'sortBy':null,'filters':null,'Limit':5,'foo':{'bar':[1,2]}}");
    assert_int_equal(q.limit, 10);
    assert_int_equal(q.offset, 0);
    assert_true(q.start_ms == INT64_MIN);
    assert_true(q.end_ms == INT64_MAX);
    assert_int_equal(q.nsort, 0);
    q = ok("{'type':'voice','limit':null,'skip':null,'page':null,'startDate':null,"
           "'endDate':null}");
    assert_int_equal(q.limit, 10);
    assert_int_equal(q.offset, 0);
}

static void test_documented_samples(void **state)
{
    (void)state;
    struct list_query q = ok(
        "{ 'limit': 50, 'skip': 0, 'page': 1, 'startDate': '2025-12-01T00:00:00.000Z',"
        "  'endDate' : '2025-12-04T00:00:00.000Z', 'type' :'voice',"
        "  'sortBy': { 'createdAt': 'desc' },"
        "  'filters': { 'status': ['Ready', 'Stopped'], 'priority': [5] ,"
        "               'dialingMode': ['Progressive', 'Preview'] } }");
    assert_int_equal(q.type, CTYPE_VOICE);
    assert_int_equal(q.limit, 50);
    assert_int_equal(q.offset, 0);
    assert_int_equal(q.start_ms, ms_of("2025-12-01T00:00:00.000Z"));
    assert_int_equal(q.end_ms, ms_of("2025-12-04T00:00:00.000Z"));
    assert_int_equal(q.nsort, 1);
    assert_int_equal(q.sort[0].field, SORT_CREATED_AT);
    assert_int_equal(q.sort[0].desc, 1);
    assert_int_equal(q.status_mask, (1u << CSTATUS_READY) | (1u << CSTATUS_STOPPED));
    assert_int_equal(q.priority_mask, 1u << 5);
    assert_int_equal(q.mode_mask, (1u << CMODE_PROGRESSIVE) | (1u << CMODE_PREVIEW));

    q = ok("{ 'limit': 50, 'skip': 0, 'page': 1, 'startDate': '2025-12-01T00:00:00.000Z',"
           "  'endDate' : '2025-12-08T00:00:00.000Z', 'type' :'sms',"
           "  'sortBy': { 'createdAt': 'desc' },"
           "  'filters': { 'status': ['Ready', 'Stopped'], 'priority': [5] } }");
    assert_int_equal(q.type, CTYPE_SMS);
    assert_int_equal(q.limit, 50);
    assert_int_equal(q.end_ms, ms_of("2025-12-08T00:00:00.000Z"));
    assert_int_equal(q.status_mask, (1u << CSTATUS_READY) | (1u << CSTATUS_STOPPED));
    assert_int_equal(q.priority_mask, 1u << 5);
    assert_int_equal(q.mode_mask, QUERY_MASK_ALL);
}

static void test_offset_formula(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int limit;
        int64_t offset;
    } cases[] = {
        {"{'type':'voice','page':2}", 10, 10},
        {"{'type':'voice','page':3,'limit':20}", 20, 40},
        {"{'type':'voice','skip':7,'page':3,'limit':20}", 20, 47},
        {"{'type':'voice','skip':'7','page':'3','limit':'20'}", 20, 47},
        {"{'type':'voice','skip':5}", 10, 5},
        {"{'type':'voice','skip':5,'page':1,'limit':100}", 100, 5},
        {"{'type':'voice','skip':'','page':4,'limit':''}", 10, 30},
        {"{'type':'sms','skip':0,'page':1,'limit':1}", 1, 0},
        {"{'type':'sms','page':1000000000,'limit':1}", 1, 999999999},
        {"{'type':'sms','skip':1000000000,'page':1000000000,'limit':100}", 100,
         1000000000LL + 999999999LL * 100},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct list_query q = ok(cases[i].body);
        assert_int_equal(q.limit, cases[i].limit);
        assert_int_equal(q.offset, cases[i].offset);
    }
}

static void test_count_bounds(void **state)
{
    (void)state;
    assert_int_equal(ok("{'type':'voice','limit':1}").limit, 1);
    assert_int_equal(ok("{'type':'voice','limit':100}").limit, 100);
    assert_int_equal(ok("{'type':'voice','limit':'100'}").limit, 100);
    errs("{'type':'voice','limit':0}", "limit");
    errs("{'type':'voice','limit':'0'}", "limit");
    errs("{'type':'voice','limit':101}", "limit");
    errs("{'type':'voice','limit':'101'}", "limit");
    assert_int_equal(ok("{'type':'voice','skip':0}").offset, 0);
    assert_int_equal(ok("{'type':'voice','skip':1000000000}").offset, 1000000000);
    assert_int_equal(ok("{'type':'voice','skip':'1000000000'}").offset, 1000000000);
    errs("{'type':'voice','skip':1000000001}", "skip");
    errs("{'type':'voice','skip':'1000000001'}", "skip");
    errs("{'type':'voice','skip':9223372036854775807}", "skip");
    assert_int_equal(ok("{'type':'voice','page':1}").offset, 0);
    assert_int_equal(ok("{'type':'voice','page':1000000000}").offset, 9999999990LL);
    errs("{'type':'voice','page':0}", "page");
    errs("{'type':'voice','page':'0'}", "page");
    errs("{'type':'voice','page':1000000001}", "page");
    errs("{'type':'voice','page':'999999999999'}", "page");
    errs("{'type':'voice','page':-9223372036854775807}", "page");
}

static void test_count_digit_strings(void **state)
{
    (void)state;
    assert_int_equal(ok("{'type':'voice','limit':'50'}").limit, 50);
    assert_int_equal(ok("{'type':'voice','limit':'007'}").limit, 7);
    /* README: leading zeros do not count; the rest has at most 12 digits. */
    assert_int_equal(ok("{'type':'voice','limit':'000000000050'}").limit, 50);
    assert_int_equal(ok("{'type':'voice','limit':'00000000000000000050'}").limit, 50);
    assert_int_equal(ok("{'type':'voice','skip':'0000000000000'}").offset, 0);
    errs("{'type':'voice','skip':'1000000000000'}", "skip");
    errs("{'type':'voice','skip':'99999999999999999999999'}", "skip");
    static const char *const bad[] = {
        "'-1'", "'1.5'", "'abc'", "' 5'", "'5 '", "'+5'", "'1e2'", "'0x10'", "'5a'",
        "'\\u0665'", /* ARABIC-INDIC DIGIT FIVE */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[128];
        snprintf(body, sizeof body, "{'type':'voice','limit':%s}", bad[i]);
        errs(body, "limit");
    }
}

static void test_count_invalid_types(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "true", "false", "1.0", "1.5", "-1", "1e1", "[]", "[5]", "{}", "{'n':5}", "-0.0",
    };
    static const char *const keys[] = {"limit", "skip", "page"};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            char body[128];
            snprintf(body, sizeof body, "{'type':'sms','%s':%s}", keys[k], bad[i]);
            errs(body, keys[k]);
        }
    }
    /* An invalid value does not disturb the other two. */
    struct list_query q;
    struct apierr e;
    assert_int_equal(run("{'type':'sms','limit':true,'skip':3,'page':2}", &q, &e), -1);
    assert_int_equal(q.limit, 10);
    assert_int_equal(q.offset, 13);
    apierr_clear(&e);
}

static void test_type(void **state)
{
    (void)state;
    errs("{}", "type");
    errs("{'type':null}", "type");
    errs("{'type':''}", "type");
    errs("{'type':'Voice'}", "type");
    errs("{'type':'SMS'}", "type");
    errs("{'type':' sms'}", "type");
    errs("{'type':'email'}", "type");
    errs("{'type':1}", "type");
    errs("{'type':true}", "type");
    errs("{'type':['voice']}", "type");
    errs("{'type':{'voice':1}}", "type");
    errs("{'Type':'voice'}", "type");

    /* "is required" for absent/null, "must be" for a wrong value. */
    struct list_query q;
    struct apierr e;
    run("{}", &q, &e);
    const char *m1 = json_string_value(json_object_get(json_array_get(e.errors, 0), "msg"));
    assert_non_null(strstr(m1, "required"));
    apierr_clear(&e);
    run("{'type':'fax'}", &q, &e);
    const char *m2 = json_string_value(json_object_get(json_array_get(e.errors, 0), "msg"));
    assert_null(strstr(m2, "required"));
    apierr_clear(&e);
}

/* ---- dates --------------------------------------------------------------- */

static void test_dates(void **state)
{
    (void)state;
    struct list_query q = ok("{'type':'voice','startDate':'2025-12-01','endDate':'2025-12-04'}");
    assert_int_equal(q.start_ms, ms_of("2025-12-01T00:00:00Z"));
    assert_int_equal(q.end_ms, ms_of("2025-12-04T00:00:00Z"));

    q = ok("{'type':'voice','startDate':'2025-12-01T05:30:00+05:30'}");
    assert_int_equal(q.start_ms, ms_of("2025-12-01T00:00:00Z"));
    assert_true(q.end_ms == INT64_MAX);

    q = ok("{'type':'voice','endDate':'2025-12-01T00:00:00.123456789z'}");
    assert_true(q.start_ms == INT64_MIN);
    assert_int_equal(q.end_ms, ms_of("2025-12-01T00:00:00.123Z"));

    /* Equal bounds are fine (both inclusive). */
    q = ok("{'type':'voice','startDate':'2025-12-01T00:00:00Z','endDate':'2025-12-01'}");
    assert_int_equal(q.start_ms, q.end_ms);

    /* Compared as instants: textually later, earlier as an instant. */
    q = ok("{'type':'voice','startDate':'2025-12-01T10:00:00+05:00',"
           "'endDate':'2025-12-01T06:00:00Z'}");
    assert_true(q.start_ms < q.end_ms);
    errs("{'type':'voice','startDate':'2025-12-01T05:00:00Z',"
         "'endDate':'2025-12-01T09:00:00+05:00'}",
         "endDate");
    errs("{'type':'voice','startDate':'2025-12-04','endDate':'2025-12-01'}", "endDate");
    errs("{'type':'voice','startDate':'2025-12-01T00:00:00.001Z','endDate':'2025-12-01'}",
         "endDate");

    errs("{'type':'voice','startDate':'2025-13-01'}", "startDate");
    errs("{'type':'voice','startDate':'2025-02-29'}", "startDate");
    errs("{'type':'voice','endDate':'2025-12-01T00:00:00'}", "endDate");
    errs("{'type':'voice','startDate':'01/12/2025'}", "startDate");
    errs("{'type':'voice','startDate':'now'}", "startDate");
    errs("{'type':'voice','startDate':' '}", "startDate");
    errs("{'type':'voice','startDate':1764547200000}", "startDate");
    errs("{'type':'voice','startDate':true}", "startDate");
    errs("{'type':'voice','endDate':['2025-12-01']}", "endDate");
    errs("{'type':'voice','endDate':{}}", "endDate");
    errs("{'type':'voice','startDate':'x','endDate':'y'}", "startDate,endDate");
    /* An invalid bound is not compared with the other one. */
    errs("{'type':'voice','startDate':'2025-12-04','endDate':'2025-12-99'}", "endDate");
    errs("{'type':'voice','startDate':'2025-12-99','endDate':'2025-12-01'}", "startDate");
}

/* ---- sortBy -------------------------------------------------------------- */

static void test_sort_order_preserved(void **state)
{
    (void)state;
    struct list_query q = ok("{'type':'voice','sortBy':{}}");
    assert_int_equal(q.nsort, 0);

    q = ok("{'type':'voice','sortBy':{'name':'asc'}}");
    assert_int_equal(q.nsort, 1);
    assert_int_equal(q.sort[0].field, SORT_NAME);
    assert_int_equal(q.sort[0].desc, 0);

    q = ok("{'type':'voice','sortBy':{'updatedAt':'asc','name':'desc','createdAt':'asc'}}");
    assert_int_equal(q.nsort, 3);
    assert_int_equal(q.sort[0].field, SORT_UPDATED_AT);
    assert_int_equal(q.sort[0].desc, 0);
    assert_int_equal(q.sort[1].field, SORT_NAME);
    assert_int_equal(q.sort[1].desc, 1);
    assert_int_equal(q.sort[2].field, SORT_CREATED_AT);
    assert_int_equal(q.sort[2].desc, 0);

    q = ok("{'type':'sms','sortBy':{'createdAt':'desc','updatedAt':'desc'}}");
    assert_int_equal(q.nsort, 2);
    assert_int_equal(q.sort[0].field, SORT_CREATED_AT);
    assert_int_equal(q.sort[1].field, SORT_UPDATED_AT);
    assert_int_equal(q.sort[1].desc, 1);
}

static void test_sort_invalid(void **state)
{
    (void)state;
    errs("{'type':'voice','sortBy':'createdAt'}", "sortBy");
    errs("{'type':'voice','sortBy':['createdAt']}", "sortBy");
    errs("{'type':'voice','sortBy':1}", "sortBy");
    errs("{'type':'voice','sortBy':{'foo':'asc'}}", "sortBy.foo");
    errs("{'type':'voice','sortBy':{'Name':'asc'}}", "sortBy.Name");
    errs("{'type':'voice','sortBy':{'_id':'asc'}}", "sortBy._id");
    errs("{'type':'voice','sortBy':{'':'asc'}}", "sortBy.");
    errs("{'type':'voice','sortBy':{'name':'ASC'}}", "sortBy.name");
    errs("{'type':'voice','sortBy':{'name':'Desc'}}", "sortBy.name");
    errs("{'type':'voice','sortBy':{'name':'ascending'}}", "sortBy.name");
    errs("{'type':'voice','sortBy':{'name':''}}", "sortBy.name");
    errs("{'type':'voice','sortBy':{'name':1}}", "sortBy.name");
    errs("{'type':'voice','sortBy':{'name':-1}}", "sortBy.name");
    errs("{'type':'voice','sortBy':{'name':true}}", "sortBy.name");
    errs("{'type':'voice','sortBy':{'name':['asc']}}", "sortBy.name");
    errs("{'type':'voice','sortBy':{'name':'asc','foo':'desc','createdAt':'ASC',"
         "'updatedAt':'desc'}}",
         "sortBy.foo,sortBy.createdAt");
}

/* Contract §3: "null for an optional field means the field is absent";
 * sortBy.name, sortBy.createdAt and sortBy.updatedAt are optional fields. */
static void test_sort_null_value_is_absent(void **state)
{
    (void)state;
    struct list_query q = ok("{'type':'voice','sortBy':{'name':null}}");
    assert_int_equal(q.nsort, 0);
    q = ok("{'type':'voice','sortBy':{'name':null,'updatedAt':'asc'}}");
    assert_int_equal(q.nsort, 1);
    assert_int_equal(q.sort[0].field, SORT_UPDATED_AT);
}

static void test_order(void **state)
{
    (void)state;
    int f[4], d[4];
    struct list_query q = ok("{'type':'voice'}");
    assert_int_equal(query_order(&q, f, d), 2);
    assert_int_equal(f[0], SORT_CREATED_AT);
    assert_int_equal(d[0], 1);
    assert_int_equal(f[1], -1);
    assert_int_equal(d[1], 1);

    q = ok("{'type':'voice','sortBy':{}}");
    assert_int_equal(query_order(&q, f, d), 2);
    assert_int_equal(f[0], SORT_CREATED_AT);
    assert_int_equal(d[0], 1);

    q = ok("{'type':'voice','sortBy':{'name':'asc'}}");
    assert_int_equal(query_order(&q, f, d), 2);
    assert_int_equal(f[0], SORT_NAME);
    assert_int_equal(d[0], 0);
    assert_int_equal(f[1], -1);
    assert_int_equal(d[1], 0);

    q = ok("{'type':'voice','sortBy':{'name':'asc','createdAt':'desc'}}");
    assert_int_equal(query_order(&q, f, d), 3);
    assert_int_equal(f[1], SORT_CREATED_AT);
    assert_int_equal(d[1], 1);
    assert_int_equal(f[2], -1);
    assert_int_equal(d[2], 1);

    q = ok("{'type':'voice','sortBy':{'createdAt':'desc','updatedAt':'desc','name':'asc'}}");
    assert_int_equal(query_order(&q, f, d), 4);
    assert_int_equal(f[0], SORT_CREATED_AT);
    assert_int_equal(f[1], SORT_UPDATED_AT);
    assert_int_equal(f[2], SORT_NAME);
    assert_int_equal(f[3], -1);
    assert_int_equal(d[3], 0);
}

/* ---- filters ------------------------------------------------------------- */

static void test_status_bits_follow_enum(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int bit;
    } st[] = {
        {"Active", CSTATUS_ACTIVE},     {"Completed", CSTATUS_COMPLETED},
        {"Ready", CSTATUS_READY},       {"Paused", CSTATUS_PAUSED},
        {"Preparing", CSTATUS_PREPARING}, {"Stopped", CSTATUS_STOPPED},
        {"Scheduled", CSTATUS_SCHEDULED}, {"Rescheduled", CSTATUS_RESCHEDULED},
    };
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        assert_int_equal(st[i].bit, (int)i); /* the enum order is the documented order */
        char body[128];
        snprintf(body, sizeof body, "{'type':'voice','filters':{'status':['%s']}}", st[i].name);
        struct list_query q = ok(body);
        assert_int_equal(q.status_mask, 1u << st[i].bit);
        assert_int_equal(q.priority_mask, QUERY_MASK_ALL);
        assert_int_equal(q.mode_mask, QUERY_MASK_ALL);
    }
    struct list_query q = ok("{'type':'voice','filters':{'status':['Active','Completed','Ready',"
                             "'Paused','Preparing','Stopped','Scheduled','Rescheduled']}}");
    assert_int_equal(q.status_mask, 0xffu);
    q = ok("{'type':'voice','filters':{'status':['Ready','Ready','Ready']}}");
    assert_int_equal(q.status_mask, 1u << CSTATUS_READY);
    errs("{'type':'voice','filters':{'status':['ready']}}", "filters.status[0]");
    errs("{'type':'voice','filters':{'status':['Ready','READY','Stopped ','']}}",
         "filters.status[1],filters.status[2],filters.status[3]");
    errs("{'type':'voice','filters':{'status':[2,null,true,['Ready'],{}]}}",
         "filters.status[0],filters.status[1],filters.status[2],filters.status[3],"
         "filters.status[4]");
    errs("{'type':'voice','filters':{'status':'Ready'}}", "filters.status");
    errs("{'type':'voice','filters':{'status':{'Ready':true}}}", "filters.status");
}

static void test_priority_bits(void **state)
{
    (void)state;
    for (int p = 1; p <= 5; p++) {
        char body[128];
        snprintf(body, sizeof body, "{'type':'sms','filters':{'priority':[%d]}}", p);
        assert_int_equal(ok(body).priority_mask, 1u << p);
        snprintf(body, sizeof body, "{'type':'sms','filters':{'priority':['%d']}}", p);
        assert_int_equal(ok(body).priority_mask, 1u << p);
    }
    assert_int_equal(ok("{'type':'sms','filters':{'priority':[1,'3',5]}}").priority_mask,
                     (1u << 1) | (1u << 3) | (1u << 5));
    assert_int_equal(ok("{'type':'sms','filters':{'priority':[1,2,3,4,5]}}").priority_mask,
                     0x3eu);
    errs("{'type':'sms','filters':{'priority':[0]}}", "filters.priority[0]");
    errs("{'type':'sms','filters':{'priority':[5,6]}}", "filters.priority[1]");
    errs("{'type':'sms','filters':{'priority':[1,'0','6','','five',5.0,true,null,-1,'-1',"
         "' 5',[5]]}}",
         "filters.priority[1],filters.priority[2],filters.priority[3],filters.priority[4],"
         "filters.priority[5],filters.priority[6],filters.priority[7],filters.priority[8],"
         "filters.priority[9],filters.priority[10],filters.priority[11]");
    errs("{'type':'sms','filters':{'priority':5}}", "filters.priority");
    errs("{'type':'sms','filters':{'priority':'5'}}", "filters.priority");
}

static void test_mode_bits(void **state)
{
    (void)state;
    assert_int_equal(ok("{'type':'voice','filters':{'dialingMode':['Progressive']}}").mode_mask,
                     1u << CMODE_PROGRESSIVE);
    assert_int_equal(ok("{'type':'voice','filters':{'dialingMode':['Preview']}}").mode_mask,
                     1u << CMODE_PREVIEW);
    assert_int_equal(ok("{'type':'voice','filters':{'dialingMode':['Agentless']}}").mode_mask,
                     1u << CMODE_AGENTLESS);
    assert_int_equal(
        ok("{'type':'voice','filters':{'dialingMode':['Agentless','Progressive']}}").mode_mask,
        (1u << CMODE_AGENTLESS) | (1u << CMODE_PROGRESSIVE));
    errs("{'type':'voice','filters':{'dialingMode':['progressive']}}", "filters.dialingMode[0]");
    errs("{'type':'voice','filters':{'dialingMode':['Preview','Manual','']}}",
         "filters.dialingMode[1],filters.dialingMode[2]");
    errs("{'type':'voice','filters':{'dialingMode':[1]}}", "filters.dialingMode[0]");
    errs("{'type':'voice','filters':{'dialingMode':'Preview'}}", "filters.dialingMode");
}

static void test_dialing_mode_for_sms(void **state)
{
    (void)state;
    /* Validated, never applied. */
    struct list_query q = ok("{'type':'sms','filters':{'dialingMode':['Preview']}}");
    assert_int_equal(q.mode_mask, QUERY_MASK_ALL);
    q = ok("{'type':'sms','filters':{'dialingMode':['Progressive','Agentless'],'status':"
           "['Paused']}}");
    assert_int_equal(q.mode_mask, QUERY_MASK_ALL);
    assert_int_equal(q.status_mask, 1u << CSTATUS_PAUSED);
    errs("{'type':'sms','filters':{'dialingMode':['Bogus']}}", "filters.dialingMode[0]");
    errs("{'type':'sms','filters':{'dialingMode':'Preview'}}", "filters.dialingMode");
    errs("{'type':'sms','filters':{'dialingMode':[null]}}", "filters.dialingMode[0]");
}

static void test_empty_and_null_filters(void **state)
{
    (void)state;
    struct list_query q = ok("{'type':'voice','filters':{}}");
    assert_int_equal(q.status_mask, QUERY_MASK_ALL);
    assert_int_equal(q.priority_mask, QUERY_MASK_ALL);
    assert_int_equal(q.mode_mask, QUERY_MASK_ALL);
    q = ok("{'type':'voice','filters':{'status':[],'priority':[],'dialingMode':[]}}");
    assert_int_equal(q.status_mask, QUERY_MASK_ALL);
    assert_int_equal(q.priority_mask, QUERY_MASK_ALL);
    assert_int_equal(q.mode_mask, QUERY_MASK_ALL);
    q = ok("{'type':'voice','filters':{'status':null,'priority':null,'dialingMode':null}}");
    assert_int_equal(q.status_mask, QUERY_MASK_ALL);
    assert_int_equal(q.priority_mask, QUERY_MASK_ALL);
    assert_int_equal(q.mode_mask, QUERY_MASK_ALL);
    q = ok("{'type':'voice','filters':{'status':[],'priority':[2]}}");
    assert_int_equal(q.status_mask, QUERY_MASK_ALL);
    assert_int_equal(q.priority_mask, 1u << 2);
    errs("{'type':'voice','filters':[]}", "filters");
    errs("{'type':'voice','filters':'status'}", "filters");
    errs("{'type':'voice','filters':true}", "filters");
}

static char *array_body(const char *key, const char *value, int n)
{
    size_t cap = 256 + (size_t)n * (strlen(value) + 1);
    char *b = xmalloc(cap);
    size_t len = (size_t)snprintf(b, cap, "{'type':'voice','filters':{'%s':[", key);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(b + len, cap - len, "%s%s", i ? "," : "", value);
    snprintf(b + len, cap - len, "]}}");
    return b;
}

static void test_array_limit(void **state)
{
    (void)state;
    char *b = array_body("status", "'Ready'", 64);
    assert_int_equal(ok(b).status_mask, 1u << CSTATUS_READY);
    free(b);
    b = array_body("status", "'Ready'", 65);
    errs(b, "filters.status");
    free(b);
    /* Only the array is named, not its (invalid) values. */
    b = array_body("status", "'nope'", 65);
    errs(b, "filters.status");
    free(b);
    b = array_body("priority", "5", 64);
    assert_int_equal(ok(b).priority_mask, 1u << 5);
    free(b);
    b = array_body("priority", "'5'", 1000);
    errs(b, "filters.priority");
    free(b);
    b = array_body("dialingMode", "'Preview'", 65);
    errs(b, "filters.dialingMode");
    free(b);
}

static void test_unknown_filter_keys(void **state)
{
    (void)state;
    errs("{'type':'voice','filters':{'foo':['x']}}", "filters.foo");
    errs("{'type':'voice','filters':{'Status':['Ready']}}", "filters.Status");
    errs("{'type':'voice','filters':{'statuses':['Ready'],'priority':[1]}}", "filters.statuses");
    errs("{'type':'voice','filters':{'dialingmode':[]}}", "filters.dialingmode");
    errs("{'type':'voice','filters':{'':null}}", "filters.");
    errs("{'type':'voice','filters':{'a':1,'b':2,'status':['Ready']}}", "filters.a,filters.b");
}

/* ---- every error at once ------------------------------------------------- */

static void test_all_errors_collected(void **state)
{
    (void)state;
    errs("{'type':'fax','limit':0,'skip':-1,'page':'x','startDate':'2025-13-01',"
         "'endDate':'tomorrow','sortBy':{'foo':'asc','name':'up','createdAt':'desc'},"
         "'filters':{'bar':1,'status':['ready','Ready'],'priority':[0,3,'9'],"
         "'dialingMode':['Manual']}}",
         "type,limit,skip,page,startDate,endDate,sortBy.foo,sortBy.name,filters.bar,"
         "filters.status[0],filters.priority[0],filters.priority[2],filters.dialingMode[0]");
    errs("{'limit':101,'startDate':'2025-12-04','endDate':'2025-12-01','sortBy':[],"
         "'filters':[]}",
         "type,limit,endDate,sortBy,filters");
    errs("{'type':'sms','page':true,'filters':{'status':'Ready','priority':[],'dialingMode':"
         "['x','y']}}",
         "page,filters.status,filters.dialingMode[0],filters.dialingMode[1]");

    /* The error body has the contract's shape. */
    struct list_query q;
    struct apierr e;
    assert_int_equal(run("{'type':'voice','limit':0,'filters':{'priority':[1,7]}}", &q, &e), -1);
    json_t *body = apierr_body(&e);
    assert_string_equal(json_string_value(json_object_get(body, "status")), "error");
    assert_string_equal(json_string_value(json_object_get(body, "message")),
                        "Request validation failed");
    json_t *list = json_object_get(body, "errors");
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "field")),
                        "filters.priority[1]");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "msg")),
                        "must be one of 1, 2, 3, 4, 5");
    json_decref(body);
    apierr_clear(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_documented_samples),
        cmocka_unit_test(test_offset_formula),
        cmocka_unit_test(test_count_bounds),
        cmocka_unit_test(test_count_digit_strings),
        cmocka_unit_test(test_count_invalid_types),
        cmocka_unit_test(test_type),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_sort_order_preserved),
        cmocka_unit_test(test_sort_invalid),
        cmocka_unit_test(test_sort_null_value_is_absent),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_status_bits_follow_enum),
        cmocka_unit_test(test_priority_bits),
        cmocka_unit_test(test_mode_bits),
        cmocka_unit_test(test_dialing_mode_for_sms),
        cmocka_unit_test(test_empty_and_null_filters),
        cmocka_unit_test(test_array_limit),
        cmocka_unit_test(test_unknown_filter_keys),
        cmocka_unit_test(test_all_errors_collected),
    };
    return unit_run(tests);
}
