/* store_import.c - `campaignd import` as one write transaction fed in
 * batches (store.h): campaigns go in with multi-row INSERTs (one round
 * trip per IMPORT_ROWS campaigns on PostgreSQL), list references resolve
 * through a per-import map (a file names a few hundred lists a million
 * times), and uniqueness is left to the unique indexes: ON CONFLICT DO
 * NOTHING inserts what is free, and an element that comes back without a
 * row conflicts with a stored campaign or an earlier element.  The counts
 * of the listing follow each campaign for small imports and are recounted
 * once at the end of a large one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "text.h"
#include "log.h"
#include "store_int.h"
#include "timefmt.h"
#include "xalloc.h"

#define IMPORT_ROWS 64         /* campaigns per INSERT (13 parameters each) */
#define IMPORT_LIST_ROWS 256   /* campaign_lists rows per INSERT (3 each) */
#define IMPORT_COUNT_EACH 1000 /* up to here counts follow each campaign */
#define CAMPAIGN_PARAMS 13

static const struct sqlq Q_I_ID_TAKEN = {
    "SELECT 1 FROM campaigns WHERE app_pk = $1 AND id = $2"};

struct list_ref {
    char *key;   /* given id (or "") + '\n' + lowered name */
    int64_t pk;
    char id[IDS_MAX + 1];
};

struct store_import {
    struct store *s;
    struct conn *c;
    int64_t app_pk, now;
    size_t added;
    int conflicts;
    /* list references seen: open addressing, a power of two */
    struct list_ref *refs;
    size_t nrefs, caprefs;
};

/* FNV-1a of the string p. */
static uint64_t hash_str(const char *p)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

/* The slot of key in the map: its entry, or the empty slot where it goes. */
static struct list_ref *ref_slot(struct store_import *im, const char *key)
{
    size_t mask = im->caprefs - 1;
    for (size_t i = hash_str(key) & mask;; i = (i + 1) & mask)
        if (im->refs[i].key == NULL || strcmp(im->refs[i].key, key) == 0)
            return &im->refs[i];
}

static void ref_grow(struct store_import *im)
{
    struct list_ref *old = im->refs;
    size_t n = im->caprefs;
    im->caprefs = n ? n * 2 : 1024;
    im->refs = xcalloc(im->caprefs, sizeof *im->refs);
    for (size_t i = 0; i < n; i++)
        if (old[i].key != NULL)
            *ref_slot(im, old[i].key) = old[i];
    free(old);
}

/* sql_list_resolve, remembered: the same reference resolves the same way
 * for the rest of the import (the lists it creates are the only change). */
static int64_t resolve(struct store_import *im, char id[IDS_MAX + 1], const char *name, long elem,
                       long index, struct store_err *e)
{
    char *lname = text_lower(name);
    size_t klen = strlen(id) + strlen(lname) + 2;
    char *key = xmalloc(klen);
    snprintf(key, klen, "%s\n%s", id, lname);
    free(lname);
    if (2 * (im->nrefs + 1) > im->caprefs)
        ref_grow(im);
    struct list_ref *r = ref_slot(im, key);
    if (r->key != NULL) {
        free(key);
        memcpy(id, r->id, sizeof r->id);
        return r->pk;
    }
    int64_t pk = sql_list_resolve(im->s, im->c, im->app_pk, id, name, elem, index, im->now, e);
    if (pk <= 0) {
        free(key);
        return pk;
    }
    r->key = key;
    r->pk = pk;
    memcpy(r->id, id, sizeof r->id);
    im->nrefs++;
    return pk;
}

enum store_rc store_import_begin(struct store *s, int64_t app_pk, struct store_import **out,
                                 struct store_err *e)
{
    struct store_import *im = xcalloc(1, sizeof *im);
    im->s = s;
    im->c = sql_acquire(s);
    im->app_pk = app_pk;
    im->now = timefmt_now_ms();
    s->drv->bulk(im->c->db, 1);
    if (sql_begin(s, im->c, app_pk, e) != 0) {
        s->drv->bulk(im->c->db, 0);
        sql_release(s, im->c);
        free(im);
        return store_result(-1, e);
    }
    *out = im;
    return STORE_OK;
}

