/* api_store.h - the one place a store result becomes an API error: a
 * status, the contract's sentence and the field path of every problem
 * (contract.md §2).  The store (store.h) knows no HTTP. */
#ifndef CAMPAIGND_API_STORE_H
#define CAMPAIGND_API_STORE_H

#include "apierr.h"
#include "store.h"

/* Adds se's result to e (the first status set on e wins, as everywhere),
 * clears se, and returns -1, so a handler can `return api_store_error(..)`.
 * STORE_REJECTED adds nothing: the caller's callback already said why. */
int api_store_error(struct store_err *se, struct apierr *e);

/* The same for a store call's result: 0 for STORE_OK, else as above. */
int api_store(enum store_rc rc, struct store_err *se, struct apierr *e);

#endif
