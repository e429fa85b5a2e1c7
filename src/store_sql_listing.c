/* store_sql_listing.c - Get All Campaigns at any tenant size (issue 7).
 *
 * totalResults comes from maintained counts (lcount.h): at most 16 rows of
 * bucket vectors plus the few campaigns in the two partial level-0 buckets
 * at the range's edges, whatever the tenant's size.  The page is read from
 * an index whose leading key is the first sort key and which carries the
 * filter columns, so it stops after offset + limit matches without touching
 * the table; when the filters are so selective that the walk would visit
 * more rows than the date range holds, the range is read instead and its
 * matches sorted; an updatedAt order over a few months of createdAt is read
 * month by month (PAGE_MONTHS).  The counts tell which is cheapest before
 * anything is read.
 *
 * The counts change in the same transaction as every campaign write
 * (sql_counts_change, from sql_campaign_store and the delete), and a whole
 * tenant can be recounted from its campaigns (sql_counts_recount: after a
 * large import, and when the schema gains the counts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lcount.h"
#include "log.h"
#include "store_sql.h"
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
    500, SPAN_ARM(0, 3, 4, 5) " UNION ALL " SPAN_ARM(1, 6, 7, 8) " UNION ALL " SPAN_ARM(2, 9, 10, 11)
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
static const struct sqlq Q_COUNTS_EDGES = {502, EDGE_ARM(3, 4) " UNION ALL " EDGE_ARM(5, 6)};

static const struct sqlq Q_COUNTS_CLEAR = {
    503, "DELETE FROM campaign_counts WHERE app_pk = $1"};
/* The tenant's campaigns in (type, created_at) order: campaigns_created
 * holds every column read, so this is one index walk. */
static const struct sqlq Q_COUNTS_SCAN = {
    504, "SELECT type, created_at, status, priority, dialing_mode FROM campaigns"
         " WHERE app_pk = $1 ORDER BY type, created_at"};
static const struct sqlq Q_VERSION = {505, "SELECT version FROM apps WHERE app_pk = $1"};
static const struct sqlq Q_VERSION_BUMP = {
    506, "UPDATE apps SET version = version + 1 WHERE app_pk = $1"};
static const struct sqlq Q_COUNTS_APPS = {
    507, "SELECT a.app_pk FROM apps a WHERE EXISTS (SELECT 1 FROM campaigns c"
         " WHERE c.app_pk = a.app_pk) AND NOT EXISTS (SELECT 1 FROM campaign_counts k"
         " WHERE k.app_pk = a.app_pk) ORDER BY a.app_pk"};

/* Upserts of n rows (app_pk, type, level, bucket, v): ids 510 + n. */
#define Q_COUNTS_PUT_BASE 510u
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
static struct sqlres *spans_query(struct store_sql *s, struct conn *c, int64_t app_pk,
                                  const char *type, const struct lc_span *spans, int n,
                                  struct apierr *e)
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
static int unreadable(int64_t app_pk, struct apierr *e)
{
    log_error("store: unreadable counts of app %lld", (long long)app_pk);
    apierr_set(e, 500, "Internal error");
    return -1;
}

struct count_row {
    int level;
    int64_t bucket;
    struct lc_vec v;
    char text[LC_TEXT_MAX];
};

/* Writes rows[0..n) of (app_pk, type). */
static int counts_put(struct store_sql *s, struct conn *c, int64_t app_pk, const char *type,
                      struct count_row *rows, int n, struct apierr *e)
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
        struct sqlq q = {Q_COUNTS_PUT_BASE + (unsigned)k, sql};
        if (sql_exec(s, c, &q, p, 2 + 3 * k, e) != 0)
            return -1;
    }
    return 0;
}

int sql_counts_change(struct store_sql *s, struct conn *c, int64_t app_pk, const char *type,
                      const struct lc_change *ch, int n, struct apierr *e)
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
    struct store_sql *s;
    struct conn *c;
    int64_t app_pk;
    char type[8];
    struct count_row open[LC_LEVELS];
    int is_open[LC_LEVELS];
    struct count_row *out;   /* closed rows waiting to be written */
    int nout;
};

