/* campaign.c - the campaign model; see campaign.h. */
#include "campaign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jsonio.h"
#include "text.h"
#include "timefmt.h"
#include "xalloc.h"


static const char *const status_names[CSTATUS_COUNT] = {
    "Active", "Completed", "Ready", "Paused", "Preparing", "Stopped", "Scheduled", "Rescheduled",
};
static const char *const mode_names[CMODE_COUNT] = {"", "Progressive", "Preview", "Agentless"};

void campaign_init(struct campaign *c)
{
    memset(c, 0, sizeof *c);
    c->status = CSTATUS_READY;
    c->priority = 5;
    c->created_at = c->updated_at = CAMPAIGN_NO_TIME;
    c->instance_updated_at = CAMPAIGN_NO_TIME;
    c->fire_at = CAMPAIGN_NO_TIME;
    c->doc = json_object();
}

void campaign_clear(struct campaign *c)
{
    free(c->name);
    free(c->flow_name);
    json_decref(c->dnc);
    json_decref(c->contact_lists);
    json_decref(c->doc);
    memset(c, 0, sizeof *c);
}

const char *campaign_type_name(enum ctype t)
{
    return t == CTYPE_SMS ? "sms" : "voice";
}

const char *campaign_status_name(enum cstatus s)
{
    return (unsigned)s < CSTATUS_COUNT ? status_names[s] : "Ready";
}

const char *campaign_mode_name(enum cmode m)
{
    return (unsigned)m < CMODE_COUNT ? mode_names[m] : "";
}

