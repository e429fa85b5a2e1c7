/* api_clists.c - contact lists, which are also the DNC lists, and their
 * contacts (family spec §9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_store.h"
#include "api.h"
#include "campaign.h"
#include "check.h"
#include "clist.h"
#include "jsonio.h"
#include "text.h"


static int invalid(struct api_call *c)
{
    apierr_set(&c->err, 400, "Request validation failed");
    return -1;
}

/* name, description and allowDuplicates of a create (required = 1) or an
 * update body.  Problems go to c->err. */
static void list_fields(struct api_call *c, int required, struct clist_fields *f)
{
    struct check k = CHECK_BODY(&c->err);
    memset(f, 0, sizeof *f);
    f->allow_duplicates = -1;
    f->name = check_name(&k, c->body, "name", NULL, CONTRACT_NAME_MAX, required);
    json_t *v = json_object_get(c->body, "description");
    if (v != NULL && (!json_is_string(v) ||
                      text_utf8_len(json_string_value(v)) > CONTRACT_DESCRIPTION_MAX))
        check_fail(&k, "description", "must be a string of at most %d characters",
                   CONTRACT_DESCRIPTION_MAX);
    else if (v != NULL)
        f->description = json_string_value(v);
    else if (required)
        check_fail(&k, "description", "is required");
    bool dup;
    if (check_bool(&k, c->body, "allowDuplicates", NULL, &dup) == 1)
        f->allow_duplicates = dup;
}

int api_clist_create(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    struct clist_fields f;
    list_fields(c, 1, &f);
    json_t *src = json_object_get(c->body, "source");
    if (src == NULL)
        apierr_field(&c->err, "source", "is required: \"passiveApi\"");
    else if (!json_is_string(src) || strcmp(json_string_value(src), "passiveApi") != 0)
        apierr_field(&c->err, "source", "must be \"passiveApi\"");
    if (apierr_count(&c->err) > 0)
        return invalid(c);
    struct clist l;
    memset(&l, 0, sizeof l);
    if (api_store(store_list_create(c->store, c->tenant.app_pk, c->tenant.client_id, &f, &l, &se),
                  &se, &c->err) != 0)
        return -1;
    json_t *msg = json_sprintf("Contact list %s created successfully", l.name);
    api_ok(c, 201, json_pack("{s:s, s:o, s:o}", "status", "success", "message", msg, "data",
                             clist_render(&l, CLIST_CREATED)));
    clist_clear(&l);
    return 0;
}

int api_clist_get_all(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    const char *type = c->query(c, "type");
    if (type != NULL && strcmp(type, "call") != 0) {
        apierr_one(&c->err, 400, "query.type", "must be call");
        return -1;
    }
    struct clist *lists = NULL;
    size_t n = 0;
    if (api_store(store_list_get_all(c->store, c->tenant.app_pk, &lists, &n, &se), &se, &c->err) !=
        0)
        return -1;
    json_t *data = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(data, clist_render(&lists[i], CLIST_SUMMARY));
        clist_clear(&lists[i]);
    }
    free(lists);
    return api_ok(c, 200, json_pack("{s:s, s:s, s:o}", "status", "success", "message", "", "data",
                                    data));
}

int api_clist_get(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    struct clist l;
    memset(&l, 0, sizeof l);
    if (api_store(store_list_get(c->store, c->tenant.app_pk, c->object_id, &l, &se), &se,
                  &c->err) != 0)
        return -1;
    api_ok(c, 200, json_pack("{s:s, s:s, s:o}", "status", "success", "message", "", "data",
                             clist_render(&l, CLIST_FULL)));
    clist_clear(&l);
    return 0;
}

int api_clist_update(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    struct clist_fields f;
    struct clist l;
    memset(&l, 0, sizeof l);
    /* §1.1: an unknown list (404) before the body's problems (400). */
    if (api_store(store_list_get(c->store, c->tenant.app_pk, c->object_id, &l, &se), &se,
                  &c->err) != 0)
        return -1;
    clist_clear(&l);
    list_fields(c, 0, &f);
    if (apierr_count(&c->err) > 0)
        return invalid(c);
    if (api_store(store_list_update(c->store, c->tenant.app_pk, c->object_id, c->tenant.client_id,
                                    &f, &l, &se),
                  &se, &c->err) != 0) {
        clist_clear(&l);
        return -1;
    }
    /* The documented shape: the fields given, then fixed context keys. */
    json_t *body = json_object();
    if (f.name != NULL)
        json_object_set_new(body, "name", json_string(f.name));
    if (f.description != NULL)
        json_object_set_new(body, "description", json_string(f.description));
    if (f.allow_duplicates >= 0)
        json_object_set_new(body, "allowDuplicates", json_boolean(f.allow_duplicates));
    json_object_set_new(body, "scope", json_pack("[s]", "campaign_management"));
    json_object_set_new(body, "iId", json_string(c->stream_id));
    json_object_set_new(body, "listType", json_string("call"));
    json_object_set_new(body, "accountId", json_string(c->tenant.account_id));
    json_object_set_new(body, "updatedBy", json_string(c->tenant.client_id));
    json_t *msg = json_sprintf("Contact list %s updated successfully", l.name);
    api_ok(c, 200, json_pack("{s:s, s:o, s:{s:s, s:o}}", "status", "success", "message", msg,
                             "data", "contactListId", l.id, "body", body));
    clist_clear(&l);
    return 0;
}

