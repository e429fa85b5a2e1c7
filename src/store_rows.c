/* store_rows.c - a campaign's row: read (with its parsed doc, cached per
 * connection), written with its list links and counts, and the contact
 * list references of contract.md §6 resolved.  Used by every file that
 * reads or writes campaigns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "text.h"
#include "log.h"
#include "store_int.h"
#include "xalloc.h"

static const struct sqlq Q_CAMPAIGN_LISTS = {
    "SELECT l.name FROM campaign_lists cl JOIN lists l ON l.list_pk = cl.list_pk"
    " WHERE cl.campaign_pk = $1 ORDER BY cl.pos"};
static const struct sqlq Q_LIST_BY_LNAME = {
    "SELECT list_pk, id, name FROM lists WHERE app_pk = $1 AND lname = $2"};
static const struct sqlq Q_LIST_BY_ID = {
    "SELECT list_pk, id, name FROM lists WHERE app_pk = $1 AND id = $2"};
static const struct sqlq Q_LIST_ADD = {
    "INSERT INTO lists(app_pk, id, name, lname, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $5) RETURNING list_pk"};
static const struct sqlq Q_CAMPAIGN_ADD = {
    "INSERT INTO campaigns(app_pk, id, type, name, lname, status, priority, dialing_mode,"
    " created_at, updated_at, instance_updated_at, dnc_list_pk, doc, fire_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING campaign_pk"};
static const struct sqlq Q_CAMPAIGN_LIST_ADD = {
    "INSERT INTO campaign_lists(campaign_pk, pos, list_pk) VALUES ($1, $2, $3)"};
static const struct sqlq Q_CAMPAIGN_UPDATE = {
    "UPDATE campaigns SET name = $3, lname = $4, status = $5, priority = $6,"
    " dialing_mode = $7, updated_at = $8, instance_updated_at = $9, dnc_list_pk = $10,"
    " doc = $11, fire_at = $12 WHERE app_pk = $1 AND campaign_pk = $2"};
static const struct sqlq Q_CAMPAIGN_LISTS_CLEAR = {
    "DELETE FROM campaign_lists WHERE campaign_pk = $1"};
static const struct sqlq Q_CAMPAIGN_SLOT = {
    "SELECT created_at, status, priority, dialing_mode FROM campaigns WHERE campaign_pk = $1"};

/* ---- operations: campaigns ---------------------------------------------- */

/* The parsed doc for text[0..len): a new reference, NULL if unparsable. */
static json_t *doc_get(struct conn *c, const char *text, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    struct doc_entry *d = &c->docs[h & (DOC_CACHE - 1)];
    if (d->doc != NULL && d->hash == h && d->len == len && memcmp(d->text, text, len) == 0)
        return json_incref(d->doc);
    json_t *doc = json_loadb(text, len, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return NULL;
    }
    free(d->text);
    json_decref(d->doc);
    d->hash = h;
    d->text = xstrndup(text, len);
    d->len = len;
    d->doc = json_incref(doc);
    return doc;
}

enum ctype sql_col_type(struct store *s, struct sqlres *r, int col)
{
    const char *t = s->drv->col_text(r, col, NULL);
    return t != NULL && campaign_type_parse(t) == CTYPE_SMS ? CTYPE_SMS : CTYPE_VOICE;
}

int sql_read_campaign_row(struct store *s, struct conn *conn, struct sqlres *r, struct campaign *c,
                          struct store_err *e)
{
    const struct sqldb_ops *d = s->drv;
    int64_t pk = d->col_int(r, CC_PK);
    c->pk = pk;
    sql_copy(c->id, sizeof c->id, d->col_text(r, CC_ID, NULL));
    c->type = sql_col_type(s, r, CC_TYPE);
    c->name = xstrdup(d->col_text(r, CC_NAME, NULL));
    c->status = (enum cstatus)d->col_int(r, CC_STATUS);
    c->priority = (int)d->col_int(r, CC_PRIORITY);
    c->mode = (enum cmode)d->col_int(r, CC_MODE);
    c->created_at = d->col_int(r, CC_CREATED);
    c->updated_at = d->col_int(r, CC_UPDATED);
    c->instance_updated_at = d->col_text(r, CC_INSTANCE_UPDATED, NULL) == NULL
                                 ? CAMPAIGN_NO_TIME
                                 : d->col_int(r, CC_INSTANCE_UPDATED);
    c->fire_at = d->col_text(r, CC_FIRE, NULL) == NULL ? CAMPAIGN_NO_TIME : d->col_int(r, CC_FIRE);
    size_t len = 0;
    const char *doc = d->col_text(r, CC_DOC, &len);
    json_decref(c->doc);
    c->doc = doc ? doc_get(conn, doc, len) : NULL;
    if (c->doc == NULL) {
        log_error("store: campaign %s has an unreadable doc", c->id);
        store_fail(e, STORE_INTERNAL, SW_DB, "campaign doc", NULL);
        c->doc = json_object();
        return -1;
    }
    const char *dnc_id = d->col_text(r, CC_DNC_ID, NULL);
    if (dnc_id != NULL)
        c->dnc = json_pack("{s:s, s:s}", "id", dnc_id, "name", d->col_text(r, CC_DNC_NAME, NULL));
    /* An imported campaign without contactLists keeps the key absent. */
    if (!json_is_true(json_object_get(c->doc, "noContactLists")))
        c->contact_lists = json_array();
    return 0;
}

