/* fuzz_request.c - the whole request path in process: bytes -> method, URL
 * (path and query), headers and body -> dispatch_head -> dispatch_run ->
 * routing, authentication, validation and every handler, against a store on
 * an in-memory SQLite database holding one tenant.
 *
 * The input is an HTTP request without the version:
 *   METHOD URL\n
 *   Name: value\n ...
 *   \n
 *   body
 * In the URL and header values, "@T" becomes a valid token of the tenant's
 * client, "@S" its streamId and "@A" its accountId, so that inputs get past
 * authentication and into the handlers.  The query string is split and
 * percent-decoded as libmicrohttpd does.
 *
 * Aborts when: an answer is a 500 or 503 (the in-memory store never fails);
 * its body is not a JSON object (a built-in file of the console: not a 200,
 * or typed as JSON); an error body is not exactly
 * {status:"error", message, errors:[...]}; a 405 has no Allow, a 429 no
 * Retry-After. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "dispatch.h"
#include "lcache.h"
#include "store.h"
#include "whsig.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HEADERS 32
#define MAX_QUERY 32
#define RESET_EVERY 5000 /* a fresh database now and then: memory stays bounded */

struct pair {
    char *key, *value;
};

struct fuzz_req {
    struct pair headers[MAX_HEADERS], query[MAX_QUERY];
    int nheaders, nquery;
    size_t header_bytes;
};

static struct store *st;
static struct lcache *cache;
static struct store_creds creds;
static char *token;
static unsigned runs;
static const struct api_limits limits = {.max_body = 1048576, .max_headers = 16384,
                                         .max_url = 16384, .max_depth = 32,
                                         .max_contacts = 1000};

static void setup(void)
{
    if (st != NULL && runs % RESET_EVERY != 0)
        return;
    if (st != NULL) {
        store_close(st);
        lcache_free(cache);
        free(token);
        auth_cache_clear();
    }
    struct store_err e = STORE_ERR_INIT;
    st = store_open(":memory:", 1, &e);
    if (st == NULL || store_app_create(st, "fuzzacct", NULL, "fuzz", "campaign-management",
                                       &creds, &e) != STORE_OK)
        abort();
    store_err_clear(&e);
    cache = lcache_new(1 << 20);
    token = auth_sign_token(creds.client_id, creds.secret, (int64_t)time(NULL), 0);
    if (token == NULL)
        abort();
}

/* s with @T, @S and @A replaced (caller frees). */
static char *expand(const char *s, size_t len)
{
    size_t cap = len + 1, n = 0;
    char *out = xmalloc(cap);
    for (size_t i = 0; i < len; i++) {
        const char *sub = NULL;
        if (s[i] == '@' && i + 1 < len)
            sub = s[i + 1] == 'T' ? token : s[i + 1] == 'S' ? creds.stream_id
                                        : s[i + 1] == 'A' ? creds.account_id : NULL;
        size_t add = sub ? strlen(sub) : 1;
        if (n + add + 1 > cap) {
            cap = (n + add + 1) * 2;
            out = xrealloc(out, cap);
        }
        if (sub != NULL) {
            memcpy(out + n, sub, add);
            i++;
        } else {
            out[n] = s[i];
        }
        n += add;
    }
    out[n] = '\0';
    return out;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decodes s in place ('+' is a space in the query only). */
static void unescape(char *s, int plus)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
            *w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
            r += 2;
        } else {
            *w++ = plus && *r == '+' ? ' ' : *r;
        }
    }
    *w = '\0';
}

/* Splits the query (after '?') into q's pairs, decoded. */
static void split_query(struct fuzz_req *q, char *query)
{
    for (char *tok = query; tok != NULL && q->nquery < MAX_QUERY;) {
        char *amp = strchr(tok, '&');
        if (amp != NULL)
            *amp = '\0';
        if (*tok != '\0') {
            char *eq = strchr(tok, '=');
            if (eq != NULL)
                *eq = '\0';
            unescape(tok, 1);
            q->query[q->nquery].key = xstrdup(tok);
            if (eq != NULL)
                unescape(eq + 1, 1);
            q->query[q->nquery++].value = eq ? xstrdup(eq + 1) : NULL;
        }
        tok = amp ? amp + 1 : NULL;
    }
}

static const struct pair *find(const struct pair *p, int n, const char *key, int nocase)
{
    for (int i = 0; i < n; i++)
        if ((nocase ? strcasecmp(p[i].key, key) : strcmp(p[i].key, key)) == 0)
            return &p[i];
    return NULL;
}

static const char *io_header(void *cls, const char *name)
{
    const struct fuzz_req *q = cls;
    const struct pair *p = find(q->headers, q->nheaders, name, 1);
    return p ? p->value : NULL;
}

static const char *io_query(void *cls, const char *key)
{
    const struct fuzz_req *q = cls;
    const struct pair *p = find(q->query, q->nquery, key, 0);
    return p ? (p->value ? p->value : "") : NULL;
}

