/* store_sqlite.c - the embedded back end: SQLite in WAL mode.
 *
 * A fixed pool of connections, one per worker thread, each with its own
 * prepared statements; a request borrows one connection for its duration.
 * Every write runs in BEGIN IMMEDIATE ... COMMIT, so a failed request leaves
 * nothing behind, and synchronous=FULL makes a COMMIT durable before the
 * request is acknowledged.  SQL text is constant; the only SQL assembled at
 * run time is the ORDER BY of the listing, built from a fixed set of column
 * names selected by enum, never from request text. */
#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonu.h"
#include "log.h"
#include "timefmt.h"
#include "xalloc.h"

/* ---- schema -------------------------------------------------------------- */

/* Migration i brings the schema from version i to i + 1.  Append only. */
static const char *const sq_migrations[] = {
    /* 1: tenants, lists and campaigns.  Every tenant row is keyed by app_pk
     * first, so every index serves one tenant's rows alone. */
    "CREATE TABLE accounts ("
    "  account_id TEXT PRIMARY KEY,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE apps ("
    "  app_pk INTEGER PRIMARY KEY,"
    "  stream_id TEXT NOT NULL UNIQUE,"
    "  account_id TEXT NOT NULL REFERENCES accounts(account_id),"
    "  name TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE clients ("
    "  client_id TEXT PRIMARY KEY,"
    "  app_pk INTEGER NOT NULL REFERENCES apps(app_pk),"
    "  secret TEXT NOT NULL,"
    "  scopes TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX clients_app ON clients(app_pk, created_at);"
    "CREATE TABLE lists ("
    "  list_pk INTEGER PRIMARY KEY,"
    "  app_pk INTEGER NOT NULL REFERENCES apps(app_pk),"
    "  id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  lname TEXT NOT NULL,"
    "  doc TEXT NOT NULL DEFAULT '{}',"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE (app_pk, id),"
    "  UNIQUE (app_pk, lname));"
    "CREATE TABLE campaigns ("
    "  campaign_pk INTEGER PRIMARY KEY,"
    "  app_pk INTEGER NOT NULL REFERENCES apps(app_pk),"
    "  id TEXT NOT NULL,"
    "  type TEXT NOT NULL CHECK (type IN ('voice', 'sms')),"
    "  name TEXT NOT NULL,"
    "  lname TEXT NOT NULL,"
    "  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 7),"
    "  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),"
    "  dialing_mode INTEGER NOT NULL CHECK (dialing_mode BETWEEN 0 AND 3),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  instance_updated_at INTEGER,"
    "  dnc_list_pk INTEGER REFERENCES lists(list_pk),"
    "  doc TEXT NOT NULL,"
    "  UNIQUE (app_pk, id),"
    "  UNIQUE (app_pk, type, lname));"
    "CREATE INDEX campaigns_created ON campaigns(app_pk, type, created_at, id);"
    "CREATE INDEX campaigns_updated ON campaigns(app_pk, type, updated_at, id);"
    "CREATE TABLE campaign_lists ("
    "  campaign_pk INTEGER NOT NULL REFERENCES campaigns(campaign_pk) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  list_pk INTEGER NOT NULL REFERENCES lists(list_pk),"
    "  PRIMARY KEY (campaign_pk, pos));"
    "CREATE INDEX campaign_lists_list ON campaign_lists(list_pk);",
};
#define SQ_SCHEMA_VERSION ((int)(sizeof sq_migrations / sizeof sq_migrations[0]))

/* ---- statements ---------------------------------------------------------- */

enum sq_stmt {
    SQ_PING, SQ_BEGIN, SQ_COMMIT, SQ_ROLLBACK,
    SQ_CLIENT_GET, SQ_ACCOUNT_ADD, SQ_APP_BY_STREAM, SQ_APP_ADD, SQ_CLIENT_ADD, SQ_APP_FIND,
    SQ_APP_FIRST_CLIENT,
    SQ_LIST_COUNT, SQ_CAMPAIGN_LISTS,
    SQ_LIST_BY_LNAME, SQ_LIST_BY_ID, SQ_LIST_ADD, SQ_CAMPAIGN_ID_TAKEN, SQ_CAMPAIGN_NAME_TAKEN,
    SQ_CAMPAIGN_ADD, SQ_CAMPAIGN_LIST_ADD, SQ_EXPORT,
    SQ_NSTMT
};

/* Columns read by sq_read_campaign, in order. */
#define SQ_CAMPAIGN_COLS                                                                   \
    "c.campaign_pk, c.id, c.type, c.name, c.status, c.priority, c.dialing_mode,"          \
    " c.created_at, c.updated_at, c.instance_updated_at, c.doc, l.id, l.name"
#define SQ_CAMPAIGN_FROM " FROM campaigns c LEFT JOIN lists l ON l.list_pk = c.dnc_list_pk"
/* The listing's filter: tenant, type, inclusive createdAt range, and bit
 * masks (bit i of ?5 passes status i, and so on). */
#define SQ_LIST_WHERE                                                                      \
    " WHERE c.app_pk = ?1 AND c.type = ?2 AND c.created_at BETWEEN ?3 AND ?4"              \
    " AND (?5 >> c.status) & 1 AND (?6 >> c.priority) & 1 AND (?7 >> c.dialing_mode) & 1"

