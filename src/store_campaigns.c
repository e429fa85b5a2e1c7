/* store_campaigns.c - campaign writes of the family spec: create, the
 * read-modify-write used by update, delete and the lifecycle, campaign
 * instances with their audience snapshot, the contacts view, and the
 * experience-flow and template registries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "lifecycle.h"
#include "log.h"
#include "text.h"
#include "store_int.h"
#include "timefmt.h"
#include "xalloc.h"

static const struct sqlq Q_C_BY_ID = {
    "SELECT " CAMPAIGN_COLS ", c.dnc_list_pk" CAMPAIGN_FROM
    " WHERE c.app_pk = $1 AND c.id = $2"};
static const struct sqlq Q_C_FIND = {
    "SELECT id FROM campaigns WHERE app_pk = $1 AND lname = $2 AND ($3 = '' OR type = $3)"
    " ORDER BY type"};
static const struct sqlq Q_LIST_PK = {
    "SELECT list_pk FROM lists WHERE app_pk = $1 AND lname = $2"};
static const struct sqlq Q_REG_BY_LNAME = {
    "SELECT id, name FROM registry WHERE app_pk = $1 AND kind = $2 AND lname = $3"};
static const struct sqlq Q_REG_BY_ID = {
    "SELECT id, name FROM registry WHERE app_pk = $1 AND kind = $2 AND id = $3"};
static const struct sqlq Q_REG_ADD = {
    "INSERT INTO registry(app_pk, kind, id, name, lname) VALUES ($1, $2, $3, $4, $5)"};
static const struct sqlq Q_C_NAME_TAKEN = {
    "SELECT 1 FROM campaigns WHERE app_pk = $1 AND type = $2 AND lname = $3"
    " AND campaign_pk <> $4"};
static const struct sqlq Q_C_DELETE = {
    "DELETE FROM campaigns WHERE app_pk = $1 AND campaign_pk = $2"
    " RETURNING created_at, status, priority, dialing_mode"};
static const struct sqlq Q_INSTANCE_ADD = {
    "INSERT INTO instances(campaign_pk, id, created_at, open) VALUES ($1, $2, $3, 1)"
    " RETURNING instance_pk"};
static const struct sqlq Q_INSTANCES_CLOSE = {
    "UPDATE instances SET open = 0, ended_at = $2 WHERE campaign_pk = $1 AND open = 1"};

/* The audience of campaign $1 (family spec §8.2): the contacts of its lists
 * in list order, then insertion order, the first occurrence of each number
 * only, without the numbers of its DNC list $2. */
#define AUDIENCE                                                                              \
    "(SELECT ct.phone, ct.digits, ct.unique_id, ct.time_zone, cl.pos, ct.contact_pk,"          \
    " ROW_NUMBER() OVER (PARTITION BY ct.digits ORDER BY cl.pos, ct.contact_pk) AS rn"        \
    " FROM campaign_lists cl JOIN contacts ct ON ct.list_pk = cl.list_pk"                     \
    " WHERE cl.campaign_pk = $1) a"                                                           \
    " WHERE a.rn = 1 AND NOT EXISTS"                                                          \
    " (SELECT 1 FROM contacts d WHERE d.list_pk = $2 AND d.digits = a.digits)"

static const struct sqlq Q_SNAPSHOT = {
    "INSERT INTO instance_contacts(instance_pk, pos, phone, digits, unique_id, time_zone)"
    " SELECT CAST($3 AS BIGINT), ROW_NUMBER() OVER (ORDER BY a.pos, a.contact_pk), a.phone, a.digits,"
    " a.unique_id, a.time_zone FROM " AUDIENCE};
static const struct sqlq Q_AUDIENCE_COUNT = {"SELECT count(*) FROM " AUDIENCE};
static const struct sqlq Q_AUDIENCE_PAGE = {
    "SELECT a.phone, a.unique_id, NULL, 0 FROM " AUDIENCE
    " ORDER BY a.pos, a.contact_pk LIMIT $3 OFFSET $4"};
static const struct sqlq Q_INSTANCE_PK = {
    "SELECT instance_pk FROM instances WHERE campaign_pk = $1 AND id = $2"};
