/* sqldb_pg.c - the PostgreSQL driver of sqldb.h (libpq).
 *
 * Statements are prepared once per connection (named after their sqlq_key)
 * and run with
 * text parameters, always bound.  A write holds a transaction-level
 * advisory lock on its tenant, which gives every node the single-writer
 * semantics of the embedded store within a tenant (name uniqueness checks,
 * read-modify-write of a campaign) without retry loops, while tenants write
 * in parallel; reads run in REPEATABLE READ snapshots.  When the
 * server goes away the connection reports SQLDB_UNAVAILABLE (503 above) and
 * is reset on its next use, so service resumes without a restart. */
#include <libpq-fe.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sqldb.h"
#include "xalloc.h"

/* Migration i brings the schema from version i to i + 1, as in
 * sqldb_sqlite.c; text that is compared or sorted byte by byte is COLLATE
 * "C" (contract §3: code-point order, no locale). */
static const char *const pg_migrations[] = {
    /* 1: tenants, lists and campaigns. */
    "CREATE TABLE accounts ("
    "  account_id TEXT COLLATE \"C\" PRIMARY KEY,"
    "  created_at BIGINT NOT NULL);"
    "CREATE TABLE apps ("
    "  app_pk BIGSERIAL PRIMARY KEY,"
    "  stream_id TEXT COLLATE \"C\" NOT NULL UNIQUE,"
    "  account_id TEXT COLLATE \"C\" NOT NULL REFERENCES accounts(account_id),"
    "  name TEXT NOT NULL,"
    "  created_at BIGINT NOT NULL);"
    "CREATE TABLE clients ("
    "  client_id TEXT COLLATE \"C\" PRIMARY KEY,"
    "  app_pk BIGINT NOT NULL REFERENCES apps(app_pk),"
    "  secret TEXT NOT NULL,"
    "  scopes TEXT NOT NULL,"
    "  created_at BIGINT NOT NULL);"
    "CREATE INDEX clients_app ON clients(app_pk, created_at);"
    "CREATE TABLE lists ("
    "  list_pk BIGSERIAL PRIMARY KEY,"
    "  app_pk BIGINT NOT NULL REFERENCES apps(app_pk),"
    "  id TEXT COLLATE \"C\" NOT NULL,"
    "  name TEXT COLLATE \"C\" NOT NULL,"
    "  lname TEXT COLLATE \"C\" NOT NULL,"
    "  doc TEXT NOT NULL DEFAULT '{}',"
    "  created_at BIGINT NOT NULL,"
    "  updated_at BIGINT NOT NULL,"
    "  UNIQUE (app_pk, id),"
    "  UNIQUE (app_pk, lname));"
    "CREATE TABLE campaigns ("
    "  campaign_pk BIGSERIAL PRIMARY KEY,"
    "  app_pk BIGINT NOT NULL REFERENCES apps(app_pk),"
    "  id TEXT COLLATE \"C\" NOT NULL,"
    "  type TEXT COLLATE \"C\" NOT NULL CHECK (type IN ('voice', 'sms')),"
    "  name TEXT COLLATE \"C\" NOT NULL,"
    "  lname TEXT COLLATE \"C\" NOT NULL,"
    "  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 7),"
    "  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),"
    "  dialing_mode INTEGER NOT NULL CHECK (dialing_mode BETWEEN 0 AND 3),"
    "  created_at BIGINT NOT NULL,"
    "  updated_at BIGINT NOT NULL,"
    "  instance_updated_at BIGINT,"
    "  dnc_list_pk BIGINT REFERENCES lists(list_pk),"
    "  doc TEXT NOT NULL,"
    "  UNIQUE (app_pk, id),"
    "  UNIQUE (app_pk, type, lname));"
    "CREATE INDEX campaigns_created ON campaigns(app_pk, type, created_at, id);"
    "CREATE INDEX campaigns_updated ON campaigns(app_pk, type, updated_at, id);"
    "CREATE TABLE campaign_lists ("
    "  campaign_pk BIGINT NOT NULL REFERENCES campaigns(campaign_pk) ON DELETE CASCADE,"
    "  pos BIGINT NOT NULL,"
    "  list_pk BIGINT NOT NULL REFERENCES lists(list_pk),"
    "  PRIMARY KEY (campaign_pk, pos));"
    "CREATE INDEX campaign_lists_list ON campaign_lists(list_pk);",
    /* 2: the rest of the family: registries, contacts, campaign instances. */
    "CREATE TABLE registry ("
    "  app_pk BIGINT NOT NULL REFERENCES apps(app_pk),"
    "  kind TEXT COLLATE \"C\" NOT NULL CHECK (kind IN ('flow', 'template')),"
    "  id TEXT COLLATE \"C\" NOT NULL,"
    "  name TEXT NOT NULL,"
    "  lname TEXT COLLATE \"C\" NOT NULL,"
    "  PRIMARY KEY (app_pk, kind, lname),"
    "  UNIQUE (app_pk, kind, id));"
    "CREATE TABLE contacts ("
    "  contact_pk BIGSERIAL PRIMARY KEY,"
    "  list_pk BIGINT NOT NULL REFERENCES lists(list_pk) ON DELETE CASCADE,"
    "  id TEXT COLLATE \"C\" NOT NULL,"
    "  phone TEXT NOT NULL,"
    "  digits TEXT COLLATE \"C\" NOT NULL,"
    "  unique_id TEXT,"
    "  doc TEXT NOT NULL,"
    "  created_at BIGINT NOT NULL,"
    "  updated_at BIGINT NOT NULL);"
    "CREATE INDEX contacts_list ON contacts(list_pk, contact_pk);"
    "CREATE INDEX contacts_digits ON contacts(list_pk, digits);"
    "CREATE TABLE instances ("
    "  instance_pk BIGSERIAL PRIMARY KEY,"
    "  campaign_pk BIGINT NOT NULL REFERENCES campaigns(campaign_pk) ON DELETE CASCADE,"
    "  id TEXT COLLATE \"C\" NOT NULL,"
    "  created_at BIGINT NOT NULL);"
    "CREATE INDEX instances_campaign ON instances(campaign_pk, id);"
    "CREATE TABLE instance_contacts ("
    "  instance_pk BIGINT NOT NULL REFERENCES instances(instance_pk) ON DELETE CASCADE,"
    "  pos BIGINT NOT NULL,"
    "  phone TEXT NOT NULL,"
    "  digits TEXT COLLATE \"C\" NOT NULL,"
    "  unique_id TEXT,"
    "  dialer_outcome TEXT NOT NULL DEFAULT 'Pending',"
    "  outcome TEXT,"
    "  PRIMARY KEY (instance_pk, pos));",
    /* 3: the listing at scale, as in sqldb_sqlite.c. */
    "ALTER TABLE apps ADD COLUMN version BIGINT NOT NULL DEFAULT 0;"
    "CREATE TABLE campaign_counts ("
    "  app_pk BIGINT NOT NULL REFERENCES apps(app_pk),"
    "  type TEXT COLLATE \"C\" NOT NULL,"
    "  level INTEGER NOT NULL,"
    "  bucket BIGINT NOT NULL,"
    "  v TEXT NOT NULL,"
    "  PRIMARY KEY (app_pk, type, level, bucket));"
    "DROP INDEX campaigns_created;"
    "DROP INDEX campaigns_updated;"
    "CREATE INDEX campaigns_created ON campaigns(app_pk, type, created_at, id)"
    "  INCLUDE (status, priority, dialing_mode, updated_at, lname, campaign_pk);"
    "CREATE INDEX campaigns_updated ON campaigns(app_pk, type, updated_at, id)"
    "  INCLUDE (status, priority, dialing_mode, created_at, lname, campaign_pk);"
    "CREATE INDEX campaigns_name ON campaigns(app_pk, type, lname)"
    "  INCLUDE (status, priority, dialing_mode, created_at, campaign_pk);"
    /* updatedAt order within each createdAt month (MONTH_SHIFT of
     * store_listing.c). */
    "CREATE INDEX campaigns_upd_month ON campaigns(app_pk, type, (created_at >> 31), updated_at, id)"
    "  INCLUDE (status, priority, dialing_mode, created_at, lname, campaign_pk);"
    /* A list's campaigns by their DNC list, not by a walk of the tenant;
     * a page's list names from the index alone. */
    "CREATE INDEX campaigns_dnc ON campaigns(app_pk, dnc_list_pk);"
    "CREATE INDEX campaign_lists_page ON campaign_lists(campaign_pk, pos, list_pk);"
    /* Contacts numbered 1..n within their list, so a page at any offset
     * is a range of the index, and the count its last number. */
    "ALTER TABLE contacts ADD COLUMN pos BIGINT NOT NULL DEFAULT 0;"
    "UPDATE contacts SET pos = r.rn FROM (SELECT contact_pk, row_number() OVER"
    "  (PARTITION BY list_pk ORDER BY contact_pk) AS rn FROM contacts) AS r"
    "  WHERE contacts.contact_pk = r.contact_pk;"
    "CREATE INDEX contacts_pos ON contacts(list_pk, pos);",
    /* 4: credentials that can be revoked and rotated (store_tenants.c). */
    "ALTER TABLE clients ADD COLUMN revoked_at BIGINT;"
    "ALTER TABLE clients ADD COLUMN old_secret TEXT;"
    "ALTER TABLE clients ADD COLUMN old_until BIGINT;"
    "INSERT INTO meta(key, value) VALUES ('cred_epoch', 0) ON CONFLICT (key) DO NOTHING;",
    /* 5: running campaigns, as in sqldb_sqlite.c. */
    "ALTER TABLE campaigns ADD COLUMN fire_at BIGINT;"
    "CREATE INDEX campaigns_fire ON campaigns(fire_at) WHERE fire_at IS NOT NULL;",
    /* 6: runs dispatched, as in sqldb_sqlite.c. */
    "ALTER TABLE contacts ADD COLUMN time_zone TEXT;"
    "UPDATE contacts SET time_zone = doc::jsonb->>'timeZone'"
    "  WHERE jsonb_typeof(doc::jsonb->'timeZone') = 'string';"
    "ALTER TABLE instances ADD COLUMN open INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instances ADD COLUMN ended_at BIGINT;"
    "ALTER TABLE instances ADD COLUMN pace_second BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE instances ADD COLUMN pace_used INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX instances_open ON instances(open) WHERE open = 1;"
    "ALTER TABLE instance_contacts ADD COLUMN time_zone TEXT;"
    "ALTER TABLE instance_contacts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instance_contacts ADD COLUMN state INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instance_contacts ADD COLUMN due_at BIGINT NOT NULL DEFAULT 0;"
    "CREATE INDEX instance_contacts_due ON instance_contacts(instance_pk, state, (attempts > 0),"
    "  due_at, pos);"
    "CREATE TABLE attempts ("
    "  attempt_id TEXT COLLATE \"C\" PRIMARY KEY,"
    "  instance_pk BIGINT NOT NULL REFERENCES instances(instance_pk) ON DELETE CASCADE,"
    "  pos BIGINT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  state INTEGER NOT NULL DEFAULT 0,"
    "  lease_until BIGINT,"
    "  outcome TEXT,"
    "  outcome_at BIGINT,"
    "  created_at BIGINT NOT NULL);"
    "CREATE INDEX attempts_state ON attempts(state, outcome_at);"
    "CREATE INDEX attempts_run ON attempts(instance_pk, state);",
    /* 7: the webhook channel (execution spec §5.2, §6): the failed tries of
     * an attempt not yet accepted, and the contacts view fields its
     * outcome report carried; the tenant's pace (§4), counted in its row
     * like a run's; when a run last got attempts (round robin within a
     * priority). */
    "ALTER TABLE attempts ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE attempts ADD COLUMN detail TEXT;"
    "ALTER TABLE apps ADD COLUMN pace_second BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE apps ADD COLUMN pace_used INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE instances ADD COLUMN claimed_at BIGINT NOT NULL DEFAULT 0;",
};
#define PG_VERSION ((int)(sizeof pg_migrations / sizeof pg_migrations[0]))

