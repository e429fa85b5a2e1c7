/* api_lifecycle.c - start and stop, the status and contacts views, and
 * schedules (family spec §6, §8).  Status changes go through lifecycle.c,
 * inside the store's read-modify-write. */
#include <stdio.h>
#include <string.h>

#include "api_store.h"
#include "api.h"
#include "jsonio.h"
#include "text.h"
#include "lifecycle.h"
#include "timefmt.h"

struct lc_arg {
    struct apierr *err; /* where lc_apply reports */
    enum lc_op op;
    json_t *schedule;
    int64_t now;
    int runs;
};

static int lc_apply(struct campaign *cp, void *arg, struct store_effect *fx)
{
    struct lc_arg *a = arg;
    struct lc_effect lc;
    if (lifecycle_apply(cp, a->op, a->schedule, a->now, &lc, a->err) != 0)
        return -1;
    fx->new_instance = lc.new_instance;
    fx->over_if_empty = a->runs;
    return 0;
}

static int run_lifecycle(struct api_call *c, const char *id, struct lc_arg *a,
                         struct campaign *out)
{
    struct store_err se = STORE_ERR_INIT;
    struct store_write w = {lc_apply, NULL, a};
    a->now = timefmt_now_ms();
    a->err = &c->err;
    a->runs = c->limits->runs;
    return api_store(store_campaign_write(c->store, c->tenant.app_pk, id, &w, out, &se), &se,
                     &c->err);
}

int api_campaign_trigger(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    const char *trigger = c->query(c, "trigger");
    int type;
    int bad = api_query_type(c, 0, &type) != 0;
    if (trigger == NULL || (strcmp(trigger, "play") != 0 && strcmp(trigger, "stop") != 0)) {
        apierr_field(&c->err, "query.trigger", trigger ? "must be play or stop" : "is required: play or stop");
        bad = 1;
    }
    if (bad) {
        apierr_set(&c->err, 400, "Request validation failed");
        return -1;
    }
    int play = strcmp(trigger, "play") == 0;
    struct lc_arg a = {NULL, play ? LC_PLAY : LC_STOP, NULL, 0, 0};
    struct campaign cp;
    campaign_init(&cp);
    int rc = run_lifecycle(c, c->object_id, &a, &cp);
    int64_t done = 0;
    if (rc == 0 && play && cp.type == CTYPE_VOICE)
        rc = api_store(store_campaign_calls_completed(c->store, c->tenant.app_pk, &cp, &done, &se),
                       &se, &c->err);
    if (rc == 0) {
        json_t *o = json_pack("{s:s, s:s}", "status", campaign_status_name(cp.status), "message",
                              play ? "Campaign Started" : "Campaign Stopped");
        json_t *iid = json_object_get(cp.doc, "campaignInstanceId");
        if (play && cp.type == CTYPE_VOICE)
            json_object_set_new(o, "totalCallsCompleted", json_integer(done));
        json_object_set_new(o, "updatedAt", jsonio_time(cp.updated_at));
        if (cp.type == CTYPE_VOICE && iid != NULL)
            json_object_set(o, "campaignInstanceId", iid);
        if (!play && cp.type == CTYPE_SMS)
            json_object_set_new(o, "campaignExecutionType", json_string("NORMAL"));
        api_ok(c, 200, o);
    }
    campaign_clear(&cp);
    return rc;
}

static int contacts_view(struct api_call *c, struct campaign *cp)
{
    struct store_err se = STORE_ERR_INIT;
    struct check k = CHECK_BODY(&c->err);
    struct paging pgn;
    check_paging(&k, c->body, false, CONTRACT_LIMIT_DEFAULT, &pgn);
    if (k.bad) {
        apierr_set(&c->err, 400, "Request validation failed");
        return -1;
    }
    struct store_contacts_page pg;
    if (api_store(store_campaign_contacts(c->store, c->tenant.app_pk, cp, pgn.offset, pgn.limit,
                                          &pg, &se),
                  &se, &c->err) != 0)
        return -1;
    return api_ok(c, 200,
                  json_pack("{s:s, s:{s:o, s:I, s:I, s:I, s:I}}", "status", "success", "data",
                            "results", pg.results, "page", (json_int_t)pgn.page, "limit",
                            (json_int_t)pgn.limit, "totalPages",
                            (json_int_t)check_total_pages(pg.total, pgn.limit), "totalResults",
                            (json_int_t)pg.total));
}

