/* store.h - the storage interface: one opaque handle and plain functions,
 * grouped by concern (tenants and clients, the listing, import and export,
 * campaigns, contact lists), each implemented in its store_<concern>.c over
 * the connection layer (store_int.h).  SQLite and PostgreSQL differ only in
 * the driver below that (sqldb.h).
 *
 * Conventions for every operation:
 *  - returns STORE_OK (0) or what went wrong, with the problems on e (struct
 *    store_err): which object was not found, which name conflicts, which
 *    reference does not resolve.  The store knows no HTTP: the API layer
 *    alone turns a result into a status, a message and field paths
 *    (api_store.c); no SQL or path ever reaches a message;
 *  - every write is one transaction: on failure nothing is changed;
 *  - every read and write of tenant data is keyed by the tenant's app_pk,
 *    so no operation can see another tenant's rows;
 *  - the store is safe to call from many threads at once. */
#ifndef CAMPAIGND_STORE_H
#define CAMPAIGND_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "clist.h"
#include "contract.h"
#include "ids.h"
#include "query.h"

#define STORE_SECRET_LEN 64   /* hex characters of a generated client secret */
#define SCOPE_CAMPAIGNS "campaign-management"

struct store;
struct store_import;

/* What an operation found.  STORE_OK is 0, so `!= STORE_OK` reads as failed. */
enum store_rc {
    STORE_OK = 0,
    STORE_NOT_FOUND,   /* the object the call names is not the tenant's */
    STORE_CONFLICT,    /* a name is taken, a list is in use, a write raced another */
    STORE_BAD_REF,     /* names or ids the object refers to do not resolve */
    STORE_INVALID,     /* the call cannot be served as asked (see the problem) */
    STORE_REJECTED,    /* a caller's callback refused; the reason is the caller's */
    STORE_UNAVAILABLE, /* the database is unreachable or busy: try again */
    STORE_INTERNAL,    /* a bug or corruption */
};

/* Which problem.  a, b, index, elem and type say what it names; the
 * comment lists the ones it sets. */
enum store_what {
    SW_DB,                /* unavailable/internal: a = what failed, for the log only */
    SW_CALLER,            /* rejected: the caller's callback said why, on its own */
    SW_OPEN,              /* opening the store: a = the reason, fit to print */
    SW_DB_PATH,           /* store_open: the URL names no file */
    SW_CLIENT,            /* no such API client */
    SW_TENANT,            /* no such app (tenant key) */
    SW_APP,               /* a = stream, b = account: no such app */
    SW_APP_NO_CLIENT,     /* a = stream */
    SW_APP_OTHER_ACCOUNT, /* a = stream: it belongs to another account */
    SW_RACE,              /* a concurrent request created the same object */
    SW_CAMPAIGN,          /* a = id */
    SW_CAMPAIGN_NAME,     /* find: no campaign of that name */
    SW_CAMPAIGN_BOTH,     /* find: an SMS and a voice campaign have that name */
    SW_CAMPAIGN_INVALID,  /* the campaign handed in was marked invalid by its parser */
    SW_CAMPAIGN_TAKEN,    /* type, a = name: another campaign has the name */
    SW_REF_LIST,          /* index, a = name: contactLists[index] names no list */
    SW_REF_DNC,           /* a = name: the DNC list names no list */
    SW_REF_DNC_IN_LISTS,  /* a = name: the DNC list is also a contact list */
    SW_REF_TEMPLATE,      /* a = templateId: not registered */
    SW_REF_TEMPLATE_NAME, /* a = registered name, b = template_name given */
    SW_NEVER_STARTED,     /* a = campaign name: no instance to record on */
    SW_NO_CONTACT,        /* a = campaign name, b = phone */
    SW_ATTEMPT,           /* a = attempt id: no such attempt */
    SW_ATTEMPT_OUTCOME,   /* a = attempt id, b = the outcome it has: another was reported */
    SW_OUTCOME_TYPE,      /* type, a = outcome: not an outcome of that campaign type */
    SW_LIST,              /* a = id */
    SW_LIST_NAME,         /* add contacts: no list of that name */
    SW_LIST_TAKEN,        /* a = name */
    SW_LIST_IN_USE,       /* a = list name, b = names of the campaigns using it */
    /* An import's element elem (index = the contactLists position, -1 for
     * dncLists): */
    SW_IMP_LIST_OTHER_NAME, /* a = id: that list has another name */
    SW_IMP_LIST_OTHER_ID,   /* a = name, b = its id: the named list has another id */
    SW_IMP_SAME_LIST,       /* index, other = the earlier position naming the same list */
    SW_IMP_ID_TAKEN,        /* type, a = id */
    SW_IMP_NAME_TAKEN,      /* type, a = name */
    SW_IMP_CONFLICTS,       /* the file conflicts: nothing was imported */
};

