/* api_listing.c - Get All Campaigns (contract.md §3, §4):
 * body -> query_parse -> the listing cache, or store_campaign_list ->
 * campaign_write_item, then into the cache. */
#include "api_store.h"
#include "api.h"
#include "check.h"

#include "jsonio.h"
#include "query.h"

#define LIST_MESSAGE "Campaign  retrieved successfully" /* two spaces, as documented */

/* The cache key: the tenant, the version of its data, and the request as
 * query_parse resolved it (requests that differ only in how they say the
 * same thing share an entry). */
#define KEY_WORDS (10 + 2 * CONTRACT_SORT_KEYS_MAX)
static size_t cache_key(int64_t app_pk, int64_t version, const struct list_query *q,
                        int64_t key[KEY_WORDS])
{
    size_t n = 0;
    key[n++] = app_pk;
    key[n++] = version;
    key[n++] = q->type;
    key[n++] = q->offset;
    key[n++] = q->limit;
    key[n++] = q->start_ms;
    key[n++] = q->end_ms;
    key[n++] = q->status_mask;
    key[n++] = (int64_t)(((uint64_t)q->priority_mask << 32) | q->mode_mask);
    key[n++] = q->nsort;
    for (int i = 0; i < q->nsort; i++) {
        key[n++] = q->sort[i].field;
        key[n++] = q->sort[i].desc;
    }
    return n * sizeof key[0];
}

int api_list_campaigns(struct api_call *c)
{
    struct store_err se = STORE_ERR_INIT;
    struct list_query q;
    struct store_page page = {0};
    int64_t key[KEY_WORDS], version;
    if (query_parse(c->body, &q, &c->err) != 0)
        return -1;
    if (c->list_cache != NULL) {
        /* A hit costs one indexed read of the version. */
        if (api_store(store_tenant_version(c->read_store, c->tenant.app_pk, &version, &se), &se,
                      &c->err) != 0)
            return -1;
        size_t klen = cache_key(c->tenant.app_pk, version, &q, key);
        c->response_text = lcache_get(c->list_cache, key, klen, &c->response_len);
        if (c->response_text != NULL) {
            c->status = 200;
            return 0;
        }
    }
    if (api_store(store_campaign_list(c->read_store, c->tenant.app_pk, &q, &page, &se), &se,
                  &c->err) != 0)
        return -1;

    /* Written as text: the items are the hot path (campaign_write_item). */
    static const char head[] = "{\"status\":\"success\",\"message\":\"" LIST_MESSAGE
                               "\",\"data\":{\"results\":[";
    struct jbuf b = {NULL, 0, 0};
    jbuf_put(&b, head, sizeof head - 1);
    for (size_t i = 0; i < page.count; i++) {
        if (i > 0)
            jbuf_put(&b, ",", 1);
        campaign_write_item(&b, &page.items[i]);
    }
    int64_t pages = check_total_pages(page.total, q.limit);
    int more = q.offset + (int64_t)page.count < page.total;
    char tail[192];
    int n = snprintf(tail, sizeof tail,
                     "],\"skip\":%lld,\"limit\":%d,\"hasMore\":%s,\"totalPages\":%lld,"
                     "\"totalResults\":%lld}}",
                     (long long)q.offset, q.limit, more ? "true" : "false", (long long)pages,
                     (long long)page.total);
    jbuf_put(&b, tail, (size_t)n);
    c->status = 200;
    c->response_text = jbuf_finish(&b, &c->response_len);
    /* Filed under the version the page was read at. */
    if (c->list_cache != NULL)
        lcache_put(c->list_cache, key, cache_key(c->tenant.app_pk, page.version, &q, key),
                   c->response_text, c->response_len);
    store_page_clear(&page);
    return 0;
}
