/* tz.c - IANA time zones from TZif files (RFC 8536): the transition table,
 * and after its last transition the POSIX TZ rule of the file's footer. */
#include "tz.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contract.h"
#include "timefmt.h"
#include "xalloc.h"

#define TZ_DIR "/usr/share/zoneinfo/"
#define TZ_FILE_MAX (256 * 1024)
#define TZ_ZONES_MAX 2048   /* zones kept; the database holds about 600 */
#define TZ_OFFSET_MAX 93600 /* |offset| in seconds: 26 hours */

/* One end of daylight time in a POSIX TZ rule: "Mm.w.d", "Jn" or "n", then
 * the local time of day in seconds (may be negative or past 24 h). */
struct tz_when {
    char kind; /* 'M', 'J' or 'n' */
    int m, w, d, n;
    int32_t secs;
};

struct tz_rule {
    int32_t std_off, dst_off; /* seconds east of UTC */
    int has_dst;
    struct tz_when start, end;
};

struct tz {
    char name[CONTRACT_TZ_MAX + 1];
    size_t n;     /* transitions */
    int64_t *at;  /* seconds, ascending */
    int32_t *off; /* offset from at[i] on */
    int32_t off0; /* before at[0] (time type 0) */
    int has_rule; /* the footer applies from at[n - 1] (or always when n is 0) */
    struct tz_rule rule;
};

/* ---- POSIX TZ rules ------------------------------------------------------- */

static int rd_num(const char **p, int max_digits, int *out)
{
    int v = 0, n = 0;
    while (**p >= '0' && **p <= '9' && n < max_digits) {
        v = v * 10 + (*(*p)++ - '0');
        n++;
    }
    *out = v;
    return n > 0 ? 0 : -1;
}

/* [+-]hh[:mm[:ss]] into seconds (sign as written): 0, or -1. */
static int rd_hms(const char **p, int max_hours, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (**p == '+' || **p == '-')
        sign = *(*p)++ == '-' ? -1 : 1;
    if (rd_num(p, 3, &h) != 0 || h > max_hours)
        return -1;
    if (**p == ':' && ((*p)++, rd_num(p, 2, &m) != 0 || m > 59))
        return -1;
    if (**p == ':' && ((*p)++, rd_num(p, 2, &s) != 0 || s > 59))
        return -1;
    *out = sign * (h * 3600 + m * 60 + s);
    return 0;
}

/* A zone abbreviation: "<...>" or three or more letters. */
static int rd_abbr(const char **p)
{
    const char *s = *p;
    if (*s == '<') {
        while (*s && *s != '>')
            s++;
        if (*s != '>')
            return -1;
        *p = s + 1;
        return 0;
    }
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
        s++;
    if (s - *p < 3)
        return -1;
    *p = s;
    return 0;
}

static int rd_when(const char **p, struct tz_when *w)
{
    memset(w, 0, sizeof *w);
    w->secs = 7200;
    if (**p == 'M') {
        (*p)++;
        w->kind = 'M';
        if (rd_num(p, 2, &w->m) != 0 || w->m < 1 || w->m > 12 || *(*p)++ != '.' ||
            rd_num(p, 1, &w->w) != 0 || w->w < 1 || w->w > 5 || *(*p)++ != '.' ||
            rd_num(p, 1, &w->d) != 0 || w->d > 6)
            return -1;
    } else {
        w->kind = **p == 'J' ? 'J' : 'n';
        if (**p == 'J')
            (*p)++;
        if (rd_num(p, 3, &w->n) != 0 || w->n > 365 || (w->kind == 'J' && w->n < 1))
            return -1;
    }
    if (**p == '/') {
        (*p)++;
        return rd_hms(p, 167, &w->secs);
    }
    return 0;
}

/* "STDoff[DST[off][,start[/time],end[/time]]]": 0, or -1 when not
 * understood (the table's last offset is used then). */
