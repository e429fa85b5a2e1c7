/* test_router.c - router_match (router.h): every route of the table, under
 * both prefixes where it has both, by method + path (+ the trigger query);
 * what it captures; 404 and 405 with the Allow header; and the matching
 * rules router.h documents: exact segments (no trailing-slash, duplicate
 * slash or case normalisation), reserved literals never taken as ids, the
 * pattern with the most literal segments winning. */
#include "testutil.h"
#include "router.h"

#define S "st-0603182c-7ffb-53c3-b307-47ca14b00000"
#define V2 "/campaign/api/v2/public/" S "/campaign"
#define ALIAS "/api/v2/public/" S "/campaign"
#define V11 "/api/1.1/public/" S "/campaign"
#define ID "cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"
#define LIST "cl-68b802a0-2b99-4245-8eea-6d322a800000"

#define AUTH ROUTE_AUTH
#define BODY (ROUTE_AUTH | ROUTE_BODY)
#define BODY_OPT (ROUTE_AUTH | ROUTE_BODY_OPT)

/* ---- helpers ------------------------------------------------------------- */

/* The query parameters present, as "k1&k2=v&k3" (values are not looked at). */
static int has_query(void *ctx, const char *key)
{
    const char *q = ctx;
    size_t n = strlen(key);
    while (q != NULL && *q) {
        size_t len = strcspn(q, "&");
        size_t klen = strcspn(q, "&=");
        if (klen > len)
            klen = len;
        if (klen == n && memcmp(q, key, n) == 0)
            return 1;
        q += len;
        if (*q == '&')
            q++;
    }
    return 0;
}

/* router_match with c zeroed (as server.c does) and e initialised. */
static const struct route *match(const char *method, const char *path, const char *query,
                                 struct api_call *c, struct apierr *e)
{
    memset(c, 0, sizeof *c);
    apierr_init(e);
    return router_match(method, path, has_query, (void *)(uintptr_t)query, c, e);
}

/* The route of method + path (+ query): its handler, method and flags, the
 * stream captured and the object (NULL: not looked at, see test_every_route). */
static void expect_route(const char *method, const char *path, const char *query,
                         int (*handler)(struct api_call *), int flags, const char *stream,
                         const char *object)
{
    struct api_call c;
    struct apierr e;
    const struct route *r = match(method, path, query, &c, &e);
    if (r == NULL)
        fail_msg("%s %s?%s: %d %s (Allow \"%s\")", method, path, query ? query : "", e.status,
                 apierr_message(&e), e.allow);
    if (r->handler != handler)
        fail_msg("%s %s?%s: matched %s %s, another handler", method, path, query ? query : "",
                 r->method, r->pattern);
    assert_string_equal(r->method, method);
    assert_int_equal(r->flags, flags);
    assert_int_equal(e.status, 0);
    assert_int_equal(apierr_count(&e), 0);
    assert_string_equal(c.stream_id, stream);
    if (object != NULL)
        assert_string_equal(c.object_id, object);
    apierr_clear(&e);
}

static void expect_404(const char *method, const char *path, const char *query)
{
    struct api_call c;
    struct apierr e;
    const struct route *r = match(method, path, query, &c, &e);
    if (r != NULL)
        fail_msg("%s %s?%s: matched %s %s, expected 404", method, path, query ? query : "",
                 r->method, r->pattern);
    assert_fields(&e, 404, "-");
    assert_string_equal(apierr_message(&e), "No such route");
    assert_string_equal(e.allow, "");
    apierr_clear(&e);
}

static void expect_405(const char *method, const char *path, const char *query, const char *allow)
{
    struct api_call c;
    struct apierr e;
    const struct route *r = match(method, path, query, &c, &e);
    if (r != NULL)
        fail_msg("%s %s?%s: matched %s %s, expected 405", method, path, query ? query : "",
                 r->method, r->pattern);
    if (e.status != 405)
        fail_msg("%s %s?%s: %d %s, expected 405 (Allow %s)", method, path, query ? query : "",
                 e.status, apierr_message(&e), allow);
    assert_fields(&e, 405, "-");
    assert_string_equal(apierr_message(&e), "Method not allowed on this path");
    assert_string_equal(e.allow, allow);
    apierr_clear(&e);
}

