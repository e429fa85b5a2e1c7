/* api.h - what a route handler sees: the parts of the HTTP request the API
 * needs, already framed by server.c, and where it puts its answer.
 *
 * Handlers never touch libmicrohttpd; server.c never reads a JSON field
 * beyond checking that a body is one JSON object.  A handler returns 0 with
 * `status` and `response` set, or -1 with `err` set; server.c renders either. */
#ifndef CAMPAIGND_API_H
#define CAMPAIGND_API_H

#include <jansson.h>
#include <stddef.h>

#include "apierr.h"
#include "lcache.h"
#include "auth.h"
#include "check.h"
#include "store.h"

struct api_limits {
    size_t max_body;        /* bytes; 413 above */
    size_t max_headers;     /* bytes of all headers; 431 above */
    size_t max_url;         /* bytes of the request target; 414 above */
    size_t max_depth;       /* JSON nesting; 400 above */
    size_t max_contacts;    /* items of one add-contacts request; 400 above */
    int runs;               /* a channel runs campaigns (execution spec): a start whose
                               audience is empty ends its run at once */
};

#define API_SEGMENT_MAX 128

struct api_call {
    struct store *store;
    struct store *read_store;  /* for read-only listings: store, or --db-read's */
    struct lcache *list_cache; /* rendered listings (lcache.h), or NULL */
    const struct api_limits *limits;
    char stream_id[API_SEGMENT_MAX]; /* the {streamId} path segment, or "" */
    char object_id[API_SEGMENT_MAX]; /* the {campaignId}/{contactListId} segment, or "" */
    struct tenant tenant;   /* set by server.c before a route marked ROUTE_AUTH runs */
    json_t *body;           /* the request's JSON object, NULL when there is none */
    /* Query parameters: the decoded value of key, NULL when absent. */
    const char *(*query)(const struct api_call *c, const char *key);
    void *conn;             /* for query(); opaque */
    int draining;           /* the server is stopping (GET /healthz says so) */
    struct apierr err;
    int status;             /* success status */
    json_t *response;       /* success body; owned, freed by server.c */
    char *response_text;    /* or the body as text already (JSON unless content_type
                               says otherwise); owned */
    size_t response_len;
    const char *content_type; /* of response_text, a static string; NULL: application/json */
};

/* Route handlers (api_*.c). */
int api_health(struct api_call *c);
int api_list_campaigns(struct api_call *c);
int api_campaign_create(struct api_call *c);
int api_campaign_get(struct api_call *c);
int api_campaign_update(struct api_call *c);
int api_campaign_delete(struct api_call *c);
int api_campaign_trigger(struct api_call *c);
int api_campaign_status(struct api_call *c);
int api_campaign_schedule(struct api_call *c);
int api_clist_create(struct api_call *c);
int api_clist_get_all(struct api_call *c);
int api_clist_get(struct api_call *c);
int api_clist_update(struct api_call *c);
int api_clist_delete(struct api_call *c);
int api_clist_contacts(struct api_call *c);
int api_clist_add_contacts(struct api_call *c);
int api_attempt_outcome(struct api_call *c);
int api_openapi(struct api_call *c);
int api_console(struct api_call *c);

/* Shared by handlers (api_util.c). */

/* The query parameter campaignType: NULL/absent gives -1 when optional;
 * otherwise "sms" or "voice", else a 400 on query.campaignType.  Returns 0
 * and sets *type (-1 when absent), or -1. */
int api_query_type(struct api_call *c, int required, int *type);
/* skip, limit and page of the query string under contract §3's rules
 * (check_paging; fields "query.skip", ...).  Returns 0, or -1 with the
 * problems added to c->err. */
int api_query_paging(struct api_call *c, int64_t limit_default, struct paging *pg);
/* Sets a success response. */
int api_ok(struct api_call *c, int status, json_t *response);

#endif
