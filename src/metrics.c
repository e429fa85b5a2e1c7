/* metrics.c - see metrics.h.  Counters are atomics in fixed arrays (one
 * slot per route and status class), so a request only adds; a scrape reads
 * them all.  Label values come from fixed sets: a route's template, its
 * method, one of the statuses below (others count as their class, "2xx"
 * and so on). */
#include "metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lcache.h"
#include "outcome.h"
#include "prom.h"
#include "runner.h"
#include "store.h"
#include "version.h"
#include "xalloc.h"

static const int codes[] = {200, 201, 400, 401, 403, 404, 405, 408,
                            409, 413, 414, 415, 429, 431, 500, 503};
#define NCODES (sizeof codes / sizeof codes[0] + 5) /* and 1xx..5xx for the rest */
static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "other"};
#define NMETHODS 5

struct metrics {
    size_t nroutes, nslots;  /* slots: the routes, then "none" by method */
    _Atomic uint64_t *count; /* [nslots][NCODES] */
    struct prom_hist *dur;   /* [nslots] */
    _Atomic uint64_t rate_limited;
    double started; /* Unix seconds, when the server started */
};

struct metrics *metrics_new(void)
{
    struct metrics *m = xcalloc(1, sizeof *m);
    m->nroutes = router_size();
    m->nslots = m->nroutes + NMETHODS;
    m->count = xcalloc(m->nslots * NCODES, sizeof *m->count);
    m->dur = xcalloc(m->nslots, sizeof *m->dur);
    for (size_t i = 0; i < m->nslots * NCODES; i++)
        atomic_init(&m->count[i], 0);
    for (size_t i = 0; i < m->nslots; i++)
        prom_hist_init(&m->dur[i], prom_latency_bounds, prom_latency_n);
    atomic_init(&m->rate_limited, 0);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    m->started = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    return m;
}

void metrics_free(struct metrics *m)
{
    if (m == NULL)
        return;
    free(m->count);
    free(m->dur);
    free(m);
}

static size_t code_slot(int status)
{
    for (size_t i = 0; i < NCODES - 5; i++)
        if (codes[i] == status)
            return i;
    int cls = status / 100;
    return NCODES - 5 + (size_t)(cls >= 1 && cls <= 5 ? cls - 1 : 4);
}

static void code_name(size_t slot, char out[8])
{
    if (slot < NCODES - 5)
        snprintf(out, 8, "%d", codes[slot]);
    else
        snprintf(out, 8, "%zuxx", slot - (NCODES - 5) + 1);
}

void metrics_request(struct metrics *m, const struct route *r, const char *method, int status,
                     double seconds)
{
    if (m == NULL)
        return;
    size_t slot;
    if (r != NULL) {
        slot = router_index(r);
    } else {
        size_t k = NMETHODS - 1;
        for (size_t i = 0; i + 1 < NMETHODS; i++)
            if (method != NULL && strcmp(method, methods[i]) == 0)
                k = i;
        slot = m->nroutes + k;
    }
    atomic_fetch_add_explicit(&m->count[slot * NCODES + code_slot(status)], 1,
                              memory_order_relaxed);
    prom_hist_observe(&m->dur[slot], seconds);
    if (status == 429 && r != NULL)
        atomic_fetch_add_explicit(&m->rate_limited, 1, memory_order_relaxed);
}

/* The route and method labels of slot i. */
static void slot_labels(const struct metrics *m, size_t i, const char **route, const char **method)
{
    if (i < m->nroutes) {
        *route = router_at(i)->pattern;
        *method = router_at(i)->method;
    } else {
        *route = "none";
        *method = methods[i - m->nroutes];
    }
}

