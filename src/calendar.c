/* calendar.c - see calendar.h.  Dates are days since 1970-01-01 on the zone's
 * wall clock; an occurrence or a window edge is a local date and time of
 * day turned into an instant by tz_from_local, which also settles the
 * local times that a daylight-saving change skips or repeats. */
#include "calendar.h"

#include <string.h>

#include "timefmt.h"

#define DAY_MS INT64_C(86400000)
#define DATE_MIN INT64_MIN

const char *const sched_window_days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU", NULL};
const char *const sched_week_days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", NULL};

/* 0 Monday ... 6 Sunday (1970-01-01 was a Thursday). */
static int weekday(int64_t date)
{
    return (int)(((date + 3) % 7 + 7) % 7);
}

static int64_t local_date(const struct tz *z, int64_t t)
{
    return timefmt_floor_div(tz_to_local(z, t), DAY_MS);
}

int sched_clock_minutes(const char *s)
{
    int h = 0, i = 0;
    if (s[i] < '0' || s[i] > '9')
        return -1;
    h = s[i++] - '0';
    if (s[i] >= '0' && s[i] <= '9')
        h = h * 10 + (s[i++] - '0');
    if (h < 1 || h > 12 || s[i++] != ':')
        return -1;
    if (s[i] < '0' || s[i] > '5' || s[i + 1] < '0' || s[i + 1] > '9')
        return -1;
    int m = (s[i] - '0') * 10 + (s[i + 1] - '0');
    i += 2;
    if (s[i++] != ' ' || (s[i] != 'A' && s[i] != 'P') || s[i + 1] != 'M' || s[i + 2] != '\0')
        return -1;
    return (h % 12) * 60 + m + (s[i] == 'P' ? 720 : 0);
}

