/* runner.h - runs campaigns when a channel is configured (execution spec):
 * one thread per process that fires schedules on the clock (§2), hands the
 * due records of open runs to the channel within their calling hours and
 * the pace (§3, §4), records the outcomes, and ends the runs (§7).  Every
 * step is a store transaction committed before the next depends on it. */
#ifndef CAMPAIGND_RUNNER_H
#define CAMPAIGND_RUNNER_H

#include <stdatomic.h>
#include <stdint.h>

#include "channel.h"
#include "outcome.h"
#include "prom.h"
#include "store.h"

#define RUNNER_RUNS 64 /* open runs looked at per pass */

/* What the runner has done since it started, for GET /metrics: safe to
 * read from any thread while it runs. */
struct runner_metrics {
    _Atomic uint64_t attempts;            /* handed to the channel, tries again included */
    _Atomic uint64_t failures;            /* of those, not delivered (a try to make again, or
                                             channelError) */
    _Atomic uint64_t outcomes[OUT_COUNT]; /* applied by this node, by outcome */
    _Atomic int64_t running;              /* open runs of Active campaigns the last pass saw
                                             (at most RUNNER_RUNS) */
    struct prom_hist lateness;            /* a schedule's occurrence to its start, clock s */
};
/* Readies m before runner_start (all zero, the lateness histogram's bounds). */
void runner_metrics_init(struct runner_metrics *m);

struct runner_config {
    int64_t grace_ms; /* --schedule-grace: how late a missed occurrence may still fire */
    int pace;         /* attempts started per clock second per campaign; 0 = no limit */
    int tenant_pace;  /* the same per tenant across its campaigns; 0 = no limit */
    int max_inflight; /* attempts awaiting an outcome per campaign; 0 = no limit */
    int64_t lease_ms; /* an attempt sent but not accepted is sent again after this */
    struct runner_metrics *metrics; /* where the runner counts (runner_metrics_init): the
                                       caller's, so that it outlives the runner; or NULL */
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