int sql_read_campaign(struct store *s, struct conn *conn, struct sqlres *r, struct campaign *c,
                      struct store_err *e)
{
    const struct sqldb_ops *d = s->drv;
    if (sql_read_campaign_row(s, conn, r, c, e) != 0)
        return -1;
    if (c->contact_lists == NULL)
        return 0;
    struct sqlp p[] = {P_INT(c->pk)};
    struct sqlres *lr = sql_query(s, conn, &Q_CAMPAIGN_LISTS, p, 1, e);
    if (lr == NULL)
        return -1;
    int rc;
    while ((rc = d->next(lr)) == 1)
        json_array_append_new(c->contact_lists, json_string(d->col_text(lr, 0, NULL)));
    d->done(lr);
    return rc == 0 ? 0 : sql_fail(s, conn, "campaign lists", e);
}

/* A conflict of import element elem's reference at contactLists[index]
 * (dncLists when index is -1): returns 0, the "conflict" of
 * sql_list_resolve. */
static int64_t ref_conflict(struct store_err *e, enum store_what what, const char *a, const char *b,
                            long elem, long index)
{
    struct store_problem *sp = store_problem(e, STORE_CONFLICT, what, a, b);
    sp->elem = elem;
    sp->index = index;
    return 0;
}

/* Finds or creates the list that (id, name) names in the tenant, per
 * contract.md §6.  Fills in id when it was not given.  Returns list_pk, 0 for
 * a conflict (a problem of import element elem, list index), or -1 on a
 * store failure. */
int64_t sql_list_resolve(struct store *s, struct conn *c, int64_t app_pk, char id[IDS_MAX + 1],
                         const char *name, long elem, long index, int64_t now, struct store_err *e)
{
    const struct sqldb_ops *d = s->drv;
    char *lname = text_lower(name);
    int64_t pk = -1, by_name = 0, by_id = 0;
    char name_id[IDS_MAX + 1] = "";
    int same_name = 0, rc;
    struct sqlres *r;
    struct sqlp pn[] = {P_INT(app_pk), P_TEXT(lname)};
    if ((rc = sql_first(s, c, &Q_LIST_BY_LNAME, pn, 2, "list by name", &r, e)) == 1) {
        by_name = d->col_int(r, 0);
        sql_copy(name_id, sizeof name_id, d->col_text(r, 1, NULL));
        d->done(r);
    }
    if (rc < 0)
        goto out;
    struct sqlp pi[] = {P_INT(app_pk), P_TEXT(id)};
    if (id[0] != '\0' && (rc = sql_first(s, c, &Q_LIST_BY_ID, pi, 2, "list by id", &r, e)) == 1) {
        by_id = d->col_int(r, 0);
        char *l = text_lower(d->col_text(r, 2, NULL));
        same_name = strcmp(l, lname) == 0;
        free(l);
        d->done(r);
    }
    if (rc < 0)
        goto out;
    if (id[0] != '\0' && by_id != 0 && !same_name) {
        pk = ref_conflict(e, SW_IMP_LIST_OTHER_NAME, id, NULL, elem, index);
    } else if (id[0] != '\0' && by_id == 0 && by_name != 0) {
        pk = ref_conflict(e, SW_IMP_LIST_OTHER_ID, name, name_id, elem, index);
    } else if (by_id != 0) {
        pk = by_id;
    } else if (id[0] == '\0' && by_name != 0) {
        memcpy(id, name_id, sizeof name_id);
        pk = by_name;
    } else {
        if (id[0] == '\0')
            ids_new("cl", id);
        struct sqlp pa[] = {P_INT(app_pk), P_TEXT(id), P_TEXT(name), P_TEXT(lname), P_INT(now)};
        if (sql_int(s, c, &Q_LIST_ADD, pa, 5, &pk, e) != 1)
            pk = -1;
    }
out:
    free(lname);
    return pk;
}