int api_campaign_status(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    const char *view = c->query(c, "view");
    int type; /* family §2: optional, sms or voice; the stored type governs */
    int bad = api_query_type(c, 0, &type) != 0;
    if (view != NULL && strcmp(view, "status") != 0 && strcmp(view, "contacts") != 0) {
        apierr_field(&c->err, "query.view", "must be status or contacts");
        bad = 1;
    }
    if (bad) {
        apierr_set(&c->err, 400, "Request validation failed");
        return -1;
    }
    struct campaign cp;
    campaign_init(&cp);
    int rc = api_store(store_campaign_get(c->store, c->tenant.app_pk, c->object_id, &cp, &se), &se,
                       &c->err);
    if (rc == 0 && view != NULL && strcmp(view, "contacts") == 0) {
        if (cp.type != CTYPE_VOICE) {
            apierr_one(&c->err, 400, "query.view", "the contacts view is for voice campaigns only");
            rc = -1;
        } else {
            rc = contacts_view(c, &cp);
        }
    } else if (rc == 0) {
        api_ok(c, 200, json_pack("{s:s, s:{s:s, s:s, s:s}}", "status", "success", "data", "id",
                                 cp.id, "status", campaign_status_name(cp.status), "name",
                                 cp.name));
    }
    campaign_clear(&cp);
    return rc;
}

int api_campaign_schedule(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    const char *enable = c->query(c, "enableSchedule");
    const char *name = c->query(c, "campaignName");
    /* Family §8.3: enable needs its body; a missing one is a framing 400
     * (§1.1 step 1), before the query and the lookup, as on every route
     * that needs a body. */
    if (enable != NULL && strcmp(enable, "true") == 0 && c->body == NULL) {
        jsonio_body_required(&c->err);
        return -1;
    }
    int type;
    int bad = api_query_type(c, 0, &type) != 0;
    if (enable == NULL || (strcmp(enable, "true") != 0 && strcmp(enable, "false") != 0)) {
        apierr_field(&c->err, "query.enableSchedule", "must be true or false");
        bad = 1;
    }
    if (name == NULL || name[0] == '\0' || text_utf8_len(name) > CONTRACT_NAME_MAX) {
        apierr_field(&c->err, "query.campaignName", "is required: 1 to %d characters",
                     CONTRACT_NAME_MAX);
        bad = 1;
    }
    if (bad) {
        apierr_set(&c->err, 400, "Request validation failed");
        return -1;
    }
    char id[IDS_MAX + 1];
    if (api_store(store_campaign_find(c->store, c->tenant.app_pk, name, type, id, &se), &se,
                  &c->err) != 0)
        return -1;
    int on = strcmp(enable, "true") == 0;
    struct lc_arg a = {NULL, on ? LC_SCHEDULE : LC_UNSCHEDULE, NULL, 0, 0};
    if (on && campaign_schedule_parse(c->body, timefmt_now_ms(), &a.schedule, &c->err) != 0) {
        apierr_set(&c->err, 400, "Request validation failed");
        return -1;
    }
    struct campaign cp;
    campaign_init(&cp);
    int rc = run_lifecycle(c, id, &a, &cp);
    if (rc == 0) {
        json_t *msg = json_sprintf("Campaign %s %s", cp.name,
                                   on ? "scheduled successfully"
                                      : "schedule has been disabled successfully");
        api_ok(c, 200, json_pack("{s:s, s:o, s:s}", "status", "success", "message", msg, "id",
                                 cp.id));
    }
    json_decref(a.schedule);
    campaign_clear(&cp);
    return rc;
}