/* Resolves item idx's lists into dnc_pk and list_pks: 1 resolved, 0 when a
 * reference conflicts (reported), -1 on failure. */
static int item_lists(struct store_import *im, struct campaign *it, size_t idx, int64_t *dnc_pk,
                      int64_t *list_pks, size_t nlists, struct store_err *e)
{
    int ok = 1;
    *dnc_pk = 0;
    if (it->dnc != NULL) {
        char id[IDS_MAX + 1] = "";
        sql_copy(id, sizeof id, json_string_value(json_object_get(it->dnc, "id")));
        *dnc_pk =
            resolve(im, id, json_string_value(json_object_get(it->dnc, "name")), (long)idx, -1, e);
        if (*dnc_pk < 0)
            return -1;
        if (*dnc_pk == 0)
            ok = 0;
        else
            json_object_set_new(it->dnc, "id", json_string(id));
    }
    for (size_t i = 0; i < nlists; i++) {
        char id[IDS_MAX + 1] = "";
        list_pks[i] = resolve(im, id, json_string_value(json_array_get(it->contact_lists, i)),
                              (long)idx, (long)i, e);
        if (list_pks[i] < 0)
            return -1;
        if (list_pks[i] == 0)
            ok = 0;
        for (size_t j = 0; j < i; j++) {
            if (list_pks[i] != 0 && list_pks[j] == list_pks[i]) {
                struct store_problem *sp =
                    store_problem(e, STORE_CONFLICT, SW_IMP_SAME_LIST, NULL, NULL);
                sp->elem = (long)idx;
                sp->index = (long)i;
                sp->other = (long)j;
                ok = 0;
            }
        }
    }
    return ok;
}

/* Why item idx came back without a row: its id, or else its name.  0, or
 * -1. */
static int report_conflict(struct store_import *im, const struct campaign *it, size_t idx,
                           struct store_err *e)
{
    struct sqlp p[] = {P_INT(im->app_pk), P_TEXT(it->id)};
    int r = sql_int(im->s, im->c, &Q_I_ID_TAKEN, p, 2, NULL, e);
    if (r < 0)
        return -1;
    struct store_problem *sp =
        r == 1 ? store_problem(e, STORE_CONFLICT, SW_IMP_ID_TAKEN, it->id, NULL)
               : store_problem(e, STORE_CONFLICT, SW_IMP_NAME_TAKEN, it->name, NULL);
    sp->elem = (long)idx;
    sp->type = (int)it->type;
    return 0;
}

static void insert_sql(size_t n, char *sql, size_t cap)
{
    int len = snprintf(sql, cap,
                       "INSERT INTO campaigns(app_pk, id, type, name, lname, status, priority,"
                       " dialing_mode, created_at, updated_at, instance_updated_at, dnc_list_pk,"
                       " doc) VALUES ");
    for (size_t i = 0; i < n; i++) {
        len += snprintf(sql + len, cap - (size_t)len, "%s(", i ? ", " : "");
        for (int k = 1; k <= CAMPAIGN_PARAMS; k++)
            len += snprintf(sql + len, cap - (size_t)len, "%s$%zu", k > 1 ? ", " : "",
                            i * CAMPAIGN_PARAMS + (size_t)k);
        len += snprintf(sql + len, cap - (size_t)len, ")");
    }
    snprintf(sql + len, cap - (size_t)len, " ON CONFLICT DO NOTHING RETURNING campaign_pk, id");
}

static void lists_sql(size_t n, char *sql, size_t cap)
{
    int len = snprintf(sql, cap, "INSERT INTO campaign_lists(campaign_pk, pos, list_pk) VALUES ");
    for (size_t i = 0; i < n; i++)
        len += snprintf(sql + len, cap - (size_t)len, "%s($%zu, $%zu, $%zu)", i ? ", " : "",
                        3 * i + 1, 3 * i + 2, 3 * i + 3);
}