static int recount_flush(struct recount *rc, struct apierr *e)
{
    int r = counts_put(rc->s, rc->c, rc->app_pk, rc->type, rc->out, rc->nout, e);
    rc->nout = 0;
    return r;
}

static int recount_close(struct recount *rc, int level, struct apierr *e)
{
    if (!rc->is_open[level])
        return 0;
    rc->out[rc->nout++] = rc->open[level];
    rc->is_open[level] = 0;
    return rc->nout == COUNTS_PUT_MAX ? recount_flush(rc, e) : 0;
}

static int recount_close_all(struct recount *rc, struct apierr *e)
{
    for (int level = 0; level < LC_LEVELS; level++)
        if (recount_close(rc, level, e) != 0)
            return -1;
    return recount_flush(rc, e);
}

int sql_counts_recount(struct store_sql *s, struct conn *c, int64_t app_pk, struct apierr *e)
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
    if (r == NULL)
        goto out;
    while ((step = s->drv->next(r)) == 1) {
        const char *type = s->drv->col_text(r, 0, NULL);
        int64_t at = s->drv->col_int(r, 1);
        int slot = lc_slot((int)s->drv->col_int(r, 2), (int)s->drv->col_int(r, 3),
                           (int)s->drv->col_int(r, 4));
        if (type == NULL || strcmp(type, rc->type) != 0) {
            if (recount_close_all(rc, e) != 0)
                goto fail;
            snprintf(rc->type, sizeof rc->type, "%s", type ? type : "");
        }
        for (int level = 0; level < LC_LEVELS; level++) {
            int64_t b = lc_bucket(at, level);
            if (rc->is_open[level] && rc->open[level].bucket != b && recount_close(rc, level, e) != 0)
                goto fail;
            if (!rc->is_open[level]) {
                memset(&rc->open[level].v, 0, sizeof rc->open[level].v);
                rc->open[level].level = level;
                rc->open[level].bucket = b;
                rc->is_open[level] = 1;
            }
            rc->open[level].v.n[slot]++;
        }
    }
    if (step < 0) {
        sql_fail(s, c, "recount", e);
        goto fail;
    }
    s->drv->done(r);
    r = NULL;
    ret = recount_close_all(rc, e);
    goto out;
fail:
    s->drv->done(r);
out:
    free(rc->out);
    free(rc);
    return ret;
}

/* Counts every tenant that has campaigns and no counts yet (a database made
 * before schema version 3), each in its own write transaction. */
int sql_counts_backfill(struct store_sql *s, struct conn *c, struct apierr *e)
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

int sql_version_bump(struct store_sql *s, struct conn *c, int64_t app_pk, struct apierr *e)
{
    struct sqlp p[] = {P_INT(app_pk)};
    return sql_exec(s, c, &Q_VERSION_BUMP, p, 1, e);
}

int sqlop_tenant_version(struct store *base, int64_t app_pk, int64_t *out, struct apierr *e)
{
    struct store_sql *s = (struct store_sql *)base;
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_INT(app_pk)};
    int rc = sql_int(s, c, &Q_VERSION, p, 1, out, e);
    sql_release(s, c);
    if (rc == 0)
        apierr_set(e, 404, "Unknown app");
    return rc == 1 ? 0 : -1;
}

/* The sums a listing needs: matching campaigns in the range (m), all of the
 * type in the range (r), all of the type (all). */
struct list_counts {
    int64_t m, r, all;
};

static int list_count(struct store_sql *s, struct conn *c, int64_t app_pk,
                      const struct list_query *q, struct list_counts *out, struct apierr *e)
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

/* ---- the page ------------------------------------------------------------- */

/* The listing's filter: tenant, type, inclusive createdAt range, and bit
 * masks (bit i of $5 passes status i, and so on).  RANGE is the createdAt
 * test, written "+c.created_at" where the range must not pick the index. */
