/* store_runs.c - what the runner asks of the store (execution spec): which
 * campaigns' schedules are due (starting a run goes through the campaign
 * write path, store_campaign_write); which records to dispatch, the
 * attempts' acceptance and outcomes, and the end of runs.  Every step is
 * one transaction under the tenant's write lock, committed before the
 * runner acts on it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "jsonio.h"
#include "lifecycle.h"
#include "outcome.h"
#include "store_int.h"
#include "xalloc.h"

static const struct sqlq Q_FIRE_DUE = {
    "SELECT app_pk, id FROM campaigns WHERE fire_at IS NOT NULL AND fire_at <= $1"
    " ORDER BY fire_at LIMIT $2"};
static const struct sqlq Q_FIRE_NEXT = {
    "SELECT fire_at FROM campaigns WHERE fire_at IS NOT NULL ORDER BY fire_at LIMIT 1"};

enum store_rc store_fire_due(struct store *s, int64_t now, struct store_due *out, size_t max,
                             size_t *n, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_INT(now), P_INT((int64_t)max)};
    int rc = -1;
    *n = 0;
    struct sqlres *r = sql_query(s, c, &Q_FIRE_DUE, p, 2, e);
    if (r != NULL) {
        while (*n < max && (rc = s->drv->next(r)) == 1) {
            out[*n].app_pk = s->drv->col_int(r, 0);
            sql_copy(out[*n].id, sizeof out[*n].id, s->drv->col_text(r, 1, NULL));
            (*n)++;
        }
        s->drv->done(r);
        rc = rc < 0 ? sql_fail(s, c, "fire due", e) : 0;
    }
    return sql_end(s, c, rc, e);
}

enum store_rc store_fire_next(struct store *s, int64_t *at, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int rc = sql_int(s, c, &Q_FIRE_NEXT, NULL, 0, at, e);
    if (rc == 0)
        *at = INT64_MAX;
    return sql_end(s, c, rc < 0 ? -1 : 0, e);
}

/* ---- dispatch (execution spec §3, §4, §7) ------------------------------- */

static const struct sqlq Q_RUNS_OPEN = {
    "SELECT i.instance_pk, c.app_pk, c.id, c.priority FROM instances i"
    " JOIN campaigns c ON c.campaign_pk = i.campaign_pk"
    " WHERE i.open = 1 AND c.status = 0"
    " ORDER BY c.priority DESC, i.claimed_at, i.instance_pk LIMIT $1"};
/* The campaign of a run, as sql_read_campaign reads it, with its DNC list
 * key and its status. */
static const struct sqlq Q_RUN_CAMPAIGN = {
    "SELECT " CAMPAIGN_COLS ", c.dnc_list_pk" CAMPAIGN_FROM
    " WHERE c.app_pk = $1 AND c.campaign_pk = (SELECT campaign_pk FROM instances"
    " WHERE instance_pk = $2)"};
static const struct sqlq Q_RUN_INFLIGHT = {
    "SELECT count(*) FROM attempts WHERE instance_pk = $1 AND state < 2"};
static const struct sqlq Q_RUN_PACE = {
    "SELECT CASE WHEN pace_second = $2 THEN pace_used ELSE 0 END FROM instances"
    " WHERE instance_pk = $1"};
static const struct sqlq Q_RUN_PACE_SET = {
    "UPDATE instances SET pace_second = $2, pace_used = $3, claimed_at = $4"
    " WHERE instance_pk = $1"};
static const struct sqlq Q_TENANT_PACE = {
    "SELECT CASE WHEN pace_second = $2 THEN pace_used ELSE 0 END FROM apps WHERE app_pk = $1"};
static const struct sqlq Q_TENANT_PACE_SET = {
    "UPDATE apps SET pace_second = $2, pace_used = $3 WHERE app_pk = $1"};
/* The records a claim may take, in dispatch order; on PostgreSQL each
 * statement also locks the rows it returns, skipping those another node's
 * claim holds (index 1 of each pair). */
#define CLAIM_COLS "SELECT pos, phone, digits, time_zone, attempts, unique_id FROM instance_contacts"
#define RETRIES CLAIM_COLS " WHERE instance_pk = $1 AND state = 0 AND attempts > 0 AND due_at <= $2" \
                           " ORDER BY due_at, pos LIMIT $3"
#define NEW_FIFO CLAIM_COLS " WHERE instance_pk = $1 AND state = 0 AND attempts = 0 AND due_at <= $2" \
                            " ORDER BY pos LIMIT $3"
#define NEW_LIFO CLAIM_COLS " WHERE instance_pk = $1 AND state = 0 AND attempts = 0 AND due_at <= $2" \
                            " ORDER BY pos DESC LIMIT $3"
#define SKIP_LOCKED " FOR UPDATE SKIP LOCKED"
static const struct sqlq Q_RUN_RETRIES[2] = {{RETRIES}, {RETRIES SKIP_LOCKED}};
static const struct sqlq Q_RUN_NEW_FIFO[2] = {{NEW_FIFO}, {NEW_FIFO SKIP_LOCKED}};
static const struct sqlq Q_RUN_NEW_LIFO[2] = {{NEW_LIFO}, {NEW_LIFO SKIP_LOCKED}};
/* PostgreSQL: one node claims from a run with a pace or an in-flight cap
 * at a time (its counters are in the run's row), and one tenant with a
 * pace at a time (its counter is in the tenant's row). */
static const struct sqlq Q_RUN_LOCK = {
    "SELECT 1 FROM instances WHERE instance_pk = $1 FOR UPDATE SKIP LOCKED"};