int campaign_status_parse(const char *s)
{
    for (int i = 0; i < CSTATUS_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

int campaign_mode_parse(const char *s)
{
    for (int i = 1; i < CMODE_COUNT; i++)
        if (strcmp(s, mode_names[i]) == 0)
            return i;
    return -1;
}

int campaign_type_parse(const char *s)
{
    if (strcmp(s, "voice") == 0)
        return CTYPE_VOICE;
    if (strcmp(s, "sms") == 0)
        return CTYPE_SMS;
    return -1;
}

int campaign_priority_parse(const json_t *v)
{
    if (json_is_integer(v)) {
        json_int_t p = json_integer_value(v);
        return p >= CONTRACT_PRIORITY_MIN && p <= CONTRACT_PRIORITY_MAX ? (int)p : -1;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (n == 0 || n > 9)
            return -1;
        int p = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            p = p * 10 + (s[i] - '0');
        }
        return p >= CONTRACT_PRIORITY_MIN && p <= CONTRACT_PRIORITY_MAX ? p : -1;
    }
    return -1;
}

int campaign_priority_exact(const json_t *v)
{
    return json_is_string(v) && json_string_length(v) != 1 ? -1 : campaign_priority_parse(v);
}

/* ---- rendering ---------------------------------------------------------- */

static void put_time(json_t *o, const char *key, int64_t ms)
{
    if (ms == CAMPAIGN_NO_TIME)
        return;
    json_object_set_new(o, key, jsonio_time(ms));
}

/* Copies doc[key] into o when present. */
static void put_doc(json_t *o, const json_t *doc, const char *key)
{
    json_t *v = json_object_get(doc, key);
    if (v != NULL)
        json_object_set(o, key, v);
}

/* A new object with the listed keys of `in`, in the listed order. */
static json_t *pick(const json_t *in, const char *const *keys)
{
    json_t *out = json_object();
    for (; *keys; keys++) {
        json_t *v = json_object_get(in, *keys);
        if (v != NULL)
            json_object_set(out, *keys, v);
    }
    return out;
}

/* Copies the listed keys of the object src[key], in the listed order. */
static void put_ordered(json_t *o, const json_t *src, const char *key, const char *const *keys)
{
    json_t *in = json_object_get(src, key);
    if (json_is_object(in))
        json_object_set_new(o, key, pick(in, keys));
}

static const char *const schedule_keys[] = {"isSchedulingEnabled", "isRecurrenceEnabled", NULL};
/* The documented SMS sample puts template_name first; follow it. */
static const char *const message_keys[] = {"template_name", "message", "templateId", NULL};

static void put_dnc(json_t *o, const struct campaign *c)
{
    if (c->dnc == NULL)
        return;
    json_t *d = json_object();
    if (c->type == CTYPE_VOICE)
        put_doc(d, c->dnc, "id");
    put_doc(d, c->dnc, "name");
    json_object_set_new(o, "dncLists", d);
}

static void put_priority(json_t *o, int p)
{
    char buf[4];
    snprintf(buf, sizeof buf, "%d", p);
    json_object_set_new(o, "priority", json_string(buf));
}

static void put_lists(json_t *o, const struct campaign *c)
{
    if (c->contact_lists != NULL)
        json_object_set(o, "contactLists", c->contact_lists);
}

/* ---- the listing's result item, written straight as JSON text ------------
 * Get All Campaigns is the hot path: building a jansson tree per item, then
 * dumping and freeing it, was over half of a listing's cost.  The item is
 * written once here; campaign_render_item parses this same text back for
 * the callers that want a json_t (export), so there is one definition. */

struct iw {
    struct jbuf *b;
    int first;
};

static void iw_key(struct iw *w, const char *key)
{
    if (!w->first)
        jbuf_put(w->b, ",", 1);
    w->first = 0;
    jbuf_string(w->b, key, strlen(key));
    jbuf_put(w->b, ":", 1);
}

static void iw_str(struct iw *w, const char *key, const char *s)
{
    iw_key(w, key);
    jbuf_string(w->b, s, strlen(s));
}

static void iw_json(struct iw *w, const char *key, const json_t *v)
{
    if (v == NULL)
        return;
    iw_key(w, key);
    jbuf_value(w->b, v);
}

static void iw_doc(struct iw *w, const json_t *doc, const char *key)
{
    iw_json(w, key, json_object_get(doc, key));
}

static void iw_time(struct iw *w, const char *key, int64_t ms)
{
    if (ms == CAMPAIGN_NO_TIME)
        return;
    char buf[TIMEFMT_LEN + 1];
    timefmt_format(ms, buf);
    iw_key(w, key);
    jbuf_put(w->b, "\"", 1);
    jbuf_put(w->b, buf, TIMEFMT_LEN);
    jbuf_put(w->b, "\"", 1);
}

/* The object src[key] with only the listed keys, in the listed order. */
static void iw_ordered(struct iw *w, const json_t *src, const char *key, const char *const *keys)
{
    json_t *in = json_object_get(src, key);
    if (!json_is_object(in))
        return;
    iw_key(w, key);
    struct iw sub = {w->b, 1};
    jbuf_put(w->b, "{", 1);
    for (; *keys; keys++)
        iw_doc(&sub, in, *keys);
    jbuf_put(w->b, "}", 1);
}

static void iw_dnc(struct iw *w, const struct campaign *c)
{
    static const char *const voice_keys_dnc[] = {"id", "name", NULL};
    static const char *const sms_keys_dnc[] = {"name", NULL};
    if (c->dnc == NULL)
        return;
    json_t *wrap = json_pack("{s:O}", "dncLists", c->dnc);
    iw_ordered(w, wrap, "dncLists", c->type == CTYPE_VOICE ? voice_keys_dnc : sms_keys_dnc);
    json_decref(wrap);
}

static void iw_priority(struct iw *w, int p)
{
    char buf[4];
    snprintf(buf, sizeof buf, "%d", p);
    iw_str(w, "priority", buf);
}

static void write_voice(struct iw *w, const struct campaign *c)
{
    iw_str(w, "_id", c->id);
    iw_str(w, "name", c->name);
    iw_doc(w, c->doc, "description");
    iw_dnc(w, c);
    iw_priority(w, c->priority);
    if (c->mode != CMODE_NONE)
        iw_str(w, "dialingMode", campaign_mode_name(c->mode));
    iw_str(w, "status", campaign_status_name(c->status));
    iw_doc(w, c->doc, "isFiltersEnabled");
    iw_time(w, "createdAt", c->created_at);
    iw_time(w, "updatedAt", c->updated_at);
    iw_time(w, "campaignInstanceUpdatedAt", c->instance_updated_at);
    iw_ordered(w, c->doc, "schedule", schedule_keys);
    iw_doc(w, c->doc, "connection");
    iw_json(w, "contactLists", c->contact_lists);
}

static void write_sms(struct iw *w, const struct campaign *c)
{
    iw_str(w, "name", c->name);
    iw_doc(w, c->doc, "description");
    iw_str(w, "status", campaign_status_name(c->status));
    iw_dnc(w, c);
    iw_priority(w, c->priority);
    iw_ordered(w, c->doc, "message", message_keys);
    iw_doc(w, c->doc, "experienceFlow");
    iw_time(w, "createdAt", c->created_at);
    iw_time(w, "updatedAt", c->updated_at);
    iw_ordered(w, c->doc, "schedule", schedule_keys);
    iw_doc(w, c->doc, "campaignInstanceId");
    iw_str(w, "id", c->id);
    iw_doc(w, c->doc, "totalMessagesSent");
    iw_time(w, "campaignInstanceUpdatedAt", c->instance_updated_at);
    iw_doc(w, c->doc, "campaignExecutionType");
    iw_json(w, "contactLists", c->contact_lists);
    iw_doc(w, c->doc, "format");
}

void campaign_write_item(struct jbuf *b, const struct campaign *c)
{
    struct iw w = {b, 1};
    jbuf_put(b, "{", 1);
    if (c->type == CTYPE_VOICE)
        write_voice(&w, c);
    else
        write_sms(&w, c);
    jbuf_put(b, "}", 1);
}

json_t *campaign_render_item(const struct campaign *c)
{
    struct jbuf b = {NULL, 0, 0};
    campaign_write_item(&b, c);
    size_t len;
    char *text = jbuf_finish(&b, &len);
    json_t *o = json_loadb(text, len, 0, NULL);
    free(text);
    return o;
}

json_t *campaign_render_export(const struct campaign *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(campaign_type_name(c->type)));
    json_t *item = campaign_render_item(c);
    json_object_update(o, item);
    json_decref(item);
    return o;
}

