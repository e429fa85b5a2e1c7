/* lifecycle.c - see lifecycle.h.  The table of §7.2, one case per status. */
#include "lifecycle.h"

#include <string.h>

#include "calendar.h"

int lifecycle_has_run(const struct campaign *c)
{
    return json_is_string(json_object_get(c->doc, "campaignInstanceId"));
}

int lifecycle_scheduled(const struct campaign *c)
{
    return json_is_true(json_object_get(json_object_get(c->doc, "schedule"),
                                        "isSchedulingEnabled"));
}

static int conflict(struct apierr *e, const struct campaign *c, const char *verb)
{
    apierr_set(e, 409, "Campaign %s cannot be %s in status %s", c->name, verb,
               campaign_status_name(c->status));
    apierr_field(e, NULL, "%s", apierr_message(e));
    return -1;
}

static int no_schedule(struct apierr *e, const struct campaign *c)
{
    apierr_set(e, 409, "Campaign %s has no schedule enabled", c->name);
    apierr_field(e, NULL, "%s", apierr_message(e));
    return -1;
}

static void clear_schedule(struct campaign *c)
{
    json_object_set_new(c->doc, "schedule", json_pack("{s:b, s:b}", "isSchedulingEnabled", 0,
                                                      "isRecurrenceEnabled", 0));
    c->fire_at = CAMPAIGN_NO_TIME;
}

/* fire_at for a schedule set or changed at now: its first occurrence at or
 * after now (never one already past), or now when it has none left (the
 * runner then clears it); never without a schedule that fires. */
static void refire(struct campaign *c, int64_t now)
{
    struct sched s;
    int64_t next = sched_of(c->doc, &s) == 0 ? sched_next(&s, now) : CAMPAIGN_NO_TIME;
    c->fire_at = next == SCHED_NEVER ? now : next;
}

static int running(enum cstatus s)
{
    return s == CSTATUS_ACTIVE || s == CSTATUS_PAUSED;
}

int lifecycle_apply(struct campaign *c, enum lc_op op, json_t *schedule, int64_t now,
                    struct lc_effect *fx, struct apierr *e)
{
    enum cstatus s = c->status;
    /* An imported Preparing campaign behaves exactly like a Ready one. */
    int ready = s == CSTATUS_READY || s == CSTATUS_PREPARING;
    memset(fx, 0, sizeof *fx);
    switch (op) {
    case LC_PLAY:
        if (s == CSTATUS_ACTIVE)
            return conflict(e, c, "started");
        /* Resuming a pause keeps its instance; every other start opens one. */
        fx->new_instance = !(s == CSTATUS_PAUSED && lifecycle_has_run(c));
        c->status = CSTATUS_ACTIVE;
        break;
    case LC_STOP:
        if (ready || s == CSTATUS_STOPPED || s == CSTATUS_COMPLETED)
            return conflict(e, c, "stopped");
        c->status = CSTATUS_STOPPED;
        clear_schedule(c);
        break;
    case LC_SCHEDULE:
        if (running(s))
            return conflict(e, c, "scheduled");
        if (ready)
            c->status = CSTATUS_SCHEDULED;
        else if (s == CSTATUS_STOPPED)
            c->status = lifecycle_has_run(c) ? CSTATUS_RESCHEDULED : CSTATUS_SCHEDULED;
        else if (s == CSTATUS_COMPLETED)
            c->status = CSTATUS_RESCHEDULED;
        /* Scheduled and Rescheduled keep their status; the schedule is replaced. */
        json_t *sched = json_pack("{s:b, s:b}", "isSchedulingEnabled", 1, "isRecurrenceEnabled", 1);
        json_object_update(sched, schedule);
        json_object_set_new(c->doc, "schedule", sched);
        refire(c, now);
        break;
    case LC_UNSCHEDULE:
        if (s == CSTATUS_SCHEDULED || s == CSTATUS_RESCHEDULED)
            c->status = lifecycle_has_run(c) ? CSTATUS_STOPPED : CSTATUS_READY;
        else if (!running(s) || !lifecycle_scheduled(c))
            return no_schedule(e, c);
        clear_schedule(c);
        break;
    case LC_UPDATE:
        if (running(s))
            return conflict(e, c, "updated");
        /* The occurrences follow the calling hours' zone, which may have changed. */
        if (lifecycle_scheduled(c))
            refire(c, now);
        break;
    case LC_DELETE:
        if (running(s))
            return conflict(e, c, "deleted");
        return 0;
    case LC_PAUSE: /* keeps the invariant: a Paused campaign has an instance */
        if (s != CSTATUS_ACTIVE || !lifecycle_has_run(c))
            return conflict(e, c, "paused");
        c->status = CSTATUS_PAUSED;
        break;
    case LC_COMPLETE:
        if (!running(s) || !lifecycle_has_run(c))
            return conflict(e, c, "completed");
        c->status = CSTATUS_COMPLETED;
        clear_schedule(c);
        break;
    }
    c->updated_at = now;
    c->instance_updated_at = now;
    return 0;
}

