/* server.c - libmicrohttpd glue: connections come from listener.c,
 * requests are decided by dispatch.c.
 *
 * One request flows one way:
 *   uri_log (allocate struct req, start the clock)
 *   -> first handler call: dispatch_head (414, 431, route 404/405), then
 *      413 by Content-Length when the body is not worth reading
 *   -> body chunks: buffered up to max_body (read and thrown away past it)
 *   -> last call: dispatch_run (413, auth, 429, 415/400, the handler)
 *   -> completed: access-log line, free.
 * Every body, error or not, comes from dispatch.c. */
#include "server.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"
#include "ids.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"
#include "prom.h"
#include "ratelimit.h"
#include "timefmt.h"
#include "xalloc.h"

#define SRV_PATH_LOG_MAX 256
/* X-Request-Id: a client's is kept when it has 1..SRV_RID_MAX characters
 * of [A-Za-z0-9._:-]; otherwise one is made (24 hex digits). */
#define SRV_RID_MAX 128
/* The most of a body over --max-body that is read and thrown away so the
 * client can read its 413 (nginx's lingering close does the same). */
#define SRV_DISCARD_MAX (64 << 20)
/* GnuTLS priorities for --tls-cert: TLS 1.2 and 1.3, forward-secret key
 * exchange and AEAD ciphers only. */
#define SRV_TLS_PRIORITIES                                                                         \
    "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:"        \
    "+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-RSA:-DHE-RSA:-DHE-DSS"

struct server {
    struct MHD_Daemon *d;
    struct listener *lst;
    char *raw[3];           /* the listener's own answers: 408, 503, 429 */
    atomic_int draining;    /* stopping: /healthz 503, Connection: close */
    struct store *store;
    struct store *read_store;
    struct lcache *list_cache;
    struct ratelimit *limiter;  /* NULL when rate limiting is off */
    struct server_config cfg;
    atomic_int active;      /* requests between uri_log and completed */
    struct metrics *metrics;
    struct MHD_Daemon *md;  /* GET /metrics on cfg.metrics_listen, or NULL */
};

struct req {
    struct server *srv;
    int fd;                          /* the connection's socket */
    int64_t start_us;
    size_t raw_url_len;
    char path[SRV_PATH_LOG_MAX];     /* raw path, no query: for the log */
    char method[16];
    char rid[SRV_RID_MAX + 1];       /* X-Request-Id: the client's, or made */
    int seen_headers;
    struct dispatch_req head;        /* the route, from the headers */
    char *body;
    size_t body_len, body_cap;
    int too_large;
    size_t discarded;                /* body bytes read past max_body */
    int status;                      /* 0 until a response is queued */
    size_t bytes;
};

/* The console's pages (api_files.c) load only their own files and call only
 * this server; no inline script or style, no frames, no other origin. */
#define CONSOLE_CSP                                                                        \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "     \
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/* ---- responses ------------------------------------------------------------ */