static const char *const sq_sql[SQ_NSTMT] = {
    [SQ_PING] = "SELECT 1",
    [SQ_BEGIN] = "BEGIN IMMEDIATE",
    [SQ_COMMIT] = "COMMIT",
    [SQ_ROLLBACK] = "ROLLBACK",
    [SQ_CLIENT_GET] = "SELECT c.secret, c.scopes, a.stream_id, a.account_id, a.app_pk"
                      " FROM clients c JOIN apps a ON a.app_pk = c.app_pk WHERE c.client_id = ?1",
    [SQ_ACCOUNT_ADD] = "INSERT OR IGNORE INTO accounts(account_id, created_at) VALUES (?1, ?2)",
    [SQ_APP_BY_STREAM] = "SELECT app_pk, account_id FROM apps WHERE stream_id = ?1",
    [SQ_APP_ADD] = "INSERT INTO apps(stream_id, account_id, name, created_at)"
                   " VALUES (?1, ?2, ?3, ?4)",
    [SQ_CLIENT_ADD] = "INSERT INTO clients(client_id, app_pk, secret, scopes, created_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)",
    [SQ_APP_FIND] = "SELECT app_pk FROM apps WHERE account_id = ?1 AND stream_id = ?2",
    [SQ_APP_FIRST_CLIENT] = "SELECT c.client_id, c.secret, a.account_id FROM clients c"
                            " JOIN apps a ON a.app_pk = c.app_pk WHERE a.stream_id = ?1"
                            " ORDER BY c.created_at, c.client_id LIMIT 1",
    [SQ_LIST_COUNT] = "SELECT count(*) FROM campaigns c" SQ_LIST_WHERE,
    [SQ_CAMPAIGN_LISTS] = "SELECT l.name FROM campaign_lists cl JOIN lists l"
                          " ON l.list_pk = cl.list_pk WHERE cl.campaign_pk = ?1 ORDER BY cl.pos",
    [SQ_LIST_BY_LNAME] = "SELECT list_pk, id, name FROM lists WHERE app_pk = ?1 AND lname = ?2",
    [SQ_LIST_BY_ID] = "SELECT list_pk, id, name FROM lists WHERE app_pk = ?1 AND id = ?2",
    [SQ_LIST_ADD] = "INSERT INTO lists(app_pk, id, name, lname, created_at, updated_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    [SQ_CAMPAIGN_ID_TAKEN] = "SELECT 1 FROM campaigns WHERE app_pk = ?1 AND id = ?2",
    [SQ_CAMPAIGN_NAME_TAKEN] = "SELECT 1 FROM campaigns WHERE app_pk = ?1 AND type = ?2"
                               " AND lname = ?3",
    [SQ_CAMPAIGN_ADD] = "INSERT INTO campaigns(app_pk, id, type, name, lname, status, priority,"
                        " dialing_mode, created_at, updated_at, instance_updated_at,"
                        " dnc_list_pk, doc)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [SQ_CAMPAIGN_LIST_ADD] = "INSERT INTO campaign_lists(campaign_pk, pos, list_pk)"
                             " VALUES (?1, ?2, ?3)",
    [SQ_EXPORT] = "SELECT " SQ_CAMPAIGN_COLS SQ_CAMPAIGN_FROM
                  " WHERE c.app_pk = ?1 AND (?2 IS NULL OR c.type = ?2)"
                  " ORDER BY c.created_at, c.id",
};

/* Listing statements differ only in ORDER BY; each connection keeps a few,
 * keyed by the order's code (see sq_order_code). */
#define SQ_ORDER_CACHE 16

/* Parsed campaign docs, keyed by their exact stored text: parsing JSON was
 * a third of a listing's cost.  A hit hands out a new reference to a shared,
 * read-only json_t (jansson's reference counts are atomic), so a doc read
 * from the store must never be modified in place. */
#define SQ_DOC_CACHE 256 /* a power of two */

struct sq_doc {
    uint64_t hash;
    char *text;
    size_t len;
    json_t *doc;
};

struct sq_conn {
    sqlite3 *db;
    sqlite3_stmt *stmt[SQ_NSTMT];
    struct {
        unsigned code;
        sqlite3_stmt *stmt;
    } order[SQ_ORDER_CACHE];
    unsigned order_next;
    struct sq_doc docs[SQ_DOC_CACHE];
};

struct store_sqlite {
    struct store base;       /* must be first */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n;
    struct sq_conn *conns;
    int *idle;               /* stack of idle connection indexes */
    int nidle;
};

/* ---- errors -------------------------------------------------------------- */

/* Maps an SQLite failure to the contract's status: the store being busy or
 * unreachable is 503, anything else 500.  Details go to the log only. */
static int sq_fail(sqlite3 *db, int rc, const char *what, struct apierr *e)
{
    int prim = rc & 0xff;
    log_error("sqlite: %s: %s (%d)", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), rc);
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED || prim == SQLITE_IOERR ||
        prim == SQLITE_CANTOPEN || prim == SQLITE_FULL || prim == SQLITE_NOTADB ||
        prim == SQLITE_CORRUPT || prim == SQLITE_READONLY || prim == SQLITE_PROTOCOL)
        apierr_set(e, 503, "The store is unavailable; try again later");
    else
        apierr_set(e, 500, "Internal error");
    return -1;
}