/* Advisory lock keys (arbitrary, fixed): migrations; writes of rows of no
 * tenant; and one key per tenant, PG_LOCK_TENANT with the app_pk in its
 * low 32 bits (two tenants sharing a key only wait for each other). */
#define PG_LOCK_MIGRATE 7243001
#define PG_LOCK_WRITE 7243002
#define PG_LOCK_TENANT ((int64_t)7243003 << 32)

struct sqlres {
    struct sqldb *db;
    PGresult *res;
    int row, nrows;
};

/* One slot of the set of statements this session has prepared. */
struct pg_slot {
    struct sqlq_key key;
    int used;
};

struct sqldb {
    PGconn *conn;
    int in_txn;                          /* between our BEGIN and COMMIT/ROLLBACK */
    enum sqldb_err err;
    char msg[256];
    struct pg_slot *prepared;            /* open addressing, a power of two */
    size_t nslots, nprepared;
};

static void pg_clear_prepared(struct sqldb *db)
{
    if (db->prepared != NULL)
        memset(db->prepared, 0, db->nslots * sizeof *db->prepared);
    db->nprepared = 0;
}

/* The slot holding key, or the empty one where it would go. */
static struct pg_slot *pg_slot(struct pg_slot *set, size_t nslots, struct sqlq_key key)
{
    size_t i = (size_t)key.a & (nslots - 1);
    while (set[i].used && !sqlq_key_eq(set[i].key, key))
        i = (i + 1) & (nslots - 1);
    return &set[i];
}

