/* channel_webhook.c - the webhook channel (execution spec §5.2): each
 * attempt is one HTTP POST, signed as Standard Webhooks says, made with
 * libcurl's multi interface so that up to WEBHOOK_PARALLEL go at once.
 *
 * A 2xx accepts the attempt (with its outcome when the body carries one);
 * a 408, 429, 5xx, connection error or time-out is a failed try, tried
 * again with the same id after 1, 2, 4, 8, 16 s (jitter added, a longer
 * Retry-After honoured) until the sixth fails (channelError); any other
 * answer is channelError at once.  While tries keep failing and nothing
 * succeeds, room() lets no new attempt out until a backoff has passed, and
 * then one, to probe: a gateway that is down is not flooded. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "channel.h"
#include "log.h"
#include "outcome.h"
#include "report.h"
#include "timefmt.h"
#include "xalloc.h"

#define ANSWER_MAX 65536 /* bytes of a gateway's answer kept; the rest is read and dropped */
#define RETRY_BASE_MS 1000
#define HOLD_MAX_MS 16000

struct webhook {
    struct channel ch; /* first: the ops */
    struct webhook_config cfg;
    char *url;
    CURLM *multi; /* kept: its connections are reused */
    uint64_t rng;
    int streak;         /* passes in a row that failed with nothing delivered */
    int64_t hold_until; /* clock ms: no new attempts before, while streak > 0 */
};

/* One request in flight. */
struct req {
    CURL *easy;
    struct curl_slist *headers;
    char *body;
    char *answer;
    size_t answer_len;
    char retry_after[64];
};

static uint64_t next_rand(struct webhook *w)
{
    /* xorshift64*: jitter only, no secrecy. */
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return w->rng * 2685821657736338717ULL;
}

/* ---- the request's body ---------------------------------------------------- */

static void put_str(json_t *o, const char *key, const char *v)
{
    if (v != NULL && *v != '\0')
        json_object_set_new(o, key, json_string(v));
}

json_t *webhook_payload(const struct store_attempt *a)
{
    const json_t *doc = a->campaign;
    const json_t *ds = json_object_get(doc, "dialingStrategy");
    json_t *o = json_object();
    put_str(o, "attemptId", a->id);
    json_object_set_new(o, "attempt", json_integer(a->n));
    put_str(o, "campaignId", a->campaign_id);
    put_str(o, "campaignInstanceId", a->instance_id);
    put_str(o, "campaignType", campaign_type_name(a->type));
    put_str(o, "accountId", a->account_id);
    put_str(o, "streamId", a->stream_id);
    put_str(o, "phoneNumber", a->phone);
    put_str(o, "uniqueId", a->unique_id);
    put_str(o, "timeZone", a->tz);
    put_str(o, "callerId",
            json_string_value(json_object_get(json_object_get(ds, "callerId"), "phoneNumber")));
    if (a->type == CTYPE_VOICE) {
        put_str(o, "dialingMode", campaign_mode_name(a->mode));
        put_str(o, "queue", json_string_value(json_object_get(doc, "connection")));
        put_str(o, "experienceFlow", json_string_value(json_object_get(doc, "experienceFlow")));
        put_str(o, "enableMachineDetect",
                json_string_value(json_object_get(doc, "enableMachineDetect")));
        json_t *ring = json_object_get(ds, "maxRingTime");
        json_object_set_new(o, "maxRingTime",
                            json_integer(json_is_integer(ring) ? json_integer_value(ring) : 30));
    } else {
        put_str(o, "experienceFlow", json_string_value(json_object_get(doc, "experienceFlow")));
        const json_t *m = json_object_get(doc, "message");
        if (json_is_object(m)) {
            json_t *msg = json_object();
            put_str(msg, "message", json_string_value(json_object_get(m, "message")));
            put_str(msg, "templateId", json_string_value(json_object_get(m, "templateId")));
            json_object_set_new(o, "message", msg);
        }
        put_str(o, "format", json_string_value(json_object_get(doc, "format")));
    }
    char sent[TIMEFMT_LEN + 1];
    timefmt_format(a->created_at, sent);
    put_str(o, "sentAt", sent);
    return o;
}

/* ---- what an answer means -------------------------------------------------- */

/* Retry-After as seconds from now: delta-seconds or an HTTP date; -1 when
 * absent or unreadable. */
static int64_t retry_after_s(const char *v, int64_t now_unix_s)
{
    if (v == NULL || *v == '\0')
        return -1;
    size_t n = strlen(v);
    if (strspn(v, "0123456789") == n)
        return n > 9 ? WEBHOOK_RETRY_AFTER_MAX : strtoll(v, NULL, 10);
    time_t t = curl_getdate(v, NULL);
    return t < 0 ? -1 : t <= now_unix_s ? 0 : (int64_t)t - now_unix_s;
}

