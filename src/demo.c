/* demo.c - the demo tenants of `serve --demo`: the documented sample
 * campaigns (demo/samples.json, compiled in), under the documented account
 * and stream ids with their redacted digits replaced by zeros; and, when a
 * channel runs campaigns, a second app whose campaigns start a new run at
 * every start of the server. */
#include <stdio.h>
#include <string.h>

#include "api_store.h"
#include "asset.h"
#include "cli.h"
#include "lifecycle.h"
#include "log.h"
#include "timefmt.h"

#define DEMO_ACCOUNT "67777ce93e25326494e00000"
#define DEMO_STREAM "st-0603182c-7ffb-53c3-b307-47ca14b00000"

int demo_ensure(struct store *s, struct store_creds *creds, struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    struct apierr probe;
    apierr_init(&probe);
    int rc = api_store(store_app_first_client(s, DEMO_STREAM, creds, &se), &se, &probe);
    int missing = rc != 0 && probe.status == 404;
    if (rc != 0 && !missing)
        apierr_set(e, probe.status, "%s", apierr_message(&probe));
    apierr_clear(&probe);
    if (rc == 0)
        return 0; /* loaded by an earlier run */
    if (!missing)
        return -1;
    int64_t app_pk;
    if (api_store(store_app_create(s, DEMO_ACCOUNT, DEMO_STREAM, "campaignd demo", SCOPE_CAMPAIGNS,
                                   creds, &se),
                  &se, e) != 0 ||
        api_store(store_app_find(s, DEMO_ACCOUNT, DEMO_STREAM, &app_pk, &se), &se, e) != 0)
        return -1;
    const struct asset *demo = asset_get("demo/samples.json");
    return cli_import_text(s, app_pk, (const char *)demo->data, demo->len, e) < 0 ? -1 : 0;
}

/* ---- the runs demo (execution spec) -------------------------------------- */

/* A second app of the demo account whose two campaigns the simulator runs:
 * a voice and an SMS campaign over "Demo audience" (a few hundred contacts
 * in several time zones, the simulator's test numbers among them), without
 * the numbers of "Demo DNC".  Imported, so without calling hours: no window
 * holds them back (execution spec §3). */
#define DEMO_RUNS_STREAM "st-0603182c-7ffb-53c3-b307-47ca14b00001"
#define DEMO_RUNS_CONTACTS 300

static const char demo_runs_json[] =
    "[{\"type\": \"voice\", \"name\": \"Demo voice run\", \"description\": \"Runs on the "
    "simulator: progressive calls to the demo audience\", \"status\": \"Ready\", \"priority\": "
    "\"5\", \"dialingMode\": \"Progressive\", \"connection\": \"Default Queue\", "
    "\"contactLists\": [\"Demo audience\"], \"dncLists\": {\"name\": \"Demo DNC\"}, "
    "\"schedule\": {\"isSchedulingEnabled\": false}},"
    " {\"type\": \"sms\", \"name\": \"Demo SMS run\", \"description\": \"Runs on the simulator: "
    "one message to each of the demo audience\", \"status\": \"Ready\", \"priority\": \"4\", "
    "\"format\": \"simple\", \"message\": {\"message\": \"SGVsbG8gZnJvbSBjYW1wYWlnbmQ=\"}, "
    "\"totalMessagesSent\": 0, \"campaignExecutionType\": \"NORMAL\", \"contactLists\": "
    "[\"Demo audience\"], \"dncLists\": {\"name\": \"Demo DNC\"}, "
    "\"schedule\": {\"isSchedulingEnabled\": false, \"isRecurrenceEnabled\": false}}]";

static int accept_all(json_t *items, void *ctx)
{
    (void)items;
    (void)ctx;
    return 0;
}