/* ---- connections --------------------------------------------------------- */

static int sq_exec(sqlite3 *db, const char *sql, struct apierr *e)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : sq_fail(db, rc, sql, e);
}

static int sq_migrate(sqlite3 *db, const char *path, struct apierr *e)
{
    if (sq_exec(db, "BEGIN IMMEDIATE", e) != 0)
        return -1;
    sqlite3_stmt *st = NULL;
    int version = 0, rc;
    if (sq_exec(db, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
                e) != 0)
        goto fail;
    rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st,
                            NULL);
    if (rc != SQLITE_OK) {
        sq_fail(db, rc, "read schema version", e);
        goto fail;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (version > SQ_SCHEMA_VERSION) {
        apierr_set(e, 500, "The database %s has schema version %d; this campaignd knows up to %d",
                   path, version, SQ_SCHEMA_VERSION);
        goto fail;
    }
    for (int v = version; v < SQ_SCHEMA_VERSION; v++) {
        if (sq_exec(db, sq_migrations[v], e) != 0)
            goto fail;
        log_info("store: %s migrated to schema version %d", path, v + 1);
    }
    rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?1)",
                            -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sq_fail(db, rc, "write schema version", e);
        goto fail;
    }
    sqlite3_bind_int(st, 1, SQ_SCHEMA_VERSION);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sq_fail(db, rc, "write schema version", e);
        goto fail;
    }
    return sq_exec(db, "COMMIT", e);
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static int sq_conn_open(struct sq_conn *c, const char *path, struct apierr *e)
{
    int rc = sqlite3_open_v2(path, &c->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        sq_fail(c->db, rc, "open", e);
        apierr_set(e, 503, "Cannot open the database %s", path);
        return -1;
    }
    sqlite3_busy_timeout(c->db, 5000);
    sqlite3_extended_result_codes(c->db, 1);
    /* WAL: readers never block the writer; FULL: a COMMIT is on disk before
     * it returns, so an acknowledged write survives a crash or power loss. */
    if (sq_exec(c->db, "PRAGMA journal_mode=WAL", e) != 0 ||
        sq_exec(c->db, "PRAGMA synchronous=FULL", e) != 0 ||
        sq_exec(c->db, "PRAGMA foreign_keys=ON", e) != 0)
        return -1;
    return 0;
}

static void sq_conn_close(struct sq_conn *c)
{
    for (int i = 0; i < SQ_DOC_CACHE; i++) {
        free(c->docs[i].text);
        json_decref(c->docs[i].doc);
    }
    for (int i = 0; i < SQ_NSTMT; i++)
        sqlite3_finalize(c->stmt[i]);
    for (int i = 0; i < SQ_ORDER_CACHE; i++)
        sqlite3_finalize(c->order[i].stmt);
    sqlite3_close(c->db);
}

static struct sq_conn *sq_acquire(struct store_sqlite *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->nidle == 0)
        pthread_cond_wait(&s->cv, &s->mu);
    struct sq_conn *c = &s->conns[s->idle[--s->nidle]];
    pthread_mutex_unlock(&s->mu);
    return c;
}

static void sq_release(struct store_sqlite *s, struct sq_conn *c)
{
    pthread_mutex_lock(&s->mu);
    s->idle[s->nidle++] = (int)(c - s->conns);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* The prepared statement k of connection c, reset and unbound; NULL on
 * failure with e set. */
static sqlite3_stmt *sq_stmt(struct sq_conn *c, enum sq_stmt k, struct apierr *e)
{
    if (c->stmt[k] == NULL) {
        int rc = sqlite3_prepare_v3(c->db, sq_sql[k], -1, SQLITE_PREPARE_PERSISTENT, &c->stmt[k],
                                    NULL);
        if (rc != SQLITE_OK) {
            sq_fail(c->db, rc, sq_sql[k], e);
            return NULL;
        }
    }
    sqlite3_reset(c->stmt[k]);
    sqlite3_clear_bindings(c->stmt[k]);
    return c->stmt[k];
}

/* Runs a statement that returns no rows. */
static int sq_done(struct sq_conn *c, sqlite3_stmt *st, const char *what, struct apierr *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_fail(c->db, rc, what, e);
}

static int sq_simple(struct sq_conn *c, enum sq_stmt k, struct apierr *e)
{
    sqlite3_stmt *st = sq_stmt(c, k, e);
    return st ? sq_done(c, st, sq_sql[k], e) : -1;
}

static void sq_rollback(struct sq_conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static void sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void sq_copy(char *dst, size_t cap, const unsigned char *src)
{
    snprintf(dst, cap, "%s", src ? (const char *)src : "");
}

/* ---- operations: tenancy ------------------------------------------------- */

static int sq_ping(struct store *base, struct apierr *e)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct sq_conn *c = sq_acquire(s);
    sqlite3_stmt *st = sq_stmt(c, SQ_PING, e);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    int ret = rc == SQLITE_ROW ? 0 : (st ? sq_fail(c->db, rc, "ping", e) : -1);
    if (st)
        sqlite3_reset(st);
    sq_release(s, c);
    return ret;
}

static int sq_client_get(struct store *base, const char *client_id, struct store_client *out,
                         struct apierr *e)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct sq_conn *c = sq_acquire(s);
    int ret = -1;
    sqlite3_stmt *st = sq_stmt(c, SQ_CLIENT_GET, e);
    if (st == NULL)
        goto out;
    sq_bind_text(st, 1, client_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sq_copy(out->client_id, sizeof out->client_id, (const unsigned char *)client_id);
        sq_copy(out->secret, sizeof out->secret, sqlite3_column_text(st, 0));
        const char *scopes = (const char *)sqlite3_column_text(st, 1);
        out->has_campaign_scope = 0;
        /* scopes is a comma-separated list */
        for (const char *p = scopes ? scopes : ""; *p;) {
            size_t n = strcspn(p, ",");
            if (n == strlen(SCOPE_CAMPAIGNS) && strncmp(p, SCOPE_CAMPAIGNS, n) == 0)
                out->has_campaign_scope = 1;
            p += n + (p[n] == ',');
        }
        sq_copy(out->stream_id, sizeof out->stream_id, sqlite3_column_text(st, 2));
        sq_copy(out->account_id, sizeof out->account_id, sqlite3_column_text(st, 3));
        out->app_pk = sqlite3_column_int64(st, 4);
        ret = 0;
    } else if (rc == SQLITE_DONE) {
        apierr_set(e, 404, "Unknown client");
    } else {
        sq_fail(c->db, rc, "client get", e);
    }
    sqlite3_reset(st);
out:
    sq_release(s, c);
    return ret;
}

