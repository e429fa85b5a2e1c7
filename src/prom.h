/* prom.h - the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), and the
 * thread-safe counters and histograms behind it.  A building block: it
 * writes text into a jbuf and knows nothing of HTTP.
 *
 *     prom_family(&b, "campaignd_x_total", "Things done.", "counter");
 *     prom_sample(&b, "campaignd_x_total", (const char *[]){"route", r, NULL}, 3);
 *
 * Label values are escaped as the format says (backslash, double quote,
 * newline); names are the caller's constants.  Callers keep label values
 * to bounded sets (a route's template, never an id). */
#ifndef CAMPAIGND_PROM_H
#define CAMPAIGND_PROM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonio.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* "# HELP name help" and "# TYPE name type" (counter, gauge, histogram). */
void prom_family(struct jbuf *b, const char *name, const char *help, const char *type);
/* One sample: name{k1="v1",...} value.  labels is NULL or a NULL-terminated
 * list of key, value, key, value, ... */
void prom_sample(struct jbuf *b, const char *name, const char *const *labels, double value);

/* A histogram with fixed upper bounds (ascending, +Inf implied), safe to
 * observe from any thread. */
#define PROM_BUCKETS_MAX 16
struct prom_hist {
    const double *bounds;
    int n;
    _Atomic uint64_t count[PROM_BUCKETS_MAX + 1]; /* per bucket, not cumulative; [n] is +Inf */
    _Atomic uint64_t sum_ns;                      /* observations are seconds, kept in ns */
};
/* The default bounds of a latency in seconds: 0.5 ms to 10 s. */
extern const double prom_latency_bounds[];
extern const int prom_latency_n;
void prom_hist_init(struct prom_hist *h, const double *bounds, int n);
void prom_hist_observe(struct prom_hist *h, double seconds);
/* The histogram's _bucket (cumulative, le="..."), _sum and _count
 * samples under name, each with labels (as prom_sample) plus le. */
void prom_hist_write(struct jbuf *b, const char *name, const char *const *labels,
                     const struct prom_hist *h);

/* The standard process_* metrics of this process, read from /proc/self:
 * resident memory, CPU seconds and open descriptors; and start_s, its start
 * time (Unix seconds) as the caller took it (under systemd's
 * ProcSubset=pid the boot time in /proc/stat cannot be read). */
void prom_process(struct jbuf *b, double start_s);

#endif
