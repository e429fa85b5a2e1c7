/* runner.c - see runner.h. */
#include "runner.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lifecycle.h"
#include "log.h"
#include "outcome.h"
#include "timefmt.h"
#include "xalloc.h"

#define RUNNER_BATCH 64 /* campaigns looked at per statement */
#define RUNNER_POLL_MS                                                                             \
    100                        /* real time between passes at most: writes of                      \
                                  other nodes and of the API are seen this soon */
#define RUNNER_BACKOFF_MS 1000 /* after a failed pass */
#define RUNNER_NICE 5 /* when requests and the runner both want a core, requests
                         get it first (execution spec §8) */

#define RUNNER_CLAIM STORE_CLAIM_MAX /* attempts claimed per run and pass at most */

struct runner {
    struct store *store;
    struct channel *channel;
    struct runner_config cfg;
    int64_t boot; /* clock time at start */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    struct runner_metrics own, *m; /* m: the caller's, or own */
};

void runner_metrics_init(struct runner_metrics *m)
{
    memset(m, 0, sizeof *m);
    prom_hist_init(&m->lateness, prom_latency_bounds, prom_latency_n);
}

struct fire_arg {
    int64_t now, boot, grace;
    enum lc_fire what;
    int64_t occ;
};

/* The write of one due campaign: refused (nothing written) when its
 * fire_at is no longer due, because another node or a request got there
 * first. */
static int fire_apply(struct campaign *c, void *arg, struct store_effect *fx)
{
    struct fire_arg *a = arg;
    if (c->fire_at == CAMPAIGN_NO_TIME || c->fire_at > a->now)
        return -1;
    struct lc_effect lc;
    a->what = lifecycle_fire(c, a->now, a->boot, a->grace, &lc, &a->occ);
    fx->new_instance = lc.new_instance;
    fx->over_if_empty = 1;
    return 0;
}

static void log_fire(const struct store_due *d, const struct fire_arg *a, const struct campaign *c)
{
    char occ[TIMEFMT_LEN + 1] = "-";
    if (a->occ != CAMPAIGN_NO_TIME)
        timefmt_format(a->occ, occ);
    const char *iid = json_string_value(json_object_get(c->doc, "campaignInstanceId"));
    switch (a->what) {
    case LC_FIRE_STARTED:
        log_info("runner: campaign %s fired for its occurrence at %s: run %s, status %s", d->id,
                 occ, iid ? iid : "-", campaign_status_name(c->status));
        break;
    case LC_FIRE_SKIPPED:
        log_info("runner: campaign %s skipped its occurrence at %s (status %s)", d->id, occ,
                 campaign_status_name(c->status));
        break;
    case LC_FIRE_EXHAUSTED:
        log_info("runner: campaign %s has no occurrence left: schedule cleared, status %s", d->id,
                 campaign_status_name(c->status));
        break;
    case LC_FIRE_NOTHING: break;
    }
}

/* Handles the due campaigns of one batch: how many there were, or -1. */
static int fire_batch(struct runner *r, int64_t now)
{
    struct store_due due[RUNNER_BATCH];
    size_t n = 0;
    struct store_err se = STORE_ERR_INIT;
    enum store_rc rc = store_fire_due(r->store, now, due, RUNNER_BATCH, &n, &se);
    store_err_clear(&se);
    if (rc != STORE_OK)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct fire_arg a = {now, r->boot, r->cfg.grace_ms, LC_FIRE_NOTHING, CAMPAIGN_NO_TIME};
        struct store_write w = {fire_apply, NULL, &a};
        struct campaign c;
        campaign_init(&c);
        rc = store_campaign_write(r->store, due[i].app_pk, due[i].id, &w, &c, &se);
        if (rc == STORE_OK) {
            log_fire(&due[i], &a, &c);
            if (a.what == LC_FIRE_STARTED && a.occ != CAMPAIGN_NO_TIME)
                prom_hist_observe(&r->m->lateness, (double)(now - a.occ) / 1000.0);
        } else if (rc != STORE_REJECTED && rc != STORE_NOT_FOUND) {
            log_warn("runner: campaign %s: its schedule could not be handled now (%d)", due[i].id,
                     (int)rc);
        }
        store_err_clear(&se);
        campaign_clear(&c);
        if (rc != STORE_OK && rc != STORE_REJECTED && rc != STORE_NOT_FOUND)
            return -1;
    }
    return (int)n;
}

/* Sends claimed attempts and records what became of them (accepted,
 * channelError, or a try to make again): 0, or -1.  Drops a[0..n)'s
 * references. */
static int send_all(struct runner *r, struct store_attempt *a, size_t n)
{
    if (n == 0)
        return 0;
    struct store_err se = STORE_ERR_INIT;
    struct channel_result *res = xcalloc(n, sizeof *res);
    struct store_accept *acc = xcalloc(n, sizeof *acc);
    r->channel->send(r->channel, a, n, timefmt_now_ms(), res);
    atomic_fetch_add(&r->m->attempts, n);
    for (size_t i = 0; i < n; i++) {
        if (res[i].kind != CH_ACCEPTED)
            atomic_fetch_add(&r->m->failures, 1);
        acc[i].a = &a[i];
        acc[i].outcome = res[i].kind == CH_RETRY      ? STORE_TRY_AGAIN
                         : res[i].kind == CH_ACCEPTED ? res[i].outcome
                                                      : OUT_CHANNEL_ERROR;
        acc[i].at = res[i].at;
        acc[i].detail = res[i].detail;
    }
    int ret = store_attempts_accept(r->store, acc, n, &se) == STORE_OK ? 0 : -1;
    store_err_clear(&se);
    for (size_t i = 0; i < n; i++)
        json_decref(res[i].detail);
    store_attempts_release(a, n);
    free(acc);
    free(res);
    return ret;
}