static const struct sqlq Q_IC_COUNT = {
    "SELECT COALESCE(max(pos), 0) FROM instance_contacts WHERE instance_pk = $1"};
static const struct sqlq Q_IC_PAGE = {
    "SELECT phone, unique_id, outcome, attempts FROM instance_contacts WHERE instance_pk = $1"
    " AND pos > $3 ORDER BY pos LIMIT $2"};
static const struct sqlq Q_IC_DONE = {
    "SELECT count(*) FROM instance_contacts WHERE instance_pk = $1"
    " AND dialer_outcome <> 'Pending'"};
static const struct sqlq Q_IC_HAS = {
    "SELECT count(*) FROM instance_contacts WHERE instance_pk = $1 AND digits = $2"};
static const struct sqlq Q_IC_OUTCOME = {
    "UPDATE instance_contacts SET dialer_outcome = $3, outcome = $4"
    " WHERE instance_pk = $1 AND digits = $2"};
static const struct sqlq Q_IC_LATEST_ATTEMPT = {
    "SELECT a.attempt_id FROM attempts a JOIN instance_contacts r"
    " ON r.instance_pk = a.instance_pk AND r.pos = a.pos"
    " WHERE r.instance_pk = $1 AND r.digits = $2 ORDER BY a.n DESC LIMIT 1"};
static const struct sqlq Q_C_DNC_PK = {
    "SELECT dnc_list_pk FROM campaigns WHERE campaign_pk = $1"};
static const struct sqlq Q_EXPORT = {
    "SELECT " CAMPAIGN_COLS CAMPAIGN_FROM " WHERE c.app_pk = $1 AND ($2 = '' OR c.type = $2)"
    " ORDER BY c.created_at, c.id"};

/* Reads campaign `id` of the tenant into out (initialised) inside the
 * current transaction, and its DNC list's key into *dnc_pk unless NULL:
 * 1 found, 0 not found (SW_CAMPAIGN), -1 failure. */
static int read_by_id(struct store *s, struct conn *c, int64_t app_pk, const char *id,
                      struct campaign *out, int64_t *dnc_pk, struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(id)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_C_BY_ID, p, 2, "campaign by id", &r, e);
    if (rc == 0)
        store_problem(e, STORE_NOT_FOUND, SW_CAMPAIGN, id, NULL);
    if (rc != 1)
        return rc;
    if (dnc_pk != NULL)
        *dnc_pk = s->drv->col_text(r, CC_N, NULL) ? s->drv->col_int(r, CC_N) : 0;
    rc = sql_read_campaign(s, c, r, out, e) == 0 ? 1 : -1;
    s->drv->done(r);
    return rc;
}

/* Finds kind/name in the registry, registering it when new and `create`;
 * fills id.  1 found or created, 0 absent, -1 failure. */
static int registry_name(struct store *s, struct conn *c, int64_t app_pk, const char *kind,
                         const char *name, int create, char id[IDS_MAX + 1], struct store_err *e)
{
    char *lname = text_lower(name);
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(kind), P_TEXT(lname)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_REG_BY_LNAME, p, 3, "registry", &r, e);
    if (rc == 1) {
        sql_copy(id, IDS_MAX + 1, s->drv->col_text(r, 0, NULL));
        s->drv->done(r);
    } else if (rc == 0 && create) {
        ids_new(strcmp(kind, "flow") == 0 ? "cf" : "cmt", id);
        struct sqlp pa[] = {P_INT(app_pk), P_TEXT(kind), P_TEXT(id), P_TEXT(name), P_TEXT(lname)};
        rc = sql_exec(s, c, &Q_REG_ADD, pa, 5, e) == 0 ? 1 : -1;
    }
    free(lname);
    return rc;
}

/* The registered name of template id into *name (caller frees): 1 found,
 * 0 not registered, -1 failure. */
static int registry_id(struct store *s, struct conn *c, int64_t app_pk, const char *kind,
                       const char *id, char **name, struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(kind), P_TEXT(id)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_REG_BY_ID, p, 3, "registry", &r, e);
    if (rc == 1) {
        *name = xstrdup(s->drv->col_text(r, 1, NULL));
        s->drv->done(r);
    }
    return rc;
}

