/* test_campaign.c - result items in documented key order (contract §4) and
 * import validation (contract §6): campaign_render_item, campaign_from_item.
 *
 * JSON is written with single quotes for readability; sq() turns them into
 * double quotes. */
#include "testutil.h"
#include "campaign.h"
#include "timefmt.h"

/* demo/samples.json, built into the binary (src/asset.h). */
#include "asset.h"

/* contract §4, in order. */
static const char *const VOICE_KEYS[] = {
    "_id", "name", "description", "dncLists", "priority", "dialingMode", "status",
    "isFiltersEnabled", "createdAt", "updatedAt", "campaignInstanceUpdatedAt", "schedule",
    "connection", "contactLists", NULL,
};
static const char *const SMS_KEYS[] = {
    "name", "description", "status", "dncLists", "priority", "message", "experienceFlow",
    "createdAt", "updatedAt", "schedule", "campaignInstanceId", "id", "totalMessagesSent",
    "campaignInstanceUpdatedAt", "campaignExecutionType", "contactLists", "format", NULL,
};

#define CD_ID "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"
#define CL_ID "cl-68b802a0-2b99-4245-8eea-6d322a800000"
#define CF_ID "cf-67447605-115e-5dd2-a676-e158cf300000"
#define CID_ID "cid-c4ad0662-6c2e-58f7-9a2c-9da337d00000"
#define CMT_ID "cmt-88fcd16f-bdb2-4d4d-8a2c-0324c7f00000"

/* ---- helpers ------------------------------------------------------------- */

static void join(const char *const *keys, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (; *keys; keys++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "," : "", *keys);
}

/* The keys of o appear in `order`, in that order, and none is null. */
static void assert_documented_order(const json_t *o, const char *const *order)
{
    const char *k;
    json_t *v;
    const char *const *pos = order;
    json_object_foreach((json_t *)(uintptr_t)o, k, v) {
        while (*pos && strcmp(*pos, k) != 0)
            pos++;
        if (*pos == NULL)
            fail_msg("key %s is undocumented or out of order", k);
        assert_false(json_is_null(v));
    }
}

/* campaign_from_item on the element; on success *c holds it. */
static int import(const char *item_sq, const char *where, struct campaign *c, struct apierr *e)
{
    json_t *item = jsq(item_sq);
    campaign_init(c);
    apierr_init(e);
    int rc = campaign_from_item(item, where, c, e);
    json_decref(item);
    return rc;
}

static void import_ok(const char *item_sq, struct campaign *c)
{
    struct apierr e;
    int rc = import(item_sq, "[0]", c, &e);
    char f[1024];
    fields_of(&e, f, sizeof f);
    apierr_clear(&e);
    if (rc != 0 || f[0] != '\0')
        fail_msg("import rejected %s: %s", item_sq, f);
}

static void import_bad(const char *item_sq, const char *want)
{
    struct campaign c;
    struct apierr e;
    int rc = import(item_sq, "[0]", &c, &e);
    char f[2048];
    fields_of(&e, f, sizeof f);
    apierr_clear(&e);
    campaign_clear(&c);
    if (rc != -1 || strcmp(f, want) != 0)
        fail_msg("item %s: rc %d, fields \"%s\", expected \"%s\"", item_sq, rc, f, want);
}

/* ---- rendering ----------------------------------------------------------- */

/* A voice campaign with every value, its doc filled in reverse order. */
static void full_voice(struct campaign *c)
{
    campaign_init(c);
    c->type = CTYPE_VOICE;
    memcpy(c->id, CD_ID, sizeof CD_ID);
    c->name = xstrdup("Billing Reminder Voice Campaign123");
    c->status = CSTATUS_PAUSED;
    c->priority = 3;
    c->mode = CMODE_AGENTLESS;
    c->created_at = ms_of("2025-12-08T09:17:21.090Z");
    c->updated_at = ms_of("2025-12-08T09:17:37.927Z");
    c->instance_updated_at = ms_of("2025-12-08T09:17:37.928Z");
    c->dnc = jsq("{'name':'DNC CL Dec 4','id':'" CL_ID "'}");
    c->contact_lists = jsq("['CL Only 2020 Dec 4','Second']");
    json_object_set_new(c->doc, "isImported", json_true());
    json_object_set_new(c->doc, "connection", json_string("Default Queue"));
    json_object_set_new(c->doc, "schedule",
                        jsq("{'isRecurrenceEnabled':true,'isSchedulingEnabled':false}"));
    json_object_set_new(c->doc, "isFiltersEnabled", json_false());
    json_object_set_new(c->doc, "description", json_string("Progressive dialing"));
}