/* Dispatches the open runs, highest priority first, as many new attempts
 * as the channel has room for: the attempts started, or -1. */
static int dispatch(struct runner *r, int64_t now)
{
    struct store_run runs[RUNNER_RUNS];
    struct store_attempt *a = xcalloc(RUNNER_CLAIM, sizeof *a);
    struct store_err se = STORE_ERR_INIT;
    size_t nr = 0, n = 0;
    int started = 0;
    size_t batch = r->channel->batch > 0 ? (size_t)r->channel->batch : RUNNER_CLAIM;
    /* Attempts whose sender died before their acceptance was committed,
     * and the channel's tries again. */
    if (store_attempts_expired(r->store, now, r->cfg.lease_ms, a, batch, &n, &se) != STORE_OK)
        started = -1;
    else if (n > 0)
        log_info("runner: %zu attempts sent again with their ids (a failed try, or a lease "
                 "that expired before the acceptance was recorded)",
                 n);
    if (started < 0 || send_all(r, a, n) != 0 ||
        store_runs_open(r->store, runs, RUNNER_RUNS, &nr, &se) != STORE_OK)
        started = -1;
    else
        atomic_store(&r->m->running, (int64_t)nr);
    int room = r->channel->room != NULL ? r->channel->room(r->channel, now) : -1;
    struct store_pace pace = {r->cfg.pace, r->cfg.tenant_pace, r->cfg.max_inflight,
                              r->cfg.lease_ms, RUNNER_CLAIM};
    for (size_t i = 0; started >= 0 && i < nr && room != 0; i++) {
        pace.most = room < 0 ? RUNNER_CLAIM : room;
        if (store_run_claim(r->store, &runs[i], now, &pace, a, &n, &se) != STORE_OK ||
            send_all(r, a, n) != 0)
            started = -1;
        else
            started += (int)n;
        if (room > 0)
            room -= (int)n;
        store_err_clear(&se);
    }
    store_err_clear(&se);
    free(a);
    return started;
}

int64_t runner_step(struct runner *r)
{
    int64_t now = timefmt_now_ms();
    int got;
    while ((got = fire_batch(r, now)) == RUNNER_BATCH)
        ;
    if (got < 0)
        return RUNNER_BACKOFF_MS;
    size_t applied = 0, by[OUT_COUNT] = {0};
    struct store_err se0 = STORE_ERR_INIT;
    int started = dispatch(r, now);
    enum store_rc src = store_runs_settle(r->store, timefmt_now_ms(), &applied, by, &se0);
    for (int i = 0; i < OUT_COUNT; i++)
        if (by[i] > 0)
            atomic_fetch_add(&r->m->outcomes[i], by[i]);
    store_err_clear(&se0);
    if (started < 0 || src != STORE_OK)
        return RUNNER_BACKOFF_MS;
    if (started > 0 || applied > 0)
        return 0; /* more may be ready at once */
    int64_t next;
    struct store_err se = STORE_ERR_INIT;
    enum store_rc rc = store_fire_next(r->store, &next, &se);
    store_err_clear(&se);
    if (rc != STORE_OK)
        return RUNNER_BACKOFF_MS;
    /* Outcomes and retries come due, and the pace renews, each clock
     * second: look again at the next one. */
    int64_t now2 = timefmt_now_ms(), second = now2 - now2 % 1000 + 1000;
    if (next > second)
        next = second;
    double wait = (double)(next - now2) / timefmt_clock_rate();
    return wait <= 0 ? 0 : wait >= RUNNER_POLL_MS ? RUNNER_POLL_MS : (int64_t)wait + 1;
}

static void *runner_main(void *arg)
{
    struct runner *r = arg;
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), RUNNER_NICE) != 0)
        log_warn("runner: cannot lower its thread's priority; requests share the CPU with it");
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        pthread_mutex_unlock(&r->mu);
        int64_t wait = runner_step(r);
        pthread_mutex_lock(&r->mu);
        if (r->stop || wait <= 0)
            continue;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += wait / 1000;
        until.tv_nsec += (long)(wait % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&r->cv, &r->mu, &until);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

struct runner *runner_start(struct store *s, struct channel *ch, const struct runner_config *cfg)
{
    struct runner *r = xcalloc(1, sizeof *r);
    r->store = s;
    r->channel = ch;
    r->cfg = *cfg;
    r->boot = timefmt_now_ms();
    runner_metrics_init(&r->own);
    r->m = cfg->metrics != NULL ? cfg->metrics : &r->own;
    pthread_mutex_init(&r->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&r->thread, NULL, runner_main, r) != 0) {
        log_error("runner: cannot start its thread");
        ch->close(ch);
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->mu);
        free(r);
        return NULL;
    }
    return r;
}

void runner_stop(struct runner *r)
{
    if (r == NULL)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = 1;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    r->channel->close(r->channel);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}
