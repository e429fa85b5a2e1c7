/* log.h - leveled logging to stderr and the access log.
 * The level is checked before anything is formatted.  Lines are written with
 * one fwrite each, so lines from different threads never interleave. */
#ifndef CAMPAIGND_LOG_H
#define CAMPAIGND_LOG_H

#include <stdint.h>
#include <stdio.h>

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
/* Where access lines go; NULL turns the access log off.  Default stderr. */
void log_set_access(FILE *fp);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

/* One access line: method, path (no query string: it never reaches the log),
 * status, response body bytes, duration in microseconds. */
void log_access(const char *method, const char *path, int status, size_t bytes, int64_t usec,
                const char *request_id);

#endif
