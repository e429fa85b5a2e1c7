/* lifecycle.h - the campaign status state machine (family spec §7.2).
 *
 * Pure: it changes a struct campaign in memory and says what the store must
 * do besides writing it back (open a new instance).  The store calls it
 * inside the write's transaction, on the campaign it has just read. */
#ifndef CAMPAIGND_LIFECYCLE_H
#define CAMPAIGND_LIFECYCLE_H

#include <stdint.h>

#include "apierr.h"
#include "campaign.h"

enum lc_op {
    LC_PLAY, LC_STOP, LC_SCHEDULE, LC_UNSCHEDULE, LC_UPDATE, LC_DELETE,
    LC_PAUSE, LC_COMPLETE, /* admin CLI only: a run pauses or ends */
};

struct lc_effect {
    int new_instance;   /* the store opens a new instance (cid-…) with a snapshot */
};

/* Applies op to c at time now (ms).  For LC_SCHEDULE, schedule is the new
 * schedule's keys {startDateTime, endDateTime, recurrenceObject} (borrowed).
 * LC_UPDATE and LC_DELETE only check that the status allows them.  A write
 * sets updatedAt and campaignInstanceUpdatedAt to now.  Returns 0, or -1
 * with a 409 on e carrying the documented sentence. */
int lifecycle_apply(struct campaign *c, enum lc_op op, json_t *schedule, int64_t now,
                    struct lc_effect *fx, struct apierr *e);

/* Whether the campaign has run (has a campaignInstanceId). */
int lifecycle_has_run(const struct campaign *c);

/* Whether a schedule is enabled. */
int lifecycle_scheduled(const struct campaign *c);

#endif
