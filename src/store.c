/* store.c - the top of the store: opens it on the back end a URL names.
 * Below it: the concern files (store_tenants.c, store_campaigns.c,
 * store_clists.c, store_listing.c, store_import.c), then store_rows.c,
 * store_counts.c and store_conn.c, then the drivers (sqldb.h). */
#include "store.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"

/* The store of url on the back end it names, migrating when migrate is
 * set: the store, or NULL with e set. */
static struct store *open_url(const char *url, int pool, int migrate, struct store_err *e)
{
    const struct sqldb_ops *drv = &sqldb_sqlite_ops;
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        drv = &sqldb_pg_ops;
    } else {
        if (strncmp(url, "sqlite:", 7) == 0)
            url += 7;
        if (*url == '\0') {
            store_fail(e, STORE_INVALID, SW_DB_PATH, NULL, NULL);
            return NULL;
        }
    }
    struct store *s = sql_pool_open(drv, url, pool < 1 ? 1 : pool, migrate, e);
    if (s != NULL && migrate && sql_counts_backfill(s, &s->conns[0], e) != 0) {
        store_close(s);
        return NULL;
    }
    return s;
}

struct store *store_open(const char *url, int pool, struct store_err *e)
{
    return open_url(url, pool, 1, e);
}

struct store *store_open_replica(const char *url, int pool, struct store_err *e)
{
    return open_url(url, pool, 0, e);
}

void store_url_redact(const char *url, char *out, size_t cap)
{
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    if (colon == NULL) {
        snprintf(out, cap, "%s", url);
        return;
    }
    snprintf(out, cap, "%.*s:***%s", (int)(colon - url), url, at);
}
