/* jsonu.c - see jsonu.h. */
#include "jsonu.h"

#include <string.h>

#include "xalloc.h"

bool jsonu_depth_ok(const char *buf, size_t len, size_t max_depth)
{
    size_t depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                return false;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return true;
}

json_t *jsonu_parse_object(const char *buf, size_t len, size_t max_depth, struct apierr *e)
{
    if (len == 0) {
        apierr_one(e, 400, NULL, "Request body is required and must be a JSON object");
        return NULL;
    }
    if (!jsonu_depth_ok(buf, len, max_depth)) {
        apierr_set(e, 400, "Request body is nested too deeply");
        apierr_field(e, NULL, "JSON nesting deeper than %zu levels", max_depth);
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL) {
        apierr_set(e, 400, "Request body is not valid JSON");
        apierr_field(e, NULL, "%s at line %d, column %d", je.text, je.line, je.column);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        apierr_one(e, 400, NULL, "Request body must be a JSON object");
        return NULL;
    }
    return v;
}

char *jsonu_dump(const json_t *v, size_t *len)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s != NULL && len != NULL)
        *len = strlen(s);
    return s;
}

size_t jsonu_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

const char *jsonu_name_problem(const char *s, size_t max_cp)
{
    bool blank = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return "must not contain control characters";
        if (*p != ' ')
            blank = false;
    }
    if (*s == '\0')
        return "must not be empty";
    if (blank)
        return "must not be only whitespace";
    if (jsonu_utf8_len(s) > max_cp)
        return "is too long";
    return NULL;
}

char *jsonu_lower(const char *s)
{
    char *d = xstrdup(s);
    for (char *p = d; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return d;
}
