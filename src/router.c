/* router.c - the route table and its matcher; see router.h. */
#include "router.h"

#include <stdio.h>
#include <string.h>

static const struct route routes[] = {
    {"GET", "/healthz", 0, api_health},
    {"POST", "/campaign/api/v2/public/:stream/campaign/getAllCampaignDetails",
     ROUTE_AUTH | ROUTE_BODY, api_list_campaigns},
};

#define NROUTES (sizeof routes / sizeof routes[0])

/* Matches path against pattern; copies the :stream segment into buf. */
static int route_matches(const char *pattern, const char *path, char *buf, size_t cap)
{
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (p[0] == ':') {
            size_t n = strcspn(s, "/");
            if (n == 0 || n >= cap)
                return 0;
            memcpy(buf, s, n);
            buf[n] = '\0';
            p += strcspn(p, "/");
            s += n;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

const struct route *router_match(const char *method, const char *path, char *buf, size_t cap,
                                 const char **stream, struct apierr *e)
{
    char allow[sizeof e->allow] = "";
    for (size_t i = 0; i < NROUTES; i++) {
        if (!route_matches(routes[i].pattern, path, buf, cap))
            continue;
        if (strcmp(routes[i].method, method) == 0) {
            *stream = strchr(routes[i].pattern, ':') ? buf : NULL;
            return &routes[i];
        }
        size_t n = strlen(allow);
        snprintf(allow + n, sizeof allow - n, "%s%s", n ? ", " : "", routes[i].method);
    }
    if (allow[0] != '\0') {
        apierr_one(e, 405, NULL, "Method not allowed on this path");
        memcpy(e->allow, allow, sizeof allow);
    } else {
        apierr_one(e, 404, NULL, "No such route");
    }
    return NULL;
}
