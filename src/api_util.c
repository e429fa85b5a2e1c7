/* api_util.c - small helpers shared by the route handlers. */
#include <string.h>

#include "api.h"
#include "check.h"

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

int api_query_paging(struct api_call *c, int64_t limit_default, struct paging *pg)
{
    static const char *const keys[] = {"skip", "limit", "page"};
    json_t *given = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = c->query(c, keys[i]);
        if (v != NULL) /* any bytes: check_paging reports what is not digits */
            json_object_set_new(given, keys[i], json_string_nocheck(v));
    }
    struct check k = {&c->err, "query", false, 0};
    check_paging(&k, given, true, limit_default, pg);
    json_decref(given);
    return k.bad ? -1 : 0;
}

int api_ok(struct api_call *c, int status, json_t *response)
{
    c->status = status;
    c->response = response;
    return 0;
}