/* Whether this session has prepared the statement of key. */
static int pg_is_prepared(struct sqldb *db, struct sqlq_key key)
{
    return db->nslots > 0 && pg_slot(db->prepared, db->nslots, key)->used;
}

/* Keeps the set at most half full, so probes stay short. */
static void pg_mark_prepared(struct sqldb *db, struct sqlq_key key)
{
    if (2 * (db->nprepared + 1) > db->nslots) {
        size_t n = db->nslots ? 2 * db->nslots : 64;
        struct pg_slot *set = xcalloc(n, sizeof *set);
        for (size_t i = 0; i < db->nslots; i++)
            if (db->prepared[i].used)
                *pg_slot(set, n, db->prepared[i].key) = db->prepared[i];
        free(db->prepared);
        db->prepared = set;
        db->nslots = n;
    }
    struct pg_slot *s = pg_slot(db->prepared, db->nslots, key);
    if (!s->used) {
        s->key = key;
        s->used = 1;
        db->nprepared++;
    }
}

/* Classifies a failed result (or a NULL one: the connection broke). */
static void pg_set_err(struct sqldb *db, PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state != NULL && strcmp(state, "23505") == 0)
        db->err = SQLDB_UNIQUE;
    else if (PQstatus(db->conn) != CONNECTION_OK || state == NULL ||
             strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
             strncmp(state, "53", 2) == 0 || strcmp(state, "40001") == 0 ||
             strcmp(state, "40P01") == 0)
        db->err = SQLDB_UNAVAILABLE;
    else
        db->err = SQLDB_OTHER;
    const char *m = res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn);
    snprintf(db->msg, sizeof db->msg, "%s: %s%s%s", what, state ? state : "", state ? " " : "",
             m ? m : "");
    db->msg[strcspn(db->msg, "\n")] = '\0';
}