static const struct sqlq Q_TENANT_LOCK = {"SELECT 1 FROM apps WHERE app_pk = $1 FOR UPDATE"};
/* What the gateway is told of a run (execution spec §5.2). */
static const struct sqlq Q_RUN_NAMES = {
    "SELECT i.id, a.account_id, a.stream_id FROM instances i"
    " JOIN campaigns c ON c.campaign_pk = i.campaign_pk JOIN apps a ON a.app_pk = c.app_pk"
    " WHERE i.instance_pk = $1"};
static const struct sqlq Q_REC_WAIT = {
    "UPDATE instance_contacts SET due_at = $3 WHERE instance_pk = $1 AND pos = $2"};
static const struct sqlq Q_REC_DNC = {
    "SELECT 1 FROM contacts WHERE list_pk = $1 AND digits = $2 LIMIT 1"};
static const struct sqlq Q_REC_END = {
    "UPDATE instance_contacts SET state = 2, dialer_outcome = $3, outcome = $4"
    " WHERE instance_pk = $1 AND pos = $2"};
static const struct sqlq Q_REC_OUT = {
    "UPDATE instance_contacts SET state = 1, attempts = attempts + 1"
    " WHERE instance_pk = $1 AND pos = $2"};
static const struct sqlq Q_REC_RETRY = {
    "UPDATE instance_contacts SET state = 0, due_at = $3 WHERE instance_pk = $1 AND pos = $2"};
static const struct sqlq Q_REC_ATTEMPTS = {
    "SELECT attempts FROM instance_contacts WHERE instance_pk = $1 AND pos = $2"};
static const struct sqlq Q_ATT_ADD = {
    "INSERT INTO attempts(attempt_id, instance_pk, pos, n, state, lease_until, created_at)"
    " VALUES ($1, $2, $3, $4, 0, $5, $6)"};
static const struct sqlq Q_ATT_ACCEPT = {
    "UPDATE attempts SET state = 1, outcome = $2, outcome_at = $3, lease_until = NULL,"
    " detail = $4 WHERE attempt_id = $1 AND state = 0"};
/* Accepted attempts whose outcome has taken effect, or whose outcome never
 * came by its deadline (outcome_at, with no outcome: a timeout). */
static const struct sqlq Q_ATT_DUE = {
    "SELECT a.attempt_id, a.instance_pk, a.pos, c.app_pk FROM attempts a"
    " JOIN instances i ON i.instance_pk = a.instance_pk"
    " JOIN campaigns c ON c.campaign_pk = i.campaign_pk"
    " WHERE a.state = 1 AND a.outcome_at <= $1"
    " ORDER BY a.instance_pk, a.outcome_at LIMIT $2"};
static const struct sqlq Q_ATT_DONE = {
    "UPDATE attempts SET state = 2, outcome = COALESCE(outcome, 'timeout')"
    " WHERE attempt_id = $1 AND state = 1 RETURNING outcome, detail"};
static const struct sqlq Q_RUN_LEFT = {
    "SELECT count(*) FROM instance_contacts WHERE instance_pk = $1 AND state <> 2"};
static const struct sqlq Q_RUN_CLOSE = {
    "UPDATE instances SET open = 0, ended_at = $2 WHERE instance_pk = $1"};
static const struct sqlq Q_RUNS_EMPTY = {
    "SELECT i.instance_pk, c.app_pk FROM instances i"
    " JOIN campaigns c ON c.campaign_pk = i.campaign_pk WHERE i.open = 1 AND c.status = 0"
    " AND NOT EXISTS (SELECT 1 FROM instance_contacts r WHERE r.instance_pk = i.instance_pk"
    " AND r.state <> 2) LIMIT $1"};

static const struct sqlq Q_ATT_EXPIRED = {
    "SELECT a.attempt_id, a.instance_pk, a.pos, a.n, c.app_pk, c.type, r.phone, r.digits,"
    " a.tries, a.created_at, c.dialing_mode, r.time_zone, r.unique_id, c.id, i.id,"
    " ap.account_id, ap.stream_id, c.doc"
    " FROM attempts a JOIN instances i ON i.instance_pk = a.instance_pk"
    " JOIN campaigns c ON c.campaign_pk = i.campaign_pk JOIN apps ap ON ap.app_pk = c.app_pk"
    " JOIN instance_contacts r ON r.instance_pk = a.instance_pk AND r.pos = a.pos"
    " WHERE a.state = 0 AND a.lease_until <= $1 ORDER BY a.lease_until LIMIT $2"};
static const struct sqlq Q_ATT_RELEASE = {
    "UPDATE attempts SET lease_until = $3 WHERE attempt_id = $1 AND state = 0"
    " AND lease_until <= $2 RETURNING n"};
static const struct sqlq Q_ATT_RETRY = {
    "UPDATE attempts SET lease_until = $2, tries = tries + 1 WHERE attempt_id = $1 AND state = 0"};
static const struct sqlq Q_ATT_FIND = {
    "SELECT c.app_pk, c.type, a.outcome FROM attempts a"
    " JOIN instances i ON i.instance_pk = a.instance_pk"
    " JOIN campaigns c ON c.campaign_pk = i.campaign_pk WHERE a.attempt_id = $1"};
static const struct sqlq Q_ATT_REPORT = {
    "UPDATE attempts SET state = 1, outcome = $2, outcome_at = $3, lease_until = NULL,"
    " detail = $4 WHERE attempt_id = $1 AND state < 2 AND outcome IS NULL"};

