/* log.c - see log.h. */
#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "timefmt.h"

static enum log_level log_level = LOG_INFO;
static int log_access_disabled;
static int log_fd = 2;        /* every line goes here, with one write(2) */
static char *log_path;        /* --log-file, or NULL */

int log_open_file(const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    if (log_fd != 2)
        close(log_fd); /* --log-file given twice: the last one */
    free(log_path);
    log_path = strdup(path);
    log_fd = fd;
    return 0;
}

int log_reopen(void)
{
    if (log_path == NULL)
        return 0;
    int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    /* dup2 replaces the descriptor in one step: a writer in another thread
     * writes to the old file or the new one, never to a closed one. */
    int rc = dup2(fd, log_fd) < 0 ? -1 : 0;
    close(fd);
    return rc;
}

static void log_write(const char *line, size_t len)
{
    ssize_t w = write(log_fd, line, len);
    (void)w; /* nowhere to say that logging failed */
}

static const char *const log_names[] = {"error", "warn", "info", "debug"};

void log_set_level(enum log_level level)
{
    log_level = level;
}

void log_access_off(void)
{
    log_access_disabled = 1;
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
    log_write(line, len);
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
    if (log_access_disabled)
        return;
    char ts[TIMEFMT_LEN + 1], m[16], p[512], id[160], line[900];
    timefmt_format(timefmt_now_ms(), ts);
    log_sanitize(m, sizeof m, method ? method : "-");
    log_sanitize(p, sizeof p, path ? path : "-");
    log_sanitize(id, sizeof id, request_id ? request_id : "-");
    int n = snprintf(line, sizeof line, "%s access \"%s %s\" %d %zu %lldus %s\n", ts, m, p,
                     status, bytes, (long long)usec, id);
    if (n > 0)
        log_write(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}
