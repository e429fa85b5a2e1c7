/* store_tenants.c - accounts, apps and API clients (rows of no single
 * tenant or of one tenant's identity), the tenant's write version, and
 * the ping that /healthz uses. */
#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "timefmt.h"

/* ---- statements ---------------------------------------------------------- */

/* Reads the database itself: SQLite answers "SELECT 1" without the file. */
static const struct sqlq Q_PING = {"SELECT count(*) FROM apps"};
static const struct sqlq Q_CLIENT_GET = {
    "SELECT c.secret, c.scopes, a.stream_id, a.account_id, a.app_pk, c.old_secret, c.old_until"
    " FROM clients c JOIN apps a ON a.app_pk = c.app_pk"
    " WHERE c.client_id = $1 AND c.revoked_at IS NULL"};
static const struct sqlq Q_CLIENT_REVOKE = {
    "UPDATE clients SET revoked_at = $2, old_secret = NULL, old_until = NULL"
    " WHERE client_id = $1 AND revoked_at IS NULL RETURNING 1"};
static const struct sqlq Q_CLIENT_ROTATE = {
    "UPDATE clients SET old_secret = secret, old_until = $3, secret = $2"
    " WHERE client_id = $1 AND revoked_at IS NULL RETURNING 1"};
static const struct sqlq Q_CRED_EPOCH = {"SELECT value FROM meta WHERE key = 'cred_epoch'"};
static const struct sqlq Q_CRED_EPOCH_MOVE = {
    "UPDATE meta SET value = value + 1 WHERE key = 'cred_epoch'"};
static const struct sqlq Q_ACCOUNT_ADD = {
    "INSERT INTO accounts(account_id, created_at) VALUES ($1, $2)"
    " ON CONFLICT (account_id) DO NOTHING"};
static const struct sqlq Q_APP_BY_STREAM = {
    "SELECT app_pk, account_id FROM apps WHERE stream_id = $1"};
static const struct sqlq Q_APP_ADD = {
    "INSERT INTO apps(stream_id, account_id, name, created_at) VALUES ($1, $2, $3, $4)"
    " RETURNING app_pk"};
static const struct sqlq Q_CLIENT_ADD = {
    "INSERT INTO clients(client_id, app_pk, secret, scopes, created_at)"
    " VALUES ($1, $2, $3, $4, $5)"};
static const struct sqlq Q_APP_FIND = {
    "SELECT app_pk FROM apps WHERE account_id = $1 AND stream_id = $2"};
static const struct sqlq Q_APP_FIRST_CLIENT = {
    "SELECT c.client_id, c.secret, a.account_id FROM clients c"
    " JOIN apps a ON a.app_pk = c.app_pk WHERE a.stream_id = $1"
    " ORDER BY c.created_at, c.client_id LIMIT 1"};

/* ---- operations: tenancy ------------------------------------------------- */

enum store_rc store_ping(struct store *s, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int rc = sql_int(s, c, &Q_PING, NULL, 0, NULL, e);
    return sql_end(s, c, rc == 1 ? 0 : -1, e);
}

/* Whether the comma-separated scopes hold SCOPE_CAMPAIGNS. */
static int has_campaign_scope(const char *scopes)
{
    for (const char *q = scopes ? scopes : ""; *q;) {
        size_t n = strcspn(q, ",");
        if (n == strlen(SCOPE_CAMPAIGNS) && strncmp(q, SCOPE_CAMPAIGNS, n) == 0)
            return 1;
        q += n + (q[n] == ',');
    }
    return 0;
}

enum store_rc store_client_get(struct store *s, const char *client_id, struct store_client *out,
                               struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_TEXT(client_id)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_CLIENT_GET, p, 1, "client get", &r, e);
    if (rc == 1) {
        sql_copy(out->client_id, sizeof out->client_id, client_id);
        sql_copy(out->secret, sizeof out->secret, s->drv->col_text(r, 0, NULL));
        out->has_campaign_scope = has_campaign_scope(s->drv->col_text(r, 1, NULL));
        sql_copy(out->stream_id, sizeof out->stream_id, s->drv->col_text(r, 2, NULL));
        sql_copy(out->account_id, sizeof out->account_id, s->drv->col_text(r, 3, NULL));
        out->app_pk = s->drv->col_int(r, 4);
        sql_copy(out->old_secret, sizeof out->old_secret, s->drv->col_text(r, 5, NULL));
        out->old_until_ms = s->drv->col_int(r, 6);
        s->drv->done(r);
    } else if (rc == 0) {
        store_fail(e, STORE_NOT_FOUND, SW_CLIENT, NULL, NULL);
    }
    return sql_end(s, c, rc == 1 ? 0 : -1, e);
}

/* Runs the client update q (its n parameters p, client_id first) and moves
 * the credentials epoch in one transaction: 0, or -1 (SW_CLIENT when no
 * live client). */
