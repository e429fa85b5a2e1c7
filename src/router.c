/* router.c - the route table and its matcher; see router.h. */
#include "router.h"

#include <stdio.h>
#include <string.h>

#define V2 "/campaign/api/v2/public/:stream/campaign"
#define ALIAS "/api/v2/public/:stream/campaign" /* family spec §2: every route but the listing */

#define AUTH ROUTE_AUTH
#define BODY (ROUTE_AUTH | ROUTE_BODY)
#define BODY_OPT (ROUTE_AUTH | ROUTE_BODY_OPT)

/* The family's routes under one prefix. */
#define CAMPAIGN_ROUTES(P)                                                                   \
    {"POST", P, BODY, api_campaign_create, NULL},                                            \
    {"GET", P "/:id", AUTH, api_campaign_get, NULL},                                         \
    {"PUT", P "/:id", BODY, api_campaign_update, NULL},                                      \
    {"DELETE", P "/:id", AUTH, api_campaign_delete, NULL},                                   \
    {"POST", P "/:id", BODY_OPT, api_campaign_trigger, "trigger"},                           \
    {"POST", P "/trigger/:id", BODY_OPT, api_campaign_trigger, NULL},                        \
    {"POST", P "//trigger/:id", BODY_OPT, api_campaign_trigger, NULL},                       \
    {"POST", P "/:id/status", BODY_OPT, api_campaign_status, NULL},                          \
    {"POST", P "/schedule", BODY_OPT, api_campaign_schedule, NULL},                          \
    {"POST", P "/contactList/createContactList", BODY, api_clist_create, NULL},               \
    {"POST", P "/contactList/getAllListDetails", BODY_OPT, api_clist_get_all, NULL},          \
    {"GET", P "/contactList/:id", AUTH, api_clist_get, NULL},                                 \
    {"PUT", P "/contactList/:id", BODY, api_clist_update, NULL},                              \
    {"DELETE", P "/contactList/:id", AUTH, api_clist_delete, NULL},                           \
    {"GET", P "/contactList/:id/getAllContacts", AUTH, api_clist_contacts, NULL},             \
    {"POST", P "/contactList/addContacts", BODY, api_clist_add_contacts, NULL}

static const struct route routes[] = {
    {"GET", "/healthz", 0, api_health, NULL},
    {"GET", "/openapi.json", 0, api_openapi, NULL},
    {"GET", "/console", 0, api_console, NULL},
    {"GET", "/console/:id", 0, api_console, NULL},
    {"POST", V2 "/getAllCampaignDetails", BODY, api_list_campaigns, NULL},
    CAMPAIGN_ROUTES(V2),
    CAMPAIGN_ROUTES(ALIAS),
    {"POST", "/api/1.1/public/:stream/campaign/contactList/addContacts", BODY,
     api_clist_add_contacts, NULL},
    {"POST", "/campaignd/v1/attempts/:id/outcome", ROUTE_SIGNED | ROUTE_BODY, api_attempt_outcome,
     NULL},
};

#define NROUTES (sizeof routes / sizeof routes[0])

size_t router_size(void)
{
    return NROUTES;
}

const struct route *router_at(size_t i)
{
    return i < NROUTES ? &routes[i] : NULL;
}

size_t router_index(const struct route *r)
{
    return (size_t)(r - routes);
}

static const char *const reserved[] = {"trigger", "schedule", "contactList",
                                       "getAllCampaignDetails", NULL};

static int is_reserved(const char *s, size_t n)
{
    for (const char *const *r = reserved; *r; r++)
        if (strlen(*r) == n && memcmp(*r, s, n) == 0)
            return 1;
    return 0;
}

/* Matches path against pattern; returns the number of literal segments
 * (>= 1) on a match, 0 otherwise, and copies the captures into c. */
static int route_matches(const char *pattern, const char *path, struct api_call *c)
{
    const char *p = pattern, *s = path;
    int literals = 0;
    while (*p && *s) {
        if (p[0] == ':') {
            size_t n = strcspn(s, "/");
            int is_id = strncmp(p, ":id", 3) == 0;
            char *dst = is_id ? c->object_id : c->stream_id;
            if (n == 0 || n >= API_SEGMENT_MAX || (is_id && is_reserved(s, n)))
                return 0;
            memcpy(dst, s, n);
            dst[n] = '\0';
            p += strcspn(p, "/");
            s += n;
            continue;
        }
        if (*p != *s)
            return 0;
        if (*p == '/' && p[1] != ':' && p[1] != '/' && p[1] != '\0')
            literals++;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0' ? literals + 1 : 0;
}

const struct route *router_match(const char *method, const char *path,
                                 int (*has_query)(void *ctx, const char *key), void *ctx,
                                 struct api_call *c, struct apierr *e)
{
    int best = 0;
    int score[NROUTES];
    for (size_t i = 0; i < NROUTES; i++) {
        score[i] = route_matches(routes[i].pattern, path, c);
        if (score[i] > 0 && routes[i].when_query != NULL && !has_query(ctx, routes[i].when_query))
            score[i] = 0;
        if (score[i] > best)
            best = score[i];
    }
    char allow[sizeof e->allow] = "";
    for (size_t i = 0; best > 0 && i < NROUTES; i++) {
        if (score[i] != best)
            continue;
        if (strcmp(routes[i].method, method) == 0) {
            route_matches(routes[i].pattern, path, c); /* captures of this pattern */
            return &routes[i];
        }
        if (strstr(allow, routes[i].method) == NULL) {
            size_t n = strlen(allow);
            snprintf(allow + n, sizeof allow - n, "%s%s", n ? ", " : "", routes[i].method);
        }
    }
    if (allow[0] != '\0') {
        apierr_one(e, 405, NULL, "Method not allowed on this path");
        memcpy(e->allow, allow, sizeof allow);
    } else {
        apierr_one(e, 404, NULL, "No such route");
    }
    return NULL;
}