static void full_sms(struct campaign *c)
{
    campaign_init(c);
    c->type = CTYPE_SMS;
    memcpy(c->id, CD_ID, sizeof CD_ID);
    c->name = xstrdup("Billing Alert Template Campaign-21");
    c->status = CSTATUS_STOPPED;
    c->priority = 1;
    c->created_at = ms_of("2025-12-05T08:08:45.668Z");
    c->updated_at = ms_of("2025-12-05T08:08:57.497Z");
    c->instance_updated_at = ms_of("2025-12-05T08:08:57.497Z");
    c->dnc = jsq("{'name':'testdnc','id':'" CL_ID "'}");
    c->contact_lists = jsq("['CL Only 2020 Dec 4']");
    json_object_set_new(c->doc, "format", json_string("simple"));
    json_object_set_new(c->doc, "campaignExecutionType", json_string("NORMAL"));
    json_object_set_new(c->doc, "totalMessagesSent", json_integer(7));
    json_object_set_new(c->doc, "campaignInstanceId", json_string(CID_ID));
    json_object_set_new(c->doc, "schedule", jsq("{'isRecurrenceEnabled':false,"
                                                "'isSchedulingEnabled':true}"));
    json_object_set_new(c->doc, "experienceFlow", json_string(CF_ID));
    json_object_set_new(c->doc, "message", jsq("{'templateId':'" CMT_ID "','message':'UjNK',"
                                               "'template_name':'Welcome'}"));
    json_object_set_new(c->doc, "description", json_string("Uses a template"));
    json_object_set_new(c->doc, "isImported", json_true());
}

static void test_render_voice_key_order(void **state)
{
    (void)state;
    struct campaign c;
    full_voice(&c);
    json_t *o = campaign_render_item(&c);
    char want[1024];
    join(VOICE_KEYS, want, sizeof want);
    assert_keys(o, want);
    assert_keys(json_object_get(o, "dncLists"), "id,name");
    assert_keys(json_object_get(o, "schedule"), "isSchedulingEnabled,isRecurrenceEnabled");
    assert_string_equal(json_string_value(json_object_get(o, "_id")), CD_ID);
    assert_string_equal(json_string_value(json_object_get(o, "priority")), "3");
    assert_string_equal(json_string_value(json_object_get(o, "dialingMode")), "Agentless");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "Paused");
    assert_string_equal(json_string_value(json_object_get(o, "createdAt")),
                        "2025-12-08T09:17:21.090Z");
    assert_string_equal(json_string_value(json_object_get(o, "campaignInstanceUpdatedAt")),
                        "2025-12-08T09:17:37.928Z");
    assert_true(json_is_false(json_object_get(o, "isFiltersEnabled")));
    assert_null(json_object_get(o, "isImported"));
    json_decref(o);

    /* The export element: "type" first, then the item. */
    o = campaign_render_export(&c);
    char want2[1100];
    snprintf(want2, sizeof want2, "type,%s", want);
    assert_keys(o, want2);
    assert_string_equal(json_string_value(json_object_get(o, "type")), "voice");
    json_decref(o);
    campaign_clear(&c);
}

static void test_render_sms_key_order(void **state)
{
    (void)state;
    struct campaign c;
    full_sms(&c);
    json_t *o = campaign_render_item(&c);
    char want[1024];
    join(SMS_KEYS, want, sizeof want);
    assert_keys(o, want);
    /* The documented sample's order for message; sms dncLists carry no id. */
    assert_keys(json_object_get(o, "message"), "template_name,message,templateId");
    assert_keys(json_object_get(o, "dncLists"), "name");
    assert_keys(json_object_get(o, "schedule"), "isSchedulingEnabled,isRecurrenceEnabled");
    assert_string_equal(json_string_value(json_object_get(o, "id")), CD_ID);
    assert_string_equal(json_string_value(json_object_get(o, "priority")), "1");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "Stopped");
    assert_int_equal(json_integer_value(json_object_get(o, "totalMessagesSent")), 7);
    assert_null(json_object_get(o, "_id"));
    assert_null(json_object_get(o, "dialingMode"));
    json_decref(o);
    o = campaign_render_export(&c);
    assert_string_equal(json_string_value(json_object_get(o, "type")), "sms");
    assert_string_equal(json_object_iter_key(json_object_iter(o)), "type");
    json_decref(o);
    campaign_clear(&c);
}