/* Inserts the list rows of the inserted items of a batch: 0, or -1. */
static int insert_lists(struct store_import *im, struct campaign *items, size_t n,
                        int64_t **list_pks, struct store_err *e)
{
    struct sqlp p[3 * IMPORT_LIST_ROWS];
    size_t k = 0;
    for (size_t i = 0; i <= n; i++) {
        size_t nl = i < n && items[i].pk > 0 ? json_array_size(items[i].contact_lists) : 0;
        if (k > 0 && (i == n || k + nl > IMPORT_LIST_ROWS)) {
            char text[3 * IMPORT_LIST_ROWS * 24 + 128];
            lists_sql(k, text, sizeof text);
            struct sqlq q = {text};
            if (sql_exec(im->s, im->c, &q, p, (int)(3 * k), e) != 0)
                return -1;
            k = 0;
        }
        for (size_t j = 0; j < nl; j++, k++) {
            p[3 * k] = P_INT(items[i].pk);
            p[3 * k + 1] = P_INT((int64_t)j);
            p[3 * k + 2] = P_INT(list_pks[i][j]);
        }
    }
    return 0;
}

/* Binds item `it` as one row of the campaigns INSERT into q[0..
 * CAMPAIGN_PARAMS), with its lowered name and doc text allocated into
 * *lname and *doc (caller frees). */
static void bind_item(const struct store_import *im, const struct campaign *it, int64_t dnc_pk,
                      struct sqlp *q, char **lname, char **doc)
{
    *lname = text_lower(it->name);
    *doc = jsonio_dump(it->doc, NULL);
    q[0] = P_INT(im->app_pk);
    q[1] = P_TEXT(it->id);
    q[2] = P_TEXT(campaign_type_name(it->type));
    q[3] = P_TEXT(it->name);
    q[4] = P_TEXT(*lname);
    q[5] = P_INT(it->status);
    q[6] = P_INT(it->priority);
    q[7] = P_INT(it->mode);
    q[8] = P_INT(it->created_at);
    q[9] = P_INT(it->updated_at);
    q[10] = it->instance_updated_at == CAMPAIGN_NO_TIME ? P_NULL : P_INT(it->instance_updated_at);
    q[11] = dnc_pk > 0 ? P_INT(dnc_pk) : P_NULL;
    q[12] = P_TEXT(*doc);
}

/* After a batch's INSERT: every item that came back without a row is
 * reported as a conflict, every inserted one counted (and, up to
 * IMPORT_COUNT_EACH, added to the listing's counts).  0, or -1. */
static int after_insert(struct store_import *im, const struct campaign *items, size_t n,
                        size_t first, struct store_err *e)
{
    for (size_t i = 0; i < n; i++) {
        const struct campaign *it = &items[i];
        if (it->pk == 0) {
            if (report_conflict(im, it, first + i, e) != 0)
                return -1;
            im->conflicts = 1;
            continue;
        }
        im->added++;
        if (im->added <= IMPORT_COUNT_EACH) {
            struct lc_change ch = {it->created_at,
                                   lc_slot((int)it->status, it->priority, (int)it->mode), +1};
            if (sql_counts_change(im->s, im->c, im->app_pk, campaign_type_name(it->type), &ch, 1,
                                  e) != 0)
                return -1;
        }
    }
    return 0;
}

/* One INSERT of up to IMPORT_ROWS items (lists resolved), their list rows,
 * and what after_insert does: 0, or -1. */
