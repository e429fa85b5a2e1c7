/* test_store.c - the store on an in-memory SQLite database, through its
 * results: what each operation returns and records (struct store_err), and
 * what api_store.c makes of it (status, sentence, every field).  The
 * black-box suite sees the same answers over HTTP; this pins the layer
 * between. */
#include "testutil.h"
#include "api_store.h"
#include "apierr.h"
#include "campaign.h"
#include "store.h"

struct fixture {
    struct store *st;
    int64_t app;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct store_err e = STORE_ERR_INIT;
    struct store_creds cr;
    f->st = store_open(":memory:", 1, &e);
    assert_non_null(f->st);
    assert_int_equal(store_app_create(f->st, "acct", NULL, "t", SCOPE_CAMPAIGNS, &cr, &e),
                     STORE_OK);
    assert_int_equal(store_app_find(f->st, "acct", cr.stream_id, &f->app, &e), STORE_OK);
    assert_int_equal(e.n, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    free(f);
    return 0;
}

/* The errors list of e as "field|msg;" ("-" for no field), for one exact
 * comparison: an extra or missing entry fails. */
static void errors_of(const struct apierr *e, char *out, size_t cap)
{
    json_t *body = apierr_body(e);
    json_t *errs = json_object_get(body, "errors");
    size_t i, len = 0;
    json_t *it;
    out[0] = '\0';
    json_array_foreach(errs, i, it) {
        const char *field = json_string_value(json_object_get(it, "field"));
        len += (size_t)snprintf(out + len, cap - len, "%s|%s;", field ? field : "-",
                                json_string_value(json_object_get(it, "msg")));
    }
    json_decref(body);
}

/* Maps se and checks status, message and the exact error list. */
static void expect(struct store_err *se, int status, const char *message, const char *fields)
{
    struct apierr e;
    apierr_init(&e);
    assert_int_equal(api_store_error(se, &e), -1);
    assert_int_equal(se->n, 0); /* cleared */
    assert_int_equal(e.status, status);
    assert_string_equal(apierr_message(&e), message);
    char got[1024];
    errors_of(&e, got, sizeof got);
    assert_string_equal(got, fields);
    apierr_clear(&e);
}

static void test_open_refuses_an_empty_path(void **state)
{
    (void)state;
    struct store_err e = STORE_ERR_INIT;
    assert_null(store_open("sqlite:", 1, &e));
    assert_int_equal(e.rc, STORE_INVALID);
    assert_int_equal(e.p[0].what, SW_DB_PATH);
    expect(&e, 400, "The database path is empty", "");
}

static void test_unknown_objects_are_not_found(void **state)
{
    struct fixture *f = *state;
    struct store_err e = STORE_ERR_INIT;
    struct campaign cp;
    campaign_init(&cp);
    const char *cd = "cd-00000000-0000-4000-8000-000000000000";
    assert_int_equal(store_campaign_get(f->st, f->app, cd, &cp, &e), STORE_NOT_FOUND);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.p[0].what, SW_CAMPAIGN);
    assert_string_equal(e.p[0].a, cd);
    char msg[128], fields[160];
    snprintf(msg, sizeof msg, "Campaign %s not found", cd);
    snprintf(fields, sizeof fields, "-|There is no campaign %s;", cd);
    expect(&e, 404, msg, fields);
    campaign_clear(&cp);

    char id[IDS_MAX + 1];
    assert_int_equal(store_campaign_find(f->st, f->app, "Nope", -1, id, &e), STORE_NOT_FOUND);
    expect(&e, 404, "There is no campaign of that name",
           "query.campaignName|There is no campaign of that name;");

    struct clist l;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_get(f->st, f->app, "cl-x", &l, &e), STORE_NOT_FOUND);
    expect(&e, 404, "Contact list cl-x not found", "-|There is no contact list cl-x;");

    /* Another tenant's key sees nothing. */
    int64_t v;
    assert_int_equal(store_tenant_version(f->st, f->app + 1000, &v, &e), STORE_NOT_FOUND);
    expect(&e, 404, "Unknown app", "");
}

static void test_list_name_conflict(void **state)
{
    struct fixture *f = *state;
    struct store_err e = STORE_ERR_INIT;
    struct clist_fields lf = {"Leads", "d", 0};
    struct clist a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    assert_int_equal(store_list_create(f->st, f->app, "cs-1", &lf, &a, &e), STORE_OK);
    struct clist_fields again = {"LEADS", "d", 0}; /* names compare case-insensitively */
    assert_int_equal(store_list_create(f->st, f->app, "cs-1", &again, &b, &e), STORE_CONFLICT);
    assert_int_equal(e.p[0].what, SW_LIST_TAKEN);
    expect(&e, 409, "A contact list named LEADS already exists",
           "name|is already the name of another contact list;");
    clist_clear(&a);
    clist_clear(&b);
}

/* An SMS campaign as the create route builds it. */
static void sms(struct campaign *cp, const char *name, const char *lists_json, const char *dnc)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{\"name\": \"%s\", \"description\": \"d\", \"contactLists\": %s,%s%s%s"
             " \"campaignType\": \"sms\", \"priority\": \"5\", \"format\": \"simple\","
             " \"message\": {\"message\": \"SGVsbG8=\"},"
             " \"dialingStrategy\": {\"callerId\": {\"phoneNumber\": \"+14155550100\"},"
             " \"callingHours\": {\"frequency\": \"WEEKLY\", \"timezone\": \"UTC\","
             " \"days\": [{\"day\": \"MO\", \"start\": \"9:00 AM\", \"end\": \"6:00 PM\"}]}},"
             " \"schedule\": {\"isSchedulingEnabled\": false}}",
             name, lists_json, dnc ? " \"dncLists\": {\"name\": \"" : "", dnc ? dnc : "",
             dnc ? "\"}," : "");
    json_t *body = json_loads(text, 0, NULL);
    assert_non_null(body);
    struct apierr e;
    apierr_init(&e);
    campaign_init(cp);
    cp->type = CTYPE_SMS;
    cp->status = CSTATUS_READY;
    int bad = campaign_apply_body(cp, body, 1, &e);
    bad |= campaign_complete(cp, &e);
    assert_int_equal(bad, 0);
    apierr_clear(&e);
    json_decref(body);
}