static int name_index(const char *const *names, const char *s)
{
    for (int i = 0; s != NULL && names[i] != NULL; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* The zone of a document's calling hours, UTC without one. */
static const struct tz *doc_zone(const json_t *doc)
{
    json_t *ch = json_object_get(json_object_get(doc, "dialingStrategy"), "callingHours");
    const struct tz *z = tz_get(json_string_value(json_object_get(ch, "timezone")));
    return z != NULL ? z : tz_get("UTC");
}

static int doc_time(const json_t *o, const char *key, int64_t *ms)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL && timefmt_parse(s, strlen(s), ms) == 0 ? 0 : -1;
}

int sched_of(const json_t *doc, struct sched *out)
{
    json_t *sc = json_object_get(doc, "schedule");
    json_t *ro = json_object_get(sc, "recurrenceObject");
    const char *type = json_string_value(json_object_get(ro, "recurType"));
    memset(out, 0, sizeof *out);
    if (!json_is_true(json_object_get(sc, "isSchedulingEnabled")) || type == NULL ||
        doc_time(sc, "startDateTime", &out->start) != 0 ||
        doc_time(sc, "endDateTime", &out->end) != 0 || (out->zone = doc_zone(doc)) == NULL)
        return -1;
    out->weekly = strcmp(type, "Weekly") == 0;
    json_t *d = json_object_get(ro, out->weekly ? "weeklyDetails" : "dailyDetails");
    out->every = (int)json_integer_value(
        json_object_get(d, out->weekly ? "onceEveryNweeks" : "onceEveryNdays"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(d, "whichDays"), i, v)
    {
        int di = name_index(sched_week_days, json_string_value(v));
        if (di >= 0)
            out->days |= 1u << di;
    }
    return out->every >= 1 && (!out->weekly || out->days != 0) ? 0 : -1;
}

/* The first occurrence date at or after date d, given S's local date d0;
 * INT64_MAX when none (cannot happen with a valid schedule). */
static int64_t first_date(const struct sched *s, int64_t d0, int64_t d)
{
    if (d < d0)
        d = d0;
    if (!s->weekly)
        return d0 + (d - d0 + s->every - 1) / s->every * s->every;
    int64_t monday0 = d0 - weekday(d0);
    for (int guard = 0; guard < 64; guard++) {
        int64_t w = (d - monday0) / 7;
        if (w % s->every != 0)
            d = monday0 + (w / s->every + 1) * s->every * 7;
        else if (s->days & (1u << weekday(d)))
            return d;
        else
            d++;
    }
    return INT64_MAX;
}

/* The last occurrence date at or before d, or DATE_MIN. */
static int64_t last_date(const struct sched *s, int64_t d0, int64_t d)
{
    if (d < d0)
        return DATE_MIN;
    if (!s->weekly)
        return d0 + (d - d0) / s->every * s->every;
    int64_t monday0 = d0 - weekday(d0);
    for (int guard = 0; guard < 64 && d >= d0; guard++) {
        int64_t w = (d - monday0) / 7;
        if (w % s->every != 0)
            d = monday0 + (w / s->every * s->every) * 7 + 6;
        else if (s->days & (1u << weekday(d)))
            return d;
        else
            d--;
    }
    return DATE_MIN;
}

int64_t sched_next(const struct sched *s, int64_t t)
{
    int64_t ls = tz_to_local(s->zone, s->start);
    int64_t d0 = timefmt_floor_div(ls, DAY_MS), tod = ls - d0 * DAY_MS;
    int64_t d = local_date(s->zone, t) - 1;
    for (int guard = 0; guard < 16; guard++) {
        int64_t x = first_date(s, d0, d);
        if (x == INT64_MAX)
            return SCHED_NEVER;
        int64_t at = tz_from_local(s->zone, x * DAY_MS + tod);
        if (at >= t && at >= s->start)
            return at < s->end ? at : SCHED_NEVER;
        d = x + 1;
    }
    return SCHED_NEVER;
}

int64_t sched_prev(const struct sched *s, int64_t t)
{
    if (t >= s->end)
        t = s->end - 1;
    int64_t ls = tz_to_local(s->zone, s->start);
    int64_t d0 = timefmt_floor_div(ls, DAY_MS), tod = ls - d0 * DAY_MS;
    int64_t d = local_date(s->zone, t) + 1;
    for (int guard = 0; guard < 16; guard++) {
        int64_t x = last_date(s, d0, d);
        if (x == DATE_MIN)
            return SCHED_NEVER;
        int64_t at = tz_from_local(s->zone, x * DAY_MS + tod);
        if (at < s->start)
            return SCHED_NEVER;
        if (at <= t && at < s->end)
            return at;
        d = x - 1;
    }
    return SCHED_NEVER;
}

int hours_of(const json_t *doc, struct hours *out)
{
    json_t *ch = json_object_get(json_object_get(doc, "dialingStrategy"), "callingHours");
    memset(out, 0, sizeof *out);
    if (ch == NULL)
        return 0;
    if ((out->zone = tz_get(json_string_value(json_object_get(ch, "timezone")))) == NULL)
        return -1;
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(ch, "days"), i, w)
    {
        if (out->n >= CONTRACT_CALLING_DAYS_MAX)
            return -1;
        int day = name_index(sched_window_days, json_string_value(json_object_get(w, "day")));
        const char *a = json_string_value(json_object_get(w, "start"));
        const char *b = json_string_value(json_object_get(w, "end"));
        int start = a ? sched_clock_minutes(a) : -1, end = b ? sched_clock_minutes(b) : -1;
        if (day < 0 || start < 0 || end <= start)
            return -1;
        out->w[out->n].day = day;
        out->w[out->n].start = start;
        out->w[out->n].end = end;
        out->n++;
    }
    return 1;
}

int64_t hours_next_open(const struct hours *h, const struct tz *zone, int64_t t, int64_t *until)
{
    const struct tz *z = zone != NULL ? zone : h->zone;
    int64_t best = SCHED_NEVER, best_end = SCHED_NEVER;
    int64_t today = local_date(z, t);
    /* Yesterday's windows may still be open (an offset change); a week
     * and a day ahead holds the next window of every weekday. */
    for (int64_t x = today - 1; x <= today + 8 && best == SCHED_NEVER; x++) {
        for (int i = 0; i < h->n; i++) {
            if (h->w[i].day != weekday(x))
                continue;
            int64_t open = tz_from_local(z, x * DAY_MS + h->w[i].start * INT64_C(60000));
            int64_t close = tz_from_local(z, x * DAY_MS + h->w[i].end * INT64_C(60000));
            if (close <= t || close <= open)
                continue;
            int64_t at = open > t ? open : t;
            if (at < best) {
                best = at;
                best_end = close;
            }
        }
    }
    if (until != NULL)
        *until = best_end;
    return best;
}
