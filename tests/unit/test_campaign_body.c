/* test_campaign_body.c - create and update bodies of SMS and voice campaigns
 * (family spec §1.2, §3, §4.1, §5.1): campaign_apply_body + campaign_complete,
 * the documents they feed (campaign_render_document, campaign_render_created,
 * campaign_render_strategy) and enable-schedule bodies (§8.3,
 * campaign_schedule_parse).
 *
 * A create starts from a fresh campaign of the query's type (creating = 1);
 * an update starts from a campaign built by a create and then "stored":
 * store_sim() does what the store does inside the write (ids, timestamps,
 * the experience flow, template and DNC list resolved to ids).
 *
 * Error lists are compared as multisets of `field` values: every problem must
 * be reported once, and nothing else.  JSON is written with single quotes;
 * jsq() turns them into double quotes. */
#include <unistd.h>

#include "testutil.h"
#include "campaign.h"
#include "jsonio.h"
#include "timefmt.h"

#define CD_ID "cd-9e14b72c-88cc-4544-9a98-7aee9b7c4d5e"
#define CL_ID "cl-68b802a1-2b99-4245-8eea-6d322a8e9f01"
#define CF_ID "cf-67447605-115e-4dd2-a676-e158cf3d4e5f"
#define CMT_ID "cmt-88fcd16f-bdb2-4d4d-8a2c-0324c7f0c3d4"
#define CID_ID "cid-c4ad0662-6c2e-48f7-9a2c-9da337d0a1b2"
#define T_CREATED "2025-12-08T05:29:38.298Z"

/* ---- documented sample bodies (family spec §4.1, §5.1), numbers filled in -- */

static const char SMS_SIMPLE[] =
    "{'name':'Event Reminder SMS Campaign71','description':'Sends a one-time message',"
    "'contactLists':['CL Only 2020 Dec 4'],'dncLists':{'name':'DNC CL Dec 4'},"
    "'campaignType':'sms','priority':'5','format':'simple',"
    "'message':{'message':'TWVzc2FnZSBmb3IgeW91ciB0YXJnZXRlZCBjdXN0b21lcg'},"
    "'dialingStrategy':{'callerId':{'phoneNumber':'+919561600000'},"
    "'callingHours':{'frequency':'WEEKLY','timezone':'Asia/Kolkata','days':["
    "{'day':'MO','start':'9:00 AM','end':'6:00 PM'},{'day':'TU','start':'9:00 AM','end':'6:00 PM'}]}},"
    "'schedule':{'isSchedulingEnabled':false}}";

static const char SMS_TEMPLATE[] =
    "{'name':'Billing Alert Template Campaign-21','description':'Uses a template',"
    "'contactLists':['CL Only 2020 Dec 4'],'dncLists':{'name':'testdnc'},"
    "'campaignType':'sms','priority':'5','format':'simple',"
    "'message':{'template_name':'Welcome','message':'VGhpcyBpcyBh'},"
    "'dialingStrategy':{'callerId':{'phoneNumber':'+919561600000'},"
    "'callingHours':{'frequency':'WEEKLY','timezone':'Asia/Kolkata','days':["
    "{'day':'MO','start':'9:00 AM','end':'6:00 PM'}]}},"
    "'schedule':{'isSchedulingEnabled':false}}";

static const char SMS_ADVANCED[] =
    "{'name':'Interactive Support SMS Campaign1212','description':'Chat-enabled SMS',"
    "'contactLists':['CL Only 2020 Dec 4'],'dncLists':{'name':'testdnc'},"
    "'priority':'5','format':'advanced','campaignType':'sms',"
    "'dialingStrategy':{'callerId':{'phoneNumber':'+919860700000'},"
    "'callingHours':{'frequency':'WEEKLY','timezone':'Asia/Kolkata','days':["
    "{'day':'MO','start':'9:00 AM','end':'6:00 PM'}]}},"
    "'schedule':{'isSchedulingEnabled':false},'experienceFlowName':'SMS Support Flow'}";

#define VOICE_DS                                                                                   \
    "'dialingStrategy':{'callerId':{'phoneNumber':'+14846500000'},"                               \
    "'callingHours':{'frequency':'WEEKLY','timezone':'Asia/Kolkata','days':["                     \
    "{'day':'MO','start':'9:00 AM','end':'6:00 PM'},{'day':'TU','start':'9:00 AM','end':'6:00 PM'}]}," \
    "'dialingOrder':'FIFO','maxAttemptsPerRecord':3,'defaultRetryPeriod':10,'maxRingTime':30},"

static const char VOICE_AGENTLESS[] =
    "{'name':'Product Feedback Voice Campaign-3.41','description':'Collects quick feedback',"
    "'contactLists':['CL Only 2020 Dec 4'],'dncLists':{'name':'DNC CL Dec 4'},"
    "'priority':'5','dialingMode':'Agentless'," VOICE_DS
    "'schedule':{'isSchedulingEnabled':false},'experienceFlowName':'Voice Survey Entry Flow',"
    "'enableMachineDetect':'no','campaignType':'voice'}";

static const char VOICE_PROGRESSIVE[] =
    "{'name':'Service Renewal Outreach Campaign61','description':'Progressive dialing',"
    "'contactLists':['CL Only 2020 Dec 4'],'dncLists':{'name':'DNC CL Dec 4'},"
    "'priority':'5','dialingMode':'Progressive'," VOICE_DS
    "'schedule':{'isSchedulingEnabled':false},'queue_name':'Default Queue','campaignType':'voice'}";

static const char VOICE_PREVIEW[] =
    "{'name':'Billing Reminder Voice Campaign1','description':'Preview dialing',"
    "'contactLists':['CL Only 2020 Dec 4'],'dncLists':{'name':'DNC CL Dec 4'},"
    "'priority':'5','dialingMode':'Preview'," VOICE_DS
    "'schedule':{'isSchedulingEnabled':false},'queue_name':'Default Queue','maxSkips':1,"
    "'campaignType':'voice'}";

/* ---- helpers ------------------------------------------------------------- */

/* Sets v (stolen) at the dotted path of root, or deletes it when v is NULL.
 * A numeric segment indexes an array. */
static void set_path(json_t *root, const char *path, json_t *v)
{
    char *p = xstrdup(path);
    json_t *cur = root;
    char *seg = p;
    for (;;) {
        char *dot = strchr(seg, '.');
        if (dot != NULL)
            *dot = '\0';
        int is_index = seg[0] >= '0' && seg[0] <= '9';
        size_t idx = is_index ? (size_t)strtoul(seg, NULL, 10) : 0;
        if (dot == NULL) {
            if (json_is_array(cur)) {
                if (v == NULL)
                    json_array_remove(cur, idx);
                else
                    json_array_set_new(cur, idx, v);
            } else if (v == NULL) {
                json_object_del(cur, seg);
            } else {
                json_object_set_new(cur, seg, v);
            }
            break;
        }
        cur = is_index ? json_array_get(cur, idx) : json_object_get(cur, seg);
        if (cur == NULL)
            fail_msg("no such path %s", path);
        seg = dot + 1;
    }
    free(p);
}

static void mod(json_t *root, const char *path, const char *value_sq)
{
    set_path(root, path, value_sq != NULL ? jsq(value_sq) : NULL);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A comma-separated list, sorted. */
static void norm_list(const char *list, char *out, size_t cap)
{
    char *copy = xstrdup(list);
    const char *items[256];
    size_t n = 0;
    for (char *tok = strtok(copy, ","); tok != NULL && n < 256; tok = strtok(NULL, ","))
        items[n++] = tok;
    qsort(items, n, sizeof items[0], cmp_str);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "," : "", items[i]);
    free(copy);
}

/* fields_of (testutil.h), sorted: the body checks do not promise an order. */
static void sorted_fields(const struct apierr *e, char *out, size_t cap)
{
    char raw[4096];
    fields_of(e, raw, sizeof raw);
    norm_list(raw, out, cap);
}

/* apply + complete, as the API's create and update do. */
static int apply(struct campaign *c, json_t *body, int creating, struct apierr *e)
{
    int bad = campaign_apply_body(c, body, creating, e);
    bad |= campaign_complete(c, e);
    /* The result and the error list agree. */
    if ((bad == 0) != (apierr_count(e) == 0))
        fail_msg("rc %d with %zu errors", bad, apierr_count(e));
    return bad;
}

static int run_create(enum ctype t, json_t *body, struct campaign *c, struct apierr *e)
{
    campaign_init(c);
    c->type = t;
    apierr_init(e);
    return apply(c, body, 1, e);
}

/* What the store does in the create's write: ids, timestamps, references
 * resolved; what api_campaign_create adds to the doc. */
static void store_sim(struct campaign *c)
{
    memcpy(c->id, CD_ID, sizeof CD_ID);
    if (c->flow_name != NULL) {
        json_object_set_new(c->doc, "experienceFlow", json_string(CF_ID));
        free(c->flow_name);
        c->flow_name = NULL;
    }
    if (c->message_given) {
        json_t *m = json_object_get(c->doc, "message");
        if (json_object_get(m, "template_name") != NULL &&
            json_object_get(m, "templateId") == NULL)
            json_object_set_new(m, "templateId", json_string(CMT_ID));
        c->message_given = 0;
    }
    if (c->dnc != NULL && c->type == CTYPE_VOICE && json_object_get(c->dnc, "id") == NULL) {
        json_t *d = json_pack("{s:s, s:O}", "id", CL_ID, "name", json_object_get(c->dnc, "name"));
        json_decref(c->dnc);
        c->dnc = d;
    }
    c->created_at = c->updated_at = c->instance_updated_at = ms_of(T_CREATED);
    json_object_set_new(c->doc, "isImported", json_false());
    json_object_set_new(c->doc, "isFiltersEnabled", json_false());
    json_object_set_new(c->doc, "schedule", json_pack("{s:b, s:b}", "isSchedulingEnabled", 0,
                                                      "isRecurrenceEnabled", 0));
    if (c->type == CTYPE_SMS) {
        json_object_set_new(c->doc, "totalMessagesSent", json_integer(0));
        json_object_set_new(c->doc, "campaignExecutionType", json_string("NORMAL"));
    }
}

static enum ctype type_of(const char *base)
{
    return strstr(base, "'campaignType':'sms'") != NULL ? CTYPE_SMS : CTYPE_VOICE;
}

/* A campaign as stored after a successful create of base. */
static void make_stored(const char *base, struct campaign *c)
{
    struct apierr e;
    json_t *body = jsq(base);
    int rc = run_create(type_of(base), body, c, &e);
    if (rc != 0) {
        char f[1024];
        fields_of(&e, f, sizeof f);
        fail_msg("the base body does not create: %s", f);
    }
    json_decref(body);
    apierr_clear(&e);
    store_sim(c);
}

/* Update of the campaign stored from base with body_sq. */
static int run_update(const char *base, const char *body_sq, struct campaign *c,
                      struct apierr *e)
{
    make_stored(base, c);
    apierr_init(e);
    json_t *body = jsq(body_sq);
    int rc = apply(c, body, 0, e);
    json_decref(body);
    return rc;
}

static void expect_fields(const struct apierr *e, const char *want)
{
    char got[4096], w[4096];
    sorted_fields(e, got, sizeof got);
    norm_list(want, w, sizeof w);
    assert_string_equal(got, w);
}

/* Like expect_fields, but reports a mismatch (1) instead of failing, so that
 * a loop checks every case. */
static int fields_differ(const char *label, const struct apierr *e, int rc, const char *want)
{
    char got[4096], w[4096];
    sorted_fields(e, got, sizeof got);
    norm_list(want, w, sizeof w);
    if (strcmp(got, w) == 0 && (rc == 0) == (w[0] == '\0'))
        return 0;
    print_error("%s: want [%s] got [%s]\n", label, w, got);
    return 1;
}

/* ---- table-driven field rules --------------------------------------------- */

struct bcase {
    const char *path;        /* dotted path into the base body */
    const char *value;       /* JSON, single quotes; NULL deletes the key */
    const char *want;        /* the fields of the create's errors; "" = valid */
    const char *want_update; /* the same for an update with the whole body; NULL = want */
};

/* Each case on base, as a create and as an update that sends the whole
 * modified body onto the campaign stored from base.  Reports every mismatch,
 * then fails once. */
static int run_cases(const char *label, const char *base, const struct bcase *cases, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        for (int creating = 1; creating >= 0; creating--) {
            json_t *body = jsq(base);
            mod(body, cases[i].path, cases[i].value);
            struct campaign c;
            struct apierr e;
            int rc;
            if (creating) {
                rc = run_create(type_of(base), body, &c, &e);
            } else {
                make_stored(base, &c);
                apierr_init(&e);
                rc = apply(&c, body, 0, &e);
            }
            const char *want = creating || cases[i].want_update == NULL ? cases[i].want
                                                                         : cases[i].want_update;
            char got[4096], w[4096];
            sorted_fields(&e, got, sizeof got);
            norm_list(want, w, sizeof w);
            if (strcmp(got, w) != 0 || (rc == 0) != (w[0] == '\0')) {
                print_error("%s %s: %s = %s: want [%s] got [%s]\n", label,
                            creating ? "create" : "update", cases[i].path,
                            cases[i].value ? cases[i].value : "(deleted)", w, got);
                bad++;
            }
            json_decref(body);
            apierr_clear(&e);
            campaign_clear(&c);
        }
    }
    if (bad)
        print_error("%d of %zu cases (x2 modes) of %s differ\n", bad, n, label);
    return bad;
}

/* A test runs several tables and fails at its end, so that one table's
 * mismatches do not hide another's. */
#define RUN(label, base, cases) (bad_ += run_cases(label, base, cases, sizeof cases / sizeof cases[0]))
#define CASES_BEGIN int bad_ = 0
#define CASES_END                                                                                  \
    do {                                                                                           \
        if (bad_)                                                                                  \
            fail_msg("%d mismatches", bad_);                                                       \
    } while (0)