/* ---- import ------------------------------------------------------------- */

/* Keys an import element may carry, per type. */
static const char *const voice_keys[] = {
    "type", "_id", "name", "description", "dncLists", "priority", "dialingMode", "status",
    "isFiltersEnabled", "createdAt", "updatedAt", "campaignInstanceUpdatedAt", "schedule",
    "connection", "contactLists", NULL,
};
static const char *const sms_keys[] = {
    "type", "name", "description", "status", "dncLists", "priority", "message", "experienceFlow",
    "createdAt", "updatedAt", "schedule", "campaignInstanceId", "id", "totalMessagesSent",
    "campaignInstanceUpdatedAt", "campaignExecutionType", "contactLists", "format", NULL,
};

static bool key_in(const char *k, const char *const *keys)
{
    for (; *keys; keys++)
        if (strcmp(k, *keys) == 0)
            return true;
    return false;
}

/* Import elements are checked with check.h in its lenient mode: null is
 * absent, and every field is reported under the element's path ("[3].name"). */

/* Copies a string value into doc; with id_prefix it must be such an id. */
static void imp_doc_string(struct check *m, json_t *item, json_t *doc, const char *key,
                           const char *id_prefix)
{
    const char *s = check_string(m, item, key, NULL);
    if (s == NULL)
        return;
    if (id_prefix != NULL && !ids_valid(id_prefix, s, strlen(s))) {
        check_fail(m, key, "must be an id of the form %s-<uuid>", id_prefix);
        return;
    }
    json_object_set_new(doc, key, json_string(s));
}

static void imp_doc_bool(struct check *m, json_t *item, json_t *doc, const char *key)
{
    bool b;
    if (check_bool(m, item, key, NULL, &b) == 1)
        json_object_set_new(doc, key, json_boolean(b));
}