static void test_bad_references_are_all_reported(void **state)
{
    struct fixture *f = *state;
    struct store_err e = STORE_ERR_INIT;
    struct clist_fields lf = {"Known", "d", 0};
    struct clist l;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_create(f->st, f->app, "cs-1", &lf, &l, &e), STORE_OK);
    clist_clear(&l);
    struct campaign cp;
    sms(&cp, "Refs", "[\"Known\", \"Missing\"]", "Gone");
    assert_int_equal(store_campaign_create(f->st, f->app, &cp, &e), STORE_BAD_REF);
    assert_int_equal(e.n, 2);
    assert_int_equal(e.p[0].what, SW_REF_LIST);
    assert_int_equal(e.p[0].index, 1);
    assert_int_equal(e.p[1].what, SW_REF_DNC);
    expect(&e, 400, "Request validation failed",
           "contactLists[1]|there is no contact list named \"Missing\";"
           "dncLists.name|there is no contact list named \"Gone\";");
    campaign_clear(&cp);

    /* The DNC list may not also be a contact list. */
    sms(&cp, "Refs", "[\"Known\"]", "known");
    assert_int_equal(store_campaign_create(f->st, f->app, &cp, &e), STORE_BAD_REF);
    expect(&e, 400, "Request validation failed",
           "dncLists.name|\"known\" is also one of the campaign's contactLists;");
    campaign_clear(&cp);

    /* Nothing was stored by the failed creates. */
    char id[IDS_MAX + 1];
    assert_int_equal(store_campaign_find(f->st, f->app, "Refs", -1, id, &e), STORE_NOT_FOUND);
    store_err_clear(&e);
}

static void test_campaign_name_taken_and_list_in_use(void **state)
{
    struct fixture *f = *state;
    struct store_err e = STORE_ERR_INIT;
    struct clist_fields lf = {"Audience", "d", 0};
    struct clist l;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_create(f->st, f->app, "cs-1", &lf, &l, &e), STORE_OK);
    char list_id[IDS_MAX + 1];
    snprintf(list_id, sizeof list_id, "%s", l.id);
    clist_clear(&l);
    struct campaign cp;
    sms(&cp, "Spring", "[\"Audience\"]", NULL);
    assert_int_equal(store_campaign_create(f->st, f->app, &cp, &e), STORE_OK);
    campaign_clear(&cp);
    sms(&cp, "spring", "[\"Audience\"]", NULL);
    assert_int_equal(store_campaign_create(f->st, f->app, &cp, &e), STORE_CONFLICT);
    assert_int_equal(e.p[0].what, SW_CAMPAIGN_TAKEN);
    expect(&e, 409, "A sms campaign named spring already exists",
           "name|is already the name of another sms campaign;");
    campaign_clear(&cp);

    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_delete(f->st, f->app, list_id, &l, &e), STORE_CONFLICT);
    assert_int_equal(e.p[0].what, SW_LIST_IN_USE);
    expect(&e, 409, "Contact list Audience is used by campaigns: Spring",
           "-|Contact list Audience is used by campaigns: Spring;");
    clist_clear(&l);
}

static int refuse(json_t *items, void *ctx)
{
    (void)items;
    struct apierr *e = ctx;
    apierr_one(e, 400, "data", "refused");
    return -1;
}

static void test_rejected_adds_nothing_of_its_own(void **state)
{
    struct fixture *f = *state;
    struct store_err se = STORE_ERR_INIT;
    struct apierr e;
    apierr_init(&e);
    json_t *items = json_pack("[{s:s}]", "phoneNumber", "+14155550101");
    assert_int_equal(store_list_add_contacts(f->st, f->app, "Nobody", items, refuse, &e, &se),
                     STORE_NOT_FOUND);
    expect(&se, 404, "There is no contact list of that name",
           "contact_list_name|There is no contact list of that name;");
    struct clist_fields lf = {"Somebody", "d", 0};
    struct clist l;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_create(f->st, f->app, "cs-1", &lf, &l, &se), STORE_OK);
    assert_int_equal(store_list_add_contacts(f->st, f->app, "Somebody", items, refuse, &e, &se),
                     STORE_REJECTED);
    assert_int_equal(api_store_error(&se, &e), -1);
    assert_int_equal(e.status, 400); /* the callback's own answer, nothing added */
    assert_int_equal(apierr_count(&e), 1);
    json_t *rows = NULL;
    int64_t total = -1;
    assert_int_equal(store_list_contacts(f->st, f->app, l.id, 0, 10, &rows, &total, &se),
                     STORE_OK);
    assert_int_equal(total, 0); /* the refused write changed nothing */
    json_decref(rows);
    clist_clear(&l);
    json_decref(items);
    apierr_clear(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_refuses_an_empty_path),
        cmocka_unit_test_setup_teardown(test_unknown_objects_are_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_name_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_references_are_all_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_campaign_name_taken_and_list_in_use, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rejected_adds_nothing_of_its_own, setup, teardown),
    };
    return unit_run(tests);
}