static void test_fields_name(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase cases[] = {
        {"name", "''", "name", NULL},
        {"name", "'   '", "name", NULL},
        {"name", "'a\\u0001b'", "name", NULL},
        {"name", "'a\\u001fb'", "name", NULL},
        {"name", "'a\\u007fb'", "name", NULL},
        {"name", "'tab\\there'", "name", NULL},
        {"name", "'line\\nbreak'", "name", NULL},
        {"name", "' \\t '", "name", NULL},
        {"name", "5", "name", NULL},
        {"name", "null", "name", NULL},
        {"name", "['x']", "name", NULL},
        {"name", "true", "name", NULL},
        {"name", "' padded '", "", NULL},
        {"name", "'x'", "", NULL},
        {"name", "'Ünïcödé 名前 | Jan 9'", "", NULL},
        {"name", NULL, "name", ""},
    };
    RUN("sms", SMS_SIMPLE, cases);
    RUN("voice", VOICE_AGENTLESS, cases);
    CASES_END;
}

static void test_fields_description(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase cases[] = {
        {"description", "''", "", NULL},
        {"description", "'   '", "", NULL},
        {"description", NULL, "", ""},
        {"description", "5", "description", NULL},
        {"description", "null", "description", NULL},
        {"description", "{}", "description", NULL},
    };
    RUN("sms", SMS_SIMPLE, cases);
    RUN("voice", VOICE_PROGRESSIVE, cases);
    CASES_END;
}

static void test_fields_contact_lists(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase cases[] = {
        {"contactLists", "['A']", "", NULL},
        {"contactLists", "['A','B','C']", "", NULL},
        {"contactLists", "['Ä','ä']", "", NULL}, /* only A-Z fold */
        {"contactLists", "[]", "contactLists", NULL},
        {"contactLists", "'CL Only 2020 Dec 4'", "contactLists", NULL},
        {"contactLists", "null", "contactLists", NULL},
        {"contactLists", "{}", "contactLists", NULL},
        {"contactLists", NULL, "contactLists", ""},
        {"contactLists", "['A','a']", "contactLists[1]", NULL},
        {"contactLists", "['CL A','cl b','Cl a']", "contactLists[2]", NULL},
        {"contactLists", "['A','B','a','b']", "contactLists[2],contactLists[3]", NULL},
        {"contactLists", "['A','A','A']", "contactLists[1],contactLists[2]", NULL},
        {"contactLists", "['A',5]", "contactLists[1]", NULL},
        {"contactLists", "['A','']", "contactLists[1]", NULL},
        {"contactLists", "['  ']", "contactLists[0]", NULL},
        {"contactLists", "[null]", "contactLists[0]", NULL},
        {"contactLists", "['a\\u0002b']", "contactLists[0]", NULL},
    };
    RUN("sms", SMS_SIMPLE, cases);
    RUN("voice", VOICE_AGENTLESS, cases);
    CASES_END;
}

static void test_fields_dnc_sms(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase cases[] = {
        {"dncLists", "null", "", NULL}, /* omits (create) / removes (update) */
        {"dncLists", NULL, "", NULL},
        {"dncLists", "{'name':'Other DNC'}", "", NULL},
        {"dncLists", "{}", "dncLists.name", NULL},
        {"dncLists", "{'name':''}", "dncLists.name", NULL},
        {"dncLists", "{'name':'  '}", "dncLists.name", NULL},
        {"dncLists", "{'name':5}", "dncLists.name", NULL},
        {"dncLists", "{'name':null}", "dncLists.name", NULL},
        {"dncLists", "'testdnc'", "dncLists", NULL},
        {"dncLists", "[]", "dncLists", NULL},
    };
    RUN("sms", SMS_SIMPLE, cases);
    CASES_END;
}

static void test_fields_dnc_voice(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase cases[] = {
        {"dncLists", "null", "dncLists", NULL},
        {"dncLists", NULL, "dncLists", ""},
        {"dncLists", "{'name':'Other DNC'}", "", NULL},
        {"dncLists", "'DNC'", "dncLists", NULL},
        {"dncLists", "{}", "dncLists.name", NULL},
        {"dncLists", "{'name':''}", "dncLists.name", NULL},
        {"dncLists", "{'name':5}", "dncLists.name", NULL},
    };
    RUN("voice", VOICE_AGENTLESS, cases);
    RUN("voice", VOICE_PREVIEW, cases);
    CASES_END;
}

static void test_fields_priority_type_schedule(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase common[] = {
        {"priority", "'1'", "", NULL},
        {"priority", "'2'", "", NULL},
        {"priority", "'3'", "", NULL},
        {"priority", "'4'", "", NULL},
        {"priority", "'5'", "", NULL},
        {"priority", "1", "", NULL},
        {"priority", "5", "", NULL},
        {"priority", "'05'", "priority", NULL},
        {"priority", "'0'", "priority", NULL},
        {"priority", "'6'", "priority", NULL},
        {"priority", "0", "priority", NULL},
        {"priority", "6", "priority", NULL},
        {"priority", "-1", "priority", NULL},
        {"priority", "'a'", "priority", NULL},
        {"priority", "''", "priority", NULL},
        {"priority", "' 1'", "priority", NULL},
        {"priority", "true", "priority", NULL},
        {"priority", "null", "priority", NULL},
        {"priority", "1.0", "priority", NULL},
        {"priority", "1e0", "priority", NULL},
        {"priority", NULL, "priority", ""},
        {"schedule", "{}", "", NULL},
        {"schedule", "{'isSchedulingEnabled':true}", "", NULL},
        {"schedule", NULL, "", NULL},
        {"schedule", "{'isSchedulingEnabled':'false'}", "schedule.isSchedulingEnabled", NULL},
        {"schedule", "{'isSchedulingEnabled':null}", "schedule.isSchedulingEnabled", NULL},
        {"schedule", "[]", "schedule", NULL},
        {"schedule", "null", "schedule", NULL},
        {"campaignType", "5", "campaignType", NULL},
        {"campaignType", "null", "campaignType", NULL},
        {"campaignType", NULL, "campaignType", ""},
        {"unknownKey", "{'deep':[1,2]}", "", NULL},
    };
    RUN("sms", SMS_SIMPLE, common);
    RUN("voice", VOICE_PROGRESSIVE, common);
    static const struct bcase sms[] = {
        {"campaignType", "'voice'", "campaignType", NULL},
        {"campaignType", "'SMS'", "campaignType", NULL},
        {"campaignType", "'sms'", "", NULL},
    };
    RUN("sms", SMS_SIMPLE, sms);
    static const struct bcase voice[] = {
        {"campaignType", "'sms'", "campaignType", NULL},
        {"campaignType", "'Voice'", "campaignType", NULL},
        {"campaignType", "'voice'", "", NULL},
    };
    RUN("voice", VOICE_AGENTLESS, voice);
    CASES_END;
}

static void test_fields_dialing_strategy(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase sms[] = {
        {"dialingStrategy", "null", "dialingStrategy", NULL},
        {"dialingStrategy", "'x'", "dialingStrategy", NULL},
        {"dialingStrategy", "[]", "dialingStrategy", NULL},
        {"dialingStrategy", NULL, "dialingStrategy", ""},
        {"dialingStrategy", "{}", "dialingStrategy.callerId,dialingStrategy.callingHours", ""},
        {"dialingStrategy.callerId", NULL, "dialingStrategy.callerId", ""},
        {"dialingStrategy.callingHours", NULL, "dialingStrategy.callingHours", ""},
        /* The four voice keys are ignored for SMS, even invalid. */
        {"dialingStrategy.dialingOrder", "'RANDOM'", "", NULL},
        {"dialingStrategy.maxRingTime", "1", "", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "'x'", "", NULL},
        {"dialingStrategy.defaultRetryPeriod", "null", "", NULL},
        {"dialingStrategy.useSystemMappings", "true", "", NULL},
    };
    RUN("sms", SMS_SIMPLE, sms);
    static const struct bcase voice[] = {
        {"dialingStrategy", "null", "dialingStrategy", NULL},
        {"dialingStrategy", NULL, "dialingStrategy", ""},
        {"dialingStrategy", "{}",
         "dialingStrategy.callerId,dialingStrategy.callingHours,dialingStrategy.dialingOrder,"
         "dialingStrategy.maxAttemptsPerRecord,dialingStrategy.defaultRetryPeriod,"
         "dialingStrategy.maxRingTime",
         ""},
        {"dialingStrategy.dialingOrder", "'LIFO'", "", NULL},
        {"dialingStrategy.dialingOrder", "'fifo'", "dialingStrategy.dialingOrder", NULL},
        {"dialingStrategy.dialingOrder", "'RANDOM'", "dialingStrategy.dialingOrder", NULL},
        {"dialingStrategy.dialingOrder", "1", "dialingStrategy.dialingOrder", NULL},
        {"dialingStrategy.dialingOrder", "null", "dialingStrategy.dialingOrder", NULL},
        {"dialingStrategy.dialingOrder", NULL, "dialingStrategy.dialingOrder", ""},
        {"dialingStrategy.maxAttemptsPerRecord", "1", "", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "100", "", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "0", "dialingStrategy.maxAttemptsPerRecord", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "101", "dialingStrategy.maxAttemptsPerRecord", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "-1", "dialingStrategy.maxAttemptsPerRecord", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "'3'", "dialingStrategy.maxAttemptsPerRecord", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "3.0", "dialingStrategy.maxAttemptsPerRecord", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "true", "dialingStrategy.maxAttemptsPerRecord", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", "null", "dialingStrategy.maxAttemptsPerRecord", NULL},
        {"dialingStrategy.maxAttemptsPerRecord", NULL, "dialingStrategy.maxAttemptsPerRecord", ""},
        {"dialingStrategy.defaultRetryPeriod", "1", "", NULL},
        {"dialingStrategy.defaultRetryPeriod", "1440", "", NULL},
        {"dialingStrategy.defaultRetryPeriod", "0", "dialingStrategy.defaultRetryPeriod", NULL},
        {"dialingStrategy.defaultRetryPeriod", "1441", "dialingStrategy.defaultRetryPeriod", NULL},
        {"dialingStrategy.defaultRetryPeriod", "'10'", "dialingStrategy.defaultRetryPeriod", NULL},
        {"dialingStrategy.defaultRetryPeriod", NULL, "dialingStrategy.defaultRetryPeriod", ""},
        {"dialingStrategy.maxRingTime", "5", "", NULL},
        {"dialingStrategy.maxRingTime", "120", "", NULL},
        {"dialingStrategy.maxRingTime", "4", "dialingStrategy.maxRingTime", NULL},
        {"dialingStrategy.maxRingTime", "121", "dialingStrategy.maxRingTime", NULL},
        {"dialingStrategy.maxRingTime", "'30'", "dialingStrategy.maxRingTime", NULL},
        {"dialingStrategy.maxRingTime", "30.5", "dialingStrategy.maxRingTime", NULL},
        {"dialingStrategy.maxRingTime", NULL, "dialingStrategy.maxRingTime", ""},
        {"dialingStrategy.useSystemMappings", "true", "", NULL},
        {"dialingStrategy.useSystemMappings", "'x'", "", NULL},
    };
    RUN("voice", VOICE_AGENTLESS, voice);
    CASES_END;
}

static void test_fields_caller_id(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase cases[] = {
        {"dialingStrategy.callerId.phoneNumber", "'+14155550100'", "", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'14155550100'", "", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'1234567'", "", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'+1234567'", "", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'123456789012345'", "", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'+123456789012345'", "", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'9122333445566'", "", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'123456'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'1234567890123456'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'+0123456789'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'0123456789'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'++1234567'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'1234567+'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'+1 415 5550100'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'+1-4155550100'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'+9195616xxxxx'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "''", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "'+'", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "14155550100", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", "null", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId.phoneNumber", NULL, "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId", "{}", "dialingStrategy.callerId.phoneNumber", NULL},
        {"dialingStrategy.callerId", "'+14155550100'", "dialingStrategy.callerId", NULL},
        {"dialingStrategy.callerId", "null", "dialingStrategy.callerId", NULL},
    };
    RUN("sms", SMS_SIMPLE, cases);
    RUN("voice", VOICE_PROGRESSIVE, cases);
    CASES_END;
}

static void test_fields_calling_hours(void **state)
{
    (void)state;
    CASES_BEGIN;
#define CH "dialingStrategy.callingHours"
#define D0 "dialingStrategy.callingHours.days[0]"
    static const struct bcase cases[] = {
        {CH, "'x'", CH, NULL},
        {CH, "null", CH, NULL},
        {CH, "{}", CH ".frequency," CH ".timezone," CH ".days", NULL},
        /* replaced whole: a partial callingHours lacks the rest, also on update */
        {CH, "{'frequency':'DAILY'}", CH ".timezone," CH ".days", NULL},
        {CH ".frequency", "'DAILY'", "", NULL},
        {CH ".frequency", "'CUSTOM'", "", NULL},
        {CH ".frequency", "'weekly'", CH ".frequency", NULL},
        {CH ".frequency", "'MONTHLY'", CH ".frequency", NULL},
        {CH ".frequency", "5", CH ".frequency", NULL},
        {CH ".frequency", "null", CH ".frequency", NULL},
        {CH ".frequency", NULL, CH ".frequency", NULL},
        {CH ".timezone", "'UTC'", "", NULL},
        {CH ".timezone", "'Asia/Kolkata'", "", NULL},
        {CH ".timezone", "'America/New_York'", "", NULL},
        {CH ".timezone", "'Etc/GMT+5'", "", NULL},
        {CH ".timezone", "'Mars/Base'", CH ".timezone", NULL},
        {CH ".timezone", "'../etc/passwd'", CH ".timezone", NULL},
        {CH ".timezone", "'Asia/../Asia/Kolkata'", CH ".timezone", NULL},
        {CH ".timezone", "'/etc/passwd'", CH ".timezone", NULL},
        {CH ".timezone", "'/usr/share/zoneinfo/UTC'", CH ".timezone", NULL},
        {CH ".timezone", "''", CH ".timezone", NULL},
        {CH ".timezone", "'Asia'", CH ".timezone", NULL},
        {CH ".timezone", "'asia/kolkata'", CH ".timezone", NULL},
        {CH ".timezone", "'Asia/Kolkata '", CH ".timezone", NULL},
        {CH ".timezone", "5", CH ".timezone", NULL},
        {CH ".timezone", "null", CH ".timezone", NULL},
        {CH ".timezone", NULL, CH ".timezone", NULL},
        {CH ".days", "[]", CH ".days", NULL},
        {CH ".days", "'MO'", CH ".days", NULL},
        {CH ".days", "null", CH ".days", NULL},
        {CH ".days", "{}", CH ".days", NULL},
        {CH ".days", NULL, CH ".days", NULL},
        {CH ".days", "[5]", D0, NULL},
        {CH ".days", "[{}]", D0 ".day," D0 ".start," D0 ".end", NULL},
        {CH ".days", "[{'day':'XX','start':'x','end':'y'}]", D0 ".day," D0 ".start," D0 ".end", NULL},
        {CH ".days.0.day", "'SU'", "", NULL},
        {CH ".days.0.day", "'Mo'", D0 ".day", NULL},
        {CH ".days.0.day", "'mo'", D0 ".day", NULL},
        {CH ".days.0.day", "'MON'", D0 ".day", NULL},
        {CH ".days.0.day", "'Monday'", D0 ".day", NULL},
        {CH ".days.0.day", "1", D0 ".day", NULL},
        {CH ".days.0.day", "null", D0 ".day", NULL},
        {CH ".days.0.day", NULL, D0 ".day", NULL},
        {CH ".days.0.start", "'09:00 AM'", "", NULL}, /* hour with two digits */
        {CH ".days.0.start", "'12:00 AM'", "", NULL},
        {CH ".days.0.start", "'1:00 AM'", "", NULL},
        {CH ".days.0.start", "'11:59 AM'", "", NULL},
        {CH ".days.0.start", "'12:30 PM'", "", NULL},
        {CH ".days.0.start", "'9:00AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:00 am'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:00 Am'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:00 A'", D0 ".start", NULL},
        {CH ".days.0.start", "'13:00 PM'", D0 ".start", NULL},
        {CH ".days.0.start", "'0:30 AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'00:30 AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'009:00 AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:0 AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:000 AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:60 AM'", D0 ".start", NULL},
        {CH ".days.0.start", "' 9:00 AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:00 AM '", D0 ".start", NULL},
        {CH ".days.0.start", "'9:00  AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:00\\tAM'", D0 ".start", NULL},
        {CH ".days.0.start", "'9.00 AM'", D0 ".start", NULL},
        {CH ".days.0.start", "'9:00 A.M.'", D0 ".start", NULL},
        {CH ".days.0.start", "'09:00'", D0 ".start", NULL},
        {CH ".days.0.start", "''", D0 ".start", NULL},
        {CH ".days.0.start", "900", D0 ".start", NULL},
        {CH ".days.0.start", "null", D0 ".start", NULL},
        {CH ".days.0.start", NULL, D0 ".start", NULL},
        {CH ".days.0.end", "'12:00 PM'", "", NULL},
        {CH ".days.0.end", "'11:59 PM'", "", NULL},
        {CH ".days.0.end", "'9:00 AM'", D0 ".end", NULL},  /* == start */
        {CH ".days.0.end", "'8:59 AM'", D0 ".end", NULL},  /* before start */
        {CH ".days.0.end", "'12:00 AM'", D0 ".end", NULL}, /* midnight is the day's start */
        {CH ".days.0.end", "'6:00PM'", D0 ".end", NULL},
        {CH ".days.0.end", NULL, D0 ".end", NULL},
        {CH ".days.0", "{'day':'MO','start':'12:00 AM','end':'11:59 PM'}", "", NULL},
        {CH ".days.0", "{'day':'MO','start':'6:00 PM','end':'9:00 AM'}", D0 ".end", NULL},
        {CH ".days.0", "{'day':'MO','start':'x','end':'9:00 AM'}", D0 ".start", NULL},
        /* overlaps are reported on the later window; windows are half-open */
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'12:00 PM'},{'day':'MO','start':'12:00 PM','end':'3:00 PM'}]",
         "", NULL},
        {CH ".days",
         "[{'day':'MO','start':'12:00 PM','end':'3:00 PM'},{'day':'MO','start':'9:00 AM','end':'12:00 PM'}]",
         "", NULL},
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'10:00 AM'},{'day':'MO','start':'10:00 AM','end':'11:00 AM'},"
         "{'day':'MO','start':'11:00 AM','end':'12:00 PM'}]",
         "", NULL},
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'12:00 PM'},{'day':'TU','start':'9:00 AM','end':'12:00 PM'}]",
         "", NULL},
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'12:00 PM'},{'day':'MO','start':'11:00 AM','end':'1:00 PM'}]",
         CH ".days[1]", NULL},
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'5:00 PM'},{'day':'MO','start':'9:00 AM','end':'5:00 PM'}]",
         CH ".days[1]", NULL},
        {CH ".days",
         "[{'day':'MO','start':'1:00 PM','end':'2:00 PM'},{'day':'MO','start':'9:00 AM','end':'5:00 PM'}]",
         CH ".days[1]", NULL},
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'6:00 PM'},{'day':'TU','start':'9:00 AM','end':'6:00 PM'},"
         "{'day':'MO','start':'5:00 PM','end':'7:00 PM'}]",
         CH ".days[2]", NULL},
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'5:00 PM'},{'day':'MO','start':'10:00 AM','end':'11:00 AM'},"
         "{'day':'MO','start':'4:00 PM','end':'6:00 PM'}]",
         CH ".days[1]," CH ".days[2]", NULL},
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'5:00 PM'},{'day':'MO','start':'6:00 PM','end':'5:00 PM'}]",
         CH ".days[1].end", NULL},
        {CH ".days",
         "[{'day':'MO','start':'9:00 AM','end':'5:00 PM'},7,{'day':'XX','start':'9:00 AM','end':'5:00 PM'}]",
         CH ".days[1]," CH ".days[2].day", NULL},
    };
