/* lcache.h - a bounded, thread-safe cache of byte strings by byte key: the
 * listing cache (api_listing.c keys it by tenant, the tenant's write version
 * and the normalised request, so an entry can never be stale; it is only
 * ever unreachable, and then ages out).
 *
 * Least recently used entries are evicted once the values held exceed the
 * byte budget.  A building block: it knows nothing of HTTP or the store. */
#ifndef CAMPAIGND_LCACHE_H
#define CAMPAIGND_LCACHE_H

#include <stddef.h>
#include <stdint.h>

struct lcache;

/* max_bytes: the budget for keys and values together; 0 gives NULL (no
 * cache), and every function below accepts NULL as "nothing cached". */
struct lcache *lcache_new(size_t max_bytes);
void lcache_free(struct lcache *c);

/* A malloc'd copy of the value of key, its length in *len; NULL on a miss. */
char *lcache_get(struct lcache *c, const void *key, size_t klen, size_t *len);
/* Stores a copy of val under key (replacing any), unless it alone exceeds
 * an eighth of the budget. */
void lcache_put(struct lcache *c, const void *key, size_t klen, const char *val, size_t len);

/* Counters for tests and metrics. */
struct lcache_stats {
    uint64_t hits, misses, entries, bytes, evictions;
};
void lcache_stats(struct lcache *c, struct lcache_stats *out);

#endif
