/* store.h - the storage interface: one opaque handle and plain functions,
 * grouped by concern (tenants and clients, the listing, import and export,
 * campaigns, contact lists), each implemented in its store_<concern>.c over
 * the connection layer (store_int.h).  SQLite and PostgreSQL differ only in
 * the driver below that (sqldb.h).
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
#include "clist.h"
#include "ids.h"
#include "query.h"

#define STORE_ACCOUNT_MAX 64
#define STORE_SECRET_LEN 64   /* hex characters of a generated client secret */
#define SCOPE_CAMPAIGNS "campaign-management"

struct store;
struct store_import;

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

/* A campaign read-modify-write (store_campaign_write).  The store reads the
 * campaign inside a write transaction and calls apply(), which changes it in
 * memory (its doc is a private copy) and sets the effect; then the store
 * resolves the names when `resolve` is set (contact and DNC lists, flow,
 * template: 400s), calls conflicts() (409s), checks the name's uniqueness,
 * and writes the result, or deletes the campaign. */
struct store_effect {
    int resolve;            /* names in the campaign changed */
    int remove;             /* delete the campaign */
    int new_instance;       /* open a new instance with a snapshot of the audience */
};

struct store_write {
    int (*apply)(struct campaign *c, void *arg, struct store_effect *fx, struct apierr *e);
    int (*conflicts)(struct campaign *c, void *arg, struct apierr *e); /* may be NULL */
    void *arg;
};

/* The contacts view of a voice campaign (family spec §8.2). */
struct store_contacts_page {
    json_t *results;        /* array of view rows; owned */
    int64_t total;
};

/* Fields of a contact-list write; NULL/-1 = not given. */
struct clist_fields {
    const char *name;
    const char *description;
    int allow_duplicates;   /* -1, 0 or 1 */
};

/* An outcome recorded by the admin CLI for one contact of the latest
 * instance (family spec §8.2). */
struct store_outcome {
    const char *phone;
    json_t *fields;         /* {dialerOutcome, numberOfAttemptsSoFar, ...} */
};

/* One page of the listing.  items are owned by the page. */
struct store_page {
    struct campaign *items;
    size_t count;
    int64_t total;
    int64_t version;        /* the tenant's write version the page was read at */
};

/* Opens the store named by url: "sqlite:PATH", a plain path, or a
 * "postgresql://" URL.  pool is the number of connections (one per worker
 * thread).  Creates or migrates the schema.  NULL with e set on failure. */
struct store *store_open(const char *url, int pool, struct apierr *e);
/* The same for a read-only replica: no schema creation or migration (the
 * primary does that, and a hot standby refuses writes). */
struct store *store_open_replica(const char *url, int pool, struct apierr *e);
void store_close(struct store *s);

/* url with any password replaced by "***", for logs and messages. */
void store_url_redact(const char *url, char *out, size_t cap);

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
/* The tenant's write version: it changes in the same transaction as every
 * write of the tenant's data, so (app_pk, version) names one state of it. */
int store_tenant_version(struct store *s, int64_t app_pk, int64_t *out, struct apierr *e);
/* An import (contract.md §6) is one write transaction fed in batches, so
 * a file of any size streams through: begin; add the elements in order
 * (first = the index of items[0] in the file, for messages); end, which
 * commits when commit is set and nothing was wrong, else rolls back.
 * Missing ids and timestamps are generated (items are updated in place);
 * list references are resolved per contract.md §6.  add returns 0, 1 when
 * elements conflict with stored campaigns or lists or with earlier
 * elements (each reported on e at "[i].field"; the import can then only be
 * rolled back), or -1 when the store fails.  end frees im either way and
 * returns 0 once committed, -1 otherwise (409 after conflicts). */
int store_import_begin(struct store *s, int64_t app_pk, struct store_import **out,
                       struct apierr *e);
int store_import_add(struct store_import *im, struct campaign *items, size_t n, size_t first,
                     struct apierr *e);
int store_import_end(struct store_import *im, int commit, struct apierr *e);
/* A JSON array of export elements; type is enum ctype or -1 for both. */
int store_campaign_export(struct store *s, int64_t app_pk, int type, json_t **out,
                          struct apierr *e);
void store_page_clear(struct store_page *p);

/* Campaigns of the family spec.  create resolves c's names, checks its name
 * is free (409 name) and stores it, filling in its id and times; get reads
 * one by id (404 for an unknown id or another tenant's); find gives the id
 * of the campaign named `name` (ASCII case-insensitive) of type (or -1 for
 * either: 400 query.campaignType when both types match), 404 otherwise;
 * write is the read-modify-write described at struct store_write, out
 * receiving the result (or the campaign as it was, for a delete). */
int store_campaign_create(struct store *s, int64_t app_pk, struct campaign *c, struct apierr *e);
int store_campaign_get(struct store *s, int64_t app_pk, const char *id, struct campaign *out,
                       struct apierr *e);
int store_campaign_find(struct store *s, int64_t app_pk, const char *name, int type,
                        char id[IDS_MAX + 1], struct apierr *e);
int store_campaign_write(struct store *s, int64_t app_pk, const char *id,
                         const struct store_write *w, struct campaign *out, struct apierr *e);
/* The contacts view of c: its latest instance's snapshot, or the live
 * audience before the first start. */
int store_campaign_contacts(struct store *s, int64_t app_pk, const struct campaign *c,
                            int64_t offset, int64_t limit, struct store_contacts_page *out,
                            struct apierr *e);
/* Contacts of c's latest instance whose outcome is no longer Pending. */
int store_campaign_calls_completed(struct store *s, int64_t app_pk, const struct campaign *c,
                                   int64_t *out, struct apierr *e);
int store_outcome_record(struct store *s, int64_t app_pk, const char *campaign_id,
                         const struct store_outcome *o, struct apierr *e);

/* Contact lists (family spec §9): create (409 name), get (404), all
 * (updatedAt descending), update, delete (409 while in use), contacts
 * (insertion order), add contacts by list name (404 contact_list_name; then
 * validate(items) may add 400s; duplicates skipped unless allowed). */
int store_list_create(struct store *s, int64_t app_pk, const char *client_id,
                      const struct clist_fields *f, struct clist *out, struct apierr *e);
int store_list_get(struct store *s, int64_t app_pk, const char *id, struct clist *out,
                   struct apierr *e);
int store_list_get_all(struct store *s, int64_t app_pk, struct clist **out, size_t *n,
                       struct apierr *e);
int store_list_update(struct store *s, int64_t app_pk, const char *id, const char *client_id,
                      const struct clist_fields *f, struct clist *out, struct apierr *e);
int store_list_delete(struct store *s, int64_t app_pk, const char *id, struct clist *out,
                      struct apierr *e);
int store_list_contacts(struct store *s, int64_t app_pk, const char *id, int64_t offset,
                        int64_t limit, json_t **results, int64_t *total, struct apierr *e);
int store_list_add_contacts(struct store *s, int64_t app_pk, const char *list_name,
                            json_t *items, int (*validate)(json_t *items, void *ctx, struct apierr *e), void *ctx,
                            struct apierr *e);
/* Registers an experience flow ("flow") or SMS template ("template") name,
 * or finds it: fills id. */
int store_registry_add(struct store *s, int64_t app_pk, const char *kind, const char *name,
                       char id[IDS_MAX + 1], struct apierr *e);

#endif
