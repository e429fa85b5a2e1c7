/* auth.c - see auth.h.
 *
 * libjwt 1.10 verifies the HMAC (comparing in constant time) but takes the
 * algorithm from the token and checks no time claims; both are done here.
 * The secret is never NULL: an unknown client is verified against a random
 * throwaway key so that the failure takes the same path. */
#include "api_store.h"
#include "auth.h"

#include <errno.h>
#include <jwt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "timefmt.h"
#include "xalloc.h"

/* base64url without padding; returns decoded length or -1. */
static long b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
    unsigned acc = 0;
    int bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '-')
            v = 62;
        else if (c == '_')
            v = 63;
        else if (c == '=' && i + 2 >= len)
            break;
        else
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n >= cap)
                return -1;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    return (long)n;
}

/* Decodes segment `which` (0 header, 1 payload) into a JSON object, strictly:
 * base64url only, duplicate keys a failure (libjwt would take the last
 * value, another reader the first).  NULL when malformed. */
static json_t *segment_json(const char *token, int which)
{
    const char *d1 = strchr(token, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (d1 == NULL || d2 == NULL || strchr(d2 + 1, '.') != NULL)
        return NULL;
    const char *start = which == 0 ? token : d1 + 1;
    size_t len = (size_t)((which == 0 ? d1 : d2) - start);
    if (len == 0 || len > AUTH_TOKEN_MAX)
        return NULL;
    unsigned char buf[AUTH_TOKEN_MAX];
    long n = b64url_decode(start, len, buf, sizeof buf);
    if (n <= 0)
        return NULL;
    json_t *v = json_loadb((const char *)buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(v)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static json_t *payload_json(const char *token)
{
    return segment_json(token, 1);
}

int auth_peek_app_id(const char *token, char *out, size_t cap)
{
    json_t *p = payload_json(token);
    const char *id = json_string_value(json_object_get(p, "appId"));
    int ret = -1;
    if (id != NULL && strlen(id) < cap) {
        memcpy(out, id, strlen(id) + 1);
        ret = 0;
    }
    json_decref(p);
    return ret;
}

/* The time claims of a verified token: a NumericDate each, or absent. */
struct claims {
    int has_exp, has_nbf, has_iat;
    double exp, nbf, iat;
};

/* Reads a time claim: absent is fine, present must be a number. */
static int claim_read(const json_t *payload, const char *key, int *has, double *v)
{
    json_t *x = json_object_get(payload, key);
    *has = x != NULL;
    if (x == NULL)
        return 1;
    if (!json_is_number(x))
        return 0;
    *v = json_number_value(x);
    return 1;
}

/* exp, nbf and iat against now, with AUTH_LEEWAY_S either way. */
static int claims_ok(const struct claims *c, int64_t now_s)
{
    double now = (double)now_s;
    return (!c->has_exp || now - AUTH_LEEWAY_S < c->exp) &&
           (!c->has_nbf || now + AUTH_LEEWAY_S >= c->nbf) &&
           (!c->has_iat || now + AUTH_LEEWAY_S >= c->iat);
}

/* The whole check; on success *out holds the time claims. */
static int verify_full(const char *token, const char *secret, int64_t now_s, struct claims *out)
{
    jwt_t *j = NULL;
    json_t *claims = NULL, *header = NULL;
    int ok = 0;
    if (secret == NULL || secret[0] == '\0' || strlen(token) > AUTH_TOKEN_MAX)
        return -1;
    if (jwt_decode(&j, token, (const unsigned char *)secret, (int)strlen(secret)) != 0)
        goto out;
    if (jwt_get_alg(j) != JWT_ALG_HS256)   /* libjwt accepts any HS* */
        goto out;
    /* libjwt also matches alg names ignoring case and skips bytes that are
     * not base64 in the header: read the header again, strictly. */
    header = segment_json(token, 0);
    if (header == NULL || !json_is_string(json_object_get(header, "alg")) ||
        strcmp(json_string_value(json_object_get(header, "alg")), "HS256") != 0)
        goto out;
    claims = payload_json(token);
    if (claims == NULL || !json_is_string(json_object_get(claims, "appId")))
        goto out;
    ok = claim_read(claims, "exp", &out->has_exp, &out->exp) &&
         claim_read(claims, "nbf", &out->has_nbf, &out->nbf) &&
         claim_read(claims, "iat", &out->has_iat, &out->iat) && claims_ok(out, now_s);
out:
    json_decref(header);
    json_decref(claims);
    jwt_free(j);
    return ok ? 0 : -1;
}

int auth_verify_token(const char *token, const char *secret, int64_t now_s)
{
    struct claims c;
    return verify_full(token, secret, now_s, &c);
}

/* ---- verified tokens ----------------------------------------------------------
 * Clients send the same token on every request; verifying it (base64, JSON,
 * HMAC) and looking up its client were a fifth of a listing's cost, and a
 * round trip on PostgreSQL.  A token that verified is remembered with its
 * client and its time claims; it is accepted again only with the same bytes,
 * its time claims are checked every time, and the tenancy checks run on the
 * client as before, so the answer is the one a full verification would
 * give.  Tokens compare in constant time; failures are never remembered.
 *
 * A client can be revoked or rotated (`campaignd client`), by another
 * process or node.  Each does so in the transaction that moves the store's
 * credentials epoch, and every node reads the epoch at most AUTH_EPOCH_MS
 * after its last look, forgetting every remembered token when it moved:
 * a revoked client is refused everywhere within AUTH_EPOCH_MS.  A token
 * verified during the look is not remembered (the generation moved).  A
 * token that verified with a rotated-out secret is remembered only until
 * that secret's end. */

#define AUTH_CACHE 512
#define AUTH_EPOCH_MS 500

struct cached {
    char *token;
    size_t len;
    struct store_client client;
    struct claims claims;
    int64_t valid_until_ms;     /* 0, or the end of the old secret it used */
};

static struct cached auth_cache[AUTH_CACHE];
static uint64_t auth_cache_gen;  /* moves at every clear; under auth_cache_mu */
static pthread_mutex_t auth_cache_mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int64_t epoch_next_ms;  /* when to look at the epoch again */
static int64_t epoch_seen = -1;        /* under epoch_mu */
static pthread_mutex_t epoch_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t cache_slot(const char *token, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)token[i]) * 1099511628211ULL;
    return (size_t)(h % AUTH_CACHE);
}

static int same_bytes(const char *a, const char *b, size_t n)
{
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

/* The remembered entry of a token (copied into *out); 1 when found.  *gen
 * is the cache's generation either way, for cache_put. */
static int cache_get(const char *token, size_t len, struct cached *out, uint64_t *gen)
{
    int found = 0;
    pthread_mutex_lock(&auth_cache_mu);
    struct cached *c = &auth_cache[cache_slot(token, len)];
    if (c->token != NULL && c->len == len && same_bytes(c->token, token, len)) {
        *out = *c;
        out->token = NULL;
        found = 1;
    }
    *gen = auth_cache_gen;
    pthread_mutex_unlock(&auth_cache_mu);
    return found;
}

/* Remembers a verified token, unless the cache was cleared since gen. */
static void cache_put(const char *token, size_t len, const struct cached *v, uint64_t gen)
{
    pthread_mutex_lock(&auth_cache_mu);
    if (gen == auth_cache_gen) {
        struct cached *c = &auth_cache[cache_slot(token, len)];
        free(c->token);
        *c = *v;
        c->token = xstrndup(token, len);
        c->len = len;
    }
    pthread_mutex_unlock(&auth_cache_mu);
}

void auth_cache_clear(void)
{
    pthread_mutex_lock(&auth_cache_mu);
    for (size_t i = 0; i < AUTH_CACHE; i++) {
        free(auth_cache[i].token);
        auth_cache[i].token = NULL;
    }
    auth_cache_gen++;
    pthread_mutex_unlock(&auth_cache_mu);
}

/* Looks at the credentials epoch when AUTH_EPOCH_MS have passed since the
 * last look, forgetting every remembered token if it moved.  One thread
 * looks at a time; a store that cannot answer is asked again next time. */
static void epoch_check(struct store *s, int64_t now_ms)
{
    if (now_ms < atomic_load(&epoch_next_ms) || pthread_mutex_trylock(&epoch_mu) != 0)
        return;
    struct store_err se = STORE_ERR_INIT;
    int64_t epoch;
    if (now_ms >= atomic_load(&epoch_next_ms) && store_cred_epoch(s, &epoch, &se) == STORE_OK) {
        if (epoch != epoch_seen) {
            auth_cache_clear();
            epoch_seen = epoch;
        }
        atomic_store(&epoch_next_ms, now_ms + AUTH_EPOCH_MS);
    }
    store_err_clear(&se);
    pthread_mutex_unlock(&epoch_mu);
}

char *auth_sign_token(const char *client_id, const char *secret, int64_t now_s, int64_t ttl_s)
{
    jwt_t *j = NULL;
    char *out = NULL;
    if (jwt_new(&j) != 0)
        return NULL;
    if (jwt_add_grant(j, "appId", client_id) == 0 && jwt_add_grant(j, "sub", "campaignd") == 0 &&
        jwt_add_grant_int(j, "iat", (long)now_s) == 0 &&
        (ttl_s <= 0 || jwt_add_grant_int(j, "exp", (long)(now_s + ttl_s)) == 0) &&
        jwt_set_alg(j, JWT_ALG_HS256, (const unsigned char *)secret, (int)strlen(secret)) == 0)
        out = jwt_encode_str(j);
    jwt_free(j);
    return out;
}

static int deny401(struct apierr *e, const char *msg)
{
    apierr_one(e, 401, "headers.auth", msg);
    return -1;
}

/* The full check of a token not remembered: its client from the store and
 * the HMAC with the client's secret (or the one a rotation keeps for a
 * while), into v.  0, or -1 with e (401, or the store's failure). */
static int verify_fresh(struct store *s, const char *tok, int64_t now_s, struct cached *v,
                        struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    struct store_client *client = &v->client;
    char app_id[IDS_MAX + 8];
    int known = 0;
    if (auth_peek_app_id(tok, app_id, sizeof app_id) == 0) {
        struct apierr lookup;
        apierr_init(&lookup);
        if (api_store(store_client_get(s, app_id, client, &se), &se, &lookup) == 0) {
            known = 1;
        } else if (lookup.status != 404) {
            apierr_set(e, lookup.status, "%s", apierr_message(&lookup));
            apierr_clear(&lookup);
            return -1;
        }
        apierr_clear(&lookup);
    }
    if (!known) {
        /* Same work as for a known client, against a key nobody holds. */
        unsigned char rnd[16];
        ids_random(rnd, sizeof rnd);
        for (size_t i = 0; i < sizeof rnd; i++)
            client->secret[i] = (char)('a' + rnd[i] % 26);
        client->secret[sizeof rnd] = '\0';
    }
    int ok = verify_full(tok, client->secret, now_s, &v->claims) == 0;
    if (!ok && known && client->old_secret[0] != '\0' && now_s * 1000 < client->old_until_ms &&
        verify_full(tok, client->old_secret, now_s, &v->claims) == 0) {
        ok = 1; /* signed with the secret a rotation keeps for a while */
        v->valid_until_ms = client->old_until_ms;
    }
    return ok && known ? 0 : deny401(e, "The auth token is invalid or expired");
}

int auth_check(struct store *s, const struct auth_request *r, struct tenant *t,
               struct apierr *e)
{
    const char *tok = r->auth;
    if (tok == NULL || tok[0] == '\0')
        return deny401(e, "Authentication required: send a JWT in the auth header");
    if (strncmp(tok, "Bearer ", 7) == 0)
        tok += 7;

    struct cached v;
    const struct store_client *client = &v.client;
    size_t len = strlen(tok);
    uint64_t gen = 0;
    memset(&v, 0, sizeof v);
    epoch_check(s, timefmt_mono_ms());
    if (len <= AUTH_TOKEN_MAX && cache_get(tok, len, &v, &gen)) {
        if (!claims_ok(&v.claims, r->now_s) ||
            (v.valid_until_ms != 0 && r->now_s * 1000 >= v.valid_until_ms))
            return deny401(e, "The auth token is invalid or expired");
    } else if (verify_fresh(s, tok, r->now_s, &v, e) != 0) {
        return -1;
    } else {
        cache_put(tok, len, &v, gen);
    }

    int bad = 0;
    if (r->iid == NULL || r->iid[0] == '\0') {
        apierr_field(e, "headers.iid", "is required");
        bad = 1;
    }
    if (r->account_header == NULL || r->account_header[0] == '\0') {
        apierr_field(e, "headers.accountId", "is required");
        bad = 1;
    }
    if (!bad && strcmp(r->iid, r->stream_path) != 0) {
        apierr_field(e, "headers.iid", "must equal the streamId of the path");
        bad = 1;
    }
    if (!bad && r->account_query != NULL && strcmp(r->account_query, r->account_header) != 0) {
        apierr_field(e, "query.accountId", "must equal the accountId header");
        bad = 1;
    }
    if (bad) {
        apierr_set(e, 400, "Request validation failed");
        return -1;
    }
    if (strcmp(client->stream_id, r->stream_path) != 0 ||
        strcmp(client->account_id, r->account_header) != 0 || !client->has_campaign_scope) {
        apierr_one(e, 403, NULL, "The client is not allowed to manage campaigns of this app");
        return -1;
    }
    t->app_pk = client->app_pk;
    memcpy(t->client_id, client->client_id, sizeof t->client_id);
    memcpy(t->account_id, client->account_id, sizeof t->account_id);
    return 0;
}
