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

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "jsonio.h"
#include "text.h"
#include "timefmt.h"
#include "xalloc.h"

#define DESCRIPTION_MAX 256
#define REF_NAME_MAX 128
#define MESSAGE_MAX 4096
#define CONTACT_LISTS_MAX 64
#define DAYS_MAX 28

/* A small context so each check is one line; fields are paths from the
 * body's root ("dialingStrategy.callerId.phoneNumber"). */
struct chk {
    struct apierr *e;
    int bad;
};

static void fail(struct chk *k, const char *field, const char *msg)
{
    apierr_field(k->e, field, "%s", msg);
    k->bad = 1;
}

/* A string field: NULL when absent; reports a non-string (null included). */
static const char *want_string(struct chk *k, json_t *obj, const char *key, const char *field)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL)
        return NULL;
    if (!json_is_string(v)) {
        fail(k, field, "must be a string");
        return NULL;
    }
    return json_string_value(v);
}

/* A string of min..max code points; returns it or NULL (absent or bad). */
static const char *want_text(struct chk *k, json_t *obj, const char *key, const char *field,
                             size_t min, size_t max)
{
    const char *s = want_string(k, obj, key, field);
    if (s == NULL)
        return NULL;
    size_t n = text_utf8_len(s);
    if (n < min || n > max) {
        char msg[64];
        snprintf(msg, sizeof msg, "must be %zu to %zu characters long", min, max);
        fail(k, field, msg);
        return NULL;
    }
    return s;
}

/* An integer in [min, max]; 1 when given and valid, 0 absent, -1 bad. */
static int want_int(struct chk *k, json_t *obj, const char *key, const char *field, int64_t min,
                    int64_t max, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        char msg[64];
        snprintf(msg, sizeof msg, "must be an integer from %lld to %lld", (long long)min,
                 (long long)max);
        fail(k, field, msg);
        return -1;
    }
    *out = json_integer_value(v);
    return 1;
}

/* One of a fixed set of strings; returns its index, -1 absent, -2 bad. */
static int want_enum(struct chk *k, json_t *obj, const char *key, const char *field,
                     const char *const *values, const char *msg)
{
    const char *s = want_string(k, obj, key, field);
    if (s == NULL)
        return json_object_get(obj, key) == NULL ? -1 : -2;
    for (int i = 0; values[i]; i++)
        if (strcmp(s, values[i]) == 0)
            return i;
    fail(k, field, msg);
    return -2;
}

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