static void sq_new_secret(char out[STORE_SECRET_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[STORE_SECRET_LEN / 2];
    ids_random(b, sizeof b);
    for (size_t i = 0; i < sizeof b; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[STORE_SECRET_LEN] = '\0';
}

static int sq_app_create(struct store *base, const char *account_id, const char *stream_id,
                         const char *name, const char *scopes, struct store_creds *out,
                         struct apierr *e)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct sq_conn *c = sq_acquire(s);
    int64_t now = timefmt_now_ms(), app_pk = 0;
    sqlite3_stmt *st;
    int rc;
    if (sq_simple(c, SQ_BEGIN, e) != 0)
        goto fail;
    if ((st = sq_stmt(c, SQ_ACCOUNT_ADD, e)) == NULL)
        goto fail;
    sq_bind_text(st, 1, account_id);
    sqlite3_bind_int64(st, 2, now);
    if (sq_done(c, st, "account add", e) != 0)
        goto fail;

    snprintf(out->account_id, sizeof out->account_id, "%s", account_id);
    if (stream_id != NULL) {
        snprintf(out->stream_id, sizeof out->stream_id, "%s", stream_id);
        if ((st = sq_stmt(c, SQ_APP_BY_STREAM, e)) == NULL)
            goto fail;
        sq_bind_text(st, 1, stream_id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            app_pk = sqlite3_column_int64(st, 0);
            int same = strcmp((const char *)sqlite3_column_text(st, 1), account_id) == 0;
            sqlite3_reset(st);
            if (!same) {
                apierr_set(e, 409, "The app %s belongs to another account", stream_id);
                goto fail;
            }
        } else {
            sqlite3_reset(st);
            if (rc != SQLITE_DONE) {
                sq_fail(c->db, rc, "app by stream", e);
                goto fail;
            }
        }
    } else {
        ids_new("st", out->stream_id);
    }
    if (app_pk == 0) {
        if ((st = sq_stmt(c, SQ_APP_ADD, e)) == NULL)
            goto fail;
        sq_bind_text(st, 1, out->stream_id);
        sq_bind_text(st, 2, account_id);
        sq_bind_text(st, 3, name ? name : "");
        sqlite3_bind_int64(st, 4, now);
        if (sq_done(c, st, "app add", e) != 0)
            goto fail;
        app_pk = sqlite3_last_insert_rowid(c->db);
    }
    ids_new("cs", out->client_id);
    sq_new_secret(out->secret);
    if ((st = sq_stmt(c, SQ_CLIENT_ADD, e)) == NULL)
        goto fail;
    sq_bind_text(st, 1, out->client_id);
    sqlite3_bind_int64(st, 2, app_pk);
    sq_bind_text(st, 3, out->secret);
    sq_bind_text(st, 4, scopes);
    sqlite3_bind_int64(st, 5, now);
    if (sq_done(c, st, "client add", e) != 0 || sq_simple(c, SQ_COMMIT, e) != 0)
        goto fail;
    sq_release(s, c);
    return 0;
fail:
    sq_rollback(c);
    sq_release(s, c);
    return -1;
}

static int sq_app_find(struct store *base, const char *account_id, const char *stream_id,
                       int64_t *app_pk, struct apierr *e)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct sq_conn *c = sq_acquire(s);
    int ret = -1;
    sqlite3_stmt *st = sq_stmt(c, SQ_APP_FIND, e);
    if (st != NULL) {
        sq_bind_text(st, 1, account_id);
        sq_bind_text(st, 2, stream_id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *app_pk = sqlite3_column_int64(st, 0);
            ret = 0;
        } else if (rc == SQLITE_DONE) {
            apierr_set(e, 404, "There is no app %s in account %s", stream_id, account_id);
        } else {
            sq_fail(c->db, rc, "app find", e);
        }
        sqlite3_reset(st);
    }
    sq_release(s, c);
    return ret;
}