#undef CH
#undef D0
    RUN("sms", SMS_SIMPLE, cases);
    RUN("voice", VOICE_AGENTLESS, cases);
    CASES_END;
}

static void test_fields_sms(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase simple[] = {
        {"format", "'SIMPLE'", "format", NULL},
        {"format", "'simple '", "format", NULL},
        {"format", "5", "format", NULL},
        {"format", "null", "format", NULL},
        {"format", NULL, "format", ""},
        {"format", "'advanced'", "experienceFlowName", NULL},
        {"message", "'hello'", "message", NULL},
        {"message", "null", "message", NULL},
        {"message", "[]", "message", NULL},
        {"message", NULL, "message", ""},
        {"message", "{}", "message.message", NULL},
        {"message", "{'template_name':'Welcome'}", "message.message", NULL},
        {"message.message", "''", "message.message", NULL},
        {"message.message", "5", "message.message", NULL},
        {"message.message", "null", "message.message", NULL},
        {"message.message", "' '", "", NULL},
        {"message.template_name", "'Welcome'", "", NULL},
        {"message.template_name", "''", "message.template_name", NULL},
        {"message.template_name", "5", "message.template_name", NULL},
        {"message.template_name", "null", "message.template_name", NULL},
        {"message.templateId", "''", "", NULL},
        {"message.templateId", "'" CMT_ID "'", "", NULL},
        {"message.templateId", "5", "message.templateId", NULL},
        {"message.templateId", "null", "message.templateId", NULL},
        {"message", "{'message':'','template_name':'','templateId':5}",
         "message.message,message.template_name,message.templateId", NULL},
        /* experienceFlowName is ignored on a simple campaign */
        {"experienceFlowName", "'Some Flow'", "", NULL},
        /* voice-only fields are unknown keys on SMS */
        {"dialingMode", "'Bogus'", "", NULL},
        {"enableMachineDetect", "'maybe'", "", NULL},
        {"queue_name", "''", "", NULL},
        {"maxSkips", "-5", "", NULL},
    };
    RUN("sms simple", SMS_SIMPLE, simple);
    static const struct bcase advanced[] = {
        {"experienceFlowName", "''", "experienceFlowName", NULL},
        {"experienceFlowName", "5", "experienceFlowName", NULL},
        {"experienceFlowName", "null", "experienceFlowName", NULL},
        {"experienceFlowName", NULL, "experienceFlowName", ""},
        {"experienceFlowName", "'Another Flow'", "", NULL},
        /* message is ignored and not stored when advanced */
        {"message", "{'message':'not used'}", "", NULL},
        {"format", "'simple'", "message", NULL},
    };
    RUN("sms advanced", SMS_ADVANCED, advanced);
    CASES_END;
}

static void test_fields_voice(void **state)
{
    (void)state;
    CASES_BEGIN;
    static const struct bcase agentless[] = {
        {"dialingMode", "'agentless'", "dialingMode", NULL},
        {"dialingMode", "'Manual'", "dialingMode", NULL},
        {"dialingMode", "5", "dialingMode", NULL},
        {"dialingMode", "null", "dialingMode", NULL},
        {"dialingMode", NULL, "dialingMode", ""},
        {"enableMachineDetect", "'detect'", "", NULL},
        {"enableMachineDetect", "'disconnect'", "", NULL},
        {"enableMachineDetect", "'yes'", "enableMachineDetect", NULL},
        {"enableMachineDetect", "'No'", "enableMachineDetect", NULL},
        {"enableMachineDetect", "true", "enableMachineDetect", NULL},
        {"enableMachineDetect", "false", "enableMachineDetect", NULL},
        {"enableMachineDetect", "null", "enableMachineDetect", NULL},
        {"enableMachineDetect", NULL, "enableMachineDetect", ""},
        {"experienceFlowName", "''", "experienceFlowName", NULL},
        {"experienceFlowName", "7", "experienceFlowName", NULL},
        {"experienceFlowName", NULL, "experienceFlowName", ""},
        /* fields of other modes are dropped */
        {"queue_name", "'Default Queue'", "", NULL},
        {"maxSkips", "3", "", NULL},
        /* SMS-only fields are unknown keys on voice */
        {"format", "'bogus'", "", NULL},
        {"message", "5", "", NULL},
    };
    RUN("voice agentless", VOICE_AGENTLESS, agentless);
    static const struct bcase progressive[] = {
        {"queue_name", "''", "queue_name", NULL},
        {"queue_name", "5", "queue_name", NULL},
        {"queue_name", "null", "queue_name", NULL},
        {"queue_name", NULL, "queue_name", ""},
        {"queue_name", "'Q'", "", NULL},
        {"enableMachineDetect", "'detect'", "", NULL},
        {"experienceFlowName", "'Some Flow'", "", NULL},
        {"maxSkips", "5", "", NULL},
        {"dialingMode", "'Preview'", "maxSkips", NULL},
        {"dialingMode", "'Agentless'", "experienceFlowName,enableMachineDetect", NULL},
    };
    RUN("voice progressive", VOICE_PROGRESSIVE, progressive);
    static const struct bcase preview[] = {
        {"maxSkips", "0", "", NULL},
        {"maxSkips", "100", "", NULL},
        {"maxSkips", "-1", "maxSkips", NULL},
        {"maxSkips", "101", "maxSkips", NULL},
        {"maxSkips", "'1'", "maxSkips", NULL},
        {"maxSkips", "1.5", "maxSkips", NULL},
        {"maxSkips", "1.0", "maxSkips", NULL},
        {"maxSkips", "true", "maxSkips", NULL},
        {"maxSkips", "null", "maxSkips", NULL},
        {"maxSkips", NULL, "maxSkips", ""},
        {"queue_name", NULL, "queue_name", ""},
        {"dialingMode", "'Progressive'", "", NULL},
    };
    RUN("voice preview", VOICE_PREVIEW, preview);
    CASES_END;
}

/* Every problem of a body is listed at once. */
static void test_all_errors_at_once(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;

    /* SMS: six independent problems. */
    json_t *b = jsq(SMS_SIMPLE);
    mod(b, "name", "''");
    mod(b, "priority", "'0'");
    mod(b, "campaignType", "'voice'");
    mod(b, "description", "7");
    mod(b, "format", "'x'");
    mod(b, "schedule", "[]");
    assert_int_not_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    expect_fields(&e, "name,priority,campaignType,description,format,schedule");
    apierr_clear(&e);
    campaign_clear(&c);
    json_decref(b);

    /* Voice: top-level and strategy problems together. */
    b = jsq(VOICE_PREVIEW);
    mod(b, "dialingMode", "'preview'");
    mod(b, "maxSkips", "-1");
    mod(b, "queue_name", "''");
    mod(b, "dialingStrategy.dialingOrder", "'X'");
    mod(b, "dialingStrategy.maxRingTime", "500");
    mod(b, "dialingStrategy.defaultRetryPeriod", "0");
    mod(b, "dialingStrategy.maxAttemptsPerRecord", "'3'");
    mod(b, "enableMachineDetect", "'nope'");
    assert_int_not_equal(run_create(CTYPE_VOICE, b, &c, &e), 0);
    expect_fields(&e, "dialingMode,maxSkips,queue_name,enableMachineDetect,"
                      "dialingStrategy.dialingOrder,dialingStrategy.maxRingTime,"
                      "dialingStrategy.defaultRetryPeriod,dialingStrategy.maxAttemptsPerRecord");
    apierr_clear(&e);
    campaign_clear(&c);
    json_decref(b);

    /* An empty create body names every required field. */
    b = jsq("{}");
    assert_int_not_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    expect_fields(&e, "campaignType,priority,name,contactLists,dialingStrategy,format");
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_not_equal(run_create(CTYPE_VOICE, b, &c, &e), 0);
    expect_fields(&e, "campaignType,priority,name,contactLists,dialingStrategy,dncLists,"
                      "dialingMode");
    apierr_clear(&e);
    campaign_clear(&c);
    json_decref(b);
}

