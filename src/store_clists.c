/* store_clists.c - contact lists (which are also the DNC lists) and their
 * contacts (family spec §9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "text.h"
#include "store_int.h"
#include "timefmt.h"
#include "xalloc.h"

#define LIST_COLS                                                                             \
    "l.list_pk, l.id, l.name, l.doc, l.created_at, l.updated_at,"                             \
    " (SELECT COALESCE(max(ct.pos), 0) FROM contacts ct WHERE ct.list_pk = l.list_pk)"

static const struct sqlq Q_L_INSERT = {
    "INSERT INTO lists(app_pk, id, name, lname, doc, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING list_pk"};
static const struct sqlq Q_L_BY_ID = {
    "SELECT " LIST_COLS " FROM lists l WHERE l.app_pk = $1 AND l.id = $2"};
static const struct sqlq Q_L_ALL = {
    "SELECT " LIST_COLS " FROM lists l WHERE l.app_pk = $1 ORDER BY l.updated_at DESC, l.id DESC"};
static const struct sqlq Q_L_IN_USE = {
    /* "+c.app_pk": the list's campaign keys drive the lookup, never a walk
     * of the tenant's campaigns. */
    "SELECT c.name, c.id FROM campaigns c WHERE +c.app_pk = $1 AND c.campaign_pk IN"
    " (SELECT cl.campaign_pk FROM campaign_lists cl WHERE cl.list_pk = $2"
    " UNION SELECT d.campaign_pk FROM campaigns d WHERE d.app_pk = $1"
    " AND d.dnc_list_pk = $2) ORDER BY c.created_at, c.id"};
static const struct sqlq Q_L_NAME_TAKEN = {
    "SELECT 1 FROM lists WHERE app_pk = $1 AND lname = $2 AND list_pk <> $3"};
static const struct sqlq Q_L_UPDATE = {
    "UPDATE lists SET name = $3, lname = $4, doc = $5, updated_at = $6"
    " WHERE app_pk = $1 AND list_pk = $2"};
static const struct sqlq Q_L_DELETE = {
    "DELETE FROM lists WHERE app_pk = $1 AND list_pk = $2"};
static const struct sqlq Q_CT_PAGE = {
    "SELECT id, created_at, updated_at, phone, doc FROM contacts WHERE list_pk = $1"
    " AND pos > $3 ORDER BY pos LIMIT $2"};
static const struct sqlq Q_CT_COUNT = {
    "SELECT COALESCE(max(pos), 0) FROM contacts WHERE list_pk = $1"};
static const struct sqlq Q_L_BY_LNAME = {
    "SELECT list_pk, doc FROM lists WHERE app_pk = $1 AND lname = $2"};
static const struct sqlq Q_CT_HAS = {
    "SELECT 1 FROM contacts WHERE list_pk = $1 AND digits = $2 LIMIT 1"};
static const struct sqlq Q_CT_ADD = {
    "INSERT INTO contacts(list_pk, id, phone, digits, unique_id, doc, created_at, updated_at,"
    " time_zone, pos) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8,"
    " (SELECT COALESCE(max(pos), 0) + 1 FROM contacts WHERE list_pk = $1))"};
static const struct sqlq Q_L_TOUCH = {"UPDATE lists SET updated_at = $2 WHERE list_pk = $1"};

/* Reads LIST_COLS of r's row into l (zeroed); returns the list's key. */
static int64_t read_list(struct store *s, struct sqlres *r, struct clist *l)
{
    const struct sqldb_ops *d = s->drv;
    int64_t pk = d->col_int(r, 0);
    sql_copy(l->id, sizeof l->id, d->col_text(r, 1, NULL));
    l->name = xstrdup(d->col_text(r, 2, NULL));
    l->doc = json_loads(d->col_text(r, 3, NULL), 0, NULL);
    if (!json_is_object(l->doc)) {
        json_decref(l->doc);
        l->doc = json_object();
    }
    l->created_at = d->col_int(r, 4);
    l->updated_at = d->col_int(r, 5);
    l->total = d->col_int(r, 6);
    return pk;
}

/* Fills l->in_use: [{name, id}] of the tenant's campaigns using list pk.
 * 0, or -1. */
static int read_in_use(struct store *s, struct conn *c, int64_t app_pk, int64_t pk, struct clist *l,
                       struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk), P_INT(pk)};
    struct sqlres *r = sql_query(s, c, &Q_L_IN_USE, p, 2, e);
    if (r == NULL)
        return -1;
    int rc;
    l->in_use = json_array();
    while ((rc = s->drv->next(r)) == 1)
        json_array_append_new(l->in_use, json_pack("{s:s, s:s}", "name",
                                                   s->drv->col_text(r, 0, NULL), "id",
                                                   s->drv->col_text(r, 1, NULL)));
    s->drv->done(r);
    return rc == 0 ? 0 : sql_fail(s, c, "list in use", e);
}

