/* store_conn.c - the store's bottom: the connection pool, running
 * statements, transactions, and a call's result (struct store_err).
 *
 * A fixed pool of connections, one per worker thread; a call borrows one for
 * its duration.  Every write is one transaction, so a failed call leaves
 * nothing behind.  The concern files (store_tenants.c, store_campaigns.c,
 * store_clists.c, store_listing.c, store_import.c) sit on top of this file,
 * store_rows.c and store_counts.c; store.c opens the whole. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "timefmt.h"
#include "xalloc.h"

/* The tenant's write version (sql_begin, sql_version). */
static const struct sqlq Q_VERSION = {"SELECT version FROM apps WHERE app_pk = $1"};
static const struct sqlq Q_VERSION_BUMP = {
    "UPDATE apps SET version = version + 1 WHERE app_pk = $1"};

struct conn *sql_acquire(struct store *s)
{
    int64_t t0 = timefmt_mono_us();
    pthread_mutex_lock(&s->mu);
    while (s->nidle == 0)
        pthread_cond_wait(&s->cv, &s->mu);
    struct conn *c = &s->conns[s->idle[--s->nidle]];
    pthread_mutex_unlock(&s->mu);
    c->since_us = t0;
    return c;
}

const struct prom_hist *store_calls(const struct store *s)
{
    return &s->calls;
}

void store_pool(struct store *s, int *size, int *idle)
{
    pthread_mutex_lock(&s->mu);
    *size = s->n;
    *idle = s->nidle;
    pthread_mutex_unlock(&s->mu);
}

void sql_release(struct store *s, struct conn *c)
{
    prom_hist_observe(&s->calls, (double)(timefmt_mono_us() - c->since_us) / 1e6);
    pthread_mutex_lock(&s->mu);
    s->idle[s->nidle++] = (int)(c - s->conns);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---- results ---------------------------------------------------------------- */

struct store_problem *store_problem(struct store_err *e, enum store_rc rc, enum store_what what,
                                    const char *a, const char *b)
{
    /* A store failure outranks the problems found before it: the answer
     * is then "try again" (or a bug), not a partial list. */
    int failure = rc == STORE_UNAVAILABLE || rc == STORE_INTERNAL;
    if (e->rc == STORE_OK || (failure && e->rc != STORE_UNAVAILABLE && e->rc != STORE_INTERNAL))
        e->rc = rc;
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 4;
        e->p = xrealloc(e->p, e->cap * sizeof *e->p);
    }
    struct store_problem *p = &e->p[e->n++];
    *p = (struct store_problem){what, -1, -1, -1, -1, a ? xstrdup(a) : NULL, b ? xstrdup(b) : NULL};
    return p;
}

int store_fail(struct store_err *e, enum store_rc rc, enum store_what what, const char *a,
               const char *b)
{
    store_problem(e, rc, what, a, b);
    return -1;
}

void store_err_reset(struct store_err *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->p[i].a);
        free(e->p[i].b);
    }
    e->n = 0;
    e->rc = STORE_OK;
}

void store_err_clear(struct store_err *e)
{
    store_err_reset(e);
    free(e->p);
    e->p = NULL;
    e->cap = 0;
}

enum store_rc store_result(int ret, const struct store_err *e)
{
    if (ret == 0)
        return STORE_OK;
    return e->rc != STORE_OK ? e->rc : STORE_INTERNAL;
}

enum store_rc sql_end(struct store *s, struct conn *c, int ret, const struct store_err *e)
{
    s->drv->rollback(c->db);
    sql_release(s, c);
    return store_result(ret, e);
}

/* ---- running statements ---------------------------------------------------- */

int sql_fail(struct store *s, struct conn *c, const char *what, struct store_err *e)
{
    enum sqldb_err k = s->drv->last_error(c->db);
    log_error("store %s: %s: %s", s->drv->name, what, s->drv->last_message(c->db));
    if (k == SQLDB_UNAVAILABLE)
        return store_fail(e, STORE_UNAVAILABLE, SW_DB, what, NULL);
    if (k == SQLDB_UNIQUE)
        return store_fail(e, STORE_CONFLICT, SW_RACE, NULL, NULL);
    return store_fail(e, STORE_INTERNAL, SW_DB, what, NULL);
}

struct sqlres *sql_query(struct store *s, struct conn *c, const struct sqlq *q,
                         const struct sqlp *p, int n, struct store_err *e)
{
    struct sqlres *r = s->drv->query(c->db, q, p, n);
    if (r == NULL)
        sql_fail(s, c, "query", e);
    return r;
}