static void test_render_message_subsets(void **state)
{
    (void)state;
    struct campaign c;
    full_sms(&c);
    json_object_set_new(c.doc, "message", jsq("{'message':'TWVz%xxxxx'}"));
    json_t *o = campaign_render_item(&c);
    assert_keys(json_object_get(o, "message"), "message");
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "message"),
                                                          "message")),
                        "TWVz%xxxxx");
    json_decref(o);
    json_object_set_new(c.doc, "message", jsq("{'templateId':'" CMT_ID "','message':'m'}"));
    o = campaign_render_item(&c);
    assert_keys(json_object_get(o, "message"), "message,templateId");
    json_decref(o);
    json_object_set_new(c.doc, "schedule", jsq("{'isSchedulingEnabled':false}"));
    o = campaign_render_item(&c);
    assert_keys(json_object_get(o, "schedule"), "isSchedulingEnabled");
    json_decref(o);
    campaign_clear(&c);
}

static void test_render_omits_absent(void **state)
{
    (void)state;
    struct campaign c;
    campaign_init(&c);
    c.type = CTYPE_VOICE;
    memcpy(c.id, CD_ID, sizeof CD_ID);
    c.name = xstrdup("Minimal");
    json_t *o = campaign_render_item(&c);
    assert_keys(o, "_id,name,priority,status");
    assert_string_equal(json_string_value(json_object_get(o, "priority")), "5");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "Ready");
    json_decref(o);
    c.type = CTYPE_SMS;
    o = campaign_render_item(&c);
    assert_keys(o, "name,status,priority,id");
    json_decref(o);
    /* Just the times. */
    c.updated_at = ms_of("2025-12-01T00:00:00Z");
    o = campaign_render_item(&c);
    assert_keys(o, "name,status,priority,updatedAt,id");
    json_decref(o);
    c.type = CTYPE_VOICE;
    c.instance_updated_at = ms_of("2025-12-02T00:00:00Z");
    o = campaign_render_item(&c);
    assert_keys(o, "_id,name,priority,status,updatedAt,campaignInstanceUpdatedAt");
    json_decref(o);
    campaign_clear(&c);
}

static void test_render_priority_status_mode(void **state)
{
    (void)state;
    struct campaign c;
    full_voice(&c);
    for (int p = 1; p <= 5; p++) {
        c.priority = p;
        char want[2] = {(char)('0' + p), '\0'};
        for (int t = 0; t < 2; t++) {
            c.type = t ? CTYPE_SMS : CTYPE_VOICE;
            json_t *o = campaign_render_item(&c);
            json_t *v = json_object_get(o, "priority");
            assert_true(json_is_string(v));
            assert_string_equal(json_string_value(v), want);
            json_decref(o);
        }
    }
    c.type = CTYPE_VOICE;
    static const char *const statuses[] = {"Active",  "Completed", "Ready",     "Paused",
                                           "Preparing", "Stopped", "Scheduled", "Rescheduled"};
    for (int s = 0; s < CSTATUS_COUNT; s++) {
        c.status = (enum cstatus)s;
        json_t *o = campaign_render_item(&c);
        assert_string_equal(json_string_value(json_object_get(o, "status")), statuses[s]);
        assert_int_equal(campaign_status_parse(statuses[s]), s);
        assert_string_equal(campaign_status_name((enum cstatus)s), statuses[s]);
        json_decref(o);
    }
    static const char *const modes[] = {NULL, "Progressive", "Preview", "Agentless"};
    for (int m = 0; m < CMODE_COUNT; m++) {
        c.mode = (enum cmode)m;
        json_t *o = campaign_render_item(&c);
        if (m == CMODE_NONE) {
            assert_null(json_object_get(o, "dialingMode"));
        } else {
            assert_string_equal(json_string_value(json_object_get(o, "dialingMode")), modes[m]);
            assert_int_equal(campaign_mode_parse(modes[m]), m);
        }
        json_decref(o);
    }
    campaign_clear(&c);
}

/* Every documented sample imports, keeps the documented order when rendered,
 * and exports back to itself (contract §6: export after import gives back
 * the imported objects, key for key). */
static void test_samples_round_trip(void **state)
{
    (void)state;
    json_error_t je;
    json_t *all = json_loads(asset_text("demo/samples.json"), JSON_REJECT_DUPLICATES, &je);
    assert_non_null(all);
    assert_true(json_array_size(all) >= 12);
    size_t i;
    json_t *el;
    json_array_foreach(all, i, el) {
        struct campaign c;
        struct apierr e;
        campaign_init(&c);
        apierr_init(&e);
        char where[32];
        snprintf(where, sizeof where, "[%zu]", i);
        int rc = campaign_from_item(el, where, &c, &e);
        char f[1024];
        fields_of(&e, f, sizeof f);
        if (rc != 0)
            fail_msg("sample %zu rejected: %s", i, f);
        assert_int_equal(apierr_count(&e), 0);
        apierr_clear(&e);
        json_t *item = campaign_render_item(&c);
        assert_documented_order(item, c.type == CTYPE_VOICE ? VOICE_KEYS : SMS_KEYS);
        json_t *msg = json_object_get(item, "message");
        if (msg != NULL) {
            static const char *const mk[] = {"template_name", "message", "templateId", NULL};
            assert_documented_order(msg, mk);
        }
        json_t *exp = campaign_render_export(&c);
        if (!json_equal(exp, el)) {
            char *a = json_dumps(exp, JSON_COMPACT), *b = json_dumps(el, JSON_COMPACT);
            fail_msg("sample %zu exports as\n%s\nnot\n%s", i, a, b);
        }
        /* Samples already in documented order export key for key. */
        if (i == 0 || i == 5) {
            char k1[1024], k2[1024];
            keys_of(exp, k1, sizeof k1);
            keys_of(el, k2, sizeof k2);
            assert_string_equal(k1, k2);
        }
        json_decref(exp);
        json_decref(item);
        campaign_clear(&c);
    }
    json_decref(all);
}

