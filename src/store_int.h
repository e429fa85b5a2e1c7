/* store_int.h - internals shared by the store's files, bottom first: the
 * connection pool and statement helpers (store_conn.c), the maintained
 * counts (store_counts.c) and a campaign's row (store_rows.c).  The concern
 * files above them implement store.h.  Not for use outside the store. */
#ifndef CAMPAIGND_STORE_INT_H
#define CAMPAIGND_STORE_INT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "lcount.h"
#include "prom.h"
#include "sqldb.h"
#include "store.h"

/* Return conventions of the internal functions below and of the store's
 * static helpers: an action returns 0, or -1 with e set; a lookup returns
 * 1 found, 0 not found (a problem recorded where its comment says so), -1
 * failure; a key (pk) is > 0 found, 0 not found or in conflict, -1
 * failure.  A public operation (store.h) returns sql_end(): its enum
 * store_rc.  The one cleanup label is `out`. */

/* Columns read by sql_read_campaign, in order, and their positions; a
 * statement may select more after them, from CC_N on. */
#define CAMPAIGN_COLS                                                                      \
    "c.campaign_pk, c.id, c.type, c.name, c.status, c.priority, c.dialing_mode,"          \
    " c.created_at, c.updated_at, c.instance_updated_at, c.doc, l.id, l.name, c.fire_at"
enum campaign_col {
    CC_PK, CC_ID, CC_TYPE, CC_NAME, CC_STATUS, CC_PRIORITY, CC_MODE,
    CC_CREATED, CC_UPDATED, CC_INSTANCE_UPDATED, CC_DOC, CC_DNC_ID, CC_DNC_NAME, CC_FIRE,
    CC_N
};
#define CAMPAIGN_FROM " FROM campaigns c LEFT JOIN lists l ON l.list_pk = c.dnc_list_pk"

/* ---- the pool ------------------------------------------------------------ */

/* Parsed campaign docs, keyed by their exact stored text: parsing JSON was
 * a third of a listing's cost.  A hit hands out a new reference to a shared,
 * read-only json_t (jansson's reference counts are atomic), so a doc read
 * from the store must never be modified in place. */
#define DOC_CACHE 256 /* a power of two */

struct doc_entry {
    uint64_t hash;
    char *text;
    size_t len;
    json_t *doc;
};

struct conn {
    struct sqldb *db;
    int64_t since_us; /* when sql_acquire lent it (timefmt_mono_us) */
    struct doc_entry docs[DOC_CACHE];
};

struct store {
    const struct sqldb_ops *drv;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n;
    struct conn *conns;
    int *idle; /* stack of idle connection indexes */
    int nidle;
    struct prom_hist calls; /* how long each call held a connection */
};

/* Borrows an idle connection, waiting for one; give it back with sql_end
 * (or sql_release). */
struct conn *sql_acquire(struct store *s);
void sql_release(struct store *s, struct conn *c);

/* ---- results (store_conn.c) --------------------------------------------- */

/* Records a problem: sets e's result unless one is set (the first cause
 * wins) and appends the problem (elem, index, other and type -1, a and b
 * copied, NULL allowed).  Returns it, for the caller to fill in more. */
struct store_problem *store_problem(struct store_err *e, enum store_rc rc, enum store_what what,
                                    const char *a, const char *b);
/* The same, returning -1: `return store_fail(e, ...)`. */
int store_fail(struct store_err *e, enum store_rc rc, enum store_what what, const char *a,
               const char *b);
/* Forgets e's result and problems (a caller that knows better than the
 * layer below, e.g. a unique-index failure that means a name is taken). */
void store_err_reset(struct store_err *e);
/* What a public operation returns: STORE_OK when ret is 0, else e's result. */
enum store_rc store_result(int ret, const struct store_err *e);

/* Turns the driver's last failure into a result (STORE_UNAVAILABLE when the
 * database is busy or unreachable, STORE_CONFLICT SW_RACE for a unique
 * conflict, else STORE_INTERNAL); details go to the log only.  Always
 * returns -1. */
int sql_fail(struct store *s, struct conn *c, const char *what, struct store_err *e);
/* Ends a public operation on c: rolls back what was not committed (nothing
 * when no transaction is open), returns c to the pool, and gives the
 * operation's result, store_result(ret, e).  Every operation that borrowed c
 * with sql_acquire ends here. */
enum store_rc sql_end(struct store *s, struct conn *c, int ret, const struct store_err *e);

/* Runs q; NULL with e set on failure.  Finish with s->drv->done(). */
struct sqlres *sql_query(struct store *s, struct conn *c, const struct sqlq *q,
                         const struct sqlp *p, int n, struct store_err *e);
/* Runs q and steps to its first row: 1 with *r on it (finish with
 * s->drv->done(*r)), 0 when there is none, -1 on failure (`what` names the
 * statement in the log).  On 0 and -1 nothing is left open. */
int sql_first(struct store *s, struct conn *c, const struct sqlq *q, const struct sqlp *p, int n,
              const char *what, struct sqlres **r, struct store_err *e);
/* Runs q to completion: 0, or -1. */
int sql_exec(struct store *s, struct conn *c, const struct sqlq *q, const struct sqlp *p, int n,
             struct store_err *e);
/* Runs q and reads an integer from column 0 of its first row: 1 and *out
 * set, 0 when there is no row, -1 on failure. */
