/* store_sql.h - internals shared by the store_sql*.c files: the connection
 * pool and the helpers that run statements and map driver failures to the
 * contract's statuses.  Not for use outside the store. */
#ifndef CAMPAIGND_STORE_SQL_H
#define CAMPAIGND_STORE_SQL_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "lcount.h"
#include "sqldb.h"
#include "store.h"

/* Columns read by sql_read_campaign, in order. */
#define CAMPAIGN_COLS                                                                      \
    "c.campaign_pk, c.id, c.type, c.name, c.status, c.priority, c.dialing_mode,"          \
    " c.created_at, c.updated_at, c.instance_updated_at, c.doc, l.id, l.name"
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
    struct doc_entry docs[DOC_CACHE];
};

struct store_sql {
    struct store base; /* must be first */
    const struct sqldb_ops *drv;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n;
    struct conn *conns;
    int *idle; /* stack of idle connection indexes */
    int nidle;
};

struct conn *sql_acquire(struct store_sql *s);
void sql_release(struct store_sql *s, struct conn *c);

/* Turns the driver's last failure into the contract's status (503 when the
 * database is busy or unreachable, 409 for a unique conflict, else 500);
 * details go to the log only.  Always returns -1. */
int sql_fail(struct store_sql *s, struct conn *c, const char *what, struct apierr *e);
/* Runs q; NULL with e set on failure.  Finish with s->drv->done(). */
struct sqlres *sql_query(struct store_sql *s, struct conn *c, const struct sqlq *q,
                         const struct sqlp *p, int n, struct apierr *e);
/* Runs q to completion. */
int sql_exec(struct store_sql *s, struct conn *c, const struct sqlq *q, const struct sqlp *p,
             int n, struct apierr *e);
/* Runs q and reads an integer from column 0 of its first row: 1 and *out
 * set, 0 when there is no row, -1 on failure. */
int sql_int(struct store_sql *s, struct conn *c, const struct sqlq *q, const struct sqlp *p,
            int n, int64_t *out, struct apierr *e);
/* lock: 0 for a read-only transaction, else a write serialized on the
 * tenant's app_pk (or SQLDB_LOCK_ALL), see sqldb.h. */
int sql_begin(struct store_sql *s, struct conn *c, int64_t lock, struct apierr *e);
int sql_commit(struct store_sql *s, struct conn *c, struct apierr *e);
void sql_copy(char *dst, size_t cap, const char *src);
/* Reads the CAMPAIGN_COLS of r's current row into c (initialised), without
 * its contact list names (an empty array unless an import left them out). */
int sql_read_campaign_row(struct store_sql *s, struct conn *conn, struct sqlres *r,
                          struct campaign *c, struct apierr *e);
/* Reads the CAMPAIGN_COLS of r's current row into c (initialised), with its
 * contact list names. */
int sql_read_campaign(struct store_sql *s, struct conn *conn, struct sqlres *r,
                      struct campaign *c, struct apierr *e);

/* ---- the listing's counts and versions (store_sql_listing.c) ----------- */

/* A campaign entering (+1) or leaving (-1) a slot at createdAt. */
struct lc_change {
    int64_t created_at;
    int slot;
    int delta;
};

/* Applies up to two changes to the counts of (app_pk, type), inside the
 * caller's write transaction. */
int sql_counts_change(struct store_sql *s, struct conn *c, int64_t app_pk, const char *type,
                      const struct lc_change *ch, int n, struct apierr *e);
/* Recomputes the tenant's counts from its campaigns, inside the caller's
 * write transaction: one walk of campaigns_created. */
int sql_counts_recount(struct store_sql *s, struct conn *c, int64_t app_pk, struct apierr *e);
/* Counts every tenant that has campaigns but no counts (databases made
 * before schema version 3), one write transaction each. */
int sql_counts_backfill(struct store_sql *s, struct conn *c, struct apierr *e);
/* Moves the tenant's write version (sql_begin does, for every write). */
int sql_version_bump(struct store_sql *s, struct conn *c, int64_t app_pk, struct apierr *e);
int sqlop_tenant_version(struct store *base, int64_t app_pk, int64_t *out, struct apierr *e);
int sqlop_campaign_list(struct store *base, int64_t app_pk, const struct list_query *q,
                        struct store_page *out, struct apierr *e);