struct store_problem {
    enum store_what what;
    long elem;         /* an import's element, or -1 */
    long index, other; /* positions in contactLists, or -1 */
    int type;          /* enum ctype, where it matters */
    char *a, *b;       /* owned */
};

/* The result of a call and its problems, in the order found.  The first
 * result set wins: a later, more generic failure does not hide the cause. */
struct store_err {
    enum store_rc rc;
    struct store_problem *p;
    size_t n, cap;
};

#define STORE_ERR_INIT                                                                             \
    {                                                                                              \
        STORE_OK, NULL, 0, 0                                                                       \
    }
void store_err_clear(struct store_err *e);

/* An API client as authentication needs it. */
struct store_client {
    char client_id[IDS_MAX + 1];
    char secret[STORE_SECRET_LEN + 1];
    char stream_id[IDS_MAX + 1];
    char account_id[CONTRACT_ACCOUNT_MAX + 1];
    int64_t app_pk;               /* the tenant key */
    int has_campaign_scope;
    /* After a rotation, the previous secret until old_until_ms (Unix ms);
     * "" when there is none. */
    char old_secret[STORE_SECRET_LEN + 1];
    int64_t old_until_ms;
};

/* What `app create` prints. */
struct store_creds {
    char account_id[CONTRACT_ACCOUNT_MAX + 1];
    char stream_id[IDS_MAX + 1];
    char client_id[IDS_MAX + 1];
    char secret[STORE_SECRET_LEN + 1];
};

/* A campaign read-modify-write (store_campaign_write).  The store reads the
 * campaign inside a write transaction and calls apply(), which changes it in
 * memory (its doc is a private copy) and sets the effect; then the store
 * resolves the names when `resolve` is set (contact and DNC lists, flow,
 * template: STORE_BAD_REF), calls conflicts(), checks the name's uniqueness
 * (STORE_CONFLICT), and writes the result, or deletes the campaign.  When
 * apply() or conflicts() returns nonzero the write ends with STORE_REJECTED:
 * the callback has recorded its reason in its own arg. */
struct store_effect {
    int resolve;            /* names in the campaign changed */
    int remove;             /* delete the campaign */
    int new_instance;       /* open a new instance with a snapshot of the audience */
    int over_if_empty;      /* with new_instance: a snapshot without records ends the run
                               at once (lifecycle_run_over; execution spec §7) */
};

struct store_write {
    int (*apply)(struct campaign *c, void *arg, struct store_effect *fx);
    int (*conflicts)(struct campaign *c, void *arg); /* may be NULL */
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
 * thread).  Creates or migrates the schema.  NULL with e set on failure
 * (SW_OPEN or SW_DB_PATH). */
struct store *store_open(const char *url, int pool, struct store_err *e);
/* The same for a read-only replica: no schema creation or migration (the
 * primary does that, and a hot standby refuses writes). */
struct store *store_open_replica(const char *url, int pool, struct store_err *e);
void store_close(struct store *s);

/* url with any password replaced by "***", for logs and messages. */
void store_url_redact(const char *url, char *out, size_t cap);

enum store_rc store_ping(struct store *s, struct store_err *e);
/* The connection pool's size and how many of its connections are idle. */
void store_pool(struct store *s, int *size, int *idle);
/* How long each store call took, from waiting for a connection to giving
 * it back: its queries and their transaction (prom.h). */
struct prom_hist;
const struct prom_hist *store_calls(const struct store *s);
/* A client that is not revoked (SW_CLIENT when there is none). */
enum store_rc store_client_get(struct store *s, const char *client_id, struct store_client *out,
                               struct store_err *e);
/* Revokes a client for good (SW_CLIENT when unknown or revoked already). */
enum store_rc store_client_revoke(struct store *s, const char *client_id, struct store_err *e);
/* Gives a client a new secret (in secret), keeping the current one valid
 * until old_until_ms (Unix ms; SW_CLIENT when unknown or revoked). */
enum store_rc store_client_rotate(struct store *s, const char *client_id, int64_t old_until_ms,
                                  char secret[STORE_SECRET_LEN + 1], struct store_err *e);