static int insert_batch(struct store_import *im, struct campaign *items, size_t n, size_t first,
                        const int64_t *dnc_pks, int64_t **list_pks, struct store_err *e)
{
    struct store *s = im->s;
    struct sqlp p[IMPORT_ROWS * CAMPAIGN_PARAMS];
    char *lname[IMPORT_ROWS], *doc[IMPORT_ROWS];
    char sql[IMPORT_ROWS * CAMPAIGN_PARAMS * 8 + 512];
    int ret = -1, rc;
    for (size_t i = 0; i < n; i++) {
        bind_item(im, &items[i], dnc_pks[i], &p[i * CAMPAIGN_PARAMS], &lname[i], &doc[i]);
        items[i].pk = 0;
    }
    insert_sql(n, sql, sizeof sql);
    struct sqlq q = {sql};
    struct sqlres *r = sql_query(s, im->c, &q, p, (int)(n * CAMPAIGN_PARAMS), e);
    if (r == NULL)
        goto out;
    size_t at = 0;
    while ((rc = s->drv->next(r)) == 1) {
        const char *id = s->drv->col_text(r, 1, NULL);
        /* Rows come back in VALUES order; search on from the last match. */
        for (size_t k = 0; k < n && strcmp(items[at].id, id ? id : "") != 0; k++)
            at = (at + 1) % n;
        if (strcmp(items[at].id, id ? id : "") == 0)
            items[at].pk = s->drv->col_int(r, 0);
    }
    s->drv->done(r);
    if (rc < 0)
        sql_fail(s, im->c, "import", e);
    else if (after_insert(im, items, n, first, e) == 0)
        ret = insert_lists(im, items, n, list_pks, e);
out:
    for (size_t i = 0; i < n; i++) {
        free(lname[i]);
        free(doc[i]);
    }
    return ret;
}

/* Fills in what item `it` left out (times, id) before it is stored, and
 * remembers that contactLists was absent, so export omits it too. */
static void complete_item(const struct store_import *im, struct campaign *it)
{
    if (it->created_at == CAMPAIGN_NO_TIME)
        it->created_at = im->now;
    if (it->updated_at == CAMPAIGN_NO_TIME)
        it->updated_at = im->now;
    if (it->id[0] == '\0')
        ids_new("cd", it->id);
    if (it->contact_lists == NULL)
        json_object_set_new(it->doc, "noContactLists", json_true());
}

enum store_rc store_import_add(struct store_import *im, struct campaign *items, size_t n,
                               size_t first, struct store_err *e)
{
    /* After a conflict the import can only be rolled back: the elements
     * reported so far say why, and nothing more is written. */
    for (size_t at = 0; at < n && !im->conflicts; at += IMPORT_ROWS) {
        size_t k = n - at < IMPORT_ROWS ? n - at : IMPORT_ROWS;
        int64_t dnc_pks[IMPORT_ROWS];
        int64_t *list_pks[IMPORT_ROWS];
        int bad = 0, ret = 0;
        for (size_t i = 0; i < k; i++) {
            struct campaign *it = &items[at + i];
            complete_item(im, it);
            size_t nl = json_array_size(it->contact_lists);
            list_pks[i] = xcalloc(nl + 1, sizeof *list_pks[i]);
            int r = item_lists(im, it, first + at + i, &dnc_pks[i], list_pks[i], nl, e);
            if (r < 0)
                ret = -1;
            bad |= r == 0;
        }
        if (ret == 0 && bad)
            im->conflicts = 1;
        else if (ret == 0)
            ret = insert_batch(im, &items[at], k, first + at, dnc_pks, list_pks, e);
        for (size_t i = 0; i < k; i++)
            free(list_pks[i]);
        if (ret != 0)
            return store_result(-1, e);
    }
    return im->conflicts ? STORE_CONFLICT : STORE_OK;
}

enum store_rc store_import_end(struct store_import *im, int commit, struct store_err *e)
{
    struct store *s = im->s;
    int ret = -1;
    if (im->conflicts) {
        store_problem(e, STORE_CONFLICT, SW_IMP_CONFLICTS, NULL, NULL);
    } else if (!commit) {
        ret = 0; /* rolled back, as asked */
    } else if ((im->added <= IMPORT_COUNT_EACH ||
                sql_counts_recount(s, im->c, im->app_pk, e) == 0) &&
               sql_commit(s, im->c, e) == 0) {
        ret = 0;
    }
    s->drv->rollback(im->c->db);
    s->drv->bulk(im->c->db, 0);
    sql_release(s, im->c);
    for (size_t i = 0; i < im->caprefs; i++)
        free(im->refs[i].key);
    free(im->refs);
    free(im);
    return store_result(ret, e);
}