/* The message's templateId tid must be registered and agree with its
 * template_name tname, if given; a lone templateId brings its registered
 * name.  1 resolved, 0 a STORE_BAD_REF problem recorded, -1 failure. */
static int resolve_template_id(struct store *s, struct conn *c, int64_t app_pk, json_t *m,
                               const char *tid, const char *tname, struct store_err *e)
{
    char *reg = NULL;
    int rc = registry_id(s, c, app_pk, "template", tid, &reg, e);
    if (rc == 0) {
        store_problem(e, STORE_BAD_REF, SW_REF_TEMPLATE, tid, NULL);
    } else if (rc == 1 && tname != NULL) {
        char *a = text_lower(tname), *b = text_lower(reg);
        if (strcmp(a, b) != 0) {
            store_problem(e, STORE_BAD_REF, SW_REF_TEMPLATE_NAME, reg, tname);
            rc = 0;
        }
        free(a);
        free(b);
    } else if (rc == 1) {
        json_object_set_new(m, "template_name", json_string(reg));
    }
    free(reg);
    return rc;
}

/* The message's template (family spec §4.1): templateId as
 * resolve_template_id checks it; a lone template_name is registered on
 * first use.  1 resolved, 0 a problem recorded, -1 failure. */
static int resolve_template(struct store *s, struct conn *c, int64_t app_pk, struct campaign *cp,
                            struct store_err *e)
{
    json_t *m = json_object_get(cp->doc, "message");
    const char *tname = json_string_value(json_object_get(m, "template_name"));
    const char *tid = json_string_value(json_object_get(m, "templateId"));
    char id[IDS_MAX + 1];
    if (tid != NULL)
        return resolve_template_id(s, c, app_pk, m, tid, tname, e);
    if (tname != NULL) {
        if (registry_name(s, c, app_pk, "template", tname, 1, id, e) < 0)
            return -1;
        json_object_set_new(m, "templateId", json_string(id));
    }
    return 1;
}

/* The key of the tenant's list named `name` into *pk: 1, 0 when there is
 * none, -1 failure. */
static int list_pk(struct store *s, struct conn *c, int64_t app_pk, const char *name, int64_t *pk,
                   struct store_err *e)
{
    char *lname = text_lower(name);
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(lname)};
    int rc = sql_int(s, c, &Q_LIST_PK, p, 2, pk, e);
    free(lname);
    return rc;
}

/* cp's DNC list to its key *dnc_pk, which must not be one of its contact
 * lists list_pks[0..n).  1 resolved, 0 problems recorded, -1 failure. */
static int resolve_dnc(struct store *s, struct conn *c, int64_t app_pk, const struct campaign *cp,
                       const int64_t *list_pks, size_t n, int64_t *dnc_pk, struct store_err *e)
{
    const char *name = json_string_value(json_object_get(cp->dnc, "name"));
    int rc = list_pk(s, c, app_pk, name, dnc_pk, e);
    if (rc == 0)
        store_problem(e, STORE_BAD_REF, SW_REF_DNC, name, NULL);
    for (size_t i = 0; rc == 1 && i < n; i++) {
        if (list_pks[i] == *dnc_pk) {
            store_problem(e, STORE_BAD_REF, SW_REF_DNC_IN_LISTS, name, NULL);
            rc = 0;
        }
    }
    return rc;
}

/* Resolves the names a write gave (family spec §10): contact lists and DNC
 * list to their keys, experience flow and template through the registries.
 * Every problem is recorded.  1 when all resolved, 0 with STORE_BAD_REF
 * problems recorded, -1 on failure.  *list_pks is allocated (caller frees). */
