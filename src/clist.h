/* clist.h - the contact list object of family spec §9.1 in its three key
 * orders: full (get one, delete), created (create response) and summary
 * (get all).  The fixed values and derived keys are filled in here. */
#ifndef CAMPAIGND_CLIST_H
#define CAMPAIGND_CLIST_H

#include <jansson.h>

#include "store.h"

enum clist_form { CLIST_FULL, CLIST_CREATED, CLIST_SUMMARY };

json_t *clist_render(const struct clist *l, enum clist_form form);

#endif
