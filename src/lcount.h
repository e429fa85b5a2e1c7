/* lcount.h - the listing's maintained counts: how many campaigns of a
 * tenant and type fall in each (time bucket, status, priority, dialing
 * mode), so that Get All Campaigns' totalResults over any createdAt range
 * and any filter reads a bounded number of rows whatever the tenant's size.
 *
 * A campaign's (status, priority, mode) is one of LC_SLOTS slots.  Time is
 * cut into buckets at LC_LEVELS levels: level L buckets are 2^(20 + 4L) ms
 * long (17.5 minutes at level 0, each level 16 times the one below, up to
 * 8,900 years at the top), so bucket = createdAt >> (20 + 4L).  Every
 * campaign is counted once at every level; a bucket's row holds the counts
 * of its non-empty slots (a "vector").
 *
 * A range [start, end] is covered by at most two partial level-0 buckets at
 * its edges (counted from the campaigns' own index: a few rows) and at most
 * 2 * 15 runs of whole buckets per level below the top plus one run at the
 * top: lc_plan.  Pure functions; the store runs the statements. */
#ifndef CAMPAIGND_LCOUNT_H
#define CAMPAIGND_LCOUNT_H

#include <stddef.h>
#include <stdint.h>

#define LC_LEVELS 8
#define LC_SHIFT0 20
#define LC_FANOUT_SHIFT 4
#define LC_SLOTS 160 /* 8 statuses x 5 priorities x 4 modes */
/* createdAt values are clamped to +-2^56 ms (import keeps years 0000-9999,
 * well inside), so bucket arithmetic never overflows. */
#define LC_TIME_MIN (-(INT64_C(1) << 56))
#define LC_TIME_MAX ((INT64_C(1) << 56) - 1)

/* The slot of a campaign: status 0..7, priority 1..5, mode 0..3. */
int lc_slot(int status, int priority, int mode);
/* 1 when slot passes the listing's bit masks (bit i of status_mask passes
 * status i, and so on; query.h). */
int lc_slot_passes(int slot, uint32_t status_mask, uint32_t priority_mask, uint32_t mode_mask);

static inline int64_t lc_bucket(int64_t created_at, int level)
{
    if (created_at < LC_TIME_MIN)
        created_at = LC_TIME_MIN;
    if (created_at > LC_TIME_MAX)
        created_at = LC_TIME_MAX;
    return created_at >> (LC_SHIFT0 + LC_FANOUT_SHIFT * level); /* floor */
}

/* A run of whole buckets [lo, hi] at one level. */
struct lc_span {
    int level;
    int64_t lo, hi;
};

#define LC_SPANS_MAX (2 * (LC_LEVELS - 1) + 1)

/* How to count [start, end] (inclusive ms; INT64_MIN/INT64_MAX for open
 * ends): the spans of whole buckets, and up to two edge ranges of ms
 * [edge_lo[i], edge_hi[i]] to count from the campaigns themselves. */
struct lc_plan {
    struct lc_span spans[LC_SPANS_MAX];
    int nspans;
    int64_t edge_lo[2], edge_hi[2];
    int nedges;
};

void lc_plan(int64_t start, int64_t end, struct lc_plan *p);

/* A vector: counts per slot. */
struct lc_vec {
    int64_t n[LC_SLOTS];
};

/* Adds the counts of the stored text form ("slot:count,slot:count", slots
 * ascending) to v; -1 when the text is malformed. */
int lc_vec_add_text(struct lc_vec *v, const char *text);
/* The text form of v's non-zero slots into out (cap >= LC_TEXT_MAX);
 * returns its length.  Empty vectors give "". */
#define LC_TEXT_MAX (LC_SLOTS * 26 + 1) /* "159:-9223372036854775807," */
size_t lc_vec_text(const struct lc_vec *v, char *out, size_t cap);
/* Sums v's slots that pass the masks; *all gets the sum of every slot. */
int64_t lc_vec_sum(const struct lc_vec *v, uint32_t status_mask, uint32_t priority_mask,
                   uint32_t mode_mask, int64_t *all);

#endif
