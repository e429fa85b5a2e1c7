/* dispatch.h - one request from its parts to its answer, whatever carries
 * it: server.c over libmicrohttpd, fuzz/fuzz_request.c in process (server
 * layer, below server.c).
 *
 * A request is decided in two steps, as it arrives:
 *   dispatch_head  the request line and headers: 414, 431, the route (404,
 *                  405 with Allow), a path or query that is not UTF-8 (400);
 *   dispatch_run   the whole request: 413 (a body over the limit),
 *                  authentication (401, 400, 403) or a signed route's
 *                  signature (401), the rate limit (429), the body's
 *                  framing (415, 400), then the route's handler.
 * Every answer, success or error, comes out as JSON text (the routes that
 * serve built-in files, api_files.c, say their own type); an error becomes
 * its body (contract.md §2) in one place, dispatch_error. */
#ifndef CAMPAIGND_DISPATCH_H
#define CAMPAIGND_DISPATCH_H

#include <stddef.h>

#include "api.h"
#include "router.h"

struct lcache;
struct ratelimit;
struct whsig;

/* What the server gives every request. */
struct dispatch_env {
    struct store *store;
    struct store *read_store;       /* NULL: store */
    struct lcache *list_cache;      /* NULL: off */
    struct ratelimit *limiter;      /* NULL: off */
    const struct api_limits *limits;
    int draining;                   /* the server is stopping */
    const struct whsig *callback_keys; /* the webhook secret(s); NULL: no webhook channel */
};

/* The request's headers and query string, as its carrier reads them. */
struct dispatch_io {
    const char *(*header)(void *cls, const char *name);  /* NULL when absent */
    const char *(*query)(void *cls, const char *key);    /* decoded; NULL when absent */
    int (*has_query)(void *cls, const char *key);        /* present, even without a value */
    /* Calls fn for each query parameter (value NULL when it has none)
     * until fn returns nonzero. */
    void (*each_query)(void *cls, int (*fn)(void *arg, const char *key, const char *value),
                       void *arg);
    size_t header_bytes;            /* the header lines' size on the wire (head only) */
    size_t raw_url_len;             /* the request target's length as sent */
    void *cls;
};

/* What dispatch_head found. */
struct dispatch_req {
    const struct route *route;
    char stream_id[API_SEGMENT_MAX];
    char object_id[API_SEGMENT_MAX];
};

/* An answer: status and body (owned), and the headers it needs. */
struct dispatch_out {
    int status;
    char *text;
    size_t len;
    const char *content_type;       /* static; NULL: application/json */
    char allow[64];                 /* 405: Allow, else "" */
    int retry_after;                /* 429: Retry-After seconds, else 0 */
};

/* The head: 0 with dr filled in, or -1 with the answer in out. */
int dispatch_head(const struct dispatch_env *env, const struct dispatch_io *io,
                  const char *method, const char *url, struct dispatch_req *dr,
                  struct dispatch_out *out);

/* The whole request (too_large: its body went over the limit and was not
 * kept): fills out. */
void dispatch_run(const struct dispatch_env *env, const struct dispatch_io *io,
                  const struct dispatch_req *dr, const char *body, size_t body_len,
                  int too_large, struct dispatch_out *out);

/* The error e as an answer (the one place an error becomes a body). */
void dispatch_error(const struct apierr *e, struct dispatch_out *out);
/* The error of status with msg and no field, as an answer. */
void dispatch_fail(int status, const char *msg, struct dispatch_out *out);

void dispatch_out_clear(struct dispatch_out *out);

#endif
