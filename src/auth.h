/* auth.h - contract.md §1: from the three headers to a tenant, or an error.
 *
 * The order of checks is the contract's: 401 (auth missing, token invalid),
 * then 400 (iid/accountId headers missing or disagreeing with the path and
 * query), then 403 (the client's app is not that stream, or not that
 * account's, or lacks the campaign-management scope). */
#ifndef CAMPAIGND_AUTH_H
#define CAMPAIGND_AUTH_H

#include <stdint.h>

#include "apierr.h"
#include "store.h"

#define AUTH_LEEWAY_S 60
#define AUTH_TOKEN_MAX 8192

struct auth_request {
    const char *auth;           /* the `auth` header, or NULL */
    const char *iid;            /* the `iid` header, or NULL */
    const char *account_header; /* the `accountId` header, or NULL */
    const char *account_query;  /* the `accountId` query parameter, or NULL */
    const char *stream_path;    /* the {streamId} of the path */
    int64_t now_s;              /* the current Unix time, seconds */
};

struct tenant {
    int64_t app_pk;
    char client_id[IDS_MAX + 1];
    char account_id[CONTRACT_ACCOUNT_MAX + 1];
};

/* Returns 0 and fills t, or -1 with e set (401, 400, 403, or 503 when the
 * store cannot be asked). */
int auth_check(struct store *s, const struct auth_request *r, struct tenant *t,
               struct apierr *e);

/* The token checks alone: verifies an HS256 JWT signed with secret and its
 * time claims.  Returns 0 when valid.  Exposed for unit tests and fuzzing. */
int auth_verify_token(const char *token, const char *secret, int64_t now_s);

/* Extracts the `appId` claim of a token without trusting it (it only
 * chooses which secret to verify with).  Writes at most cap bytes with NUL;
 * returns 0 when found. */
int auth_peek_app_id(const char *token, char *out, size_t cap);

/* Forgets every remembered token (for tests, and at shutdown so leak checks
 * stay quiet). */
void auth_cache_clear(void);

/* Signs a token for client_id with secret: {"appId", "iat", "exp"?}.  ttl_s
 * <= 0 means no exp.  Caller frees.  NULL on failure. */
char *auth_sign_token(const char *client_id, const char *secret, int64_t now_s, int64_t ttl_s);

#endif
