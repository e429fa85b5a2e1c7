/* store.h - the storage interface.
 *
 * One opaque handle, one table of operations.  store_sql.c implements it
 * over an SQL driver (sqldb.h): SQLite today, PostgreSQL through the same
 * driver table, without any change above this line.  The HTTP and API layers only ever call the store_*
 * wrappers below.
 *
 * Conventions for every operation:
 *  - returns 0 on success, -1 on failure with e set: 404/409/400 for the
 *    caller's mistakes, 503 when the database cannot be reached or is busy,
 *    500 for anything else (the message never carries SQL or paths);
 *  - every write is one transaction: on failure nothing is changed;
 *  - every read and write of tenant data is keyed by the tenant's app_pk,
 *    so no operation can see another tenant's rows;
 *  - the store is safe to call from many threads at once. */
#ifndef CAMPAIGND_STORE_H
#define CAMPAIGND_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"
#include "campaign.h"
#include "ids.h"
#include "query.h"

#define STORE_ACCOUNT_MAX 64
#define STORE_SECRET_LEN 64   /* hex characters of a generated client secret */
#define SCOPE_CAMPAIGNS "campaign-management"

struct store;

/* An API client as authentication needs it. */
struct store_client {
    char client_id[IDS_MAX + 1];
    char secret[STORE_SECRET_LEN + 1];
    char stream_id[IDS_MAX + 1];
    char account_id[STORE_ACCOUNT_MAX + 1];
    int64_t app_pk;               /* the tenant key */
    int has_campaign_scope;
};

/* What `app create` prints. */
struct store_creds {
    char account_id[STORE_ACCOUNT_MAX + 1];
    char stream_id[IDS_MAX + 1];
    char client_id[IDS_MAX + 1];
    char secret[STORE_SECRET_LEN + 1];
};

/* One page of the listing.  items are owned by the page. */
struct store_page {
    struct campaign *items;
    size_t count;
    int64_t total;
};

struct store_ops {
    const char *name;
    int (*ping)(struct store *s, struct apierr *e);
    int (*client_get)(struct store *s, const char *client_id, struct store_client *out,
                      struct apierr *e);
    int (*app_create)(struct store *s, const char *account_id, const char *stream_id,
                      const char *name, const char *scopes, struct store_creds *out,
                      struct apierr *e);
    int (*app_find)(struct store *s, const char *account_id, const char *stream_id,
                    int64_t *app_pk, struct apierr *e);
    int (*app_first_client)(struct store *s, const char *stream_id, struct store_creds *out,
                            struct apierr *e);
    int (*campaign_list)(struct store *s, int64_t app_pk, const struct list_query *q,
                         struct store_page *out, struct apierr *e);
    int (*campaign_import)(struct store *s, int64_t app_pk, struct campaign *items, size_t n,
                           struct apierr *e);
    int (*campaign_export)(struct store *s, int64_t app_pk, int type, json_t **out,
                           struct apierr *e);
    void (*close)(struct store *s);
};

/* Every back end's handle starts with this. */
struct store {
    const struct store_ops *ops;
};

/* Opens the store named by url: "sqlite:PATH", a plain path, or a
 * "postgresql://" URL.  pool is the number of connections (one per worker
 * thread).  Creates or migrates the schema.  NULL with e set on failure. */
struct store *store_open(const char *url, int pool, struct apierr *e);
void store_close(struct store *s);

/* Thin wrappers over ops, so call sites read as plain functions. */
int store_ping(struct store *s, struct apierr *e);
int store_client_get(struct store *s, const char *client_id, struct store_client *out,
                     struct apierr *e);
/* Creates the account and app when new, and always a new client.  stream_id
 * NULL means generate one.  An existing stream of another account is 409. */
int store_app_create(struct store *s, const char *account_id, const char *stream_id,
                     const char *name, const char *scopes, struct store_creds *out,
                     struct apierr *e);
/* The tenant key of (account, stream); 404 when there is no such app. */
int store_app_find(struct store *s, const char *account_id, const char *stream_id,
                   int64_t *app_pk, struct apierr *e);
/* The oldest client of a stream, with its secret; 404 when none. */
int store_app_first_client(struct store *s, const char *stream_id, struct store_creds *out,
                           struct apierr *e);
int store_campaign_list(struct store *s, int64_t app_pk, const struct list_query *q,
                        struct store_page *out, struct apierr *e);
/* Stores all of items or none.  Missing ids and timestamps are generated
 * (items are updated in place).  List references are resolved per
 * contract.md §6.  Duplicate names: 409 naming the element. */
int store_campaign_import(struct store *s, int64_t app_pk, struct campaign *items, size_t n,
                          struct apierr *e);
/* A JSON array of export elements; type is enum ctype or -1 for both. */
int store_campaign_export(struct store *s, int64_t app_pk, int type, json_t **out,
                          struct apierr *e);
void store_page_clear(struct store_page *p);

/* The one implementation: store_sql.c over an SQL driver (sqldb.h). */
struct sqldb_ops;
struct store *store_sql_open(const struct sqldb_ops *drv, const char *target, int pool,
                             struct apierr *e);

#endif