static int sq_app_first_client(struct store *base, const char *stream_id,
                               struct store_creds *out, struct apierr *e)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct sq_conn *c = sq_acquire(s);
    int ret = -1;
    sqlite3_stmt *st = sq_stmt(c, SQ_APP_FIRST_CLIENT, e);
    if (st != NULL) {
        sq_bind_text(st, 1, stream_id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            snprintf(out->stream_id, sizeof out->stream_id, "%s", stream_id);
            sq_copy(out->client_id, sizeof out->client_id, sqlite3_column_text(st, 0));
            sq_copy(out->secret, sizeof out->secret, sqlite3_column_text(st, 1));
            sq_copy(out->account_id, sizeof out->account_id, sqlite3_column_text(st, 2));
            ret = 0;
        } else if (rc == SQLITE_DONE) {
            apierr_set(e, 404, "The app %s has no client", stream_id);
        } else {
            sq_fail(c->db, rc, "first client", e);
        }
        sqlite3_reset(st);
    }
    sq_release(s, c);
    return ret;
}

/* ---- operations: campaigns ---------------------------------------------- */

/* The parsed doc for text[0..len): a new reference, NULL if unparsable. */
static json_t *sq_doc_get(struct sq_conn *c, const char *text, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    struct sq_doc *d = &c->docs[h & (SQ_DOC_CACHE - 1)];
    if (d->doc != NULL && d->hash == h && d->len == len && memcmp(d->text, text, len) == 0)
        return json_incref(d->doc);
    json_t *doc = json_loadb(text, len, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return NULL;
    }
    free(d->text);
    json_decref(d->doc);
    d->hash = h;
    d->text = xstrndup(text, len);
    d->len = len;
    d->doc = json_incref(doc);
    return doc;
}

/* Reads the SQ_CAMPAIGN_COLS of the current row into c (initialised), then
 * its contact list names.  Returns 0, or -1 with e set. */
static int sq_read_campaign(struct sq_conn *conn, sqlite3_stmt *st, struct campaign *c,
                            struct apierr *e)
{
    int64_t pk = sqlite3_column_int64(st, 0);
    sq_copy(c->id, sizeof c->id, sqlite3_column_text(st, 1));
    c->type = strcmp((const char *)sqlite3_column_text(st, 2), "sms") == 0 ? CTYPE_SMS
                                                                            : CTYPE_VOICE;
    c->name = xstrdup((const char *)sqlite3_column_text(st, 3));
    c->status = (enum cstatus)sqlite3_column_int(st, 4);
    c->priority = sqlite3_column_int(st, 5);
    c->mode = (enum cmode)sqlite3_column_int(st, 6);
    c->created_at = sqlite3_column_int64(st, 7);
    c->updated_at = sqlite3_column_int64(st, 8);
    c->instance_updated_at = sqlite3_column_type(st, 9) == SQLITE_NULL
                                 ? CAMPAIGN_NO_TIME
                                 : sqlite3_column_int64(st, 9);
    json_decref(c->doc);
    c->doc = sq_doc_get(conn, (const char *)sqlite3_column_text(st, 10),
                        (size_t)sqlite3_column_bytes(st, 10));
    if (c->doc == NULL) {
        log_error("sqlite: campaign %s has an unreadable doc", c->id);
        apierr_set(e, 500, "Internal error");
        c->doc = json_object();
        return -1;
    }
    if (sqlite3_column_type(st, 11) != SQLITE_NULL)
        c->dnc = json_pack("{s:s, s:s}", "id", (const char *)sqlite3_column_text(st, 11), "name",
                           (const char *)sqlite3_column_text(st, 12));

    sqlite3_stmt *ls = sq_stmt(conn, SQ_CAMPAIGN_LISTS, e);
    if (ls == NULL)
        return -1;
    sqlite3_bind_int64(ls, 1, pk);
    int rc;
    c->contact_lists = json_array();
    while ((rc = sqlite3_step(ls)) == SQLITE_ROW)
        json_array_append_new(c->contact_lists,
                              json_string((const char *)sqlite3_column_text(ls, 0)));
    sqlite3_reset(ls);
    if (rc != SQLITE_DONE)
        return sq_fail(conn->db, rc, "campaign lists", e);
    /* An imported campaign without contactLists keeps the key absent. */
    if (json_is_true(json_object_get(c->doc, "noContactLists"))) {
        json_decref(c->contact_lists);
        c->contact_lists = NULL;
    }
    return 0;
}

/* A code unique to each effective order, for the statement cache. */
static unsigned sq_order_code(const int *fields, const int *desc, int n)
{
    unsigned code = 0;
    for (int i = 0; i < n; i++)
        code = code * 8 + (unsigned)(fields[i] + 1) * 2 + (unsigned)desc[i];
    return code;
}

