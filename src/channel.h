/* channel.h - how attempts leave campaignd (execution spec §5): a table of
 * operations, so that a simulator, a webhook or an SMPP/SIP gateway plug
 * into the runner the same way. */
#ifndef CAMPAIGND_CHANNEL_H
#define CAMPAIGND_CHANNEL_H

#include <stdint.h>

#include "sim.h"
#include "store.h"

/* What a channel did with one attempt. */
struct channel_result {
    enum { CH_ACCEPTED, CH_RETRY, CH_REJECTED } kind;
    int outcome; /* CH_ACCEPTED: enum outcome, or -1 when it comes later */
    int64_t at;  /* CH_ACCEPTED with an outcome: when it takes effect (clock ms);
                    CH_RETRY: when to try again */
};

struct channel {
    const char *name;
    /* Hands attempt a to the channel at clock time now.  Called with the
     * same attempt id again after a restart: the channel answers as it did
     * the first time, without acting twice, where it can. */
    void (*send)(struct channel *ch, const struct store_attempt *a, int64_t now,
                 struct channel_result *out);
    void (*close)(struct channel *ch);
};

/* The simulator (§5.1): every attempt answered by itself, latency_ms of
 * clock time later, with an outcome drawn from seed (sim.h) by the mixes
 * voice and sms (NULL: the defaults).  With log_path
 * (--sim-log; NULL for none) it appends one JSON line per attempt it acts
 * on and, reading the file at start, answers an attempt id seen before
 * with its first outcome.  NULL when the log cannot be opened. */
struct channel *channel_sim_open(uint64_t seed, int64_t latency_ms, const char *log_path,
                                 const struct sim_mix *voice, const struct sim_mix *sms);

#endif