int sql_first(struct store *s, struct conn *c, const struct sqlq *q, const struct sqlp *p, int n,
              const char *what, struct sqlres **r, struct store_err *e)
{
    *r = sql_query(s, c, q, p, n, e);
    if (*r == NULL)
        return -1;
    int rc = s->drv->next(*r);
    if (rc == 1)
        return 1;
    s->drv->done(*r);
    *r = NULL;
    return rc < 0 ? sql_fail(s, c, what, e) : 0;
}

int sql_exec(struct store *s, struct conn *c, const struct sqlq *q, const struct sqlp *p, int n,
             struct store_err *e)
{
    struct sqlres *r = sql_query(s, c, q, p, n, e);
    if (r == NULL)
        return -1;
    int rc;
    while ((rc = s->drv->next(r)) == 1)
        ;
    s->drv->done(r);
    return rc == 0 ? 0 : sql_fail(s, c, "exec", e);
}

int sql_int(struct store *s, struct conn *c, const struct sqlq *q, const struct sqlp *p, int n,
            int64_t *out, struct store_err *e)
{
    struct sqlres *r;
    int rc = sql_first(s, c, q, p, n, "query", &r, e);
    if (rc == 1) {
        if (out != NULL)
            *out = s->drv->col_int(r, 0);
        s->drv->done(r);
    }
    return rc;
}

int sql_version_bump(struct store *s, struct conn *c, int64_t app_pk, struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk)};
    return sql_exec(s, c, &Q_VERSION_BUMP, p, 1, e);
}

int sql_begin_run(struct store *s, struct conn *c, int64_t app_pk, struct store_err *e)
{
    return s->drv->begin(c->db, app_pk) != 0 ? sql_fail(s, c, "begin", e) : 0;
}

int sql_begin_claim(struct store *s, struct conn *c, int64_t app_pk, struct store_err *e)
{
    return s->drv->begin(c->db, app_pk | SQLDB_LOCK_SHARED) != 0 ? sql_fail(s, c, "begin", e) : 0;
}

int sql_begin(struct store *s, struct conn *c, int64_t lock, struct store_err *e)
{
    if (s->drv->begin(c->db, lock) != 0)
        return sql_fail(s, c, "begin", e);
    /* Every write of a tenant moves its version, in the same transaction:
     * the listing cache is keyed by it, so it can never serve a page of a
     * state that a committed write has changed. */
    if (lock > 0 && sql_version_bump(s, c, lock, e) != 0) {
        s->drv->rollback(c->db);
        return -1;
    }
    return 0;
}

int sql_version(struct store *s, struct conn *c, int64_t app_pk, int64_t *out, struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk)};
    return sql_int(s, c, &Q_VERSION, p, 1, out, e);
}

int sql_commit(struct store *s, struct conn *c, struct store_err *e)
{
    return s->drv->commit(c->db) == 0 ? 0 : sql_fail(s, c, "commit", e);
}

void sql_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

char *sql_digits(const char *phone)
{
    return xstrdup(phone[0] == '+' ? phone + 1 : phone);
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->n; i++) {
        struct conn *c = &s->conns[i];
        for (int j = 0; j < DOC_CACHE; j++) {
            free(c->docs[j].text);
            json_decref(c->docs[j].doc);
        }
        if (c->db != NULL)
            s->drv->close(c->db);
    }
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->conns);
    free(s->idle);
    free(s);
}

struct store *sql_pool_open(const struct sqldb_ops *drv, const char *target, int pool, int migrate,
                            struct store_err *e)
{
    struct store *s = xcalloc(1, sizeof *s);
    s->drv = drv;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    prom_hist_init(&s->calls, prom_latency_bounds, prom_latency_n);
    s->conns = xcalloc((size_t)pool, sizeof *s->conns);
    s->idle = xcalloc((size_t)pool, sizeof *s->idle);
    s->n = pool;
    for (int i = 0; i < pool; i++) {
        struct sqldb_fail f = {SQLDB_OK, ""};
        s->conns[i].db = drv->open(target, migrate && i == 0, &f);
        if (s->conns[i].db == NULL) {
            store_fail(e, f.k == SQLDB_UNAVAILABLE ? STORE_UNAVAILABLE : STORE_INTERNAL, SW_OPEN,
                       f.msg, NULL);
            store_close(s);
            return NULL;
        }
        s->idle[s->nidle++] = i;
    }
    return s;
}