/* The credentials epoch: every revoke and rotate moves it, so a node that
 * remembers verified tokens knows when to forget them. */
enum store_rc store_cred_epoch(struct store *s, int64_t *out, struct store_err *e);
/* Creates the account and app when new, and always a new client.  stream_id
 * NULL means generate one.  SW_APP_OTHER_ACCOUNT for an existing stream of
 * another account. */
enum store_rc store_app_create(struct store *s, const char *account_id, const char *stream_id,
                               const char *name, const char *scopes, struct store_creds *out,
                               struct store_err *e);
/* The tenant key of (account, stream); SW_APP when there is no such app. */
enum store_rc store_app_find(struct store *s, const char *account_id, const char *stream_id,
                             int64_t *app_pk, struct store_err *e);
/* The oldest client of a stream, with its secret; SW_APP_NO_CLIENT when none. */
enum store_rc store_app_first_client(struct store *s, const char *stream_id,
                                     struct store_creds *out, struct store_err *e);
enum store_rc store_campaign_list(struct store *s, int64_t app_pk, const struct list_query *q,
                                  struct store_page *out, struct store_err *e);
/* The tenant's write version: it changes in the same transaction as every
 * write of the tenant's data, so (app_pk, version) names one state of it. */
enum store_rc store_tenant_version(struct store *s, int64_t app_pk, int64_t *out,
                                   struct store_err *e);
/* An import (contract.md §6) is one write transaction fed in batches, so
 * a file of any size streams through: begin; add the elements in order
 * (first = the index of items[0] in the file, for messages); end, which
 * commits when commit is set and nothing was wrong, else rolls back.
 * Missing ids and timestamps are generated (items are updated in place);
 * list references are resolved per contract.md §6.  add returns
 * STORE_CONFLICT when elements conflict with stored campaigns or lists or
 * with earlier elements (each a problem with its elem; the import can then
 * only be rolled back).  end frees im either way and returns STORE_OK once
 * committed (STORE_CONFLICT, SW_IMP_CONFLICTS, after conflicts). */
enum store_rc store_import_begin(struct store *s, int64_t app_pk, struct store_import **out,
                                 struct store_err *e);
enum store_rc store_import_add(struct store_import *im, struct campaign *items, size_t n,
                               size_t first, struct store_err *e);
enum store_rc store_import_end(struct store_import *im, int commit, struct store_err *e);
/* A JSON array of export elements; type is enum ctype or -1 for both. */
enum store_rc store_campaign_export(struct store *s, int64_t app_pk, int type, json_t **out,
                                    struct store_err *e);
void store_page_clear(struct store_page *p);

/* Campaigns of the family spec.  create resolves c's names, checks its name
 * is free (SW_CAMPAIGN_TAKEN) and stores it, filling in its id and times;
 * get reads one by id (SW_CAMPAIGN for an unknown id or another tenant's);
 * find gives the id of the campaign named `name` (ASCII case-insensitive)
 * of type (or -1 for either: SW_CAMPAIGN_BOTH when both types match),
 * SW_CAMPAIGN_NAME when none;
 * write is the read-modify-write described at struct store_write, out
 * receiving the result (or the campaign as it was, for a delete). */
enum store_rc store_campaign_create(struct store *s, int64_t app_pk, struct campaign *c,
                                    struct store_err *e);
enum store_rc store_campaign_get(struct store *s, int64_t app_pk, const char *id,
                                 struct campaign *out, struct store_err *e);
enum store_rc store_campaign_find(struct store *s, int64_t app_pk, const char *name, int type,
                                  char id[IDS_MAX + 1], struct store_err *e);
enum store_rc store_campaign_write(struct store *s, int64_t app_pk, const char *id,
                                   const struct store_write *w, struct campaign *out,
                                   struct store_err *e);
/* The contacts view of c: its latest instance's snapshot, or the live
 * audience before the first start. */
enum store_rc store_campaign_contacts(struct store *s, int64_t app_pk, const struct campaign *c,
                                      int64_t offset, int64_t limit,
                                      struct store_contacts_page *out, struct store_err *e);
/* Contacts of c's latest instance whose outcome is no longer Pending. */
enum store_rc store_campaign_calls_completed(struct store *s, int64_t app_pk,
                                             const struct campaign *c, int64_t *out,
                                             struct store_err *e);
enum store_rc store_outcome_record(struct store *s, int64_t app_pk, const char *campaign_id,
                                   const struct store_outcome *o, struct store_err *e);