/* The counts' change for an update of `it` (ch[0], already its new slot):
 * ch[1] its stored slot leaving.  Sets *n to the changes to make: 0 when
 * the slot stays, else 2.  0, or -1. */
static int slot_change(struct store *s, struct conn *c, const struct campaign *it,
                       struct lc_change ch[2], int *n, struct store_err *e)
{
    struct sqlp p[] = {P_INT(it->pk)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_CAMPAIGN_SLOT, p, 1, "campaign slot", &r, e);
    if (rc == 0)
        return store_fail(e, STORE_INTERNAL, SW_DB, "campaign slot", NULL);
    if (rc < 0)
        return -1;
    ch[1] = (struct lc_change){s->drv->col_int(r, 0),
                               lc_slot((int)s->drv->col_int(r, 1), (int)s->drv->col_int(r, 2),
                                       (int)s->drv->col_int(r, 3)),
                               -1};
    s->drv->done(r);
    *n = ch[1].created_at == ch[0].created_at && ch[1].slot == ch[0].slot ? 0 : 2;
    return 0;
}

int sql_campaign_store(struct store *s, struct conn *c, int64_t app_pk, struct campaign *it,
                       int64_t dnc_pk, const int64_t *list_pks, ssize_t nlists, struct store_err *e)
{
    char *lname = text_lower(it->name);
    char *doc = jsonio_dump(it->doc, NULL);
    int ret = -1;
    struct sqlp dnc = dnc_pk > 0 ? P_INT(dnc_pk) : P_NULL;
    struct sqlp iua =
        it->instance_updated_at == CAMPAIGN_NO_TIME ? P_NULL : P_INT(it->instance_updated_at);
    struct sqlp fire = it->fire_at == CAMPAIGN_NO_TIME ? P_NULL : P_INT(it->fire_at);
    struct lc_change ch[2] = {
        {it->created_at, lc_slot((int)it->status, it->priority, (int)it->mode), +1}};
    int nch = 1;
    if (it->pk == 0) {
        struct sqlp p[] = {
            P_INT(app_pk), P_TEXT(it->id), P_TEXT(campaign_type_name(it->type)),
            P_TEXT(it->name), P_TEXT(lname), P_INT(it->status), P_INT(it->priority),
            P_INT(it->mode), P_INT(it->created_at), P_INT(it->updated_at), iua, dnc, P_TEXT(doc),
            fire,
        };
        if (sql_int(s, c, &Q_CAMPAIGN_ADD, p, 14, &it->pk, e) != 1)
            goto out;
    } else {
        /* The counts move only when the campaign changes slot. */
        if (slot_change(s, c, it, ch, &nch, e) != 0)
            goto out;
        struct sqlp p[] = {
            P_INT(app_pk), P_INT(it->pk), P_TEXT(it->name), P_TEXT(lname), P_INT(it->status),
            P_INT(it->priority), P_INT(it->mode), P_INT(it->updated_at), iua, dnc, P_TEXT(doc),
            fire,
        };
        if (sql_exec(s, c, &Q_CAMPAIGN_UPDATE, p, 12, e) != 0)
            goto out;
        struct sqlp pc[] = {P_INT(it->pk)};
        if (nlists >= 0 && sql_exec(s, c, &Q_CAMPAIGN_LISTS_CLEAR, pc, 1, e) != 0)
            goto out;
    }
    for (ssize_t i = 0; i < nlists; i++) {
        struct sqlp pl[] = {P_INT(it->pk), P_INT((int64_t)i), P_INT(list_pks[i])};
        if (sql_exec(s, c, &Q_CAMPAIGN_LIST_ADD, pl, 3, e) != 0)
            goto out;
    }
    if (nch > 0 && sql_counts_change(s, c, app_pk, campaign_type_name(it->type), ch, nch, e) != 0)
        goto out;
    ret = 0;
out:
    free(doc);
    free(lname);
    return ret;
}