static sqlite3_stmt *sq_list_stmt(struct sq_conn *c, const struct list_query *q,
                                  struct apierr *e)
{
    static const char *const cols[] = {"c.lname", "c.created_at", "c.updated_at"};
    int fields[4], desc[4];
    int n = query_order(q, fields, desc);
    unsigned code = sq_order_code(fields, desc, n);
    for (int i = 0; i < SQ_ORDER_CACHE; i++) {
        if (c->order[i].stmt != NULL && c->order[i].code == code) {
            sqlite3_reset(c->order[i].stmt);
            sqlite3_clear_bindings(c->order[i].stmt);
            return c->order[i].stmt;
        }
    }
    char sql[1024];
    int len = snprintf(sql, sizeof sql, "SELECT " SQ_CAMPAIGN_COLS SQ_CAMPAIGN_FROM SQ_LIST_WHERE
                                        " ORDER BY ");
    for (int i = 0; i < n; i++)
        len += snprintf(sql + len, sizeof sql - (size_t)len, "%s%s %s", i ? ", " : "",
                        fields[i] < 0 ? "c.id" : cols[fields[i]], desc[i] ? "DESC" : "ASC");
    snprintf(sql + len, sizeof sql - (size_t)len, " LIMIT ?8 OFFSET ?9");
    unsigned slot = c->order_next++ % SQ_ORDER_CACHE;
    sqlite3_finalize(c->order[slot].stmt);
    c->order[slot].stmt = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->order[slot].stmt,
                                NULL);
    if (rc != SQLITE_OK) {
        sq_fail(c->db, rc, "list prepare", e);
        return NULL;
    }
    c->order[slot].code = code;
    return c->order[slot].stmt;
}

static void sq_bind_filter(sqlite3_stmt *st, int64_t app_pk, const struct list_query *q)
{
    sqlite3_bind_int64(st, 1, app_pk);
    sqlite3_bind_text(st, 2, campaign_type_name(q->type), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, q->start_ms);
    sqlite3_bind_int64(st, 4, q->end_ms);
    sqlite3_bind_int64(st, 5, q->status_mask);
    sqlite3_bind_int64(st, 6, q->priority_mask);
    sqlite3_bind_int64(st, 7, q->mode_mask);
}

static int sq_campaign_list(struct store *base, int64_t app_pk, const struct list_query *q,
                            struct store_page *out, struct apierr *e)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct sq_conn *c = sq_acquire(s);
    int rc, ret = -1;
    memset(out, 0, sizeof *out);
    /* Count and page from one snapshot. */
    if (sq_exec(c->db, "BEGIN", e) != 0)
        goto done;
    sqlite3_stmt *st = sq_stmt(c, SQ_LIST_COUNT, e);
    if (st == NULL)
        goto done;
    sq_bind_filter(st, app_pk, q);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sq_fail(c->db, rc, "list count", e);
        goto done;
    }
    out->total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (q->offset >= out->total) {
        ret = 0;
        goto done;
    }
    if ((st = sq_list_stmt(c, q, e)) == NULL)
        goto done;
    sq_bind_filter(st, app_pk, q);
    sqlite3_bind_int(st, 8, q->limit);
    sqlite3_bind_int64(st, 9, q->offset);
    out->items = xcalloc((size_t)q->limit, sizeof *out->items);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->count < (size_t)q->limit) {
        struct campaign *item = &out->items[out->count++];
        campaign_init(item);
        if (sq_read_campaign(c, st, item, e) != 0) {
            sqlite3_reset(st);
            goto done;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        sq_fail(c->db, rc, "list page", e);
        goto done;
    }
    ret = 0;
done:
    sq_rollback(c);
    sq_release(s, c);
    if (ret != 0)
        store_page_clear(out);
    return ret;
}

/* Finds or creates the list that (id, name) names in the tenant, per
 * contract.md §6.  Fills in id when it was not given.  Returns list_pk, 0 for
 * a conflict (reported on e at `field`), or -1 on a store failure. */
