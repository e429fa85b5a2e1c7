/* campaign_body.c - create and update bodies of the campaign routes (family
 * spec §3, §4.1, §5.1): field rules, the merge onto a stored campaign, and
 * the completeness rules of the resulting format or dialing mode.
 *
 * Create and update share one path: a create starts from an empty campaign
 * of the query's type, an update from the stored one; campaign_apply_body
 * merges the given fields, campaign_complete checks what the result needs.
 * References by name (lists, experience flow, template) are left for the
 * store to resolve inside the write's transaction. */
#include "campaign.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "contract.h"
#include "jsonio.h"
#include "calendar.h"
#include "text.h"
#include "timefmt.h"
#include "xalloc.h"

int campaign_phone_valid(const char *s)
{
    if (*s == '+')
        s++;
    size_t n = strlen(s);
    if (n < 7 || n > 15 || *s < '1' || *s > '9')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* One calling window {day, start, end} at field: 0 with w set (start and
 * end in minutes since midnight), -1 when reported. */
struct window {
    int day, start, end;
};
static int calling_window(struct check *k, json_t *d, const char *field, struct window *w)
{
    if (!json_is_object(d)) {
        check_fail(k, field, "must be an object {day, start, end}");
        return -1;
    }
    char fd[112], fs[112], fe[112];
    snprintf(fd, sizeof fd, "%s.day", field);
    snprintf(fs, sizeof fs, "%s.start", field);
    snprintf(fe, sizeof fe, "%s.end", field);
    int dn = check_enum(k, d, "day", fd, sched_window_days, "must be one of MO TU WE TH FR SA SU");
    if (dn == -1)
        check_fail(k, fd, "is required");
    const char *s = check_string(k, d, "start", fs), *e = check_string(k, d, "end", fe);
    int sm = s ? sched_clock_minutes(s) : -1, em = e ? sched_clock_minutes(e) : -1;
    if (s == NULL && json_object_get(d, "start") == NULL)
        check_fail(k, fs, "is required");
    else if (s != NULL && sm < 0)
        check_fail(k, fs, "must look like 9:00 AM");
    if (e == NULL && json_object_get(d, "end") == NULL)
        check_fail(k, fe, "is required");
    else if (e != NULL && em < 0)
        check_fail(k, fe, "must look like 6:00 PM");
    if (sm >= 0 && em >= 0 && sm >= em) {
        check_fail(k, fe, "must be after start");
        return -1;
    }
    if (dn < 0 || sm < 0 || em < 0)
        return -1;
    *w = (struct window){dn, sm, em};
    return 0;
}

/* callingHours.days: the stored windows, or NULL when reported.  Windows
 * are half-open: one may start when another of its day ends. */
static json_t *calling_days(struct check *k, json_t *days)
{
    enum { N = CONTRACT_CALLING_DAYS_MAX };
    struct window w[N];
    if (days == NULL) {
        check_fail(k, "dialingStrategy.callingHours.days", "is required");
        return NULL;
    }
    if (!json_is_array(days) || json_array_size(days) < 1 || json_array_size(days) > N) {
        check_fail(k, "dialingStrategy.callingHours.days",
                   "must be an array of 1 to %d calling windows", N);
        return NULL;
    }
    json_t *out = json_array();
    for (size_t i = 0; i < json_array_size(days); i++) {
        json_t *d = json_array_get(days, i);
        char field[96];
        snprintf(field, sizeof field, "dialingStrategy.callingHours.days[%zu]", i);
        w[i].day = -1;
        if (calling_window(k, d, field, &w[i]) != 0) {
            w[i].day = -1;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (w[j].day == w[i].day && w[j].start < w[i].end && w[i].start < w[j].end) {
                check_fail(k, field, "overlaps another calling window of the same day");
                break;
            }
        }
        json_array_append_new(out, json_pack("{s:s, s:O, s:O}", "day", sched_window_days[w[i].day],
                                             "start", json_object_get(d, "start"), "end",
                                             json_object_get(d, "end")));
    }
    return out;
}

/* callingHours, which replaces the stored value whole: returns the stored
 * form {frequency, timezone, days: [{day, start, end}]} or NULL. */
static json_t *check_calling_hours(struct check *k, json_t *v)
{
    static const char *const freqs[] = {"WEEKLY", "DAILY", "CUSTOM", NULL};
    if (!json_is_object(v)) {
        check_fail(k, "dialingStrategy.callingHours", "must be an object");
        return NULL;
    }
    int before = k->bad;
    k->bad = 0;
    int f = check_enum(k, v, "frequency", "dialingStrategy.callingHours.frequency", freqs,
                       "must be WEEKLY, DAILY or CUSTOM");
    if (f == -1)
        check_fail(k, "dialingStrategy.callingHours.frequency", "is required");
    const char *tz = check_string(k, v, "timezone", "dialingStrategy.callingHours.timezone");
    if (tz == NULL && json_object_get(v, "timezone") == NULL)
        check_fail(k, "dialingStrategy.callingHours.timezone", "is required");
    else if (tz != NULL && tz_get(tz) == NULL)
        check_fail(k, "dialingStrategy.callingHours.timezone",
                   "must be an IANA time zone such as Asia/Kolkata");
    json_t *out_days = calling_days(k, json_object_get(v, "days"));
    int ok = !k->bad;
    k->bad |= before;
    if (!ok) {
        json_decref(out_days);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:o}", "frequency", freqs[f], "timezone", tz, "days", out_days);
}

/* dialingStrategy is merged by its direct keys into the stored one. */
static void apply_strategy(struct check *k, struct campaign *c, json_t *v)
{
    static const char *const orders[] = {"FIFO", "LIFO", NULL};
    if (!json_is_object(v)) {
        check_fail(k, "dialingStrategy", "must be an object");
        return;
    }
    json_t *ds = json_object_get(c->doc, "dialingStrategy");
    ds = json_is_object(ds) ? json_deep_copy(ds) : json_object();
    json_t *x = json_object_get(v, "callerId");
    if (x != NULL) {
        const char *phone = json_is_object(x)
                                ? check_string(k, x, "phoneNumber", "dialingStrategy.callerId.phoneNumber")
                                : NULL;
        if (!json_is_object(x))
            check_fail(k, "dialingStrategy.callerId", "must be an object {phoneNumber}");
        else if (phone == NULL && json_object_get(x, "phoneNumber") == NULL)
            check_fail(k, "dialingStrategy.callerId.phoneNumber", "is required");
        else if (phone != NULL && !campaign_phone_valid(phone))
            check_fail(k, "dialingStrategy.callerId.phoneNumber", "must be an E.164 phone number");
        else if (phone != NULL)
            json_object_set_new(ds, "callerId", json_pack("{s:s}", "phoneNumber", phone));
    }
    if ((x = json_object_get(v, "callingHours")) != NULL) {
        json_t *ch = check_calling_hours(k, x);
        if (ch != NULL)
            json_object_set_new(ds, "callingHours", ch);
    }
    if (c->type == CTYPE_VOICE) { /* the four voice keys are ignored for SMS */
        int o = check_enum(k, v, "dialingOrder", "dialingStrategy.dialingOrder", orders,
                          "must be FIFO or LIFO");
        if (o >= 0)
            json_object_set_new(ds, "dialingOrder", json_string(orders[o]));
        static const struct {
            const char *key;
            int64_t min, max;
        } ints[] = {{"maxAttemptsPerRecord", 1, CONTRACT_ATTEMPTS_MAX},
                    {"defaultRetryPeriod", 1, CONTRACT_RETRY_MINUTES_MAX},
                    {"maxRingTime", CONTRACT_RING_SECONDS_MIN, CONTRACT_RING_SECONDS_MAX}};
        for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
            char field[64];
            int64_t n;
            snprintf(field, sizeof field, "dialingStrategy.%s", ints[i].key);
            if (check_int(k, v, ints[i].key, field, ints[i].min, ints[i].max, &n) == 1)
                json_object_set_new(ds, ints[i].key, json_integer(n));
        }
    }
    json_object_set_new(c->doc, "dialingStrategy", ds);
}