#define LIST_WHERE(range)                                                                  \
    " WHERE c.app_pk = $1 AND c.type = $2 AND " range " BETWEEN $3 AND $4"                 \
    " AND ((CAST($5 AS BIGINT) >> c.status) & 1) = 1"                                      \
    " AND ((CAST($6 AS BIGINT) >> c.priority) & 1) = 1"                                    \
    " AND ((CAST($7 AS BIGINT) >> c.dialing_mode) & 1) = 1"

/* How the page is found: walking the index of the first sort key; reading
 * the createdAt range and sorting its matches; or, for an updatedAt-first
 * order over a range of at most MONTHS_MAX createdAt months, walking each
 * month's updatedAt order (campaigns_upd_month) for offset + limit rows and
 * merging those: updatedAt follows createdAt closely, so one walk of the
 * whole updatedAt order would pass every campaign created after the range. */
enum page_plan { PAGE_WALK, PAGE_SORT, PAGE_MONTHS };

/* 2^31 ms, about 25 days; the same shift is in campaigns_upd_month's
 * expression in both drivers' schema, which the arms below must match. */
#define MONTH_SHIFT 31
#define STR_(x) #x
#define STR(x) STR_(x)
#define MONTHS_MAX 16

/* A code unique to each effective order, for the statement cache. */
static unsigned order_code(const int *fields, const int *desc, int n)
{
    unsigned code = 0;
    for (int i = 0; i < n; i++)
        code = code * 8 + (unsigned)(fields[i] + 1) * 2 + (unsigned)desc[i];
    return code;
}

/* The effective order of q, cut after the name: names are unique within a
 * tenant and type (UNIQUE (app_pk, type, lname)), so nothing after a name
 * key can change the order. */
static int effective_order(const struct list_query *q, int fields[4], int desc[4])
{
    int n = query_order(q, fields, desc);
    for (int i = 0; i < n; i++)
        if (fields[i] == SORT_NAME)
            return i + 1;
    return n;
}

/* The number of createdAt months q's range spans, or 0 when unbounded or
 * wider than MONTHS_MAX. */
static int range_months(const struct list_query *q)
{
    if (q->start_ms < LC_TIME_MIN || q->end_ms > LC_TIME_MAX || q->start_ms > q->end_ms)
        return 0;
    int64_t n = (q->end_ms >> MONTH_SHIFT) - (q->start_ms >> MONTH_SHIFT) + 1;
    return n <= MONTHS_MAX ? (int)n : 0;
}

/* Listing page statements: ids Q_LIST_PAGE_BASE + 2 * order code + plan
 * (walk or sort; the code is below 4096), and Q_LIST_MONTHS_BASE + 16 *
 * order code + months - 1. */
#define Q_LIST_PAGE_BASE 1000u
#define Q_LIST_MONTHS_BASE 10000u
#define PAGE_SQL_MAX (MONTHS_MAX * 900 + 2048) /* bytes of a page statement */

static void order_text(const int *fields, const int *desc, int n, const char *prefix, char *out,
                       size_t cap)
{
    static const char *const cols[] = {"lname", "created_at", "updated_at"};
    int len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        len += snprintf(out + len, cap - (size_t)len, "%s%s%s %s", i ? ", " : "", prefix,
                        fields[i] < 0 ? "id" : cols[fields[i]], desc[i] ? "DESC" : "ASC");
}

/* The page's keys in order (inner), then their columns (outer), in the same
 * order: the sort reads index entries only, the table is read for the page
 * alone.  Parameters: $1..$7 the filter, $8 limit, $9 offset, and for
 * PAGE_MONTHS $10 offset + limit and $11.. the months. */