static int64_t sq_list_resolve(struct sq_conn *c, int64_t app_pk, char id[IDS_MAX + 1],
                               const char *name, const char *field, int64_t now,
                               struct apierr *e)
{
    char *lname = jsonu_lower(name);
    int64_t pk = -1, by_name = 0, by_id = 0;
    char name_id[IDS_MAX + 1] = "", id_lname[256] = "";
    sqlite3_stmt *st;
    int rc;
    if ((st = sq_stmt(c, SQ_LIST_BY_LNAME, e)) == NULL)
        goto out;
    sqlite3_bind_int64(st, 1, app_pk);
    sq_bind_text(st, 2, lname);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        by_name = sqlite3_column_int64(st, 0);
        sq_copy(name_id, sizeof name_id, sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sq_fail(c->db, rc, "list by name", e);
        goto out;
    }
    if (id[0] != '\0') {
        if ((st = sq_stmt(c, SQ_LIST_BY_ID, e)) == NULL)
            goto out;
        sqlite3_bind_int64(st, 1, app_pk);
        sq_bind_text(st, 2, id);
        if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            by_id = sqlite3_column_int64(st, 0);
            char *l = jsonu_lower((const char *)sqlite3_column_text(st, 2));
            snprintf(id_lname, sizeof id_lname, "%s", l);
            free(l);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            sq_fail(c->db, rc, "list by id", e);
            goto out;
        }
        if (by_id != 0 && strcmp(id_lname, lname) != 0) {
            apierr_field(e, field, "the list %s has another name", id);
            pk = 0;
            goto out;
        }
        if (by_id == 0 && by_name != 0) {
            apierr_field(e, field, "the list named \"%s\" has the id %s", name, name_id);
            pk = 0;
            goto out;
        }
        if (by_id != 0) {
            pk = by_id;
            goto out;
        }
    } else if (by_name != 0) {
        memcpy(id, name_id, sizeof name_id);
        pk = by_name;
        goto out;
    } else {
        ids_new("cl", id);
    }
    if ((st = sq_stmt(c, SQ_LIST_ADD, e)) == NULL)
        goto out;
    sqlite3_bind_int64(st, 1, app_pk);
    sq_bind_text(st, 2, id);
    sq_bind_text(st, 3, name);
    sq_bind_text(st, 4, lname);
    sqlite3_bind_int64(st, 5, now);
    if (sq_done(c, st, "list add", e) != 0)
        goto out;
    pk = sqlite3_last_insert_rowid(c->db);
out:
    free(lname);
    return pk;
}

/* 1 when the statement k with (app_pk, text...) finds a row, 0 when not,
 * -1 on failure. */
static int sq_exists(struct sq_conn *c, enum sq_stmt k, int64_t app_pk, const char *a,
                     const char *b, struct apierr *e)
{
    sqlite3_stmt *st = sq_stmt(c, k, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, app_pk);
    sq_bind_text(st, 2, a);
    if (b != NULL)
        sq_bind_text(st, 3, b);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : sq_fail(c->db, rc, sq_sql[k], e);
}

/* Inserts one campaign (ids and times already set) with its list rows.
 * Returns 0, 1 when the element had problems (reported), -1 on failure. */
static int sq_import_one(struct sq_conn *c, int64_t app_pk, struct campaign *it, size_t idx,
                         int64_t now, struct apierr *e)
{
    char field[96];
    const char *tname = campaign_type_name(it->type);
    char *lname = jsonu_lower(it->name);
    int bad = 0, r;
    int64_t dnc_pk = 0;
    int64_t *list_pks = NULL;
    size_t nlists = json_array_size(it->contact_lists);

    snprintf(field, sizeof field, "[%zu].%s", idx, it->type == CTYPE_VOICE ? "_id" : "id");
    if (it->id[0] == '\0')
        ids_new("cd", it->id);
    else if ((r = sq_exists(c, SQ_CAMPAIGN_ID_TAKEN, app_pk, it->id, NULL, e)) != 0) {
        if (r < 0)
            goto fail;
        apierr_field(e, field, "a campaign with the id %s already exists", it->id);
        bad = 1;
    }
    snprintf(field, sizeof field, "[%zu].name", idx);
    if ((r = sq_exists(c, SQ_CAMPAIGN_NAME_TAKEN, app_pk, tname, lname, e)) != 0) {
        if (r < 0)
            goto fail;
        apierr_field(e, field, "a %s campaign named \"%s\" already exists", tname, it->name);
        bad = 1;
    }
    if (it->dnc != NULL) {
        char id[IDS_MAX + 1] = "";
        const char *given = json_string_value(json_object_get(it->dnc, "id"));
        if (given != NULL)
            snprintf(id, sizeof id, "%s", given);
        snprintf(field, sizeof field, "[%zu].dncLists", idx);
        dnc_pk = sq_list_resolve(c, app_pk, id,
                                 json_string_value(json_object_get(it->dnc, "name")), field, now,
                                 e);
        if (dnc_pk < 0)
            goto fail;
        if (dnc_pk == 0)
            bad = 1;
        else
            json_object_set_new(it->dnc, "id", json_string(id));
    }
    if (nlists > 0)
        list_pks = xcalloc(nlists, sizeof *list_pks);
    for (size_t i = 0; i < nlists; i++) {
        char id[IDS_MAX + 1] = "";
        snprintf(field, sizeof field, "[%zu].contactLists[%zu]", idx, i);
        list_pks[i] = sq_list_resolve(c, app_pk, id,
                                      json_string_value(json_array_get(it->contact_lists, i)),
                                      field, now, e);
        if (list_pks[i] < 0)
            goto fail;
        for (size_t j = 0; j < i; j++) {
            if (list_pks[j] == list_pks[i]) {
                apierr_field(e, field, "names the same list as contactLists[%zu]", j);
                bad = 1;
            }
        }
    }
    if (bad) {
        free(lname);
        free(list_pks);
        return 1;
    }
    sqlite3_stmt *st = sq_stmt(c, SQ_CAMPAIGN_ADD, e);
    if (st == NULL)
        goto fail;
    char *doc = jsonu_dump(it->doc, NULL);
    sqlite3_bind_int64(st, 1, app_pk);
    sq_bind_text(st, 2, it->id);
    sqlite3_bind_text(st, 3, tname, -1, SQLITE_STATIC);
    sq_bind_text(st, 4, it->name);
    sq_bind_text(st, 5, lname);
    sqlite3_bind_int(st, 6, (int)it->status);
    sqlite3_bind_int(st, 7, it->priority);
    sqlite3_bind_int(st, 8, (int)it->mode);
    sqlite3_bind_int64(st, 9, it->created_at);
    sqlite3_bind_int64(st, 10, it->updated_at);
    if (it->instance_updated_at != CAMPAIGN_NO_TIME)
        sqlite3_bind_int64(st, 11, it->instance_updated_at);
    if (dnc_pk > 0)
        sqlite3_bind_int64(st, 12, dnc_pk);
    sqlite3_bind_text(st, 13, doc, -1, free);
    if (sq_done(c, st, "campaign add", e) != 0)
        goto fail;
    int64_t campaign_pk = sqlite3_last_insert_rowid(c->db);
    for (size_t i = 0; i < nlists; i++) {
        if ((st = sq_stmt(c, SQ_CAMPAIGN_LIST_ADD, e)) == NULL)
            goto fail;
        sqlite3_bind_int64(st, 1, campaign_pk);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        sqlite3_bind_int64(st, 3, list_pks[i]);
        if (sq_done(c, st, "campaign list add", e) != 0)
            goto fail;
    }
    free(lname);
    free(list_pks);
    return 0;
fail:
    free(lname);
    free(list_pks);
    return -1;
}

