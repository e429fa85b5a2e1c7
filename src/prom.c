/* prom.c - see prom.h. */
#include "prom.h"

#include "xalloc.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const double prom_latency_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
const int prom_latency_n = (int)(sizeof prom_latency_bounds / sizeof prom_latency_bounds[0]);

static void put(struct jbuf *b, const char *s)
{
    jbuf_put(b, s, strlen(s));
}

/* help text: backslash and newline escaped. */
static void put_help(struct jbuf *b, const char *s)
{
    for (; *s; s++)
        if (*s == '\\')
            put(b, "\\\\");
        else if (*s == '\n')
            put(b, "\\n");
        else
            jbuf_put(b, s, 1);
}

void prom_family(struct jbuf *b, const char *name, const char *help, const char *type)
{
    put(b, "# HELP ");
    put(b, name);
    put(b, " ");
    put_help(b, help);
    put(b, "\n# TYPE ");
    put(b, name);
    put(b, " ");
    put(b, type);
    put(b, "\n");
}

static void put_value(struct jbuf *b, double v)
{
    char num[40];
    if (isnan(v))
        snprintf(num, sizeof num, "NaN");
    else if (isinf(v))
        snprintf(num, sizeof num, v > 0 ? "+Inf" : "-Inf");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(num, sizeof num, "%.0f", v);
    else
        snprintf(num, sizeof num, "%.15g", v);
    put(b, num);
}

/* {k="v",...} with one more pair (k2, v2) when k2 is not NULL. */
static void put_labels(struct jbuf *b, const char *const *labels, const char *k2, const char *v2)
{
    int any = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *const *l = labels;
        const char *extra[] = {k2, v2, NULL};
        if (pass == 1)
            l = k2 != NULL ? extra : NULL;
        for (; l != NULL && l[0] != NULL; l += 2) {
            put(b, any ? "," : "{");
            any = 1;
            put(b, l[0]);
            put(b, "=\"");
            for (const char *s = l[1] ? l[1] : ""; *s; s++)
                if (*s == '\\')
                    put(b, "\\\\");
                else if (*s == '"')
                    put(b, "\\\"");
                else if (*s == '\n')
                    put(b, "\\n");
                else
                    jbuf_put(b, s, 1);
            put(b, "\"");
        }
    }
    if (any)
        put(b, "}");
}

void prom_sample(struct jbuf *b, const char *name, const char *const *labels, double value)
{
    put(b, name);
    put_labels(b, labels, NULL, NULL);
    put(b, " ");
    put_value(b, value);
    put(b, "\n");
}

void prom_hist_init(struct prom_hist *h, const double *bounds, int n)
{
    h->bounds = bounds;
    h->n = n < PROM_BUCKETS_MAX ? n : PROM_BUCKETS_MAX;
    for (int i = 0; i <= PROM_BUCKETS_MAX; i++)
        atomic_init(&h->count[i], 0);
    atomic_init(&h->sum_ns, 0);
}

void prom_hist_observe(struct prom_hist *h, double seconds)
{
    if (!(seconds >= 0))
        seconds = 0;
    int i = 0;
    while (i < h->n && seconds > h->bounds[i])
        i++;
    atomic_fetch_add_explicit(&h->count[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, (uint64_t)(seconds * 1e9), memory_order_relaxed);
}

void prom_hist_write(struct jbuf *b, const char *name, const char *const *labels,
                     const struct prom_hist *h)
{
    size_t n = strlen(name);
    char *sub = xmalloc(n + 10);
    uint64_t cum = 0;
    snprintf(sub, n + 10, "%s_bucket", name);
    for (int i = 0; i <= h->n; i++) {
        cum += atomic_load_explicit(&h->count[i], memory_order_relaxed);
        char le[40];
        if (i == h->n)
            snprintf(le, sizeof le, "+Inf");
        else
            snprintf(le, sizeof le, "%g", h->bounds[i]);
        put(b, sub);
        put_labels(b, labels, "le", le);
        put(b, " ");
        put_value(b, (double)cum);
        put(b, "\n");
    }
    snprintf(sub, n + 10, "%s_sum", name);
    prom_sample(b, sub, labels, (double)atomic_load(&h->sum_ns) / 1e9);
    snprintf(sub, n + 10, "%s_count", name);
    prom_sample(b, sub, labels, (double)cum);
    free(sub);
}

/* ---- process_* ----------------------------------------------------------- */

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (d == NULL)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

void prom_process(struct jbuf *b, double start_s)
{
    long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    unsigned long utime = 0, stime = 0;
    long rss = 0;
    FILE *f = fopen("/proc/self/stat", "r");
    if (f != NULL) {
        char buf[1024];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        /* Fields after the command (which may hold spaces) start after ')'. */
        const char *p = strrchr(buf, ')');
        if (p != NULL)
            sscanf(p + 2,
                   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %*d "
                   "%*d %*u %*u %ld",
                   &utime, &stime, &rss);
    }
    prom_family(b, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                "counter");
    prom_sample(b, "process_cpu_seconds_total", NULL, (double)(utime + stime) / (double)tick);
    prom_family(b, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge");
    prom_sample(b, "process_resident_memory_bytes", NULL, (double)rss * (double)page);
    prom_family(b, "process_open_fds", "Number of open file descriptors.", "gauge");
    prom_sample(b, "process_open_fds", NULL, open_fds());
    prom_family(b, "process_start_time_seconds",
                "Start time of the process since unix epoch in seconds.", "gauge");
    prom_sample(b, "process_start_time_seconds", NULL, start_s);
}