/* The id of the latest attempt at the record phone of campaign_id's latest
 * run into id ("" when the record was never dispatched, or there is no
 * run): an outcome for it goes through store_attempt_report. */
enum store_rc store_record_attempt(struct store *s, int64_t app_pk, const char *campaign_id,
                                   const char *phone, char id[IDS_MAX + 1], struct store_err *e);

/* Running campaigns (store_runs.c; execution spec).  A campaign whose
 * schedule the runner must look at by `now`: its tenant and id. */
struct store_due {
    int64_t app_pk;
    char id[IDS_MAX + 1];
};
/* Up to max campaigns of any tenant whose fire_at is at or before now,
 * earliest first, into out[0..*n). */
enum store_rc store_fire_due(struct store *s, int64_t now, struct store_due *out, size_t max,
                             size_t *n, struct store_err *e);
/* The earliest fire_at of any campaign into *at (INT64_MAX when none). */
enum store_rc store_fire_next(struct store *s, int64_t *at, struct store_err *e);

/* An open run of an Active campaign, which the runner may dispatch. */
struct store_run {
    int64_t instance_pk, app_pk;
    char campaign_id[IDS_MAX + 1];
    int priority;
};
/* Up to max open runs of Active campaigns, highest priority first, then
 * the one that got attempts longest ago (round robin within a priority). */
enum store_rc store_runs_open(struct store *s, struct store_run *out, size_t max, size_t *n,
                              struct store_err *e);

/* One attempt to hand to the channel: one try at one record, with what a
 * channel tells the gateway about it (execution spec §5.2). */
struct store_attempt {
    char id[IDS_MAX + 1]; /* "att-<uuid>", also the channel's idempotency key */
    int64_t app_pk, instance_pk, pos;
    int n;                /* the record's attempt number, 1 first */
    int tries;            /* the channel's failed tries of it so far (§5.2) */
    int64_t created_at;   /* when it was dispatched */
    enum ctype type;
    enum cmode mode;
    char phone[CONTRACT_PHONE_MAX + 1];
    char digits[CONTRACT_PHONE_MAX + 1];
    char tz[CONTRACT_TZ_MAX + 1];                          /* the record's zone, or "" */
    char unique_id[4 * CONTRACT_CONTACT_FIELD_MAX + 1];    /* or "" */
    char campaign_id[IDS_MAX + 1], instance_id[IDS_MAX + 1];
    char account_id[CONTRACT_ACCOUNT_MAX + 1], stream_id[IDS_MAX + 1];
    json_t *campaign; /* the campaign's stored document: a reference the
                         attempt holds (store_attempts_release) */
};
/* Drops the references a[0..n) hold. */
void store_attempts_release(struct store_attempt *a, size_t n);
/* Takes up to STORE_CLAIM_MAX records of run r that are due at now (retries first by
 * due time, then records not yet tried in dialing order), each inside its
 * calling hours in its own zone, else the campaign's (a record outside them
 * is left waiting until its next window); a record whose number is on the
 * campaign's DNC list now ends with outcome dnc; the others get an attempt,
 * leased until now + lease_ms, counted at once, into out[0..*n), within the
 * pace: at most per_second started in this clock second (counted in the
 * run's row, so across nodes), tenant_per_second for the run's tenant
 * (counted in its row) and max_inflight out.  Nothing when the campaign is
 * not Active.  The runs of a priority take turns: a claim that returns
 * attempts moves its run behind the others of its priority in
 * store_runs_open's order. */
struct store_pace {
    int per_second;   /* attempts started per clock second per run, across nodes; 0 = no limit */
    int tenant_per_second; /* the same per tenant, across its runs; 0 = no limit */
    int max_inflight; /* attempts awaiting an outcome per run; 0 = no limit */
    int64_t lease_ms;
    int most;         /* attempts this claim may return, 1..STORE_CLAIM_MAX */
};
#define STORE_CLAIM_MAX 256 /* attempts one claim returns at most: out's size */
enum store_rc store_run_claim(struct store *s, const struct store_run *r, int64_t now,
                              const struct store_pace *pace, struct store_attempt *out, size_t *n,
                              struct store_err *e);
/* Attempts sent whose acceptance was never committed (a node died) and
 * whose lease expired before now: up to max of them, leased again until
 * now + lease_ms, to be sent again with the same ids (§8). */
