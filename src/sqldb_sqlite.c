/* sqldb_sqlite.c - the SQLite driver of sqldb.h: WAL mode, synchronous=FULL
 * (a COMMIT is on disk before it returns), prepared statements cached per
 * connection, and the schema's SQLite DDL with its migrations. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sqldb.h"
#include "xalloc.h"

/* Migration i brings the schema from version i to i + 1.  Append only; the
 * PostgreSQL driver keeps the same versions with its own DDL.  Tenant rows
 * carry app_pk first in their keys and indexes, or hang off a row that does
 * (contacts off their list, instances off their campaign), so every lookup
 * reads one tenant's rows alone. */
static const char *const sl_migrations[] = {
    /* 1: tenants, lists and campaigns. */
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
    /* 2: the rest of the family: registries, contacts, campaign instances. */
    "CREATE TABLE registry ("
    "  app_pk INTEGER NOT NULL REFERENCES apps(app_pk),"
    "  kind TEXT NOT NULL CHECK (kind IN ('flow', 'template')),"
    "  id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  lname TEXT NOT NULL,"
    "  PRIMARY KEY (app_pk, kind, lname),"
    "  UNIQUE (app_pk, kind, id));"
    "CREATE TABLE contacts ("
    "  contact_pk INTEGER PRIMARY KEY,"
    "  list_pk INTEGER NOT NULL REFERENCES lists(list_pk) ON DELETE CASCADE,"
    "  id TEXT NOT NULL,"
    "  phone TEXT NOT NULL,"
    "  digits TEXT NOT NULL,"
    "  unique_id TEXT,"
    "  doc TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX contacts_list ON contacts(list_pk, contact_pk);"
    "CREATE INDEX contacts_digits ON contacts(list_pk, digits);"
    "CREATE TABLE instances ("
    "  instance_pk INTEGER PRIMARY KEY,"
    "  campaign_pk INTEGER NOT NULL REFERENCES campaigns(campaign_pk) ON DELETE CASCADE,"
    "  id TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX instances_campaign ON instances(campaign_pk, id);"
    "CREATE TABLE instance_contacts ("
    "  instance_pk INTEGER NOT NULL REFERENCES instances(instance_pk) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  phone TEXT NOT NULL,"
    "  digits TEXT NOT NULL,"
    "  unique_id TEXT,"
    "  dialer_outcome TEXT NOT NULL DEFAULT 'Pending',"
    "  outcome TEXT,"
    "  PRIMARY KEY (instance_pk, pos));",
    /* 3: the listing at scale (issue 7): a write version per tenant, which
     * keys the listing cache; maintained counts per time bucket and slot
     * (lcount.h); indexes that carry the filter columns, so a filtered page
     * is read in index order without touching the table. */
    "ALTER TABLE apps ADD COLUMN version INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE campaign_counts ("
    "  app_pk INTEGER NOT NULL REFERENCES apps(app_pk),"
    "  type TEXT NOT NULL,"
    "  level INTEGER NOT NULL,"
    "  bucket INTEGER NOT NULL,"
    "  v TEXT NOT NULL,"
    "  PRIMARY KEY (app_pk, type, level, bucket)) WITHOUT ROWID;"
    "DROP INDEX campaigns_created;"
    "DROP INDEX campaigns_updated;"
    "CREATE INDEX campaigns_created ON campaigns(app_pk, type, created_at, id, status, priority,"
    "  dialing_mode, updated_at, lname);"
    "CREATE INDEX campaigns_updated ON campaigns(app_pk, type, updated_at, id, status, priority,"
    "  dialing_mode, created_at, lname);"
    "CREATE INDEX campaigns_name ON campaigns(app_pk, type, lname, status, priority,"
    "  dialing_mode, created_at);"
    /* updatedAt order within each createdAt month (MONTH_SHIFT of
     * store_listing.c). */
    "CREATE INDEX campaigns_upd_month ON campaigns(app_pk, type, (created_at >> 31), updated_at,"
    "  id, status, priority, dialing_mode, created_at, lname);"
    /* A list's campaigns by their DNC list, not by a walk of the tenant;
     * a page's list names from the index alone. */
    "CREATE INDEX campaigns_dnc ON campaigns(app_pk, dnc_list_pk);"
    "CREATE INDEX campaign_lists_page ON campaign_lists(campaign_pk, pos, list_pk);"
    /* Contacts numbered 1..n within their list, so a page at any offset
     * is a range of the index, and the count its last number. */
    "ALTER TABLE contacts ADD COLUMN pos INTEGER NOT NULL DEFAULT 0;"
    "UPDATE contacts SET pos = r.rn FROM (SELECT contact_pk, row_number() OVER"
    "  (PARTITION BY list_pk ORDER BY contact_pk) AS rn FROM contacts) AS r"
    "  WHERE contacts.contact_pk = r.contact_pk;"
    "CREATE INDEX contacts_pos ON contacts(list_pk, pos);",
    /* 4: credentials that can be revoked and rotated (store_tenants.c). */
    "ALTER TABLE clients ADD COLUMN revoked_at INTEGER;"
    "ALTER TABLE clients ADD COLUMN old_secret TEXT;"
    "ALTER TABLE clients ADD COLUMN old_until INTEGER;"
    "INSERT INTO meta(key, value) VALUES ('cred_epoch', 0) ON CONFLICT (key) DO NOTHING;",
    /* 5: running campaigns (execution spec): when the runner must next look
     * at a campaign's schedule. */
    "ALTER TABLE campaigns ADD COLUMN fire_at INTEGER;"
    "CREATE INDEX campaigns_fire ON campaigns(fire_at) WHERE fire_at IS NOT NULL;",
    /* 6: runs dispatched (execution spec §3-§8): a contact's own zone;
     * open runs; each record's attempts, state (0 waiting, 1 an attempt
     * out, 2 ended) and the time it is due again; the attempts. */
    "ALTER TABLE contacts ADD COLUMN time_zone TEXT;"
    "UPDATE contacts SET time_zone = json_extract(doc, '$.timeZone')"
    "  WHERE json_valid(doc) AND json_type(doc, '$.timeZone') = 'text';"
    "ALTER TABLE instances ADD COLUMN open INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instances ADD COLUMN ended_at INTEGER;"
    "ALTER TABLE instances ADD COLUMN pace_second INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instances ADD COLUMN pace_used INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX instances_open ON instances(open) WHERE open = 1;"
    "ALTER TABLE instance_contacts ADD COLUMN time_zone TEXT;"
    "ALTER TABLE instance_contacts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instance_contacts ADD COLUMN state INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instance_contacts ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX instance_contacts_due ON instance_contacts(instance_pk, state, attempts > 0,"
    "  due_at, pos);"
    "CREATE TABLE attempts ("
    "  attempt_id TEXT PRIMARY KEY,"
    "  instance_pk INTEGER NOT NULL REFERENCES instances(instance_pk) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  state INTEGER NOT NULL DEFAULT 0,"
    "  lease_until INTEGER,"
    "  outcome TEXT,"
    "  outcome_at INTEGER,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX attempts_state ON attempts(state, outcome_at);"
    "CREATE INDEX attempts_run ON attempts(instance_pk, state);",
    /* 7: the webhook channel (execution spec §5.2, §6): the failed tries of
     * an attempt not yet accepted, and the contacts view fields its
     * outcome report carried; the tenant's pace (§4), counted in its row
     * like a run's; when a run last got attempts (round robin within a
     * priority). */
    "ALTER TABLE attempts ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE attempts ADD COLUMN detail TEXT;"
    "ALTER TABLE apps ADD COLUMN pace_second INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE apps ADD COLUMN pace_used INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instances ADD COLUMN claimed_at INTEGER NOT NULL DEFAULT 0;",
};
#define SL_VERSION ((int)(sizeof sl_migrations / sizeof sl_migrations[0]))