/* An IANA zone name the host's tz database knows. */
static int tz_known(const char *tz)
{
    size_t n = strlen(tz);
    if (n == 0 || n > 64 || tz[0] == '/' || strstr(tz, "..") != NULL)
        return 0;
    for (const char *p = tz; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return 0;
    char path[128];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char magic[4];
    ssize_t r = read(fd, magic, sizeof magic);
    close(fd);
    return r == 4 && memcmp(magic, "TZif", 4) == 0;
}

/* "h:mm AM" / "hh:mm PM" -> minutes since midnight, or -1. */
static int clock_minutes(const char *s)
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

static const char *const day_names[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU", NULL};

/* callingHours, which replaces the stored value whole: returns the stored
 * form {frequency, timezone, days: [{day, start, end}]} or NULL. */
static json_t *check_calling_hours(struct chk *k, json_t *v)
{
    static const char *const freqs[] = {"WEEKLY", "DAILY", "CUSTOM", NULL};
    const char *base = "dialingStrategy.callingHours";
    if (!json_is_object(v)) {
        fail(k, base, "must be an object");
        return NULL;
    }
    int before = k->bad;
    k->bad = 0;
    int f = want_enum(k, v, "frequency", "dialingStrategy.callingHours.frequency", freqs,
                      "must be WEEKLY, DAILY or CUSTOM");
    if (f == -1)
        fail(k, "dialingStrategy.callingHours.frequency", "is required");
    const char *tz = want_string(k, v, "timezone", "dialingStrategy.callingHours.timezone");
    if (tz == NULL && json_object_get(v, "timezone") == NULL)
        fail(k, "dialingStrategy.callingHours.timezone", "is required");
    else if (tz != NULL && !tz_known(tz))
        fail(k, "dialingStrategy.callingHours.timezone", "must be an IANA time zone such as Asia/Kolkata");
    json_t *days = json_object_get(v, "days");
    json_t *out_days = json_array();
    int start[DAYS_MAX], end[DAYS_MAX], day[DAYS_MAX];
    if (!json_is_array(days) || json_array_size(days) < 1 || json_array_size(days) > DAYS_MAX) {
        fail(k, "dialingStrategy.callingHours.days",
             days == NULL ? "is required" : "must be an array of 1 to 28 calling windows");
        days = NULL;
    }
    for (size_t i = 0; days != NULL && i < json_array_size(days); i++) {
        json_t *d = json_array_get(days, i);
        char field[96];
        snprintf(field, sizeof field, "dialingStrategy.callingHours.days[%zu]", i);
        day[i] = -1;
        if (!json_is_object(d)) {
            fail(k, field, "must be an object {day, start, end}");
            continue;
        }
        char fd[112], fs[112], fe[112];
        snprintf(fd, sizeof fd, "%s.day", field);
        snprintf(fs, sizeof fs, "%s.start", field);
        snprintf(fe, sizeof fe, "%s.end", field);
        int dn = want_enum(k, d, "day", fd, day_names, "must be one of MO TU WE TH FR SA SU");
        if (dn == -1)
            fail(k, fd, "is required");
        const char *s = want_string(k, d, "start", fs), *e = want_string(k, d, "end", fe);
        int sm = s ? clock_minutes(s) : -1, em = e ? clock_minutes(e) : -1;
        if (s == NULL && json_object_get(d, "start") == NULL)
            fail(k, fs, "is required");
        else if (s != NULL && sm < 0)
            fail(k, fs, "must look like 9:00 AM");
        if (e == NULL && json_object_get(d, "end") == NULL)
            fail(k, fe, "is required");
        else if (e != NULL && em < 0)
            fail(k, fe, "must look like 6:00 PM");
        if (sm >= 0 && em >= 0 && sm >= em) {
            fail(k, fe, "must be after start");
            continue;
        }
        if (dn < 0 || sm < 0 || em < 0)
            continue;
        day[i] = dn;
        start[i] = sm;
        end[i] = em;
        /* Windows are half-open: one may start when another ends. */
        for (size_t j = 0; j < i; j++) {
            if (day[j] == dn && start[j] < em && sm < end[j]) {
                fail(k, field, "overlaps another calling window of the same day");
                break;
            }
        }
        json_array_append_new(out_days, json_pack("{s:s, s:s, s:s}", "day", day_names[dn],
                                                  "start", s, "end", e));
    }
    int ok = !k->bad;
    k->bad |= before;
    if (!ok) {
        json_decref(out_days);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:o}", "frequency", freqs[f], "timezone", tz, "days", out_days);
}

/* dialingStrategy is merged by its direct keys into the stored one. */
static void apply_strategy(struct chk *k, struct campaign *c, json_t *v)
{
    static const char *const orders[] = {"FIFO", "LIFO", NULL};
    if (!json_is_object(v)) {
        fail(k, "dialingStrategy", "must be an object");
        return;
    }
    json_t *ds = json_object_get(c->doc, "dialingStrategy");
    ds = json_is_object(ds) ? json_deep_copy(ds) : json_object();
    json_t *x = json_object_get(v, "callerId");
    if (x != NULL) {
        const char *phone = json_is_object(x)
                                ? want_string(k, x, "phoneNumber", "dialingStrategy.callerId.phoneNumber")
                                : NULL;
        if (!json_is_object(x))
            fail(k, "dialingStrategy.callerId", "must be an object {phoneNumber}");
        else if (phone == NULL && json_object_get(x, "phoneNumber") == NULL)
            fail(k, "dialingStrategy.callerId.phoneNumber", "is required");
        else if (phone != NULL && !campaign_phone_valid(phone))
            fail(k, "dialingStrategy.callerId.phoneNumber", "must be an E.164 phone number");
        else if (phone != NULL)
            json_object_set_new(ds, "callerId", json_pack("{s:s}", "phoneNumber", phone));
    }
    if ((x = json_object_get(v, "callingHours")) != NULL) {
        json_t *ch = check_calling_hours(k, x);
        if (ch != NULL)
            json_object_set_new(ds, "callingHours", ch);
    }
    if (c->type == CTYPE_VOICE) { /* the four voice keys are ignored for SMS */
        int o = want_enum(k, v, "dialingOrder", "dialingStrategy.dialingOrder", orders,
                          "must be FIFO or LIFO");
        if (o >= 0)
            json_object_set_new(ds, "dialingOrder", json_string(orders[o]));
        static const struct {
            const char *key;
            int64_t min, max;
        } ints[] = {{"maxAttemptsPerRecord", 1, 100}, {"defaultRetryPeriod", 1, 1440},
                    {"maxRingTime", 5, 120}};
        for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
            char field[64];
            int64_t n;
            snprintf(field, sizeof field, "dialingStrategy.%s", ints[i].key);
            if (want_int(k, v, ints[i].key, field, ints[i].min, ints[i].max, &n) == 1)
                json_object_set_new(ds, ints[i].key, json_integer(n));
        }
    }
    json_object_set_new(c->doc, "dialingStrategy", ds);
}

static void apply_contact_lists(struct chk *k, struct campaign *c, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > CONTACT_LISTS_MAX) {
        fail(k, "contactLists", "must be an array of 1 to 64 contact list names");
        return;
    }
    int ok = 1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *x = json_array_get(v, i);
        char field[48];
        snprintf(field, sizeof field, "contactLists[%zu]", i);
        const char *problem = json_is_string(x) ? check_name_problem(json_string_value(x), 48)
                                                : "must be a string";
        if (problem != NULL) {
            fail(k, field, problem);
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
                char msg[64];
                snprintf(msg, sizeof msg, "repeats contactLists[%zu]", j);
                fail(k, field, msg);
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

static void apply_dnc(struct chk *k, struct campaign *c, json_t *v)
{
    if (json_is_null(v)) {
        if (c->type == CTYPE_VOICE) {
            fail(k, "dncLists", "is required for voice campaigns");
        } else {
            json_decref(c->dnc);
            c->dnc = NULL;
        }
        return;
    }
    if (!json_is_object(v)) {
        fail(k, "dncLists", "must be an object {name}");
        return;
    }
    json_t *name = json_object_get(v, "name");
    const char *problem = json_is_string(name) ? check_name_problem(json_string_value(name), 48)
                          : name == NULL       ? "is required"
                                               : "must be a string";
    if (problem != NULL) {
        fail(k, "dncLists.name", problem);
        return;
    }
    json_decref(c->dnc);
    c->dnc = json_pack("{s:O}", "name", name);
}

static void apply_message(struct chk *k, struct campaign *c, json_t *v)
{
    if (!json_is_object(v)) {
        fail(k, "message", "must be an object {message, template_name?, templateId?}");
        return;
    }
    int before = k->bad;
    k->bad = 0;
    const char *text = want_text(k, v, "message", "message.message", 1, MESSAGE_MAX);
    if (json_object_get(v, "message") == NULL)
        fail(k, "message.message", "is required");
    const char *tname = want_text(k, v, "template_name", "message.template_name", 1, REF_NAME_MAX);
    const char *tid = want_string(k, v, "templateId", "message.templateId");
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

static int priority_strict(json_t *v)
{
    if (json_is_string(v) && json_string_length(v) != 1)
        return -1;
    return campaign_priority_parse(v);
}

int campaign_apply_body(struct campaign *c, json_t *body, int creating, struct apierr *e)
{
    static const char *const formats[] = {"simple", "advanced", NULL};
    static const char *const modes[] = {"Progressive", "Preview", "Agentless", NULL};
    static const char *const machine[] = {"no", "detect", "disconnect", NULL};
    struct chk k = {e, 0};
    json_t *v;

    const char *type = want_string(&k, body, "campaignType", "campaignType");
    if (type != NULL && strcmp(type, campaign_type_name(c->type)) != 0)
        fail(&k, "campaignType", creating ? "must equal the campaignType of the query"
                                          : "must equal the campaign's type, which never changes");
    else if (creating && json_object_get(body, "campaignType") == NULL)
        fail(&k, "campaignType", "is required: sms or voice");

    if ((v = json_object_get(body, "name")) != NULL) {
        const char *problem = json_is_string(v) ? check_name_problem(json_string_value(v),
                                                                     CAMPAIGN_NAME_MAX)
                                                : "must be a string";
        if (problem != NULL) {
            fail(&k, "name", problem);
        } else {
            free(c->name);
            c->name = xstrdup(json_string_value(v));
        }
    }
    const char *desc = want_text(&k, body, "description", "description", 0, DESCRIPTION_MAX);
    if (desc != NULL)
        json_object_set_new(c->doc, "description", json_string(desc));
    if ((v = json_object_get(body, "contactLists")) != NULL)
        apply_contact_lists(&k, c, v);
    if ((v = json_object_get(body, "dncLists")) != NULL)
        apply_dnc(&k, c, v);
    if ((v = json_object_get(body, "priority")) != NULL) {
        int p = priority_strict(v);
        if (p < 0)
            fail(&k, "priority", "must be one of \"1\", \"2\", \"3\", \"4\", \"5\"");
        else
            c->priority = p;
    }
    /* schedule is accepted and ignored: it changes only through §8. */
    if ((v = json_object_get(body, "schedule")) != NULL) {
        if (!json_is_object(v))
            fail(&k, "schedule", "must be an object");
        else if (json_object_get(v, "isSchedulingEnabled") != NULL &&
                 !json_is_boolean(json_object_get(v, "isSchedulingEnabled")))
            fail(&k, "schedule.isSchedulingEnabled", "must be a boolean");
    }
    if ((v = json_object_get(body, "dialingStrategy")) != NULL)
        apply_strategy(&k, c, v);
    /* Fields of another SMS format or voice mode are ignored, not checked
     * (§4.1, §5.1): the format or mode that results from this body decides,
     * and while it is unknown every field is checked. */
    const char *flow = NULL;
    if (c->type == CTYPE_SMS) {
        int f = want_enum(&k, body, "format", "format", formats, "must be simple or advanced");
        if (f >= 0)
            json_object_set_new(c->doc, "format", json_string(formats[f]));
        const char *fmt = json_string_value(json_object_get(c->doc, "format"));
        int simple = fmt == NULL || strcmp(fmt, "simple") == 0;
        int advanced = fmt == NULL || strcmp(fmt, "advanced") == 0;
        if (simple && (v = json_object_get(body, "message")) != NULL)
            apply_message(&k, c, v);
        if (advanced)
            flow = want_text(&k, body, "experienceFlowName", "experienceFlowName", 1,
                             REF_NAME_MAX);
    } else {
        int m = want_enum(&k, body, "dialingMode", "dialingMode", modes,
                          "must be Agentless, Progressive or Preview");
        if (m >= 0)
            c->mode = (enum cmode)campaign_mode_parse(modes[m]);
        int any = c->mode == CMODE_NONE;
        if (any || c->mode == CMODE_AGENTLESS) {
            flow = want_text(&k, body, "experienceFlowName", "experienceFlowName", 1,
                             REF_NAME_MAX);
            int md = want_enum(&k, body, "enableMachineDetect", "enableMachineDetect", machine,
                               "must be no, detect or disconnect");
            if (md >= 0)
                json_object_set_new(c->doc, "enableMachineDetect", json_string(machine[md]));
        }
        if (any || c->mode == CMODE_PROGRESSIVE || c->mode == CMODE_PREVIEW) {
            const char *queue = want_text(&k, body, "queue_name", "queue_name", 1, REF_NAME_MAX);
            if (queue != NULL)
                json_object_set_new(c->doc, "connection", json_string(queue));
        }
        int64_t skips;
        if ((any || c->mode == CMODE_PREVIEW) &&
            want_int(&k, body, "maxSkips", "maxSkips", 0, 100, &skips) == 1)
            json_object_set_new(c->doc, "maxSkips", json_integer(skips));
    }
    if (flow != NULL) {
        free(c->flow_name);
        c->flow_name = xstrdup(flow);
    }
    if (creating) {
        /* name and contactLists are checked by campaign_complete. */
        if (json_object_get(body, "priority") == NULL)
            fail(&k, "priority", "is required");
        if (json_object_get(c->doc, "description") == NULL)
            json_object_set_new(c->doc, "description", json_string(""));
    }
    return k.bad ? -1 : 0;
}

/* Reports a required key the merged campaign lacks, unless the field was
 * already reported (given, but invalid). */
static void need(struct chk *k, int present, const char *field)
{
    if (!present && !apierr_has_field(k->e, field))
        fail(k, field, "is required");
    else if (!present)
        k->bad = 1;
}

int campaign_complete(struct campaign *c, struct apierr *e)
{
    struct chk k = {e, 0};
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

int campaign_schedule_parse(json_t *body, int64_t now, json_t **out, struct apierr *e)
{
    static const char *const types[] = {"Daily", "Weekly", NULL};
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", NULL};
    struct chk k = {e, 0};
    int64_t start = 0, end = 0;
    *out = NULL;
    if (body == NULL) {
        fail(&k, "startDateTime", "is required");
        fail(&k, "endDateTime", "is required");
        fail(&k, "recurrenceObject", "is required");
        return -1;
    }
    const char *sv = want_string(&k, body, "startDateTime", "startDateTime");
    const char *ev = want_string(&k, body, "endDateTime", "endDateTime");
    int have_start = sv != NULL && schedule_time(sv, &start) == 0;
    int have_end = ev != NULL && schedule_time(ev, &end) == 0;
    if (sv == NULL && json_object_get(body, "startDateTime") == NULL)
        fail(&k, "startDateTime", "is required");
    else if (sv != NULL && !have_start)
        fail(&k, "startDateTime", "must look like 2026-01-27 18:29:00 or be an ISO 8601 timestamp");
    if (ev == NULL && json_object_get(body, "endDateTime") == NULL)
        fail(&k, "endDateTime", "is required");
    else if (ev != NULL && !have_end)
        fail(&k, "endDateTime", "must look like 2026-02-27 18:29:00 or be an ISO 8601 timestamp");
    else if (have_end && have_start && end <= start)
        fail(&k, "endDateTime", "must be after startDateTime");
    else if (have_end && end <= now)
        fail(&k, "endDateTime", "must be in the future");

    json_t *ro = json_object_get(body, "recurrenceObject");
    json_t *rec = NULL;
    if (ro == NULL) {
        fail(&k, "recurrenceObject", "is required");
    } else if (!json_is_object(ro)) {
        fail(&k, "recurrenceObject", "must be an object");
    } else {
        int t = want_enum(&k, ro, "recurType", "recurrenceObject.recurType", types,
                          "must be Daily or Weekly");
        if (t == -1)
            fail(&k, "recurrenceObject.recurType", "is required");
        int64_t n = 0;
        if (t == 0) {
            json_t *dd = json_object_get(ro, "dailyDetails");
            if (!json_is_object(dd))
                fail(&k, "recurrenceObject.dailyDetails",
                     dd ? "must be an object" : "is required for Daily");
            else if (want_int(&k, dd, "onceEveryNdays", "recurrenceObject.dailyDetails.onceEveryNdays",
                              1, 365, &n) == 0)
                fail(&k, "recurrenceObject.dailyDetails.onceEveryNdays", "is required");
            else if (!k.bad)
                rec = json_pack("{s:s, s:{s:I}}", "recurType", "Daily", "dailyDetails",
                                "onceEveryNdays", (json_int_t)n);
        } else if (t == 1) {
            json_t *wd = json_object_get(ro, "weeklyDetails");
            json_t *which = json_object_get(wd, "whichDays");
            if (!json_is_object(wd)) {
                fail(&k, "recurrenceObject.weeklyDetails",
                     wd ? "must be an object" : "is required for Weekly");
            } else {
                if (want_int(&k, wd, "onceEveryNweeks",
                             "recurrenceObject.weeklyDetails.onceEveryNweeks", 1, 52, &n) == 0)
                    fail(&k, "recurrenceObject.weeklyDetails.onceEveryNweeks", "is required");
                unsigned seen = 0;
                int ok = json_is_array(which) && json_array_size(which) >= 1 &&
                         json_array_size(which) <= 7;
                for (size_t i = 0; ok && i < json_array_size(which); i++) {
                    const char *dname = json_string_value(json_array_get(which, i));
                    int di = -1;
                    for (int j = 0; dname && days[j]; j++)
                        if (strcmp(dname, days[j]) == 0)
                            di = j;
                    if (di < 0 || (seen & (1u << di)))
                        ok = 0;
                    else
                        seen |= 1u << di;
                }
                if (!ok)
                    fail(&k, "recurrenceObject.weeklyDetails.whichDays",
                         "must hold 1 to 7 distinct days of Mon Tue Wed Thu Fri Sat Sun");
                if (!k.bad)
                    rec = json_pack("{s:s, s:{s:I, s:O}}", "recurType", "Weekly", "weeklyDetails",
                                    "onceEveryNweeks", (json_int_t)n, "whichDays", which);
            }
        }
    }
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