/* A create whose nested values are invalid lists those problems, once each:
 * a value that was given is not also reported as "is required" on its parent
 * path (campaign_complete's need() skips fields already reported, but only on
 * the exact path). */
static void test_create_nested_errors_listed_once(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    int bad = 0;
    json_t *b = jsq(SMS_SIMPLE);
    mod(b, "contactLists", "['A','a']");
    mod(b, "dialingStrategy.callerId.phoneNumber", "'1'");
    mod(b, "dialingStrategy.callingHours.days.0.day", "'XX'");
    mod(b, "message.message", "''");
    int rc = run_create(CTYPE_SMS, b, &c, &e);
    bad += fields_differ("sms create", &e, rc,
                         "contactLists[1],dialingStrategy.callerId.phoneNumber,"
                         "dialingStrategy.callingHours.days[0].day,message.message");
    apierr_clear(&e);
    campaign_clear(&c);
    json_decref(b);

    b = jsq(VOICE_AGENTLESS);
    mod(b, "dncLists", "{'name':''}");
    mod(b, "dialingStrategy", "'not an object'");
    rc = run_create(CTYPE_VOICE, b, &c, &e);
    bad += fields_differ("voice create", &e, rc, "dncLists.name,dialingStrategy");
    apierr_clear(&e);
    campaign_clear(&c);
    json_decref(b);
    if (bad)
        fail_msg("%d mismatches", bad);
}

/* ---- lengths in code points --------------------------------------------------- */

struct lcase {
    const char *base;
    const char *path;
    const char *unit; /* one code point */
    size_t ok, bad;   /* the longest valid length, and a too-long one */
    const char *field;
};

static void test_lengths(void **state)
{
    (void)state;
    static const struct lcase cases[] = {
        {SMS_SIMPLE, "name", "a", 48, 49, "name"},
        {SMS_SIMPLE, "name", "é", 48, 49, "name"},
        {VOICE_AGENTLESS, "name", "名", 48, 49, "name"},
        {SMS_SIMPLE, "description", "d", 256, 257, "description"},
        {VOICE_PROGRESSIVE, "description", "ü", 256, 257, "description"},
        {SMS_SIMPLE, "message.message", "m", 4096, 4097, "message.message"},
        {SMS_SIMPLE, "message.message", "€", 4096, 4097, "message.message"},
        {SMS_TEMPLATE, "message.template_name", "t", 128, 129, "message.template_name"},
        {SMS_ADVANCED, "experienceFlowName", "f", 128, 129, "experienceFlowName"},
        {VOICE_AGENTLESS, "experienceFlowName", "ß", 128, 129, "experienceFlowName"},
        {VOICE_PROGRESSIVE, "queue_name", "q", 128, 129, "queue_name"},
        {VOICE_PREVIEW, "queue_name", "ø", 128, 129, "queue_name"},
        {SMS_SIMPLE, "dncLists.name", "n", 48, 49, "dncLists.name"},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int creating = 1; creating >= 0; creating--) {
            for (int too_long = 0; too_long <= 1; too_long++) {
                char *s = rep(cases[i].unit, too_long ? cases[i].bad : cases[i].ok);
                json_t *b = jsq(cases[i].base);
                set_path(b, cases[i].path, json_string(s));
                struct campaign c;
                struct apierr e;
                int rc;
                if (creating) {
                    rc = run_create(type_of(cases[i].base), b, &c, &e);
                } else {
                    make_stored(cases[i].base, &c);
                    apierr_init(&e);
                    rc = apply(&c, b, 0, &e);
                }
                char label[160];
                snprintf(label, sizeof label, "%s %s: %zu x '%s'",
                         creating ? "create" : "update", cases[i].path,
                         too_long ? cases[i].bad : cases[i].ok, cases[i].unit);
                bad += fields_differ(label, &e, rc, too_long ? cases[i].field : "");
                free(s);
                json_decref(b);
                apierr_clear(&e);
                campaign_clear(&c);
            }
        }
    }
    if (bad)
        fail_msg("%d mismatches", bad);
}

/* contactLists 1..64 and days 1..28, at and past the limits. */
static void test_array_limits(void **state)
{
    (void)state;
    int bad = 0;
    for (int n = 63; n <= 65; n++) {
        json_t *lists = json_array();
        for (int i = 0; i < n; i++) {
            char name[32];
            snprintf(name, sizeof name, "List %d", i);
            json_array_append_new(lists, json_string(name));
        }
        json_t *b = jsq(SMS_SIMPLE);
        set_path(b, "contactLists", lists);
        struct campaign c;
        struct apierr e;
        int rc = run_create(CTYPE_SMS, b, &c, &e);
        char label[64];
        snprintf(label, sizeof label, "create with %d contactLists", n);
        bad += fields_differ(label, &e, rc, n <= 64 ? "" : "contactLists");
        if (rc == 0)
            assert_int_equal(json_array_size(c.contact_lists), (size_t)n);
        json_decref(b);
        apierr_clear(&e);
        campaign_clear(&c);
    }
    static const char *const dn[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    for (int n = 27; n <= 29; n++) {
        json_t *days = json_array();
        for (int i = 0; i < n; i++) {
            char st[32], en[32];
            /* Up to five non-overlapping windows per day: 1-2, 3-4, ... AM. */
            snprintf(st, sizeof st, "%d:00 AM", 1 + 2 * (i / 7));
            snprintf(en, sizeof en, "%d:00 AM", 2 + 2 * (i / 7));
            json_array_append_new(days,
                                  json_pack("{s:s, s:s, s:s}", "day", dn[i % 7], "start", st, "end", en));
        }
        json_t *b = jsq(VOICE_AGENTLESS);
        set_path(b, "dialingStrategy.callingHours.days", days);
        struct campaign c;
        struct apierr e;
        int rc = run_create(CTYPE_VOICE, b, &c, &e);
        char label[64];
        snprintf(label, sizeof label, "create with %d calling windows", n);
        bad += fields_differ(label, &e, rc, n <= 28 ? "" : "dialingStrategy.callingHours.days");
        if (rc == 0) {
            json_t *got = json_object_get(
                json_object_get(json_object_get(c.doc, "dialingStrategy"), "callingHours"), "days");
            assert_int_equal(json_array_size(got), (size_t)n);
        }
        json_decref(b);
        apierr_clear(&e);
        campaign_clear(&c);
    }
    if (bad)
        fail_msg("%d mismatches", bad);
}

/* Files under /usr/share/zoneinfo that are not zones are not time zones. */
static void test_timezone_not_a_zone_file(void **state)
{
    (void)state;
    static const char *const names[] = {"zone.tab", "iso3166.tab", "tzdata.zi", "leap-seconds.list",
                                        "Asia", "Etc"};
    int bad = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", names[i]);
        if (access(path, F_OK) != 0)
            continue;
        json_t *b = jsq(SMS_SIMPLE);
        set_path(b, "dialingStrategy.callingHours.timezone", json_string(names[i]));
        struct campaign c;
        struct apierr e;
        int rc = run_create(CTYPE_SMS, b, &c, &e);
        char label[96];
        snprintf(label, sizeof label, "create timezone %s", names[i]);
        bad += fields_differ(label, &e, rc, "dialingStrategy.callingHours.timezone");
        json_decref(b);
        apierr_clear(&e);
        campaign_clear(&c);
        /* the same on an update, where nothing else is missing */
        make_stored(SMS_SIMPLE, &c);
        apierr_init(&e);
        b = jsq("{'dialingStrategy':{'callingHours':{'frequency':'DAILY','days':"
                "[{'day':'MO','start':'9:00 AM','end':'5:00 PM'}]}}}");
        set_path(b, "dialingStrategy.callingHours.timezone", json_string(names[i]));
        rc = apply(&c, b, 0, &e);
        snprintf(label, sizeof label, "update timezone %s", names[i]);
        bad += fields_differ(label, &e, rc, "dialingStrategy.callingHours.timezone");
        json_decref(b);
        apierr_clear(&e);
        campaign_clear(&c);
    }
    if (bad)
        fail_msg("%d mismatches", bad);
}

static void test_phone_valid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
    } cases[] = {
        {"+14155550100", 1}, {"14155550100", 1}, {"1234567", 1}, {"+1234567", 1},
        {"123456789012345", 1}, {"+123456789012345", 1}, {"9122333445566", 1},
        {"+919876543210", 1}, {"999999999999999", 1},
        {"", 0}, {"+", 0}, {"123456", 0}, {"+123456", 0}, {"1234567890123456", 0},
        {"+1234567890123456", 0}, {"0123456789", 0}, {"+0123456789", 0}, {"++1234567", 0},
        {"1234567+", 0}, {"12345 67", 0}, {"+1-415-555", 0}, {"+1415555010a", 0},
        {"-14155550100", 0}, {" 14155550100", 0}, {"14155550100 ", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (!campaign_phone_valid(cases[i].s) != !cases[i].ok)
            fail_msg("campaign_phone_valid(\"%s\") != %d", cases[i].s, cases[i].ok);
}

/* ---- merged results of valid creates -------------------------------------- */

static json_t *ds_of(const struct campaign *c)
{
    return json_object_get(c->doc, "dialingStrategy");
}

static void test_create_sms_simple(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    json_t *b = jsq(SMS_SIMPLE);
    /* Voice keys, an experience flow and a schedule are all ignored for a
     * simple SMS campaign; a numeric priority is accepted. */
    mod(b, "dialingStrategy.dialingOrder", "'FIFO'");
    mod(b, "dialingStrategy.maxRingTime", "30");
    mod(b, "dialingStrategy.useSystemMappings", "true");
    mod(b, "experienceFlowName", "'Ignored Flow'");
    mod(b, "priority", "3");
    mod(b, "schedule", "{'isSchedulingEnabled':true}");
    mod(b, "dialingMode", "'Agentless'");
    mod(b, "maxSkips", "3");
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    assert_string_equal(c.name, "Event Reminder SMS Campaign71");
    assert_int_equal(c.priority, 3);
    assert_int_equal(c.status, CSTATUS_READY);
    assert_int_equal(c.mode, CMODE_NONE);
    assert_null(c.flow_name);
    assert_int_equal(c.message_given, 1);
    assert_json(c.dnc, "{'name':'DNC CL Dec 4'}");
    assert_json(c.contact_lists, "['CL Only 2020 Dec 4']");
    assert_json(json_object_get(c.doc, "description"), "'Sends a one-time message'");
    assert_json(json_object_get(c.doc, "format"), "'simple'");
    assert_json(json_object_get(c.doc, "message"),
                "{'message':'TWVzc2FnZSBmb3IgeW91ciB0YXJnZXRlZCBjdXN0b21lcg'}");
    assert_json(ds_of(&c),
                "{'callerId':{'phoneNumber':'+919561600000'},'callingHours':{'frequency':'WEEKLY',"
                "'timezone':'Asia/Kolkata','days':[{'day':'MO','start':'9:00 AM','end':'6:00 PM'},"
                "{'day':'TU','start':'9:00 AM','end':'6:00 PM'}]}}");
    assert_null(json_object_get(c.doc, "schedule"));
    assert_null(json_object_get(c.doc, "experienceFlow"));
    assert_null(json_object_get(c.doc, "maxSkips"));
    assert_null(json_object_get(c.doc, "connection"));
    assert_null(json_object_get(c.doc, "enableMachineDetect"));
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);

    /* Defaults: no description -> "", no dncLists (or null) -> none. */
    b = jsq(SMS_SIMPLE);
    mod(b, "description", NULL);
    mod(b, "dncLists", "null");
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    assert_json(json_object_get(c.doc, "description"), "''");
    assert_null(c.dnc);
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);

    b = jsq(SMS_SIMPLE);
    mod(b, "dncLists", NULL);
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    assert_null(c.dnc);
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);
}

static void test_create_sms_template(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    json_t *b = jsq(SMS_TEMPLATE);
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    assert_json(json_object_get(c.doc, "message"),
                "{'template_name':'Welcome','message':'VGhpcyBpcyBh'}");
    assert_int_equal(c.message_given, 1);
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);

    /* templateId "" means no template. */
    b = jsq(SMS_SIMPLE);
    mod(b, "message", "{'message':'Hi','templateId':''}");
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    assert_json(json_object_get(c.doc, "message"), "{'message':'Hi'}");
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);

    /* A given templateId is kept for the store to check. */
    b = jsq(SMS_SIMPLE);
    mod(b, "message", "{'templateId':'" CMT_ID "','message':'Hi'}");
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    assert_json(json_object_get(c.doc, "message"), "{'message':'Hi','templateId':'" CMT_ID "'}");
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);
}

static void test_create_sms_advanced(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    json_t *b = jsq(SMS_ADVANCED);
    mod(b, "message", "{'message':'not stored'}");
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    assert_string_equal(c.flow_name, "SMS Support Flow");
    assert_int_equal(c.message_given, 0);
    assert_null(json_object_get(c.doc, "message"));
    assert_json(json_object_get(c.doc, "format"), "'advanced'");
    assert_json(c.dnc, "{'name':'testdnc'}");
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);
}

