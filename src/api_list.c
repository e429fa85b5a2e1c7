/* api_list.c - Get All Campaigns (contract.md §3, §4):
 * body -> query_parse -> store_campaign_list -> campaign_render_item. */
#include "api.h"

#include "query.h"

#define LIST_MESSAGE "Campaign  retrieved successfully" /* two spaces, as documented */

int api_list_campaigns(struct api_call *c)
{
    struct list_query q;
    struct store_page page = {0};
    if (query_parse(c->body, &q, &c->err) != 0 ||
        store_campaign_list(c->read_store, c->tenant.app_pk, &q, &page, &c->err) != 0)
        return -1;

    json_t *results = json_array();
    for (size_t i = 0; i < page.count; i++)
        json_array_append_new(results, campaign_render_item(&page.items[i]));
    int64_t pages = (page.total + q.limit - 1) / q.limit;
    int more = q.offset + (int64_t)page.count < page.total;
    c->status = 200;
    c->response = json_pack("{s:s, s:s, s:{s:o, s:I, s:i, s:b, s:I, s:I}}", "status", "success",
                            "message", LIST_MESSAGE, "data", "results", results, "skip",
                            (json_int_t)q.offset, "limit", q.limit, "hasMore", more,
                            "totalPages", (json_int_t)pages, "totalResults",
                            (json_int_t)page.total);
    store_page_clear(&page);
    return 0;
}
