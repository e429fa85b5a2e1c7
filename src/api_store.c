/* api_store.c - store results as API errors (api_store.h). */
#include "api_store.h"

#include <stdio.h>

/* A field path: an import element's problems start with "[i].". */
static const char *path(const struct store_problem *p, const char *field, char *buf, size_t cap)
{
    if (p->elem < 0)
        return field;
    snprintf(buf, cap, "[%ld]%s%s", p->elem, field ? "." : "", field ? field : "");
    return buf;
}

/* An import element's list reference: dncLists or contactLists[i]. */
static const char *list_ref(const struct store_problem *p, char *buf, size_t cap)
{
    if (p->index < 0)
        snprintf(buf, cap, "[%ld].dncLists", p->elem);
    else
        snprintf(buf, cap, "[%ld].contactLists[%ld]", p->elem, p->index);
    return buf;
}

static const char *type_name(int type)
{
    return campaign_type_name((enum ctype)type);
}

/* The status and sentence of a result whose first problem is p. */
static void headline(enum store_rc rc, const struct store_problem *p, struct apierr *e)
{
    switch (rc) {
    case STORE_OK:
    case STORE_REJECTED: return;
    case STORE_UNAVAILABLE:
        if (p != NULL && p->what == SW_OPEN)
            apierr_set(e, 503, "%s", p->a);
        else
            apierr_set(e, 503, "The store is unavailable; try again later");
        return;
    case STORE_INTERNAL:
        if (p != NULL && p->what == SW_OPEN)
            apierr_set(e, 500, "%s", p->a);
        else
            apierr_set(e, 500, "Internal error");
        return;
    case STORE_BAD_REF: apierr_set(e, 400, "Request validation failed"); return;
    default: break;
    }
    switch (p ? p->what : SW_DB) {
    case SW_DB_PATH: apierr_set(e, 400, "The database path is empty"); break;
    case SW_CLIENT: apierr_set(e, 404, "Unknown client"); break;
    case SW_TENANT: apierr_set(e, 404, "Unknown app"); break;
    case SW_APP: apierr_set(e, 404, "There is no app %s in account %s", p->a, p->b); break;
    case SW_APP_NO_CLIENT: apierr_set(e, 404, "The app %s has no client", p->a); break;
    case SW_APP_OTHER_ACCOUNT:
        apierr_set(e, 409, "The app %s belongs to another account", p->a);
        break;
    case SW_RACE:
        apierr_set(e, 409, "A concurrent request created the same object; try again");
        break;
    case SW_CAMPAIGN: apierr_set(e, 404, "Campaign %s not found", p->a); break;
    case SW_CAMPAIGN_NAME: apierr_set(e, 404, "There is no campaign of that name"); break;
    case SW_CAMPAIGN_BOTH:
        apierr_set(e, 400, "An SMS and a voice campaign have that name: give campaignType");
        break;
    case SW_CAMPAIGN_INVALID: apierr_set(e, 400, "Request validation failed"); break;
    case SW_CAMPAIGN_TAKEN:
        apierr_set(e, 409, "A %s campaign named %s already exists", type_name(p->type), p->a);
        break;
    case SW_NEVER_STARTED:
        apierr_set(e, 409, "Campaign %s has never been started: it has no contacts to record",
                   p->a);
        break;
    case SW_NO_CONTACT:
        apierr_set(e, 404, "The latest instance of campaign %s has no contact %s", p->a, p->b);
        break;
    case SW_ATTEMPT: apierr_set(e, 404, "Attempt %s not found", p->a); break;
    case SW_ATTEMPT_OUTCOME:
        apierr_set(e, 409, "Attempt %s already has the outcome %s", p->a, p->b);
        break;
    case SW_LIST: apierr_set(e, 404, "Contact list %s not found", p->a); break;
    case SW_LIST_NAME: apierr_set(e, 404, "There is no contact list of that name"); break;
    case SW_LIST_TAKEN: apierr_set(e, 409, "A contact list named %s already exists", p->a); break;
    case SW_LIST_IN_USE:
        apierr_set(e, 409, "Contact list %s is used by campaigns: %s", p->a, p->b);
        break;
    default:
        apierr_set(e, 409,
                   "The file conflicts with stored campaigns or lists; nothing was imported");
        break;
    }
}

