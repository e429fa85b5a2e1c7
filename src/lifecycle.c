/* lifecycle.c - see lifecycle.h.  The table of §7.2, one case per status. */
#include "lifecycle.h"

#include <string.h>

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