/* ---- every route --------------------------------------------------------- */

/* The family's routes, below one prefix (router.c's CAMPAIGN_ROUTES).
 *
 * object NULL: the three contactList/<literal> routes leave in object_id
 * what the contactList/:id pattern captured while the patterns were scored
 * (the literal), not "": router.h says the path fills object_id, but no
 * handler of a route without :id reads it, so this is not pinned here. */
static const struct fcase {
    const char *method;
    const char *suffix;
    const char *query;
    int (*handler)(struct api_call *);
    int flags;
    const char *object;
} family[] = {
    {"POST", "", "campaignType=sms", api_campaign_create, BODY, ""},
    {"GET", "/" ID, NULL, api_campaign_get, AUTH, ID},
    {"PUT", "/" ID, "campaignType=voice", api_campaign_update, BODY, ID},
    {"DELETE", "/" ID, "campaignType=voice", api_campaign_delete, AUTH, ID},
    {"POST", "/" ID, "trigger=play", api_campaign_trigger, BODY_OPT, ID},
    {"POST", "/trigger/" ID, "trigger=stop", api_campaign_trigger, BODY_OPT, ID},
    {"POST", "//trigger/" ID, "trigger=play", api_campaign_trigger, BODY_OPT, ID},
    {"POST", "/" ID "/status", "view=status", api_campaign_status, BODY_OPT, ID},
    {"POST", "/schedule", "enableSchedule=true&campaignName=x", api_campaign_schedule, BODY_OPT,
     ""},
    {"POST", "/contactList/createContactList", NULL, api_clist_create, BODY, NULL},
    {"POST", "/contactList/getAllListDetails", "type=call", api_clist_get_all, BODY_OPT, NULL},
    {"GET", "/contactList/" LIST, NULL, api_clist_get, AUTH, LIST},
    {"PUT", "/contactList/" LIST, NULL, api_clist_update, BODY, LIST},
    {"DELETE", "/contactList/" LIST, NULL, api_clist_delete, AUTH, LIST},
    {"GET", "/contactList/" LIST "/getAllContacts", "limit=5", api_clist_contacts, AUTH, LIST},
    {"POST", "/contactList/addContacts", NULL, api_clist_add_contacts, BODY, NULL},
};
#define NFAMILY (sizeof family / sizeof family[0])

/* Every route, under both prefixes, and each table entry reached once. */
static void test_every_route(void **state)
{
    (void)state;
    static const char *const prefixes[] = {V2, ALIAS};
    const struct route *seen[2 * NFAMILY + 3];
    size_t nseen = 0;
    struct api_call c;
    struct apierr e;
    for (size_t p = 0; p < 2; p++) {
        for (size_t i = 0; i < NFAMILY; i++) {
            const struct fcase *f = &family[i];
            char path[512];
            snprintf(path, sizeof path, "%s%s", prefixes[p], f->suffix);
            expect_route(f->method, path, f->query, f->handler, f->flags, S, f->object);
            seen[nseen++] = match(f->method, path, f->query, &c, &e);
            apierr_clear(&e);
        }
    }
    expect_route("GET", "/healthz", NULL, api_health, 0, "", "");
    seen[nseen++] = match("GET", "/healthz", NULL, &c, &e);
    apierr_clear(&e);
    expect_route("POST", V2 "/getAllCampaignDetails", "accountId=a", api_list_campaigns, BODY, S,
                 "");
    seen[nseen++] = match("POST", V2 "/getAllCampaignDetails", NULL, &c, &e);
    apierr_clear(&e);
    expect_route("POST", V11 "/contactList/addContacts", NULL, api_clist_add_contacts, BODY, S, "");
    seen[nseen++] = match("POST", V11 "/contactList/addContacts", NULL, &c, &e);
    apierr_clear(&e);
    /* Each case reached a table entry of its own: no two share one. */
    assert_int_equal(nseen, 2 * NFAMILY + 3);
    for (size_t i = 0; i < nseen; i++)
        for (size_t j = i + 1; j < nseen; j++)
            if (seen[i] == seen[j])
                fail_msg("cases %zu and %zu reached the same route %s %s", i, j, seen[i]->method,
                         seen[i]->pattern);
}