#define SETTLE_BATCH 256 /* outcomes applied per pass */
#define EMPTY_BATCH 16   /* runs left with nothing to settle, ended per pass */

enum store_rc store_runs_open(struct store *s, struct store_run *out, size_t max, size_t *n,
                              struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_INT((int64_t)max)};
    int rc = -1;
    *n = 0;
    struct sqlres *r = sql_query(s, c, &Q_RUNS_OPEN, p, 1, e);
    if (r != NULL) {
        while (*n < max && (rc = s->drv->next(r)) == 1) {
            struct store_run *run = &out[(*n)++];
            run->instance_pk = s->drv->col_int(r, 0);
            run->app_pk = s->drv->col_int(r, 1);
            sql_copy(run->campaign_id, sizeof run->campaign_id, s->drv->col_text(r, 2, NULL));
            run->priority = (int)s->drv->col_int(r, 3);
        }
        s->drv->done(r);
        rc = rc < 0 ? sql_fail(s, c, "open runs", e) : 0;
    }
    return sql_end(s, c, rc, e);
}

/* The campaign of run instance_pk into cp (its doc a private copy) and its
 * DNC list's key: 1, 0 when gone, -1. */
static int run_campaign(struct store *s, struct conn *c, int64_t app_pk, int64_t instance_pk,
                        struct campaign *cp, int64_t *dnc_pk, struct store_err *e)
{
    struct sqlp p[] = {P_INT(app_pk), P_INT(instance_pk)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_RUN_CAMPAIGN, p, 2, "run campaign", &r, e);
    if (rc != 1)
        return rc;
    *dnc_pk = s->drv->col_text(r, CC_N, NULL) ? s->drv->col_int(r, CC_N) : 0;
    rc = sql_read_campaign(s, c, r, cp, e) == 0 ? 1 : -1;
    s->drv->done(r);
    if (rc == 1) {
        json_t *own = json_deep_copy(cp->doc);
        json_decref(cp->doc);
        cp->doc = own;
    }
    return rc;
}

/* What dispatch needs of a campaign's dialing strategy. */
struct run_rules {
    struct hours hours;
    int has_hours, lifo, max_attempts;
    int64_t retry_ms;
};

static void run_rules(const struct campaign *cp, struct run_rules *r)
{
    json_t *ds = json_object_get(cp->doc, "dialingStrategy");
    r->has_hours = hours_of(cp->doc, &r->hours) == 1;
    const char *order = json_string_value(json_object_get(ds, "dialingOrder"));
    r->lifo = cp->type == CTYPE_VOICE && order != NULL && strcmp(order, "LIFO") == 0;
    json_int_t max = json_integer_value(json_object_get(ds, "maxAttemptsPerRecord"));
    r->max_attempts = cp->type == CTYPE_SMS || max < 1 ? 1 : (int)max;
    json_int_t minutes = json_integer_value(json_object_get(ds, "defaultRetryPeriod"));
    r->retry_ms = (int64_t)(minutes > 0 ? minutes : 0) * 60000;
}

/* A record's final outcome as the contacts view shows it: its name and the
 * fields its report carried (detail, JSON text or NULL). */
static char *outcome_doc(enum outcome o, const char *detail)
{
    json_t *j = detail != NULL ? json_loads(detail, 0, NULL) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        j = json_object();
    }
    json_object_set_new(j, "dialerOutcome", json_string(outcome_name(o)));
    char *text = jsonio_dump(j, NULL);
    json_decref(j);
    return text;
}

static int end_record(struct store *s, struct conn *c, int64_t ipk, int64_t pos, enum outcome o,
                      const char *detail, struct store_err *e)
{
    char *doc = outcome_doc(o, detail);
    struct sqlp p[] = {P_INT(ipk), P_INT(pos), P_TEXT(outcome_name(o)), P_TEXT(doc)};
    int rc = sql_exec(s, c, &Q_REC_END, p, 4, e);
    free(doc);
    return rc;
}

/* A record that may be dispatched, read before any is written. */
struct candidate {
    int64_t pos;
    int attempts;
    char phone[CONTRACT_PHONE_MAX + 1], digits[CONTRACT_PHONE_MAX + 1];
    char tz[CONTRACT_TZ_MAX + 1];
    char unique_id[4 * CONTRACT_CONTACT_FIELD_MAX + 1];
};

/* What every attempt of a claim shares: its campaign and its run's names. */
struct claim_ctx {
    const struct store_run *run;
    const struct campaign *cp;
    const struct run_rules *rr;
    int64_t dnc_pk, now, lease_ms;
    char instance_id[IDS_MAX + 1], account_id[CONTRACT_ACCOUNT_MAX + 1], stream_id[IDS_MAX + 1];
};

/* One candidate of a claim: waits for its window, ends as dnc, or gets an
 * attempt appended to out.  0, or -1. */
