/* log.c - see log.h. */
#include "log.h"

#include <stdarg.h>
#include <string.h>

#include "timefmt.h"

static enum log_level log_level = LOG_INFO;
static FILE *log_access_fp;
static int log_access_set;

static const char *const log_names[] = {"error", "warn", "info", "debug"};

void log_set_level(enum log_level level)
{
    log_level = level;
}

void log_set_access(FILE *fp)
{
    log_access_fp = fp;
    log_access_set = 1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level > log_level)
        return;
    char ts[TIMEFMT_LEN + 1], line[1024];
    timefmt_format(timefmt_now_ms(), ts);
    int n = snprintf(line, sizeof line, "%s %s ", ts, log_names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    fwrite(line, 1, len, stderr);
}

/* Copies s into out, replacing control characters and quotes so that a
 * hostile path cannot forge log lines. */
static void log_sanitize(char *out, size_t cap, const char *s)
{
    size_t i = 0;
    for (; *s && i + 1 < cap; s++)
        out[i++] = ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '"') ? '?' : *s;
    out[i] = '\0';
}

void log_access(const char *method, const char *path, int status, size_t bytes, int64_t usec,
                const char *request_id)
{
    FILE *fp = log_access_set ? log_access_fp : stderr;
    if (fp == NULL)
        return;
    char ts[TIMEFMT_LEN + 1], m[16], p[512], id[160], line[900];
    timefmt_format(timefmt_now_ms(), ts);
    log_sanitize(m, sizeof m, method ? method : "-");
    log_sanitize(p, sizeof p, path ? path : "-");
    log_sanitize(id, sizeof id, request_id ? request_id : "-");
    int n = snprintf(line, sizeof line, "%s access \"%s %s\" %d %zu %lldus %s\n", ts, m, p,
                     status, bytes, (long long)usec, id);
    if (n > 0)
        fwrite(line, 1, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, fp);
}
