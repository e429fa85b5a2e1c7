/* apierr.h - an API error in the making: a status, one human sentence and
 * the list of offending fields (contract.md §2).
 *
 * Each request owns one struct apierr (never a global); parsers and the store
 * add to it, and the HTTP layer turns it into the error body in one place
 * (server.c).  Building blocks that know no HTTP still use it: a status is
 * just an int here. */
#ifndef CAMPAIGND_APIERR_H
#define CAMPAIGND_APIERR_H

#include <jansson.h>
#include <stdbool.h>

struct apierr {
    int status;                      /* 0 while no error has been set */
    char *message;                   /* one sentence; owned, NULL until set */
    json_t *errors;                  /* array of {"field"?, "msg"}; owned */
    char allow[64];                  /* 405 only: the Allow header */
    int retry_after;                 /* 429 only: seconds, the Retry-After header */
};

void apierr_init(struct apierr *e);
void apierr_clear(struct apierr *e);

/* Sets status and message.  The first call wins: a later, more generic
 * failure does not hide the first cause. */
void apierr_set(struct apierr *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Replaces status and message whatever was set before (for a caller that
 * knows better than the layer below, e.g. a 404 that names the object). */
void apierr_reset(struct apierr *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The message, or "" when none was set. */
const char *apierr_message(const struct apierr *e);

/* Appends one problem.  field may be NULL (a problem of no field). */
void apierr_field(struct apierr *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether a problem was already reported at field, or below it
 * (field.x, field[i]). */
int apierr_has_field(const struct apierr *e, const char *field);

/* Number of problems appended so far. */
size_t apierr_count(const struct apierr *e);

/* Shorthand: apierr_set + one apierr_field. */
void apierr_one(struct apierr *e, int status, const char *field, const char *msg);

/* The contract's error body; a new reference. */
json_t *apierr_body(const struct apierr *e);

#endif