static void test_create_voice_modes(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    static const char voice_ds[] =
        "{'callerId':{'phoneNumber':'+14846500000'},'callingHours':{'frequency':'WEEKLY',"
        "'timezone':'Asia/Kolkata','days':[{'day':'MO','start':'9:00 AM','end':'6:00 PM'},"
        "{'day':'TU','start':'9:00 AM','end':'6:00 PM'}]},'dialingOrder':'FIFO',"
        "'maxAttemptsPerRecord':3,'defaultRetryPeriod':10,'maxRingTime':30}";

    /* Agentless; queue_name and maxSkips belong to other modes. */
    json_t *b = jsq(VOICE_AGENTLESS);
    mod(b, "queue_name", "'Dropped Queue'");
    mod(b, "maxSkips", "4");
    mod(b, "enableMachineDetect", "'disconnect'");
    mod(b, "dialingStrategy.useSystemMappings", "true");
    mod(b, "format", "'simple'");
    mod(b, "message", "{'message':'x'}");
    assert_int_equal(run_create(CTYPE_VOICE, b, &c, &e), 0);
    assert_int_equal(c.mode, CMODE_AGENTLESS);
    assert_int_equal(c.priority, 5);
    assert_string_equal(c.flow_name, "Voice Survey Entry Flow");
    assert_json(json_object_get(c.doc, "enableMachineDetect"), "'disconnect'");
    assert_null(json_object_get(c.doc, "connection"));
    assert_null(json_object_get(c.doc, "maxSkips"));
    assert_null(json_object_get(c.doc, "message"));
    assert_null(json_object_get(c.doc, "format"));
    assert_int_equal(c.message_given, 0);
    assert_json(c.dnc, "{'name':'DNC CL Dec 4'}");
    assert_json(ds_of(&c), voice_ds);
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);

    /* Progressive: queue_name is stored as connection; flow and machine
     * detection are dropped. */
    b = jsq(VOICE_PROGRESSIVE);
    mod(b, "experienceFlowName", "'Dropped Flow'");
    mod(b, "enableMachineDetect", "'detect'");
    mod(b, "maxSkips", "4");
    assert_int_equal(run_create(CTYPE_VOICE, b, &c, &e), 0);
    assert_int_equal(c.mode, CMODE_PROGRESSIVE);
    assert_null(c.flow_name);
    assert_json(json_object_get(c.doc, "connection"), "'Default Queue'");
    assert_null(json_object_get(c.doc, "enableMachineDetect"));
    assert_null(json_object_get(c.doc, "maxSkips"));
    assert_null(json_object_get(c.doc, "queue_name"));
    assert_json(ds_of(&c), voice_ds);
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);

    /* Preview: connection and maxSkips. */
    b = jsq(VOICE_PREVIEW);
    mod(b, "maxSkips", "0");
    assert_int_equal(run_create(CTYPE_VOICE, b, &c, &e), 0);
    assert_int_equal(c.mode, CMODE_PREVIEW);
    assert_null(c.flow_name);
    assert_json(json_object_get(c.doc, "connection"), "'Default Queue'");
    assert_json(json_object_get(c.doc, "maxSkips"), "0");
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);
}

/* ---- updates ------------------------------------------------------------------ */

static void test_update_empty_changes_nothing(void **state)
{
    (void)state;
    static const char *const bases[] = {SMS_SIMPLE, SMS_TEMPLATE, SMS_ADVANCED, VOICE_AGENTLESS,
                                        VOICE_PROGRESSIVE, VOICE_PREVIEW};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        struct campaign before, c;
        struct apierr e;
        make_stored(bases[i], &before);
        json_t *want = campaign_render_document(&before);
        assert_int_equal(run_update(bases[i], "{}", &c, &e), 0);
        assert_null(c.flow_name);
        assert_int_equal(c.message_given, 0);
        json_t *got = campaign_render_document(&c);
        assert_true(json_equal(got, want));
        json_decref(got);
        apierr_clear(&e);
        campaign_clear(&c);

        /* The whole create body again is an update that changes nothing either
         * (references are resolved again by the store). */
        json_t *b = jsq(bases[i]);
        make_stored(bases[i], &c);
        apierr_init(&e);
        assert_int_equal(apply(&c, b, 0, &e), 0);
        store_sim(&c);
        got = campaign_render_document(&c);
        assert_true(json_equal(got, want));
        json_decref(got);
        json_decref(b);
        json_decref(want);
        apierr_clear(&e);
        campaign_clear(&c);
        campaign_clear(&before);
    }
}

static void test_update_top_level_replace(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    assert_int_equal(run_update(SMS_SIMPLE,
                                "{'name':'Renamed','description':'','contactLists':['X','Y'],"
                                "'priority':'2','dncLists':{'name':'Other'}}",
                                &c, &e),
                     0);
    assert_string_equal(c.name, "Renamed");
    assert_int_equal(c.priority, 2);
    assert_json(c.contact_lists, "['X','Y']");
    assert_json(c.dnc, "{'name':'Other'}");
    assert_json(json_object_get(c.doc, "description"), "''");
    /* untouched */
    assert_json(json_object_get(c.doc, "format"), "'simple'");
    assert_json(json_object_get(c.doc, "message"),
                "{'message':'TWVzc2FnZSBmb3IgeW91ciB0YXJnZXRlZCBjdXN0b21lcg'}");
    assert_int_equal(c.status, CSTATUS_READY);
    apierr_clear(&e);
    campaign_clear(&c);

    /* message is replaced whole: the template goes. */
    assert_int_equal(run_update(SMS_TEMPLATE, "{'message':{'message':'Plain'}}", &c, &e), 0);
    assert_json(json_object_get(c.doc, "message"), "{'message':'Plain'}");
    assert_int_equal(c.message_given, 1);
    apierr_clear(&e);
    campaign_clear(&c);

    /* Voice: priority as an integer, stored as a number 1..5. */
    assert_int_equal(run_update(VOICE_AGENTLESS, "{'priority':1,'enableMachineDetect':'detect'}",
                                &c, &e),
                     0);
    assert_int_equal(c.priority, 1);
    assert_json(json_object_get(c.doc, "enableMachineDetect"), "'detect'");
    assert_json(c.dnc, "{'id':'" CL_ID "','name':'DNC CL Dec 4'}");
    apierr_clear(&e);
    campaign_clear(&c);

    /* A failed update reports only the given fields' problems. */
    assert_int_not_equal(run_update(VOICE_PREVIEW, "{'name':'','maxSkips':200}", &c, &e), 0);
    expect_fields(&e, "name,maxSkips");
    apierr_clear(&e);
    campaign_clear(&c);
}

static void test_update_dnc_null(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    assert_int_equal(run_update(SMS_SIMPLE, "{'dncLists':null}", &c, &e), 0);
    assert_null(c.dnc);
    json_t *doc = campaign_render_document(&c);
    assert_null(json_object_get(doc, "dncLists"));
    json_decref(doc);
    apierr_clear(&e);
    campaign_clear(&c);

    static const char *const voice[] = {VOICE_AGENTLESS, VOICE_PROGRESSIVE, VOICE_PREVIEW};
    for (size_t i = 0; i < 3; i++) {
        assert_int_not_equal(run_update(voice[i], "{'dncLists':null}", &c, &e), 0);
        expect_fields(&e, "dncLists");
        apierr_clear(&e);
        campaign_clear(&c);
    }
}

static void test_update_campaign_type(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    assert_int_equal(run_update(SMS_SIMPLE, "{'campaignType':'sms'}", &c, &e), 0);
    assert_int_equal(c.type, CTYPE_SMS);
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_not_equal(run_update(SMS_SIMPLE, "{'campaignType':'voice'}", &c, &e), 0);
    expect_fields(&e, "campaignType");
    assert_int_equal(c.type, CTYPE_SMS);
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_equal(run_update(VOICE_PREVIEW, "{'campaignType':'voice'}", &c, &e), 0);
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_not_equal(run_update(VOICE_PREVIEW, "{'campaignType':'sms'}", &c, &e), 0);
    expect_fields(&e, "campaignType");
    assert_int_equal(c.type, CTYPE_VOICE);
    apierr_clear(&e);
    campaign_clear(&c);
}

static void test_update_strategy_merge(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;

    /* callerId replaced; callingHours kept. */
    assert_int_equal(run_update(SMS_SIMPLE,
                                "{'dialingStrategy':{'callerId':{'phoneNumber':'14155550100'}}}",
                                &c, &e),
                     0);
    assert_json(ds_of(&c),
                "{'callerId':{'phoneNumber':'14155550100'},'callingHours':{'frequency':'WEEKLY',"
                "'timezone':'Asia/Kolkata','days':[{'day':'MO','start':'9:00 AM','end':'6:00 PM'},"
                "{'day':'TU','start':'9:00 AM','end':'6:00 PM'}]}}");
    apierr_clear(&e);
    campaign_clear(&c);

    /* callingHours replaced whole, days array included. */
    assert_int_equal(run_update(SMS_SIMPLE,
                                "{'dialingStrategy':{'callingHours':{'frequency':'DAILY','timezone':'UTC',"
                                "'days':[{'day':'SU','start':'1:00 PM','end':'2:30 PM'}],'extra':1}}}",
                                &c, &e),
                     0);
    assert_json(ds_of(&c),
                "{'callerId':{'phoneNumber':'+919561600000'},'callingHours':{'frequency':'DAILY',"
                "'timezone':'UTC','days':[{'day':'SU','start':'1:00 PM','end':'2:30 PM'}]}}");
    apierr_clear(&e);
    campaign_clear(&c);

    /* Voice keys are not stored for SMS, even on update. */
    assert_int_equal(run_update(SMS_SIMPLE,
                                "{'dialingStrategy':{'dialingOrder':'LIFO','maxRingTime':60,"
                                "'maxAttemptsPerRecord':2,'defaultRetryPeriod':5}}",
                                &c, &e),
                     0);
    assert_null(json_object_get(ds_of(&c), "dialingOrder"));
    assert_null(json_object_get(ds_of(&c), "maxRingTime"));
    assert_null(json_object_get(ds_of(&c), "maxAttemptsPerRecord"));
    assert_null(json_object_get(ds_of(&c), "defaultRetryPeriod"));
    apierr_clear(&e);
    campaign_clear(&c);

    /* Voice: one key changes, the rest stays. */
    assert_int_equal(run_update(VOICE_PROGRESSIVE,
                                "{'dialingStrategy':{'maxRingTime':60,'dialingOrder':'LIFO',"
                                "'useSystemMappings':true}}",
                                &c, &e),
                     0);
    assert_json(ds_of(&c),
                "{'callerId':{'phoneNumber':'+14846500000'},'callingHours':{'frequency':'WEEKLY',"
                "'timezone':'Asia/Kolkata','days':[{'day':'MO','start':'9:00 AM','end':'6:00 PM'},"
                "{'day':'TU','start':'9:00 AM','end':'6:00 PM'}]},'dialingOrder':'LIFO',"
                "'maxAttemptsPerRecord':3,'defaultRetryPeriod':10,'maxRingTime':60}");
    apierr_clear(&e);
    campaign_clear(&c);

    /* dialingStrategy {} changes nothing. */
    assert_int_equal(run_update(VOICE_PROGRESSIVE, "{'dialingStrategy':{}}", &c, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(ds_of(&c), "maxRingTime")), 30);
    apierr_clear(&e);
    campaign_clear(&c);

    /* A partial callingHours is not merged into the stored one. */
    assert_int_not_equal(run_update(VOICE_PROGRESSIVE,
                                    "{'dialingStrategy':{'callingHours':{'timezone':'UTC'}}}", &c,
                                    &e),
                         0);
    expect_fields(&e, "dialingStrategy.callingHours.frequency,dialingStrategy.callingHours.days");
    apierr_clear(&e);
    campaign_clear(&c);

    /* Bad merged keys are all reported. */
    assert_int_not_equal(run_update(VOICE_PROGRESSIVE,
                                    "{'dialingStrategy':{'callerId':{'phoneNumber':'0'},"
                                    "'maxRingTime':0,'callingHours':{'frequency':'DAILY',"
                                    "'timezone':'Mars/Base','days':[{'day':'MO','start':'3:00 PM',"
                                    "'end':'1:00 PM'}]}}}",
                                    &c, &e),
                         0);
    expect_fields(&e, "dialingStrategy.callerId.phoneNumber,dialingStrategy.maxRingTime,"
                      "dialingStrategy.callingHours.timezone,"
                      "dialingStrategy.callingHours.days[0].end");
    apierr_clear(&e);
    campaign_clear(&c);
}

