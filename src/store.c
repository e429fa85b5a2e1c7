/* store.c - back-end selection and the thin wrappers of store.h. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "sqldb.h"

struct store *store_open(const char *url, int pool, struct apierr *e)
{
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        apierr_set(e, 503, "The PostgreSQL back end is not available in this build");
        return NULL;
    }
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    if (*url == '\0') {
        apierr_set(e, 400, "The database path is empty");
        return NULL;
    }
    return store_sql_open(&sqldb_sqlite_ops, url, pool < 1 ? 1 : pool, e);
}

void store_close(struct store *s)
{
    if (s != NULL)
        s->ops->close(s);
}

int store_ping(struct store *s, struct apierr *e)
{
    return s->ops->ping(s, e);
}

int store_client_get(struct store *s, const char *client_id, struct store_client *out,
                     struct apierr *e)
{
    return s->ops->client_get(s, client_id, out, e);
}

int store_app_create(struct store *s, const char *account_id, const char *stream_id,
                     const char *name, const char *scopes, struct store_creds *out,
                     struct apierr *e)
{
    return s->ops->app_create(s, account_id, stream_id, name, scopes, out, e);
}

int store_app_find(struct store *s, const char *account_id, const char *stream_id,
                   int64_t *app_pk, struct apierr *e)
{
    return s->ops->app_find(s, account_id, stream_id, app_pk, e);
}

int store_app_first_client(struct store *s, const char *stream_id, struct store_creds *out,
                           struct apierr *e)
{
    return s->ops->app_first_client(s, stream_id, out, e);
}

int store_campaign_list(struct store *s, int64_t app_pk, const struct list_query *q,
                        struct store_page *out, struct apierr *e)
{
    return s->ops->campaign_list(s, app_pk, q, out, e);
}

int store_campaign_import(struct store *s, int64_t app_pk, struct campaign *items, size_t n,
                          struct apierr *e)
{
    return s->ops->campaign_import(s, app_pk, items, n, e);
}

int store_campaign_export(struct store *s, int64_t app_pk, int type, json_t **out,
                          struct apierr *e)
{
    return s->ops->campaign_export(s, app_pk, type, out, e);
}

void store_page_clear(struct store_page *p)
{
    for (size_t i = 0; i < p->count; i++)
        campaign_clear(&p->items[i]);
    free(p->items);
    p->items = NULL;
    p->count = 0;
}
