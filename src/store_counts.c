/* store_counts.c - the maintained counts behind totalResults (lcount.h).
 *
 * Each (tenant, type) has bucket rows at LC_LEVELS levels, each row a vector
 * of counts per slot (status, priority, dialing mode).  They change in the
 * same transaction as every campaign write (sql_counts_change, from
 * sql_campaign_store and the delete), a whole tenant can be recounted from
 * its campaigns (sql_counts_recount: after a large import, and when the
 * schema gains the counts), and a listing sums at most 16 runs of rows plus
 * the few campaigns in the two partial level-0 buckets at the range's edges
 * (sql_counts_read), whatever the tenant's size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lcount.h"
#include "log.h"
#include "store_int.h"
#include "xalloc.h"

/* ---- counts -------------------------------------------------------------- */

/* Up to SPAN_SLOTS runs (level, lo, hi) of bucket rows in one statement;
 * unused slots have level -1.  One arm per run, joined by UNION ALL, so
 * each is its own range of the primary key (with ORs and bound parameters
 * SQLite reads the tenant's whole type instead); column 0 is the arm, as
 * runs may overlap. */
#define SPAN_ARM(k, a, b, c)                                                               \
    "SELECT " #k ", level, bucket, v FROM campaign_counts WHERE app_pk = $1 AND type = $2" \
    " AND level = $" #a " AND bucket BETWEEN $" #b " AND $" #c
static const struct sqlq Q_COUNTS_SPANS = {
    SPAN_ARM(0, 3, 4, 5) " UNION ALL " SPAN_ARM(1, 6, 7, 8) " UNION ALL " SPAN_ARM(2, 9, 10, 11)
    " UNION ALL " SPAN_ARM(3, 12, 13, 14) " UNION ALL " SPAN_ARM(4, 15, 16, 17)
    " UNION ALL " SPAN_ARM(5, 18, 19, 20) " UNION ALL " SPAN_ARM(6, 21, 22, 23)
    " UNION ALL " SPAN_ARM(7, 24, 25, 26) " UNION ALL " SPAN_ARM(8, 27, 28, 29)
    " UNION ALL " SPAN_ARM(9, 30, 31, 32) " UNION ALL " SPAN_ARM(10, 33, 34, 35)
    " UNION ALL " SPAN_ARM(11, 36, 37, 38) " UNION ALL " SPAN_ARM(12, 39, 40, 41)
    " UNION ALL " SPAN_ARM(13, 42, 43, 44) " UNION ALL " SPAN_ARM(14, 45, 46, 47)
    " UNION ALL " SPAN_ARM(15, 48, 49, 50)};
#define SPAN_SLOTS 16 /* LC_SPANS_MAX + 1, and 2 * LC_LEVELS keys of a change */

/* The campaigns of the two partial edge buckets. */
#define EDGE_ARM(a, b)                                                                     \
    "SELECT status, priority, dialing_mode FROM campaigns /*+INDEXED BY campaigns_created*/" \
    " WHERE app_pk = $1 AND type = $2 AND created_at BETWEEN $" #a " AND $" #b
static const struct sqlq Q_COUNTS_EDGES = {EDGE_ARM(3, 4) " UNION ALL " EDGE_ARM(5, 6)};

static const struct sqlq Q_COUNTS_CLEAR = {
    "DELETE FROM campaign_counts WHERE app_pk = $1"};
/* The tenant's campaigns in (type, created_at) order: campaigns_created
 * holds every column read, so this is one index walk. */
static const struct sqlq Q_COUNTS_SCAN = {
    "SELECT type, created_at, status, priority, dialing_mode FROM campaigns"
    " WHERE app_pk = $1 ORDER BY type, created_at"};
static const struct sqlq Q_COUNTS_APPS = {
    "SELECT a.app_pk FROM apps a WHERE EXISTS (SELECT 1 FROM campaigns c"
    " WHERE c.app_pk = a.app_pk) AND NOT EXISTS (SELECT 1 FROM campaign_counts k"
    " WHERE k.app_pk = a.app_pk) ORDER BY a.app_pk"};

