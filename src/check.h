/* check.h - the one family of field checks, used by request bodies
 * (campaign_body.c, api_clists.c, the status view), import elements
 * (campaign.c) and query strings: each check reads one key of a JSON
 * object, reports a problem at its field path on an apierr and marks the
 * checker bad, so that every problem of a request is listed at once
 * (contract §2).  No server types; the limits come from contract.h.
 *
 *     struct check k = CHECK_BODY(e);
 *     const char *s = check_text(&k, body, "description", NULL, 0, CONTRACT_DESCRIPTION_MAX);
 *     if (k.bad) ... */
#ifndef CAMPAIGND_CHECK_H
#define CAMPAIGND_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"

struct check {
    struct apierr *e;
    const char *prefix;  /* non-NULL: every field is reported as "<prefix>.<field>" */
    bool null_absent;    /* null counts as absent (import, the listing); else a type error */
    int bad;             /* set by every failure */
};

/* A request body: fields from the root, null is a type error (family §12). */
#define CHECK_BODY(err) ((struct check){(err), NULL, false, 0})
/* An import element or a listing body: null is absent (contract §3, §6). */
#define CHECK_LENIENT(err, pre) ((struct check){(err), (pre), true, 0})

/* Reports msg (printf format) at field and marks k bad. */
void check_fail(struct check *k, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* obj[key], or NULL when absent (or null, when k->null_absent).  In every
 * check below, field NULL means the key itself. */
json_t *check_get(const struct check *k, const json_t *obj, const char *key);

/* A string: NULL when absent; a value of another type is reported. */
const char *check_string(struct check *k, const json_t *obj, const char *key, const char *field);

/* A string of min..max code points; NULL when absent or reported. */
const char *check_text(struct check *k, const json_t *obj, const char *key, const char *field,
                       size_t min, size_t max);

/* A name as family spec §1.2 defines it, of at most max code points: NULL
 * when absent (reported as "is required" when required) or reported. */
const char *check_name(struct check *k, const json_t *obj, const char *key, const char *field,
                       size_t max, bool required);

/* The same for a value already at hand (an array's element): v NULL is
 * reported as "is required". */
const char *check_name_value(struct check *k, const json_t *v, const char *field, size_t max);

/* An integer in [min, max]: 1 and *out when given, 0 absent, -1 reported. */
int check_int(struct check *k, const json_t *obj, const char *key, const char *field,
              int64_t min, int64_t max, int64_t *out);

/* A boolean: 1 and *out when given, 0 absent, -1 reported. */
int check_bool(struct check *k, const json_t *obj, const char *key, const char *field, bool *out);

/* One of the NULL-terminated strings values: its index, -1 absent, -2
 * reported with msg. */
int check_enum(struct check *k, const json_t *obj, const char *key, const char *field,
               const char *const *values, const char *msg);

/* An ISO 8601 timestamp (contract §4, timefmt.h): 1 and *out_ms when given,
 * 0 absent, -1 reported. */
int check_time(struct check *k, const json_t *obj, const char *key, const char *field,
               int64_t *out_ms);

/* The problem of s as a name of at most max_cp code points (family spec
 * §1.2: non-empty, not only white space, no control characters), or NULL. */
const char *check_name_problem(const char *s, size_t max_cp);

/* A count as contract §3 accepts it: a JSON integer, a string of decimal
 * digits, "" or null (absent).  1 and *out when a value in [min, max] is
 * given, 0 when absent (*out untouched), -1 when anything else. */
int check_count_value(const json_t *v, int64_t min, int64_t max, int64_t *out);

/* The paging numbers of contract §3, read from one object: skip (when
 * has_skip), limit (1..CONTRACT_LIMIT_MAX, default limit_default) and page
 * (1..CONTRACT_COUNT_MAX, default 1).  A bad value is reported and leaves
 * its default.  offset = skip + (page - 1) * limit. */
struct paging {
    int64_t skip, limit, page, offset;
};
void check_paging(struct check *k, const json_t *obj, bool has_skip, int64_t limit_default,
                  struct paging *out);

/* totalPages of contract §3: ceil(total / limit). */
int64_t check_total_pages(int64_t total, int64_t limit);

#endif