enum store_rc store_attempts_expired(struct store *s, int64_t now, int64_t lease_ms,
                                     struct store_attempt *out, size_t max, size_t *n,
                                     struct store_err *e);
/* The latest run of campaign cp as `campaignd campaign progress` prints it
 * (execution spec §7): a new object into *out; SW_NEVER_STARTED without a
 * run. */
enum store_rc store_run_progress(struct store *s, int64_t app_pk, const struct campaign *cp,
                                 json_t **out, struct store_err *e);
/* What became of sent attempt a.  The channel accepted it: its outcome
 * (enum outcome) takes effect at `at`, or, with outcome -1, it comes later
 * (store_attempt_report) and `at` is when it becomes timeout instead
 * (§5.2).  Or, with outcome STORE_TRY_AGAIN, the channel failed to deliver
 * it: its failed tries count one more, and it is tried again, with the
 * same id, at `at` (its lease until then). */
#define STORE_TRY_AGAIN (-2)
struct store_accept {
    const struct store_attempt *a;
    int outcome;
    int64_t at;
    const json_t *detail; /* the view fields its outcome came with, or NULL */
};
/* Records n of them, one transaction per consecutive run of one tenant.
 * An attempt accepted before (another node, or a resend after a restart)
 * is left as it is. */
enum store_rc store_attempts_accept(struct store *s, const struct store_accept *acc, size_t n,
                                    struct store_err *e);
/* An outcome reported for attempt attempt_id (the callback, execution spec
 * §6; the admin CLI), detail the contacts view fields it carries (may be
 * NULL).  The first outcome wins: recorded, it takes effect at now; the
 * same again changes nothing; another is SW_ATTEMPT_OUTCOME.  SW_ATTEMPT
 * when there is no such attempt, SW_OUTCOME_TYPE when the campaign's type
 * cannot have that outcome (outcome_reportable). */
enum store_rc store_attempt_report(struct store *s, const char *attempt_id, int outcome,
                                   const json_t *detail, int64_t now, struct store_err *e);
/* Applies the outcomes that have taken effect by now (an accepted attempt
 * whose outcome never came is timeout): a final one (or the
 * record's last allowed attempt) ends the record, a retryable one makes it
 * due again after defaultRetryPeriod; an SMS delivered adds one to
 * totalMessagesSent; a run whose records have all ended is over
 * (lifecycle_run_over).  *applied counts the outcomes applied, and
 * by_outcome (NULL, or OUT_COUNT entries, outcome.h) is added the committed
 * ones by outcome. */
enum store_rc store_runs_settle(struct store *s, int64_t now, size_t *applied,
                                size_t *by_outcome, struct store_err *e);

/* Contact lists (family spec §9): create (SW_LIST_TAKEN), get (SW_LIST),
 * all (updatedAt descending), update, delete (SW_LIST_IN_USE), contacts
 * (insertion order), add contacts by list name (SW_LIST_NAME; then
 * validate(items), STORE_REJECTED when it returns nonzero; duplicates
 * skipped unless allowed).  On failure a clist `out` is left empty. */
enum store_rc store_list_create(struct store *s, int64_t app_pk, const char *client_id,
                                const struct clist_fields *f, struct clist *out,
                                struct store_err *e);
enum store_rc store_list_get(struct store *s, int64_t app_pk, const char *id, struct clist *out,
                             struct store_err *e);
enum store_rc store_list_get_all(struct store *s, int64_t app_pk, struct clist **out, size_t *n,
                                 struct store_err *e);
enum store_rc store_list_update(struct store *s, int64_t app_pk, const char *id,
                                const char *client_id, const struct clist_fields *f,
                                struct clist *out, struct store_err *e);
enum store_rc store_list_delete(struct store *s, int64_t app_pk, const char *id, struct clist *out,
                                struct store_err *e);
enum store_rc store_list_contacts(struct store *s, int64_t app_pk, const char *id, int64_t offset,
                                  int64_t limit, json_t **results, int64_t *total,
                                  struct store_err *e);
enum store_rc store_list_add_contacts(struct store *s, int64_t app_pk, const char *list_name,
                                      json_t *items, int (*validate)(json_t *items, void *ctx),
                                      void *ctx, struct store_err *e);
/* Registers an experience flow ("flow") or SMS template ("template") name,
 * or finds it: fills id. */
enum store_rc store_registry_add(struct store *s, int64_t app_pk, const char *kind,
                                 const char *name, char id[IDS_MAX + 1], struct store_err *e);

#endif