/* A lost connection is reset before the next statement; its prepared
 * statements went with the old session. */
static int pg_ready(struct sqldb *db)
{
    if (PQstatus(db->conn) == CONNECTION_OK)
        return 0;
    PQreset(db->conn);
    pg_clear_prepared(db);
    if (PQstatus(db->conn) == CONNECTION_OK) {
        log_info("postgresql: reconnected");
        return 0;
    }
    db->err = SQLDB_UNAVAILABLE;
    snprintf(db->msg, sizeof db->msg, "connect: %s", PQerrorMessage(db->conn));
    db->msg[strcspn(db->msg, "\n")] = '\0';
    return -1;
}

/* Runs sql (no parameters) to completion: 0, or -1. */
static int pg_exec(struct sqldb *db, const char *sql)
{
    PGresult *res = PQexec(db->conn, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        pg_set_err(db, res, sql);
    PQclear(res);
    return ok ? 0 : -1;
}

/* The schema version in meta (0 when none): 0, or -1. */
static int pg_schema_version(struct sqldb *db, int *version)
{
    if (pg_exec(db, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL)") != 0)
        return -1;
    PGresult *res = PQexec(db->conn, "SELECT value FROM meta WHERE key = 'schema_version'");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        pg_set_err(db, res, "schema version");
    else if (PQntuples(res) == 1)
        *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return ok ? 0 : -1;
}

/* Brings the schema to PG_VERSION, one transaction per version, under the
 * migration lock: 0, or -1. */
static int pg_upgrade(struct sqldb *db)
{
    char sql[160];
    int version = 0;
    if (pg_schema_version(db, &version) != 0)
        return -1;
    if (version > PG_VERSION) {
        snprintf(db->msg, sizeof db->msg, "schema version %d is newer than this campaignd (%d)",
                 version, PG_VERSION);
        return -1;
    }
    for (int v = version; v < PG_VERSION; v++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO meta(key, value) VALUES ('schema_version', %d)"
                 " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", v + 1);
        if (pg_exec(db, "BEGIN") != 0 || pg_exec(db, pg_migrations[v]) != 0 ||
            pg_exec(db, sql) != 0 || pg_exec(db, "COMMIT") != 0) {
            pg_exec(db, "ROLLBACK");
            return -1;
        }
        log_info("store: postgresql migrated to schema version %d", v + 1);
    }
    return 0;
}

/* pg_upgrade holding the migration lock: several nodes may start at once,
 * one migrates and the others wait.  0, or -1 with f filled in. */
static int pg_migrate(struct sqldb *db, struct sqldb_fail *f)
{
    char sql[80];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%d)", PG_LOCK_MIGRATE);
    int ret = pg_exec(db, sql);
    if (ret == 0) {
        ret = pg_upgrade(db);
        snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%d)", PG_LOCK_MIGRATE);
        pg_exec(db, sql);
    }
    if (ret != 0)
        sqldb_fail_set(f, SQLDB_UNAVAILABLE, "Cannot prepare the PostgreSQL database: %s",
                       db->msg);
    return ret;
}