static void apply_contact_lists(struct check *k, struct campaign *c, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) < 1 ||
        json_array_size(v) > CONTRACT_CAMPAIGN_LISTS_MAX) {
        check_fail(k, "contactLists", "must be an array of 1 to %d contact list names",
                   CONTRACT_CAMPAIGN_LISTS_MAX);
        return;
    }
    int ok = 1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *x = json_array_get(v, i);
        char field[48];
        snprintf(field, sizeof field, "contactLists[%zu]", i);
        if (check_name_value(k, x, field, CONTRACT_NAME_MAX) == NULL) {
            ok = 0;
            continue;
        }
        char *li = text_lower(json_string_value(x));
        for (size_t j = 0; j < i; j++) {
            json_t *y = json_array_get(v, j);
            char *lj = json_is_string(y) ? text_lower(json_string_value(y)) : NULL;
            int same = lj != NULL && strcmp(li, lj) == 0;
            free(lj);
            if (same) {
                check_fail(k, field, "repeats contactLists[%zu]", j);
                ok = 0;
                break;
            }
        }
        free(li);
    }
    if (ok) {
        json_decref(c->contact_lists);
        c->contact_lists = json_copy(v);
        json_object_del(c->doc, "noContactLists"); /* an import's marker */
    }
}

static void apply_dnc(struct check *k, struct campaign *c, json_t *v)
{
    if (json_is_null(v)) {
        if (c->type == CTYPE_VOICE) {
            check_fail(k, "dncLists", "is required for voice campaigns");
        } else {
            json_decref(c->dnc);
            c->dnc = NULL;
        }
        return;
    }
    if (!json_is_object(v)) {
        check_fail(k, "dncLists", "must be an object {name}");
        return;
    }
    const char *name = check_name(k, v, "name", "dncLists.name", CONTRACT_NAME_MAX, true);
    if (name == NULL)
        return;
    json_decref(c->dnc);
    c->dnc = json_pack("{s:s}", "name", name);
}