static int resolve_refs(struct store *s, struct conn *c, int64_t app_pk, struct campaign *cp,
                        int64_t *dnc_pk, int64_t **list_pks, size_t *nlists, struct store_err *e)
{
    int ok = 1, rc;
    size_t n = json_array_size(cp->contact_lists);
    *list_pks = xcalloc(n ? n : 1, sizeof **list_pks);
    *nlists = n;
    *dnc_pk = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = json_string_value(json_array_get(cp->contact_lists, i));
        if ((rc = list_pk(s, c, app_pk, name, &(*list_pks)[i], e)) < 0)
            return -1;
        if (rc == 0) {
            store_problem(e, STORE_BAD_REF, SW_REF_LIST, name, NULL)->index = (long)i;
            ok = 0;
        }
    }
    if (cp->dnc != NULL) {
        if ((rc = resolve_dnc(s, c, app_pk, cp, *list_pks, n, dnc_pk, e)) < 0)
            return -1;
        ok &= rc;
    }
    if (cp->flow_name != NULL) {
        char id[IDS_MAX + 1];
        if (registry_name(s, c, app_pk, "flow", cp->flow_name, 1, id, e) < 0)
            return -1;
        json_object_set_new(cp->doc, "experienceFlow", json_string(id));
    }
    if (cp->message_given) {
        if ((rc = resolve_template(s, c, app_pk, cp, e)) < 0)
            return -1;
        ok &= rc;
    }
    return ok;
}

/* resolve_refs, then cp must be valid: 0, or -1 with the problems
 * (SW_CAMPAIGN_INVALID when only that) or the failure on e. */
static int resolve_valid(struct store *s, struct conn *c, int64_t app_pk, struct campaign *cp,
                         int64_t *dnc_pk, int64_t **list_pks, size_t *nlists, struct store_err *e)
{
    if (resolve_refs(s, c, app_pk, cp, dnc_pk, list_pks, nlists, e) != 1)
        return -1;
    if (cp->invalid)
        return store_fail(e, STORE_INVALID, SW_CAMPAIGN_INVALID, NULL, NULL);
    return 0;
}

/* 0 when no other campaign of the tenant and type has cp's name, else -1
 * (SW_CAMPAIGN_TAKEN, or the failure). */
static int name_free(struct store *s, struct conn *c, int64_t app_pk, const struct campaign *cp,
                     struct store_err *e)
{
    char *lname = text_lower(cp->name);
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(campaign_type_name(cp->type)), P_TEXT(lname),
                       P_INT(cp->pk)};
    int rc = sql_int(s, c, &Q_C_NAME_TAKEN, p, 4, NULL, e);
    free(lname);
    if (rc == 1)
        store_problem(e, STORE_CONFLICT, SW_CAMPAIGN_TAKEN, cp->name, NULL)->type = (int)cp->type;
    return rc == 0 ? 0 : -1;
}

/* A unique-index failure on write means a concurrent request took the name. */
static int stored_or_conflict(int rc, const struct campaign *cp, struct store_err *e)
{
    if (rc != 0 && e->rc == STORE_CONFLICT) {
        store_err_reset(e);
        store_problem(e, STORE_CONFLICT, SW_CAMPAIGN_TAKEN, cp->name, NULL)->type = (int)cp->type;
    }
    return rc;
}

/* Deletes cp's row (its list rows and instances go with it) and takes it
 * out of the listing's counts: 0, or -1. */
static int delete_campaign(struct store *s, struct conn *c, int64_t app_pk,
                           const struct campaign *cp, struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk), P_INT(cp->pk)};
    struct sqlres *r = sql_query(s, c, &Q_C_DELETE, p, 2, e);
    if (r == NULL)
        return -1;
    int rc = s->drv->next(r);
    struct lc_change ch = {0, 0, -1};
    if (rc == 1)
        ch = (struct lc_change){s->drv->col_int(r, 0),
                                lc_slot((int)s->drv->col_int(r, 1), (int)s->drv->col_int(r, 2),
                                        (int)s->drv->col_int(r, 3)),
                                -1};
    while (rc == 1)
        rc = s->drv->next(r);
    s->drv->done(r);
    if (rc < 0)
        return sql_fail(s, c, "campaign delete", e);
    return sql_counts_change(s, c, app_pk, campaign_type_name(cp->type), &ch, 1, e);
}

/* Re-reads campaign `id` into *out (replacing it) for the response: 0, or
 * -1. */
static int reread(struct store *s, struct conn *c, int64_t app_pk, const char *id,
                  struct campaign *out, struct store_err *e)
{
    struct campaign fresh;
    campaign_init(&fresh);
    if (read_by_id(s, c, app_pk, id, &fresh, NULL, e) != 1) {
        campaign_clear(&fresh);
        return -1;
    }
    campaign_clear(out);
    *out = fresh;
    return 0;
}

