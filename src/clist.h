/* clist.h - the contact list object of family spec §9.1 in its three key
 * orders: full (get one, delete), created (create response) and summary
 * (get all).  The fixed values and derived keys are filled in here. */
#ifndef CAMPAIGND_CLIST_H
#define CAMPAIGND_CLIST_H

#include <jansson.h>
#include <stdint.h>

#include "ids.h"

/* A contact list (family spec §9.1) as the store reads it.  clist_clear
 * frees what it holds. */
struct clist {
    char id[IDS_MAX + 1];
    char *name;
    json_t *doc;            /* description, source, allowDuplicates, createdBy, updatedBy */
    int64_t created_at, updated_at;
    int64_t total;          /* contacts in the list */
    json_t *in_use;         /* [{"name", "id"}] of the campaigns using it */
};

void clist_clear(struct clist *l);

/* A contact's optional fields (family spec §9.8), in the list mapping's
 * order (§9.1), which is the order Get Contacts shows them in after
 * phoneNumber (§9.7).  NULL-terminated. */
extern const char *const clist_contact_fields[];

enum clist_form { CLIST_FULL, CLIST_CREATED, CLIST_SUMMARY };

json_t *clist_render(const struct clist *l, enum clist_form form);

#endif