/* An object whose listed keys must have the given JSON type; others rejected. */
static void imp_doc_object(struct check *m, json_t *item, json_t *doc, const char *key,
                           const char *const *keys, json_type type)
{
    json_t *v = check_get(m, item, key);
    if (v == NULL)
        return;
    if (!json_is_object(v)) {
        check_fail(m, key, "must be an object");
        return;
    }
    const char *k;
    json_t *x;
    int ok = 1;
    json_object_foreach(v, k, x) {
        char sub[96];
        snprintf(sub, sizeof sub, "%s.%s", key, k);
        if (!key_in(k, keys)) {
            check_fail(m, sub, "is not a documented key");
            ok = 0;
        } else if (json_typeof(x) != type && !(type == JSON_TRUE && json_is_boolean(x))) {
            check_fail(m, sub, "%s", type == JSON_STRING ? "must be a string" : "must be a boolean");
            ok = 0;
        }
    }
    if (ok)
        json_object_set(doc, key, v);
}

static void imp_dnc(struct check *m, json_t *item, struct campaign *c)
{
    json_t *v = check_get(m, item, "dncLists");
    if (v == NULL)
        return;
    if (!json_is_object(v)) {
        check_fail(m, "dncLists", "must be an object");
        return;
    }
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) {
        if (strcmp(k, "name") == 0 || (strcmp(k, "id") == 0 && c->type == CTYPE_VOICE))
            continue;
        char sub[96];
        snprintf(sub, sizeof sub, "dncLists.%s", k);
        check_fail(m, sub, "is not a documented key");
    }
    json_t *name = json_object_get(v, "name"), *id = json_object_get(v, "id");
    const char *problem = json_is_string(name)
                              ? check_name_problem(json_string_value(name), CONTRACT_NAME_MAX)
                              : "is required and must be a string";
    if (problem != NULL) {
        check_fail(m, "dncLists.name", "%s", problem);
        return;
    }
    if (id != NULL && !(json_is_string(id) && ids_valid("cl", json_string_value(id),
                                                        json_string_length(id)))) {
        check_fail(m, "dncLists.id", "must be an id of the form cl-<uuid>");
        return;
    }
    c->dnc = json_object();
    if (id != NULL)
        json_object_set(c->dnc, "id", id);
    json_object_set(c->dnc, "name", name);
}

static void imp_contact_lists(struct check *m, json_t *item, struct campaign *c)
{
    json_t *v = check_get(m, item, "contactLists");
    if (v == NULL)
        return;
    if (!json_is_array(v) || json_array_size(v) > CONTRACT_CAMPAIGN_LISTS_MAX) {
        check_fail(m, "contactLists", "must be an array of at most %d list names",
                   CONTRACT_CAMPAIGN_LISTS_MAX);
        return;
    }
    size_t i;
    json_t *x;
    int ok = 1;
    json_array_foreach(v, i, x) {
        char sub[64];
        snprintf(sub, sizeof sub, "contactLists[%zu]", i);
        if (check_name_value(m, x, sub, CONTRACT_NAME_MAX) == NULL)
            ok = 0;
    }
    if (ok)
        c->contact_lists = json_copy(v);
}

/* The element's type and its key set; -1 when the type is unusable. */
static int imp_type(struct check *m, json_t *item, struct campaign *c)
{
    const char *type = check_string(m, item, "type", NULL);
    int t = type != NULL ? campaign_type_parse(type) : -1;
    if (t < 0) {
        if (!m->bad)
            check_fail(m, "type", "is required and must be \"voice\" or \"sms\"");
        return -1;
    }
    c->type = (enum ctype)t;
    const char *const *allowed = t == CTYPE_VOICE ? voice_keys : sms_keys;
    const char *k;
    json_t *x;
    json_object_foreach(item, k, x) {
        if (!key_in(k, allowed))
            check_fail(m, k, "%s", t == CTYPE_VOICE ? "is not a key of a voice result item"
                                                    : "is not a key of an sms result item");
    }
    return 0;
}

