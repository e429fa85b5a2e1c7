/* store_listing.c - Get All Campaigns at any tenant size (issue 7).
 *
 * totalResults comes from the maintained counts (store_counts.c), whatever
 * the tenant's size.  The page is read from
 * an index whose leading key is the first sort key and which carries the
 * filter columns, so it stops after offset + limit matches without touching
 * the table; when the filters are so selective that the walk would visit
 * more rows than the date range holds, the range is read instead and its
 * matches sorted; an updatedAt order over a few months of createdAt is read
 * month by month (PAGE_MONTHS).  The counts tell which is cheapest before
 * anything is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lcount.h"
#include "log.h"
#include "store_int.h"
#include "xalloc.h"

/* ---- the page ------------------------------------------------------------- */

/* The listing's filter: tenant, type, the inclusive createdAt range ($3,
 * $4), then each filter that excludes something as a literal IN list of
 * its values.  RANGE is the createdAt test, written "+c.created_at" where
 * the range must not pick the index.  Literal lists, not bit masks tested
 * against a parameter: PostgreSQL cannot estimate "(mask >> status) & 1"
 * and, assuming it passes almost nothing, sorted the whole range instead
 * of walking the index (143 ms instead of a few at 1,000,000 campaigns). */
static int mask_sql(const char *col, uint32_t mask, int lo, int hi, char *out, size_t cap)
{
    uint32_t domain = (uint32_t)(((UINT64_C(1) << (hi + 1)) - 1) & ~((UINT64_C(1) << lo) - 1));
    if ((mask & domain) == domain)
        return 0;
    int len = snprintf(out, cap, " AND c.%s IN (", col);
    int any = 0;
    for (int v = lo; v <= hi; v++)
        if ((mask >> v) & 1u)
            len += snprintf(out + len, cap - (size_t)len, "%s%d", any++ ? ", " : "", v);
    len += snprintf(out + len, cap - (size_t)len, "%s)", any ? "" : "-1");
    return len;
}

/* Writes the WHERE clause; returns 1 when a filter excludes something. */
static int list_where(const struct list_query *q, const char *range, char *out, size_t cap)
{
    int len = snprintf(out, cap, " WHERE c.app_pk = $1 AND c.type = $2 AND %s BETWEEN $3 AND $4",
                       range);
    int base = len;
    len += mask_sql("status", q->status_mask, 0, CSTATUS_COUNT - 1, out + len, cap - (size_t)len);
    len += mask_sql("priority", q->priority_mask, 1, 5, out + len, cap - (size_t)len);
    len += mask_sql("dialing_mode", q->mode_mask, 0, CMODE_COUNT - 1, out + len, cap - (size_t)len);
    return len > base;
}

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
 * alone.  Parameters: $1..$4 the filter, $5 limit, $6 offset, and for
 * PAGE_MONTHS $7 offset + limit and $8.. the months. */
static void page_sql(const struct list_query *q, enum page_plan plan, char *sql, size_t cap)
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
        list_where(q, "c.created_at", where, sizeof where);
        /* PostgreSQL's generic plan of this statement reads the whole range
         * once per month and sorts it (31 ms instead of 2 ms at 100,000
         * campaigns, 215 ms at 1,000,000): it is planned with its months. */
        int len = snprintf(sql, cap,
                           SQLQ_REPLAN "SELECT " CAMPAIGN_COLS " FROM (SELECT u.pk FROM (");
        for (int m = 0; m < months; m++)
            len += snprintf(sql + len, cap - (size_t)len,
                            "%sSELECT * FROM (SELECT c.campaign_pk AS pk, c.lname AS lname,"
                            " c.created_at AS created_at, c.updated_at AS updated_at, c.id AS id"
                            " FROM campaigns c /*+INDEXED BY campaigns_upd_month*/%s"
                            " AND (c.created_at >> " STR(MONTH_SHIFT) ") = $%d ORDER BY %s LIMIT $7) m%d",
                            m ? " UNION ALL " : "", where, 8 + m, order, m);
        snprintf(sql + len, cap - (size_t)len,
                 ") u ORDER BY %s LIMIT $5 OFFSET $6) p JOIN campaigns c ON c.campaign_pk = p.pk"
                 " LEFT JOIN lists l ON l.list_pk = c.dnc_list_pk ORDER BY %s",
                 uorder, order);
        return;
    }
    int walk = plan == PAGE_WALK || lead == SORT_CREATED_AT;
    const char *ix = index[walk ? lead : SORT_CREATED_AT];
    const char *range = walk && lead != SORT_CREATED_AT ? "+c.created_at" : "c.created_at";
    /* A filtered page is planned with its values on PostgreSQL: the lists
     * are literals, and one prepared statement per combination would pile
     * up in every session. */
    int filtered = list_where(q, range, where, sizeof where);
    snprintf(sql, cap,
             "%sSELECT " CAMPAIGN_COLS " FROM (SELECT c.campaign_pk AS pk FROM campaigns c"
             " /*+INDEXED BY %s*/%s ORDER BY %s LIMIT $5 OFFSET $6) p"
             " JOIN campaigns c ON c.campaign_pk = p.pk"
             " LEFT JOIN lists l ON l.list_pk = c.dnc_list_pk ORDER BY %s",
             filtered ? SQLQ_REPLAN : "", ix, where, order, order);
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
 * One statement per page size, each prepared once; n point lookups cost
 * less than running the page's query again. */
