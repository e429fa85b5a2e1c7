/* runner.h - runs campaigns when a channel is configured (execution spec):
 * one thread per process that fires schedules on the clock (§2), hands the
 * due records of open runs to the channel within their calling hours and
 * the pace (§3, §4), records the outcomes, and ends the runs (§7).  Every
 * step is a store transaction committed before the next depends on it. */
#ifndef CAMPAIGND_RUNNER_H
#define CAMPAIGND_RUNNER_H

#include <stdint.h>

#include "channel.h"
#include "store.h"

struct runner_config {
    int64_t grace_ms; /* --schedule-grace: how late a missed occurrence may still fire */
    int pace;         /* attempts started per clock second per campaign; 0 = no limit */
    int tenant_pace;  /* the same per tenant across its campaigns; 0 = no limit */
    int max_inflight; /* attempts awaiting an outcome per campaign; 0 = no limit */
    int64_t lease_ms; /* an attempt sent but not accepted is sent again after this */
};

struct runner;

/* Starts the runner's thread over s (which must outlive it) and channel ch
 * (which it owns from now on); the instant it is called is the process's
 * start for the catch-up rule of §2. */
struct runner *runner_start(struct store *s, struct channel *ch, const struct runner_config *cfg);

/* Stops the thread after the step in progress, and frees r (NULL is fine). */
void runner_stop(struct runner *r);

/* One pass, for the thread and for tests: fires the schedules due at the
 * clock's now, dispatches, settles the outcomes due; returns how many real
 * milliseconds the thread may sleep before the next pass. */
int64_t runner_step(struct runner *r);

#endif