static int claim_one(struct store *s, struct conn *c, const struct claim_ctx *x,
                     const struct candidate *k, struct store_attempt *out, size_t *n,
                     struct store_err *e)
{
    const struct store_run *run = x->run;
    const struct run_rules *rr = x->rr;
    int64_t dnc_pk = x->dnc_pk, now = x->now;
    if (rr->has_hours) {
        int64_t open = hours_next_open(&rr->hours, tz_get(k->tz[0] ? k->tz : NULL), now, NULL);
        if (open != now) {
            struct sqlp p[] = {P_INT(run->instance_pk), P_INT(k->pos),
                               P_INT(open == SCHED_NEVER ? INT64_MAX : open)};
            return sql_exec(s, c, &Q_REC_WAIT, p, 3, e);
        }
    }
    if (dnc_pk > 0) {
        struct sqlp p[] = {P_INT(dnc_pk), P_TEXT(k->digits)};
        int rc = sql_int(s, c, &Q_REC_DNC, p, 2, NULL, e);
        if (rc != 0)
            return rc < 0 ? -1 : end_record(s, c, run->instance_pk, k->pos, OUT_DNC, NULL, e);
    }
    struct store_attempt *a = &out[*n];
    memset(a, 0, sizeof *a);
    ids_new("att", a->id);
    a->app_pk = run->app_pk;
    a->instance_pk = run->instance_pk;
    a->pos = k->pos;
    a->n = k->attempts + 1;
    a->type = x->cp->type;
    a->mode = x->cp->mode;
    a->created_at = now;
    memcpy(a->phone, k->phone, sizeof a->phone);
    memcpy(a->digits, k->digits, sizeof a->digits);
    memcpy(a->tz, k->tz, sizeof a->tz);
    memcpy(a->unique_id, k->unique_id, sizeof a->unique_id);
    memcpy(a->campaign_id, x->cp->id, sizeof a->campaign_id);
    memcpy(a->instance_id, x->instance_id, sizeof a->instance_id);
    memcpy(a->account_id, x->account_id, sizeof a->account_id);
    memcpy(a->stream_id, x->stream_id, sizeof a->stream_id);
    struct sqlp pa[] = {P_TEXT(a->id), P_INT(a->instance_pk), P_INT(k->pos),
                        P_INT(a->n),   P_INT(now + x->lease_ms), P_INT(now)};
    struct sqlp pr[] = {P_INT(a->instance_pk), P_INT(k->pos)};
    if (sql_exec(s, c, &Q_ATT_ADD, pa, 6, e) != 0 || sql_exec(s, c, &Q_REC_OUT, pr, 2, e) != 0)
        return -1;
    a->campaign = json_incref(x->cp->doc);
    (*n)++;
    return 0;
}

/* The run's instance id and its tenant's names into x: 0, or -1. */
static int run_names(struct store *s, struct conn *c, struct claim_ctx *x, struct store_err *e)
{
    struct sqlp p[] = {P_INT(x->run->instance_pk)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_RUN_NAMES, p, 1, "run names", &r, e);
    if (rc != 1)
        return rc < 0 ? -1 : 0;
    sql_copy(x->instance_id, sizeof x->instance_id, s->drv->col_text(r, 0, NULL));
    sql_copy(x->account_id, sizeof x->account_id, s->drv->col_text(r, 1, NULL));
    sql_copy(x->stream_id, sizeof x->stream_id, s->drv->col_text(r, 2, NULL));
    s->drv->done(r);
    return 0;
}

void store_attempts_release(struct store_attempt *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_decref(a[i].campaign);
        a[i].campaign = NULL;
    }
}

#define CLAIM_READ_MAX 512 /* candidates read per statement */

/* Claims from the records q selects, until *n reaches want: 0, or -1. */
static int claim_from(struct store *s, struct conn *c, const struct sqlq *q,
                      const struct claim_ctx *x, int want, struct store_attempt *out, size_t *n,
                      struct store_err *e)
{
    int64_t room = (int64_t)(want - (int)*n) * 4;
    if (room <= 0)
        return 0;
    if (room > CLAIM_READ_MAX)
        room = CLAIM_READ_MAX;
    struct candidate *k = xcalloc((size_t)room, sizeof *k);
    struct sqlp p[] = {P_INT(x->run->instance_pk), P_INT(x->now), P_INT(room)};
    struct sqlres *r = sql_query(s, c, q, p, 3, e);
    int rc = 0, ret = 0;
    size_t nk = 0;
    if (r == NULL) {
        free(k);
        return -1;
    }
    while ((int64_t)nk < room && (rc = s->drv->next(r)) == 1) {
        k[nk].pos = s->drv->col_int(r, 0);
        sql_copy(k[nk].phone, sizeof k[nk].phone, s->drv->col_text(r, 1, NULL));
        sql_copy(k[nk].digits, sizeof k[nk].digits, s->drv->col_text(r, 2, NULL));
        sql_copy(k[nk].tz, sizeof k[nk].tz, s->drv->col_text(r, 3, NULL));
        k[nk].attempts = (int)s->drv->col_int(r, 4);
        sql_copy(k[nk].unique_id, sizeof k[nk].unique_id, s->drv->col_text(r, 5, NULL));
        nk++;
    }
    s->drv->done(r);
    if (rc < 0)
        ret = sql_fail(s, c, "claim", e);
    for (size_t i = 0; i < nk && (int)*n < want && ret == 0; i++)
        ret = claim_one(s, c, x, &k[i], out, n, e);
    free(k);
    return ret;
}