/* Queues the answer out (taking its text) as the response. */
static enum MHD_Result srv_queue(struct MHD_Connection *conn, struct req *r,
                                 struct dispatch_out *out)
{
    char *text = out->text;
    out->text = NULL;
    if (!listener_respond(r->srv->lst, r->fd)) { /* answered 408 already */
        free(text);
        return MHD_NO;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(out->len, text, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            out->content_type ? out->content_type : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (out->content_type != NULL && strncmp(out->content_type, "text/html", 9) == 0)
        MHD_add_response_header(resp, "Content-Security-Policy", CONSOLE_CSP);
    if (out->allow[0] != '\0')
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, out->allow);
    if (atomic_load(&r->srv->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (r->rid[0] != '\0')
        MHD_add_response_header(resp, "X-Request-Id", r->rid);
    if (out->retry_after > 0) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", out->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)out->status, resp);
    MHD_destroy_response(resp);
    r->status = out->status;
    r->bytes = out->len;
    return ret;
}

/* Queues the error status msg (no field) as the response. */
static enum MHD_Result srv_fail(struct MHD_Connection *conn, struct req *r, int status,
                                const char *msg)
{
    struct dispatch_out out = {0};
    dispatch_fail(status, msg, &out);
    enum MHD_Result ret = srv_queue(conn, r, &out);
    dispatch_out_clear(&out);
    return ret;
}

/* ---- the request as dispatch.c reads it ----------------------------------- */

/* Adds a header's size on the wire to *cls (a size_t). */
static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    size_t *total = cls;
    *total += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
    return MHD_YES;
}

static const char *io_header(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static const char *io_query(void *conn, const char *key)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

/* Whether the query has key, even with no value ("?trigger"). */
static int io_has_query(void *conn, const char *key)
{
    const char *v = NULL;
    size_t len = 0;
    return MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, key, strlen(key), &v,
                                         &len) == MHD_YES;
}

struct each_arg {
    int (*fn)(void *arg, const char *key, const char *value);
    void *arg;
};

static enum MHD_Result each_one(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    const struct each_arg *a = cls;
    return a->fn(a->arg, key, value) == 0 ? MHD_YES : MHD_NO;
}

static void io_each_query(void *conn, int (*fn)(void *arg, const char *key, const char *value),
                          void *arg)
{
    struct each_arg a = {fn, arg};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, each_one, &a);
}

/* The dispatch view of connection conn carrying request r (header_bytes
 * is counted by srv_headers, the one step that reads it). */
static struct dispatch_io srv_io(struct MHD_Connection *conn, const struct req *r)
{
    return (struct dispatch_io){io_header, io_query,      io_has_query, io_each_query, 0,
                                r->raw_url_len, conn};
}

/* What every request of the server gets. */
static struct dispatch_env srv_env(struct server *srv)
{
    return (struct dispatch_env){srv->store, srv->read_store, srv->list_cache, srv->limiter,
                                 &srv->cfg.limits, atomic_load(&srv->draining),
                                 srv->cfg.callback_keys};
}

/* Parses a Content-Length value; -1 when absent or not a plain number. */
static long long content_length(const char *v)
{
    if (v == NULL || *v == '\0')
        return -1;
    long long n = 0;
    for (; *v; v++) {
        if (*v < '0' || *v > '9' || n > (1LL << 50))
            return -1;
        n = n * 10 + (*v - '0');
    }
    return n;
}

/* The request's id into r->rid: the client's X-Request-Id when sane, else
 * a new one. */
static void request_id(struct MHD_Connection *conn, struct req *r)
{
    const char *v = io_header(conn, "X-Request-Id");
    size_t n = v != NULL ? strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789._:-")
                         : 0;
    if (n > 0 && n <= SRV_RID_MAX && v[n] == '\0') {
        memcpy(r->rid, v, n + 1);
        return;
    }
    unsigned char b[12];
    ids_random(b, sizeof b);
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(r->rid + 2 * i, 3, "%02x", b[i]);
}

/* First call of a request: everything decidable from the headers alone. */
static enum MHD_Result srv_headers(struct MHD_Connection *conn, struct req *r, const char *url,
                                   const char *method)
{
    snprintf(r->method, sizeof r->method, "%s", method);
    request_id(conn, r);
    struct dispatch_env env = srv_env(r->srv);
    struct dispatch_io io = srv_io(conn, r);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &io.header_bytes);
    struct dispatch_out out = {0};
    if (dispatch_head(&env, &io, method, url, &r->head, &out) != 0) {
        enum MHD_Result ret = srv_queue(conn, r, &out);
        dispatch_out_clear(&out);
        return ret;
    }
    /* A body over the limit is answered at once when the client waits for
     * 100-continue, or when it is too big to read and throw away.  Else it
     * is read to its end and answered then: closing with the body unread
     * would reset the connection, and a client still sending would lose
     * the 413 to a broken pipe. */
    long long cl = content_length(io_header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH));
    if (cl > (long long)r->srv->cfg.limits.max_body) {
        const char *expect = io_header(conn, MHD_HTTP_HEADER_EXPECT);
        if ((expect != NULL && strcasecmp(expect, "100-continue") == 0) ||
            cl > (long long)SRV_DISCARD_MAX)
            return srv_fail(conn, r, 413, "The request body is too large");
        r->too_large = 1;
    }
    return MHD_YES;
}