#define SL_CACHE 512   /* prepared statements per connection */
#define SL_PROBE 8     /* slots looked at per statement */

struct sqlres {
    struct sqldb *db;
    sqlite3_stmt *st;
};

struct sqldb {
    sqlite3 *h;
    enum sqldb_err err;
    char msg[256];
    struct {
        struct sqlq_key key;
        struct sqlres res;
    } cache[SL_CACHE];
};

/* Records the failure rc of `what` as the connection's last error. */
static void sl_set_err(struct sqldb *db, int rc, const char *what)
{
    int prim = rc & 0xff;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        db->err = SQLDB_UNIQUE;
    else if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED || prim == SQLITE_IOERR ||
             prim == SQLITE_CANTOPEN || prim == SQLITE_FULL || prim == SQLITE_NOTADB ||
             prim == SQLITE_READONLY || prim == SQLITE_PROTOCOL || prim == SQLITE_CORRUPT)
        db->err = SQLDB_UNAVAILABLE;
    else
        db->err = SQLDB_OTHER;
    snprintf(db->msg, sizeof db->msg, "%s: %s (%d)", what, sqlite3_errmsg(db->h), rc);
}

/* Runs sql (no parameters, no rows): 0, or -1. */
static int sl_exec(struct sqldb *db, const char *sql)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    sl_set_err(db, rc, "exec");
    return -1;
}

