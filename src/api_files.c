/* api_files.c - the routes that serve files built into the binary
 * (src/asset.h), without credentials: GET /openapi.json, the API's
 * description, and GET /console[/FILE], the console's pages, which call the
 * public API with a token the person pastes. */
#include "api.h"
#include "asset.h"
#include "xalloc.h"

#include <stdio.h>
#include <string.h>

/* The asset name as the response, of type type (NULL: JSON, the default). */
static int serve(struct api_call *c, const char *name, const char *type)
{
    const struct asset *a = asset_get(name);
    if (a == NULL) {
        apierr_one(&c->err, 404, NULL, "No such file");
        return -1;
    }
    c->response_text = xmalloc(a->len + 1);
    memcpy(c->response_text, a->data, a->len + 1);
    c->response_len = a->len;
    c->content_type = type;
    c->status = 200;
    return 0;
}

int api_openapi(struct api_call *c)
{
    return serve(c, "openapi.json", NULL);
}

/* The type of a console file, from its extension; NULL for a file the
 * console does not have. */
static const char *console_type(const char *file)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
    };
    const char *dot = strrchr(file, '.');
    for (size_t i = 0; dot != NULL && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

int api_console(struct api_call *c)
{
    const char *file = c->object_id[0] != '\0' ? c->object_id : "index.html";
    const char *type = console_type(file);
    char name[API_SEGMENT_MAX + 16];
    snprintf(name, sizeof name, "console/%s", file);
    if (type == NULL) {
        apierr_one(&c->err, 404, NULL, "No such file");
        return -1;
    }
    return serve(c, name, type);
}