/* Upserts of n rows (app_pk, type, level, bucket, v). */
#define COUNTS_PUT_MAX 24
static void counts_put_sql(int n, char *sql, size_t cap)
{
    int len = snprintf(sql, cap, "INSERT INTO campaign_counts(app_pk, type, level, bucket, v) VALUES ");
    for (int i = 0; i < n; i++)
        len += snprintf(sql + len, cap - (size_t)len, "%s($1, $2, $%d, $%d, $%d)", i ? ", " : "",
                        3 * i + 3, 3 * i + 4, 3 * i + 5);
    snprintf(sql + len, cap - (size_t)len,
             " ON CONFLICT (app_pk, type, level, bucket) DO UPDATE SET v = excluded.v");
}

/* The bucket rows of spans[0..n) (n <= SPAN_SLOTS); finish with done(). */
static struct sqlres *spans_query(struct store *s, struct conn *c, int64_t app_pk, const char *type,
                                  const struct lc_span *spans, int n, struct store_err *e)
{
    struct sqlp p[2 + 3 * SPAN_SLOTS];
    p[0] = P_INT(app_pk);
    p[1] = P_TEXT(type);
    for (int k = 0; k < SPAN_SLOTS; k++) {
        p[2 + 3 * k] = P_INT(k < n ? spans[k].level : -1);
        p[3 + 3 * k] = P_INT(k < n ? spans[k].lo : 0);
        p[4 + 3 * k] = P_INT(k < n ? spans[k].hi : -1);
    }
    return sql_query(s, c, &Q_COUNTS_SPANS, p, 2 + 3 * SPAN_SLOTS, e);
}

/* The one answer to counts that do not parse. */
static int unreadable(int64_t app_pk, struct store_err *e)
{
    log_error("store: unreadable counts of app %lld", (long long)app_pk);
    return store_fail(e, STORE_INTERNAL, SW_DB, "counts", NULL);
}

struct count_row {
    int level;
    int64_t bucket;
    struct lc_vec v;
    char text[LC_TEXT_MAX];
};

/* Writes rows[0..n) of (app_pk, type). */
static int counts_put(struct store *s, struct conn *c, int64_t app_pk, const char *type,
                      struct count_row *rows, int n, struct store_err *e)
{
    for (int at = 0; at < n; at += COUNTS_PUT_MAX) {
        int k = n - at < COUNTS_PUT_MAX ? n - at : COUNTS_PUT_MAX;
        struct sqlp p[2 + 3 * COUNTS_PUT_MAX];
        char sql[2048];
        p[0] = P_INT(app_pk);
        p[1] = P_TEXT(type);
        for (int i = 0; i < k; i++) {
            struct count_row *r = &rows[at + i];
            lc_vec_text(&r->v, r->text, sizeof r->text);
            p[2 + 3 * i] = P_INT(r->level);
            p[3 + 3 * i] = P_INT(r->bucket);
            p[4 + 3 * i] = P_TEXT(r->text);
        }
        counts_put_sql(k, sql, sizeof sql);
        struct sqlq q = {sql};
        if (sql_exec(s, c, &q, p, 2 + 3 * k, e) != 0)
            return -1;
    }
    return 0;
}

int sql_counts_change(struct store *s, struct conn *c, int64_t app_pk, const char *type,
                      const struct lc_change *ch, int n, struct store_err *e)
{
    struct count_row rows[SPAN_SLOTS];
    struct lc_span keys[SPAN_SLOTS];
    int nrows = 0;
    for (int i = 0; i < n && i < 2; i++) {
        for (int level = 0; level < LC_LEVELS; level++) {
            int64_t b = lc_bucket(ch[i].created_at, level);
            int k = 0;
            while (k < nrows && !(rows[k].level == level && rows[k].bucket == b))
                k++;
            if (k == nrows) {
                memset(&rows[k].v, 0, sizeof rows[k].v);
                rows[k].level = level;
                rows[k].bucket = b;
                nrows++;
            }
        }
    }
    for (int k = 0; k < nrows; k++)
        keys[k] = (struct lc_span){rows[k].level, rows[k].bucket, rows[k].bucket};
    struct sqlres *r = spans_query(s, c, app_pk, type, keys, nrows, e);
    if (r == NULL)
        return -1;
    int rc, bad = 0;
    while ((rc = s->drv->next(r)) == 1) {
        int k = (int)s->drv->col_int(r, 0);
        if (k < 0 || k >= nrows || lc_vec_add_text(&rows[k].v, s->drv->col_text(r, 3, NULL)) != 0)
            bad = 1;
    }
    s->drv->done(r);
    if (rc < 0)
        return sql_fail(s, c, "counts", e);
    if (bad)
        return unreadable(app_pk, e);
    for (int i = 0; i < n && i < 2; i++)
        for (int k = 0; k < nrows; k++)
            if (lc_bucket(ch[i].created_at, rows[k].level) == rows[k].bucket)
                rows[k].v.n[ch[i].slot] += ch[i].delta;
    return counts_put(s, c, app_pk, type, rows, nrows, e);
}