static void stamp(struct campaign *c, int64_t at)
{
    c->updated_at = at;
    c->instance_updated_at = at;
}

/* No occurrence left: a campaign that is not running loses its schedule. */
static enum lc_fire exhaust(struct campaign *c, int64_t now)
{
    c->fire_at = CAMPAIGN_NO_TIME;
    if (running(c->status))
        return LC_FIRE_NOTHING; /* the end of its run applies the rule */
    c->status = lifecycle_has_run(c) ? CSTATUS_COMPLETED : CSTATUS_READY;
    clear_schedule(c);
    stamp(c, now);
    return LC_FIRE_EXHAUSTED;
}

enum lc_fire lifecycle_fire(struct campaign *c, int64_t now, int64_t boot, int64_t grace_ms,
                            struct lc_effect *fx, int64_t *occ)
{
    struct sched s;
    memset(fx, 0, sizeof *fx);
    *occ = CAMPAIGN_NO_TIME;
    if (sched_of(c->doc, &s) != 0) {
        c->fire_at = CAMPAIGN_NO_TIME;
        return LC_FIRE_NOTHING;
    }
    int64_t at = sched_next(&s, c->fire_at == CAMPAIGN_NO_TIME ? now : c->fire_at);
    if (at == SCHED_NEVER)
        return exhaust(c, now);
    if (at > now) {
        c->fire_at = at;
        return LC_FIRE_NOTHING;
    }
    /* Missed while campaignd was down: only the latest of those counts. */
    int late = at < boot;
    if (late) {
        int64_t last = sched_prev(&s, boot - 1);
        if (last != SCHED_NEVER && last > at)
            at = last;
    }
    *occ = at;
    enum lc_fire r = LC_FIRE_SKIPPED;
    if ((!late || now - at <= grace_ms) &&
        (c->status == CSTATUS_SCHEDULED || c->status == CSTATUS_RESCHEDULED)) {
        fx->new_instance = 1;
        c->status = CSTATUS_ACTIVE;
        stamp(c, late || at < c->updated_at ? (now > c->updated_at ? now : c->updated_at) : at);
        r = LC_FIRE_STARTED;
    }
    int64_t next = sched_next(&s, at + 1);
    if (next != SCHED_NEVER) {
        c->fire_at = next;
        return r;
    }
    /* None left: a skipped occurrence of a campaign that is not running
     * ends its schedule; a running one keeps it for the end of its run. */
    enum lc_fire ex = exhaust(c, now);
    return ex == LC_FIRE_EXHAUSTED && r == LC_FIRE_SKIPPED ? ex : r;
}

void lifecycle_run_over(struct campaign *c, int64_t now)
{
    if (c->status == CSTATUS_PAUSED)
        return;
    /* An occurrence is left when the runner remembers one (fire_at), or
     * when one comes after now (a run started by hand). */
    struct sched s;
    int64_t next = c->fire_at;
    if (next == CAMPAIGN_NO_TIME && sched_of(c->doc, &s) == 0) {
        next = sched_next(&s, now + 1);
        next = next == SCHED_NEVER ? CAMPAIGN_NO_TIME : next;
    }
    if (next != CAMPAIGN_NO_TIME && lifecycle_scheduled(c)) {
        c->status = CSTATUS_RESCHEDULED;
        c->fire_at = next;
    } else {
        c->status = CSTATUS_COMPLETED;
        clear_schedule(c);
    }
    stamp(c, now);
}
