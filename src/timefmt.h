/* timefmt.h - timestamps as milliseconds since the Unix epoch (UTC).
 *
 * Knows nothing of the server.  Parsing accepts what contract.md §3 allows:
 *   YYYY-MM-DD                                   midnight UTC of that day
 *   YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)
 * The fraction may have any number of digits (at most 9); it is truncated to
 * the millisecond.  Years are 0000..9999.  'T' and 'Z' may be lowercase, as
 * RFC 3339 permits. */
#ifndef CAMPAIGND_TIMEFMT_H
#define CAMPAIGND_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Length of a formatted timestamp, "2025-12-08T09:17:21.090Z", without NUL. */
#define TIMEFMT_LEN 24

/* Parses s[0..len) into *ms.  Returns 0, or -1 when s is not a valid
 * timestamp (out-of-range fields included); *ms is untouched then. */
int timefmt_parse(const char *s, size_t len, int64_t *ms);

/* Writes ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" into out (TIMEFMT_LEN + 1 bytes).
 * ms must lie in years 0000..9999 (what timefmt_parse can produce). */
void timefmt_format(int64_t ms, char out[TIMEFMT_LEN + 1]);

/* The current time in milliseconds: the clock of execution spec §1, which
 * every stored timestamp, schedule, calling hour, pace, lease and JWT time
 * check reads.  It is the system's time until timefmt_clock_init. */
int64_t timefmt_now_ms(void);

/* Starts the clock at start_ms (TIMEFMT_CLOCK_SYSTEM: the system's time
 * now), running rate times faster than real time from now on, and
 * monotonic whatever the system clock does.  Call once, before threads. */
#define TIMEFMT_CLOCK_SYSTEM INT64_MIN
void timefmt_clock_init(int64_t start_ms, double rate);
/* Real time elapsed, in milliseconds from an arbitrary origin (the
 * monotonic clock): for intervals that protect the process itself, such as
 * the request rate limit and credential polling, whatever the clock's rate. */
int64_t timefmt_mono_ms(void);
/* The same in microseconds: for measuring how long something took. */
int64_t timefmt_mono_us(void);

/* The clock's rate (1 before timefmt_clock_init). */
double timefmt_clock_rate(void);

/* a / b rounded towards minus infinity (b > 0): the day, second, ... that
 * holds a time before the epoch too. */
static inline int64_t timefmt_floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), and back. */
int64_t timefmt_days_from_civil(int64_t y, int m, int d);
void timefmt_civil_from_days(int64_t days, int *y, int *m, int *d);

#endif
