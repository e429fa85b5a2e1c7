/* fuzz_campaign_body.c - create and update bodies (family spec §3, §4.1,
 * §5.1): bytes -> jsonio_parse_object (depth 32, as the server reads a body)
 * -> for SMS and voice, as a create onto a fresh campaign and as an update
 * onto a stored one: campaign_apply_body + campaign_complete -> on success
 * the create/get documents.
 *
 * Aborts when: the result and the error list disagree; a failed parse sets
 * no 400; an accepted campaign misses what its type, format or mode needs,
 * or keeps what belongs to another; a rendered document is not an object
 * whose "name" is the campaign's name, or cannot be serialised. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "check.h"
#include "jsonio.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 32
#define CD_ID "cd-9e14b72c-88cc-4544-9a98-7aee9b7c4d5e"
#define CL_ID "cl-68b802a1-2b99-4245-8eea-6d322a8e9f01"
#define CF_ID "cf-67447605-115e-4dd2-a676-e158cf3d4e5f"
#define CMT_ID "cmt-88fcd16f-bdb2-4d4d-8a2c-0324c7f0c3d4"

#define DS_SMS                                                                                     \
    "\"dialingStrategy\":{\"callerId\":{\"phoneNumber\":\"+919561600000\"},"                      \
    "\"callingHours\":{\"frequency\":\"WEEKLY\",\"timezone\":\"Asia/Kolkata\",\"days\":["         \
    "{\"day\":\"MO\",\"start\":\"9:00 AM\",\"end\":\"6:00 PM\"}]}}"
#define DS_VOICE                                                                                   \
    "\"dialingStrategy\":{\"callerId\":{\"phoneNumber\":\"+14846500000\"},"                       \
    "\"callingHours\":{\"frequency\":\"WEEKLY\",\"timezone\":\"Asia/Kolkata\",\"days\":["         \
    "{\"day\":\"MO\",\"start\":\"9:00 AM\",\"end\":\"6:00 PM\"}]},\"dialingOrder\":\"FIFO\","     \
    "\"maxAttemptsPerRecord\":3,\"defaultRetryPeriod\":10,\"maxRingTime\":30}"
#define COMMON                                                                                     \
    "\"name\":\"Stored Campaign\",\"description\":\"d\",\"contactLists\":[\"CL A\"],"             \
    "\"dncLists\":{\"name\":\"DNC A\"},\"priority\":\"5\","

/* The stored campaigns an update starts from: every format and mode. */
static const char *const sms_bases[] = {
    "{" COMMON "\"campaignType\":\"sms\",\"format\":\"simple\",\"message\":{\"message\":\"Hi\"}," DS_SMS "}",
    "{" COMMON "\"campaignType\":\"sms\",\"format\":\"simple\",\"message\":{\"template_name\":"
    "\"Welcome\",\"message\":\"Hi\"}," DS_SMS "}",
    "{" COMMON "\"campaignType\":\"sms\",\"format\":\"advanced\",\"experienceFlowName\":\"F\"," DS_SMS "}",
};
static const char *const voice_bases[] = {
    "{" COMMON "\"campaignType\":\"voice\",\"dialingMode\":\"Agentless\",\"experienceFlowName\":"
    "\"F\",\"enableMachineDetect\":\"detect\"," DS_VOICE "}",
    "{" COMMON "\"campaignType\":\"voice\",\"dialingMode\":\"Progressive\",\"queue_name\":\"Q\"," DS_VOICE "}",
    "{" COMMON "\"campaignType\":\"voice\",\"dialingMode\":\"Preview\",\"queue_name\":\"Q\","
    "\"maxSkips\":2," DS_VOICE "}",
};

/* What the store does in the write: ids, timestamps, references resolved. */
static void store_sim(struct campaign *c)
{
    memcpy(c->id, CD_ID, sizeof CD_ID);
    if (c->flow_name != NULL) {
        json_object_set_new(c->doc, "experienceFlow", json_string(CF_ID));
        free(c->flow_name);
        c->flow_name = NULL;
    }
    if (c->message_given) {
        json_t *m = json_object_get(c->doc, "message");
        if (json_object_get(m, "template_name") != NULL)
            json_object_set_new(m, "templateId", json_string(CMT_ID));
        c->message_given = 0;
    }
    if (c->dnc != NULL && c->type == CTYPE_VOICE && json_object_get(c->dnc, "id") == NULL)
        json_object_set_new(c->dnc, "id", json_string(CL_ID));
    c->created_at = c->updated_at = c->instance_updated_at = 1765171778298;
    json_object_set_new(c->doc, "isImported", json_false());
    json_object_set_new(c->doc, "isFiltersEnabled", json_false());
    json_object_set_new(c->doc, "schedule", json_pack("{s:b, s:b}", "isSchedulingEnabled", 0,
                                                      "isRecurrenceEnabled", 0));
}

static int apply(struct campaign *c, json_t *body, int creating, struct apierr *e)
{
    int bad = campaign_apply_body(c, body, creating, e);
    bad |= campaign_complete(c, e);
    if ((bad == 0) != (apierr_count(e) == 0))
        abort();
    return bad;
}

