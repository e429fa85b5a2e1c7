/* apierr.c - see apierr.h. */
#include "apierr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void apierr_init(struct apierr *e)
{
    e->status = 0;
    e->message[0] = '\0';
    e->errors = json_array();
    e->allow[0] = '\0';
}

void apierr_clear(struct apierr *e)
{
    json_decref(e->errors);
    e->errors = NULL;
}

void apierr_set(struct apierr *e, int status, const char *fmt, ...)
{
    if (e->status != 0)
        return;
    e->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

void apierr_field(struct apierr *e, const char *field, const char *fmt, ...)
{
    char msg[APIERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_object();
    if (field != NULL)
        json_object_set_new(o, "field", json_string(field));
    json_object_set_new(o, "msg", json_string(msg));
    json_array_append_new(e->errors, o);
}

int apierr_has_field(const struct apierr *e, const char *field)
{
    size_t i;
    json_t *x;
    json_array_foreach(e->errors, i, x) {
        const char *f = json_string_value(json_object_get(x, "field"));
        if (f != NULL && strcmp(f, field) == 0)
            return 1;
    }
    return 0;
}

size_t apierr_count(const struct apierr *e)
{
    return json_array_size(e->errors);
}

void apierr_one(struct apierr *e, int status, const char *field, const char *msg)
{
    apierr_set(e, status, "%s", msg);
    apierr_field(e, field, "%s", msg);
}

json_t *apierr_body(const struct apierr *e)
{
    return json_pack("{s:s, s:s, s:O}", "status", "error", "message",
                     e->message[0] ? e->message : "Internal error", "errors", e->errors);
}