static void apply_message(struct check *k, struct campaign *c, json_t *v)
{
    if (!json_is_object(v)) {
        check_fail(k, "message", "must be an object {message, template_name?, templateId?}");
        return;
    }
    int before = k->bad;
    k->bad = 0;
    const char *text = check_text(k, v, "message", "message.message", 1, CONTRACT_MESSAGE_MAX);
    if (json_object_get(v, "message") == NULL)
        check_fail(k, "message.message", "is required");
    const char *tname = check_text(k, v, "template_name", "message.template_name", 1, CONTRACT_REF_NAME_MAX);
    const char *tid = check_string(k, v, "templateId", "message.templateId");
    if (!k->bad) {
        json_t *m = json_object();
        if (tname != NULL)
            json_object_set_new(m, "template_name", json_string(tname));
        json_object_set_new(m, "message", json_string(text));
        if (tid != NULL && tid[0] != '\0')
            json_object_set_new(m, "templateId", json_string(tid));
        json_object_set_new(c->doc, "message", m);
        c->message_given = 1;
    }
    k->bad |= before;
}

/* The SMS-only fields: format, then message or experienceFlowName for the
 * format that results.  Returns the experience flow named, or NULL. */
static const char *apply_sms(struct check *k, struct campaign *c, json_t *body)
{
    static const char *const formats[] = {"simple", "advanced", NULL};
    const char *flow = NULL;
    json_t *v;
    int f = check_enum(k, body, "format", NULL, formats, "must be simple or advanced");
    if (f >= 0)
        json_object_set_new(c->doc, "format", json_string(formats[f]));
    const char *fmt = json_string_value(json_object_get(c->doc, "format"));
    int simple = fmt == NULL || strcmp(fmt, "simple") == 0;
    int advanced = fmt == NULL || strcmp(fmt, "advanced") == 0;
    if (simple && (v = json_object_get(body, "message")) != NULL)
        apply_message(k, c, v);
    if (advanced)
        flow = check_text(k, body, "experienceFlowName", NULL, 1, CONTRACT_REF_NAME_MAX);
    return flow;
}