/* The recount: a walk in (type, created_at) order closes each level's
 * bucket when the walk leaves it. */
struct recount {
    struct store *s;
    struct conn *c;
    int64_t app_pk;
    char type[8];
    struct count_row open[LC_LEVELS];
    int is_open[LC_LEVELS];
    struct count_row *out;   /* closed rows waiting to be written */
    int nout;
};

/* Writes the closed rows waiting in rc->out: 0, or -1. */
static int recount_flush(struct recount *rc, struct store_err *e)
{
    int r = counts_put(rc->s, rc->c, rc->app_pk, rc->type, rc->out, rc->nout, e);
    rc->nout = 0;
    return r;
}

/* Closes the open bucket of level, if any, writing when rc->out is full:
 * 0, or -1. */
static int recount_close(struct recount *rc, int level, struct store_err *e)
{
    if (!rc->is_open[level])
        return 0;
    rc->out[rc->nout++] = rc->open[level];
    rc->is_open[level] = 0;
    return rc->nout == COUNTS_PUT_MAX ? recount_flush(rc, e) : 0;
}

/* Closes every level's bucket and writes what waits: 0, or -1. */
static int recount_close_all(struct recount *rc, struct store_err *e)
{
    for (int level = 0; level < LC_LEVELS; level++)
        if (recount_close(rc, level, e) != 0)
            return -1;
    return recount_flush(rc, e);
}

/* Counts the scan's current row (type, created_at, status, priority,
 * dialing_mode): 0, or -1. */
static int recount_row(struct recount *rc, struct sqlres *r, struct store_err *e)
{
    const struct sqldb_ops *d = rc->s->drv;
    const char *type = d->col_text(r, 0, NULL);
    int64_t at = d->col_int(r, 1);
    int slot = lc_slot((int)d->col_int(r, 2), (int)d->col_int(r, 3), (int)d->col_int(r, 4));
    if (type == NULL || strcmp(type, rc->type) != 0) {
        if (recount_close_all(rc, e) != 0)
            return -1;
        snprintf(rc->type, sizeof rc->type, "%s", type ? type : "");
    }
    for (int level = 0; level < LC_LEVELS; level++) {
        int64_t b = lc_bucket(at, level);
        if (rc->is_open[level] && rc->open[level].bucket != b && recount_close(rc, level, e) != 0)
            return -1;
        if (!rc->is_open[level]) {
            memset(&rc->open[level].v, 0, sizeof rc->open[level].v);
            rc->open[level].level = level;
            rc->open[level].bucket = b;
            rc->is_open[level] = 1;
        }
        rc->open[level].v.n[slot]++;
    }
    return 0;
}

int sql_counts_recount(struct store *s, struct conn *c, int64_t app_pk, struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk)};
    if (sql_exec(s, c, &Q_COUNTS_CLEAR, p, 1, e) != 0)
        return -1;
    struct recount *rc = xcalloc(1, sizeof *rc);
    rc->s = s;
    rc->c = c;
    rc->app_pk = app_pk;
    rc->out = xcalloc(COUNTS_PUT_MAX, sizeof *rc->out);
    int ret = -1, step;
    /* The scan stays open while the rows are written: a second statement on
     * the same connection (sqldb.h allows it). */
    struct sqlres *r = sql_query(s, c, &Q_COUNTS_SCAN, p, 1, e);
    if (r != NULL) {
        while ((step = s->drv->next(r)) == 1)
            if (recount_row(rc, r, e) != 0)
                break;
        if (step < 0)
            sql_fail(s, c, "recount", e);
        s->drv->done(r);
        if (step == 0)
            ret = recount_close_all(rc, e);
    }
    free(rc->out);
    free(rc);
    return ret;
}

