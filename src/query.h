/* query.h - the Get All Campaigns request (contract.md §3) as a plain struct,
 * parsed and validated from the request's JSON object.
 *
 * Everything the store needs is here already resolved: the offset, bit masks
 * for the filters, and instants for the date range.  The store never sees
 * the client's JSON. */
#ifndef CAMPAIGND_QUERY_H
#define CAMPAIGND_QUERY_H

#include <jansson.h>
#include <stdint.h>

#include "apierr.h"
#include "campaign.h"
#include "contract.h"


enum sort_field { SORT_NAME, SORT_CREATED_AT, SORT_UPDATED_AT };

struct sort_key {
    enum sort_field field;
    int desc; /* 1 = descending */
};

struct list_query {
    enum ctype type;
    int64_t offset;         /* skip + (page - 1) * limit */
    int limit;
    int64_t start_ms;       /* INT64_MIN when absent */
    int64_t end_ms;         /* INT64_MAX when absent */
    int nsort;              /* 0: the default order (createdAt desc) */
    struct sort_key sort[CONTRACT_SORT_KEYS_MAX];
    /* Bit i set: value i passes.  All bits set means "no filter". */
    uint32_t status_mask;   /* bits are enum cstatus */
    uint32_t priority_mask; /* bits 1..5 */
    uint32_t mode_mask;     /* bits are enum cmode; all set for sms */
};

#define QUERY_MASK_ALL 0xffffffffu

/* Fills q from the request body `body` (a JSON object).  Every problem is
 * added to e; returns 0 when there were none, else -1 with e a 400. */
int query_parse(json_t *body, struct list_query *q, struct apierr *e);

/* The effective sort keys: q's own, or the default, always followed by the
 * id tie-break in the direction of the last key.  Returns the count (<= 4)
 * written to out; field value -1 stands for the id. */
int query_order(const struct list_query *q, int fields[4], int desc[4]);

#endif