static int rule_parse(const char *s, struct tz_rule *r)
{
    int32_t off;
    memset(r, 0, sizeof *r);
    if (rd_abbr(&s) != 0 || rd_hms(&s, 24, &off) != 0)
        return -1;
    r->std_off = -off;
    if (*s == '\0')
        return 0;
    if (rd_abbr(&s) != 0)
        return -1;
    r->dst_off = r->std_off + 3600;
    if (*s != ',' && *s != '\0') {
        if (rd_hms(&s, 24, &off) != 0)
            return -1;
        r->dst_off = -off;
    }
    if (*s++ != ',' || rd_when(&s, &r->start) != 0 || *s++ != ',' || rd_when(&s, &r->end) != 0 ||
        *s != '\0')
        return -1;
    r->has_dst = 1;
    return 0;
}

/* The day (days since the epoch) a rule end falls on in year y. */
static int64_t when_day(const struct tz_when *w, int y)
{
    int64_t jan1 = timefmt_days_from_civil(y, 1, 1);
    int leap = timefmt_days_from_civil(y + 1, 1, 1) - jan1 == 366;
    if (w->kind == 'J')
        return jan1 + w->n - 1 + (leap && w->n >= 60);
    if (w->kind == 'n')
        return jan1 + w->n;
    int64_t first = timefmt_days_from_civil(y, w->m, 1);
    int64_t next =
        w->m == 12 ? timefmt_days_from_civil(y + 1, 1, 1) : timefmt_days_from_civil(y, w->m + 1, 1);
    int wday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int64_t day = first + (w->d - wday + 7) % 7 + (int64_t)(w->w - 1) * 7;
    while (day >= next)
        day -= 7;
    return day;
}

static int32_t rule_offset(const struct tz_rule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    int y, m, d;
    timefmt_civil_from_days(timefmt_floor_div(t + r->std_off, 86400), &y, &m, &d);
    int64_t start = when_day(&r->start, y) * 86400 + r->start.secs - r->std_off;
    int64_t end = when_day(&r->end, y) * 86400 + r->end.secs - r->dst_off;
    int dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? r->dst_off : r->std_off;
}

/* ---- TZif files ----------------------------------------------------------- */

static int64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    if (n == 4)
        return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

struct tzif_counts {
    int64_t isut, isstd, leap, time, type, chars;
};

/* The six counts of the header at p (44 bytes): 0, or -1 when absurd. */
static int tzif_counts(const unsigned char *p, struct tzif_counts *c)
{
    if (memcmp(p, "TZif", 4) != 0)
        return -1;
    c->isut = be(p + 20, 4);
    c->isstd = be(p + 24, 4);
    c->leap = be(p + 28, 4);
    c->time = be(p + 32, 4);
    c->type = be(p + 36, 4);
    c->chars = be(p + 40, 4);
    return c->time < 0 || c->time > 100000 || c->type < 1 || c->type > 256 || c->chars < 0 ||
                   c->leap < 0 || c->isut < 0 || c->isstd < 0
               ? -1
               : 0;
}

static int64_t tzif_size(const struct tzif_counts *c, int tsize)
{
    return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) + c->isstd +
           c->isut;
}

/* Parses the file's bytes into z: 0, or -1. */
static int tzif_parse(const unsigned char *buf, size_t len, struct tz *z)
{
    struct tzif_counts c;
    if (len < 44 || tzif_counts(buf, &c) != 0)
        return -1;
    const unsigned char *p = buf + 44, *end = buf + len;
    int tsize = 4;
    if (buf[4] >= '2') {
        int64_t skip = tzif_size(&c, 4);
        if (skip + 44 > end - p || tzif_counts(p + skip, &c) != 0)
            return -1;
        p += skip + 44;
        tsize = 8;
    }
    if (tzif_size(&c, tsize) > end - p)
        return -1;
    const unsigned char *times = p, *idx = p + c.time * tsize, *types = idx + c.time;
    for (int64_t i = 0; i < c.type; i++) {
        int64_t off = be(types + i * 6, 4);
        if (off < -TZ_OFFSET_MAX || off > TZ_OFFSET_MAX)
            return -1;
    }
    z->n = (size_t)c.time;
    z->at = xcalloc(z->n ? z->n : 1, sizeof *z->at);
    z->off = xcalloc(z->n ? z->n : 1, sizeof *z->off);
    z->off0 = (int32_t)be(types, 4);
    for (size_t i = 0; i < z->n; i++) {
        if (idx[i] >= c.type || (i > 0 && be(times + i * tsize, tsize) <= z->at[i - 1]))
            return -1;
        z->at[i] = be(times + i * tsize, tsize);
        z->off[i] = (int32_t)be(types + idx[i] * 6, 4);
    }
    p += tzif_size(&c, tsize);
    /* The footer: "\n<POSIX TZ>\n" (version 2 and later). */
    if (tsize == 8 && p < end && *p == '\n') {
        const unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
        if (nl != NULL && nl - p - 1 < 128) {
            char text[128];
            memcpy(text, p + 1, (size_t)(nl - p - 1));
            text[nl - p - 1] = '\0';
            z->has_rule = text[0] != '\0' && rule_parse(text, &z->rule) == 0;
        }
    }
    return 0;
}

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > CONTRACT_TZ_MAX || name[0] == '/' || strstr(name, "..") != NULL)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return 0;
    return 1;
}

