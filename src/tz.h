/* tz.h - IANA time zones read from the host's tz database (TZif files,
 * RFC 8536), without the C library's process-wide TZ: a zone is loaded
 * once, kept for the life of the process, and safe to share between
 * threads.  Times are milliseconds since the epoch (UTC); "local" times are
 * the same count on the zone's wall clock (local date-time as if it were
 * UTC).  Knows nothing of campaigns. */
#ifndef CAMPAIGND_TZ_H
#define CAMPAIGND_TZ_H

#include <stdint.h>

struct tz;

/* The zone of an IANA name ("America/New_York", "UTC"), loaded on first
 * use; NULL when the name is not a zone of the host's database (or not a
 * safe name: at most CONTRACT_TZ_MAX of [A-Za-z0-9/_+-], no "..", not
 * starting with '/'). */
const struct tz *tz_get(const char *name);

/* The zone's offset from UTC, in seconds east, at instant t_ms. */
int tz_offset(const struct tz *z, int64_t t_ms);

/* The local wall-clock time of instant t_ms. */
int64_t tz_to_local(const struct tz *z, int64_t t_ms);

/* The instant at which the zone's wall clock shows local_ms.  A local time
 * that does not exist (skipped when clocks go forward) gives the first
 * instant after the gap; one that happens twice gives the first of the
 * two. */
int64_t tz_from_local(const struct tz *z, int64_t local_ms);

#endif