/* The keys both types share. */
static void imp_common(struct check *m, json_t *item, struct campaign *c)
{
    const char *name = check_name(m, item, "name", NULL, CONTRACT_NAME_MAX, true);
    if (name != NULL)
        c->name = xstrdup(name);
    const char *idkey = c->type == CTYPE_VOICE ? "_id" : "id";
    const char *id = check_string(m, item, idkey, NULL);
    if (id != NULL) {
        if (ids_valid("cd", id, strlen(id)))
            memcpy(c->id, id, strlen(id) + 1);
        else
            check_fail(m, idkey, "must be an id of the form cd-<uuid>");
    }
    const char *status = check_string(m, item, "status", NULL);
    if (status != NULL) {
        int s = campaign_status_parse(status);
        if (s < 0)
            check_fail(m, "status", "must be one of Active, Completed, Ready, Paused, Preparing, "
                                    "Stopped, Scheduled, Rescheduled");
        else
            c->status = (enum cstatus)s;
    }
    json_t *prio = check_get(m, item, "priority");
    if (prio != NULL) {
        /* Exactly "1".."5" or 1..5: a padded "05" would not export back as
         * it was imported. */
        int p = campaign_priority_exact(prio);
        if (p < 0)
            check_fail(m, "priority", "must be one of \"1\", \"2\", \"3\", \"4\", \"5\"");
        else
            c->priority = p;
    }
    check_time(m, item, "createdAt", NULL, &c->created_at);
    check_time(m, item, "updatedAt", NULL, &c->updated_at);
    check_time(m, item, "campaignInstanceUpdatedAt", NULL, &c->instance_updated_at);
    imp_dnc(m, item, c);
    imp_contact_lists(m, item, c);
    const char *desc = check_string(m, item, "description", NULL);
    if (desc != NULL) {
        if (text_utf8_len(desc) > CONTRACT_DESCRIPTION_MAX)
            check_fail(m, "description", "must be at most %d characters",
                       CONTRACT_DESCRIPTION_MAX);
        else
            json_object_set_new(c->doc, "description", json_string(desc));
    }
    imp_doc_object(m, item, c->doc, "schedule", schedule_keys, JSON_TRUE);
}

static void imp_voice(struct check *m, json_t *item, struct campaign *c)
{
    const char *mode = check_string(m, item, "dialingMode", NULL);
    if (mode != NULL) {
        int md = campaign_mode_parse(mode);
        if (md < 0)
            check_fail(m, "dialingMode", "must be one of Progressive, Preview, Agentless");
        else
            c->mode = (enum cmode)md;
    }
    imp_doc_bool(m, item, c->doc, "isFiltersEnabled");
    imp_doc_string(m, item, c->doc, "connection", NULL);
}

static void imp_sms(struct check *m, json_t *item, struct campaign *c)
{
    imp_doc_object(m, item, c->doc, "message", message_keys, JSON_STRING);
    json_t *given = check_get(m, item, "message");
    if (json_is_object(given) && json_object_get(given, "message") == NULL)
        check_fail(m, "message.message", "is required: the text of the message");
    imp_doc_string(m, item, c->doc, "experienceFlow", "cf");
    imp_doc_string(m, item, c->doc, "campaignInstanceId", "cid");
    imp_doc_string(m, item, c->doc, "campaignExecutionType", NULL);
    const char *fmt = check_string(m, item, "format", NULL);
    if (fmt != NULL) {
        if (strcmp(fmt, "simple") != 0 && strcmp(fmt, "advanced") != 0)
            check_fail(m, "format", "must be \"simple\" or \"advanced\"");
        else
            json_object_set_new(c->doc, "format", json_string(fmt));
    }
    json_t *sent = check_get(m, item, "totalMessagesSent");
    if (sent != NULL && (!json_is_integer(sent) || json_integer_value(sent) < 0))
        check_fail(m, "totalMessagesSent", "must be a non-negative integer");
    else if (sent != NULL)
        json_object_set(c->doc, "totalMessagesSent", sent);
    json_t *msg = json_object_get(c->doc, "message");
    if (msg != NULL && json_object_get(msg, "templateId") != NULL) {
        json_t *tid = json_object_get(msg, "templateId");
        if (!ids_valid("cmt", json_string_value(tid), json_string_length(tid)))
            check_fail(m, "message.templateId", "must be an id of the form cmt-<uuid>");
    }
}