/* The voice-only fields: dialingMode, then what the resulting mode uses.
 * Returns the experience flow named, or NULL. */
static const char *apply_voice(struct check *k, struct campaign *c, json_t *body)
{
    static const char *const modes[] = {"Progressive", "Preview", "Agentless", NULL};
    static const char *const machine[] = {"no", "detect", "disconnect", NULL};
    const char *flow = NULL;
    int m = check_enum(k, body, "dialingMode", NULL, modes,
                       "must be Agentless, Progressive or Preview");
    if (m >= 0)
        c->mode = (enum cmode)campaign_mode_parse(modes[m]);
    int any = c->mode == CMODE_NONE;
    if (any || c->mode == CMODE_AGENTLESS) {
        flow = check_text(k, body, "experienceFlowName", NULL, 1, CONTRACT_REF_NAME_MAX);
        int md = check_enum(k, body, "enableMachineDetect", NULL, machine,
                            "must be no, detect or disconnect");
        if (md >= 0)
            json_object_set_new(c->doc, "enableMachineDetect", json_string(machine[md]));
    }
    if (any || c->mode == CMODE_PROGRESSIVE || c->mode == CMODE_PREVIEW) {
        const char *queue = check_text(k, body, "queue_name", NULL, 1, CONTRACT_REF_NAME_MAX);
        if (queue != NULL)
            json_object_set_new(c->doc, "connection", json_string(queue));
    }
    int64_t skips;
    if ((any || c->mode == CMODE_PREVIEW) &&
        check_int(k, body, "maxSkips", NULL, 0, CONTRACT_SKIPS_MAX, &skips) == 1)
        json_object_set_new(c->doc, "maxSkips", json_integer(skips));
    return flow;
}

/* The fields both types share, in the order they are reported. */
static void apply_common(struct check *k, struct campaign *c, json_t *body, int creating)
{
    json_t *v;
    const char *type = check_string(k, body, "campaignType", NULL);
    if (type != NULL && strcmp(type, campaign_type_name(c->type)) != 0)
        check_fail(k, "campaignType", "%s",
                   creating ? "must equal the campaignType of the query"
                            : "must equal the campaign's type, which never changes");
    else if (creating && json_object_get(body, "campaignType") == NULL)
        check_fail(k, "campaignType", "is required: sms or voice");

    const char *name = check_name(k, body, "name", NULL, CONTRACT_NAME_MAX, false);
    if (name != NULL) {
        free(c->name);
        c->name = xstrdup(name);
    }
    const char *desc = check_text(k, body, "description", NULL, 0, CONTRACT_DESCRIPTION_MAX);
    if (desc != NULL)
        json_object_set_new(c->doc, "description", json_string(desc));
    if ((v = json_object_get(body, "contactLists")) != NULL)
        apply_contact_lists(k, c, v);
    if ((v = json_object_get(body, "dncLists")) != NULL)
        apply_dnc(k, c, v);
    if ((v = json_object_get(body, "priority")) != NULL) {
        int p = campaign_priority_exact(v);
        if (p < 0)
            check_fail(k, "priority", "must be one of \"1\", \"2\", \"3\", \"4\", \"5\"");
        else
            c->priority = p;
    }
    /* schedule is accepted and ignored: it changes only through §8. */
    if ((v = json_object_get(body, "schedule")) != NULL) {
        bool on;
        if (!json_is_object(v))
            check_fail(k, "schedule", "must be an object");
        else
            check_bool(k, v, "isSchedulingEnabled", "schedule.isSchedulingEnabled", &on);
    }
    if ((v = json_object_get(body, "dialingStrategy")) != NULL)
        apply_strategy(k, c, v);
}