static int io_has_query(void *cls, const char *key)
{
    const struct fuzz_req *q = cls;
    return find(q->query, q->nquery, key, 0) != NULL;
}

/* Says which answer broke an invariant, then aborts. */
static void fail(const struct dispatch_out *out, const char *why)
{
    fprintf(stderr, "fuzz_request: %s: status %d, body %.*s\n", why, out->status,
            out->text ? (int)(out->len < 2000 ? out->len : 2000) : 0, out->text ? out->text : "");
    abort();
}

static void io_each_query(void *cls, int (*fn)(void *arg, const char *key, const char *value),
                          void *arg)
{
    const struct fuzz_req *q = cls;
    for (int i = 0; i < q->nquery && fn(arg, q->query[i].key, q->query[i].value) == 0; i++)
        ;
}

/* The answer's invariants (see the top). */
static void check(const struct dispatch_out *out)
{
    if (out->status == 500 || out->status == 503 || out->status < 200 || out->text == NULL)
        fail(out, "an answer the in-memory store should never give");
    if (out->content_type != NULL) { /* a built-in file: the console's pages */
        if (out->status != 200 || strncmp(out->content_type, "application/json", 16) == 0)
            fail(out, "a file answer that is an error or claims to be JSON");
        return;
    }
    json_t *body = json_loadb(out->text, out->len, 0, NULL);
    if (!json_is_object(body))
        fail(out, "not a JSON object");
    if (out->status >= 400) {
        const char *msg = json_string_value(json_object_get(body, "message"));
        const char *status = json_string_value(json_object_get(body, "status"));
        if (json_object_size(body) != 3 || status == NULL || strcmp(status, "error") != 0 ||
            msg == NULL || msg[0] == '\0' || !json_is_array(json_object_get(body, "errors")))
            fail(out, "not the contract's error body");
    }
    if ((out->status == 405 && out->allow[0] == '\0') ||
        (out->status == 429 && out->retry_after <= 0))
        fail(out, "a 405 without Allow or a 429 without Retry-After");
    json_decref(body);
}

/* Splits text into the request line, headers and body, and runs it. */
static void run(char *text, size_t len)
{
    struct fuzz_req q = {0};
    char *nl = memchr(text, '\n', len);
    char *line = text, *rest = nl ? nl + 1 : text + len;
    if (nl != NULL)
        *nl = '\0';
    char *sp = strchr(line, ' ');
    if (sp == NULL)
        return;
    *sp = '\0';
    const char *method = line;
    char *url = sp + 1;
    size_t raw_url_len = strlen(url);
    char *end = text + len, *p = rest;
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        *eol = '\0';
        char *colon = strchr(p, ':');
        if (p == eol) {
            p = eol + 1;
            break; /* the empty line: the body follows */
        }
        if (colon != NULL && q.nheaders < MAX_HEADERS) {
            *colon = '\0';
            const char *v = colon + 1;
            v += strspn(v, " \t");
            q.headers[q.nheaders].key = xstrdup(p);
            q.headers[q.nheaders++].value = expand(v, strlen(v));
            q.header_bytes += strlen(p) + strlen(v) + 4;
        }
        p = eol + 1;
    }
    const char *body = p < end ? p : "";
    size_t body_len = p < end ? (size_t)(end - p) : 0;
    char *query = strchr(url, '?');
    if (query != NULL)
        *query++ = '\0';
    unescape(url, 0);
    split_query(&q, query);

    /* The outcome callback answers as on a webhook server: its signature
     * check (a 401 for any signature an input can carry) comes first. */
    static struct whsig keys;
    if (keys.n == 0 && whsig_add(&keys, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") != 0)
        abort();
    struct dispatch_env env = {st, NULL, cache, NULL, &limits, 0, &keys};
    struct dispatch_io io = {io_header,      io_query,    io_has_query, io_each_query,
                             q.header_bytes, raw_url_len, &q};
    struct dispatch_req dr;
    struct dispatch_out out = {0};
    if (dispatch_head(&env, &io, method, url, &dr, &out) == 0)
        dispatch_run(&env, &io, &dr, body, body_len, body_len > limits.max_body, &out);
    check(&out);
    dispatch_out_clear(&out);
    for (int i = 0; i < q.nheaders; i++) {
        free(q.headers[i].key);
        free(q.headers[i].value);
    }
    for (int i = 0; i < q.nquery; i++) {
        free(q.query[i].key);
        free(q.query[i].value);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (2u << 20))
        return 0;
    setup();
    runs++;
    char *line_end = memchr(data, '\n', size);
    size_t first = line_end ? (size_t)(line_end - (const char *)data) : size;
    /* the request line may name the tenant too */
    char *head = expand((const char *)data, first);
    size_t hl = strlen(head), total = hl + (size - first);
    char *text = xmalloc(total + 1);
    memcpy(text, head, hl);
    memcpy(text + hl, data + first, size - first);
    text[total] = '\0';
    free(head);
    run(text, total);
    free(text);
    return 0;
}
