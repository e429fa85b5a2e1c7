/* store_runs.c - what the runner asks of the store (execution spec): which
 * campaigns' schedules are due.  Starting and ending runs go through the
 * campaign write path (store_campaign_write), so that every rule of a
 * campaign write holds for the runner's writes too. */
#include <stdint.h>

#include "store_int.h"

static const struct sqlq Q_FIRE_DUE = {
    "SELECT app_pk, id FROM campaigns WHERE fire_at IS NOT NULL AND fire_at <= $1"
    " ORDER BY fire_at LIMIT $2"};
static const struct sqlq Q_FIRE_NEXT = {
    "SELECT fire_at FROM campaigns WHERE fire_at IS NOT NULL ORDER BY fire_at LIMIT 1"};

enum store_rc store_fire_due(struct store *s, int64_t now, struct store_due *out, size_t max,
                             size_t *n, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_INT(now), P_INT((int64_t)max)};
    int rc = -1;
    *n = 0;
    struct sqlres *r = sql_query(s, c, &Q_FIRE_DUE, p, 2, e);
    if (r != NULL) {
        while (*n < max && (rc = s->drv->next(r)) == 1) {
            out[*n].app_pk = s->drv->col_int(r, 0);
            sql_copy(out[*n].id, sizeof out[*n].id, s->drv->col_text(r, 1, NULL));
            (*n)++;
        }
        s->drv->done(r);
        rc = rc < 0 ? sql_fail(s, c, "fire due", e) : 0;
    }
    return sql_end(s, c, rc, e);
}

enum store_rc store_fire_next(struct store *s, int64_t *at, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int rc = sql_int(s, c, &Q_FIRE_NEXT, NULL, 0, at, e);
    if (rc == 0)
        *at = INT64_MAX;
    return sql_end(s, c, rc < 0 ? -1 : 0, e);
}