/* Reads and parses the zone's file: the zone, or NULL. */
static struct tz *tz_load(const char *name)
{
    char path[sizeof TZ_DIR + CONTRACT_TZ_MAX];
    memcpy(path, TZ_DIR, sizeof TZ_DIR - 1);
    memcpy(path + sizeof TZ_DIR - 1, name, strlen(name) + 1);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    unsigned char *buf = xmalloc(TZ_FILE_MAX);
    size_t len = 0;
    ssize_t r;
    while (len < TZ_FILE_MAX && (r = read(fd, buf + len, TZ_FILE_MAX - len)) > 0)
        len += (size_t)r;
    close(fd);
    struct tz *z = xcalloc(1, sizeof *z);
    memcpy(z->name, name, strlen(name) + 1);
    if (len >= TZ_FILE_MAX || tzif_parse(buf, len, z) != 0) {
        free(z->at);
        free(z->off);
        free(z);
        z = NULL;
    }
    free(buf);
    return z;
}

/* ---- the zones kept ------------------------------------------------------- */

static pthread_mutex_t zones_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz *zones[TZ_ZONES_MAX];
static size_t nzones;

const struct tz *tz_get(const char *name)
{
    if (name == NULL || !name_ok(name))
        return NULL;
    struct tz *z = NULL;
    pthread_mutex_lock(&zones_lock);
    for (size_t i = 0; i < nzones && z == NULL; i++)
        if (strcmp(zones[i]->name, name) == 0)
            z = zones[i];
    if (z == NULL && nzones < TZ_ZONES_MAX && (z = tz_load(name)) != NULL)
        zones[nzones++] = z;
    pthread_mutex_unlock(&zones_lock);
    return z;
}

/* ---- conversions ---------------------------------------------------------- */

int tz_offset(const struct tz *z, int64_t t_ms)
{
    int64_t t = timefmt_floor_div(t_ms, 1000);
    if (z->n == 0)
        return z->has_rule ? rule_offset(&z->rule, t) : z->off0;
    if (t < z->at[0])
        return z->off0;
    if (t >= z->at[z->n - 1] && z->has_rule)
        return rule_offset(&z->rule, t);
    size_t lo = 0, hi = z->n; /* at[lo] <= t < at[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->off[lo];
}

int64_t tz_to_local(const struct tz *z, int64_t t_ms)
{
    return t_ms + (int64_t)tz_offset(z, t_ms) * 1000;
}

int64_t tz_from_local(const struct tz *z, int64_t local_ms)
{
    /* The offsets a day before and a day after: a wall-clock time lies
     * between at most one change of offset. */
    int64_t before = (int64_t)tz_offset(z, local_ms - 86400000) * 1000;
    int64_t after = (int64_t)tz_offset(z, local_ms + 86400000) * 1000;
    int64_t t1 = local_ms - before, t2 = local_ms - after;
    int ok1 = tz_offset(z, t1) * 1000LL == before, ok2 = tz_offset(z, t2) * 1000LL == after;
    if (ok1 && ok2)
        return t1 < t2 ? t1 : t2;
    if (ok1 || ok2)
        return ok1 ? t1 : t2;
    /* A gap: the clocks jumped from `before` to `after` at an instant in
     * (t2, t1]; the first instant after the gap is that change. */
    int64_t lo = t2, hi = t1; /* offset(lo) is before's, offset(hi) is not */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (tz_offset(z, mid) * 1000LL == before)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}
