/* channel.h - how attempts leave campaignd (execution spec §5): a table of
 * operations, so that a simulator, a webhook or an SMPP/SIP gateway plug
 * into the runner the same way. */
#ifndef CAMPAIGND_CHANNEL_H
#define CAMPAIGND_CHANNEL_H

#include <stdint.h>

#include "sim.h"
#include "store.h"
#include "whsig.h"

/* What a channel did with one attempt. */
struct channel_result {
    enum {
        CH_ACCEPTED, /* taken: its outcome now, or later by a report (§6) */
        CH_RETRY,    /* not delivered: try again with the same id at `at` */
        CH_REJECTED  /* not delivered and not to be tried again: channelError */
    } kind;
    int outcome;    /* CH_ACCEPTED: enum outcome, or -1 when it comes later */
    int64_t at;     /* CH_ACCEPTED: when the outcome takes effect, or (outcome
                       -1) when it is a timeout; CH_RETRY: when to try again
                       (clock ms) */
    json_t *detail; /* CH_ACCEPTED with an outcome: the report's view fields,
                       owned by the caller, or NULL */
};

struct channel {
    const char *name;
    int batch; /* attempts one send takes at most; 0: any number */
    /* Hands a[0..n) to the channel at clock time now, out[i] telling what
     * became of a[i].  Called with the same attempt id again after a
     * restart or a failed try: the channel answers as it did the first
     * time, without acting twice, where it can. */
    void (*send)(struct channel *ch, const struct store_attempt *a, size_t n, int64_t now,
                 struct channel_result *out);
    /* How many new attempts the runner may hand it in one pass now: a
     * gateway that is failing gets none, or one to probe it, while the
     * tries of attempts already out go on (§5.2).  NULL: no limit. */
    int (*room)(struct channel *ch, int64_t now);
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

/* The webhook channel (§5.2): one signed HTTP POST per attempt, made with
 * libcurl. */
#define WEBHOOK_TRIES 6              /* tries of one attempt before channelError */
#define WEBHOOK_PARALLEL 32          /* requests in flight at once; attempts per pass */
#define WEBHOOK_RETRY_AFTER_MAX 3600 /* seconds: a longer Retry-After is cut to this */
struct webhook_config {
    const char *url;
    struct whsig keys;          /* --webhook-secret, once or twice */
    int64_t timeout_ms;         /* one request, real time (--webhook-timeout) */
    int64_t attempt_timeout_ms; /* accepted to outcome, clock time; 0 = the §5.2
                                   default (maxRingTime + 60 s voice, 300 s SMS) */
    uint64_t seed;              /* of the retries' jitter */
};
/* NULL (logged) when libcurl cannot be set up. */
struct channel *channel_webhook_open(const struct webhook_config *cfg);

/* The body of attempt a's request (a new object). */
json_t *webhook_payload(const struct store_attempt *a);

/* What a gateway's answer means (§5.2), given the HTTP status (0 when no
 * answer came: a connection error or a time-out), its body, its
 * Retry-After header (or NULL), the attempt's failed tries before this one
 * and its campaign's type (a reported outcome the type cannot have is
 * ignored: the attempt waits for its callback).  Fills out (kind, outcome,
 * detail; `at` as a delay in ms from now for CH_RETRY, jitter excluded).
 * Returns 1 when the gateway failed (the answer counts against its
 * health), else 0. */
int webhook_answer(long status, const char *body, size_t len, const char *retry_after,
                   int64_t now_unix_s, int tries, enum ctype type, struct channel_result *out);

#endif