/* ---- import: valid items ------------------------------------------------- */

static void test_import_defaults(void **state)
{
    (void)state;
    struct campaign c;
    import_ok("{'type':'voice','name':'Only a name'}", &c);
    assert_int_equal(c.type, CTYPE_VOICE);
    assert_string_equal(c.name, "Only a name");
    assert_int_equal(c.status, CSTATUS_READY);
    assert_int_equal(c.priority, 5);
    assert_int_equal(c.mode, CMODE_NONE);
    assert_string_equal(c.id, "");
    assert_true(c.created_at == CAMPAIGN_NO_TIME);
    assert_true(c.updated_at == CAMPAIGN_NO_TIME);
    assert_true(c.instance_updated_at == CAMPAIGN_NO_TIME);
    assert_null(c.dnc);
    assert_null(c.contact_lists);
    assert_true(json_is_true(json_object_get(c.doc, "isImported")));
    assert_int_equal(json_object_size(c.doc), 1);
    campaign_clear(&c);

    import_ok("{'type':'sms','name':'S'}", &c);
    assert_int_equal(c.type, CTYPE_SMS);
    assert_int_equal(c.status, CSTATUS_READY);
    assert_int_equal(c.priority, 5);
    assert_int_equal(json_object_size(c.doc), 1);
    campaign_clear(&c);

    /* null means absent. */
    import_ok("{'type':'voice','name':'N','_id':null,'description':null,'dncLists':null,"
              "'priority':null,'dialingMode':null,'status':null,'isFiltersEnabled':null,"
              "'createdAt':null,'updatedAt':null,'campaignInstanceUpdatedAt':null,"
              "'schedule':null,'connection':null,'contactLists':null}",
              &c);
    assert_int_equal(c.priority, 5);
    assert_int_equal(c.status, CSTATUS_READY);
    assert_string_equal(c.id, "");
    assert_null(c.dnc);
    assert_int_equal(json_object_size(c.doc), 1);
    campaign_clear(&c);
    import_ok("{'type':'sms','name':'N','id':null,'message':null,'experienceFlow':null,"
              "'campaignInstanceId':null,'totalMessagesSent':null,'campaignExecutionType':null,"
              "'format':null}",
              &c);
    assert_int_equal(json_object_size(c.doc), 1);
    campaign_clear(&c);
}

