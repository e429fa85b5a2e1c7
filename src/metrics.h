/* metrics.h - what GET /metrics reports (Prometheus text format 0.0.4,
 * prom.h): requests by route template, method and status, their
 * durations, rate-limit rejections, the store's connection pool, the
 * listing cache, the build and the process.  Server layer: it counts what
 * server.c sees and reads the gauges of the layers below when scraped. */
#ifndef CAMPAIGND_METRICS_H
#define CAMPAIGND_METRICS_H

#include <stddef.h>

#include "router.h"

struct lcache;
struct runner_metrics;
struct store;
struct metrics;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* One request answered: its route (NULL when none matched, then counted
 * under route "none" by method: GET, POST, PUT, DELETE or other), its
 * status and how long it took. */
void metrics_request(struct metrics *m, const struct route *r, const char *method, int status,
                     double seconds);

/* The exposition of everything (malloc'd, *len its length); the runner's
 * when rm is not NULL. */
char *metrics_render(struct metrics *m, struct store *s, struct lcache *cache,
                     const struct runner_metrics *rm, size_t *len);

#endif