enum store_rc store_run_claim(struct store *s, const struct store_run *run, int64_t now,
                              const struct store_pace *pace, struct store_attempt *out, size_t *n,
                              struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct campaign cp;
    int64_t dnc_pk = 0, inflight = 0, used = 0, tused = 0, second = now / 1000;
    int64_t lease_ms = pace->lease_ms;
    int ret = -1;
    int want = pace->most > 0 && pace->most < STORE_CLAIM_MAX ? pace->most : STORE_CLAIM_MAX;
    *n = 0;
    campaign_init(&cp);
    if (sql_begin_claim(s, c, run->app_pk, e) != 0)
        goto out;
    if (s->drv->row_locks) {
        struct sqlp pl[] = {P_INT(run->instance_pk)};
        struct sqlp pa[] = {P_INT(run->app_pk)};
        int64_t one = 0;
        int got = pace->per_second > 0 || pace->max_inflight > 0
                      ? sql_int(s, c, &Q_RUN_LOCK, pl, 1, &one, e)
                      : 1;
        if (got < 0 ||
            (got == 1 && pace->tenant_per_second > 0 &&
             sql_int(s, c, &Q_TENANT_LOCK, pa, 1, &one, e) < 0))
            goto out;
        if (got == 0) { /* another node is claiming from this run */
            ret = sql_commit(s, c, e);
            goto out;
        }
    }
    int rc = run_campaign(s, c, run->app_pk, run->instance_pk, &cp, &dnc_pk, e);
    struct sqlp pi[] = {P_INT(run->instance_pk), P_INT(second)};
    struct sqlp pt[] = {P_INT(run->app_pk), P_INT(second)};
    if (rc < 0 || (rc == 1 && (sql_int(s, c, &Q_RUN_INFLIGHT, pi, 1, &inflight, e) < 0 ||
                               sql_int(s, c, &Q_RUN_PACE, pi, 2, &used, e) < 0 ||
                               (pace->tenant_per_second > 0 &&
                                sql_int(s, c, &Q_TENANT_PACE, pt, 2, &tused, e) < 0))))
        goto out;
    if (rc == 1 && cp.status == CSTATUS_ACTIVE) {
        /* The pace is kept in the run's row: every node counts against it. */
        if (pace->per_second > 0 && want > pace->per_second - used)
            want = (int)(pace->per_second - used);
        if (pace->max_inflight > 0 && want > pace->max_inflight - inflight)
            want = (int)(pace->max_inflight - inflight);
        if (pace->tenant_per_second > 0 && want > pace->tenant_per_second - tused)
            want = (int)(pace->tenant_per_second - tused);
        struct run_rules rr;
        run_rules(&cp, &rr);
        struct claim_ctx x = {run, &cp, &rr, dnc_pk, now, lease_ms, "", "", ""};
        int k = s->drv->row_locks;
        if (want > 0 && (run_names(s, c, &x, e) != 0 ||
                         claim_from(s, c, &Q_RUN_RETRIES[k], &x, want, out, n, e) != 0 ||
                         claim_from(s, c, rr.lifo ? &Q_RUN_NEW_LIFO[k] : &Q_RUN_NEW_FIFO[k], &x,
                                    want, out, n, e) != 0))
            goto out;
        struct sqlp pp[] = {P_INT(run->instance_pk), P_INT(second), P_INT(used + (int64_t)*n),
                            P_INT(now)};
        struct sqlp ptu[] = {P_INT(run->app_pk), P_INT(second), P_INT(tused + (int64_t)*n)};
        if (*n > 0 && (sql_exec(s, c, &Q_RUN_PACE_SET, pp, 4, e) != 0 ||
                       (pace->tenant_per_second > 0 &&
                        sql_exec(s, c, &Q_TENANT_PACE_SET, ptu, 3, e) != 0)))
            goto out;
    }
    ret = sql_commit(s, c, e);
out:
    if (ret != 0) {
        store_attempts_release(out, *n);
        *n = 0;
    }
    campaign_clear(&cp);
    return sql_end(s, c, ret, e);
}

enum store_rc store_attempts_accept(struct store *s, const struct store_accept *acc, size_t n,
                                    struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int ret = 0;
    /* One transaction per run of the same tenant: one commit (one sync of
     * the journal) for a whole claim's attempts. */
    for (size_t i = 0; i < n && ret == 0;) {
        int64_t app_pk = acc[i].a->app_pk;
        ret = sql_begin_claim(s, c, app_pk, e);
        for (; ret == 0 && i < n && acc[i].a->app_pk == app_pk; i++) {
            if (acc[i].outcome == STORE_TRY_AGAIN) {
                struct sqlp p[] = {P_TEXT(acc[i].a->id), P_INT(acc[i].at)};
                ret = sql_exec(s, c, &Q_ATT_RETRY, p, 2, e);
                continue;
            }
            char *detail = json_object_size(acc[i].detail) > 0
                               ? jsonio_dump(acc[i].detail, NULL)
                               : NULL;
            struct sqlp p[] = {
                P_TEXT(acc[i].a->id),
                acc[i].outcome >= 0 ? P_TEXT(outcome_name((enum outcome)acc[i].outcome)) : P_NULL,
                P_INT(acc[i].at), detail ? P_TEXT(detail) : P_NULL};
            ret = sql_exec(s, c, &Q_ATT_ACCEPT, p, 4, e);
            free(detail);
        }
        if (ret == 0)
            ret = sql_commit(s, c, e);
    }
    return sql_end(s, c, ret, e);
}

/* An outcome due, read before it is applied. */
struct due_outcome {
    char id[IDS_MAX + 1];
    int64_t instance_pk, pos, app_pk;
};

/* Applies one outcome inside the run's transaction; *sent counts SMS
 * delivered, by[] the outcomes applied.  0, or -1. */