static void test_import_values(void **state)
{
    (void)state;
    struct campaign c;
    import_ok("{'type':'voice','_id':'" CD_ID "','name':'V','description':'d',"
              "'dncLists':{'id':'" CL_ID "','name':'DNC'},'priority':'2',"
              "'dialingMode':'Progressive','status':'Scheduled','isFiltersEnabled':true,"
              "'createdAt':'2025-12-08T14:47:21.090+05:30','updatedAt':'2025-12-08',"
              "'campaignInstanceUpdatedAt':'2025-12-08T09:17:37.9279999Z',"
              "'schedule':{'isRecurrenceEnabled':false,'isSchedulingEnabled':true},"
              "'connection':'Default Queue','contactLists':['A','b']}",
              &c);
    assert_string_equal(c.id, CD_ID);
    assert_int_equal(c.priority, 2);
    assert_int_equal(c.mode, CMODE_PROGRESSIVE);
    assert_int_equal(c.status, CSTATUS_SCHEDULED);
    assert_int_equal(c.created_at, ms_of("2025-12-08T09:17:21.090Z"));
    assert_int_equal(c.updated_at, ms_of("2025-12-08T00:00:00Z"));
    assert_int_equal(c.instance_updated_at, ms_of("2025-12-08T09:17:37.927Z"));
    assert_string_equal(json_string_value(json_object_get(c.dnc, "id")), CL_ID);
    assert_string_equal(json_string_value(json_object_get(c.dnc, "name")), "DNC");
    assert_int_equal(json_array_size(c.contact_lists), 2);
    json_t *o = campaign_render_item(&c);
    assert_string_equal(json_string_value(json_object_get(o, "createdAt")),
                        "2025-12-08T09:17:21.090Z");
    assert_string_equal(json_string_value(json_object_get(o, "updatedAt")),
                        "2025-12-08T00:00:00.000Z");
    assert_keys(json_object_get(o, "schedule"), "isSchedulingEnabled,isRecurrenceEnabled");
    assert_string_equal(json_string_value(json_object_get(o, "priority")), "2");
    json_decref(o);
    campaign_clear(&c);

    import_ok("{'type':'voice','name':'V','priority':1}", &c);
    assert_int_equal(c.priority, 1);
    campaign_clear(&c);
    import_ok("{'type':'voice','name':'V','dncLists':{'name':'only a name'}}", &c);
    assert_null(json_object_get(c.dnc, "id"));
    campaign_clear(&c);

    import_ok("{'type':'sms','id':'" CD_ID "','name':'S','status':'Completed',"
              "'dncLists':{'name':'testdnc'},'priority':4,"
              "'message':{'template_name':'Welcome','message':'R3Jl','templateId':'" CMT_ID "'},"
              "'campaignInstanceId':'" CID_ID "','totalMessagesSent':12,"
              "'campaignExecutionType':'NORMAL','format':'simple','contactLists':[]}",
              &c);
    assert_string_equal(c.id, CD_ID);
    assert_int_equal(c.priority, 4);
    assert_int_equal(c.status, CSTATUS_COMPLETED);
    assert_int_equal(json_integer_value(json_object_get(c.doc, "totalMessagesSent")), 12);
    assert_string_equal(json_string_value(json_object_get(c.doc, "format")), "simple");
    assert_int_equal(json_array_size(c.contact_lists), 0);
    campaign_clear(&c);
    import_ok("{'type':'sms','name':'S','experienceFlow':'" CF_ID "','format':'advanced',"
              "'totalMessagesSent':0}",
              &c);
    assert_string_equal(json_string_value(json_object_get(c.doc, "experienceFlow")), CF_ID);
    campaign_clear(&c);
}

/* ---- import: invalid items ----------------------------------------------- */

static void test_import_not_an_object_or_no_type(void **state)
{
    (void)state;
    import_bad("[]", "[0]");
    import_bad("'voice'", "[0]");
    import_bad("null", "[0]");
    import_bad("{}", "[0].type");
    import_bad("{'name':'N'}", "[0].type");
    import_bad("{'type':null,'name':'N'}", "[0].type");
    import_bad("{'type':'Voice','name':'N'}", "[0].type");
    import_bad("{'type':'email','name':'N'}", "[0].type");
    import_bad("{'type':1,'name':'N'}", "[0].type");
    import_bad("{'type':['sms'],'name':'N'}", "[0].type");

    /* `where` prefixes every field. */
    struct campaign c;
    struct apierr e;
    assert_int_equal(import("{'type':'voice','name':'N','priority':9}", "[12]", &c, &e), -1);
    char f[256];
    fields_of(&e, f, sizeof f);
    assert_string_equal(f, "[12].priority");
    apierr_clear(&e);
    campaign_clear(&c);
}

static void test_import_name(void **state)
{
    (void)state;
    import_bad("{'type':'voice'}", "[0].name");
    import_bad("{'type':'sms','name':null}", "[0].name");
    import_bad("{'type':'voice','name':''}", "[0].name");
    import_bad("{'type':'voice','name':'   '}", "[0].name");
    import_bad("{'type':'voice','name':'a\\tb'}", "[0].name");
    import_bad("{'type':'voice','name':'a\\u007fb'}", "[0].name");
    import_bad("{'type':'voice','name':1}", "[0].name");
    import_bad("{'type':'voice','name':['N']}", "[0].name");
    import_bad("{'type':'voice','name':'123456789012345678901234567890123456789012345678X'}",
               "[0].name");
    struct campaign c;
    import_ok("{'type':'voice','name':'123456789012345678901234567890123456789012345678'}", &c);
    campaign_clear(&c);
}

