/* dispatch.c - see dispatch.h. */
#include "dispatch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "whsig.h"
#include "jsonio.h"
#include "ratelimit.h"
#include "text.h"
#include "timefmt.h"
#include "xalloc.h"

/* ---- answers -------------------------------------------------------------- */

/* body as the answer's text; a body that cannot be written is a 500. */
static void out_json(struct dispatch_out *out, int status, json_t *body)
{
    out->status = status;
    out->text = jsonio_dump(body, &out->len);
    if (out->text == NULL) {
        out->text = xstrdup("{\"status\":\"error\",\"message\":\"Internal error\",\"errors\":[]}");
        out->len = strlen(out->text);
        out->status = 500;
    }
}

void dispatch_error(const struct apierr *e, struct dispatch_out *out)
{
    json_t *body = apierr_body(e);
    out_json(out, e->status ? e->status : 500, body);
    json_decref(body);
    if (e->status == 405)
        memcpy(out->allow, e->allow, sizeof out->allow);
    if (e->status == 429)
        out->retry_after = e->retry_after;
}

void dispatch_fail(int status, const char *msg, struct dispatch_out *out)
{
    struct apierr e;
    apierr_init(&e);
    apierr_one(&e, status, NULL, msg);
    dispatch_error(&e, out);
    apierr_clear(&e);
}

void dispatch_out_clear(struct dispatch_out *out)
{
    free(out->text);
    memset(out, 0, sizeof *out);
}

/* ---- the head ------------------------------------------------------------- */

/* each_query's callback: a field error for a parameter that is not UTF-8. */
static int query_utf8(void *arg, const char *key, const char *value)
{
    struct apierr *e = arg;
    if (!text_utf8_valid(key)) {
        apierr_field(e, "query", "a parameter's name is not valid UTF-8 once decoded");
    } else if (value != NULL && !text_utf8_valid(value)) {
        char field[96];
        snprintf(field, sizeof field, "query.%.80s", key);
        apierr_field(e, field, "is not valid UTF-8 once decoded");
    }
    return 0;
}

/* A decoded path or query parameter that is not UTF-8 names nothing the API
 * stores (every stored text is UTF-8), and PostgreSQL refuses it as a
 * parameter: 400 naming each (contract §2).  0, or -1 with e. */
static int url_utf8(const struct dispatch_io *io, const char *url, struct apierr *e)
{
    if (!text_utf8_valid(url))
        apierr_field(e, "path", "is not valid UTF-8 once decoded");
    io->each_query(io->cls, query_utf8, e);
    if (apierr_count(e) == 0)
        return 0;
    apierr_set(e, 400, "The request URL is not valid UTF-8");
    return -1;
}

int dispatch_head(const struct dispatch_env *env, const struct dispatch_io *io,
                  const char *method, const char *url, struct dispatch_req *dr,
                  struct dispatch_out *out)
{
    memset(dr, 0, sizeof *dr);
    if (io->raw_url_len > env->limits->max_url) {
        dispatch_fail(414, "The request URL is too long", out);
        return -1;
    }
    if (io->header_bytes > env->limits->max_headers) {
        dispatch_fail(431, "The request headers are too large", out);
        return -1;
    }
    struct apierr e;
    struct api_call probe;
    apierr_init(&e);
    memset(&probe, 0, sizeof probe);
    dr->route = router_match(method, url, io->has_query, io->cls, &probe, &e);
    if (dr->route != NULL && url_utf8(io, url, &e) != 0)
        dr->route = NULL;
    if (dr->route == NULL)
        dispatch_error(&e, out);
    apierr_clear(&e);
    memcpy(dr->stream_id, probe.stream_id, sizeof dr->stream_id);
    memcpy(dr->object_id, probe.object_id, sizeof dr->object_id);
    return dr->route != NULL ? 0 : -1;
}

/* ---- the whole request ---------------------------------------------------- */

/* api_call's query(): through the carrier (call->conn is the io). */
static const char *call_query(const struct api_call *c, const char *key)
{
    const struct dispatch_io *io = c->conn;
    return io->query(io->cls, key);
}

/* The call the route's handler gets. */
static void call_init(struct api_call *call, const struct dispatch_env *env,
                      const struct dispatch_io *io, const struct dispatch_req *dr)
{
    memset(call, 0, sizeof *call);
    call->store = env->store;
    call->read_store = env->read_store ? env->read_store : env->store;
    call->list_cache = env->list_cache;
    call->limits = env->limits;
    memcpy(call->stream_id, dr->stream_id, sizeof call->stream_id);
    memcpy(call->object_id, dr->object_id, sizeof call->object_id);
    call->query = call_query;
    call->conn = (void *)(uintptr_t)io;
    call->draining = env->draining;
    apierr_init(&call->err);
}

/* Authentication (401, 400, 403), then the client's rate limit (429): 0
 * with call->tenant set, or -1 with call->err. */