static unsigned page_sql(const struct list_query *q, enum page_plan plan, char *sql, size_t cap)
{
    static const char *const index[] = {"campaigns_name", "campaigns_created", "campaigns_updated"};
    int fields[4], desc[4];
    int n = effective_order(q, fields, desc);
    char order[256], uorder[256];
    order_text(fields, desc, n, "c.", order, sizeof order);
    int lead = fields[0] < 0 ? SORT_CREATED_AT : fields[0];
    char where[512];
    if (plan == PAGE_MONTHS) {
        int months = range_months(q);
        order_text(fields, desc, n, "u.", uorder, sizeof uorder);
        snprintf(where, sizeof where, LIST_WHERE("%s"), "c.created_at");
        int len = snprintf(sql, cap, "SELECT " CAMPAIGN_COLS " FROM (SELECT u.pk FROM (");
        for (int m = 0; m < months; m++)
            len += snprintf(sql + len, cap - (size_t)len,
                            "%sSELECT * FROM (SELECT c.campaign_pk AS pk, c.lname AS lname,"
                            " c.created_at AS created_at, c.updated_at AS updated_at, c.id AS id"
                            " FROM campaigns c /*+INDEXED BY campaigns_upd_month*/%s"
                            " AND (c.created_at >> " STR(MONTH_SHIFT) ") = $%d ORDER BY %s LIMIT $10) m%d",
                            m ? " UNION ALL " : "", where, 11 + m, order, m);
        snprintf(sql + len, cap - (size_t)len,
                 ") u ORDER BY %s LIMIT $8 OFFSET $9) p JOIN campaigns c ON c.campaign_pk = p.pk"
                 " LEFT JOIN lists l ON l.list_pk = c.dnc_list_pk ORDER BY %s",
                 uorder, order);
        return Q_LIST_MONTHS_BASE + 16 * order_code(fields, desc, n) + (unsigned)(months - 1);
    }
    int walk = plan == PAGE_WALK || lead == SORT_CREATED_AT;
    const char *ix = index[walk ? lead : SORT_CREATED_AT];
    const char *range = walk && lead != SORT_CREATED_AT ? "+c.created_at" : "c.created_at";
    snprintf(where, sizeof where, LIST_WHERE("%s"), range);
    snprintf(sql, cap,
             "SELECT " CAMPAIGN_COLS " FROM (SELECT c.campaign_pk AS pk FROM campaigns c"
             " /*+INDEXED BY %s*/%s ORDER BY %s LIMIT $8 OFFSET $9) p"
             " JOIN campaigns c ON c.campaign_pk = p.pk"
             " LEFT JOIN lists l ON l.list_pk = c.dnc_list_pk ORDER BY %s",
             ix, where, order, order);
    return Q_LIST_PAGE_BASE + 2 * order_code(fields, desc, n) + (walk ? 0 : 1);
}

/* Which plan visits fewest rows, from the counts: m matches in the range,
 * r rows in the range, all of the type.  A walk of a name order meets a
 * match every all/m rows; a walk of the updatedAt order may first pass
 * every row outside the range (see PAGE_MONTHS); the sort reads r rows;
 * the months read up to offset + limit matches from each month. */
static enum page_plan choose_plan(const struct list_query *q, const struct list_counts *k)
{
    if (k->m == 0)
        return PAGE_WALK;
    int fields[4], desc[4];
    effective_order(q, fields, desc);
    double want = (double)q->offset + q->limit;
    if (want > (double)k->m)
        want = (double)k->m;
    double walk = want * (double)k->all / (double)k->m, best = walk;
    enum page_plan plan = PAGE_WALK;
    if (fields[0] == SORT_UPDATED_AT) {
        walk = (double)(k->all - k->r) + want * (double)k->r / (double)k->m;
        best = walk;
        int months = range_months(q);
        double per_month = want * (double)k->r / (double)k->m;
        double by_months = months * per_month < (double)k->r ? months * per_month : (double)k->r;
        if (months > 0 && by_months < best) {
            best = by_months;
            plan = PAGE_MONTHS;
        }
    }
    if ((double)k->r < best)
        plan = PAGE_SORT;
    return plan;
}

/* The contact lists of the n campaigns of a page, by key: "IN ($1, ..., $n)".
 * One statement per page size (ids Q_PAGE_LISTS_BASE + n), each prepared
 * once; n point lookups cost less than running the page's query again. */
#define Q_PAGE_LISTS_BASE 300u
static void page_lists_sql(size_t n, char *sql, size_t cap)
{
    int len = snprintf(sql, cap,
                       "SELECT cl.campaign_pk, l.name FROM campaign_lists cl JOIN lists l"
                       " ON l.list_pk = cl.list_pk WHERE cl.campaign_pk IN (");
    for (size_t i = 1; i <= n; i++)
        len += snprintf(sql + len, cap - (size_t)len, "%s$%zu", i > 1 ? ", " : "", i);
    snprintf(sql + len, cap - (size_t)len, ") ORDER BY cl.campaign_pk, cl.pos");
}