/* Server notices ("relation already exists, skipping") are not errors. */
static void pg_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void pg_close(struct sqldb *db)
{
    if (db == NULL)
        return;
    PQfinish(db->conn);
    free(db->prepared);
    free(db);
}

static struct sqldb *pg_open(const char *url, int first, struct sqldb_fail *f)
{
    struct sqldb *db = xcalloc(1, sizeof *db);
    /* A short connect timeout so an outage answers 503 promptly. */
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *vals[] = {url, "3", "campaignd", NULL};
    db->conn = PQconnectdbParams(keys, vals, 1);
    if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
        /* libpq's message may span lines: its first says why */
        char why[200];
        snprintf(why, sizeof why, "%s", db->conn ? PQerrorMessage(db->conn) : "out of memory");
        why[strcspn(why, "\n")] = '\0';
        if (!first) /* a reconnect while serving; at start the caller says it */
            log_error("postgresql: cannot connect: %s", why);
        sqldb_fail_set(f, SQLDB_UNAVAILABLE, "Cannot connect to PostgreSQL: %s", why);
        pg_close(db);
        return NULL;
    }
    PQsetNoticeProcessor(db->conn, pg_notice, NULL);
    if (first && pg_migrate(db, f) != 0) {
        pg_close(db);
        return NULL;
    }
    return db;
}

static void pg_rollback(struct sqldb *db)
{
    db->in_txn = 0;
    if (PQstatus(db->conn) == CONNECTION_OK && PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
        PGresult *res = PQexec(db->conn, "ROLLBACK");
        PQclear(res);
    }
}

/* One attempt at sqldb_ops.begin: 0, or -1. */
static int pg_begin_once(struct sqldb *db, int64_t lock)
{
    if (pg_ready(db) != 0)
        return -1;
    char sql[80];
    int64_t key = lock < 0 ? PG_LOCK_WRITE : PG_LOCK_TENANT | (lock & 0xffffffff);
    snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock%s(%" PRId64 ")",
             lock > 0 && (lock & SQLDB_LOCK_SHARED) ? "_shared" : "", key);
    if (lock == 0 ? pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") != 0
                  : pg_exec(db, "BEGIN") != 0 || pg_exec(db, sql) != 0) {
        pg_rollback(db);
        return -1;
    }
    db->in_txn = 1;
    return 0;
}

/* A connection idle through an outage only learns it is dead on its next
 * statement; nothing has run yet, so that one failure is retried once on a
 * fresh connection. */