static int apply_outcome(struct store *s, struct conn *c, const struct due_outcome *o,
                         const struct campaign *cp, const struct run_rules *rr, int64_t now,
                         int64_t *sent, size_t by[OUT_COUNT], struct store_err *e)
{
    struct sqlp pa[] = {P_TEXT(o->id)};
    struct sqlp pr[] = {P_INT(o->instance_pk), P_INT(o->pos), P_INT(now + rr->retry_ms)};
    int64_t attempts = 0;
    struct sqlres *r;
    /* Another node may have applied it since it was read: once only.  The
     * outcome is the one the row holds now (a report may have come since). */
    int rc = sql_first(s, c, &Q_ATT_DONE, pa, 1, "attempt done", &r, e);
    if (rc <= 0)
        return rc;
    int got = outcome_parse(s->drv->col_text(r, 0, NULL));
    const char *d = s->drv->col_text(r, 1, NULL);
    char *detail = d != NULL ? xstrdup(d) : NULL;
    s->drv->done(r);
    enum outcome out = got < 0 ? OUT_CHANNEL_ERROR : (enum outcome)got;
    /* After a stop, a retryable outcome ends its record too (§6). */
    if (sql_int(s, c, &Q_REC_ATTEMPTS, pr, 2, &attempts, e) < 0)
        rc = -1;
    else if (outcome_final(out, cp->type) || attempts >= rr->max_attempts ||
             (cp->status != CSTATUS_ACTIVE && cp->status != CSTATUS_PAUSED))
        rc = end_record(s, c, o->instance_pk, o->pos, out, detail, e);
    else
        rc = sql_exec(s, c, &Q_REC_RETRY, pr, 3, e);
    if (rc == 0 && cp->type == CTYPE_SMS && out == OUT_COMPLETED)
        (*sent)++;
    if (rc == 0)
        by[out]++;
    free(detail);
    return rc;
}

/* Settles the outcomes o[0..n) of one run in one transaction; then, when
 * no record is left, the run is over.  0, or -1. */
static int settle_run(struct store *s, const struct due_outcome *o, size_t n, int64_t ipk,
                      int64_t app_pk, int64_t now, size_t *by_outcome, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct campaign cp;
    size_t by[OUT_COUNT] = {0};
    int64_t dnc_pk = 0, sent = 0, left = 1;
    int ret = -1, rc;
    campaign_init(&cp);
    if (sql_begin_run(s, c, app_pk, e) != 0 ||
        (rc = run_campaign(s, c, app_pk, ipk, &cp, &dnc_pk, e)) < 0)
        goto out;
    struct run_rules rr;
    run_rules(&cp, &rr);
    for (size_t i = 0; rc == 1 && i < n; i++)
        if (apply_outcome(s, c, &o[i], &cp, &rr, now, &sent, by, e) != 0)
            goto out;
    struct sqlp pi[] = {P_INT(ipk), P_INT(now)};
    if (sql_int(s, c, &Q_RUN_LEFT, pi, 1, &left, e) < 0)
        goto out;
    /* An open run is its campaign's latest (a stop or a completion closes
     * it, store_campaigns.c), so only an Active one can be over here; a
     * Paused one waits for play. */
    int over = rc == 1 && left == 0 && cp.status == CSTATUS_ACTIVE;
    if (sent > 0) {
        json_int_t was = json_integer_value(json_object_get(cp.doc, "totalMessagesSent"));
        json_object_set_new(cp.doc, "totalMessagesSent", json_integer(was + sent));
    }
    if (over)
        lifecycle_run_over(&cp, now);
    if ((over || sent > 0) && (sql_version_bump(s, c, app_pk, e) != 0 ||
                               sql_campaign_store(s, c, app_pk, &cp, dnc_pk, NULL, -1, e) != 0))
        goto out;
    if (over && sql_exec(s, c, &Q_RUN_CLOSE, pi, 2, e) != 0)
        goto out;
    ret = sql_commit(s, c, e);
    for (int i = 0; ret == 0 && by_outcome != NULL && i < OUT_COUNT; i++)
        by_outcome[i] += by[i];
out:
    campaign_clear(&cp);
    return sql_end(s, c, ret, e) == STORE_OK ? 0 : -1;
}

enum store_rc store_runs_settle(struct store *s, int64_t now, size_t *applied,
                                size_t *by_outcome, struct store_err *e)
{
    struct due_outcome *o = xcalloc(SETTLE_BATCH, sizeof *o);
    size_t n = 0;
    int rc = -1, ret = 0;
    *applied = 0;
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_INT(now), P_INT(SETTLE_BATCH)};
    struct sqlres *r = sql_query(s, c, &Q_ATT_DUE, p, 2, e);
    if (r != NULL) {
        while (n < SETTLE_BATCH && (rc = s->drv->next(r)) == 1) {
            sql_copy(o[n].id, sizeof o[n].id, s->drv->col_text(r, 0, NULL));
            o[n].instance_pk = s->drv->col_int(r, 1);
            o[n].pos = s->drv->col_int(r, 2);
            o[n].app_pk = s->drv->col_int(r, 3);
            n++;
        }
        s->drv->done(r);
        if (rc < 0)
            sql_fail(s, c, "due outcomes", e);
    }
    /* Runs with nothing left to settle (an empty pause resumed, or a crash
     * between the last outcome and the run's end). */
    struct {
        int64_t ipk, app_pk;
    } empty[EMPTY_BATCH];
    size_t ne = 0;
    struct sqlp pe[] = {P_INT(EMPTY_BATCH)};
    if (rc >= 0 && (r = sql_query(s, c, &Q_RUNS_EMPTY, pe, 1, e)) != NULL) {
        while (ne < EMPTY_BATCH && (rc = s->drv->next(r)) == 1) {
            empty[ne].ipk = s->drv->col_int(r, 0);
            empty[ne].app_pk = s->drv->col_int(r, 1);
            ne++;
        }
        s->drv->done(r);
        if (rc < 0)
            sql_fail(s, c, "empty runs", e);
    }
    sql_release(s, c);
    if (rc < 0) {
        free(o);
        return store_result(-1, e);
    }
    for (size_t i = 0; i < n && ret == 0;) {
        size_t j = i;
        while (j < n && o[j].instance_pk == o[i].instance_pk)
            j++;
        ret = settle_run(s, o + i, j - i, o[i].instance_pk, o[i].app_pk, now, by_outcome, e);
        *applied += ret == 0 ? j - i : 0;
        i = j;
    }
    for (size_t i = 0; i < ne && ret == 0; i++)
        ret = settle_run(s, NULL, 0, empty[i].ipk, empty[i].app_pk, now, by_outcome, e);
    free(o);
    return store_result(ret, e);
}