/* Pages kept per connection.  Normally 32 MiB (one connection per worker
 * thread): the listing's index walks and a page's rows stay in memory.  An
 * import gets 128 MiB for its duration, its RSS still well under 256 MiB. */
#define SL_CACHE_KIB 32768
#define SL_BULK_CACHE_KIB 131072

/* 0, or -1. */
static int sl_cache(struct sqldb *db, int kib)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", kib);
    return sl_exec(db, sql);
}

/* A migration that failed: rolls it back and says why in f.  Returns -1. */
static int sl_migrate_failed(struct sqldb *db, const char *path, struct sqldb_fail *f)
{
    sqldb_fail_set(f, SQLDB_UNAVAILABLE, "Cannot prepare the database %s: %s", path, db->msg);
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* The schema version in meta (0 when none): 0, or -1. */
static int sl_schema_version(struct sqldb *db, int *version)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    *version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return 0;
}

/* Brings the schema to SL_VERSION in one transaction: 0, or -1 with f
 * filled in. */
static int sl_migrate(struct sqldb *db, const char *path, struct sqldb_fail *f)
{
    int version = 0;
    if (sl_exec(db, "BEGIN IMMEDIATE") != 0 ||
        sl_exec(db, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)") != 0 ||
        sl_schema_version(db, &version) != 0)
        return sl_migrate_failed(db, path, f);
    if (version > SL_VERSION) {
        sl_exec(db, "ROLLBACK");
        sqldb_fail_set(f, SQLDB_OTHER,
                       "The database %s has schema version %d; this campaignd knows up to %d", path,
                       version, SL_VERSION);
        return -1;
    }
    for (int v = version; v < SL_VERSION; v++) {
        if (sl_exec(db, sl_migrations[v]) != 0)
            return sl_migrate_failed(db, path, f);
        log_info("store: %s migrated to schema version %d", path, v + 1);
    }
    char sql[128];
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', %d)", SL_VERSION);
    if (sl_exec(db, sql) != 0 || sl_exec(db, "COMMIT") != 0)
        return sl_migrate_failed(db, path, f);
    return 0;
}

static void sl_close(struct sqldb *db)
{
    if (db == NULL)
        return;
    for (int i = 0; i < SL_CACHE; i++)
        sqlite3_finalize(db->cache[i].res.st);
    sqlite3_close(db->h);
    free(db);
}

/* An open that failed: says why in f (SQLite's reason, and the file
 * system's when the file cannot be written), logs it too when the server
 * is already running (first == 0), and frees db.  Returns NULL. */
static struct sqldb *sl_open_failed(struct sqldb *db, const char *path, int first,
                                    struct sqldb_fail *f)
{
    char why[200];
    snprintf(why, sizeof why, "%s", db->h ? sqlite3_errmsg(db->h) : "out of memory");
    if (access(path, F_OK) == 0 && access(path, W_OK) != 0) {
        size_t n = strlen(why);
        snprintf(why + n, sizeof why - n, " (%s)", strerror(errno));
    }
    if (!first)
        log_error("sqlite: cannot open %s: %s", path, why);
    sqldb_fail_set(f, SQLDB_UNAVAILABLE, "Cannot open the database %s: %s", path, why);
    sl_close(db);
    return NULL;
}

static struct sqldb *sl_open(const char *path, int first, struct sqldb_fail *f)
{
    struct sqldb *db = xcalloc(1, sizeof *db);
    int rc = sqlite3_open_v2(path, &db->h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK)
        return sl_open_failed(db, path, first, f);
    sqlite3_busy_timeout(db->h, 5000);
    sqlite3_extended_result_codes(db->h, 1);
    /* WAL: readers never block the writer.  FULL: a COMMIT is durable before
     * the request that made it is acknowledged. */
    if (sl_exec(db, "PRAGMA journal_mode=WAL") != 0 || sl_exec(db, "PRAGMA synchronous=FULL") != 0 ||
        sl_cache(db, SL_CACHE_KIB) != 0 || sl_exec(db, "PRAGMA foreign_keys=ON") != 0)
        return sl_open_failed(db, path, first, f);
    if (first && sl_migrate(db, path, f) != 0) {
        sl_close(db);
        return NULL;
    }
    return db;
}