static void test_update_mode_switch(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;

    /* Preview -> Progressive drops maxSkips, keeps the queue. */
    assert_int_equal(run_update(VOICE_PREVIEW, "{'dialingMode':'Progressive'}", &c, &e), 0);
    assert_int_equal(c.mode, CMODE_PROGRESSIVE);
    assert_null(json_object_get(c.doc, "maxSkips"));
    assert_json(json_object_get(c.doc, "connection"), "'Default Queue'");
    apierr_clear(&e);
    campaign_clear(&c);

    /* Progressive -> Preview needs maxSkips, given now or stored. */
    assert_int_not_equal(run_update(VOICE_PROGRESSIVE, "{'dialingMode':'Preview'}", &c, &e), 0);
    expect_fields(&e, "maxSkips");
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_equal(run_update(VOICE_PROGRESSIVE, "{'dialingMode':'Preview','maxSkips':7}", &c, &e),
                     0);
    assert_int_equal(c.mode, CMODE_PREVIEW);
    assert_json(json_object_get(c.doc, "maxSkips"), "7");
    apierr_clear(&e);
    campaign_clear(&c);

    /* Progressive -> Agentless needs a flow and machine detection; the queue
     * goes. */
    assert_int_not_equal(run_update(VOICE_PROGRESSIVE, "{'dialingMode':'Agentless'}", &c, &e), 0);
    expect_fields(&e, "experienceFlowName,enableMachineDetect");
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_equal(run_update(VOICE_PROGRESSIVE,
                                "{'dialingMode':'Agentless','experienceFlowName':'F',"
                                "'enableMachineDetect':'detect'}",
                                &c, &e),
                     0);
    assert_int_equal(c.mode, CMODE_AGENTLESS);
    assert_string_equal(c.flow_name, "F");
    assert_null(json_object_get(c.doc, "connection"));
    assert_json(json_object_get(c.doc, "enableMachineDetect"), "'detect'");
    apierr_clear(&e);
    campaign_clear(&c);

    /* Agentless -> Progressive needs the queue; flow and detection go. */
    assert_int_not_equal(run_update(VOICE_AGENTLESS, "{'dialingMode':'Progressive'}", &c, &e), 0);
    expect_fields(&e, "queue_name");
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_equal(run_update(VOICE_AGENTLESS, "{'dialingMode':'Progressive','queue_name':'Q1'}",
                                &c, &e),
                     0);
    assert_null(json_object_get(c.doc, "experienceFlow"));
    assert_null(json_object_get(c.doc, "enableMachineDetect"));
    assert_null(c.flow_name);
    assert_json(json_object_get(c.doc, "connection"), "'Q1'");
    apierr_clear(&e);
    campaign_clear(&c);

    /* Agentless -> Preview: both queue and skips are needed. */
    assert_int_not_equal(run_update(VOICE_AGENTLESS, "{'dialingMode':'Preview'}", &c, &e), 0);
    expect_fields(&e, "queue_name,maxSkips");
    apierr_clear(&e);
    campaign_clear(&c);

    /* Staying Agentless keeps the stored flow (an id) without a new name. */
    assert_int_equal(run_update(VOICE_AGENTLESS, "{'dialingMode':'Agentless'}", &c, &e), 0);
    assert_json(json_object_get(c.doc, "experienceFlow"), "'" CF_ID "'");
    apierr_clear(&e);
    campaign_clear(&c);
}

static void test_update_format_switch(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;

    /* simple -> advanced drops message, needs a flow. */
    assert_int_not_equal(run_update(SMS_TEMPLATE, "{'format':'advanced'}", &c, &e), 0);
    expect_fields(&e, "experienceFlowName");
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_equal(run_update(SMS_TEMPLATE,
                                "{'format':'advanced','experienceFlowName':'Flow X',"
                                "'message':{'message':'ignored'}}",
                                &c, &e),
                     0);
    assert_null(json_object_get(c.doc, "message"));
    assert_int_equal(c.message_given, 0);
    assert_string_equal(c.flow_name, "Flow X");
    apierr_clear(&e);
    campaign_clear(&c);

    /* advanced -> simple needs a message, drops the flow. */
    assert_int_not_equal(run_update(SMS_ADVANCED, "{'format':'simple'}", &c, &e), 0);
    expect_fields(&e, "message");
    apierr_clear(&e);
    campaign_clear(&c);
    assert_int_equal(run_update(SMS_ADVANCED,
                                "{'format':'simple','message':{'message':'Now simple'},"
                                "'experienceFlowName':'ignored'}",
                                &c, &e),
                     0);
    assert_null(json_object_get(c.doc, "experienceFlow"));
    assert_null(c.flow_name);
    assert_json(json_object_get(c.doc, "message"), "{'message':'Now simple'}");
    json_t *doc = campaign_render_document(&c);
    assert_null(json_object_get(doc, "experienceFlow"));
    json_decref(doc);
    apierr_clear(&e);
    campaign_clear(&c);

    /* A message sent to an advanced campaign is ignored. */
    assert_int_equal(run_update(SMS_ADVANCED, "{'message':{'message':'x'}}", &c, &e), 0);
    assert_null(json_object_get(c.doc, "message"));
    assert_json(json_object_get(c.doc, "experienceFlow"), "'" CF_ID "'");
    apierr_clear(&e);
    campaign_clear(&c);
}

/* A campaign loaded by `campaignd import` lacks settings: an update names
 * each missing one until the body supplies it. */
static void test_update_imported(void **state)
{
    (void)state;
    struct campaign c;
    struct apierr e;
    static const char sms_full_ds[] =
        "{'dialingStrategy':{'callerId':{'phoneNumber':'+14155550100'},'callingHours':{"
        "'frequency':'DAILY','timezone':'UTC','days':[{'day':'MO','start':'9:00 AM','end':'5:00 PM'}]}}}";

    /* SMS, simple with a message, lacking dialingStrategy. */
    json_t *item = jsq("{'type':'sms','name':'Imported SMS','format':'simple',"
                       "'message':{'message':'Hi'},'contactLists':['CL A'],'status':'Stopped'}");
    static const struct {
        const char *body;
        const char *want;
    } sms_steps[] = {
        {"{}", "dialingStrategy"},
        {"{'name':'Renamed'}", "dialingStrategy"},
        {"{'dialingStrategy':{}}", "dialingStrategy.callerId,dialingStrategy.callingHours"},
        {"{'dialingStrategy':{'callerId':{'phoneNumber':'+14155550100'}}}",
         "dialingStrategy.callingHours"},
        {sms_full_ds, ""},
    };
    for (size_t i = 0; i < sizeof sms_steps / sizeof sms_steps[0]; i++) {
        campaign_init(&c);
        apierr_init(&e);
        assert_int_equal(campaign_from_item(item, "[0]", &c, &e), 0);
        json_t *b = jsq(sms_steps[i].body);
        int rc = apply(&c, b, 0, &e);
        expect_fields(&e, sms_steps[i].want);
        assert_int_equal(rc == 0, sms_steps[i].want[0] == '\0');
        assert_int_equal(c.status, CSTATUS_STOPPED);
        json_decref(b);
        apierr_clear(&e);
        campaign_clear(&c);
    }
    json_decref(item);

    /* SMS with an empty contactLists and no format. */
    item = jsq("{'type':'sms','name':'Bare','contactLists':[]}");
    campaign_init(&c);
    apierr_init(&e);
    assert_int_equal(campaign_from_item(item, "[0]", &c, &e), 0);
    json_t *b = jsq("{}");
    assert_int_not_equal(apply(&c, b, 0, &e), 0);
    expect_fields(&e, "contactLists,dialingStrategy,format");
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);
    json_decref(item);

    /* Voice, Progressive with a queue and a DNC list, lacking the strategy. */
    item = jsq("{'type':'voice','name':'Imported Voice','dialingMode':'Progressive',"
               "'connection':'Q','contactLists':['CL A'],'dncLists':{'id':'" CL_ID "','name':'DNC'}}");
    static const struct {
        const char *body;
        const char *want;
    } voice_steps[] = {
        {"{}", "dialingStrategy"},
        {"{'dialingStrategy':{'dialingOrder':'FIFO'}}",
         "dialingStrategy.callerId,dialingStrategy.callingHours,dialingStrategy.maxAttemptsPerRecord,"
         "dialingStrategy.defaultRetryPeriod,dialingStrategy.maxRingTime"},
        {"{" VOICE_DS "'name':'x'}", ""},
        {"{" VOICE_DS "'dialingMode':'Agentless'}", "experienceFlowName,enableMachineDetect"},
    };
    for (size_t i = 0; i < sizeof voice_steps / sizeof voice_steps[0]; i++) {
        campaign_init(&c);
        apierr_init(&e);
        assert_int_equal(campaign_from_item(item, "[0]", &c, &e), 0);
        b = jsq(voice_steps[i].body);
        int rc = apply(&c, b, 0, &e);
        expect_fields(&e, voice_steps[i].want);
        assert_int_equal(rc == 0, voice_steps[i].want[0] == '\0');
        json_decref(b);
        apierr_clear(&e);
        campaign_clear(&c);
    }
    json_decref(item);

    /* Voice without mode or DNC list. */
    item = jsq("{'type':'voice','name':'Bare Voice','contactLists':['CL A']}");
    campaign_init(&c);
    apierr_init(&e);
    assert_int_equal(campaign_from_item(item, "[0]", &c, &e), 0);
    b = jsq("{}");
    assert_int_not_equal(apply(&c, b, 0, &e), 0);
    expect_fields(&e, "dialingStrategy,dncLists,dialingMode");
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);
    json_decref(item);
}

/* ---- rendering ------------------------------------------------------------------ */

static void test_render_strategy(void **state)
{
    (void)state;
    struct campaign c;
    make_stored(SMS_SIMPLE, &c);
    json_t *ds = campaign_render_strategy(&c);
    assert_keys(ds, "callerId,callingHours");
    assert_keys(json_object_get(ds, "callingHours"), "frequency,timezone,days");
    assert_keys(json_array_get(json_object_get(json_object_get(ds, "callingHours"), "days"), 0),
                "day,start,end");
    assert_json(ds, "{'callerId':{'phoneNumber':'+919561600000'},'callingHours':{'frequency':"
                    "'WEEKLY','timezone':'Asia/Kolkata','days':[{'day':'MO','start':'9:00 AM',"
                    "'end':'6:00 PM'},{'day':'TU','start':'9:00 AM','end':'6:00 PM'}]}}");
    json_decref(ds);
    campaign_clear(&c);

    make_stored(VOICE_PREVIEW, &c);
    ds = campaign_render_strategy(&c);
    assert_keys(ds, "callerId,callingHours,dialingOrder,maxAttemptsPerRecord,defaultRetryPeriod,"
                    "maxRingTime,useSystemMappings");
    assert_keys(json_object_get(ds, "callingHours"), "frequency,days,timezone");
    json_t *days = json_object_get(json_object_get(ds, "callingHours"), "days");
    assert_int_equal(json_array_size(days), 2);
    assert_keys(json_array_get(days, 0), "start,end,day");
    assert_keys(json_array_get(days, 1), "start,end,day");
    assert_true(json_is_false(json_object_get(ds, "useSystemMappings")));
    assert_json(ds, "{'callerId':{'phoneNumber':'+14846500000'},'callingHours':{'frequency':"
                    "'WEEKLY','days':[{'start':'9:00 AM','end':'6:00 PM','day':'MO'},{'start':"
                    "'9:00 AM','end':'6:00 PM','day':'TU'}],'timezone':'Asia/Kolkata'},"
                    "'dialingOrder':'FIFO','maxAttemptsPerRecord':3,'defaultRetryPeriod':10,"
                    "'maxRingTime':30,'useSystemMappings':false}");
    json_decref(ds);
    campaign_clear(&c);

    /* days keep the order given, not day order. */
    json_t *b = jsq(SMS_SIMPLE);
    mod(b, "dialingStrategy.callingHours.days",
        "[{'day':'FR','start':'1:00 PM','end':'2:00 PM'},{'day':'MO','start':'9:00 AM','end':'10:00 AM'}]");
    struct apierr e;
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    ds = campaign_render_strategy(&c);
    assert_json(json_object_get(json_object_get(ds, "callingHours"), "days"),
                "[{'day':'FR','start':'1:00 PM','end':'2:00 PM'},{'day':'MO','start':'9:00 AM',"
                "'end':'10:00 AM'}]");
    json_decref(ds);
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);

    /* No strategy (an import): nothing to render. */
    campaign_init(&c);
    c.type = CTYPE_VOICE;
    assert_null(campaign_render_strategy(&c));
    campaign_clear(&c);
}

#define SMS_DOC_KEYS(body)                                                                         \
    "_id,name,lname,description,status,dncLists,priority,dialingStrategy," body                    \
    ",isImported,isFiltersEnabled,createdAt,updatedAt,schedule,contactLists,format"

static void test_render_document_sms(void **state)
{
    (void)state;
    struct campaign c;
    make_stored(SMS_SIMPLE, &c);
    json_t *d = campaign_render_document(&c);
    assert_keys(d, SMS_DOC_KEYS("message"));
    assert_json(json_object_get(d, "_id"), "'" CD_ID "'");
    assert_json(json_object_get(d, "lname"), "'event reminder sms campaign71'");
    assert_json(json_object_get(d, "status"), "'Ready'");
    assert_json(json_object_get(d, "dncLists"), "{'name':'DNC CL Dec 4'}");
    assert_json(json_object_get(d, "priority"), "'5'");
    assert_json(json_object_get(d, "isImported"), "false");
    assert_json(json_object_get(d, "isFiltersEnabled"), "false");
    assert_json(json_object_get(d, "createdAt"), "'" T_CREATED "'");
    assert_json(json_object_get(d, "updatedAt"), "'" T_CREATED "'");
    assert_json(json_object_get(d, "schedule"),
                "{'isSchedulingEnabled':false,'isRecurrenceEnabled':false}");
    assert_keys(json_object_get(d, "schedule"), "isSchedulingEnabled,isRecurrenceEnabled");
    assert_json(json_object_get(d, "contactLists"), "['CL Only 2020 Dec 4']");
    assert_json(json_object_get(d, "format"), "'simple'");
    /* listing-only keys stay out of the document */
    assert_null(json_object_get(d, "totalMessagesSent"));
    assert_null(json_object_get(d, "campaignExecutionType"));
    assert_null(json_object_get(d, "campaignInstanceUpdatedAt"));
    assert_null(json_object_get(d, "id"));
    json_decref(d);

    /* Started once, with a schedule enabled; no DNC list. */
    json_object_set_new(c.doc, "campaignInstanceId", json_string(CID_ID));
    json_object_set_new(
        c.doc, "schedule",
        jsq("{'isSchedulingEnabled':true,'isRecurrenceEnabled':true,'startDateTime':"
            "'2026-01-27T18:29:00.000Z','endDateTime':'2026-02-27T18:29:00.000Z','recurrenceObject':"
            "{'recurType':'Daily','dailyDetails':{'onceEveryNdays':1}}}"));
    json_decref(c.dnc);
    c.dnc = NULL;
    d = campaign_render_document(&c);
    assert_keys(d, "_id,name,lname,description,status,priority,dialingStrategy,message,isImported,"
                   "isFiltersEnabled,createdAt,updatedAt,schedule,campaignInstanceId,contactLists,"
                   "format");
    assert_keys(json_object_get(d, "schedule"),
                "isSchedulingEnabled,isRecurrenceEnabled,startDateTime,endDateTime,recurrenceObject");
    json_decref(d);
    campaign_clear(&c);

    /* Using a template: message keys in the sample's order. */
    make_stored(SMS_TEMPLATE, &c);
    d = campaign_render_document(&c);
    assert_keys(d, SMS_DOC_KEYS("message"));
    assert_keys(json_object_get(d, "message"), "template_name,message,templateId");
    assert_json(json_object_get(d, "message"),
                "{'template_name':'Welcome','message':'VGhpcyBpcyBh','templateId':'" CMT_ID "'}");
    json_decref(d);
    campaign_clear(&c);

    /* Advanced: experienceFlow in message's place. */
    make_stored(SMS_ADVANCED, &c);
    d = campaign_render_document(&c);
    assert_keys(d, SMS_DOC_KEYS("experienceFlow"));
    assert_json(json_object_get(d, "experienceFlow"), "'" CF_ID "'");
    json_decref(d);
    campaign_clear(&c);
}