/* Counts every tenant that has campaigns and no counts yet (a database made
 * before schema version 3), each in its own write transaction. */
int sql_counts_backfill(struct store *s, struct conn *c, struct store_err *e)
{
    for (;;) {
        int64_t app_pk = 0;
        int rc = sql_int(s, c, &Q_COUNTS_APPS, NULL, 0, &app_pk, e);
        if (rc <= 0)
            return rc;
        if (sql_begin(s, c, app_pk, e) != 0)
            return -1;
        if (sql_counts_recount(s, c, app_pk, e) != 0 || sql_commit(s, c, e) != 0) {
            s->drv->rollback(c->db);
            return -1;
        }
        log_info("store: counted the campaigns of app %lld", (long long)app_pk);
    }
}

/* The sums of a listing (see store_int.h), from the bucket rows of the
 * range's plan and the campaigns of its two edges. */
int sql_counts_read(struct store *s, struct conn *c, int64_t app_pk, const struct list_query *q,
                    struct list_counts *out, struct store_err *e)
{
    const struct sqldb_ops *d = s->drv;
    const char *type = campaign_type_name(q->type);
    struct lc_plan plan;
    lc_plan(q->start_ms, q->end_ms, &plan);
    memset(out, 0, sizeof *out);

    /* Spans: the plan's, then the whole top level for `all`. */
    struct lc_span spans[SPAN_SLOTS];
    int n = plan.nspans;
    memcpy(spans, plan.spans, sizeof plan.spans[0] * (size_t)n);
    spans[n++] = (struct lc_span){LC_LEVELS - 1, lc_bucket(LC_TIME_MIN, LC_LEVELS - 1),
                                  lc_bucket(LC_TIME_MAX, LC_LEVELS - 1)};
    struct sqlres *r = spans_query(s, c, app_pk, type, spans, n, e);
    if (r == NULL)
        return -1;
    int rc, bad = 0;
    while ((rc = d->next(r)) == 1) {
        int k = (int)d->col_int(r, 0);
        struct lc_vec v;
        memset(&v, 0, sizeof v);
        if (k < 0 || k >= n || lc_vec_add_text(&v, d->col_text(r, 3, NULL)) != 0) {
            bad = 1;
            continue;
        }
        int64_t all, m = lc_vec_sum(&v, q->status_mask, q->priority_mask, q->mode_mask, &all);
        if (k < plan.nspans) {
            out->m += m;
            out->r += all;
        } else {
            out->all += all;
        }
    }
    d->done(r);
    if (rc < 0)
        return sql_fail(s, c, "list counts", e);
    if (bad)
        return unreadable(app_pk, e);
    if (plan.nedges == 0)
        return 0;
    struct sqlp pe[] = {P_INT(app_pk), P_TEXT(type),
                        P_INT(plan.edge_lo[0]), P_INT(plan.edge_hi[0]),
                        P_INT(plan.nedges > 1 ? plan.edge_lo[1] : 0),
                        P_INT(plan.nedges > 1 ? plan.edge_hi[1] : -1)};
    if ((r = sql_query(s, c, &Q_COUNTS_EDGES, pe, 6, e)) == NULL)
        return -1;
    while ((rc = d->next(r)) == 1) {
        int slot = lc_slot((int)d->col_int(r, 0), (int)d->col_int(r, 1), (int)d->col_int(r, 2));
        out->r++;
        out->m += lc_slot_passes(slot, q->status_mask, q->priority_mask, q->mode_mask);
    }
    d->done(r);
    return rc < 0 ? sql_fail(s, c, "list edges", e) : 0;
}
