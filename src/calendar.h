/* calendar.h - when a campaign's schedule fires and when its calling windows
 * are open (execution spec §2 and §3), on the wall clock of a time zone.
 * Pure functions of a campaign's stored document and an instant; times are
 * milliseconds since the epoch. */
#ifndef CAMPAIGND_CALENDAR_H
#define CAMPAIGND_CALENDAR_H

#include <jansson.h>
#include <stdint.h>

#include "contract.h"
#include "tz.h"

#define SCHED_NEVER INT64_MAX

/* An enabled schedule with a recurrence. */
struct sched {
    int64_t start, end; /* S and E: occurrences t have S <= t < E */
    int weekly;         /* 0 Daily, 1 Weekly */
    int every;          /* every N days, or N weeks */
    unsigned days;      /* Weekly: bit 0 Monday ... bit 6 Sunday */
    const struct tz *zone;
};

/* The schedule of a campaign's document (its "schedule" and its calling
 * hours' zone, UTC without one): 0, or -1 when it has none that fires
 * (not enabled, or imported without a recurrence). */
int sched_of(const json_t *doc, struct sched *out);

/* The first occurrence at or after t, or SCHED_NEVER. */
int64_t sched_next(const struct sched *s, int64_t t);

/* The last occurrence at or before t, or SCHED_NEVER when none. */
int64_t sched_prev(const struct sched *s, int64_t t);

/* Calling windows: callingHours.days, in minutes of the local day. */
struct hours {
    int n;
    struct {
        int day; /* 0 Monday ... 6 Sunday */
        int start, end;
    } w[CONTRACT_CALLING_DAYS_MAX];
    const struct tz *zone; /* callingHours.timezone */
};

/* The calling hours of a campaign's document: 1 with *out set, 0 when it
 * has none (no window limit), -1 when they cannot be read. */
int hours_of(const json_t *doc, struct hours *out);

/* The first instant at or after t inside one of h's windows on the wall
 * clock of zone (the record's, or h->zone when NULL), with that window's
 * end in *until; SCHED_NEVER when there is no window. */
int64_t hours_next_open(const struct hours *h, const struct tz *zone, int64_t t, int64_t *until);

/* The names of callingHours.days[].day and of weeklyDetails.whichDays,
 * Monday first, NULL-terminated. */
extern const char *const sched_window_days[];
extern const char *const sched_week_days[];

/* "9:00 AM" / "12:30 PM" -> minutes since midnight, or -1. */
int sched_clock_minutes(const char *s);

#endif
