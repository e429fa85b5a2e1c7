/* query.c - see query.h. */
#include "query.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "timefmt.h"

static void parse_date(json_t *body, const char *key, int64_t absent, int64_t *out,
                       struct apierr *e)
{
    json_t *v = json_object_get(body, key);
    *out = absent;
    if (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
        return;
    if (!json_is_string(v) ||
        timefmt_parse(json_string_value(v), json_string_length(v), out) != 0) {
        *out = absent;
        apierr_field(e, key, "must be an ISO 8601 timestamp such as 2025-12-01T00:00:00.000Z");
    }
}

static void parse_sort(json_t *body, struct list_query *q, struct apierr *e)
{
    json_t *v = json_object_get(body, "sortBy");
    if (v == NULL || json_is_null(v))
        return;
    if (!json_is_object(v)) {
        apierr_field(e, "sortBy", "must be an object");
        return;
    }
    const char *k;
    json_t *dir;
    json_object_foreach(v, k, dir) {
        char field[80];
        snprintf(field, sizeof field, "sortBy.%s", k);
        int f;
        if (strcmp(k, "name") == 0)
            f = SORT_NAME;
        else if (strcmp(k, "createdAt") == 0)
            f = SORT_CREATED_AT;
        else if (strcmp(k, "updatedAt") == 0)
            f = SORT_UPDATED_AT;
        else {
            apierr_field(e, field, "is not a sort key; use name, createdAt or updatedAt");
            continue;
        }
        if (json_is_null(dir)) /* null means absent (contract §3) */
            continue;
        const char *d = json_string_value(dir);
        if (d == NULL || (strcmp(d, "asc") != 0 && strcmp(d, "desc") != 0)) {
            apierr_field(e, field, "must be \"asc\" or \"desc\"");
            continue;
        }
        /* Duplicate keys were rejected by the parser, so nsort stays <= 3. */
        q->sort[q->nsort].field = (enum sort_field)f;
        q->sort[q->nsort].desc = d[0] == 'd';
        q->nsort++;
    }
}

/* One filter array: each element through `value`, which returns the bit
 * number or -1.  An absent, null or empty array leaves *mask all-ones. */
static void parse_filter(json_t *filters, const char *key, int (*value)(const json_t *),
                         const char *allowed, uint32_t *mask, struct apierr *e)
{
    json_t *v = json_object_get(filters, key);
    *mask = QUERY_MASK_ALL;
    if (v == NULL || json_is_null(v))
        return;
    char field[80];
    snprintf(field, sizeof field, "filters.%s", key);
    if (!json_is_array(v)) {
        apierr_field(e, field, "must be an array");
        return;
    }
    if (json_array_size(v) > CONTRACT_FILTER_VALUES_MAX) {
        apierr_field(e, field, "must hold at most %d values", CONTRACT_FILTER_VALUES_MAX);
        return;
    }
    if (json_array_size(v) == 0)
        return;
    uint32_t m = 0;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        int bit = value(x);
        if (bit < 0) {
            snprintf(field, sizeof field, "filters.%s[%zu]", key, i);
            apierr_field(e, field, "must be one of %s", allowed);
        } else {
            m |= 1u << bit;
        }
    }
    *mask = m;
}

static int status_value(const json_t *x)
{
    return json_is_string(x) ? campaign_status_parse(json_string_value(x)) : -1;
}

static int mode_value(const json_t *x)
{
    return json_is_string(x) ? campaign_mode_parse(json_string_value(x)) : -1;
}

static void parse_filters(json_t *body, struct list_query *q, struct apierr *e)
{
    q->status_mask = q->priority_mask = q->mode_mask = QUERY_MASK_ALL;
    json_t *f = json_object_get(body, "filters");
    if (f == NULL || json_is_null(f))
        return;
    if (!json_is_object(f)) {
        apierr_field(e, "filters", "must be an object");
        return;
    }
    const char *k;
    json_t *x;
    json_object_foreach(f, k, x) {
        if (strcmp(k, "status") != 0 && strcmp(k, "priority") != 0 &&
            strcmp(k, "dialingMode") != 0) {
            char field[80];
            snprintf(field, sizeof field, "filters.%s", k);
            apierr_field(e, field, "is not a filter; use status, priority or dialingMode");
        }
    }
    parse_filter(f, "status", status_value,
                 "Active, Completed, Ready, Paused, Preparing, Stopped, Scheduled, Rescheduled",
                 &q->status_mask, e);
    parse_filter(f, "priority", campaign_priority_parse, "1, 2, 3, 4, 5", &q->priority_mask, e);
    parse_filter(f, "dialingMode", mode_value, "Progressive, Preview, Agentless", &q->mode_mask, e);
    if (q->type == CTYPE_SMS) /* validated above, never applied (contract §3) */
        q->mode_mask = QUERY_MASK_ALL;
}

int query_parse(json_t *body, struct list_query *q, struct apierr *e)
{
    size_t before = apierr_count(e);
    memset(q, 0, sizeof *q);

    json_t *t = json_object_get(body, "type");
    int type = json_is_string(t) ? campaign_type_parse(json_string_value(t)) : -1;
    if (type < 0)
        apierr_field(e, "type", t == NULL || json_is_null(t)
                                    ? "is required: \"voice\" or \"sms\""
                                    : "must be \"voice\" or \"sms\"");
    q->type = type == CTYPE_SMS ? CTYPE_SMS : CTYPE_VOICE;

    struct check k = CHECK_LENIENT(e, NULL);
    struct paging pg;
    check_paging(&k, body, true, CONTRACT_LIMIT_DEFAULT, &pg);
    q->limit = (int)pg.limit;
    q->offset = pg.offset;

    parse_date(body, "startDate", INT64_MIN, &q->start_ms, e);
    parse_date(body, "endDate", INT64_MAX, &q->end_ms, e);
    if (q->start_ms != INT64_MIN && q->end_ms != INT64_MAX && q->start_ms > q->end_ms)
        apierr_field(e, "endDate", "must not be before startDate");

    parse_sort(body, q, e);
    parse_filters(body, q, e);

    if (apierr_count(e) > before) {
        apierr_set(e, 400, "Request validation failed");
        return -1;
    }
    return 0;
}

int query_order(const struct list_query *q, int fields[4], int desc[4])
{
    int n = 0;
    if (q->nsort == 0) {
        fields[0] = SORT_CREATED_AT;
        desc[0] = 1;
        n = 1;
    }
    for (int i = 0; i < q->nsort; i++) {
        fields[n] = (int)q->sort[i].field;
        desc[n] = q->sort[i].desc;
        n++;
    }
    fields[n] = -1;
    desc[n] = desc[n - 1];
    return n + 1;
}