static int admit(const struct dispatch_env *env, const struct dispatch_io *io,
                 struct api_call *call)
{
    struct auth_request ar = {
        .auth = io->header(io->cls, "auth"),
        .iid = io->header(io->cls, "iid"),
        .account_header = io->header(io->cls, "accountId"),
        .account_query = io->query(io->cls, "accountId"),
        .stream_path = call->stream_id,
        .now_s = timefmt_now_ms() / 1000,
    };
    int rc = auth_check(env->store, &ar, &call->tenant, &call->err);
    int wait;
    if (rc == 0 && env->limiter != NULL &&
        (wait = ratelimit_take(env->limiter, call->tenant.client_id, timefmt_mono_ms())) > 0) {
        apierr_one(&call->err, 429, NULL, "Too many requests; try again later");
        call->err.retry_after = wait;
        rc = -1;
    }
    return rc;
}

/* A signed route (execution spec §6): the three Standard Webhooks headers
 * over the body as it came, keyed by the webhook secret: 0, or -1 with a
 * 401 (a 404 when this server takes no callbacks). */
static int verify_signed(const struct dispatch_env *env, const struct dispatch_io *io,
                         const char *body, size_t len, struct api_call *call)
{
    if (env->callback_keys == NULL) {
        apierr_one(&call->err, 404, NULL,
                   "Outcome callbacks are taken only by a server started with --channel webhook");
        return -1;
    }
    switch (whsig_verify(env->callback_keys, io->header(io->cls, "webhook-id"),
                         io->header(io->cls, "webhook-timestamp"),
                         io->header(io->cls, "webhook-signature"), body ? body : "", len,
                         timefmt_now_ms() / 1000, WHSIG_TOLERANCE_S)) {
    case WHSIG_OK: return 0;
    case WHSIG_MISSING:
        apierr_one(&call->err, 401, "headers.webhook-signature",
                   "The webhook-id, webhook-timestamp and webhook-signature headers are required");
        break;
    case WHSIG_STALE:
        apierr_one(&call->err, 401, "headers.webhook-timestamp",
                   "webhook-timestamp must be Unix seconds within 300 s of the server's clock");
        break;
    case WHSIG_BAD:
        apierr_one(&call->err, 401, "headers.webhook-signature",
                   "No signature in webhook-signature matches the body under the webhook secret");
        break;
    }
    return -1;
}

/* contract.md §2: JSON (any parameters), form-urlencoded (curl --data's
 * default, parsed as JSON), or no Content-Type at all. */
static int content_type_ok(const char *ct)
{
    if (ct == NULL)
        return 1;
    size_t n = strcspn(ct, ";");
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    return (n == 16 && strncasecmp(ct, "application/json", n) == 0) ||
           (n == 33 && strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0);
}

/* Whether body holds anything but JSON whitespace. */
static int body_present(const char *body, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (body[i] != ' ' && body[i] != '\t' && body[i] != '\n' && body[i] != '\r')
            return 1;
    return 0;
}

/* Body framing (contract §2): 415, then a body that must be one JSON
 * object, parsed into call->body.  Routes without a body flag ignore the
 * body entirely.  0, or -1 with call->err. */
static int frame_body(const struct dispatch_env *env, const struct dispatch_io *io, int flags,
                      const char *body, size_t len, struct api_call *call)
{
    if (!((flags & ROUTE_BODY) || ((flags & ROUTE_BODY_OPT) && body_present(body, len))))
        return 0;
    if (!content_type_ok(io->header(io->cls, "Content-Type"))) {
        apierr_one(&call->err, 415, "headers.Content-Type",
                   "The body must be sent as application/json");
        return -1;
    }
    call->body = jsonio_parse_object(body ? body : "", len, env->limits->max_depth, &call->err);
    return call->body == NULL ? -1 : 0;
}

void dispatch_run(const struct dispatch_env *env, const struct dispatch_io *io,
                  const struct dispatch_req *dr, const char *body, size_t body_len,
                  int too_large, struct dispatch_out *out)
{
    struct api_call call;
    call_init(&call, env, io, dr);
    int rc = 0;
    if (too_large) {
        apierr_one(&call.err, 413, NULL, "The request body is too large");
        rc = -1;
    }
    if (rc == 0 && (dr->route->flags & ROUTE_AUTH))
        rc = admit(env, io, &call);
    if (rc == 0 && (dr->route->flags & ROUTE_SIGNED))
        rc = verify_signed(env, io, body, body_len, &call);
    if (rc == 0)
        rc = frame_body(env, io, dr->route->flags, body, body_len, &call);
    if (rc == 0)
        rc = dr->route->handler(&call);

    if (rc == 0 && call.response_text != NULL) {
        out->status = call.status;
        out->text = call.response_text;
        out->len = call.response_len;
        out->content_type = call.content_type;
    } else if (rc == 0) {
        out_json(out, call.status, call.response);
    } else {
        dispatch_error(&call.err, out);
    }
    json_decref(call.response);
    json_decref(call.body);
    apierr_clear(&call.err);
}