/* Reads list `id` with its use into l and its key into *pk: 1 found, 0 not
 * found (SW_LIST), -1 failure. */
static int list_by_id(struct store *s, struct conn *c, int64_t app_pk, const char *id,
                      struct clist *l, int64_t *pk, struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(id)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_L_BY_ID, p, 2, "list by id", &r, e);
    if (rc == 0)
        store_problem(e, STORE_NOT_FOUND, SW_LIST, id, NULL);
    if (rc != 1)
        return rc;
    *pk = read_list(s, r, l);
    s->drv->done(r);
    return read_in_use(s, c, app_pk, *pk, l, e) == 0 ? 1 : -1;
}

/* 0 when no other list of the tenant has name (self: the list's own key, 0
 * for none), else -1 (SW_LIST_TAKEN, or the failure). */
static int list_name_free(struct store *s, struct conn *c, int64_t app_pk, const char *name,
                          int64_t self, struct store_err *e)
{
    char *lname = text_lower(name);
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(lname), P_INT(self)};
    int rc = sql_int(s, c, &Q_L_NAME_TAKEN, p, 3, NULL, e);
    free(lname);
    if (rc == 1)
        store_problem(e, STORE_CONFLICT, SW_LIST_TAKEN, name, NULL);
    return rc == 0 ? 0 : -1;
}

/* Stores a list's name and doc: a new list `id` when *pk is 0 (setting
 * *pk), else an update of list *pk; `at` is its creation or update time.
 * 0, or -1; a unique-index failure means a concurrent request took the
 * name (SW_LIST_TAKEN). */
static int put_list(struct store *s, struct conn *c, int64_t app_pk, int64_t *pk, const char *id,
                    const char *name, const json_t *doc, int64_t at, struct store_err *e)
{
    char *lname = text_lower(name), *text = jsonio_dump(doc, NULL);
    int rc;
    if (*pk == 0) {
        struct sqlp p[] = {P_INT(app_pk), P_TEXT(id),   P_TEXT(name),
                           P_TEXT(lname), P_TEXT(text), P_INT(at)};
        rc = sql_int(s, c, &Q_L_INSERT, p, 6, pk, e) == 1 ? 0 : -1;
    } else {
        struct sqlp p[] = {P_INT(app_pk), P_INT(*pk),   P_TEXT(name),
                           P_TEXT(lname), P_TEXT(text), P_INT(at)};
        rc = sql_exec(s, c, &Q_L_UPDATE, p, 6, e);
    }
    free(lname);
    free(text);
    if (rc != 0 && e->rc == STORE_CONFLICT) {
        store_err_reset(e);
        store_problem(e, STORE_CONFLICT, SW_LIST_TAKEN, name, NULL);
    }
    return rc;
}

