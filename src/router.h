/* router.h - method + path -> route, or 404 / 405 with the Allow header.
 *
 * Paths are matched segment by segment, exactly: no trailing-slash or case
 * normalisation (family spec §2).  A pattern segment ":stream" matches any
 * one non-empty segment and is captured as the stream id. */
#ifndef CAMPAIGND_ROUTER_H
#define CAMPAIGND_ROUTER_H

#include "api.h"

enum route_flags {
    ROUTE_AUTH = 1,   /* contract.md §1 applies */
    ROUTE_BODY = 2,   /* reads a JSON body: Content-Type is checked (415) */
};

struct route {
    const char *method;
    const char *pattern;
    int flags;
    int (*handler)(struct api_call *c);
};

/* Finds the route for method and path.  On success returns it and, when the
 * pattern has ":stream", points *stream at a copy of that segment in buf
 * (cap bytes).  Returns NULL with e set to 404, or 405 with e->allow. */
const struct route *router_match(const char *method, const char *path, char *buf, size_t cap,
                                 const char **stream, struct apierr *e);

#endif