int api_clist_delete(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    struct clist l;
    memset(&l, 0, sizeof l);
    int rc = api_store(store_list_delete(c->store, c->tenant.app_pk, c->object_id, &l, &se), &se,
                       &c->err);
    if (rc == 0) {
        json_t *msg = json_sprintf("Contact list %s deleted successfully", l.name);
        api_ok(c, 200, json_pack("{s:s, s:o, s:o}", "status", "success", "message", msg, "data",
                                 clist_render(&l, CLIST_FULL)));
    }
    clist_clear(&l);
    return rc;
}

int api_clist_contacts(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    int64_t total = 0;
    struct paging pg;
    if (api_query_paging(c, CONTRACT_CONTACTS_LIMIT_DEFAULT, &pg) != 0)
        return invalid(c);
    json_t *results = NULL;
    if (api_store(store_list_contacts(c->store, c->tenant.app_pk, c->object_id, pg.offset,
                                      pg.limit, &results, &total, &se),
                  &se, &c->err) != 0)
        return -1;
    int more = pg.offset + (int64_t)json_array_size(results) < total;
    return api_ok(c, 200,
                  json_pack("{s:s, s:s, s:{s:o, s:I, s:I, s:b, s:I, s:I}}", "status", "success",
                            "message", "Contacts retrieved successfully", "data", "results",
                            results, "skip", (json_int_t)pg.offset, "limit",
                            (json_int_t)pg.limit, "hasMore", more, "totalPages",
                            (json_int_t)check_total_pages(total, pg.limit), "totalResults",
                            (json_int_t)total));
}

/* The items of `data` (ctx: the call), checked once the list is known
 * (§1.1: 404 before 400); unknown keys are dropped so they are never
 * stored. */
static int contacts_valid(json_t *items, void *ctx)
{
    struct api_call *c = ctx;
    struct apierr *e = &c->err;
    size_t max = c->limits->max_contacts;
    if (!json_is_array(items) || json_array_size(items) < 1 || json_array_size(items) > max) {
        apierr_field(e, "data", items ? "must be an array of 1 to %zu contacts" : "is required",
                     max);
        apierr_set(e, 400, "Request validation failed");
        return -1;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        char field[64];
        if (!json_is_object(it)) {
            snprintf(field, sizeof field, "data[%zu]", i);
            apierr_field(e, field, "must be an object {phoneNumber, ...}");
            continue;
        }
        json_t *ph = json_object_get(it, "phoneNumber");
        snprintf(field, sizeof field, "data[%zu].phoneNumber", i);
        if (!json_is_string(ph) || !campaign_phone_valid(json_string_value(ph)))
            apierr_field(e, field, ph ? "must be an E.164 phone number" : "is required");
        for (const char *const *k = clist_contact_fields; *k; k++) {
            json_t *v = json_object_get(it, *k);
            snprintf(field, sizeof field, "data[%zu].%s", i, *k);
            if (v != NULL && (!json_is_string(v) ||
                              text_utf8_len(json_string_value(v)) > CONTRACT_CONTACT_FIELD_MAX))
                apierr_field(e, field, "must be a string of at most %d characters",
                             CONTRACT_CONTACT_FIELD_MAX);
        }
        const char *k;
        json_t *v, *tmp;
        json_object_foreach_safe(it, tmp, k, v) {
            int known = strcmp(k, "phoneNumber") == 0;
            for (const char *const *ck = clist_contact_fields; *ck && !known; ck++)
                known = strcmp(k, *ck) == 0;
            if (!known)
                json_object_del(it, k);
        }
    }
    if (apierr_count(e) > 0) {
        apierr_set(e, 400, "Request validation failed");
        return -1;
    }
    return 0;
}

int api_clist_add_contacts(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    json_t *name = json_object_get(c->body, "contact_list_name");
    if (!json_is_string(name)) {
        apierr_field(&c->err, "contact_list_name", name ? "must be a string" : "is required");
        return invalid(c);
    }
    if (api_store(store_list_add_contacts(c->store, c->tenant.app_pk, json_string_value(name),
                                          json_object_get(c->body, "data"), contacts_valid, c, &se),
                  &se, &c->err) != 0)
        return -1;
    return api_ok(c, 200,
                  json_pack("{s:s}", "message", "Adding contacts to public list is in progress"));
}
