/* api_util.c - small helpers shared by the route handlers. */
#include <string.h>

#include "api.h"
#include "check.h"
#include "jsonio.h"

int api_query_type(struct api_call *c, int required, int *type)
{
    const char *v = c->query(c, "campaignType");
    *type = -1;
    if (v == NULL && !required)
        return 0;
    if (v != NULL && strcmp(v, "sms") == 0)
        *type = CTYPE_SMS;
    else if (v != NULL && strcmp(v, "voice") == 0)
        *type = CTYPE_VOICE;
    else {
        apierr_field(&c->err, "query.campaignType",
                     v == NULL ? "is required: sms or voice" : "must be sms or voice");
        apierr_set(&c->err, 400, "Request validation failed");
        return -1;
    }
    return 0;
}

void api_count(struct api_call *c, json_t *obj, const char *key, const char *field, int64_t def,
               int64_t min, int64_t max, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    *out = def;
    /* Family spec §12: null in a request body is a type error. */
    if (json_is_null(v) || check_count_value(v, min, max, out) < 0)
        apierr_field(&c->err, field,
                     "must be an integer from %lld to %lld, a string of digits, or \"\"",
                     (long long)min, (long long)max);
}

int api_ok(struct api_call *c, int status, json_t *response)
{
    c->status = status;
    c->response = response;
    return 0;
}
