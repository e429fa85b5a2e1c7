/* ratelimit.h - token buckets keyed by a string (the API client id).
 *
 * Each key may make `rate` requests per second on average and `burst` at
 * once.  Thread-safe.  Memory is bounded: a fixed table, where the least
 * recently used bucket of a full probe window is recycled (a recycled key
 * starts with a full bucket, so the limit errs on the side of allowing). */
#ifndef CAMPAIGND_RATELIMIT_H
#define CAMPAIGND_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* rate > 0 requests per second, burst >= 1. */
struct ratelimit *ratelimit_new(double rate, double burst);
void ratelimit_free(struct ratelimit *rl);

/* Takes one token for key at time now_ms: 0 when allowed, else the whole
 * seconds (>= 1) after which a token will be there (Retry-After). */
int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms);

#endif
