/* apierr.c - see apierr.h. */
#include "apierr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

void apierr_init(struct apierr *e)
{
    e->status = 0;
    e->message = NULL;
    e->errors = json_array();
    e->allow[0] = '\0';
    e->retry_after = 0;
}

void apierr_clear(struct apierr *e)
{
    json_decref(e->errors);
    e->errors = NULL;
    free(e->message);
    e->message = NULL;
}

/* vasprintf into a new string; aborts on allocation failure (xalloc.h). */
static char *format(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    if (n <= 0)
        s[0] = '\0';
    text_utf8_repair(s); /* a message may quote what a client sent */
    return s;
}

const char *apierr_message(const struct apierr *e)
{
    return e->message ? e->message : "";
}

void apierr_reset(struct apierr *e, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(e->message);
    e->message = format(fmt, ap);
    e->status = status;
    va_end(ap);
}

void apierr_set(struct apierr *e, int status, const char *fmt, ...)
{
    if (e->status != 0)
        return;
    e->status = status;
    va_list ap;
    va_start(ap, fmt);
    free(e->message);
    e->message = format(fmt, ap);
    va_end(ap);
}

void apierr_field(struct apierr *e, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = format(fmt, ap);
    va_end(ap);
    json_t *o = json_object();
    if (field != NULL) {
        char *f = xstrdup(field);
        text_utf8_repair(f);
        json_object_set_new(o, "field", json_string(f));
        free(f);
    }
    json_object_set_new(o, "msg", json_string(msg));
    json_array_append_new(e->errors, o);
    free(msg);
}

int apierr_has_field(const struct apierr *e, const char *field)
{
    size_t i;
    json_t *x;
    json_array_foreach(e->errors, i, x) {
        const char *f = json_string_value(json_object_get(x, "field"));
        size_t n = strlen(field);
        if (f != NULL && strncmp(f, field, n) == 0 &&
            (f[n] == '\0' || f[n] == '.' || f[n] == '['))
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
                     e->message && e->message[0] ? e->message : "Internal error", "errors",
                     e->errors);
}