/* Last call: the request is complete. */
static enum MHD_Result srv_dispatch(struct MHD_Connection *conn, struct req *r)
{
    if (!listener_handle(r->srv->lst, r->fd))
        return MHD_NO; /* past its deadline: answered 408 already */
    struct dispatch_env env = srv_env(r->srv);
    struct dispatch_io io = srv_io(conn, r);
    struct dispatch_out out = {0};
    dispatch_run(&env, &io, &r->head, r->body, r->body_len, r->too_large, &out);
    enum MHD_Result ret = srv_queue(conn, r, &out);
    dispatch_out_clear(&out);
    return ret;
}

static enum MHD_Result srv_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls;
    (void)version;
    struct req *r = *con_cls;
    if (r == NULL)       /* uri_log always runs first; be defensive */
        return MHD_NO;
    if (!r->seen_headers) {
        r->seen_headers = 1;
        return srv_headers(conn, r, url, method);
    }
    if (r->status != 0) {            /* answered early: discard the rest */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        const struct server_config *cfg = &r->srv->cfg;
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->too_large || r->body_len + n > cfg->limits.max_body) {
            r->too_large = 1;
            r->discarded += n;
            if (r->discarded <= SRV_DISCARD_MAX)
                return MHD_YES; /* answered 413 at its end */
            log_warn("request body over %d MiB; closing", SRV_DISCARD_MAX >> 20);
            return MHD_NO;
        }
        if (r->body_len + n > r->body_cap) {
            size_t cap = r->body_cap ? r->body_cap : 1024;
            while (cap < r->body_len + n)
                cap *= 2;
            if (cap > cfg->limits.max_body)
                cap = cfg->limits.max_body;
            r->body = xrealloc(r->body, cap);
            r->body_cap = cap;
        }
        memcpy(r->body + r->body_len, upload_data, n);
        r->body_len += n;
        return MHD_YES;
    }
    return srv_dispatch(conn, r);
}

/* Called once the request line is read, before any header: the request's
 * state starts here so that the raw URL length and the clock are known. */
static void *srv_uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *srv = cls;
    struct req *r = xcalloc(1, sizeof *r);
    r->srv = srv;
    r->start_us = timefmt_mono_us();
    r->raw_url_len = strlen(uri);
    size_t n = strcspn(uri, "?");
    snprintf(r->path, sizeof r->path, "%.*s", (int)(n < sizeof r->path ? n : sizeof r->path - 1),
             uri);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    r->fd = ci != NULL ? ci->connect_fd : -1;
    listener_request(srv->lst, r->fd);
    atomic_fetch_add(&srv->active, 1);
    return r;
}

static void srv_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                          enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct req *r = *con_cls;
    (void)conn;
    if (r == NULL)
        return;
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        listener_done(srv->lst, r->fd);
    int64_t took = timefmt_mono_us() - r->start_us;
    log_access(r->method[0] ? r->method : "-", r->path, r->status, r->bytes, took,
               r->rid[0] ? r->rid : "-");
    if (r->status != 0)
        metrics_request(srv->metrics, r->head.route, r->method, r->status, (double)took / 1e6);
    free(r->body);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->active, 1);
}

static void srv_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    log_warn("http: %s", line);
}

/* ---- lifecycle ------------------------------------------------------------ */

/* Splits "HOST:PORT" or "[V6]:PORT": the host into host[cap] and the port
 * (in listen), or NULL when listen has neither form. */
static const char *split_listen(const char *listen, char *host, size_t cap)
{
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (close == NULL || close[1] != ':')
            return NULL;
        snprintf(host, cap, "%.*s", (int)(close - listen - 1), listen + 1);
        return close + 2;
    }
    const char *colon = strrchr(listen, ':');
    if (colon == NULL)
        return NULL;
    snprintf(host, cap, "%.*s", (int)(colon - listen), listen);
    return colon + 1;
}

/* Resolves listen ("HOST:PORT" / "[V6]:PORT") numerically into ss: 0, or
 * -1 with e. */
