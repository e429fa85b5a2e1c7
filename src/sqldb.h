/* sqldb.h - the small SQL driver interface at the bottom of the store.
 *
 * The store_*.c files hold every query and all storage logic once; a driver
 * (sqldb_sqlite.c, sqldb_pg.c) only runs statements.  Statements
 * are written in one dialect that SQLite and PostgreSQL both accept:
 * parameters are $1..$n (the SQLite driver rewrites them to ?1..?n), ids come
 * back through RETURNING, conflicts use ON CONFLICT.  Parameters are always
 * bound, never spliced into SQL text.  One extension: a comment
 * "/\*+INDEXED BY ix*\/" after a table names the index SQLite must use (the
 * SQLite driver turns it into that clause; PostgreSQL reads a comment).
 *
 * A struct sqldb is one connection, used by one thread at a time. */
#ifndef CAMPAIGND_SQLDB_H
#define CAMPAIGND_SQLDB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

/* A statement: its text, constant or built at run time.  A driver keeps
 * the prepared form under the statement's key (sqlq_key), a 128-bit digest
 * of the whole text, so no number is assigned by hand and two different
 * texts never share a prepared statement. */
struct sqlq {
    const char *sql;
};

/* A statement whose text starts with SQLQ_REPLAN is planned with its actual
 * parameters at every execution on PostgreSQL (an unnamed statement),
 * instead of being prepared once and left to settle on a generic plan: for
 * statements whose best plan depends on the values.  (SQLite plans each
 * statement once either way; to it this is a comment.) */
#define SQLQ_REPLAN "/* replan */ "

static inline int sqlq_replan(const struct sqlq *q)
{
    return strncmp(q->sql, SQLQ_REPLAN, sizeof SQLQ_REPLAN - 1) == 0;
}

struct sqlq_key {
    uint64_t a, b;
};

/* Two independent 64-bit hashes of the text (FNV-1a, and a multiply-xorshift
 * one), with its length mixed into the second. */
static inline struct sqlq_key sqlq_key(const char *sql)
{
    uint64_t a = 1469598103934665603ULL, b = 0x9e3779b97f4a7c15ULL;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++, n++) {
        a = (a ^ *p) * 1099511628211ULL;
        b = (b + *p) * 0xff51afd7ed558ccdULL;
        b ^= b >> 29;
    }
    b ^= (uint64_t)n * 0xc4ceb9fe1a85ec53ULL;
    return (struct sqlq_key){a, b};
}

static inline int sqlq_key_eq(struct sqlq_key x, struct sqlq_key y)
{
    return x.a == y.a && x.b == y.b;
}

enum sqlp_type { SQLP_NULL, SQLP_INT, SQLP_TEXT };

/* The most parameters one statement takes (an import's multi-row INSERT). */
#define SQLDB_PARAMS_MAX 1024

struct sqlp {
    enum sqlp_type t;
    int64_t i;
    const char *s;
};

#define P_INT(v) ((struct sqlp){SQLP_INT, (int64_t)(v), NULL})
#define P_TEXT(v) ((struct sqlp){SQLP_TEXT, 0, (v)})
#define P_NULL ((struct sqlp){SQLP_NULL, 0, NULL})

#define SQLDB_LOCK_ALL (-1)
/* OR'ed into a tenant's lock: a write that shares the tenant's lock with
 * other shared writers and excludes the plain ones (PostgreSQL's shared
 * advisory lock), for the runner's claims, whose rows guard themselves
 * (FOR UPDATE SKIP LOCKED).  SQLite has one writer either way. */
#define SQLDB_LOCK_SHARED ((int64_t)1 << 62)

/* What went wrong in the last failed call; the store turns it into a result. */
enum sqldb_err {
    SQLDB_OK = 0,
    SQLDB_UNIQUE,      /* a unique constraint */
    SQLDB_UNAVAILABLE, /* busy, locked, disconnected, disk full: try again */
    SQLDB_OTHER,       /* a bug or corruption */
};

struct sqldb;
struct sqlres;

/* Why an open failed: the kind, and a sentence fit to print. */
struct sqldb_fail {
    enum sqldb_err k;
    char msg[256];
};

/* Fills in f unless it is already (the first cause wins). */
static inline void __attribute__((format(printf, 3, 4)))
sqldb_fail_set(struct sqldb_fail *f, enum sqldb_err k, const char *fmt, ...)
{
    if (f->k != SQLDB_OK)
        return;
    f->k = k;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
}

struct sqldb_ops {
    const char *name;
    int row_locks; /* SELECT ... FOR UPDATE SKIP LOCKED works (PostgreSQL) */
    /* Opens one connection; the first one opened also creates or migrates
     * the schema (first = 1).  NULL with f filled in on failure. */
    struct sqldb *(*open)(const char *target, int first, struct sqldb_fail *f);
    void (*close)(struct sqldb *db);
    /* lock = 0 begins a read-only transaction; otherwise a write that
     * serializes with every other write holding the same lock: the tenant's
     * app_pk, or SQLDB_LOCK_ALL for rows of no tenant (accounts, apps,
     * clients).  SQLite has one writer anyway (BEGIN IMMEDIATE). */
    int (*begin)(struct sqldb *db, int64_t lock);
    int (*commit)(struct sqldb *db);
    void (*rollback)(struct sqldb *db);
    /* Runs q with params; NULL on failure.  Rows are read with next/col_*;
     * done() releases the result.  Two results of one connection may be open
     * at once if they are different statements. */
    struct sqlres *(*query)(struct sqldb *db, const struct sqlq *q, const struct sqlp *p, int n);
    int (*next)(struct sqlres *r);        /* 1 row, 0 end, -1 failure */
    int64_t (*col_int)(struct sqlres *r, int col);
    const char *(*col_text)(struct sqlres *r, int col, size_t *len); /* NULL for NULL */
    void (*done)(struct sqlres *r);
    /* The connection is about to write much more than usual in one
     * transaction (an import; start = 1), or is done with it, committed or
     * not (start = 0).  SQLite gives it a page cache large enough not to
     * spill every few rows, then its usual one back; PostgreSQL refreshes
     * the planner's statistics afterwards, which otherwise still describe
     * the tables before the import. */
    void (*bulk)(struct sqldb *db, int start);
    enum sqldb_err (*last_error)(struct sqldb *db);
    const char *(*last_message)(struct sqldb *db);
};

extern const struct sqldb_ops sqldb_sqlite_ops;
extern const struct sqldb_ops sqldb_pg_ops;

#endif