int campaign_apply_body(struct campaign *c, json_t *body, int creating, struct apierr *e)
{
    struct check k = CHECK_BODY(e);
    apply_common(&k, c, body, creating);
    /* Fields of another SMS format or voice mode are ignored, not checked
     * (§4.1, §5.1): the format or mode that results from this body decides,
     * and while it is unknown every field is checked. */
    const char *flow = c->type == CTYPE_SMS ? apply_sms(&k, c, body) : apply_voice(&k, c, body);
    if (flow != NULL) {
        free(c->flow_name);
        c->flow_name = xstrdup(flow);
    }
    if (creating) {
        /* name and contactLists are checked by campaign_complete. */
        if (json_object_get(body, "priority") == NULL)
            check_fail(&k, "priority", "is required");
        if (json_object_get(c->doc, "description") == NULL)
            json_object_set_new(c->doc, "description", json_string(""));
    }
    return k.bad ? -1 : 0;
}

/* Reports a required key the merged campaign lacks, unless the field was
 * already reported (given, but invalid). */
static void need(struct check *k, int present, const char *field)
{
    if (!present && !apierr_has_field(k->e, field))
        check_fail(k, field, "is required");
    else if (!present)
        k->bad = 1;
}

int campaign_complete(struct campaign *c, struct apierr *e)
{
    struct check k = CHECK_BODY(e);
    json_t *doc = c->doc;
    json_t *ds = json_object_get(doc, "dialingStrategy");
    need(&k, c->name != NULL, "name");
    need(&k, c->contact_lists != NULL && json_array_size(c->contact_lists) > 0, "contactLists");
    if (ds == NULL) {
        need(&k, 0, "dialingStrategy");
    } else {
        need(&k, json_object_get(ds, "callerId") != NULL, "dialingStrategy.callerId");
        need(&k, json_object_get(ds, "callingHours") != NULL, "dialingStrategy.callingHours");
        if (c->type == CTYPE_VOICE) {
            static const char *const keys[] = {"dialingOrder", "maxAttemptsPerRecord",
                                               "defaultRetryPeriod", "maxRingTime"};
            for (size_t i = 0; i < 4; i++) {
                char field[64];
                snprintf(field, sizeof field, "dialingStrategy.%s", keys[i]);
                need(&k, json_object_get(ds, keys[i]) != NULL, field);
            }
        }
    }
    int has_flow = c->flow_name != NULL || json_object_get(doc, "experienceFlow") != NULL;
    if (c->type == CTYPE_SMS) {
        const char *fmt = json_string_value(json_object_get(doc, "format"));
        need(&k, fmt != NULL, "format");
        if (fmt != NULL && strcmp(fmt, "simple") == 0) {
            need(&k, json_object_get(doc, "message") != NULL, "message");
            json_object_del(doc, "experienceFlow");
            free(c->flow_name);
            c->flow_name = NULL;
        } else if (fmt != NULL) {
            need(&k, has_flow, "experienceFlowName");
            json_object_del(doc, "message");
            c->message_given = 0;
        }
        /* Fields of the other type never stay. */
        json_object_del(doc, "connection");
        json_object_del(doc, "maxSkips");
        json_object_del(doc, "enableMachineDetect");
    } else {
        need(&k, c->dnc != NULL, "dncLists");
        need(&k, c->mode != CMODE_NONE, "dialingMode");
        int agentless = c->mode == CMODE_AGENTLESS, preview = c->mode == CMODE_PREVIEW;
        if (agentless) {
            need(&k, has_flow, "experienceFlowName");
            need(&k, json_object_get(doc, "enableMachineDetect") != NULL, "enableMachineDetect");
            json_object_del(doc, "connection");
        } else if (c->mode != CMODE_NONE) {
            need(&k, json_object_get(doc, "connection") != NULL, "queue_name");
            json_object_del(doc, "experienceFlow");
            json_object_del(doc, "enableMachineDetect");
            free(c->flow_name);
            c->flow_name = NULL;
        }
        if (preview)
            need(&k, json_object_get(doc, "maxSkips") != NULL, "maxSkips");
        else
            json_object_del(doc, "maxSkips");
        json_object_del(doc, "message");
        json_object_del(doc, "format");
        c->message_given = 0;
    }
    return k.bad ? -1 : 0;
}