static void test_import_priority_status_mode(void **state)
{
    (void)state;
    static const char *const bad_prio[] = {"0", "6", "'0'", "'6'", "'five'", "''", "5.0",
                                           "5.5", "true", "-1", "'-1'", "' 5'", "[5]", "{}",
                                           "'05 '"};
    for (size_t i = 0; i < sizeof bad_prio / sizeof bad_prio[0]; i++) {
        char item[128];
        snprintf(item, sizeof item, "{'type':'voice','name':'N','priority':%s}", bad_prio[i]);
        import_bad(item, "[0].priority");
        snprintf(item, sizeof item, "{'type':'sms','name':'N','priority':%s}", bad_prio[i]);
        import_bad(item, "[0].priority");
    }
    import_bad("{'type':'voice','name':'N','status':'ready'}", "[0].status");
    import_bad("{'type':'voice','name':'N','status':'Running'}", "[0].status");
    import_bad("{'type':'sms','name':'N','status':2}", "[0].status");
    import_bad("{'type':'voice','name':'N','dialingMode':'preview'}", "[0].dialingMode");
    import_bad("{'type':'voice','name':'N','dialingMode':'Manual'}", "[0].dialingMode");
    import_bad("{'type':'voice','name':'N','dialingMode':1}", "[0].dialingMode");
}

/* README: priority may be "1"…"5" or 1…5.  A zero-padded string is neither,
 * and would not export back as given (contract §6: export after import gives
 * back the imported objects). */
static void test_import_priority_zero_padded(void **state)
{
    (void)state;
    import_bad("{'type':'voice','name':'N','priority':'05'}", "[0].priority");
    import_bad("{'type':'sms','name':'N','priority':'001'}", "[0].priority");
}

static void test_import_ids(void **state)
{
    (void)state;
    import_bad("{'type':'voice','name':'N','_id':'cd-XYZ'}", "[0]._id");
    import_bad("{'type':'voice','name':'N','_id':'CD-0B6E3F1C-9A2D-4C8E-B1F0-7D3A5E9C2B41'}",
               "[0]._id");
    import_bad("{'type':'voice','name':'N','_id':'" CL_ID "'}", "[0]._id");
    import_bad("{'type':'voice','name':'N','_id':'cd-c1b940c-7012-4e7d-98d9-4707177xxxxx'}",
               "[0]._id");
    import_bad("{'type':'voice','name':'N','_id':''}", "[0]._id");
    import_bad("{'type':'voice','name':'N','_id':5}", "[0]._id");
    import_bad("{'type':'sms','name':'N','id':'cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b4'}",
               "[0].id");
    import_bad("{'type':'sms','name':'N','experienceFlow':'" CD_ID "'}", "[0].experienceFlow");
    import_bad("{'type':'sms','name':'N','experienceFlow':'cf-bad'}", "[0].experienceFlow");
    import_bad("{'type':'sms','name':'N','campaignInstanceId':'" CD_ID "'}",
               "[0].campaignInstanceId");
    import_bad("{'type':'sms','name':'N','message':{'message':'m','templateId':'cmt-1'}}",
               "[0].message.templateId");
    import_bad("{'type':'sms','name':'N','message':{'message':'m','templateId':'" CF_ID "'}}",
               "[0].message.templateId");
    /* The id key of the other type is not a key of this one. */
    import_bad("{'type':'voice','name':'N','id':'" CD_ID "'}", "[0].id");
    import_bad("{'type':'sms','name':'N','_id':'" CD_ID "'}", "[0]._id");
}

static void test_import_dnc(void **state)
{
    (void)state;
    import_bad("{'type':'voice','name':'N','dncLists':'DNC'}", "[0].dncLists");
    import_bad("{'type':'voice','name':'N','dncLists':['DNC']}", "[0].dncLists");
    import_bad("{'type':'voice','name':'N','dncLists':{'id':'bad','name':'DNC'}}",
               "[0].dncLists.id");
    import_bad("{'type':'voice','name':'N','dncLists':{'id':'" CD_ID "','name':'DNC'}}",
               "[0].dncLists.id");
    import_bad("{'type':'voice','name':'N','dncLists':{'id':5,'name':'DNC'}}",
               "[0].dncLists.id");
    import_bad("{'type':'voice','name':'N','dncLists':{'id':'" CL_ID "'}}", "[0].dncLists.name");
    import_bad("{'type':'voice','name':'N','dncLists':{}}", "[0].dncLists.name");
    import_bad("{'type':'voice','name':'N','dncLists':{'name':''}}", "[0].dncLists.name");
    import_bad("{'type':'voice','name':'N','dncLists':{'name':7}}", "[0].dncLists.name");
    import_bad("{'type':'voice','name':'N','dncLists':{'name':'D','foo':1}}",
               "[0].dncLists.foo");
    import_bad("{'type':'sms','name':'N','dncLists':{'id':'" CL_ID "','name':'D'}}",
               "[0].dncLists.id");
}