/* The listing has no /api/v2 alias (family spec §2); the 1.1 prefix has
 * addContacts only. */
static void test_prefixes_that_do_not_exist(void **state)
{
    (void)state;
    expect_404("POST", ALIAS "/getAllCampaignDetails", "accountId=a");
    expect_404("POST", V11 "/contactList/createContactList", NULL);
    expect_404("GET", V11 "/contactList/" LIST, NULL);
    expect_404("POST", V11, "campaignType=sms");
    expect_404("POST", "/api/v1/public/" S "/campaign", NULL);
    expect_404("POST", "/campaign/api/v2/public/" S "/campaigns", NULL);
    expect_404("POST", "/campaign/api/v2/private/" S "/campaign", NULL);
    expect_404("POST", "/campaign/api/v2/public/" S, NULL);
    expect_404("GET", "/", NULL);
    expect_404("GET", "", NULL);
    expect_404("GET", "/health", NULL);
    expect_404("GET", "/healthz2", NULL);
}

/* ---- 405 and Allow -------------------------------------------------------- */

static void test_405_allow(void **state)
{
    (void)state;
    expect_405("POST", "/healthz", NULL, "GET");
    expect_405("HEAD", "/healthz", NULL, "GET");
    expect_405("get", "/healthz", NULL, "GET"); /* methods are case-sensitive */
    expect_405("GET", V2, NULL, "POST");
    expect_405("PUT", ALIAS, NULL, "POST");
    expect_405("GET", V2 "/getAllCampaignDetails", NULL, "POST");
    /* An id: POST only with ?trigger. */
    expect_405("POST", V2 "/" ID, NULL, "GET, PUT, DELETE");
    expect_405("POST", ALIAS "/" ID, "view=status", "GET, PUT, DELETE");
    expect_405("PATCH", V2 "/" ID, NULL, "GET, PUT, DELETE");
    expect_405("PATCH", V2 "/" ID, "trigger=play", "GET, PUT, DELETE, POST");
    expect_405("GET", V2 "/trigger/" ID, "trigger=play", "POST");
    expect_405("GET", V2 "//trigger/" ID, NULL, "POST");
    expect_405("GET", V2 "/" ID "/status", NULL, "POST");
    expect_405("DELETE", V2 "/schedule", NULL, "POST");
    expect_405("POST", V2 "/contactList/" LIST, NULL, "GET, PUT, DELETE");
    expect_405("PUT", V2 "/contactList/" LIST "/getAllContacts", NULL, "GET");
    expect_405("PUT", V11 "/contactList/addContacts", NULL, "POST");
    /* A literal route beats contactList/:id: its Allow is its own method, not
     * GET, PUT, DELETE of an id that happens to read "createContactList". */
    expect_405("GET", V2 "/contactList/createContactList", NULL, "POST");
    expect_405("DELETE", ALIAS "/contactList/getAllListDetails", NULL, "POST");
    expect_405("PUT", V2 "/contactList/addContacts", NULL, "POST");
}

/* ---- matching rules ------------------------------------------------------- */