enum store_rc store_campaign_create(struct store *s, int64_t app_pk, struct campaign *cp,
                                    struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int64_t dnc_pk = 0, *list_pks = NULL;
    size_t nlists = 0;
    int ret = -1;
    if (sql_begin(s, c, app_pk, e) != 0 ||
        resolve_valid(s, c, app_pk, cp, &dnc_pk, &list_pks, &nlists, e) != 0 ||
        name_free(s, c, app_pk, cp, e) != 0)
        goto out;
    ids_new("cd", cp->id);
    cp->pk = 0;
    cp->created_at = cp->updated_at = cp->instance_updated_at = timefmt_now_ms();
    char id[IDS_MAX + 1];
    memcpy(id, cp->id, sizeof id);
    if (stored_or_conflict(sql_campaign_store(s, c, app_pk, cp, dnc_pk, list_pks,
                                              (ssize_t)nlists, e),
                           cp, e) != 0 ||
        reread(s, c, app_pk, id, cp, e) != 0 || sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    free(list_pks);
    return sql_end(s, c, ret, e);
}

enum store_rc store_campaign_get(struct store *s, int64_t app_pk, const char *id,
                                 struct campaign *out, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int rc = sql_begin(s, c, 0, e) == 0 ? read_by_id(s, c, app_pk, id, out, NULL, e) : -1;
    return sql_end(s, c, rc == 1 ? 0 : -1, e);
}

enum store_rc store_campaign_find(struct store *s, int64_t app_pk, const char *name, int type,
                                  char id[IDS_MAX + 1], struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    char *lname = text_lower(name);
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(lname),
                       P_TEXT(type < 0 ? "" : campaign_type_name((enum ctype)type))};
    int n = 0, rc, ret = -1;
    struct sqlres *r = sql_query(s, c, &Q_C_FIND, p, 3, e);
    if (r != NULL) {
        while ((rc = s->drv->next(r)) == 1)
            if (n++ == 0)
                sql_copy(id, IDS_MAX + 1, s->drv->col_text(r, 0, NULL));
        s->drv->done(r);
        if (rc < 0)
            sql_fail(s, c, "campaign find", e);
        else if (n == 0)
            store_problem(e, STORE_NOT_FOUND, SW_CAMPAIGN_NAME, name, NULL);
        else if (n > 1)
            store_problem(e, STORE_INVALID, SW_CAMPAIGN_BOTH, name, NULL);
        else
            ret = 0;
    }
    free(lname);
    return sql_end(s, c, ret, e);
}

/* Opens a new instance of cp (whose doc carries its id) with a snapshot of
 * its audience, of *records records: 0, or -1. */
static int open_instance(struct store *s, struct conn *c, const struct campaign *cp, int64_t dnc_pk,
                         int64_t *records, struct store_err *e)
{
    int64_t ipk;
    const char *iid = json_string_value(json_object_get(cp->doc, "campaignInstanceId"));
    struct sqlp p[] = {P_INT(cp->pk), P_TEXT(iid), P_INT(cp->updated_at)};
    if (sql_int(s, c, &Q_INSTANCE_ADD, p, 3, &ipk, e) != 1)
        return -1;
    struct sqlp ps[] = {P_INT(cp->pk), dnc_pk ? P_INT(dnc_pk) : P_NULL, P_INT(ipk)};
    if (sql_exec(s, c, &Q_SNAPSHOT, ps, 3, e) != 0)
        return -1;
    struct sqlp pc[] = {P_INT(ipk)};
    return sql_int(s, c, &Q_IC_COUNT, pc, 1, records, e) == 1 ? 0 : -1;
}

/* The write half of store_campaign_write: cp as apply() left it, with the
 * effect fx, is resolved when its names changed, checked, and stored (with
 * a new instance when fx asks); then campaign `id` is read back into cp.
 * dnc_pk is its stored DNC list's key.  0, or -1. */