static int client_change(struct store *s, const struct sqlq *q, const struct sqlp *p, int n,
                         struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int ret = -1, rc;
    if (sql_begin(s, c, SQLDB_LOCK_ALL, e) != 0 || (rc = sql_int(s, c, q, p, n, NULL, e)) < 0)
        goto out;
    if (rc == 0) {
        store_fail(e, STORE_NOT_FOUND, SW_CLIENT, NULL, NULL);
        goto out;
    }
    if (sql_exec(s, c, &Q_CRED_EPOCH_MOVE, NULL, 0, e) != 0 || sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    return sql_end(s, c, ret, e);
}

enum store_rc store_client_revoke(struct store *s, const char *client_id, struct store_err *e)
{
    struct sqlp p[] = {P_TEXT(client_id), P_INT(timefmt_now_ms())};
    return client_change(s, &Q_CLIENT_REVOKE, p, 2, e);
}

static void new_secret(char out[STORE_SECRET_LEN + 1]);

enum store_rc store_client_rotate(struct store *s, const char *client_id, int64_t old_until_ms,
                                  char secret[STORE_SECRET_LEN + 1], struct store_err *e)
{
    new_secret(secret);
    struct sqlp p[] = {P_TEXT(client_id), P_TEXT(secret), P_INT(old_until_ms)};
    return client_change(s, &Q_CLIENT_ROTATE, p, 3, e);
}

enum store_rc store_cred_epoch(struct store *s, int64_t *out, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int rc = sql_int(s, c, &Q_CRED_EPOCH, NULL, 0, out, e);
    if (rc == 0)
        *out = 0;
    return sql_end(s, c, rc >= 0 ? 0 : -1, e);
}

static void new_secret(char out[STORE_SECRET_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[STORE_SECRET_LEN / 2];
    ids_random(b, sizeof b);
    for (size_t i = 0; i < sizeof b; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[STORE_SECRET_LEN] = '\0';
}

/* The app of stream_id in *app_pk (0 when there is none yet): 0, or -1
 * (SW_APP_OTHER_ACCOUNT when it is another account's). */
static int app_of_stream(struct store *s, struct conn *c, const char *account_id,
                         const char *stream_id, int64_t *app_pk, struct store_err *e)
{
    struct sqlp p[] = {P_TEXT(stream_id)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_APP_BY_STREAM, p, 1, "app by stream", &r, e);
    if (rc != 1)
        return rc;
    *app_pk = s->drv->col_int(r, 0);
    int same = strcmp(s->drv->col_text(r, 1, NULL), account_id) == 0;
    s->drv->done(r);
    return same ? 0 : store_fail(e, STORE_CONFLICT, SW_APP_OTHER_ACCOUNT, stream_id, NULL);
}

enum store_rc store_app_create(struct store *s, const char *account_id, const char *stream_id,
                               const char *name, const char *scopes, struct store_creds *out,
                               struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int64_t now = timefmt_now_ms(), app_pk = 0;
    int ret = -1;
    if (sql_begin(s, c, SQLDB_LOCK_ALL, e) != 0)
        goto out;
    struct sqlp pa[] = {P_TEXT(account_id), P_INT(now)};
    if (sql_exec(s, c, &Q_ACCOUNT_ADD, pa, 2, e) != 0)
        goto out;
    sql_copy(out->account_id, sizeof out->account_id, account_id);
    if (stream_id != NULL) {
        sql_copy(out->stream_id, sizeof out->stream_id, stream_id);
        if (app_of_stream(s, c, account_id, stream_id, &app_pk, e) != 0)
            goto out;
    } else {
        ids_new("st", out->stream_id);
    }
    if (app_pk == 0) {
        struct sqlp pp[] = {P_TEXT(out->stream_id), P_TEXT(account_id), P_TEXT(name ? name : ""),
                            P_INT(now)};
        if (sql_int(s, c, &Q_APP_ADD, pp, 4, &app_pk, e) != 1)
            goto out;
    }
    ids_new("cs", out->client_id);
    new_secret(out->secret);
    struct sqlp pc[] = {P_TEXT(out->client_id), P_INT(app_pk), P_TEXT(out->secret),
                        P_TEXT(scopes), P_INT(now)};
    if (sql_exec(s, c, &Q_CLIENT_ADD, pc, 5, e) != 0 || sql_commit(s, c, e) != 0)
        goto out;
    ret = 0;
out:
    return sql_end(s, c, ret, e);
}

enum store_rc store_app_find(struct store *s, const char *account_id, const char *stream_id,
                             int64_t *app_pk, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_TEXT(account_id), P_TEXT(stream_id)};
    int rc = sql_int(s, c, &Q_APP_FIND, p, 2, app_pk, e);
    if (rc == 0)
        store_fail(e, STORE_NOT_FOUND, SW_APP, stream_id, account_id);
    return sql_end(s, c, rc == 1 ? 0 : -1, e);
}

enum store_rc store_app_first_client(struct store *s, const char *stream_id,
                                     struct store_creds *out, struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_TEXT(stream_id)};
    struct sqlres *r;
    int rc = sql_first(s, c, &Q_APP_FIRST_CLIENT, p, 1, "first client", &r, e);
    if (rc == 1) {
        sql_copy(out->stream_id, sizeof out->stream_id, stream_id);
        sql_copy(out->client_id, sizeof out->client_id, s->drv->col_text(r, 0, NULL));
        sql_copy(out->secret, sizeof out->secret, s->drv->col_text(r, 1, NULL));
        sql_copy(out->account_id, sizeof out->account_id, s->drv->col_text(r, 2, NULL));
        s->drv->done(r);
    } else if (rc == 0) {
        store_fail(e, STORE_NOT_FOUND, SW_APP_NO_CLIENT, stream_id, NULL);
    }
    return sql_end(s, c, rc == 1 ? 0 : -1, e);
}

enum store_rc store_tenant_version(struct store *s, int64_t app_pk, int64_t *out,
                                   struct store_err *e)
{
    struct conn *c = sql_acquire(s);
    int rc = sql_version(s, c, app_pk, out, e);
    if (rc == 0)
        store_fail(e, STORE_NOT_FOUND, SW_TENANT, NULL, NULL);
    return sql_end(s, c, rc == 1 ? 0 : -1, e);
}