/* Paths are compared segment by segment, exactly. */
static void test_no_normalisation(void **state)
{
    (void)state;
    /* Trailing slashes. */
    expect_404("GET", "/healthz/", NULL);
    expect_404("POST", V2 "/", "campaignType=sms");
    expect_404("GET", V2 "/" ID "/", NULL);
    expect_404("GET", V2 "/contactList/" LIST "/", NULL);
    expect_404("POST", V2 "/getAllCampaignDetails/", NULL);
    expect_404("POST", V2 "/" ID "/status/", NULL);
    /* Duplicate slashes: only the documented B//trigger/{id}. */
    expect_404("GET", "//healthz", NULL);
    expect_404("GET", V2 "//" ID, NULL);
    expect_404("POST", V2 "//schedule", NULL);
    expect_404("GET", V2 "/contactList//" LIST, NULL);
    expect_404("POST", V2 "///trigger/" ID, NULL);
    expect_404("POST", V2 "/trigger//" ID, NULL);
    expect_404("POST", "/campaign/api/v2/public//" S "/campaign", "campaignType=sms");
    expect_404("POST", "/campaign//api/v2/public/" S "/campaign", "campaignType=sms");
    /* Case. */
    expect_404("GET", "/HEALTHZ", NULL);
    expect_404("POST", "/Campaign/api/v2/public/" S "/campaign", "campaignType=sms");
    /* An id, not the listing. */
    expect_405("POST", V2 "/getallcampaigndetails", NULL, "GET, PUT, DELETE");
    expect_404("POST", V2 "/contactlist/createContactList", NULL);
    expect_404("POST", V2 "/Trigger/" ID, "trigger=play");
    /* Empty segments are not ids or streams. */
    expect_404("POST", "/campaign/api/v2/public//campaign", "campaignType=sms");
    expect_404("GET", V2 "/contactList/", NULL);
    expect_404("POST", V2 "/trigger/", "trigger=play");
    expect_404("POST", V2 "//status", NULL);
}

/* Reserved literals never match an :id, whatever the method or query; the
 * route they would have made is not taken, and what else the path matches
 * answers. */
static void test_reserved_are_not_ids(void **state)
{
    (void)state;
    static const char *const reserved[] = {"trigger", "schedule", "contactList",
                                           "getAllCampaignDetails"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/contactList/%s/getAllContacts", V2, reserved[i]);
        expect_404("GET", path, NULL);
        snprintf(path, sizeof path, "%s/contactList/%s", ALIAS, reserved[i]);
        expect_404("GET", path, NULL);
        snprintf(path, sizeof path, "%s/trigger/%s", V2, reserved[i]);
        expect_404("POST", path, "trigger=play");
        snprintf(path, sizeof path, "%s//trigger/%s", ALIAS, reserved[i]);
        expect_404("POST", path, "trigger=play");
    }
    expect_404("POST", V2 "/schedule/status", "view=status");
    expect_404("POST", ALIAS "/getAllCampaignDetails/status", "view=status");
    expect_404("GET", ALIAS "/trigger", NULL);
    expect_404("POST", V2 "/trigger", "trigger=play");
    expect_404("GET", V2 "/contactList", NULL);
    expect_404("DELETE", ALIAS "/contactList", NULL);
    expect_405("GET", V2 "/schedule", NULL, "POST");
    /* Not an {id}/status, but what the literal makes of the rest. */
    expect_route("POST", ALIAS "/trigger/status", "view=status", api_campaign_trigger, BODY_OPT, S,
                 "status");
    expect_405("POST", V2 "/contactList/status", "view=status", "GET, PUT, DELETE");
    expect_route("POST", V2 "/schedule", "trigger=play", api_campaign_schedule, BODY_OPT, S, "");
    /* Reserved only as whole, case-sensitive segments: these are ids. */
    expect_route("GET", V2 "/Trigger", NULL, api_campaign_get, AUTH, S, "Trigger");
    expect_route("GET", V2 "/triggers", NULL, api_campaign_get, AUTH, S, "triggers");
    expect_route("GET", V2 "/contactlist", NULL, api_campaign_get, AUTH, S, "contactlist");
    expect_route("GET", V2 "/contactList/Schedule", NULL, api_clist_get, AUTH, S, "Schedule");
    expect_route("POST", V2 "/trigger/createContactList", "trigger=play", api_campaign_trigger,
                 BODY_OPT, S, "createContactList");
    expect_route("POST", V2 "/status/status", NULL, api_campaign_status, BODY_OPT, S, "status");
}