static int srv_resolve(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                       struct apierr *e)
{
    char host[256];
    const char *port = split_listen(listen, host, sizeof host);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    if (port == NULL || getaddrinfo(host[0] ? host : NULL, port, &hints, &res) != 0 ||
        res == NULL) {
        apierr_set(e, 400, "Cannot listen on \"%s\": expected HOST:PORT", listen);
        return -1;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

/* A complete response the listener writes itself: the contract's error
 * body for status and msg, with Connection: close. */
static char *raw_response(int status, const char *msg)
{
    struct dispatch_out out = {0};
    dispatch_fail(status, msg, &out);
    size_t cap = out.len + 256;
    char *text = xmalloc(cap);
    snprintf(text, cap,
             "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n%s\r\n%s",
             status, MHD_get_reason_phrase_for((unsigned)status), out.len,
             status == 408 ? "" : "Retry-After: 1\r\n", out.text);
    dispatch_out_clear(&out);
    return text;
}

/* listener_add_fn: the listener's new connection, to libmicrohttpd. */
static int srv_add(void *cls, int fd, const struct sockaddr *sa, socklen_t len)
{
    struct server *s = cls;
    if (MHD_add_connection(s->d, fd, sa, len) == MHD_YES)
        return 0;
    log_warn("a connection could not be served (%s)", strerror(errno));
    return -1;
}

/* libmicrohttpd's connection notifications: the listener learns of each
 * close before the socket is closed. */
static void srv_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = (void *)(intptr_t)(ci != NULL ? ci->connect_fd + 1 : 0);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context != NULL) {
        listener_closed(s->lst, (int)(intptr_t)*socket_context - 1);
    }
}

static void srv_free(struct server *s)
{
    if (s->md != NULL)
        MHD_stop_daemon(s->md);
    metrics_free(s->metrics);
    listener_free(s->lst);
    for (int i = 0; i < 3; i++)
        free(s->raw[i]);
    ratelimit_free(s->limiter);
    lcache_free(s->list_cache);
    free(s);
}

/* GET /metrics on the metrics listener; anything else is a 404.  A body
 * is read and dropped. */
