/* log.h - leveled logging and the access log, to stderr or a log file.
 * The level is checked before anything is formatted.  Lines are written with
 * one write(2) each, so lines from different threads never interleave. */
#ifndef CAMPAIGND_LOG_H
#define CAMPAIGND_LOG_H

#include <stdint.h>
#include <stdio.h>

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
/* Turns the access log off (it goes where the other lines go). */
void log_access_off(void);
/* Sends every line to the file at path (appended, created 0640) instead of
 * stderr: 0, or -1 with errno. */
int log_open_file(const char *path);
/* Opens the log file's path again (after logrotate moved it), switching
 * every writer at once: 0, or -1 with errno (the old file stays in use).
 * Does nothing without a log file. */
int log_reopen(void);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

/* One access line: method, path (no query string: it never reaches the log),
 * status, response body bytes, duration in microseconds. */
void log_access(const char *method, const char *path, int status, size_t bytes, int64_t usec,
                const char *request_id);

#endif