static int page_lists(struct store_sql *s, struct conn *c, struct store_page *out,
                      struct apierr *e)
{
    const struct sqldb_ops *d = s->drv;
    struct sqlp keys[QUERY_LIMIT_MAX];
    char text[1024];
    for (size_t k = 0; k < out->count; k++)
        keys[k] = P_INT(out->items[k].pk);
    page_lists_sql(out->count, text, sizeof text);
    struct sqlq lists = {Q_PAGE_LISTS_BASE + (unsigned)out->count, text};
    struct sqlres *r = sql_query(s, c, &lists, keys, (int)out->count, e);
    if (r == NULL)
        return -1;
    size_t at = 0;
    int rc;
    while ((rc = d->next(r)) == 1) {
        int64_t pk = d->col_int(r, 0);
        for (size_t k = 0; k < out->count && out->items[at].pk != pk; k++)
            at = (at + 1) % out->count;
        json_t *names = out->items[at].contact_lists;
        if (out->items[at].pk == pk && names != NULL)
            json_array_append_new(names, json_string(d->col_text(r, 1, NULL)));
    }
    d->done(r);
    return rc < 0 ? sql_fail(s, c, "list lists", e) : 0;
}

int sqlop_campaign_list(struct store *base, int64_t app_pk, const struct list_query *q,
                        struct store_page *out, struct apierr *e)
{
    struct store_sql *s = (struct store_sql *)base;
    const struct sqldb_ops *d = s->drv;
    struct conn *c = sql_acquire(s);
    int rc = 0, ret = -1;
    struct list_counts k;
    memset(out, 0, sizeof *out);
    /* Version, counts and page from one snapshot. */
    struct sqlp pv[] = {P_INT(app_pk)};
    if (sql_begin(s, c, 0, e) != 0 || sql_int(s, c, &Q_VERSION, pv, 1, &out->version, e) != 1 ||
        list_count(s, c, app_pk, q, &k, e) != 0)
        goto done;
    out->total = k.m;
    if (q->offset >= out->total) {
        ret = 0;
        goto done;
    }
    char *text = xmalloc(PAGE_SQL_MAX);
    struct sqlq page = {0, text};
    enum page_plan plan = choose_plan(q, &k);
    page.id = page_sql(q, plan, text, PAGE_SQL_MAX);
    struct sqlp p[10 + MONTHS_MAX] = {
        P_INT(app_pk),         P_TEXT(campaign_type_name(q->type)),
        P_INT(q->start_ms),    P_INT(q->end_ms),
        P_INT(q->status_mask), P_INT(q->priority_mask),
        P_INT(q->mode_mask),   P_INT(q->limit),
        P_INT(q->offset),      P_INT(q->offset + q->limit)};
    int np = 9;
    if (plan == PAGE_MONTHS) {
        int months = range_months(q);
        for (int m = 0; m < months; m++)
            p[10 + m] = P_INT((q->start_ms >> MONTH_SHIFT) + m);
        np = 10 + months;
    }
    struct sqlres *r = sql_query(s, c, &page, p, np, e);
    free(text);
    if (r == NULL)
        goto done;
    out->items = xcalloc((size_t)q->limit, sizeof *out->items);
    while (out->count < (size_t)q->limit && (rc = d->next(r)) == 1) {
        struct campaign *item = &out->items[out->count++];
        campaign_init(item);
        if (sql_read_campaign_row(s, c, r, item, e) != 0) {
            d->done(r);
            goto done;
        }
    }
    d->done(r);
    if (rc < 0) {
        sql_fail(s, c, "list page", e);
        goto done;
    }
    if (out->count > 0 && page_lists(s, c, out, e) != 0)
        goto done;
    ret = 0;
done:
    d->rollback(c->db);
    sql_release(s, c);
    if (ret != 0)
        store_page_clear(out);
    return ret;
}