static void stored(enum ctype t, size_t which, struct campaign *c)
{
    const char *text = t == CTYPE_SMS ? sms_bases[which % 3] : voice_bases[which % 3];
    struct apierr e;
    apierr_init(&e);
    json_t *body = jsonio_parse_object(text, strlen(text), MAX_DEPTH, &e);
    if (body == NULL)
        abort();
    campaign_init(c);
    c->type = t;
    if (apply(c, body, 1, &e) != 0)
        abort(); /* the base bodies are valid */
    store_sim(c);
    json_decref(body);
    apierr_clear(&e);
}

static void check_rendered(json_t *d, const struct campaign *c)
{
    if (!json_is_object(d) || !json_is_string(json_object_get(d, "name")) ||
        strcmp(json_string_value(json_object_get(d, "name")), c->name) != 0)
        abort();
    size_t len = 0;
    char *s = jsonio_dump(d, &len);
    if (s == NULL || len == 0)
        abort();
    free(s);
}

/* What an accepted campaign must hold, and must not. */
static void check_accepted(const struct campaign *c)
{
    json_t *doc = c->doc, *ds = json_object_get(doc, "dialingStrategy");
    if (c->name == NULL || check_name_problem(c->name, CONTRACT_NAME_MAX) != NULL)
        abort();
    if (c->priority < 1 || c->priority > 5)
        abort();
    if (!json_is_array(c->contact_lists) || json_array_size(c->contact_lists) < 1 ||
        json_array_size(c->contact_lists) > 64)
        abort();
    if (!json_is_string(json_object_get(doc, "description")))
        abort();
    if (!json_is_object(json_object_get(ds, "callerId")) ||
        !json_is_object(json_object_get(ds, "callingHours")))
        abort();
    if (!campaign_phone_valid(
            json_string_value(json_object_get(json_object_get(ds, "callerId"), "phoneNumber"))))
        abort();
    json_t *days = json_object_get(json_object_get(ds, "callingHours"), "days");
    if (json_array_size(days) < 1 || json_array_size(days) > 28)
        abort();
    if (c->type == CTYPE_SMS) {
        const char *fmt = json_string_value(json_object_get(doc, "format"));
        if (fmt == NULL || c->mode != CMODE_NONE)
            abort();
        int simple = strcmp(fmt, "simple") == 0;
        if (!simple && strcmp(fmt, "advanced") != 0)
            abort();
        if (simple != (json_object_get(doc, "message") != NULL))
            abort();
        if (simple && (c->flow_name != NULL || json_object_get(doc, "experienceFlow") != NULL))
            abort();
        if (!simple && c->flow_name == NULL && json_object_get(doc, "experienceFlow") == NULL)
            abort();
        if (json_object_get(ds, "dialingOrder") || json_object_get(ds, "maxRingTime") ||
            json_object_get(ds, "maxAttemptsPerRecord") || json_object_get(ds, "defaultRetryPeriod"))
            abort();
        if (json_object_get(doc, "connection") || json_object_get(doc, "maxSkips") ||
            json_object_get(doc, "enableMachineDetect"))
            abort();
    } else {
        if (c->dnc == NULL || c->mode == CMODE_NONE)
            abort();
        if (!json_object_get(ds, "dialingOrder") || !json_object_get(ds, "maxRingTime") ||
            !json_object_get(ds, "maxAttemptsPerRecord") || !json_object_get(ds, "defaultRetryPeriod"))
            abort();
        int agentless = c->mode == CMODE_AGENTLESS, preview = c->mode == CMODE_PREVIEW;
        if (agentless != (json_object_get(doc, "enableMachineDetect") != NULL))
            abort();
        if (agentless == (json_object_get(doc, "connection") != NULL))
            abort();
        if (preview != (json_object_get(doc, "maxSkips") != NULL))
            abort();
        if (!agentless && (c->flow_name != NULL || json_object_get(doc, "experienceFlow") != NULL))
            abort();
        if (json_object_get(doc, "message") || json_object_get(doc, "format") || c->message_given)
            abort();
    }
}

static void one(json_t *body, enum ctype t, int creating, size_t which)
{
    struct campaign c;
    struct apierr e;
    if (creating) {
        campaign_init(&c);
        c.type = t;
        c.status = CSTATUS_READY;
    } else {
        stored(t, which, &c);
    }
    apierr_init(&e);
    if (apply(&c, body, creating, &e) == 0) {
        check_accepted(&c);
        store_sim(&c);
        json_t *d = campaign_render_document(&c);
        check_rendered(d, &c);
        json_decref(d);
        d = campaign_render_created(&c);
        check_rendered(d, &c);
        json_decref(d);
        d = campaign_render_strategy(&c);
        if (!json_is_object(d))
            abort();
        json_decref(d);
    }
    apierr_clear(&e);
    campaign_clear(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        xalloc_init();
        ready = 1;
    }
    struct apierr pe;
    apierr_init(&pe);
    json_t *body = jsonio_parse_object((const char *)data, size, MAX_DEPTH, &pe);
    if (body == NULL) {
        if (pe.status != 400 || apierr_count(&pe) == 0)
            abort();
        apierr_clear(&pe);
        return 0;
    }
    apierr_clear(&pe);
    for (int t = 0; t <= 1; t++)
        for (int creating = 0; creating <= 1; creating++)
            one(body, t ? CTYPE_SMS : CTYPE_VOICE, creating, size);
    json_decref(body);
    return 0;
}