/* The problem's entry in the error list, if it has one. */
static void problem(const struct store_problem *p, struct apierr *e)
{
    char buf[96];
    switch (p->what) {
    case SW_CAMPAIGN: apierr_field(e, NULL, "There is no campaign %s", p->a); break;
    case SW_CAMPAIGN_NAME:
        apierr_field(e, "query.campaignName", "There is no campaign of that name");
        break;
    case SW_CAMPAIGN_BOTH:
        apierr_field(e, "query.campaignType",
                     "An SMS and a voice campaign have that name: give campaignType");
        break;
    case SW_CAMPAIGN_TAKEN:
        apierr_field(e, "name", "is already the name of another %s campaign", type_name(p->type));
        break;
    case SW_REF_LIST:
        snprintf(buf, sizeof buf, "contactLists[%ld]", p->index);
        apierr_field(e, buf, "there is no contact list named \"%s\"", p->a);
        break;
    case SW_REF_DNC:
        apierr_field(e, "dncLists.name", "there is no contact list named \"%s\"", p->a);
        break;
    case SW_REF_DNC_IN_LISTS:
        apierr_field(e, "dncLists.name", "\"%s\" is also one of the campaign's contactLists", p->a);
        break;
    case SW_REF_TEMPLATE:
        apierr_field(e, "message.templateId", "%s is not a registered template", p->a);
        break;
    case SW_REF_TEMPLATE_NAME:
        apierr_field(e, "message.templateId", "names the template \"%s\", not \"%s\"", p->a, p->b);
        break;
    case SW_LIST: apierr_field(e, NULL, "There is no contact list %s", p->a); break;
    case SW_ATTEMPT: apierr_field(e, NULL, "There is no attempt %s", p->a); break;
    case SW_ATTEMPT_OUTCOME:
        apierr_field(e, "outcome", "the attempt's outcome is already %s", p->b);
        break;
    case SW_OUTCOME_TYPE:
        apierr_field(e, "outcome", "%s is not an outcome of a %s campaign", p->a,
                     type_name(p->type));
        break;
    case SW_LIST_NAME:
        apierr_field(e, "contact_list_name", "There is no contact list of that name");
        break;
    case SW_LIST_TAKEN:
        apierr_field(e, "name", "is already the name of another contact list");
        break;
    case SW_LIST_IN_USE:
        apierr_field(e, NULL, "Contact list %s is used by campaigns: %s", p->a, p->b);
        break;
    case SW_IMP_LIST_OTHER_NAME:
        apierr_field(e, list_ref(p, buf, sizeof buf), "the list %s has another name", p->a);
        break;
    case SW_IMP_LIST_OTHER_ID:
        apierr_field(e, list_ref(p, buf, sizeof buf), "the list named \"%s\" has the id %s", p->a,
                     p->b);
        break;
    case SW_IMP_SAME_LIST:
        apierr_field(e, list_ref(p, buf, sizeof buf), "names the same list as contactLists[%ld]",
                     p->other);
        break;
    case SW_IMP_ID_TAKEN:
        apierr_field(e, path(p, p->type == CTYPE_VOICE ? "_id" : "id", buf, sizeof buf),
                     "a campaign with the id %s is already stored or earlier in the file", p->a);
        break;
    case SW_IMP_NAME_TAKEN:
        apierr_field(e, path(p, "name", buf, sizeof buf),
                     "a %s campaign named \"%s\" is already stored or earlier in the file",
                     type_name(p->type), p->a);
        break;
    default: break;
    }
}

int api_store_error(struct store_err *se, struct apierr *e)
{
    enum store_rc rc = se->rc != STORE_OK ? se->rc : STORE_INTERNAL;
    /* A failure of the store itself is the answer; the problems found
     * before it are not. */
    int failure = rc == STORE_UNAVAILABLE || rc == STORE_INTERNAL;
    const struct store_problem *first = NULL;
    for (size_t i = 0; i < se->n && first == NULL; i++)
        if (!failure || se->p[i].what == SW_OPEN)
            first = &se->p[i];
    headline(rc, first, e);
    for (size_t i = 0; i < se->n && !failure; i++)
        problem(&se->p[i], e);
    store_err_clear(se);
    return -1;
}

int api_store(enum store_rc rc, struct store_err *se, struct apierr *e)
{
    return rc == STORE_OK ? 0 : api_store_error(se, e);
}