static void test_import_contact_lists(void **state)
{
    (void)state;
    import_bad("{'type':'voice','name':'N','contactLists':'CL'}", "[0].contactLists");
    import_bad("{'type':'voice','name':'N','contactLists':{'0':'CL'}}", "[0].contactLists");
    import_bad("{'type':'voice','name':'N','contactLists':[1]}", "[0].contactLists[0]");
    import_bad("{'type':'voice','name':'N','contactLists':['ok','',null,' ']}",
               "[0].contactLists[1],[0].contactLists[2],[0].contactLists[3]");
    char item[2048];
    size_t n = (size_t)snprintf(item, sizeof item, "{'type':'sms','name':'N','contactLists':[");
    for (int i = 0; i < 65; i++)
        n += (size_t)snprintf(item + n, sizeof item - n, "%s'L%d'", i ? "," : "", i);
    snprintf(item + n, sizeof item - n, "]}");
    import_bad(item, "[0].contactLists");
}

static void test_import_times_and_texts(void **state)
{
    (void)state;
    import_bad("{'type':'voice','name':'N','createdAt':'2025-13-01'}", "[0].createdAt");
    import_bad("{'type':'voice','name':'N','createdAt':1765185441090}", "[0].createdAt");
    import_bad("{'type':'voice','name':'N','updatedAt':'yesterday'}", "[0].updatedAt");
    import_bad("{'type':'sms','name':'N','campaignInstanceUpdatedAt':'2025-12-05T09:31:52'}",
               "[0].campaignInstanceUpdatedAt");
    import_bad("{'type':'voice','name':'N','createdAt':''}", "[0].createdAt");
    import_bad("{'type':'voice','name':'N','description':5}", "[0].description");
    char item[512];
    snprintf(item, sizeof item, "{'type':'voice','name':'N','description':'%0257d'}", 0);
    import_bad(item, "[0].description");
    struct campaign c;
    snprintf(item, sizeof item, "{'type':'voice','name':'N','description':'%0256d'}", 0);
    import_ok(item, &c);
    campaign_clear(&c);
    import_bad("{'type':'voice','name':'N','connection':5}", "[0].connection");
    import_bad("{'type':'voice','name':'N','isFiltersEnabled':'false'}", "[0].isFiltersEnabled");
    import_bad("{'type':'voice','name':'N','isFiltersEnabled':0}", "[0].isFiltersEnabled");
    import_bad("{'type':'sms','name':'N','campaignExecutionType':1}",
               "[0].campaignExecutionType");
    import_bad("{'type':'sms','name':'N','format':'Simple'}", "[0].format");
    import_bad("{'type':'sms','name':'N','format':1}", "[0].format");
    import_bad("{'type':'sms','name':'N','totalMessagesSent':-1}", "[0].totalMessagesSent");
    import_bad("{'type':'sms','name':'N','totalMessagesSent':'0'}", "[0].totalMessagesSent");
    import_bad("{'type':'sms','name':'N','totalMessagesSent':1.5}", "[0].totalMessagesSent");
}

static void test_import_objects(void **state)
{
    (void)state;
    import_bad("{'type':'voice','name':'N','schedule':true}", "[0].schedule");
    import_bad("{'type':'voice','name':'N','schedule':{'isSchedulingEnabled':'false'}}",
               "[0].schedule.isSchedulingEnabled");
    import_bad("{'type':'sms','name':'N','schedule':{'isRecurrenceEnabled':null}}",
               "[0].schedule.isRecurrenceEnabled");
    import_bad("{'type':'voice','name':'N','schedule':{'foo':true}}", "[0].schedule.foo");
    import_bad("{'type':'sms','name':'N','message':'hello'}", "[0].message");
    import_bad("{'type':'sms','name':'N','message':{'message':5}}", "[0].message.message");
    import_bad("{'type':'sms','name':'N','message':{'message':'m','foo':'x'}}",
               "[0].message.foo");
    import_bad("{'type':'sms','name':'N','message':{'template_name':true}}",
               "[0].message.template_name,[0].message.message");
}

/* contract §4: an SMS message is {message, template_name?, templateId?}: the
 * text itself is not optional. */
static void test_import_message_requires_text(void **state)
{
    (void)state;
    import_bad("{'type':'sms','name':'N','message':{}}", "[0].message.message");
    import_bad("{'type':'sms','name':'N','message':{'template_name':'Welcome'}}",
               "[0].message.message");
}

static void test_import_unknown_keys(void **state)
{
    (void)state;
    import_bad("{'type':'voice','name':'N','foo':1}", "[0].foo");
    import_bad("{'type':'voice','name':'N','isImported':true}", "[0].isImported");
    import_bad("{'type':'voice','name':'N','Name':'N'}", "[0].Name");
    /* Keys of the other type. */
    import_bad("{'type':'voice','name':'N','message':{'message':'m'}}", "[0].message");
    import_bad("{'type':'voice','name':'N','format':'simple'}", "[0].format");
    import_bad("{'type':'voice','name':'N','totalMessagesSent':0}", "[0].totalMessagesSent");
    import_bad("{'type':'sms','name':'N','dialingMode':'Preview'}", "[0].dialingMode");
    import_bad("{'type':'sms','name':'N','isFiltersEnabled':false}", "[0].isFiltersEnabled");
    import_bad("{'type':'sms','name':'N','connection':'Default Queue'}", "[0].connection");
    /* Unknown even when null. */
    import_bad("{'type':'sms','name':'N','foo':null}", "[0].foo");
}