int webhook_answer(long status, const char *body, size_t len, const char *retry_after,
                   int64_t now_unix_s, int tries, enum ctype type, struct channel_result *out)
{
    memset(out, 0, sizeof *out);
    out->outcome = -1;
    if (status >= 200 && status <= 299) {
        out->kind = CH_ACCEPTED;
        json_t *j = len > 0 ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
        if (json_is_object(j) && json_object_get(j, "outcome") != NULL) {
            struct apierr e;
            struct report r;
            apierr_init(&e);
            int valid = report_parse(j, &r, &e) == 0;
            if (valid && outcome_reportable((enum outcome)r.outcome, type)) {
                out->outcome = r.outcome;
                out->detail = r.detail;
            } else if (valid) {
                log_warn("webhook: a 2xx answer reports %s, not an outcome of a %s campaign; the "
                         "attempt waits for its callback",
                         outcome_name((enum outcome)r.outcome), campaign_type_name(type));
                report_clear(&r);
            } else {
                const char *msg =
                    json_string_value(json_object_get(json_array_get(e.errors, 0), "msg"));
                log_warn("webhook: a 2xx answer's report is not valid (%s); the attempt waits "
                         "for its callback",
                         msg ? msg : "?");
            }
            apierr_clear(&e);
        }
        json_decref(j);
        return 0;
    }
    if (status == 0 || status == 408 || status == 429 || (status >= 500 && status <= 599)) {
        if (tries + 1 >= WEBHOOK_TRIES) {
            out->kind = CH_REJECTED;
            return 1;
        }
        out->kind = CH_RETRY;
        out->at = (int64_t)RETRY_BASE_MS << tries;
        int64_t asked = retry_after_s(retry_after, now_unix_s);
        if (asked > WEBHOOK_RETRY_AFTER_MAX)
            asked = WEBHOOK_RETRY_AFTER_MAX;
        if (asked * 1000 > out->at)
            out->at = asked * 1000;
        return 1;
    }
    out->kind = CH_REJECTED;
    return 0;
}

/* ---- sending ---------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
    struct req *q = arg;
    size_t n = size * nmemb, keep = n;
    if (q->answer_len + keep > ANSWER_MAX)
        keep = ANSWER_MAX - q->answer_len;
    if (keep > 0) {
        q->answer = xrealloc(q->answer, q->answer_len + keep + 1);
        memcpy(q->answer + q->answer_len, p, keep);
        q->answer_len += keep;
        q->answer[q->answer_len] = '\0';
    }
    return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *arg)
{
    struct req *q = arg;
    size_t n = size * nmemb;
    static const char name[] = "retry-after:";
    if (n > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0) {
        size_t i = sizeof name - 1, end = n;
        while (i < end && (p[i] == ' ' || p[i] == '\t'))
            i++;
        while (end > i && (p[end - 1] == '\r' || p[end - 1] == '\n' || p[end - 1] == ' '))
            end--;
        size_t len = end - i < sizeof q->retry_after - 1 ? end - i : sizeof q->retry_after - 1;
        memcpy(q->retry_after, p + i, len);
        q->retry_after[len] = '\0';
    }
    return n;
}

static struct curl_slist *add_header(struct curl_slist *l, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = xmalloc(n);
    snprintf(line, n, "%s: %s", name, value);
    l = curl_slist_append(l, line);
    free(line);
    return l;
}

/* Prepares the signed request of attempt a, timestamped ts (Unix s). */
static void req_init(struct webhook *w, struct req *q, const struct store_attempt *a, int64_t ts)
{
    memset(q, 0, sizeof q[0]);
    json_t *payload = webhook_payload(a);
    q->body = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    char sig[WHSIG_HEADER_MAX + 1], tss[24];
    size_t len = strlen(q->body);
    whsig_sign(&w->cfg.keys, a->id, ts, q->body, len, sig);
    snprintf(tss, sizeof tss, "%lld", (long long)ts);
    q->headers = add_header(NULL, "Content-Type", "application/json");
    q->headers = add_header(q->headers, "webhook-id", a->id);
    q->headers = add_header(q->headers, "webhook-timestamp", tss);
    q->headers = add_header(q->headers, "webhook-signature", sig);
    q->headers = add_header(q->headers, "Idempotency-Key", a->id);
    q->headers = curl_slist_append(q->headers, "Expect:");
    CURL *e = q->easy = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, w->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, q->headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, q->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)len);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)w->cfg.timeout_ms);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "campaignd-webhook");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, q);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, q);
    curl_easy_setopt(e, CURLOPT_PRIVATE, q);
}

static void req_clear(struct req *q)
{
    curl_easy_cleanup(q->easy);
    curl_slist_free_all(q->headers);
    free(q->body);
    free(q->answer);
}

/* The attempt timeout of a (§5.2), clock ms. */
static int64_t attempt_timeout(const struct webhook *w, const struct store_attempt *a)
{
    if (w->cfg.attempt_timeout_ms > 0)
        return w->cfg.attempt_timeout_ms;
    if (a->type == CTYPE_SMS)
        return 300000;
    json_t *ring = json_object_get(json_object_get(a->campaign, "dialingStrategy"), "maxRingTime");
    return ((json_is_integer(ring) ? json_integer_value(ring) : 30) + 60) * 1000;
}