static int sl_begin(struct sqldb *db, int64_t lock)
{
    return sl_exec(db, lock != 0 ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int sl_commit(struct sqldb *db)
{
    return sl_exec(db, "COMMIT");
}

static void sl_rollback(struct sqldb *db)
{
    if (!sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* $1..$n -> ?1..?n: SQLite's numbered parameters bind at exactly that
 * index; a hint comment "/\*+INDEXED BY ix*\/" becomes the clause (sqldb.h). */
static char *sl_dialect(const char *sql)
{
    char *s = xstrdup(sql);
    for (char *p = s; *p; p++) {
        if (p[0] == '$' && p[1] >= '0' && p[1] <= '9') {
            *p = '?';
        } else if (strncmp(p, "/*+", 3) == 0) {
            char *end = strstr(p, "*/");
            if (end == NULL)
                break;
            memset(p, ' ', 3);
            memset(end, ' ', 2);
            p = end + 1;
        }
    }
    return s;
}

static struct sqlres *sl_query(struct sqldb *db, const struct sqlq *q, const struct sqlp *p,
                               int n)
{
    /* Open addressing over a short probe: the statement itself, else a free
     * slot, else one that is not in the middle of a result (another open
     * result of this connection must never be finalized under it). */
    struct sqlres *r = NULL;
    int victim = -1;
    struct sqlq_key key = sqlq_key(q->sql);
    for (unsigned k = 0; k < SL_PROBE && r == NULL; k++) {
        unsigned i = (unsigned)((key.a + k) % SL_CACHE);
        if (db->cache[i].res.st != NULL && sqlq_key_eq(db->cache[i].key, key))
            r = &db->cache[i].res;
        else if (victim < 0 && (db->cache[i].res.st == NULL ||
                                !sqlite3_stmt_busy(db->cache[i].res.st)))
            victim = (int)i;
    }
    if (r == NULL) {
        if (victim < 0) {
            db->err = SQLDB_OTHER;
            snprintf(db->msg, sizeof db->msg, "no free statement slot for %.120s", q->sql);
            return NULL;
        }
        r = &db->cache[victim].res;
        sqlite3_finalize(r->st);
        r->st = NULL;
        char *sql = sl_dialect(q->sql);
        int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &r->st, NULL);
        free(sql);
        if (rc != SQLITE_OK) {
            sl_set_err(db, rc, "prepare");
            r->st = NULL;
            return NULL;
        }
        db->cache[victim].key = key;
        r->db = db;
    }
    sqlite3_reset(r->st);
    sqlite3_clear_bindings(r->st);
    for (int i = 0; i < n; i++) {
        int rc = SQLITE_OK;
        if (p[i].t == SQLP_INT)
            rc = sqlite3_bind_int64(r->st, i + 1, p[i].i);
        else if (p[i].t == SQLP_TEXT)
            rc = sqlite3_bind_text(r->st, i + 1, p[i].s, -1, SQLITE_TRANSIENT);
        if (rc != SQLITE_OK) {
            sl_set_err(db, rc, "bind");
            return NULL;
        }
    }
    return r;
}

static int sl_next(struct sqlres *r)
{
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sl_set_err(r->db, rc, "step");
    return -1;
}

static int64_t sl_col_int(struct sqlres *r, int col)
{
    return sqlite3_column_int64(r->st, col);
}

static const char *sl_col_text(struct sqlres *r, int col, size_t *len)
{
    if (sqlite3_column_type(r->st, col) == SQLITE_NULL)
        return NULL;
    const char *s = (const char *)sqlite3_column_text(r->st, col);
    if (len != NULL)
        *len = (size_t)sqlite3_column_bytes(r->st, col);
    return s;
}

static void sl_done(struct sqlres *r)
{
    sqlite3_reset(r->st);
}

/* For an import, a big page cache and statement journals in memory (every
 * multi-row INSERT ... ON CONFLICT keeps one, and on a temp file they were
 * most of an import's writes); afterwards the connection, which may be a
 * server's (the demo's import), goes back to the usual settings. */
static void sl_bulk(struct sqldb *db, int start)
{
    sl_cache(db, start ? SL_BULK_CACHE_KIB : SL_CACHE_KIB);
    sl_exec(db, start ? "PRAGMA temp_store=MEMORY" : "PRAGMA temp_store=DEFAULT");
}

static enum sqldb_err sl_last_error(struct sqldb *db)
{
    return db->err;
}

static const char *sl_last_message(struct sqldb *db)
{
    return db->msg;
}

const struct sqldb_ops sqldb_sqlite_ops = {
    .name = "sqlite",
    .open = sl_open,
    .close = sl_close,
    .begin = sl_begin,
    .commit = sl_commit,
    .rollback = sl_rollback,
    .query = sl_query,
    .next = sl_next,
    .col_int = sl_col_int,
    .col_text = sl_col_text,
    .done = sl_done,
    .bulk = sl_bulk,
    .last_error = sl_last_error,
    .last_message = sl_last_message,
};