static int sq_campaign_import(struct store *base, int64_t app_pk, struct campaign *items,
                              size_t n, struct apierr *e)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct sq_conn *c = sq_acquire(s);
    int64_t now = timefmt_now_ms();
    int bad = 0;
    if (sq_simple(c, SQ_BEGIN, e) != 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        struct campaign *it = &items[i];
        if (it->created_at == CAMPAIGN_NO_TIME)
            it->created_at = now;
        if (it->updated_at == CAMPAIGN_NO_TIME)
            it->updated_at = now;
        /* Remember that contactLists was absent, so export omits it too. */
        if (it->contact_lists == NULL)
            json_object_set_new(it->doc, "noContactLists", json_true());
        int r = sq_import_one(c, app_pk, it, i, now, e);
        if (r < 0)
            goto fail;
        bad |= r;
    }
    if (bad) {
        apierr_set(e, 409, "The file conflicts with stored campaigns or lists; nothing was imported");
        goto fail;
    }
    if (sq_simple(c, SQ_COMMIT, e) != 0)
        goto fail;
    sq_release(s, c);
    return 0;
fail:
    sq_rollback(c);
    sq_release(s, c);
    return -1;
}

static int sq_campaign_export(struct store *base, int64_t app_pk, int type, json_t **out,
                              struct apierr *e)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    struct sq_conn *c = sq_acquire(s);
    int rc, ret = -1;
    json_t *arr = json_array();
    if (sq_exec(c->db, "BEGIN", e) != 0)
        goto done;
    sqlite3_stmt *st = sq_stmt(c, SQ_EXPORT, e);
    if (st == NULL)
        goto done;
    sqlite3_bind_int64(st, 1, app_pk);
    if (type >= 0)
        sqlite3_bind_text(st, 2, campaign_type_name((enum ctype)type), -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct campaign item;
        campaign_init(&item);
        int r = sq_read_campaign(c, st, &item, e);
        if (r == 0)
            json_array_append_new(arr, campaign_render_export(&item));
        campaign_clear(&item);
        if (r != 0) {
            sqlite3_reset(st);
            goto done;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        sq_fail(c->db, rc, "export", e);
        goto done;
    }
    *out = arr;
    arr = NULL;
    ret = 0;
done:
    json_decref(arr);
    sq_rollback(c);
    sq_release(s, c);
    return ret;
}

static void sq_close(struct store *base)
{
    struct store_sqlite *s = (struct store_sqlite *)base;
    for (int i = 0; i < s->n; i++)
        sq_conn_close(&s->conns[i]);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->conns);
    free(s->idle);
    free(s);
}

static const struct store_ops sq_ops = {
    .name = "sqlite",
    .ping = sq_ping,
    .client_get = sq_client_get,
    .app_create = sq_app_create,
    .app_find = sq_app_find,
    .app_first_client = sq_app_first_client,
    .campaign_list = sq_campaign_list,
    .campaign_import = sq_campaign_import,
    .campaign_export = sq_campaign_export,
    .close = sq_close,
};

struct store *store_sqlite_open(const char *path, int pool, struct apierr *e)
{
    struct store_sqlite *s = xcalloc(1, sizeof *s);
    s->base.ops = &sq_ops;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->conns = xcalloc((size_t)pool, sizeof *s->conns);
    s->idle = xcalloc((size_t)pool, sizeof *s->idle);
    for (int i = 0; i < pool; i++) {
        s->n = i + 1;
        if (sq_conn_open(&s->conns[i], path, e) != 0)
            goto fail;
        if (i == 0 && sq_migrate(s->conns[0].db, path, e) != 0)
            goto fail;
        s->idle[s->nidle++] = i;
    }
    return &s->base;
fail:
    sq_close(&s->base);
    return NULL;
}
