/* lcount.c - bucket arithmetic and vectors of the listing's counts
 * (lcount.h). */
#include "lcount.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int lc_slot(int status, int priority, int mode)
{
    return (status * 5 + (priority - 1)) * 4 + mode;
}

int lc_slot_passes(int slot, uint32_t status_mask, uint32_t priority_mask, uint32_t mode_mask)
{
    int mode = slot % 4, priority = (slot / 4) % 5 + 1, status = slot / 20;
    return ((status_mask >> status) & 1u) && ((priority_mask >> priority) & 1u) &&
           ((mode_mask >> mode) & 1u);
}

/* Floor and ceiling of a / 2^k for any sign. */
static int64_t floor_shift(int64_t a, int k)
{
    return a >> k;
}

static int64_t ceil_shift(int64_t a, int k)
{
    return -((-a) >> k);
}

static void add_span(struct lc_plan *p, int level, int64_t lo, int64_t hi)
{
    if (lo <= hi)
        p->spans[p->nspans++] = (struct lc_span){level, lo, hi};
}

static void add_edge(struct lc_plan *p, int64_t lo, int64_t hi)
{
    if (lo <= hi) {
        p->edge_lo[p->nedges] = lo;
        p->edge_hi[p->nedges] = hi;
        p->nedges++;
    }
}

void lc_plan(int64_t start, int64_t end, struct lc_plan *p)
{
    p->nspans = 0;
    p->nedges = 0;
    if (start < LC_TIME_MIN)
        start = LC_TIME_MIN;
    if (end > LC_TIME_MAX)
        end = LC_TIME_MAX;
    if (start > end)
        return;
    int64_t lo = start, hi = end + 1; /* [lo, hi) in ms */
    int64_t a = ceil_shift(lo, LC_SHIFT0), z = floor_shift(hi, LC_SHIFT0);
    if (a >= z) {
        add_edge(p, lo, hi - 1);
        return;
    }
    add_edge(p, lo, a * (INT64_C(1) << LC_SHIFT0) - 1);
    add_edge(p, z * (INT64_C(1) << LC_SHIFT0), hi - 1);
    /* [a, z) in level-0 buckets, whole. */
    for (int level = 0; level < LC_LEVELS - 1; level++) {
        int64_t A = ceil_shift(a, LC_FANOUT_SHIFT), Z = floor_shift(z, LC_FANOUT_SHIFT);
        if (A >= Z) {
            add_span(p, level, a, z - 1);
            return;
        }
        add_span(p, level, a, A * (1 << LC_FANOUT_SHIFT) - 1);
        add_span(p, level, Z * (1 << LC_FANOUT_SHIFT), z - 1);
        a = A;
        z = Z;
    }
    add_span(p, LC_LEVELS - 1, a, z - 1);
}

int lc_vec_add_text(struct lc_vec *v, const char *text)
{
    const char *p = text;
    while (*p != '\0') {
        char *end;
        errno = 0;
        long slot = strtol(p, &end, 10);
        if (end == p || *end != ':' || slot < 0 || slot >= LC_SLOTS)
            return -1;
        p = end + 1;
        long long n = strtoll(p, &end, 10);
        if (end == p || errno != 0)
            return -1;
        v->n[slot] += n;
        p = end;
        if (*p == ',')
            p++;
        else if (*p != '\0')
            return -1;
    }
    return 0;
}

size_t lc_vec_text(const struct lc_vec *v, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < LC_SLOTS && len < cap; i++) {
        if (v->n[i] == 0)
            continue;
        int w = snprintf(out + len, cap - len, "%s%d:%lld", len ? "," : "", i,
                         (long long)v->n[i]);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
    return len;
}

int64_t lc_vec_sum(const struct lc_vec *v, uint32_t status_mask, uint32_t priority_mask,
                   uint32_t mode_mask, int64_t *all)
{
    int64_t sum = 0, total = 0;
    for (int i = 0; i < LC_SLOTS; i++) {
        if (v->n[i] == 0)
            continue;
        total += v->n[i];
        if (lc_slot_passes(i, status_mask, priority_mask, mode_mask))
            sum += v->n[i];
    }
    if (all != NULL)
        *all = total;
    return sum;
}