/* ---- schedules (family spec §8.3) ------------------------------------------ */

/* Reads 1..max decimal digits at *p, advancing it; -1 when none. */
static int read_num(const char **p, int max)
{
    int n = 0, v = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n ? v : -1;
}

/* "YYYY-M-D H:mm:ss" (month, day and hour may have one digit; UTC), or an
 * RFC 3339 timestamp.  0 and *ms, or -1. */
static int schedule_time(const char *s, int64_t *ms)
{
    if (timefmt_parse(s, strlen(s), ms) == 0)
        return 0;
    const char *p = s;
    int y, mo, d, h, mi, se;
    if ((y = read_num(&p, 4)) < 0 || p - s != 4 || *p++ != '-' || (mo = read_num(&p, 2)) < 0 ||
        *p++ != '-' || (d = read_num(&p, 2)) < 0 || *p++ != ' ' || (h = read_num(&p, 2)) < 0 ||
        *p++ != ':')
        return -1;
    const char *q = p;
    if ((mi = read_num(&p, 2)) < 0 || p - q != 2 || *p++ != ':')
        return -1;
    q = p;
    if ((se = read_num(&p, 2)) < 0 || p - q != 2 || *p != '\0')
        return -1;
    char iso[80];
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, se);
    return timefmt_parse(iso, strlen(iso), ms);
}

/* startDateTime and endDateTime of a schedule body into *start and *end. */
static void schedule_window(struct check *k, json_t *body, int64_t now, int64_t *start,
                            int64_t *end)
{
    const char *sv = check_string(k, body, "startDateTime", NULL);
    const char *ev = check_string(k, body, "endDateTime", NULL);
    int have_start = sv != NULL && schedule_time(sv, start) == 0;
    int have_end = ev != NULL && schedule_time(ev, end) == 0;
    if (sv == NULL && json_object_get(body, "startDateTime") == NULL)
        check_fail(k, "startDateTime", "is required");
    else if (sv != NULL && !have_start)
        check_fail(k, "startDateTime", "must look like 2026-01-27 18:29:00 or be an ISO 8601 timestamp");
    if (ev == NULL && json_object_get(body, "endDateTime") == NULL)
        check_fail(k, "endDateTime", "is required");
    else if (ev != NULL && !have_end)
        check_fail(k, "endDateTime", "must look like 2026-02-27 18:29:00 or be an ISO 8601 timestamp");
    else if (have_end && have_start && *end <= *start)
        check_fail(k, "endDateTime", "must be after startDateTime");
    else if (have_end && *end <= now)
        check_fail(k, "endDateTime", "must be in the future");
}

/* recurrenceObject.dailyDetails: the stored recurrence, or NULL. */
static json_t *schedule_daily(struct check *k, json_t *ro)
{
    json_t *dd = json_object_get(ro, "dailyDetails");
    int64_t n = 0;
    if (!json_is_object(dd))
        check_fail(k, "recurrenceObject.dailyDetails", "%s",
                   dd ? "must be an object" : "is required for Daily");
    else if (check_int(k, dd, "onceEveryNdays", "recurrenceObject.dailyDetails.onceEveryNdays", 1,
                       CONTRACT_EVERY_DAYS_MAX, &n) == 0)
        check_fail(k, "recurrenceObject.dailyDetails.onceEveryNdays", "is required");
    else if (!k->bad)
        return json_pack("{s:s, s:{s:I}}", "recurType", "Daily", "dailyDetails", "onceEveryNdays",
                         (json_int_t)n);
    return NULL;
}

