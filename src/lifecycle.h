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

/* What the runner did when a campaign's fire_at came (lifecycle_fire). */
enum lc_fire {
    LC_FIRE_NOTHING,   /* nothing due yet; fire_at may have moved */
    LC_FIRE_STARTED,   /* an occurrence started a run (fx->new_instance) */
    LC_FIRE_SKIPPED,   /* an occurrence came while a run was going on, or was
                          missed while campaignd was down */
    LC_FIRE_EXHAUSTED, /* no occurrence left: the schedule was cleared */
};

/* The runner's step for a campaign whose fire_at has come, at time now
 * (execution spec §2): takes the first occurrence at or after fire_at;
 * occurrences before boot (the process's start) are caught up as the spec
 * says: only the latest of them, and only if it is at most grace_ms late.
 * A Scheduled or Rescheduled campaign starts as trigger=play starts it,
 * stamped with the occurrence's instant (or now, for a late catch-up); an
 * Active or Paused one skips it.  Then fire_at moves to the next
 * occurrence; with none left, a campaign that is not running has its
 * schedule cleared and becomes Completed (it has run) or Ready.  *occ gets
 * the occurrence handled.  Sets fx like lifecycle_apply. */
enum lc_fire lifecycle_fire(struct campaign *c, int64_t now, int64_t boot, int64_t grace_ms,
                            struct lc_effect *fx, int64_t *occ);

/* A run of c ended at now (every record has a final outcome, or its
 * audience was empty): Rescheduled when its schedule has an occurrence
 * left, else Completed with the schedule cleared (execution spec §7).  A
 * Paused run stays Paused. */
void lifecycle_run_over(struct campaign *c, int64_t now);

/* Whether the campaign has run (has a campaignInstanceId). */
int lifecycle_has_run(const struct campaign *c);

/* Whether a schedule is enabled. */
int lifecycle_scheduled(const struct campaign *c);

#endif