int campaign_from_item(json_t *item, const char *where, struct campaign *c,
                       struct apierr *e)
{
    struct check m = CHECK_LENIENT(e, where);
    if (!json_is_object(item)) {
        apierr_field(e, where, "must be an object");
        return -1;
    }
    if (imp_type(&m, item, c) != 0)
        return -1;
    imp_common(&m, item, c);
    if (c->type == CTYPE_VOICE)
        imp_voice(&m, item, c);
    else
        imp_sms(&m, item, c);
    json_object_set_new(c->doc, "isImported", json_true());
    return m.bad ? -1 : 0;
}

/* ---- documents of the campaign routes ----------------------------------- */

json_t *campaign_render_strategy(const struct campaign *c)
{
    json_t *ds = json_object_get(c->doc, "dialingStrategy");
    if (!json_is_object(ds))
        return NULL;
    json_t *o = json_object();
    put_doc(o, ds, "callerId");
    json_t *ch = json_object_get(ds, "callingHours");
    if (json_is_object(ch)) {
        json_t *h = json_object();
        json_t *days = json_object_get(ch, "days");
        json_t *rdays = json_array();
        size_t i;
        json_t *d;
        /* The samples order a day's keys differently per type. */
        static const char *const sms_day[] = {"day", "start", "end", NULL};
        static const char *const voice_day[] = {"start", "end", "day", NULL};
        json_array_foreach(days, i, d)
            json_array_append_new(rdays, pick(d, c->type == CTYPE_SMS ? sms_day : voice_day));
        put_doc(h, ch, "frequency");
        if (c->type == CTYPE_SMS) {
            put_doc(h, ch, "timezone");
            json_object_set_new(h, "days", rdays);
        } else {
            json_object_set_new(h, "days", rdays);
            put_doc(h, ch, "timezone");
        }
        json_object_set_new(o, "callingHours", h);
    }
    if (c->type == CTYPE_VOICE) {
        put_doc(o, ds, "dialingOrder");
        put_doc(o, ds, "maxAttemptsPerRecord");
        put_doc(o, ds, "defaultRetryPeriod");
        put_doc(o, ds, "maxRingTime");
        json_object_set_new(o, "useSystemMappings", json_false());
    }
    return o;
}

static void put_strategy(json_t *o, const struct campaign *c)
{
    json_t *ds = campaign_render_strategy(c);
    if (ds != NULL)
        json_object_set_new(o, "dialingStrategy", ds);
}

static void put_lname(json_t *o, const struct campaign *c)
{
    char *l = text_lower(c->name);
    json_object_set_new(o, "lname", json_string(l));
    free(l);
}

/* The document's schedule: both booleans always, and the schedule's own keys
 * while one is enabled (family spec §8.4). */
static void put_schedule(json_t *o, const struct campaign *c)
{
    static const char *const keys[] = {"startDateTime", "endDateTime", "recurrenceObject", NULL};
    json_t *in = json_object_get(c->doc, "schedule");
    json_t *s = json_object();
    json_t *en = json_object_get(in, "isSchedulingEnabled");
    json_t *re = json_object_get(in, "isRecurrenceEnabled");
    json_object_set_new(s, "isSchedulingEnabled", json_boolean(json_is_true(en)));
    json_object_set_new(s, "isRecurrenceEnabled", json_boolean(json_is_true(re)));
    if (json_is_true(en))
        for (const char *const *k = keys; *k; k++)
            put_doc(s, in, *k);
    json_object_set_new(o, "schedule", s);
}

/* enableMachineDetect is stored as given (no/detect/disconnect) and
 * returned as the documented boolean. */
static void put_machine_detect(json_t *o, const struct campaign *c)
{
    const char *md = json_string_value(json_object_get(c->doc, "enableMachineDetect"));
    if (md != NULL && c->mode == CMODE_AGENTLESS)
        json_object_set_new(o, "enableMachineDetect", json_boolean(strcmp(md, "no") != 0));
}