int sql_int(struct store *s, struct conn *c, const struct sqlq *q, const struct sqlp *p, int n,
            int64_t *out, struct store_err *e);
/* lock: 0 for a read-only transaction, else a write serialized on the
 * tenant's app_pk (or SQLDB_LOCK_ALL), see sqldb.h.  0, or -1. */
int sql_begin(struct store *s, struct conn *c, int64_t lock, struct store_err *e);
/* A write of tenant app_pk, serialized as sql_begin's, that does not move
 * the tenant's version: for the runner's steps that change nothing Get All
 * Campaigns shows (claims, acceptances, leases, reports), so that they do
 * not empty the listing cache.  A step that does change a campaign calls
 * sql_version_bump.  0, or -1. */
int sql_begin_run(struct store *s, struct conn *c, int64_t app_pk, struct store_err *e);
/* The same, sharing the tenant's lock with other claims
 * (SQLDB_LOCK_SHARED): for steps whose rows guard themselves, so that
 * nodes claim from one tenant at once.  0, or -1. */
int sql_begin_claim(struct store *s, struct conn *c, int64_t app_pk, struct store_err *e);
/* Moves the tenant's version in the open transaction: 0, or -1. */
int sql_version_bump(struct store *s, struct conn *c, int64_t app_pk, struct store_err *e);
/* 0, or -1. */
int sql_commit(struct store *s, struct conn *c, struct store_err *e);
/* The tenant's write version: sql_begin moves it in every write transaction
 * of the tenant.  1 and *out set, 0 for an unknown app, -1 on failure. */
int sql_version(struct store *s, struct conn *c, int64_t app_pk, int64_t *out, struct store_err *e);
/* The campaign type stored in column col of r ("voice" or "sms"). */
enum ctype sql_col_type(struct store *s, struct sqlres *r, int col);
/* Copies src (NULL as "") into dst[cap], cut to fit. */
void sql_copy(char *dst, size_t cap, const char *src);
/* The digits of a phone number (the + dropped); caller frees. */
char *sql_digits(const char *phone);
/* Opens pool connections to target with driver drv, the first one creating
 * or migrating the schema when migrate is set.  NULL with e set (SW_OPEN).  Closed
 * by store_close. */
struct store *sql_pool_open(const struct sqldb_ops *drv, const char *target, int pool, int migrate,
                            struct store_err *e);

/* ---- the counts (store_counts.c) ---------------------------------------- */

/* A campaign entering (+1) or leaving (-1) a slot at createdAt. */
struct lc_change {
    int64_t created_at;
    int slot;
    int delta;
};

/* Applies up to two changes to the counts of (app_pk, type), inside the
 * caller's write transaction: 0, or -1. */
int sql_counts_change(struct store *s, struct conn *c, int64_t app_pk, const char *type,
                      const struct lc_change *ch, int n, struct store_err *e);
/* Recomputes the tenant's counts from its campaigns, inside the caller's
 * write transaction: one walk of campaigns_created.  0, or -1. */
int sql_counts_recount(struct store *s, struct conn *c, int64_t app_pk, struct store_err *e);
/* Counts every tenant that has campaigns but no counts (databases made
 * before schema version 3), one write transaction each: 0, or -1. */
int sql_counts_backfill(struct store *s, struct conn *c, struct store_err *e);

/* The sums a listing needs: matching campaigns in the range (m), all of the
 * type in the range (r), all of the type (all). */
struct list_counts {
    int64_t m, r, all;
};
/* The sums for listing q: 0, or -1. */
int sql_counts_read(struct store *s, struct conn *c, int64_t app_pk, const struct list_query *q,
                    struct list_counts *out, struct store_err *e);

/* ---- a campaign's row (store_rows.c) ------------------------------------- */

/* Reads the CAMPAIGN_COLS of r's current row into c (initialised), without
 * its contact list names (an empty array unless an import left them out):
 * 0, or -1. */
int sql_read_campaign_row(struct store *s, struct conn *conn, struct sqlres *r, struct campaign *c,
                          struct store_err *e);
/* Reads the CAMPAIGN_COLS of r's current row into c (initialised), with its
 * contact list names: 0, or -1. */
int sql_read_campaign(struct store *s, struct conn *conn, struct sqlres *r, struct campaign *c,
                      struct store_err *e);

/* Finds or creates the list that (id, name) names in the tenant, per
 * contract.md §6; fills in id when it was not given.  Returns list_pk, 0
 * for a conflict (a problem of import element elem at contactLists[index],
 * or dncLists when index is -1), or -1 on a store failure. */
int64_t sql_list_resolve(struct store *s, struct conn *c, int64_t app_pk, char id[IDS_MAX + 1],
                         const char *name, long elem, long index, int64_t now, struct store_err *e);

/* Inserts (it->pk == 0, setting it) or updates campaign `it` with its DNC
 * list (0 = none) and contact lists; nlists < 0 on an update leaves the
 * stored contact lists alone.  0, or -1; a name taken meanwhile fails with
 * SW_RACE. */
int sql_campaign_store(struct store *s, struct conn *c, int64_t app_pk, struct campaign *it,
                       int64_t dnc_pk, const int64_t *list_pks, ssize_t nlists,
                       struct store_err *e);

#endif
