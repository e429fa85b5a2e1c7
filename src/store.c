/* store.c - back-end selection and the thin wrappers of store.h. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqldb.h"

static struct store *open_url(const char *url, int pool, int migrate, struct apierr *e)
{
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return store_sql_open(&sqldb_pg_ops, url, pool < 1 ? 1 : pool, migrate, e);
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    if (*url == '\0') {
        apierr_set(e, 400, "The database path is empty");
        return NULL;
    }
    return store_sql_open(&sqldb_sqlite_ops, url, pool < 1 ? 1 : pool, migrate, e);
}

struct store *store_open(const char *url, int pool, struct apierr *e)
{
    return open_url(url, pool, 1, e);
}

struct store *store_open_replica(const char *url, int pool, struct apierr *e)
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

int store_tenant_version(struct store *s, int64_t app_pk, int64_t *out, struct apierr *e)
{
    return s->ops->tenant_version(s, app_pk, out, e);
}

int store_import_begin(struct store *s, int64_t app_pk, struct store_import **out,
                       struct apierr *e)
{
    return s->ops->import_begin(s, app_pk, out, e);
}

int store_import_add(struct store_import *im, struct campaign *items, size_t n, size_t first,
                     struct apierr *e)
{
    return im->store->ops->import_add(im, items, n, first, e);
}

int store_import_end(struct store_import *im, int commit, struct apierr *e)
{
    return im->store->ops->import_end(im, commit, e);
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

int store_campaign_create(struct store *s, int64_t app_pk, struct campaign *c, struct apierr *e)
{
    return s->ops->campaign_create(s, app_pk, c, e);
}

int store_campaign_get(struct store *s, int64_t app_pk, const char *id, struct campaign *out,
                       struct apierr *e)
{
    return s->ops->campaign_get(s, app_pk, id, out, e);
}

int store_campaign_find(struct store *s, int64_t app_pk, const char *name, int type,
                        char id[IDS_MAX + 1], struct apierr *e)
{
    return s->ops->campaign_find(s, app_pk, name, type, id, e);
}

int store_campaign_write(struct store *s, int64_t app_pk, const char *id,
                         const struct store_write *w, struct campaign *out, struct apierr *e)
{
    return s->ops->campaign_write(s, app_pk, id, w, out, e);
}

int store_campaign_contacts(struct store *s, int64_t app_pk, const struct campaign *c,
                            int64_t offset, int64_t limit, struct store_contacts_page *out,
                            struct apierr *e)
{
    return s->ops->campaign_contacts(s, app_pk, c, offset, limit, out, e);
}

int store_campaign_calls_completed(struct store *s, int64_t app_pk, const struct campaign *c,
                                   int64_t *out, struct apierr *e)
{
    return s->ops->campaign_calls_completed(s, app_pk, c, out, e);
}

int store_outcome_record(struct store *s, int64_t app_pk, const char *campaign_id,
                         const struct store_outcome *o, struct apierr *e)
{
    return s->ops->outcome_record(s, app_pk, campaign_id, o, e);
}

int store_list_create(struct store *s, int64_t app_pk, const char *client_id,
                      const struct clist_fields *f, struct clist *out, struct apierr *e)
{
    return s->ops->list_create(s, app_pk, client_id, f, out, e);
}

int store_list_get(struct store *s, int64_t app_pk, const char *id, struct clist *out,
                   struct apierr *e)
{
    return s->ops->list_get(s, app_pk, id, out, e);
}

int store_list_get_all(struct store *s, int64_t app_pk, struct clist **out, size_t *n,
                       struct apierr *e)
{
    return s->ops->list_get_all(s, app_pk, out, n, e);
}

int store_list_update(struct store *s, int64_t app_pk, const char *id, const char *client_id,
                      const struct clist_fields *f, struct clist *out, struct apierr *e)
{
    return s->ops->list_update(s, app_pk, id, client_id, f, out, e);
}

int store_list_delete(struct store *s, int64_t app_pk, const char *id, struct clist *out,
                      struct apierr *e)
{
    return s->ops->list_delete(s, app_pk, id, out, e);
}

int store_list_contacts(struct store *s, int64_t app_pk, const char *id, int64_t offset,
                        int64_t limit, json_t **results, int64_t *total, struct apierr *e)
{
    return s->ops->list_contacts(s, app_pk, id, offset, limit, results, total, e);
}

int store_list_add_contacts(struct store *s, int64_t app_pk, const char *list_name,
                            json_t *items, int (*validate)(json_t *items, void *ctx, struct apierr *e), void *ctx,
                            struct apierr *e)
{
    return s->ops->list_add_contacts(s, app_pk, list_name, items, validate, ctx, e);
}

int store_registry_add(struct store *s, int64_t app_pk, const char *kind, const char *name,
                       char id[IDS_MAX + 1], struct apierr *e)
{
    return s->ops->registry_add(s, app_pk, kind, name, id, e);
}

void clist_clear(struct clist *l)
{
    free(l->name);
    json_decref(l->doc);
    json_decref(l->in_use);
    memset(l, 0, sizeof *l);
}
