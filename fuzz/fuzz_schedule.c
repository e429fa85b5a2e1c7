/* fuzz_schedule.c - enable-schedule bodies (family spec §8.3): bytes ->
 * jsonio_parse_object (depth 32) -> campaign_schedule_parse at a fixed `now`.
 * Input that is not a JSON object is used as the raw text of startDateTime
 * (and, in a second call, of endDateTime), so that the date parser sees
 * arbitrary bytes too.
 *
 * Aborts when: the result, *out and the error list disagree; an accepted
 * schedule's dates do not re-parse with timefmt_parse, or end <= start, or
 * end <= now; its recurrence is not exactly one of the documented shapes;
 * enabling it on a Ready campaign (lifecycle_apply LC_SCHEDULE) does not
 * give a Scheduled campaign holding exactly those keys. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "jsonio.h"
#include "lifecycle.h"
#include "timefmt.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 32
#define NOW_MS INT64_C(1767225600000) /* 2026-01-01T00:00:00.000Z */

static int64_t reparse(json_t *v)
{
    const char *s = json_string_value(v);
    int64_t ms;
    if (s == NULL || strlen(s) != TIMEFMT_LEN || timefmt_parse(s, strlen(s), &ms) != 0)
        abort();
    char back[TIMEFMT_LEN + 1];
    timefmt_format(ms, back);
    if (strcmp(back, s) != 0) /* stored in contract §4 form */
        abort();
    return ms;
}

static void check_recurrence(json_t *ro)
{
    const char *type = json_string_value(json_object_get(ro, "recurType"));
    if (type == NULL || json_object_size(ro) != 2)
        abort();
    if (strcmp(type, "Daily") == 0) {
        json_t *n = json_object_get(json_object_get(ro, "dailyDetails"), "onceEveryNdays");
        if (json_object_size(json_object_get(ro, "dailyDetails")) != 1 || !json_is_integer(n) ||
            json_integer_value(n) < 1 || json_integer_value(n) > 365)
            abort();
    } else if (strcmp(type, "Weekly") == 0) {
        json_t *wd = json_object_get(ro, "weeklyDetails");
        json_t *n = json_object_get(wd, "onceEveryNweeks"), *days = json_object_get(wd, "whichDays");
        if (json_object_size(wd) != 2 || !json_is_integer(n) || json_integer_value(n) < 1 ||
            json_integer_value(n) > 52 || !json_is_array(days) || json_array_size(days) < 1 ||
            json_array_size(days) > 7)
            abort();
        static const char *const names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        unsigned seen = 0;
        for (size_t i = 0; i < json_array_size(days); i++) {
            const char *d = json_string_value(json_array_get(days, i));
            int k = -1;
            for (int j = 0; d != NULL && j < 7; j++)
                if (strcmp(d, names[j]) == 0)
                    k = j;
            if (k < 0 || (seen & (1u << k)))
                abort();
            seen |= 1u << k;
        }
    } else {
        abort();
    }
}

static void run(json_t *body)
{
    struct apierr e;
    apierr_init(&e);
    json_t *out = (json_t *)(uintptr_t)1; /* must be set either way */
    int rc = campaign_schedule_parse(body, NOW_MS, &out, &e);
    if (rc != 0) {
        if (rc != -1 || out != NULL || apierr_count(&e) == 0)
            abort();
        apierr_clear(&e);
        return;
    }
    if (out == NULL || apierr_count(&e) != 0 || json_object_size(out) != 3)
        abort();
    int64_t start = reparse(json_object_get(out, "startDateTime"));
    int64_t end = reparse(json_object_get(out, "endDateTime"));
    if (end <= start || end <= NOW_MS)
        abort();
    check_recurrence(json_object_get(out, "recurrenceObject"));

    /* Enabling it on a Ready campaign. */
    struct campaign c;
    struct lc_effect fx;
    campaign_init(&c);
    c.type = CTYPE_VOICE;
    c.name = xstrdup("Fuzz");
    if (lifecycle_apply(&c, LC_SCHEDULE, out, NOW_MS, &fx, &e) != 0 ||
        c.status != CSTATUS_SCHEDULED || !lifecycle_scheduled(&c) || fx.new_instance)
        abort();
    json_t *want = json_pack("{s:b, s:b}", "isSchedulingEnabled", 1, "isRecurrenceEnabled", 1);
    json_object_update(want, out);
    if (!json_equal(want, json_object_get(c.doc, "schedule")))
        abort();
    json_decref(want);
    campaign_clear(&c);
    json_decref(out);
    apierr_clear(&e);
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
    apierr_clear(&pe);
    if (body != NULL) {
        run(body);
        json_decref(body);
        return 0;
    }
    /* Raw bytes as a date, on each side of a valid one. */
    if (size > 64 || memchr(data, '\0', size) != NULL)
        return 0;
    json_t *raw = json_stringn_nocheck((const char *)data, size);
    json_t *ro = json_pack("{s:s, s:{s:i}}", "recurType", "Daily", "dailyDetails",
                           "onceEveryNdays", 1);
    body = json_pack("{s:O, s:s, s:O}", "startDateTime", raw, "endDateTime",
                     "2099-12-31 23:59:59", "recurrenceObject", ro);
    run(body);
    json_decref(body);
    body = json_pack("{s:s, s:O, s:O}", "startDateTime", "1970-1-1 0:00:00", "endDateTime", raw,
                     "recurrenceObject", ro);
    run(body);
    json_decref(body);
    json_decref(ro);
    json_decref(raw);
    return 0;
}