static void test_render_document_voice(void **state)
{
    (void)state;
    struct campaign c;
    make_stored(VOICE_AGENTLESS, &c);
    json_t *d = campaign_render_document(&c);
    assert_keys(d, "_id,name,lname,description,dncLists,priority,dialingMode,dialingStrategy,"
                   "experienceFlow,status,isFiltersEnabled,createdAt,updatedAt,schedule,"
                   "contactLists,enableMachineDetect");
    assert_json(json_object_get(d, "dncLists"), "{'id':'" CL_ID "','name':'DNC CL Dec 4'}");
    assert_keys(json_object_get(d, "dncLists"), "id,name");
    assert_json(json_object_get(d, "dialingMode"), "'Agentless'");
    assert_json(json_object_get(d, "status"), "'Ready'");
    assert_json(json_object_get(d, "enableMachineDetect"), "false");
    assert_json(json_object_get(d, "schedule"),
                "{'isSchedulingEnabled':false,'isRecurrenceEnabled':false}");
    assert_null(json_object_get(d, "isImported"));
    assert_null(json_object_get(d, "campaignInstanceUpdatedAt"));
    json_decref(d);

    json_object_set_new(c.doc, "campaignInstanceId", json_string(CID_ID));
    c.status = CSTATUS_STOPPED;
    d = campaign_render_document(&c);
    assert_keys(d, "_id,name,lname,description,dncLists,priority,dialingMode,dialingStrategy,"
                   "experienceFlow,status,isFiltersEnabled,createdAt,updatedAt,schedule,"
                   "campaignInstanceId,contactLists,enableMachineDetect");
    assert_json(json_object_get(d, "status"), "'Stopped'");
    json_decref(d);
    campaign_clear(&c);

    make_stored(VOICE_PROGRESSIVE, &c);
    d = campaign_render_document(&c);
    assert_keys(d, "_id,name,lname,description,dncLists,priority,dialingMode,dialingStrategy,"
                   "status,isFiltersEnabled,createdAt,updatedAt,schedule,contactLists,connection");
    assert_json(json_object_get(d, "connection"), "'Default Queue'");
    json_decref(d);
    campaign_clear(&c);

    make_stored(VOICE_PREVIEW, &c);
    d = campaign_render_document(&c);
    assert_keys(d, "_id,name,lname,description,dncLists,priority,dialingMode,dialingStrategy,"
                   "status,maxSkips,isFiltersEnabled,createdAt,updatedAt,schedule,contactLists,"
                   "connection");
    assert_json(json_object_get(d, "maxSkips"), "1");
    json_decref(d);
    campaign_clear(&c);
}

static void test_render_machine_detect(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        const char *want;
    } cases[] = {{"'no'", "false"}, {"'detect'", "true"}, {"'disconnect'", "true"}};
    for (size_t i = 0; i < 3; i++) {
        json_t *b = jsq(VOICE_AGENTLESS);
        mod(b, "enableMachineDetect", cases[i].value);
        struct campaign c;
        struct apierr e;
        assert_int_equal(run_create(CTYPE_VOICE, b, &c, &e), 0);
        store_sim(&c);
        /* stored as given */
        assert_json(json_object_get(c.doc, "enableMachineDetect"), cases[i].value);
        json_t *d = campaign_render_document(&c);
        assert_json(json_object_get(d, "enableMachineDetect"), cases[i].want);
        json_decref(d);
        d = campaign_render_created(&c);
        assert_json(json_object_get(d, "enableMachineDetect"), cases[i].want);
        json_decref(d);
        json_decref(b);
        apierr_clear(&e);
        campaign_clear(&c);
    }
}

static void test_render_created(void **state)
{
    (void)state;
    struct campaign c;
    make_stored(SMS_SIMPLE, &c);
    json_t *d = campaign_render_created(&c);
    assert_keys(d, SMS_DOC_KEYS("message"));
    assert_json(json_object_get(d, "schedule"), "{'isSchedulingEnabled':false}");
    assert_json(json_object_get(d, "isImported"), "false");
    assert_json(json_object_get(d, "isFiltersEnabled"), "false");
    assert_json(json_object_get(d, "status"), "'Ready'");
    assert_json(json_object_get(d, "updatedAt"), "'" T_CREATED "'");
    assert_json(json_object_get(d, "createdAt"), "'" T_CREATED "'");
    json_decref(d);
    campaign_clear(&c);

    make_stored(SMS_TEMPLATE, &c);
    d = campaign_render_created(&c);
    assert_keys(d, SMS_DOC_KEYS("message"));
    assert_keys(json_object_get(d, "message"), "template_name,message,templateId");
    assert_json(json_object_get(d, "schedule"), "{'isSchedulingEnabled':false}");
    json_decref(d);
    campaign_clear(&c);

    /* No DNC list: the key is omitted. */
    json_t *b = jsq(SMS_ADVANCED);
    mod(b, "dncLists", NULL);
    struct apierr e;
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    store_sim(&c);
    d = campaign_render_created(&c);
    assert_keys(d, "_id,name,lname,description,status,priority,dialingStrategy,experienceFlow,"
                   "isImported,isFiltersEnabled,createdAt,updatedAt,schedule,contactLists,format");
    json_decref(d);
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);

    make_stored(SMS_ADVANCED, &c);
    d = campaign_render_created(&c);
    assert_keys(d, SMS_DOC_KEYS("experienceFlow"));
    json_decref(d);
    campaign_clear(&c);

    /* Voice: no _id, no schedule, id near the end, status Preparing. */
    make_stored(VOICE_AGENTLESS, &c);
    d = campaign_render_created(&c);
    assert_keys(d, "name,lname,description,dncLists,priority,dialingMode,dialingStrategy,"
                   "experienceFlow,status,isFiltersEnabled,createdAt,updatedAt,id,contactLists,"
                   "enableMachineDetect");
    assert_json(json_object_get(d, "status"), "'Preparing'");
    assert_json(json_object_get(d, "id"), "'" CD_ID "'");
    assert_json(json_object_get(d, "lname"), "'product feedback voice campaign-3.41'");
    assert_json(json_object_get(d, "isFiltersEnabled"), "false");
    assert_json(json_object_get(d, "dncLists"), "{'id':'" CL_ID "','name':'DNC CL Dec 4'}");
    assert_json(json_object_get(d, "enableMachineDetect"), "false");
    assert_int_equal(c.status, CSTATUS_READY); /* only the response says Preparing */
    json_decref(d);
    campaign_clear(&c);

    make_stored(VOICE_PROGRESSIVE, &c);
    d = campaign_render_created(&c);
    assert_keys(d, "name,lname,description,dncLists,priority,dialingMode,dialingStrategy,status,"
                   "isFiltersEnabled,createdAt,updatedAt,id,contactLists");
    assert_json(json_object_get(d, "status"), "'Preparing'");
    json_decref(d);
    campaign_clear(&c);

    make_stored(VOICE_PREVIEW, &c);
    d = campaign_render_created(&c);
    assert_keys(d, "name,lname,description,dncLists,priority,dialingMode,dialingStrategy,status,"
                   "maxSkips,isFiltersEnabled,createdAt,updatedAt,id,contactLists");
    assert_json(json_object_get(d, "maxSkips"), "1");
    json_decref(d);
    campaign_clear(&c);
}

/* lname lowers A-Z only; priority is returned as a string. */
static void test_render_lname_priority(void **state)
{
    (void)state;
    json_t *b = jsq(SMS_SIMPLE);
    mod(b, "name", "'ÄBC Déf | Q1'");
    mod(b, "priority", "4");
    struct campaign c;
    struct apierr e;
    assert_int_equal(run_create(CTYPE_SMS, b, &c, &e), 0);
    store_sim(&c);
    json_t *d = campaign_render_document(&c);
    assert_json(json_object_get(d, "name"), "'ÄBC Déf | Q1'");
    assert_json(json_object_get(d, "lname"), "'Äbc déf | q1'");
    assert_json(json_object_get(d, "priority"), "'4'");
    json_decref(d);
    d = campaign_render_created(&c);
    assert_json(json_object_get(d, "lname"), "'Äbc déf | q1'");
    assert_json(json_object_get(d, "priority"), "'4'");
    json_decref(d);
    json_decref(b);
    apierr_clear(&e);
    campaign_clear(&c);
}

/* ---- schedules (§8.3) ------------------------------------------------------------ */

#define NOW_TS "2026-01-01T00:00:00.000Z"

static int sched(const char *body_sq, json_t **out, struct apierr *e)
{
    apierr_init(e);
    json_t *b = body_sq != NULL ? jsq(body_sq) : NULL;
    int rc = campaign_schedule_parse(b, ms_of(NOW_TS), out, e);
    if ((rc == 0) != (apierr_count(e) == 0))
        fail_msg("rc %d with %zu errors", rc, apierr_count(e));
    if ((rc == 0) != (*out != NULL))
        fail_msg("rc %d with out %p", rc, (void *)*out);
    json_decref(b);
    return rc;
}

static void sched_ok(const char *body_sq, const char *want_sq)
{
    json_t *out = NULL;
    struct apierr e;
    if (sched(body_sq, &out, &e) != 0) {
        char f[1024];
        fields_of(&e, f, sizeof f);
        fail_msg("rejected %s: %s", body_sq, f);
    }
    assert_keys(out, "startDateTime,endDateTime,recurrenceObject");
    if (want_sq != NULL)
        assert_json(out, want_sq);
    json_decref(out);
    apierr_clear(&e);
}

static void sched_bad(const char *body_sq, const char *want_fields)
{
    json_t *out = (json_t *)(uintptr_t)1; /* must be reset */
    struct apierr e;
    int rc = sched(body_sq, &out, &e);
    char got[1024], w[1024];
    sorted_fields(&e, got, sizeof got);
    norm_list(want_fields, w, sizeof w);
    if (rc == 0 || strcmp(got, w) != 0)
        fail_msg("%s: want [%s] got [%s]", body_sq ? body_sq : "NULL", w, got);
    assert_null(out);
    apierr_clear(&e);
}

#define DAILY1 "'recurrenceObject':{'recurType':'Daily','dailyDetails':{'onceEveryNdays':1}}"

static void test_schedule_samples(void **state)
{
    (void)state;
    /* The daily sample. */
    sched_ok("{'startDateTime':'2026-01-27 18:29:00','endDateTime':'2026-02-27 18:29:00'," DAILY1 "}",
             "{'startDateTime':'2026-01-27T18:29:00.000Z','endDateTime':'2026-02-27T18:29:00.000Z',"
             "'recurrenceObject':{'recurType':'Daily','dailyDetails':{'onceEveryNdays':1}}}");
    /* The weekly sample: one-digit day. */
    sched_ok("{'startDateTime':'2026-01-1 18:29:00','endDateTime':'2026-02-27 18:29:00',"
             "'recurrenceObject':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':1,"
             "'whichDays':['Mon','Wed','Fri']}}}",
             "{'startDateTime':'2026-01-01T18:29:00.000Z','endDateTime':'2026-02-27T18:29:00.000Z',"
             "'recurrenceObject':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':1,"
             "'whichDays':['Mon','Wed','Fri']}}}");
    /* Stored keys in order, extra keys dropped, the other type's details
     * ignored even when invalid. */
    json_t *out = NULL;
    struct apierr e;
    assert_int_equal(sched("{'extra':1,'recurrenceObject':{'weeklyDetails':{'onceEveryNweeks':99},"
                           "'dailyDetails':{'onceEveryNdays':2,'x':1},'recurType':'Daily','y':2},"
                           "'endDateTime':'2026-02-27 18:29:00','startDateTime':'2026-01-27 18:29:00'}",
                           &out, &e),
                     0);
    assert_keys(out, "startDateTime,endDateTime,recurrenceObject");
    assert_keys(json_object_get(out, "recurrenceObject"), "recurType,dailyDetails");
    assert_json(json_object_get(out, "recurrenceObject"),
                "{'recurType':'Daily','dailyDetails':{'onceEveryNdays':2}}");
    json_decref(out);
    apierr_clear(&e);
    assert_int_equal(sched("{'startDateTime':'2026-01-27 18:29:00','endDateTime':'2026-02-27 18:29:00',"
                           "'recurrenceObject':{'recurType':'Weekly','dailyDetails':'junk',"
                           "'weeklyDetails':{'whichDays':['Sun'],'onceEveryNweeks':52,'z':0}}}",
                           &out, &e),
                     0);
    assert_keys(json_object_get(out, "recurrenceObject"), "recurType,weeklyDetails");
    assert_keys(json_object_get(json_object_get(out, "recurrenceObject"), "weeklyDetails"),
                "onceEveryNweeks,whichDays");
    assert_json(json_object_get(out, "recurrenceObject"),
                "{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':52,'whichDays':['Sun']}}");
    json_decref(out);
    apierr_clear(&e);
}

