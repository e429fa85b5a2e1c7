/* api_campaigns.c - create, get, update and delete of SMS and voice
 * campaigns (family spec §4, §5).  Each handler: query -> target -> body ->
 * conflicts, in the order of §1.1; the store does the rest in one
 * transaction. */
#include <stdio.h>
#include <string.h>

#include "api_store.h"
#include "api.h"
#include "lifecycle.h"
#include "timefmt.h"

/* A success body {status, message, [id,] data}. */
static int reply(struct api_call *c, int status, const char *what, const struct campaign *cp,
                 json_t *data, int with_id)
{
    /* Names are up to 48 code points (192 bytes): no fixed buffer. */
    json_t *o = json_pack("{s:s, s:o}", "status", "success", "message",
                          json_sprintf("Campaign %s %s", cp->name, what));
    if (with_id)
        json_object_set_new(o, "id", json_string(cp->id));
    json_object_set_new(o, "data", data);
    return api_ok(c, status, o);
}

int api_campaign_create(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    int type;
    if (api_query_type(c, 1, &type) != 0)
        return -1;
    struct campaign cp;
    campaign_init(&cp);
    cp.type = (enum ctype)type;
    cp.status = CSTATUS_READY; /* voice too: the lists resolve inside the create (§7.1) */
    int bad = campaign_apply_body(&cp, c->body, 1, &c->err);
    bad |= campaign_complete(&cp, &c->err);
    cp.invalid = bad != 0; /* the store reports missing lists too (§1.1 step 4) */
    json_object_set_new(cp.doc, "isImported", json_false());
    json_object_set_new(cp.doc, "isFiltersEnabled", json_false());
    json_object_set_new(cp.doc, "schedule", json_pack("{s:b, s:b}", "isSchedulingEnabled", 0,
                                                      "isRecurrenceEnabled", 0));
    if (cp.type == CTYPE_SMS) {
        json_object_set_new(cp.doc, "totalMessagesSent", json_integer(0));
        json_object_set_new(cp.doc, "campaignExecutionType", json_string("NORMAL"));
    }
    int rc = api_store(store_campaign_create(c->store, c->tenant.app_pk, &cp, &se), &se, &c->err);
    if (rc == 0)
        reply(c, 201, "creation in progress", &cp, campaign_render_created(&cp), 0);
    campaign_clear(&cp);
    return rc;
}

int api_campaign_get(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    int type;
    struct campaign cp;
    if (api_query_type(c, 0, &type) != 0)
        return -1;
    campaign_init(&cp);
    int rc = api_store(store_campaign_get(c->store, c->tenant.app_pk, c->object_id, &cp, &se), &se,
                       &c->err);
    if (rc == 0)
        reply(c, 200, "retrieved successfully", &cp, campaign_render_document(&cp), 0);
    campaign_clear(&cp);
    return rc;
}

/* The callbacks' arg is the call: they report on its err. */
static int update_apply(struct campaign *cp, void *arg, struct store_effect *fx)
{
    struct api_call *c = arg;
    struct apierr *e = &c->err;
    int bad = campaign_apply_body(cp, c->body, 0, e);
    bad |= campaign_complete(cp, e);
    cp->invalid = bad != 0; /* the store reports missing lists too (§1.1 step 4) */
    fx->resolve = 1;
    return 0;
}

static int update_conflicts(struct campaign *cp, void *arg)
{
    struct api_call *c = arg;
    struct lc_effect lc;
    /* LC_UPDATE checks the status and stamps updatedAt. */
    return lifecycle_apply(cp, LC_UPDATE, NULL, timefmt_now_ms(), &lc, &c->err);
}

int api_campaign_update(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    int type;
    if (api_query_type(c, 0, &type) != 0)
        return -1;
    struct store_write w = {update_apply, update_conflicts, c};
    struct campaign cp;
    campaign_init(&cp);
    int rc = api_store(store_campaign_write(c->store, c->tenant.app_pk, c->object_id, &w, &cp, &se),
                       &se, &c->err);
    if (rc == 0)
        reply(c, 200, "details updated successfully", &cp, campaign_render_document(&cp),
              cp.type == CTYPE_VOICE);
    campaign_clear(&cp);
    return rc;
}

static int delete_apply(struct campaign *cp, void *arg, struct store_effect *fx)
{
    struct api_call *c = arg;
    struct lc_effect lc;
    if (lifecycle_apply(cp, LC_DELETE, NULL, 0, &lc, &c->err) != 0)
        return -1;
    fx->remove = 1;
    return 0;
}

int api_campaign_delete(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    int type;
    if (api_query_type(c, 0, &type) != 0)
        return -1;
    struct store_write w = {delete_apply, NULL, c};
    struct campaign cp;
    campaign_init(&cp);
    int rc = api_store(store_campaign_write(c->store, c->tenant.app_pk, c->object_id, &w, &cp, &se),
                       &se, &c->err);
    if (rc == 0)
        reply(c, 200, "deleted successfully", &cp, campaign_render_document(&cp), 0);
    campaign_clear(&cp);
    return rc;
}
