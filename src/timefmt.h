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

/* The current time in milliseconds. */
int64_t timefmt_now_ms(void);

#endif