static void test_schedule_time_forms(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *want;
    } ok[] = {
        {"2026-01-27 18:29:00", "2026-01-27T18:29:00.000Z"},
        {"2026-01-1 18:29:00", "2026-01-01T18:29:00.000Z"},
        {"2026-1-01 18:29:00", "2026-01-01T18:29:00.000Z"},
        {"2026-1-1 1:05:09", "2026-01-01T01:05:09.000Z"},
        {"2026-1-1 01:05:09", "2026-01-01T01:05:09.000Z"},
        {"2025-12-31 23:59:59", "2025-12-31T23:59:59.000Z"},
        {"2024-2-29 0:00:00", "2024-02-29T00:00:00.000Z"},
        {"2026-01-27T18:29:00Z", "2026-01-27T18:29:00.000Z"},
        {"2026-01-27T18:29:00.123Z", "2026-01-27T18:29:00.123Z"},
        {"2026-01-27T18:29:00.1234567Z", "2026-01-27T18:29:00.123Z"},
        {"2026-01-27T23:59:00+05:30", "2026-01-27T18:29:00.000Z"},
        {"2026-01-27T13:29:00-05:00", "2026-01-27T18:29:00.000Z"},
        {"2026-01-27t18:29:00z", "2026-01-27T18:29:00.000Z"},
        {"2026-01-27", "2026-01-27T00:00:00.000Z"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        /* as the start, with a later end */
        char body[512], want[512];
        snprintf(body, sizeof body,
                 "{'startDateTime':'%s','endDateTime':'2030-01-01 00:00:00'," DAILY1 "}", ok[i].in);
        snprintf(want, sizeof want,
                 "{'startDateTime':'%s','endDateTime':'2030-01-01T00:00:00.000Z','recurrenceObject':"
                 "{'recurType':'Daily','dailyDetails':{'onceEveryNdays':1}}}",
                 ok[i].want);
        sched_ok(body, want);
        /* as the end, with an earlier start, when it is after now */
        if (ms_of(ok[i].want) <= ms_of(NOW_TS))
            continue;
        snprintf(body, sizeof body,
                 "{'startDateTime':'2025-01-01 00:00:00','endDateTime':'%s'," DAILY1 "}", ok[i].in);
        snprintf(want, sizeof want,
                 "{'startDateTime':'2025-01-01T00:00:00.000Z','endDateTime':'%s','recurrenceObject':"
                 "{'recurType':'Daily','dailyDetails':{'onceEveryNdays':1}}}",
                 ok[i].want);
        sched_ok(body, want);
    }
    static const char *const bad[] = {
        "2026-13-01 00:00:00", "2026-00-10 00:00:00", "2026-02-30 10:00:00",
        "2026-02-29 10:00:00", "2026-04-31 10:00:00", "2026-01-00 10:00:00",
        "2026-01-32 10:00:00", "2026-01-27 24:00:00", "2026-01-27 18:60:00",
        "2026-01-27 18:29:60", "2026-01-27 18:9:00",  "2026-01-27 18:29:0",
        "2026-01-27 018:29:00", "2026-001-27 18:29:00", "2026-01-027 18:29:00",
        "2026-01-27 18:29",    "2026-01-27 18",       "2026-01-27  18:29:00",
        "2026-01-27T18:29:00", "2026-1-1T18:29:00Z",  "2026-01-27 18:29:00Z",
        "2026-01-27 18:29:00 ", " 2026-01-27 18:29:00", "26-01-27 18:29:00",
        "20260-01-27 18:29:00", "2026/01/27 18:29:00", "2026-01-27_18:29:00",
        "2026-01-27 18:29:00.000", "2026-1-1", "27-01-2026 18:29:00", "",
        "now", "2026-01-27T25:00:00Z", "2026-01-27T18:29:00+24:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[512];
        snprintf(body, sizeof body,
                 "{'startDateTime':'%s','endDateTime':'2030-01-01 00:00:00'," DAILY1 "}", bad[i]);
        sched_bad(body, "startDateTime");
        snprintf(body, sizeof body,
                 "{'startDateTime':'2025-01-01 00:00:00','endDateTime':'%s'," DAILY1 "}", bad[i]);
        sched_bad(body, "endDateTime");
    }
    /* Not strings. */
    sched_bad("{'startDateTime':20260127,'endDateTime':'2030-01-01 00:00:00'," DAILY1 "}",
              "startDateTime");
    sched_bad("{'startDateTime':null,'endDateTime':null," DAILY1 "}", "startDateTime,endDateTime");
    sched_bad("{'startDateTime':{},'endDateTime':['2030-01-01 00:00:00']," DAILY1 "}",
              "startDateTime,endDateTime");
}

static void test_schedule_end_rules(void **state)
{
    (void)state;
    /* end == start, end < start */
    sched_bad("{'startDateTime':'2026-03-01 10:00:00','endDateTime':'2026-03-01 10:00:00'," DAILY1 "}",
              "endDateTime");
    sched_bad("{'startDateTime':'2026-03-01 10:00:00','endDateTime':'2026-02-01 10:00:00'," DAILY1 "}",
              "endDateTime");
    /* the same instant in two forms */
    sched_bad("{'startDateTime':'2026-03-01 10:00:00','endDateTime':'2026-03-01T15:30:00+05:30',"
              DAILY1 "}",
              "endDateTime");
    /* end in the past or now; start may be in the past */
    sched_bad("{'startDateTime':'2025-01-01 00:00:00','endDateTime':'2025-12-31 23:59:59'," DAILY1 "}",
              "endDateTime");
    sched_bad("{'startDateTime':'2025-01-01 00:00:00','endDateTime':'2026-01-01 00:00:00'," DAILY1 "}",
              "endDateTime");
    sched_ok("{'startDateTime':'2025-01-01 00:00:00','endDateTime':'2026-01-01 00:00:01'," DAILY1 "}",
             NULL);
    sched_ok("{'startDateTime':'2026-01-01T00:00:00.000Z','endDateTime':'2026-01-01T00:00:00.001Z',"
             DAILY1 "}",
             NULL);
    /* an end with no valid start is still checked against now */
    sched_bad("{'startDateTime':'x','endDateTime':'2025-06-01 00:00:00'," DAILY1 "}",
              "startDateTime,endDateTime");
    /* a start long past is fine */
    sched_ok("{'startDateTime':'2000-1-1 0:00:00','endDateTime':'2027-01-01 00:00:00'," DAILY1 "}",
             NULL);
}

static void test_schedule_recurrence(void **state)
{
    (void)state;
#define SE "'startDateTime':'2026-01-27 18:29:00','endDateTime':'2026-02-27 18:29:00'"
#define RO "recurrenceObject"
    sched_ok("{" SE ",'" RO "':{'recurType':'Daily','dailyDetails':{'onceEveryNdays':365}}}", NULL);
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily','dailyDetails':{'onceEveryNdays':0}}}",
              RO ".dailyDetails.onceEveryNdays");
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily','dailyDetails':{'onceEveryNdays':366}}}",
              RO ".dailyDetails.onceEveryNdays");
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily','dailyDetails':{'onceEveryNdays':'1'}}}",
              RO ".dailyDetails.onceEveryNdays");
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily','dailyDetails':{'onceEveryNdays':1.0}}}",
              RO ".dailyDetails.onceEveryNdays");
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily','dailyDetails':{'onceEveryNdays':null}}}",
              RO ".dailyDetails.onceEveryNdays");
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily','dailyDetails':{}}}",
              RO ".dailyDetails.onceEveryNdays");
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily'}}", RO ".dailyDetails");
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily','dailyDetails':[1]}}", RO ".dailyDetails");
    /* The table of the weekly page says dailyDetails; the sample is followed. */
    sched_bad("{" SE ",'" RO "':{'recurType':'Daily','weeklyDetails':{'onceEveryNdays':1}}}",
              RO ".dailyDetails");

    sched_ok("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':52,"
             "'whichDays':['Mon','Tue','Wed','Thu','Fri','Sat','Sun']}}}",
             NULL);
    sched_ok("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':1,"
             "'whichDays':['Sun','Mon']}}}",
             NULL);
    sched_bad("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':0,"
              "'whichDays':['Mon']}}}",
              RO ".weeklyDetails.onceEveryNweeks");
    sched_bad("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':53,"
              "'whichDays':['Mon']}}}",
              RO ".weeklyDetails.onceEveryNweeks");
    sched_bad("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{'whichDays':['Mon']}}}",
              RO ".weeklyDetails.onceEveryNweeks");
    sched_bad("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':'2',"
              "'whichDays':['Mon']}}}",
              RO ".weeklyDetails.onceEveryNweeks");
    static const char *const bad_days[] = {
        "[]", "['Mon','Mon']", "['mon']", "['Monday']", "['MO']", "[1]", "[null]", "'Mon'",
        "null", "{}", "['Mon','Tue','Wed','Thu','Fri','Sat','Sun','Mon']", "['Mon','Tue','mon']",
    };
    for (size_t i = 0; i < sizeof bad_days / sizeof bad_days[0]; i++) {
        char body[512];
        snprintf(body, sizeof body,
                 "{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':1,"
                 "'whichDays':%s}}}",
                 bad_days[i]);
        sched_bad(body, RO ".weeklyDetails.whichDays");
    }
    sched_bad("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{'onceEveryNweeks':1}}}",
              RO ".weeklyDetails.whichDays");
    sched_bad("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':{}}}",
              RO ".weeklyDetails.onceEveryNweeks," RO ".weeklyDetails.whichDays");
    sched_bad("{" SE ",'" RO "':{'recurType':'Weekly'}}", RO ".weeklyDetails");
    sched_bad("{" SE ",'" RO "':{'recurType':'Weekly','weeklyDetails':'x',"
              "'dailyDetails':{'onceEveryNdays':1}}}",
              RO ".weeklyDetails");

    sched_bad("{" SE ",'" RO "':{'recurType':'daily','dailyDetails':{'onceEveryNdays':1}}}",
              RO ".recurType");
    sched_bad("{" SE ",'" RO "':{'recurType':'Monthly'}}", RO ".recurType");
    sched_bad("{" SE ",'" RO "':{'recurType':5}}", RO ".recurType");
    sched_bad("{" SE ",'" RO "':{'dailyDetails':{'onceEveryNdays':1}}}", RO ".recurType");
    sched_bad("{" SE ",'" RO "':'Daily'}", RO);
    sched_bad("{" SE ",'" RO "':null}", RO);
    sched_bad("{" SE "}", RO);
#undef SE
#undef RO
}

static void test_schedule_missing(void **state)
{
    (void)state;
    sched_bad(NULL, "startDateTime,endDateTime,recurrenceObject");
    sched_bad("{}", "startDateTime,endDateTime,recurrenceObject");
    sched_bad("{'unrelated':true}", "startDateTime,endDateTime,recurrenceObject");
    /* every problem at once */
    sched_bad("{'startDateTime':'x','endDateTime':'y','recurrenceObject':{'recurType':'Weekly',"
              "'weeklyDetails':{'onceEveryNweeks':0,'whichDays':[]}}}",
              "startDateTime,endDateTime,recurrenceObject.weeklyDetails.onceEveryNweeks,"
              "recurrenceObject.weeklyDetails.whichDays");
    sched_bad("{'endDateTime':'2026-02-27 18:29:00','recurrenceObject':{'recurType':'Daily',"
              "'dailyDetails':{'onceEveryNdays':0}}}",
              "startDateTime,recurrenceObject.dailyDetails.onceEveryNdays");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_name),
        cmocka_unit_test(test_fields_description),
        cmocka_unit_test(test_fields_contact_lists),
        cmocka_unit_test(test_fields_dnc_sms),
        cmocka_unit_test(test_fields_dnc_voice),
        cmocka_unit_test(test_fields_priority_type_schedule),
        cmocka_unit_test(test_fields_dialing_strategy),
        cmocka_unit_test(test_fields_caller_id),
        cmocka_unit_test(test_fields_calling_hours),
        cmocka_unit_test(test_fields_sms),
        cmocka_unit_test(test_fields_voice),
        cmocka_unit_test(test_all_errors_at_once),
        cmocka_unit_test(test_create_nested_errors_listed_once),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_array_limits),
        cmocka_unit_test(test_timezone_not_a_zone_file),
        cmocka_unit_test(test_phone_valid),
        cmocka_unit_test(test_create_sms_simple),
        cmocka_unit_test(test_create_sms_template),
        cmocka_unit_test(test_create_sms_advanced),
        cmocka_unit_test(test_create_voice_modes),
        cmocka_unit_test(test_update_empty_changes_nothing),
        cmocka_unit_test(test_update_top_level_replace),
        cmocka_unit_test(test_update_dnc_null),
        cmocka_unit_test(test_update_campaign_type),
        cmocka_unit_test(test_update_strategy_merge),
        cmocka_unit_test(test_update_mode_switch),
        cmocka_unit_test(test_update_format_switch),
        cmocka_unit_test(test_update_imported),
        cmocka_unit_test(test_render_strategy),
        cmocka_unit_test(test_render_document_sms),
        cmocka_unit_test(test_render_document_voice),
        cmocka_unit_test(test_render_machine_detect),
        cmocka_unit_test(test_render_created),
        cmocka_unit_test(test_render_lname_priority),
        cmocka_unit_test(test_schedule_samples),
        cmocka_unit_test(test_schedule_time_forms),
        cmocka_unit_test(test_schedule_end_rules),
        cmocka_unit_test(test_schedule_recurrence),
        cmocka_unit_test(test_schedule_missing),
    };
    return unit_run(tests);
}