/* Turns the delays webhook_answer gave into clock times: a try again after
 * its backoff plus up to a quarter of jitter, an accepted attempt's
 * outcome now or its timeout, a channelError now. */
static void answer_at(struct webhook *w, const struct store_attempt *a, int64_t now,
                      struct channel_result *out)
{
    if (out->kind == CH_RETRY)
        out->at = now + out->at + (int64_t)(next_rand(w) % (uint64_t)(out->at / 4 + 1));
    else if (out->kind == CH_ACCEPTED && out->outcome < 0)
        out->at = now + attempt_timeout(w, a);
    else
        out->at = now;
}

/* Sends a[0..n) (n <= WEBHOOK_PARALLEL) at once; counts failed tries and
 * answers that reached a gateway. */
static void send_some(struct webhook *w, const struct store_attempt *a, size_t n, int64_t now,
                      struct channel_result *out, int *failed, int *reached)
{
    struct req q[WEBHOOK_PARALLEL];
    for (size_t i = 0; i < n; i++) {
        req_init(w, &q[i], &a[i], now / 1000);
        curl_multi_add_handle(w->multi, q[i].easy);
    }
    int running = 1;
    while (running > 0) {
        if (curl_multi_perform(w->multi, &running) != CURLM_OK)
            break;
        if (running > 0)
            curl_multi_poll(w->multi, NULL, 0, 1000, NULL);
    }
    long first_status = -1;
    const char *first_error = NULL;
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(w->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct req *r = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        size_t i = (size_t)(r - q);
        long status = 0;
        if (m->data.result == CURLE_OK)
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        else if (first_error == NULL)
            first_error = curl_easy_strerror(m->data.result);
        int bad = webhook_answer(status, r->answer, r->answer_len, r->retry_after,
                                 (int64_t)time(NULL), a[i].tries, a[i].type, &out[i]);
        if (bad && first_status < 0)
            first_status = status;
        *failed += bad;
        *reached += !bad;
        answer_at(w, &a[i], now, &out[i]);
    }
    if (first_status == 0)
        log_warn("webhook: %d of %zu requests failed (%s)", *failed, n,
                 first_error ? first_error : "no answer");
    else if (first_status > 0)
        log_warn("webhook: %d of %zu requests failed (HTTP %ld)", *failed, n, first_status);
    for (size_t i = 0; i < n; i++) {
        curl_multi_remove_handle(w->multi, q[i].easy);
        req_clear(&q[i]);
    }
}

static void wh_send(struct channel *ch, const struct store_attempt *a, size_t n, int64_t now,
                    struct channel_result *out)
{
    struct webhook *w = (struct webhook *)ch;
    int failed = 0, reached = 0;
    for (size_t i = 0; i < n; i++) {
        /* An answer that never came (the loop broke) is a failed try. */
        webhook_answer(0, NULL, 0, NULL, 0, a[i].tries, a[i].type, &out[i]);
        answer_at(w, &a[i], now, &out[i]);
    }
    for (size_t i = 0; i < n; i += WEBHOOK_PARALLEL)
        send_some(w, a + i, n - i < WEBHOOK_PARALLEL ? n - i : WEBHOOK_PARALLEL, now, out + i,
                  &failed, &reached);
    if (reached > 0) {
        if (w->streak > 0)
            log_info("webhook: the gateway answers again");
        w->streak = 0;
    } else if (failed > 0) {
        w->streak++;
        int64_t hold = (int64_t)RETRY_BASE_MS << (w->streak < 5 ? w->streak - 1 : 4);
        w->hold_until = now + (hold < HOLD_MAX_MS ? hold : HOLD_MAX_MS);
    }
}

static int wh_room(struct channel *ch, int64_t now)
{
    struct webhook *w = (struct webhook *)ch;
    if (w->streak == 0)
        return WEBHOOK_PARALLEL;
    return now < w->hold_until ? 0 : 1;
}

static void wh_close(struct channel *ch)
{
    struct webhook *w = (struct webhook *)ch;
    curl_multi_cleanup(w->multi);
    free(w->url);
    free(w);
    curl_global_cleanup();
}

struct channel *channel_webhook_open(const struct webhook_config *cfg)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_error("webhook: libcurl cannot be initialised");
        return NULL;
    }
    struct webhook *w = xcalloc(1, sizeof *w);
    w->ch.name = "webhook";
    w->ch.batch = WEBHOOK_PARALLEL;
    w->ch.send = wh_send;
    w->ch.room = wh_room;
    w->ch.close = wh_close;
    w->cfg = *cfg;
    w->url = xstrdup(cfg->url);
    w->cfg.url = w->url;
    w->rng = cfg->seed * 0x9E3779B97F4A7C15ULL | 1;
    if ((w->multi = curl_multi_init()) == NULL) {
        log_error("webhook: libcurl cannot be initialised");
        free(w->url);
        free(w);
        curl_global_cleanup();
        return NULL;
    }
    return &w->ch;
}