static int write_changed(struct store *s, struct conn *c, int64_t app_pk, const char *id,
                         const struct store_write *w, const struct store_effect *fx,
                         struct campaign *cp, int64_t dnc_pk, struct store_err *e)
{
    int64_t *list_pks = NULL;
    size_t nlists = 0;
    int ret = -1;
    if (fx->resolve && resolve_valid(s, c, app_pk, cp, &dnc_pk, &list_pks, &nlists, e) != 0)
        goto out;
    if (w->conflicts != NULL && w->conflicts(cp, w->arg) != 0) {
        store_problem(e, STORE_REJECTED, SW_CALLER, NULL, NULL);
        goto out;
    }
    if (fx->resolve && name_free(s, c, app_pk, cp, e) != 0)
        goto out;
    if (fx->new_instance) {
        char iid[IDS_MAX + 1];
        int64_t records = 0;
        ids_new("cid", iid);
        json_object_set_new(cp->doc, "campaignInstanceId", json_string(iid));
        if (open_instance(s, c, cp, dnc_pk, &records, e) != 0)
            goto out;
        if (records == 0 && fx->over_if_empty)
            lifecycle_run_over(cp, cp->updated_at); /* the run is closed below */
    }
    int rc = sql_campaign_store(s, c, app_pk, cp, dnc_pk, list_pks,
                                fx->resolve ? (ssize_t)nlists : -1, e);
    if (stored_or_conflict(rc, cp, e) != 0)
        goto out;
    /* A run is open while its campaign is Active or Paused (execution
     * spec §7: stop ends it; records not tried stay Pending). */
    struct sqlp pk[] = {P_INT(cp->pk), P_INT(cp->updated_at)};
    if (cp->status != CSTATUS_ACTIVE && cp->status != CSTATUS_PAUSED &&
        sql_exec(s, c, &Q_INSTANCES_CLOSE, pk, 2, e) != 0)
        goto out;
    ret = reread(s, c, app_pk, id, cp, e);
out:
    free(list_pks);
    return ret;
}

