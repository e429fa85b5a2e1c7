/* api.h - what a route handler sees: the parts of the HTTP request the API
 * needs, already framed by server.c, and where it puts its answer.
 *
 * Handlers never touch libmicrohttpd; server.c never reads a JSON field.
 * A handler returns 0 with `status` and `response` set, or -1 with `err`
 * set; server.c renders either. */
#ifndef CAMPAIGND_API_H
#define CAMPAIGND_API_H

#include <jansson.h>
#include <stddef.h>

#include "apierr.h"
#include "auth.h"
#include "store.h"

struct api_limits {
    size_t max_body;        /* bytes; 413 above */
    size_t max_headers;     /* bytes of all headers; 431 above */
    size_t max_url;         /* bytes of the request target; 414 above */
    size_t max_depth;       /* JSON nesting; 400 above */
};

struct api_call {
    struct store *store;
    const struct api_limits *limits;
    const char *stream_id;  /* the {streamId} path segment, when the route has one */
    struct tenant tenant;   /* set by server.c before a route marked `auth` runs */
    const char *body;       /* not NUL-terminated */
    size_t body_len;
    struct apierr err;
    int status;             /* success status */
    json_t *response;       /* success body; owned, freed by server.c */
};

/* Route handlers. */
int api_health(struct api_call *c);
int api_list_campaigns(struct api_call *c);

#endif
