/* server.h - the HTTP server: libmicrohttpd with a thread pool, the limits
 * of contract.md §5, one access-log line per request, and errors rendered in
 * one place (contract.md §2). */
#ifndef CAMPAIGND_SERVER_H
#define CAMPAIGND_SERVER_H

#include <stdint.h>

#include "api.h"
#include "store.h"

struct server_config {
    const char *listen;        /* "HOST:PORT", "[::1]:PORT"; port 0 = any */
    int threads;               /* worker threads (>= 1) */
    struct api_limits limits;
    int idle_timeout_s;        /* idle keep-alive connection */
    double rate_limit;         /* requests per second per API client; 0 = off */
    double rate_burst;         /* requests at once per API client */
    int request_timeout_s;     /* a request's arrival, a response's departure */
    int max_conns;             /* connections at once (listener.h) */
    int max_conns_per_ip;      /* per client address; 0 = no limit */
    const char *tls_cert_pem;  /* HTTPS: certificate chain and key (PEM), */
    const char *tls_key_pem;   /* or both NULL for plain HTTP */
    size_t list_cache_bytes;   /* budget of the listing cache; 0 = off */
    const struct whsig *callback_keys; /* verify outcome callbacks; NULL: refused */
    const char *metrics_listen; /* "HOST:PORT" of GET /metrics, or NULL: not served */
    const struct runner_metrics *runner_metrics; /* reported when campaigns run, or NULL */
};

struct server;
struct runner_metrics;

/* Starts serving.  The stores must outlive the server; read_store (may be
 * NULL) serves Get All Campaigns only, e.g. a streaming replica.  NULL with
 * e set. */
struct server *server_start(const struct server_config *cfg, struct store *store,
                            struct store *read_store, struct apierr *e);

/* The bound port (useful with port 0). */
uint16_t server_port(const struct server *s);
/* The bound port of --metrics-listen, 0 when there is none. */
uint16_t server_metrics_port(const struct server *s);

/* Graceful stop: GET /healthz answers 503 and every response says
 * Connection: close at once; new connections are still served for drain_s
 * seconds; then what the kernel has queued is accepted and the listening
 * socket closed; requests in progress get up to inflight_s seconds to
 * finish; then every connection is closed and s freed. */
void server_stop(struct server *s, int drain_s, int inflight_s);

#endif