/* The demo audience: numbers in five zones, and the six test numbers. */
static json_t *demo_audience(void)
{
    static const char *const zones[] = {"America/New_York", "America/Los_Angeles", "Europe/London",
                                        "Asia/Kolkata", "Australia/Sydney"};
    json_t *items = json_array();
    for (int i = 0; i < DEMO_RUNS_CONTACTS; i++) {
        char phone[24];
        snprintf(phone, sizeof phone, "+1415555%04d", 1000 + i);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "phoneNumber", phone, "timeZone",
                                               zones[i % 5], "uniqueId", phone + 8));
    }
    for (int k = 1; k <= 6; k++) {
        char phone[24];
        snprintf(phone, sizeof phone, "+1415555000%d", k);
        json_array_append_new(
            items, json_pack("{s:s, s:s}", "phoneNumber", phone, "timeZone", zones[k % 5]));
    }
    return items;
}

/* Creates the runs demo the first time; fills creds with its client. */
static int demo_runs_ensure(struct store *s, struct store_creds *creds, int64_t *app_pk,
                            struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    struct apierr probe;
    apierr_init(&probe);
    int rc = api_store(store_app_first_client(s, DEMO_RUNS_STREAM, creds, &se), &se, &probe);
    int missing = rc != 0 && probe.status == 404;
    apierr_clear(&probe);
    if (rc == 0)
        return api_store(store_app_find(s, DEMO_ACCOUNT, DEMO_RUNS_STREAM, app_pk, &se), &se, e);
    if (!missing ||
        api_store(store_app_create(s, DEMO_ACCOUNT, DEMO_RUNS_STREAM, "campaignd demo runs",
                                   SCOPE_CAMPAIGNS, creds, &se),
                  &se, e) != 0 ||
        api_store(store_app_find(s, DEMO_ACCOUNT, DEMO_RUNS_STREAM, app_pk, &se), &se, e) != 0 ||
        cli_import_text(s, *app_pk, demo_runs_json, strlen(demo_runs_json), e) < 0)
        return -1;
    json_t *audience = demo_audience();
    json_t *dnc =
        json_pack("[{s:s}, {s:s}]", "phoneNumber", "+14155551003", "phoneNumber", "+14155551007");
    rc = api_store(
        store_list_add_contacts(s, *app_pk, "Demo audience", audience, accept_all, NULL, &se), &se,
        e);
    if (rc == 0)
        rc = api_store(store_list_add_contacts(s, *app_pk, "Demo DNC", dnc, accept_all, NULL, &se),
                       &se, e);
    json_decref(audience);
    json_decref(dnc);
    return rc;
}

static int play_apply(struct campaign *c, void *arg, struct store_effect *fx)
{
    struct lc_effect lc;
    if (c->status == CSTATUS_ACTIVE || c->status == CSTATUS_PAUSED ||
        lifecycle_apply(c, LC_PLAY, NULL, timefmt_now_ms(), &lc, arg) != 0)
        return -1;
    fx->new_instance = lc.new_instance;
    fx->over_if_empty = 1;
    return 0;
}

int demo_runs_start(struct store *s, struct store_creds *creds, struct apierr *e)
{
    static const char *const names[] = {"Demo voice run", "Demo SMS run"};
    int64_t app_pk;
    if (demo_runs_ensure(s, creds, &app_pk, e) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        struct store_err se = STORE_ERR_INIT;
        char id[IDS_MAX + 1];
        struct apierr why;
        apierr_init(&why);
        struct store_write w = {play_apply, NULL, &why};
        struct campaign cp;
        campaign_init(&cp);
        int rc = api_store(store_campaign_find(s, app_pk, names[i], -1, id, &se), &se, e);
        /* A run still going on is left to go on. */
        if (rc == 0 && store_campaign_write(s, app_pk, id, &w, &cp, &se) == STORE_OK)
            log_info("demo: %s started (run %s)", names[i],
                     json_string_value(json_object_get(cp.doc, "campaignInstanceId")));
        store_err_clear(&se);
        apierr_clear(&why);
        campaign_clear(&cp);
        if (rc != 0)
            return -1;
    }
    return 0;
}