/* Whether whichDays holds 1 to 7 distinct day names. */
static int which_days_valid(const json_t *which)
{
    const char *const *days = sched_week_days;
    if (!json_is_array(which) || json_array_size(which) < 1 || json_array_size(which) > 7)
        return 0;
    unsigned seen = 0;
    for (size_t i = 0; i < json_array_size(which); i++) {
        const char *dname = json_string_value(json_array_get(which, i));
        int di = -1;
        for (int j = 0; dname && days[j]; j++)
            if (strcmp(dname, days[j]) == 0)
                di = j;
        if (di < 0 || (seen & (1u << di)))
            return 0;
        seen |= 1u << di;
    }
    return 1;
}

/* recurrenceObject.weeklyDetails: the stored recurrence, or NULL. */
static json_t *schedule_weekly(struct check *k, json_t *ro)
{
    json_t *wd = json_object_get(ro, "weeklyDetails");
    json_t *which = json_object_get(wd, "whichDays");
    int64_t n = 0;
    if (!json_is_object(wd)) {
        check_fail(k, "recurrenceObject.weeklyDetails", "%s",
                   wd ? "must be an object" : "is required for Weekly");
        return NULL;
    }
    if (check_int(k, wd, "onceEveryNweeks", "recurrenceObject.weeklyDetails.onceEveryNweeks", 1,
                  CONTRACT_EVERY_WEEKS_MAX, &n) == 0)
        check_fail(k, "recurrenceObject.weeklyDetails.onceEveryNweeks", "is required");
    if (!which_days_valid(which))
        check_fail(k, "recurrenceObject.weeklyDetails.whichDays",
                   "must hold 1 to 7 distinct days of Mon Tue Wed Thu Fri Sat Sun");
    if (k->bad)
        return NULL;
    return json_pack("{s:s, s:{s:I, s:O}}", "recurType", "Weekly", "weeklyDetails",
                     "onceEveryNweeks", (json_int_t)n, "whichDays", which);
}

/* recurrenceObject: the stored recurrence, or NULL. */
static json_t *schedule_recurrence(struct check *k, json_t *body)
{
    static const char *const types[] = {"Daily", "Weekly", NULL};
    json_t *ro = json_object_get(body, "recurrenceObject");
    if (ro == NULL) {
        check_fail(k, "recurrenceObject", "is required");
        return NULL;
    }
    if (!json_is_object(ro)) {
        check_fail(k, "recurrenceObject", "must be an object");
        return NULL;
    }
    int t = check_enum(k, ro, "recurType", "recurrenceObject.recurType", types,
                       "must be Daily or Weekly");
    if (t == -1)
        check_fail(k, "recurrenceObject.recurType", "is required");
    return t == 0 ? schedule_daily(k, ro) : t == 1 ? schedule_weekly(k, ro) : NULL;
}

int campaign_schedule_parse(json_t *body, int64_t now, json_t **out, struct apierr *e)
{
    struct check k = CHECK_BODY(e);
    int64_t start = 0, end = 0;
    *out = NULL;
    if (body == NULL) {
        check_fail(&k, "startDateTime", "is required");
        check_fail(&k, "endDateTime", "is required");
        check_fail(&k, "recurrenceObject", "is required");
        return -1;
    }
    schedule_window(&k, body, now, &start, &end);
    json_t *rec = schedule_recurrence(&k, body);
    if (k.bad) {
        json_decref(rec);
        return -1;
    }
    char a[TIMEFMT_LEN + 1], b[TIMEFMT_LEN + 1];
    timefmt_format(start, a);
    timefmt_format(end, b);
    *out = json_pack("{s:s, s:s, s:o}", "startDateTime", a, "endDateTime", b, "recurrenceObject",
                     rec);
    return 0;
}