json_t *campaign_render_document(const struct campaign *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "_id", json_string(c->id));
    json_object_set_new(o, "name", json_string(c->name));
    put_lname(o, c);
    put_doc(o, c->doc, "description");
    if (c->type == CTYPE_SMS) {
        json_object_set_new(o, "status", json_string(campaign_status_name(c->status)));
        put_dnc(o, c);
        put_priority(o, c->priority);
        put_strategy(o, c);
        put_ordered(o, c->doc, "message", message_keys);
        put_doc(o, c->doc, "experienceFlow");
        put_doc(o, c->doc, "isImported");
        put_doc(o, c->doc, "isFiltersEnabled");
        put_time(o, "createdAt", c->created_at);
        put_time(o, "updatedAt", c->updated_at);
        put_schedule(o, c);
        put_doc(o, c->doc, "campaignInstanceId");
        put_lists(o, c);
        put_doc(o, c->doc, "format");
    } else {
        put_dnc(o, c);
        put_priority(o, c->priority);
        if (c->mode != CMODE_NONE)
            json_object_set_new(o, "dialingMode", json_string(campaign_mode_name(c->mode)));
        put_strategy(o, c);
        if (c->mode == CMODE_AGENTLESS)
            put_doc(o, c->doc, "experienceFlow");
        json_object_set_new(o, "status", json_string(campaign_status_name(c->status)));
        if (c->mode == CMODE_PREVIEW)
            put_doc(o, c->doc, "maxSkips");
        put_doc(o, c->doc, "isFiltersEnabled");
        put_time(o, "createdAt", c->created_at);
        put_time(o, "updatedAt", c->updated_at);
        put_schedule(o, c);
        put_doc(o, c->doc, "campaignInstanceId");
        put_lists(o, c);
        if (c->mode == CMODE_PROGRESSIVE || c->mode == CMODE_PREVIEW)
            put_doc(o, c->doc, "connection");
        put_machine_detect(o, c);
    }
    return o;
}

json_t *campaign_render_created(const struct campaign *c)
{
    json_t *o = json_object();
    if (c->type == CTYPE_SMS) {
        json_object_set_new(o, "_id", json_string(c->id));
        json_object_set_new(o, "name", json_string(c->name));
        put_lname(o, c);
        put_doc(o, c->doc, "description");
        json_object_set_new(o, "status", json_string(campaign_status_name(c->status)));
        put_dnc(o, c);
        put_priority(o, c->priority);
        put_strategy(o, c);
        put_ordered(o, c->doc, "message", message_keys);
        put_doc(o, c->doc, "experienceFlow");
        json_object_set_new(o, "isImported", json_false());
        json_object_set_new(o, "isFiltersEnabled", json_false());
        put_time(o, "createdAt", c->created_at);
        put_time(o, "updatedAt", c->updated_at);
        json_object_set_new(o, "schedule", json_pack("{s:b}", "isSchedulingEnabled", 0));
        put_lists(o, c);
        put_doc(o, c->doc, "format");
        return o;
    }
    /* Voice mirrors its samples: id near the end, no schedule, and the
     * status the create reports before the lists are resolved (§7.1). */
    json_object_set_new(o, "name", json_string(c->name));
    put_lname(o, c);
    put_doc(o, c->doc, "description");
    put_dnc(o, c);
    put_priority(o, c->priority);
    json_object_set_new(o, "dialingMode", json_string(campaign_mode_name(c->mode)));
    put_strategy(o, c);
    if (c->mode == CMODE_AGENTLESS)
        put_doc(o, c->doc, "experienceFlow");
    json_object_set_new(o, "status", json_string("Preparing"));
    if (c->mode == CMODE_PREVIEW)
        put_doc(o, c->doc, "maxSkips");
    json_object_set_new(o, "isFiltersEnabled", json_false());
    put_time(o, "createdAt", c->created_at);
    put_time(o, "updatedAt", c->updated_at);
    json_object_set_new(o, "id", json_string(c->id));
    put_lists(o, c);
    put_machine_detect(o, c);
    return o;
}
