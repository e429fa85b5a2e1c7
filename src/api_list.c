/* api_list.c - Get All Campaigns (contract.md §3, §4):
 * body -> query_parse -> store_campaign_list -> campaign_render_item. */
#include "api.h"

#include "jsonu.h"
#include "query.h"

#define LIST_MESSAGE "Campaign  retrieved successfully" /* two spaces, as documented */

int api_list_campaigns(struct api_call *c)
{
    struct list_query q;
    struct store_page page = {0};
    if (query_parse(c->body, &q, &c->err) != 0 ||
        store_campaign_list(c->read_store, c->tenant.app_pk, &q, &page, &c->err) != 0)
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
    int64_t pages = (page.total + q.limit - 1) / q.limit;
    int more = q.offset + (int64_t)page.count < page.total;
    char tail[192];
    int n = snprintf(tail, sizeof tail,
                     "],\"skip\":%lld,\"limit\":%d,\"hasMore\":%s,\"totalPages\":%lld,"
                     "\"totalResults\":%lld}}",
                     (long long)q.offset, q.limit, more ? "true" : "false", (long long)pages,
                     (long long)page.total);
    jbuf_put(&b, tail, (size_t)n);
    store_page_clear(&page);
    c->status = 200;
    c->response_text = jbuf_finish(&b, &c->response_len);
    return 0;
}
