/* runner.h - runs campaigns when a channel is configured (execution spec):
 * one thread per process that fires schedules on the clock (§2) and ends
 * the runs whose audience is empty (§7).  Every step is a campaign write
 * through the store, committed before the next; on PostgreSQL every node
 * runs one, and the tenant's write lock lets one node alone act on each
 * occurrence.  Dispatching records to the channel is not built yet (issue
 * 10 continues); a run with records stays Active. */
#ifndef CAMPAIGND_RUNNER_H
#define CAMPAIGND_RUNNER_H

#include <stdint.h>

#include "store.h"

struct runner_config {
    int64_t grace_ms; /* --schedule-grace: how late a missed occurrence may still fire */
};

struct runner;

/* Starts the runner's thread over s (which must outlive it); the instant
 * it is called is the process's start for the catch-up rule of §2. */
struct runner *runner_start(struct store *s, const struct runner_config *cfg);

/* Stops the thread after the step in progress, and frees r (NULL is fine). */
void runner_stop(struct runner *r);

/* One pass, for the thread and for tests: handles every campaign whose
 * schedule is due at the clock's now; returns how many real milliseconds
 * the thread may sleep before the next pass. */
int64_t runner_step(struct runner *r);

#endif