static void test_import_all_errors_collected(void **state)
{
    (void)state;
    import_bad("{'type':'voice','foo':1,'name':'','_id':'x','status':'ready','priority':0,"
               "'createdAt':'x','updatedAt':'y','campaignInstanceUpdatedAt':'z',"
               "'dncLists':{'name':'D','bar':2},'contactLists':[''],'description':1,"
               "'schedule':{'x':true},'dialingMode':'p','isFiltersEnabled':1,'connection':2}",
               "[0].foo,[0].name,[0]._id,[0].status,[0].priority,[0].createdAt,[0].updatedAt,"
               "[0].campaignInstanceUpdatedAt,[0].dncLists.bar,[0].contactLists[0],"
               "[0].description,[0].schedule.x,[0].dialingMode,[0].isFiltersEnabled,"
               "[0].connection");
    import_bad("{'type':'sms','name':1,'id':1,'message':{'templateId':'x'},"
               "'experienceFlow':'x','campaignInstanceId':'x','campaignExecutionType':1,"
               "'format':'x','totalMessagesSent':-5}",
               "[0].name,[0].id,[0].message.message,[0].experienceFlow,"
               "[0].campaignInstanceId,[0].campaignExecutionType,[0].format,"
               "[0].totalMessagesSent,[0].message.templateId");
}

static void test_parsers(void **state)
{
    (void)state;
    assert_int_equal(campaign_type_parse("voice"), CTYPE_VOICE);
    assert_int_equal(campaign_type_parse("sms"), CTYPE_SMS);
    assert_int_equal(campaign_type_parse("SMS"), -1);
    assert_int_equal(campaign_type_parse(""), -1);
    assert_string_equal(campaign_type_name(CTYPE_VOICE), "voice");
    assert_string_equal(campaign_type_name(CTYPE_SMS), "sms");
    assert_int_equal(campaign_status_parse("ready"), -1);
    assert_int_equal(campaign_status_parse(""), -1);
    assert_int_equal(campaign_mode_parse(""), -1); /* "" is CMODE_NONE's name, not a value */
    assert_int_equal(campaign_mode_parse("preview"), -1);
    static const struct {
        const char *json;
        int want;
    } prio[] = {
        {"1", 1}, {"5", 5}, {"\"1\"", 1}, {"\"5\"", 5}, {"\"3\"", 3}, {"0", -1}, {"6", -1},
        {"\"0\"", -1}, {"\"6\"", -1}, {"\"\"", -1}, {"\"1 \"", -1}, {"1.0", -1}, {"null", -1},
        {"true", -1}, {"\"4294967301\"", -1}, {"4294967301", -1}, {"-4", -1},
    };
    for (size_t i = 0; i < sizeof prio / sizeof prio[0]; i++) {
        json_t *v = json_loads(prio[i].json, JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        if (campaign_priority_parse(v) != prio[i].want)
            fail_msg("campaign_priority_parse(%s) != %d", prio[i].json, prio[i].want);
        json_decref(v);
    }
    assert_int_equal(campaign_priority_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_voice_key_order),
        cmocka_unit_test(test_render_sms_key_order),
        cmocka_unit_test(test_render_message_subsets),
        cmocka_unit_test(test_render_omits_absent),
        cmocka_unit_test(test_render_priority_status_mode),
        cmocka_unit_test(test_samples_round_trip),
        cmocka_unit_test(test_import_defaults),
        cmocka_unit_test(test_import_values),
        cmocka_unit_test(test_import_not_an_object_or_no_type),
        cmocka_unit_test(test_import_name),
        cmocka_unit_test(test_import_priority_status_mode),
        cmocka_unit_test(test_import_priority_zero_padded),
        cmocka_unit_test(test_import_ids),
        cmocka_unit_test(test_import_dnc),
        cmocka_unit_test(test_import_contact_lists),
        cmocka_unit_test(test_import_times_and_texts),
        cmocka_unit_test(test_import_objects),
        cmocka_unit_test(test_import_message_requires_text),
        cmocka_unit_test(test_import_unknown_keys),
        cmocka_unit_test(test_import_all_errors_collected),
        cmocka_unit_test(test_parsers),
    };
    return unit_run(tests);
}