static void render_requests(struct jbuf *b, struct metrics *m)
{
    prom_family(b, "campaignd_http_requests_total",
                "HTTP requests answered, by route template, method and status.", "counter");
    for (size_t i = 0; i < m->nslots; i++)
        for (size_t k = 0; k < NCODES; k++) {
            uint64_t n = atomic_load_explicit(&m->count[i * NCODES + k], memory_order_relaxed);
            if (n == 0)
                continue;
            const char *route, *method;
            char code[8];
            slot_labels(m, i, &route, &method);
            code_name(k, code);
            prom_sample(b, "campaignd_http_requests_total",
                        (const char *const[]){"route", route, "method", method, "code", code, NULL},
                        (double)n);
        }
    prom_family(b, "campaignd_http_request_duration_seconds",
                "Time from a request's first byte to its answer, by route template and method.",
                "histogram");
    for (size_t i = 0; i < m->nslots; i++) {
        uint64_t any = 0;
        for (int k = 0; k <= m->dur[i].n; k++)
            any += atomic_load_explicit(&m->dur[i].count[k], memory_order_relaxed);
        if (any == 0)
            continue;
        const char *route, *method;
        slot_labels(m, i, &route, &method);
        prom_hist_write(b, "campaignd_http_request_duration_seconds",
                        (const char *const[]){"route", route, "method", method, NULL}, &m->dur[i]);
    }
    prom_family(b, "campaignd_rate_limit_rejections_total",
                "Requests answered 429 by the per-client rate limit.", "counter");
    prom_sample(b, "campaignd_rate_limit_rejections_total", NULL,
                (double)atomic_load(&m->rate_limited));
}

static void render_runner(struct jbuf *b, const struct runner_metrics *rm)
{
    prom_family(b, "campaignd_runner_running_campaigns",
                "Open runs of Active campaigns the runner's last pass saw (at most 64).", "gauge");
    prom_sample(b, "campaignd_runner_running_campaigns", NULL, (double)atomic_load(&rm->running));
    prom_family(b, "campaignd_runner_attempts_total",
                "Attempts handed to the channel by this node, tries again included.", "counter");
    prom_sample(b, "campaignd_runner_attempts_total", NULL, (double)atomic_load(&rm->attempts));
    prom_family(b, "campaignd_runner_channel_failures_total",
                "Attempts the channel did not deliver (to be tried again, or channelError).",
                "counter");
    prom_sample(b, "campaignd_runner_channel_failures_total", NULL,
                (double)atomic_load(&rm->failures));
    prom_family(b, "campaignd_runner_outcomes_total", "Outcomes applied by this node, by outcome.",
                "counter");
    for (int i = 0; i < OUT_COUNT; i++)
        prom_sample(b, "campaignd_runner_outcomes_total",
                    (const char *const[]){"outcome", outcome_name((enum outcome)i), NULL},
                    (double)atomic_load(&rm->outcomes[i]));
    prom_family(b, "campaignd_runner_schedule_lateness_seconds",
                "From a schedule's occurrence to the start of its run, in clock seconds.",
                "histogram");
    prom_hist_write(b, "campaignd_runner_schedule_lateness_seconds", NULL, &rm->lateness);
}

char *metrics_render(struct metrics *m, struct store *s, struct lcache *cache,
                     const struct runner_metrics *rm, size_t *len)
{
    struct jbuf b = {NULL, 0, 0};
    prom_family(&b, "campaignd_build_info", "The running build: 1, with its version.", "gauge");
    prom_sample(&b, "campaignd_build_info",
                (const char *const[]){"version", CAMPAIGND_VERSION, NULL}, 1);
    render_requests(&b, m);
    int size = 0, idle = 0;
    store_pool(s, &size, &idle);
    prom_family(&b, "campaignd_store_connections", "The store's connection pool, by state.",
                "gauge");
    prom_sample(&b, "campaignd_store_connections", (const char *const[]){"state", "idle", NULL},
                idle);
    prom_sample(&b, "campaignd_store_connections", (const char *const[]){"state", "busy", NULL},
                size - idle);
    struct lcache_stats st = {0};
    lcache_stats(cache, &st);
    prom_family(&b, "campaignd_listing_cache_requests_total",
                "Get All Campaigns pages looked up in the listing cache, by result.", "counter");
    prom_sample(&b, "campaignd_listing_cache_requests_total",
                (const char *const[]){"result", "hit", NULL}, (double)st.hits);
    prom_sample(&b, "campaignd_listing_cache_requests_total",
                (const char *const[]){"result", "miss", NULL}, (double)st.misses);
    prom_family(&b, "campaignd_listing_cache_bytes", "Bytes the listing cache holds.", "gauge");
    prom_sample(&b, "campaignd_listing_cache_bytes", NULL, (double)st.bytes);
    prom_family(&b, "campaignd_store_query_duration_seconds",
                "Store calls of the request threads, from waiting for a connection to giving it "
                "back (their queries and transaction).",
                "histogram");
    prom_hist_write(&b, "campaignd_store_query_duration_seconds", NULL, store_calls(s));
    if (rm != NULL)
        render_runner(&b, rm);
    prom_process(&b, m->started);
    return jbuf_finish(&b, len);
}