enum store_rc store_attempts_expired(struct store *s, int64_t now, int64_t lease_ms,
                                     struct store_attempt *out, size_t max, size_t *n,
                                     struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_INT(now), P_INT((int64_t)max)};
    size_t got = 0;
    int rc = -1, ret = -1;
    *n = 0;
    struct sqlres *r = sql_query(s, c, &Q_ATT_EXPIRED, p, 2, e);
    if (r == NULL)
        goto out;
    while (got < max && (rc = s->drv->next(r)) == 1) {
        struct store_attempt *a = &out[got++];
        memset(a, 0, sizeof *a);
        sql_copy(a->id, sizeof a->id, s->drv->col_text(r, 0, NULL));
        a->instance_pk = s->drv->col_int(r, 1);
        a->pos = s->drv->col_int(r, 2);
        a->n = (int)s->drv->col_int(r, 3);
        a->app_pk = s->drv->col_int(r, 4);
        a->type = sql_col_type(s, r, 5);
        sql_copy(a->phone, sizeof a->phone, s->drv->col_text(r, 6, NULL));
        sql_copy(a->digits, sizeof a->digits, s->drv->col_text(r, 7, NULL));
        a->tries = (int)s->drv->col_int(r, 8);
        a->created_at = s->drv->col_int(r, 9);
        a->mode = (enum cmode)s->drv->col_int(r, 10);
        sql_copy(a->tz, sizeof a->tz, s->drv->col_text(r, 11, NULL));
        sql_copy(a->unique_id, sizeof a->unique_id, s->drv->col_text(r, 12, NULL));
        sql_copy(a->campaign_id, sizeof a->campaign_id, s->drv->col_text(r, 13, NULL));
        sql_copy(a->instance_id, sizeof a->instance_id, s->drv->col_text(r, 14, NULL));
        sql_copy(a->account_id, sizeof a->account_id, s->drv->col_text(r, 15, NULL));
        sql_copy(a->stream_id, sizeof a->stream_id, s->drv->col_text(r, 16, NULL));
        size_t len = 0;
        const char *doc = s->drv->col_text(r, 17, &len);
        a->campaign = doc != NULL ? json_loadb(doc, len, 0, NULL) : NULL;
    }
    s->drv->done(r);
    if (rc < 0) {
        sql_fail(s, c, "expired attempts", e);
        goto out;
    }
    /* Each renewed in its tenant's transaction; one another node renewed
     * first is not ours to send. */
    for (size_t i = 0; i < got; i++) {
        struct sqlp pr[] = {P_TEXT(out[i].id), P_INT(now), P_INT(now + lease_ms)};
        int64_t one = 0;
        if (sql_begin_claim(s, c, out[i].app_pk, e) != 0 ||
            (rc = sql_int(s, c, &Q_ATT_RELEASE, pr, 3, &one, e)) < 0 || sql_commit(s, c, e) != 0)
            goto out;
        if (rc == 1)
            out[(*n)++] = out[i];
        else
            store_attempts_release(&out[i], 1);
    }
    ret = 0;
out:
    if (ret != 0) {
        store_attempts_release(out, got);
        *n = 0;
    }
    return sql_end(s, c, ret, e);
}

/* The tenant, campaign type and recorded outcome (NULL: none yet; owned)
 * of attempt id: 1, 0 when there is none, -1. */
static int attempt_find(struct store *s, struct conn *c, const char *id, int64_t *app_pk,
                        enum ctype *type, char **outcome, struct store_err *e)
{
    struct sqlp p[] = {P_TEXT(id)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_ATT_FIND, p, 1, "attempt", &r, e);
    if (rc != 1)
        return rc;
    *app_pk = s->drv->col_int(r, 0);
    *type = sql_col_type(s, r, 1);
    const char *o = s->drv->col_text(r, 2, NULL);
    *outcome = o != NULL ? xstrdup(o) : NULL;
    s->drv->done(r);
    return 1;
}

