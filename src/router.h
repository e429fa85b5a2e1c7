/* router.h - method + path (+ query) -> route, or 404 / 405 with Allow.
 *
 * Paths are matched exactly, segment by segment: no trailing-slash or case
 * normalisation (family spec §2).  A pattern segment ":stream" or ":id"
 * matches one non-empty segment and captures it; ":id" never matches a
 * reserved literal (trigger, schedule, contactList, getAllCampaignDetails),
 * so literal segments always win over ids.  When several patterns match,
 * the one with the most literal segments wins. */
#ifndef CAMPAIGND_ROUTER_H
#define CAMPAIGND_ROUTER_H

#include "api.h"

enum route_flags {
    ROUTE_AUTH = 1,       /* contract.md §1 applies */
    ROUTE_BODY = 2,       /* a JSON object body is required (415, 400) */
    ROUTE_BODY_OPT = 4,   /* a body is optional; when present it must be a JSON object */
    ROUTE_SIGNED = 8,     /* no JWT: a Standard Webhooks signature over the body, keyed by
                             the webhook secret (execution spec §6) */
};

struct route {
    const char *method;
    const char *pattern;
    int flags;
    int (*handler)(struct api_call *c);
    const char *when_query;   /* matches only when this query parameter is present */
};

/* The table, for counting by route: its size, its i-th route, and the
 * index of a route router_match returned. */
size_t router_size(void);
const struct route *router_at(size_t i);
size_t router_index(const struct route *r);

/* Finds the route.  has_query(ctx, key) tells whether a query parameter is
 * present.  Fills c->stream_id and c->object_id from the path.  Returns NULL
 * with e set to 404, or 405 with e->allow. */
const struct route *router_match(const char *method, const char *path,
                                 int (*has_query)(void *ctx, const char *key), void *ctx,
                                 struct api_call *c, struct apierr *e);

#endif