static void page_lists_sql(size_t n, char *sql, size_t cap)
{
    int len = snprintf(sql, cap,
                       "SELECT cl.campaign_pk, l.name FROM campaign_lists cl JOIN lists l"
                       " ON l.list_pk = cl.list_pk WHERE cl.campaign_pk IN (");
    for (size_t i = 1; i <= n; i++)
        len += snprintf(sql + len, cap - (size_t)len, "%s$%zu", i > 1 ? ", " : "", i);
    snprintf(sql + len, cap - (size_t)len, ") ORDER BY cl.campaign_pk, cl.pos");
}

/* Fills the contact_lists of the page's campaigns: 0, or -1. */
static int page_lists(struct store *s, struct conn *c, struct store_page *out, struct store_err *e)
{
    const struct sqldb_ops *d = s->drv;
    struct sqlp keys[CONTRACT_LIMIT_MAX];
    char text[1024];
    for (size_t k = 0; k < out->count; k++)
        keys[k] = P_INT(out->items[k].pk);
    page_lists_sql(out->count, text, sizeof text);
    struct sqlq lists = {text};
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

/* Runs the page statement of q under the plan the counts k choose: a
 * result of CAMPAIGN_COLS rows, or NULL on failure. */
static struct sqlres *page_query(struct store *s, struct conn *c, int64_t app_pk,
                                 const struct list_query *q, const struct list_counts *k,
                                 struct store_err *e)
{
    char *text = xmalloc(PAGE_SQL_MAX);
    struct sqlq page = {text};
    enum page_plan plan = choose_plan(q, k);
    page_sql(q, plan, text, PAGE_SQL_MAX);
    struct sqlp p[7 + MONTHS_MAX] = {
        P_INT(app_pk),       P_TEXT(campaign_type_name(q->type)),
        P_INT(q->start_ms),  P_INT(q->end_ms),
        P_INT(q->limit),     P_INT(q->offset),
        P_INT(q->offset + q->limit)};
    int np = 6;
    if (plan == PAGE_MONTHS) {
        int months = range_months(q);
        for (int m = 0; m < months; m++)
            p[7 + m] = P_INT((q->start_ms >> MONTH_SHIFT) + m);
        np = 7 + months;
    }
    struct sqlres *r = sql_query(s, c, &page, p, np, e);
    free(text);
    return r;
}

enum store_rc store_campaign_list(struct store *s, int64_t app_pk, const struct list_query *q,
                                  struct store_page *out, struct store_err *e)
{
    const struct sqldb_ops *d = s->drv;
    struct conn *c = sql_acquire(s);
    int rc = 0, ret = -1;
    struct list_counts k;
    memset(out, 0, sizeof *out);
    /* Version, counts and page from one snapshot. */
    if (sql_begin(s, c, 0, e) != 0 || sql_version(s, c, app_pk, &out->version, e) != 1 ||
        sql_counts_read(s, c, app_pk, q, &k, e) != 0)
        goto out;
    out->total = k.m;
    if (q->offset >= out->total) {
        ret = 0;
        goto out;
    }
    struct sqlres *r = page_query(s, c, app_pk, q, &k, e);
    if (r == NULL)
        goto out;
    out->items = xcalloc((size_t)q->limit, sizeof *out->items);
    while (out->count < (size_t)q->limit && (rc = d->next(r)) == 1) {
        struct campaign *item = &out->items[out->count++];
        campaign_init(item);
        if (sql_read_campaign_row(s, c, r, item, e) != 0) {
            d->done(r);
            goto out;
        }
    }
    d->done(r);
    if (rc < 0) {
        sql_fail(s, c, "list page", e);
        goto out;
    }
    if (out->count > 0 && page_lists(s, c, out, e) != 0)
        goto out;
    ret = 0;
out:
    if (ret != 0)
        store_page_clear(out);
    return sql_end(s, c, ret, e);
}

void store_page_clear(struct store_page *p)
{
    for (size_t i = 0; i < p->count; i++)
        campaign_clear(&p->items[i]);
    free(p->items);
    p->items = NULL;
    p->count = 0;
}