enum store_rc store_attempt_report(struct store *s, const char *attempt_id, int outcome,
                                   const json_t *detail, int64_t now, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int64_t app_pk = 0;
    enum ctype type = CTYPE_VOICE;
    char *had = NULL, *text = NULL;
    int ret = -1;
    int rc = attempt_find(s, c, attempt_id, &app_pk, &type, &had, e);
    if (rc == 0)
        store_problem(e, STORE_NOT_FOUND, SW_ATTEMPT, attempt_id, NULL);
    if (rc != 1)
        goto out;
    if (!outcome_reportable((enum outcome)outcome, type)) {
        struct store_problem *p =
            store_problem(e, STORE_BAD_REF, SW_OUTCOME_TYPE, outcome_name((enum outcome)outcome), NULL);
        if (p != NULL)
            p->type = (int)type;
        goto out;
    }
    /* Read again under the tenant's lock: the first outcome wins. */
    free(had);
    had = NULL;
    if (sql_begin_run(s, c, app_pk, e) != 0 ||
        (rc = attempt_find(s, c, attempt_id, &app_pk, &type, &had, e)) < 0)
        goto out;
    if (rc == 0 || had != NULL) {
        if (rc == 0)
            store_problem(e, STORE_NOT_FOUND, SW_ATTEMPT, attempt_id, NULL);
        else if (strcmp(had, outcome_name((enum outcome)outcome)) != 0)
            store_problem(e, STORE_CONFLICT, SW_ATTEMPT_OUTCOME, attempt_id, had);
        else
            ret = sql_commit(s, c, e);
        goto out;
    }
    text = detail != NULL && json_object_size(detail) > 0 ? jsonio_dump(detail, NULL) : NULL;
    struct sqlp p[] = {P_TEXT(attempt_id), P_TEXT(outcome_name((enum outcome)outcome)),
                       P_INT(now), text ? P_TEXT(text) : P_NULL};
    if (sql_exec(s, c, &Q_ATT_REPORT, p, 4, e) == 0)
        ret = sql_commit(s, c, e);
out:
    free(had);
    free(text);
    return sql_end(s, c, ret, e);
}

/* ---- progress (§7) -------------------------------------------------------- */

static const struct sqlq Q_PROGRESS_RUN = {
    "SELECT i.instance_pk, i.created_at, i.ended_at FROM instances i JOIN campaigns c"
    " ON c.campaign_pk = i.campaign_pk WHERE c.app_pk = $1 AND c.id = $2 AND i.id = $3"};
static const struct sqlq Q_PROGRESS_COUNTS = {
    "SELECT count(*), COALESCE(sum(CASE WHEN state = 2 THEN 1 ELSE 0 END), 0),"
    " COALESCE(sum(CASE WHEN state = 0 AND attempts = 0 THEN 1 ELSE 0 END), 0),"
    " COALESCE(sum(CASE WHEN state = 0 AND attempts > 0 THEN 1 ELSE 0 END), 0),"
    " COALESCE(sum(CASE WHEN state = 1 THEN 1 ELSE 0 END), 0), COALESCE(sum(attempts), 0)"
    " FROM instance_contacts WHERE instance_pk = $1"};
static const struct sqlq Q_PROGRESS_OUTCOMES = {
    "SELECT dialer_outcome, count(*) FROM instance_contacts WHERE instance_pk = $1 AND state = 2"
    " GROUP BY dialer_outcome ORDER BY dialer_outcome"};

/* The counts of run ipk into o: 0, or -1. */
static int progress_counts(struct store *s, struct conn *c, int64_t ipk, json_t *o,
                           struct store_err *e)
{
    static const char *const keys[] = {"records",      "ended",    "notYetTried",
                                       "waitingRetry", "inFlight", "attempts"};
    struct sqlp p[] = {P_INT(ipk)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_PROGRESS_COUNTS, p, 1, "progress", &r, e);
    if (rc != 1)
        return rc < 0 ? -1 : 0;
    for (int i = 0; i < 6; i++)
        json_object_set_new(o, keys[i], json_integer(s->drv->col_int(r, i)));
    s->drv->done(r);
    json_t *by = json_object();
    json_object_set_new(o, "byOutcome", by);
    if ((r = sql_query(s, c, &Q_PROGRESS_OUTCOMES, p, 1, e)) == NULL)
        return -1;
    while ((rc = s->drv->next(r)) == 1)
        json_object_set_new(by, s->drv->col_text(r, 0, NULL), json_integer(s->drv->col_int(r, 1)));
    s->drv->done(r);
    return rc < 0 ? sql_fail(s, c, "progress", e) : 0;
}

enum store_rc store_run_progress(struct store *s, int64_t app_pk, const struct campaign *cp,
                                 json_t **out, struct store_err *e)
{
    const char *iid = json_string_value(json_object_get(cp->doc, "campaignInstanceId"));
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(cp->id), P_TEXT(iid)};
    struct sqlres *r;
    json_t *o = json_pack("{s:s}", "campaignId", cp->id);
    int ret = -1, rc;
    *out = NULL;
    if (iid == NULL) {
        store_problem(e, STORE_CONFLICT, SW_NEVER_STARTED, cp->name, NULL);
        goto out;
    }
    if (sql_begin(s, c, 0, e) != 0 ||
        (rc = sql_first(s, c, &Q_PROGRESS_RUN, p, 3, "progress run", &r, e)) < 0)
        goto out;
    if (rc == 0) {
        store_problem(e, STORE_CONFLICT, SW_NEVER_STARTED, cp->name, NULL);
        goto out;
    }
    int64_t ipk = s->drv->col_int(r, 0), started = s->drv->col_int(r, 1);
    int ended = s->drv->col_text(r, 2, NULL) != NULL;
    int64_t ended_at = ended ? s->drv->col_int(r, 2) : 0;
    s->drv->done(r);
    json_object_set_new(o, "campaignInstanceId", json_string(iid));
    json_object_set_new(o, "status", json_string(campaign_status_name(cp->status)));
    if (progress_counts(s, c, ipk, o, e) != 0)
        goto out;
    json_object_set_new(o, "startedAt", jsonio_time(started));
    if (ended)
        json_object_set_new(o, "endedAt", jsonio_time(ended_at));
    *out = o;
    o = NULL;
    ret = 0;
out:
    json_decref(o);
    return sql_end(s, c, ret, e);
}