enum store_rc store_list_create(struct store *s, int64_t app_pk, const char *client_id,
                                const struct clist_fields *f, struct clist *out,
                                struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int ret = -1;
    int64_t pk = 0;
    char id[IDS_MAX + 1];
    json_t *doc = json_pack("{s:s, s:s, s:b, s:s, s:s}", "description", f->description, "source",
                            "passiveApi", "allowDuplicates", f->allow_duplicates > 0, "createdBy",
                            client_id, "updatedBy", client_id);
    ids_new("cl", id);
    if (sql_begin(s, c, app_pk, e) != 0 || list_name_free(s, c, app_pk, f->name, 0, e) != 0 ||
        put_list(s, c, app_pk, &pk, id, f->name, doc, timefmt_now_ms(), e) != 0 ||
        list_by_id(s, c, app_pk, id, out, &pk, e) != 1 || sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    json_decref(doc);
    if (ret != 0)
        clist_clear(out); /* e.g. the commit failed on a full disk */
    return sql_end(s, c, ret, e);
}

enum store_rc store_list_get(struct store *s, int64_t app_pk, const char *id, struct clist *out,
                             struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int64_t pk;
    int rc = sql_begin(s, c, 0, e) == 0 ? list_by_id(s, c, app_pk, id, out, &pk, e) : -1;
    if (rc != 1)
        clist_clear(out);
    return sql_end(s, c, rc == 1 ? 0 : -1, e);
}

enum store_rc store_list_get_all(struct store *s, int64_t app_pk, struct clist **out, size_t *n,
                                 struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    size_t cap = 16;
    int64_t *pks = xcalloc(cap, sizeof *pks);
    int ret = -1, rc;
    *out = xcalloc(cap, sizeof **out);
    *n = 0;
    struct sqlp p[] = {P_INT(app_pk)};
    struct sqlres *r;
    if (sql_begin(s, c, 0, e) != 0 || (r = sql_query(s, c, &Q_L_ALL, p, 1, e)) == NULL)
        goto out;
    while ((rc = s->drv->next(r)) == 1) {
        if (*n == cap) {
            cap *= 2;
            *out = xrealloc(*out, cap * sizeof **out);
            pks = xrealloc(pks, cap * sizeof *pks);
        }
        memset(&(*out)[*n], 0, sizeof **out);
        pks[*n] = read_list(s, r, &(*out)[*n]);
        (*n)++;
    }
    s->drv->done(r);
    if (rc < 0) {
        sql_fail(s, c, "lists", e);
        goto out;
    }
    for (size_t i = 0; i < *n; i++)
        if (read_in_use(s, c, app_pk, pks[i], &(*out)[i], e) != 0)
            goto out;
    ret = 0;
out:
    free(pks);
    if (ret != 0) {
        for (size_t i = 0; i < *n; i++)
            clist_clear(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return sql_end(s, c, ret, e);
}

enum store_rc store_list_update(struct store *s, int64_t app_pk, const char *id,
                                const char *client_id, const struct clist_fields *f,
                                struct clist *out, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int64_t pk = 0;
    int ret = -1;
    if (sql_begin(s, c, app_pk, e) != 0 || list_by_id(s, c, app_pk, id, out, &pk, e) != 1)
        goto out;
    if (f->name != NULL && list_name_free(s, c, app_pk, f->name, pk, e) != 0)
        goto out;
    if (f->name != NULL) {
        free(out->name);
        out->name = xstrdup(f->name);
    }
    if (f->description != NULL)
        json_object_set_new(out->doc, "description", json_string(f->description));
    if (f->allow_duplicates >= 0)
        json_object_set_new(out->doc, "allowDuplicates", json_boolean(f->allow_duplicates));
    json_object_set_new(out->doc, "updatedBy", json_string(client_id));
    out->updated_at = timefmt_now_ms();
    if (put_list(s, c, app_pk, &pk, id, out->name, out->doc, out->updated_at, e) != 0 ||
        sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    if (ret != 0)
        clist_clear(out);
    return sql_end(s, c, ret, e);
}

/* The names of the campaigns of in_use ([{name, id}]), in its order, joined
 * by ", " (caller frees): every campaign is named. */
static char *in_use_names(const json_t *in_use)
{
    size_t i, len = 0, cap = 64;
    char *names = xmalloc(cap);
    json_t *u;
    names[0] = '\0';
    json_array_foreach(in_use, i, u) {
        const char *n = json_string_value(json_object_get(u, "name"));
        size_t need = len + strlen(n) + 3;
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            names = xrealloc(names, cap);
        }
        len += (size_t)snprintf(names + len, cap - len, "%s%s", i ? ", " : "", n);
    }
    return names;
}

enum store_rc store_list_delete(struct store *s, int64_t app_pk, const char *id, struct clist *out,
                                struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int64_t pk = 0;
    int ret = -1;
    if (sql_begin(s, c, app_pk, e) != 0 || list_by_id(s, c, app_pk, id, out, &pk, e) != 1)
        goto out;
    if (json_array_size(out->in_use) > 0) {
        char *names = in_use_names(out->in_use);
        store_problem(e, STORE_CONFLICT, SW_LIST_IN_USE, out->name, names);
        free(names);
        goto out;
    }
    struct sqlp p[] = {P_INT(app_pk), P_INT(pk)};
    if (sql_exec(s, c, &Q_L_DELETE, p, 2, e) != 0 || sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    if (ret != 0)
        clist_clear(out);
    return sql_end(s, c, ret, e);
}

/* A contact of Get Contacts from r's row of Q_CT_PAGE. */
static json_t *contact_row(struct store *s, struct sqlres *r)
{
    json_t *row = json_pack("{s:s, s:o, s:o, s:s}", "_id", s->drv->col_text(r, 0, NULL),
                            "createdAt", jsonio_time(s->drv->col_int(r, 1)), "updatedAt",
                            jsonio_time(s->drv->col_int(r, 2)), "phoneNumber",
                            s->drv->col_text(r, 3, NULL));
    json_t *extra = json_loads(s->drv->col_text(r, 4, NULL), 0, NULL);
    for (const char *const *k = clist_contact_fields; *k; k++) { /* in mapping order */
        json_t *v = json_object_get(extra, *k);
        if (v != NULL)
            json_object_set(row, *k, v);
    }
    json_decref(extra);
    return row;
}

enum store_rc store_list_contacts(struct store *s, int64_t app_pk, const char *id, int64_t offset,
                                  int64_t limit, json_t **results, int64_t *total,
                                  struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct clist l;
    int64_t pk = 0;
    int ret = -1, rc;
    memset(&l, 0, sizeof l);
    *results = json_array();
    if (sql_begin(s, c, 0, e) != 0 || list_by_id(s, c, app_pk, id, &l, &pk, e) != 1)
        goto out;
    struct sqlp p[] = {P_INT(pk), P_INT(limit), P_INT(offset)};
    if (sql_int(s, c, &Q_CT_COUNT, p, 1, total, e) < 0)
        goto out;
    struct sqlres *r = sql_query(s, c, &Q_CT_PAGE, p, 3, e);
    if (r == NULL)
        goto out;
    while ((rc = s->drv->next(r)) == 1)
        json_array_append_new(*results, contact_row(s, r));
    s->drv->done(r);
    if (rc < 0) {
        sql_fail(s, c, "contacts", e);
        goto out;
    }
    ret = 0;
out:
    clist_clear(&l);
    if (ret != 0) {
        json_decref(*results);
        *results = NULL;
    }
    return sql_end(s, c, ret, e);
}

/* The list named `name` (ASCII case-insensitive): its key and whether it
 * allows duplicates.  1 found, 0 not found (SW_LIST_NAME), -1 failure. */
static int list_by_name(struct store *s, struct conn *c, int64_t app_pk, const char *name,
                        int64_t *pk, int *allow, struct store_err *e)
{
    char *lname = text_lower(name);
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(lname)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_L_BY_LNAME, p, 2, "list by name", &r, e);
    free(lname);
    if (rc == 0)
        store_problem(e, STORE_NOT_FOUND, SW_LIST_NAME, name, NULL);
    if (rc != 1)
        return rc;
    *pk = s->drv->col_int(r, 0);
    json_t *doc = json_loads(s->drv->col_text(r, 1, NULL), 0, NULL);
    *allow = json_is_true(json_object_get(doc, "allowDuplicates"));
    json_decref(doc);
    s->drv->done(r);
    return 1;
}

/* Adds contact `it` ({phoneNumber, uniqueId, ...}) to list pk, unless
 * duplicates are not allowed and its number is in the list already (or was
 * added earlier in this transaction).  1 added, 0 skipped, -1 failure. */
static int add_contact(struct store *s, struct conn *c, int64_t pk, json_t *it, int allow,
                       int64_t now, struct store_err *e)
{
    const char *phone = json_string_value(json_object_get(it, "phoneNumber"));
    char *digits = sql_digits(phone);
    struct sqlp ph[] = {P_INT(pk), P_TEXT(digits)};
    int rc = allow ? 0 : sql_int(s, c, &Q_CT_HAS, ph, 2, NULL, e);
    if (rc == 0) {
        char id[IDS_MAX + 1];
        ids_new("cc", id);
        json_t *extra = json_object();
        const char *k;
        json_t *v;
        json_object_foreach(it, k, v)
            if (strcmp(k, "phoneNumber") != 0)
                json_object_set(extra, k, v);
        char *doc = jsonio_dump(extra, NULL);
        json_decref(extra);
        struct sqlp pa[] = {P_INT(pk), P_TEXT(id), P_TEXT(phone), P_TEXT(digits),
                            P_TEXT(json_string_value(json_object_get(it, "uniqueId"))),
                            P_TEXT(doc), P_INT(now),
                            P_TEXT(json_string_value(json_object_get(it, "timeZone")))};
        rc = sql_exec(s, c, &Q_CT_ADD, pa, 8, e) == 0 ? 1 : -1;
        free(doc);
    } else if (rc == 1) {
        rc = 0;
    }
    free(digits);
    return rc;
}

enum store_rc store_list_add_contacts(struct store *s, int64_t app_pk, const char *list_name,
                                      json_t *items, int (*validate)(json_t *items, void *ctx),
                                      void *ctx, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int64_t pk = 0, now = timefmt_now_ms(), added = 0;
    int allow = 0, ret = -1, rc;
    if (sql_begin(s, c, app_pk, e) != 0 ||
        list_by_name(s, c, app_pk, list_name, &pk, &allow, e) != 1)
        goto out;
    if (validate(items, ctx) != 0) {
        store_problem(e, STORE_REJECTED, SW_CALLER, NULL, NULL);
        goto out;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        if ((rc = add_contact(s, c, pk, it, allow, now, e)) < 0)
            goto out;
        added += rc;
    }
    struct sqlp pt[] = {P_INT(pk), P_INT(now)};
    if ((added > 0 && sql_exec(s, c, &Q_L_TOUCH, pt, 2, e) != 0) || sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    return sql_end(s, c, ret, e);
}