static enum MHD_Result srv_metrics(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version,
                                   const char *upload_data, size_t *upload_data_size,
                                   void **con_cls)
{
    struct server *s = cls;
    (void)version;
    (void)upload_data;
    if (*con_cls == NULL) {
        *con_cls = s;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    int ok = strcmp(url, "/metrics") == 0 &&
             (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
    size_t len;
    char *text = ok ? metrics_render(s->metrics, s->store, s->list_cache, s->cfg.runner_metrics,
                                     &len)
                    : xstrdup("Not found: the metrics are at GET /metrics\n");
    if (!ok)
        len = strlen(text);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            ok ? PROM_CONTENT_TYPE : "text/plain; charset=utf-8");
    enum MHD_Result ret = MHD_queue_response(conn, ok ? 200 : 404, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The metrics listener on cfg->metrics_listen: 0, or -1 with e. */
static int srv_metrics_listen(struct server *s, const struct server_config *cfg,
                              struct apierr *e)
{
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    if (srv_resolve(cfg->metrics_listen, &ss, &sslen, e) != 0)
        return -1;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->md = MHD_start_daemon(flags, 0, NULL, NULL, srv_metrics, s, MHD_OPTION_EXTERNAL_LOGGER,
                             srv_mhd_log, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                             MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_CONNECTION_TIMEOUT,
                             (unsigned)cfg->request_timeout_s, MHD_OPTION_END);
    if (s->md == NULL) {
        apierr_set(e, 500, "Cannot serve the metrics on %s: %s", cfg->metrics_listen,
                   strerror(errno));
        return -1;
    }
    return 0;
}

uint16_t server_metrics_port(const struct server *s)
{
    const union MHD_DaemonInfo *di =
        s->md != NULL ? MHD_get_daemon_info(s->md, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    return di != NULL ? di->port : 0;
}

/* The listener on cfg->listen: 0, or -1 with e. */
static int srv_listen(struct server *s, const struct server_config *cfg, struct apierr *e)
{
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    if (srv_resolve(cfg->listen, &ss, &sslen, e) != 0)
        return -1;
    if (cfg->tls_cert_pem == NULL) { /* over TLS the listener can only close */
        s->raw[0] = raw_response(408, "The request did not arrive in time");
        s->raw[1] = raw_response(503, "The server has too many connections; try again later");
        s->raw[2] = raw_response(429, "Too many connections from this address; try again later");
    }
    struct listener_config lc = {
        .max_conns = cfg->max_conns,
        .max_conns_per_ip = cfg->max_conns_per_ip,
        .request_timeout_s = cfg->request_timeout_s,
        .idle_timeout_s = cfg->idle_timeout_s,
        .resp_408 = s->raw[0], .resp_503 = s->raw[1], .resp_429 = s->raw[2],
    };
    s->lst = listener_open((struct sockaddr *)&ss, sslen, &lc);
    if (s->lst == NULL) {
        apierr_set(e, 500, "Cannot listen on %s: %s", cfg->listen, strerror(errno));
        return -1;
    }
    return 0;
}

struct server *server_start(const struct server_config *cfg, struct store *store,
                            struct store *read_store, struct apierr *e)
{
    struct server *s = xcalloc(1, sizeof *s);
    s->store = store;
    s->read_store = read_store;
    s->cfg = *cfg;
    s->list_cache = lcache_new(cfg->list_cache_bytes);
    if (cfg->rate_limit > 0)
        s->limiter = ratelimit_new(cfg->rate_limit,
                                   cfg->rate_burst > 0 ? cfg->rate_burst : cfg->rate_limit);
    atomic_init(&s->active, 0);
    atomic_init(&s->draining, 0);
    s->metrics = metrics_new();
    if (srv_listen(s, cfg, e) != 0 ||
        (cfg->metrics_listen != NULL && srv_metrics_listen(s, cfg, e) != 0)) {
        srv_free(s);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET;
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)(uintptr_t)cfg->tls_cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)cfg->tls_key_pem},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)(uintptr_t)SRV_TLS_PRIORITIES},
        {MHD_OPTION_END, 0, NULL},
    };
    if (cfg->tls_cert_pem != NULL) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            apierr_set(e, 500, "This libmicrohttpd was built without TLS");
            srv_free(s);
            return NULL;
        }
        flags |= MHD_USE_TLS;
    }
    size_t mem = cfg->limits.max_url + cfg->limits.max_headers + 32 * 1024;
    /* The listener enforces the connection limit; libmicrohttpd's, per
     * worker thread, only needs room for it (and for closing ones). */
    unsigned mhd_limit = (unsigned)cfg->max_conns * 2 + 64 * (unsigned)cfg->threads;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, srv_handle, s,
        MHD_OPTION_EXTERNAL_LOGGER, srv_mhd_log, s,   /* must come first */
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 1 ? cfg->threads : 0),
        MHD_OPTION_CONNECTION_LIMIT, mhd_limit,
        /* The listener keeps the deadlines; this is only a backstop. */
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(2 * (cfg->request_timeout_s +
                                                       cfg->idle_timeout_s)),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem,
        MHD_OPTION_URI_LOG_CALLBACK, srv_uri_log, s,
        MHD_OPTION_NOTIFY_COMPLETED, srv_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, srv_notify, s,
        MHD_OPTION_ARRAY, cfg->tls_cert_pem != NULL ? tls : &tls[3],
        MHD_OPTION_END);
    if (s->d == NULL || listener_start(s->lst, srv_add, s) != 0) {
        apierr_set(e, 500, "Cannot serve on %s%s", cfg->listen,
                   cfg->tls_cert_pem != NULL ? " (is the TLS certificate or key invalid?)" : "");
        if (s->d != NULL)
            MHD_stop_daemon(s->d);
        srv_free(s);
        return NULL;
    }
    return s;
}

uint16_t server_port(const struct server *s)
{
    return listener_port(s->lst);
}

/* Whether a request is anywhere between its first byte and its last. */
static int requests_open(struct server *s)
{
    return atomic_load(&s->active) > 0 || listener_busy(s->lst) > 0;
}

void server_stop(struct server *s, int drain_s, int inflight_s)
{
    atomic_store(&s->draining, 1);
    int64_t until = timefmt_mono_us() + (int64_t)drain_s * 1000000;
    struct timespec tick = {0, 10 * 1000 * 1000};
    while (timefmt_mono_us() < until)
        nanosleep(&tick, NULL);
    listener_stop_accepting(s->lst);
    until = timefmt_mono_us() + (int64_t)inflight_s * 1000000;
    while (requests_open(s) && timefmt_mono_us() < until)
        nanosleep(&tick, NULL);
    MHD_stop_daemon(s->d);
    srv_free(s);
}