enum store_rc store_campaign_write(struct store *s, int64_t app_pk, const char *id,
                                   const struct store_write *w, struct campaign *out,
                                   struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct store_effect fx = {0, 0, 0, 0};
    int64_t dnc_pk = 0;
    int ret = -1;
    if (sql_begin(s, c, app_pk, e) != 0 || read_by_id(s, c, app_pk, id, out, &dnc_pk, e) != 1)
        goto out;
    /* The doc may be shared with other readers: write to a private copy. */
    json_t *own = json_deep_copy(out->doc);
    json_decref(out->doc);
    out->doc = own;
    if (w->apply(out, w->arg, &fx) != 0) {
        store_problem(e, STORE_REJECTED, SW_CALLER, NULL, NULL);
        goto out;
    }
    if ((fx.remove ? delete_campaign(s, c, app_pk, out, e)
                   : write_changed(s, c, app_pk, id, w, &fx, out, dnc_pk, e)) != 0 ||
        sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    return sql_end(s, c, ret, e);
}

/* The key of cp's latest instance: 1 found, 0 none, -1 failure. */
static int latest_instance(struct store *s, struct conn *c, const struct campaign *cp, int64_t *ipk,
                           struct store_err *e)
{
    const char *iid = json_string_value(json_object_get(cp->doc, "campaignInstanceId"));
    if (iid == NULL)
        return 0;
    struct sqlp p[] = {P_INT(cp->pk), P_TEXT(iid)};
    return sql_int(s, c, &Q_INSTANCE_PK, p, 2, ipk, e);
}

/* One row of the contacts view from (phone, unique_id, outcome, attempts
 * the runner made). */
static json_t *view_row(const char *phone, const char *unique_id, const char *outcome,
                        int64_t attempts)
{
    json_t *rec = outcome ? json_loads(outcome, 0, NULL) : NULL;
    json_t *row = json_object();
    json_object_set_new(row, "phoneNumber", json_string(phone));
    json_object_set_new(row, "uniqueId", json_string(unique_id ? unique_id : ""));
    static const struct {
        const char *key;
        int kind; /* 0 string, 1 integer, 2 array */
        const char *def;
    } fields[] = {
        {"dialerOutcome", 0, "Pending"},    {"numberOfAttemptsSoFar", 1, NULL},
        {"botSessionId", 0, ""},            {"agentDispositionCodes", 2, NULL},
        {"botOutboundStatus", 0, ""},       {"botOutboundStatusDetail", 0, ""},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        json_t *v = json_object_get(rec, fields[i].key);
        if (v != NULL)
            json_object_set(row, fields[i].key, v);
        else if (fields[i].kind == 0)
            json_object_set_new(row, fields[i].key, json_string(fields[i].def));
        else if (fields[i].kind == 1)
            json_object_set_new(row, fields[i].key, json_integer(0));
        else
            json_object_set_new(row, fields[i].key, json_array());
    }
    json_decref(rec);
    if (attempts > 0)
        json_object_set_new(row, "numberOfAttemptsSoFar", json_integer(attempts));
    return row;
}

/* The contacts view's page as a result of (phone, unique_id, outcome) rows,
 * and its *total: cp's latest instance's snapshot, or its live audience
 * before the first start.  NULL on failure. */
static struct sqlres *contacts_query(struct store *s, struct conn *c, const struct campaign *cp,
                                     int64_t offset, int64_t limit, int64_t *total,
                                     struct store_err *e)
{
    int64_t ipk = 0, dnc_pk = 0;
    int rc = latest_instance(s, c, cp, &ipk, e);
    if (rc < 0)
        return NULL;
    if (rc == 1) {
        struct sqlp p[] = {P_INT(ipk), P_INT(limit), P_INT(offset)};
        if (sql_int(s, c, &Q_IC_COUNT, p, 1, total, e) < 0)
            return NULL;
        return sql_query(s, c, &Q_IC_PAGE, p, 3, e);
    }
    struct sqlp pk[] = {P_INT(cp->pk)};
    if (sql_int(s, c, &Q_C_DNC_PK, pk, 1, &dnc_pk, e) < 0)
        return NULL;
    struct sqlp p[] = {P_INT(cp->pk), dnc_pk ? P_INT(dnc_pk) : P_NULL, P_INT(limit), P_INT(offset)};
    if (sql_int(s, c, &Q_AUDIENCE_COUNT, p, 2, total, e) < 0)
        return NULL;
    return sql_query(s, c, &Q_AUDIENCE_PAGE, p, 4, e);
}

enum store_rc store_campaign_contacts(struct store *s, int64_t app_pk, const struct campaign *cp,
                                      int64_t offset, int64_t limit,
                                      struct store_contacts_page *out, struct store_err *e)
{
    (void)app_pk; /* cp was read from the tenant's rows */
    struct conn *c = sql_acquire(s);
    int ret = -1, rc;
    struct sqlres *r;
    out->results = json_array();
    out->total = 0;
    if (sql_begin(s, c, 0, e) != 0 ||
        (r = contacts_query(s, c, cp, offset, limit, &out->total, e)) == NULL)
        goto out;
    while ((rc = s->drv->next(r)) == 1)
        json_array_append_new(out->results,
                              view_row(s->drv->col_text(r, 0, NULL), s->drv->col_text(r, 1, NULL),
                                       s->drv->col_text(r, 2, NULL), s->drv->col_int(r, 3)));
    s->drv->done(r);
    if (rc < 0) {
        sql_fail(s, c, "contacts view", e);
        goto out;
    }
    ret = 0;
out:
    if (ret != 0) {
        json_decref(out->results);
        out->results = NULL;
    }
    return sql_end(s, c, ret, e);
}

enum store_rc store_campaign_calls_completed(struct store *s, int64_t app_pk,
                                             const struct campaign *cp, int64_t *out,
                                             struct store_err *e)
{
    (void)app_pk;
    struct conn *c = sql_acquire(s);
    int64_t ipk;
    *out = 0;
    int rc = latest_instance(s, c, cp, &ipk, e);
    if (rc == 1) {
        struct sqlp p[] = {P_INT(ipk)};
        rc = sql_int(s, c, &Q_IC_DONE, p, 1, out, e);
    }
    return sql_end(s, c, rc < 0 ? -1 : 0, e);
}

enum store_rc store_outcome_record(struct store *s, int64_t app_pk, const char *campaign_id,
                                   const struct store_outcome *o, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct campaign cp;
    int64_t ipk = 0, n = 0;
    int ret = -1, rc;
    char *digits = sql_digits(o->phone);
    char *rec = jsonio_dump(o->fields, NULL);
    campaign_init(&cp);
    if (sql_begin(s, c, app_pk, e) != 0 || read_by_id(s, c, app_pk, campaign_id, &cp, NULL, e) != 1 ||
        (rc = latest_instance(s, c, &cp, &ipk, e)) < 0)
        goto out;
    if (rc == 0) {
        store_problem(e, STORE_CONFLICT, SW_NEVER_STARTED, cp.name, NULL);
        goto out;
    }
    struct sqlp p[] = {P_INT(ipk), P_TEXT(digits),
                       P_TEXT(json_string_value(json_object_get(o->fields, "dialerOutcome"))),
                       P_TEXT(rec)};
    if (sql_int(s, c, &Q_IC_HAS, p, 2, &n, e) < 0)
        goto out;
    if (n == 0) {
        store_problem(e, STORE_NOT_FOUND, SW_NO_CONTACT, cp.name, o->phone);
        goto out;
    }
    if (sql_exec(s, c, &Q_IC_OUTCOME, p, 4, e) != 0 || sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    free(digits);
    free(rec);
    campaign_clear(&cp);
    return sql_end(s, c, ret, e);
}

enum store_rc store_record_attempt(struct store *s, int64_t app_pk, const char *campaign_id,
                                   const char *phone, char id[IDS_MAX + 1], struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct campaign cp;
    int64_t ipk = 0;
    int ret = -1, rc;
    char *digits = sql_digits(phone);
    id[0] = '\0';
    campaign_init(&cp);
    if (sql_begin(s, c, 0, e) != 0 || read_by_id(s, c, app_pk, campaign_id, &cp, NULL, e) != 1 ||
        (rc = latest_instance(s, c, &cp, &ipk, e)) < 0)
        goto out;
    struct sqlp p[] = {P_INT(ipk), P_TEXT(digits)};
    struct sqlres *r;
    if (rc == 1 && (rc = sql_first(s, c, &Q_IC_LATEST_ATTEMPT, p, 2, "attempt", &r, e)) < 0)
        goto out;
    if (rc == 1) {
        sql_copy(id, IDS_MAX + 1, s->drv->col_text(r, 0, NULL));
        s->drv->done(r);
    }
    ret = sql_commit(s, c, e);
out:
    free(digits);
    campaign_clear(&cp);
    return sql_end(s, c, ret, e);
}

enum store_rc store_registry_add(struct store *s, int64_t app_pk, const char *kind,
                                 const char *name, char id[IDS_MAX + 1], struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int ret = -1;
    if (sql_begin(s, c, app_pk, e) == 0 && registry_name(s, c, app_pk, kind, name, 1, id, e) == 1 &&
        sql_commit(s, c, e) == 0)
        ret = 0;
    return sql_end(s, c, ret, e);
}

enum store_rc store_campaign_export(struct store *s, int64_t app_pk, int type, json_t **out,
                                    struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int rc = -1, ret = -1;
    json_t *arr = json_array();
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(type < 0 ? "" : campaign_type_name((enum ctype)type))};
    if (sql_begin(s, c, 0, e) != 0)
        goto out;
    struct sqlres *r = sql_query(s, c, &Q_EXPORT, p, 2, e);
    if (r == NULL)
        goto out;
    while ((rc = s->drv->next(r)) == 1) {
        struct campaign item;
        campaign_init(&item);
        int bad = sql_read_campaign(s, c, r, &item, e);
        if (bad == 0)
            json_array_append_new(arr, campaign_render_export(&item));
        campaign_clear(&item);
        if (bad != 0) {
            s->drv->done(r);
            goto out;
        }
    }
    s->drv->done(r);
    if (rc < 0) {
        sql_fail(s, c, "export", e);
        goto out;
    }
    *out = arr;
    arr = NULL;
    ret = 0;
out:
    json_decref(arr);
    return sql_end(s, c, ret, e);
}