static int pg_begin(struct sqldb *db, int64_t lock)
{
    if (pg_begin_once(db, lock) == 0)
        return 0;
    return PQstatus(db->conn) == CONNECTION_OK ? -1 : pg_begin_once(db, lock);
}

static int pg_commit(struct sqldb *db)
{
    db->in_txn = 0;
    return pg_exec(db, "COMMIT");
}

static struct sqlres *pg_query_once(struct sqldb *db, const struct sqlq *q, const struct sqlp *p,
                                    int n)
{
    struct sqlq_key key = sqlq_key(q->sql);
    char name[40];
    snprintf(name, sizeof name, "s%016" PRIx64 "%016" PRIx64, key.a, key.b);
    /* Outside a transaction a lost connection is reset first; inside one
     * the statement fails and the caller rolls back. */
    if (!db->in_txn && pg_ready(db) != 0)
        return NULL;
    int replan = sqlq_replan(q);
    if (!replan && !pg_is_prepared(db, key)) {
        PGresult *res = PQprepare(db->conn, name, q->sql, 0, NULL);
        int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok)
            pg_set_err(db, res, "prepare");
        PQclear(res);
        if (!ok)
            return NULL;
        pg_mark_prepared(db, key);
    }
    char nums[SQLDB_PARAMS_MAX][24];
    const char *vals[SQLDB_PARAMS_MAX];
    if (n > SQLDB_PARAMS_MAX) {
        db->err = SQLDB_OTHER;
        snprintf(db->msg, sizeof db->msg, "too many parameters (%d)", n);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        if (p[i].t == SQLP_INT) {
            snprintf(nums[i], sizeof nums[i], "%" PRId64, p[i].i);
            vals[i] = nums[i];
        } else {
            vals[i] = p[i].t == SQLP_TEXT ? p[i].s : NULL;
        }
    }
    PGresult *res = replan
                        ? PQexecParams(db->conn, q->sql, n, NULL, vals, NULL, NULL, 0)
                        : PQexecPrepared(db->conn, name, n, vals, NULL, NULL, 0);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_set_err(db, res, "execute");
        PQclear(res);
        return NULL;
    }
    struct sqlres *r = xcalloc(1, sizeof *r);
    r->db = db;
    r->res = res;
    r->row = -1;
    r->nrows = PQntuples(res);
    return r;
}

static struct sqlres *pg_query(struct sqldb *db, const struct sqlq *q, const struct sqlp *p,
                               int n)
{
    struct sqlres *r = pg_query_once(db, q, p, n);
    /* As in pg_begin: outside a transaction, a connection found dead by
     * this statement is retried once on a fresh one. */
    if (r == NULL && !db->in_txn && PQstatus(db->conn) != CONNECTION_OK)
        r = pg_query_once(db, q, p, n);
    return r;
}

static int pg_next(struct sqlres *r)
{
    return ++r->row < r->nrows ? 1 : 0;
}

static int64_t pg_col_int(struct sqlres *r, int col)
{
    if (PQgetisnull(r->res, r->row, col))
        return 0;
    return strtoll(PQgetvalue(r->res, r->row, col), NULL, 10);
}

static const char *pg_col_text(struct sqlres *r, int col, size_t *len)
{
    if (PQgetisnull(r->res, r->row, col))
        return NULL;
    if (len != NULL)
        *len = (size_t)PQgetlength(r->res, r->row, col);
    return PQgetvalue(r->res, r->row, col);
}

static void pg_done(struct sqlres *r)
{
    PQclear(r->res);
    free(r);
}

static enum sqldb_err pg_last_error(struct sqldb *db)
{
    return db->err;
}

static const char *pg_last_message(struct sqldb *db)
{
    return db->msg;
}

static void pg_bulk(struct sqldb *db, int start)
{
    if (!start && pg_exec(db, "ANALYZE campaigns, campaign_lists, campaign_counts, lists") != 0)
        log_warn("postgresql: ANALYZE after an import failed: %s", db->msg);
}

const struct sqldb_ops sqldb_pg_ops = {
    .name = "postgresql",
    .row_locks = 1,
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .query = pg_query,
    .next = pg_next,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .done = pg_done,
    .bulk = pg_bulk,
    .last_error = pg_last_error,
    .last_message = pg_last_message,
};