/* The stream and object segments: any non-empty text up to 127 bytes. */
static void test_captures(void **state)
{
    (void)state;
    char seg[API_SEGMENT_MAX + 1], path[512];
    memset(seg, 'x', API_SEGMENT_MAX - 1);
    seg[API_SEGMENT_MAX - 1] = '\0';
    snprintf(path, sizeof path, "%s/%s", V2, seg);
    expect_route("GET", path, NULL, api_campaign_get, AUTH, S, seg);
    snprintf(path, sizeof path, "/campaign/api/v2/public/%s/campaign/contactList/%s", seg, seg);
    expect_route("GET", path, NULL, api_clist_get, AUTH, seg, seg);
    /* One byte more fits no segment: 404, not a truncated id. */
    seg[API_SEGMENT_MAX - 1] = 'x';
    seg[API_SEGMENT_MAX] = '\0';
    snprintf(path, sizeof path, "%s/%s", V2, seg);
    expect_404("GET", path, NULL);
    snprintf(path, sizeof path, "/api/v2/public/%s/campaign", seg);
    expect_404("POST", path, "campaignType=sms");
    /* Any bytes but '/' (the server decodes nothing in the path). */
    expect_route("GET", V2 "/a%2Fb", NULL, api_campaign_get, AUTH, S, "a%2Fb");
    expect_route("GET", V2 "/..", NULL, api_campaign_get, AUTH, S, "..");
    expect_route("GET", V2 "/id?x", NULL, api_campaign_get, AUTH, S, "id?x");
    expect_route("GET", V2 "/\xc3\xa9t\xc3\xa9", NULL, api_campaign_get, AUTH, S,
                 "\xc3\xa9t\xc3\xa9");
    expect_route("PUT", "/campaign/api/v2/public/:stream/campaign/:id", NULL, api_campaign_update,
                 BODY, ":stream", ":id");
    /* The stream is captured for every prefix, the object only where the
     * pattern has one. */
    expect_route("POST", "/api/1.1/public/x/campaign/contactList/addContacts", NULL,
                 api_clist_add_contacts, BODY, "x", "");
    expect_route("POST", "/campaign/api/v2/public/y/campaign/schedule", NULL, api_campaign_schedule,
                 BODY_OPT, "y", "");
}

/* The query decides only the POST {id} trigger route, by presence: its value
 * and the other parameters are the handler's business. */
static void test_query_presence(void **state)
{
    (void)state;
    expect_route("POST", V2 "/" ID, "trigger", api_campaign_trigger, BODY_OPT, S, ID);
    expect_route("POST", V2 "/" ID, "trigger=", api_campaign_trigger, BODY_OPT, S, ID);
    expect_route("POST", V2 "/" ID, "a=1&trigger=nonsense", api_campaign_trigger, BODY_OPT, S, ID);
    expect_405("POST", V2 "/" ID, "triggers=play", "GET, PUT, DELETE");
    expect_405("POST", V2 "/" ID, "Trigger=play", "GET, PUT, DELETE");
    expect_route("GET", V2 "/" ID, "trigger=play", api_campaign_get, AUTH, S, ID);
    expect_route("POST", V2 "/trigger/" ID, NULL, api_campaign_trigger, BODY_OPT, S, ID);
    expect_route("POST", V2, "trigger=play", api_campaign_create, BODY, S, "");
}

/* A failed match leaves no route behind; the call after it starts clean. */
static void test_404_then_match(void **state)
{
    (void)state;
    struct api_call c;
    struct apierr e;
    memset(&c, 0, sizeof c);
    apierr_init(&e);
    assert_null(router_match("GET", V2 "/a/b/c", has_query, NULL, &c, &e));
    assert_int_equal(e.status, 404);
    apierr_clear(&e);
    apierr_init(&e);
    const struct route *r = router_match("GET", V2 "/" ID, has_query, NULL, &c, &e);
    assert_non_null(r);
    assert_ptr_equal(r->handler, api_campaign_get);
    assert_string_equal(c.object_id, ID);
    assert_int_equal(e.status, 0);
    apierr_clear(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route),
        cmocka_unit_test(test_prefixes_that_do_not_exist),
        cmocka_unit_test(test_405_allow),
        cmocka_unit_test(test_no_normalisation),
        cmocka_unit_test(test_reserved_are_not_ids),
        cmocka_unit_test(test_captures),
        cmocka_unit_test(test_query_presence),
        cmocka_unit_test(test_404_then_match),
    };
    return unit_run(tests);
}