/* Finds or creates the list that (id, name) names in the tenant, per
 * contract.md §6; fills in id when it was not given.  Returns list_pk, 0
 * for a conflict (reported on e at `field`), or -1 on a store failure. */
int64_t sql_list_resolve(struct store_sql *s, struct conn *c, int64_t app_pk,
                         char id[IDS_MAX + 1], const char *name, const char *field, int64_t now,
                         struct apierr *e);

/* The import session (store_sql_import.c). */
int sqlop_import_begin(struct store *base, int64_t app_pk, struct store_import **out,
                       struct apierr *e);
int sqlop_import_add(struct store_import *im, struct campaign *items, size_t n, size_t first,
                     struct apierr *e);
int sqlop_import_end(struct store_import *im, int commit, struct apierr *e);

/* Operations implemented in store_sql_campaign.c and store_sql_list.c
 * (see store.h for their contracts). */
int sqlop_campaign_create(struct store *base, int64_t app_pk, struct campaign *c,
                          struct apierr *e);
int sqlop_campaign_get(struct store *base, int64_t app_pk, const char *id, struct campaign *out,
                       struct apierr *e);
int sqlop_campaign_find(struct store *base, int64_t app_pk, const char *name, int type,
                        char id[IDS_MAX + 1], struct apierr *e);
int sqlop_campaign_write(struct store *base, int64_t app_pk, const char *id,
                         const struct store_write *w, struct campaign *out, struct apierr *e);
int sqlop_campaign_contacts(struct store *base, int64_t app_pk, const struct campaign *c,
                            int64_t offset, int64_t limit, struct store_contacts_page *out,
                            struct apierr *e);
int sqlop_campaign_calls_completed(struct store *base, int64_t app_pk, const struct campaign *c,
                                   int64_t *out, struct apierr *e);
int sqlop_outcome_record(struct store *base, int64_t app_pk, const char *campaign_id,
                         const struct store_outcome *o, struct apierr *e);
int sqlop_registry_add(struct store *base, int64_t app_pk, const char *kind, const char *name,
                       char id[IDS_MAX + 1], struct apierr *e);
int sqlop_list_create(struct store *base, int64_t app_pk, const char *client_id,
                      const struct clist_fields *f, struct clist *out, struct apierr *e);
int sqlop_list_get(struct store *base, int64_t app_pk, const char *id, struct clist *out,
                   struct apierr *e);
int sqlop_list_get_all(struct store *base, int64_t app_pk, struct clist **out, size_t *n,
                       struct apierr *e);
int sqlop_list_update(struct store *base, int64_t app_pk, const char *id, const char *client_id,
                      const struct clist_fields *f, struct clist *out, struct apierr *e);
int sqlop_list_delete(struct store *base, int64_t app_pk, const char *id, struct clist *out,
                      struct apierr *e);
int sqlop_list_contacts(struct store *base, int64_t app_pk, const char *id, int64_t offset,
                        int64_t limit, json_t **results, int64_t *total, struct apierr *e);
int sqlop_list_add_contacts(struct store *base, int64_t app_pk, const char *list_name,
                            json_t *items, int (*validate)(json_t *items, void *ctx, struct apierr *e), void *ctx,
                            struct apierr *e);

/* Inserts (it->pk == 0, setting it) or updates campaign `it` with its DNC
 * list (0 = none) and contact lists; nlists < 0 on an update leaves the
 * stored contact lists alone.  A name taken meanwhile fails with 409. */
int sql_campaign_store(struct store_sql *s, struct conn *c, int64_t app_pk, struct campaign *it,
                       int64_t dnc_pk, const int64_t *list_pks, ssize_t nlists, struct apierr *e);

/* 1 when another campaign of the tenant (not cp itself: cp->pk, 0 for a
 * new one) has cp's type and name (ASCII case-insensitive), 0 when not,
 * -1 on failure. */
int sql_name_taken(struct store_sql *s, struct conn *c, int64_t app_pk,
                   const struct campaign *cp, struct apierr *e);

/* The digits of a phone number (the + dropped); caller frees. */
char *sql_digits(const char *phone);

#endif
