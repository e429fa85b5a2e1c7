/* store_sql.c - the storage interface (store.h) over an SQL database.
 *
 * All queries and all storage logic live here once; a driver (sqldb.h) runs
 * them on SQLite or PostgreSQL.  A fixed pool of connections, one per worker
 * thread; a request borrows one for its duration.  Every write is one
 * transaction, so a failed request leaves nothing behind.  SQL text is
 * constant; the only SQL assembled at run time is the listing's ORDER BY,
 * built from a fixed set of column names chosen by enum, never from request
 * text. */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonu.h"
#include "lcount.h"
#include "log.h"
#include "sqldb.h"
#include "store_sql.h"
#include "timefmt.h"
#include "xalloc.h"

/* ---- statements ---------------------------------------------------------- */

/* Reads the database itself: SQLite answers "SELECT 1" without the file. */
static const struct sqlq Q_PING = {1, "SELECT count(*) FROM apps"};
static const struct sqlq Q_CLIENT_GET = {
    2, "SELECT c.secret, c.scopes, a.stream_id, a.account_id, a.app_pk"
       " FROM clients c JOIN apps a ON a.app_pk = c.app_pk WHERE c.client_id = $1"};
static const struct sqlq Q_ACCOUNT_ADD = {
    3, "INSERT INTO accounts(account_id, created_at) VALUES ($1, $2)"
       " ON CONFLICT (account_id) DO NOTHING"};
static const struct sqlq Q_APP_BY_STREAM = {
    4, "SELECT app_pk, account_id FROM apps WHERE stream_id = $1"};
static const struct sqlq Q_APP_ADD = {
    5, "INSERT INTO apps(stream_id, account_id, name, created_at) VALUES ($1, $2, $3, $4)"
       " RETURNING app_pk"};
static const struct sqlq Q_CLIENT_ADD = {
    6, "INSERT INTO clients(client_id, app_pk, secret, scopes, created_at)"
       " VALUES ($1, $2, $3, $4, $5)"};
static const struct sqlq Q_APP_FIND = {
    7, "SELECT app_pk FROM apps WHERE account_id = $1 AND stream_id = $2"};
static const struct sqlq Q_APP_FIRST_CLIENT = {
    8, "SELECT c.client_id, c.secret, a.account_id FROM clients c"
       " JOIN apps a ON a.app_pk = c.app_pk WHERE a.stream_id = $1"
       " ORDER BY c.created_at, c.client_id LIMIT 1"};
static const struct sqlq Q_CAMPAIGN_LISTS = {
    10, "SELECT l.name FROM campaign_lists cl JOIN lists l ON l.list_pk = cl.list_pk"
        " WHERE cl.campaign_pk = $1 ORDER BY cl.pos"};
static const struct sqlq Q_LIST_BY_LNAME = {
    11, "SELECT list_pk, id, name FROM lists WHERE app_pk = $1 AND lname = $2"};
static const struct sqlq Q_LIST_BY_ID = {
    12, "SELECT list_pk, id, name FROM lists WHERE app_pk = $1 AND id = $2"};
static const struct sqlq Q_LIST_ADD = {
    13, "INSERT INTO lists(app_pk, id, name, lname, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $5) RETURNING list_pk"};
static const struct sqlq Q_CAMPAIGN_ADD = {
    16, "INSERT INTO campaigns(app_pk, id, type, name, lname, status, priority, dialing_mode,"
        " created_at, updated_at, instance_updated_at, dnc_list_pk, doc)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING campaign_pk"};
static const struct sqlq Q_CAMPAIGN_LIST_ADD = {
    17, "INSERT INTO campaign_lists(campaign_pk, pos, list_pk) VALUES ($1, $2, $3)"};
static const struct sqlq Q_EXPORT = {
    18, "SELECT " CAMPAIGN_COLS CAMPAIGN_FROM " WHERE c.app_pk = $1 AND ($2 = '' OR c.type = $2)"
        " ORDER BY c.created_at, c.id"};

struct conn *sql_acquire(struct store_sql *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->nidle == 0)
        pthread_cond_wait(&s->cv, &s->mu);
    struct conn *c = &s->conns[s->idle[--s->nidle]];
    pthread_mutex_unlock(&s->mu);
    return c;
}

void sql_release(struct store_sql *s, struct conn *c)
{
    pthread_mutex_lock(&s->mu);
    s->idle[s->nidle++] = (int)(c - s->conns);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---- running statements ---------------------------------------------------- */

/* Turns the driver's last failure into the contract's status: the database
 * being busy or unreachable is 503, anything else 500.  Details go to the
 * log only.  Always returns -1. */
int sql_fail(struct store_sql *s, struct conn *c, const char *what, struct apierr *e)
{
    enum sqldb_err k = s->drv->last_error(c->db);
    log_error("store %s: %s: %s", s->drv->name, what, s->drv->last_message(c->db));
    if (k == SQLDB_UNAVAILABLE)
        apierr_set(e, 503, "The store is unavailable; try again later");
    else if (k == SQLDB_UNIQUE)
        apierr_set(e, 409, "A concurrent request created the same object; try again");
    else
        apierr_set(e, 500, "Internal error");
    return -1;
}

struct sqlres *sql_query(struct store_sql *s, struct conn *c, const struct sqlq *q,
                               const struct sqlp *p, int n, struct apierr *e)
{
    struct sqlres *r = s->drv->query(c->db, q, p, n);
    if (r == NULL)
        sql_fail(s, c, "query", e);
    return r;
}

/* Runs a statement to completion. */
int sql_exec(struct store_sql *s, struct conn *c, const struct sqlq *q,
                   const struct sqlp *p, int n, struct apierr *e)
{
    struct sqlres *r = sql_query(s, c, q, p, n, e);
    if (r == NULL)
        return -1;
    int rc;
    while ((rc = s->drv->next(r)) == 1)
        ;
    s->drv->done(r);
    return rc == 0 ? 0 : sql_fail(s, c, "exec", e);
}

/* Runs a statement whose first column of its first row is an integer.
 * Returns 1 and sets *out when there is a row, 0 when none, -1 on failure. */
int sql_int(struct store_sql *s, struct conn *c, const struct sqlq *q,
                  const struct sqlp *p, int n, int64_t *out, struct apierr *e)
{
    struct sqlres *r = sql_query(s, c, q, p, n, e);
    if (r == NULL)
        return -1;
    int rc = s->drv->next(r);
    if (rc == 1 && out != NULL)
        *out = s->drv->col_int(r, 0);
    s->drv->done(r);
    return rc < 0 ? sql_fail(s, c, "query", e) : rc;
}

int sql_begin(struct store_sql *s, struct conn *c, int64_t lock, struct apierr *e)
{
    if (s->drv->begin(c->db, lock) != 0)
        return sql_fail(s, c, "begin", e);
    /* Every write of a tenant moves its version, in the same transaction:
     * the listing cache is keyed by it, so it can never serve a page of a
     * state that a committed write has changed. */
    if (lock > 0 && sql_version_bump(s, c, lock, e) != 0) {
        s->drv->rollback(c->db);
        return -1;
    }
    return 0;
}

int sql_commit(struct store_sql *s, struct conn *c, struct apierr *e)
{
    return s->drv->commit(c->db) == 0 ? 0 : sql_fail(s, c, "commit", e);
}

void sql_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* ---- operations: tenancy ------------------------------------------------- */

static int op_ping(struct store *base, struct apierr *e)
{
    struct store_sql *s = (struct store_sql *)base;
    struct conn *c = sql_acquire(s);
    int rc = sql_int(s, c, &Q_PING, NULL, 0, NULL, e);
    sql_release(s, c);
    return rc == 1 ? 0 : -1;
}

static int op_client_get(struct store *base, const char *client_id, struct store_client *out,
                         struct apierr *e)
{
    struct store_sql *s = (struct store_sql *)base;
    struct conn *c = sql_acquire(s);
    int ret = -1;
    struct sqlp p[] = {P_TEXT(client_id)};
    struct sqlres *r = sql_query(s, c, &Q_CLIENT_GET, p, 1, e);
    if (r == NULL)
        goto out;
    int rc = s->drv->next(r);
    if (rc == 1) {
        sql_copy(out->client_id, sizeof out->client_id, client_id);
        sql_copy(out->secret, sizeof out->secret, s->drv->col_text(r, 0, NULL));
        const char *scopes = s->drv->col_text(r, 1, NULL);
        out->has_campaign_scope = 0;
        for (const char *q = scopes ? scopes : ""; *q;) { /* comma-separated */
            size_t n = strcspn(q, ",");
            if (n == strlen(SCOPE_CAMPAIGNS) && strncmp(q, SCOPE_CAMPAIGNS, n) == 0)
                out->has_campaign_scope = 1;
            q += n + (q[n] == ',');
        }
        sql_copy(out->stream_id, sizeof out->stream_id, s->drv->col_text(r, 2, NULL));
        sql_copy(out->account_id, sizeof out->account_id, s->drv->col_text(r, 3, NULL));
        out->app_pk = s->drv->col_int(r, 4);
        ret = 0;
    } else if (rc == 0) {
        apierr_set(e, 404, "Unknown client");
    } else {
        sql_fail(s, c, "client get", e);
    }
    s->drv->done(r);
out:
    sql_release(s, c);
    return ret;
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

static int op_app_create(struct store *base, const char *account_id, const char *stream_id,
                         const char *name, const char *scopes, struct store_creds *out,
                         struct apierr *e)
{
    struct store_sql *s = (struct store_sql *)base;
    struct conn *c = sql_acquire(s);
    int64_t now = timefmt_now_ms(), app_pk = 0;
    if (sql_begin(s, c, SQLDB_LOCK_ALL, e) != 0)
        goto fail;
    struct sqlp pa[] = {P_TEXT(account_id), P_INT(now)};
    if (sql_exec(s, c, &Q_ACCOUNT_ADD, pa, 2, e) != 0)
        goto fail;
    sql_copy(out->account_id, sizeof out->account_id, account_id);
    if (stream_id != NULL) {
        sql_copy(out->stream_id, sizeof out->stream_id, stream_id);
        struct sqlp ps[] = {P_TEXT(stream_id)};
        struct sqlres *r = sql_query(s, c, &Q_APP_BY_STREAM, ps, 1, e);
        if (r == NULL)
            goto fail;
        int rc = s->drv->next(r);
        int same = 1;
        if (rc == 1) {
            app_pk = s->drv->col_int(r, 0);
            same = strcmp(s->drv->col_text(r, 1, NULL), account_id) == 0;
        }
        s->drv->done(r);
        if (rc < 0) {
            sql_fail(s, c, "app by stream", e);
            goto fail;
        }
        if (!same) {
            apierr_set(e, 409, "The app %s belongs to another account", stream_id);
            goto fail;
        }
    } else {
        ids_new("st", out->stream_id);
    }
    if (app_pk == 0) {
        struct sqlp pp[] = {P_TEXT(out->stream_id), P_TEXT(account_id), P_TEXT(name ? name : ""),
                            P_INT(now)};
        if (sql_int(s, c, &Q_APP_ADD, pp, 4, &app_pk, e) != 1)
            goto fail;
    }
    ids_new("cs", out->client_id);
    new_secret(out->secret);
    struct sqlp pc[] = {P_TEXT(out->client_id), P_INT(app_pk), P_TEXT(out->secret),
                        P_TEXT(scopes), P_INT(now)};
    if (sql_exec(s, c, &Q_CLIENT_ADD, pc, 5, e) != 0 || sql_commit(s, c, e) != 0)
        goto fail;
    sql_release(s, c);
    return 0;
fail:
    s->drv->rollback(c->db);
    sql_release(s, c);
    return -1;
}

static int op_app_find(struct store *base, const char *account_id, const char *stream_id,
                       int64_t *app_pk, struct apierr *e)
{
    struct store_sql *s = (struct store_sql *)base;
    struct conn *c = sql_acquire(s);
    struct sqlp p[] = {P_TEXT(account_id), P_TEXT(stream_id)};
    int rc = sql_int(s, c, &Q_APP_FIND, p, 2, app_pk, e);
    sql_release(s, c);
    if (rc == 0)
        apierr_set(e, 404, "There is no app %s in account %s", stream_id, account_id);
    return rc == 1 ? 0 : -1;
}

static int op_app_first_client(struct store *base, const char *stream_id,
                               struct store_creds *out, struct apierr *e)
{
    struct store_sql *s = (struct store_sql *)base;
    struct conn *c = sql_acquire(s);
    int ret = -1;
    struct sqlp p[] = {P_TEXT(stream_id)};
    struct sqlres *r = sql_query(s, c, &Q_APP_FIRST_CLIENT, p, 1, e);
    if (r != NULL) {
        int rc = s->drv->next(r);
        if (rc == 1) {
            sql_copy(out->stream_id, sizeof out->stream_id, stream_id);
            sql_copy(out->client_id, sizeof out->client_id, s->drv->col_text(r, 0, NULL));
            sql_copy(out->secret, sizeof out->secret, s->drv->col_text(r, 1, NULL));
            sql_copy(out->account_id, sizeof out->account_id, s->drv->col_text(r, 2, NULL));
            ret = 0;
        } else if (rc == 0) {
            apierr_set(e, 404, "The app %s has no client", stream_id);
        } else {
            sql_fail(s, c, "first client", e);
        }
        s->drv->done(r);
    }
    sql_release(s, c);
    return ret;
}

/* ---- operations: campaigns ---------------------------------------------- */

/* The parsed doc for text[0..len): a new reference, NULL if unparsable. */
static json_t *doc_get(struct conn *c, const char *text, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    struct doc_entry *d = &c->docs[h & (DOC_CACHE - 1)];
    if (d->doc != NULL && d->hash == h && d->len == len && memcmp(d->text, text, len) == 0)
        return json_incref(d->doc);
    json_t *doc = json_loadb(text, len, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return NULL;
    }
    free(d->text);
    json_decref(d->doc);
    d->hash = h;
    d->text = xstrndup(text, len);
    d->len = len;
    d->doc = json_incref(doc);
    return doc;
}

/* Reads the CAMPAIGN_COLS of the current row into c (initialised), without
 * its contact lists.  Returns 0, or -1 with e set. */
int sql_read_campaign_row(struct store_sql *s, struct conn *conn, struct sqlres *r,
                             struct campaign *c, struct apierr *e)
{
    const struct sqldb_ops *d = s->drv;
    int64_t pk = d->col_int(r, 0);
    c->pk = pk;
    sql_copy(c->id, sizeof c->id, d->col_text(r, 1, NULL));
    const char *type = d->col_text(r, 2, NULL);
    c->type = type && strcmp(type, "sms") == 0 ? CTYPE_SMS : CTYPE_VOICE;
    c->name = xstrdup(d->col_text(r, 3, NULL));
    c->status = (enum cstatus)d->col_int(r, 4);
    c->priority = (int)d->col_int(r, 5);
    c->mode = (enum cmode)d->col_int(r, 6);
    c->created_at = d->col_int(r, 7);
    c->updated_at = d->col_int(r, 8);
    c->instance_updated_at =
        d->col_text(r, 9, NULL) == NULL ? CAMPAIGN_NO_TIME : d->col_int(r, 9);
    size_t len = 0;
    const char *doc = d->col_text(r, 10, &len);
    json_decref(c->doc);
    c->doc = doc ? doc_get(conn, doc, len) : NULL;
    if (c->doc == NULL) {
        log_error("store: campaign %s has an unreadable doc", c->id);
        apierr_set(e, 500, "Internal error");
        c->doc = json_object();
        return -1;
    }
    const char *dnc_id = d->col_text(r, 11, NULL);
    if (dnc_id != NULL)
        c->dnc = json_pack("{s:s, s:s}", "id", dnc_id, "name", d->col_text(r, 12, NULL));
    /* An imported campaign without contactLists keeps the key absent. */
    if (!json_is_true(json_object_get(c->doc, "noContactLists")))
        c->contact_lists = json_array();
    return 0;
}

int sql_read_campaign(struct store_sql *s, struct conn *conn, struct sqlres *r,
                      struct campaign *c, struct apierr *e)
{
    const struct sqldb_ops *d = s->drv;
    if (sql_read_campaign_row(s, conn, r, c, e) != 0)
        return -1;
    if (c->contact_lists == NULL)
        return 0;
    struct sqlp p[] = {P_INT(c->pk)};
    struct sqlres *lr = sql_query(s, conn, &Q_CAMPAIGN_LISTS, p, 1, e);
    if (lr == NULL)
        return -1;
    int rc;
    while ((rc = d->next(lr)) == 1)
        json_array_append_new(c->contact_lists, json_string(d->col_text(lr, 0, NULL)));
    d->done(lr);
    return rc == 0 ? 0 : sql_fail(s, conn, "campaign lists", e);
}

/* Finds or creates the list that (id, name) names in the tenant, per
 * contract.md §6.  Fills in id when it was not given.  Returns list_pk, 0 for
 * a conflict (reported on e at `field`), or -1 on a store failure. */
int64_t sql_list_resolve(struct store_sql *s, struct conn *c, int64_t app_pk,
                            char id[IDS_MAX + 1], const char *name, const char *field, int64_t now,
                            struct apierr *e)
{
    const struct sqldb_ops *d = s->drv;
    char *lname = jsonu_lower(name);
    int64_t pk = -1, by_name = 0, by_id = 0;
    char name_id[IDS_MAX + 1] = "";
    int id_same_name = 0, rc;
    struct sqlp pn[] = {P_INT(app_pk), P_TEXT(lname)};
    struct sqlres *r = sql_query(s, c, &Q_LIST_BY_LNAME, pn, 2, e);
    if (r == NULL)
        goto out;
    if ((rc = d->next(r)) == 1) {
        by_name = d->col_int(r, 0);
        sql_copy(name_id, sizeof name_id, d->col_text(r, 1, NULL));
    }
    d->done(r);
    if (rc < 0) {
        sql_fail(s, c, "list by name", e);
        goto out;
    }
    if (id[0] != '\0') {
        struct sqlp pi[] = {P_INT(app_pk), P_TEXT(id)};
        if ((r = sql_query(s, c, &Q_LIST_BY_ID, pi, 2, e)) == NULL)
            goto out;
        if ((rc = d->next(r)) == 1) {
            by_id = d->col_int(r, 0);
            char *l = jsonu_lower(d->col_text(r, 2, NULL));
            id_same_name = strcmp(l, lname) == 0;
            free(l);
        }
        d->done(r);
        if (rc < 0) {
            sql_fail(s, c, "list by id", e);
            goto out;
        }
        if (by_id != 0 && !id_same_name) {
            apierr_field(e, field, "the list %s has another name", id);
            pk = 0;
            goto out;
        }
        if (by_id == 0 && by_name != 0) {
            apierr_field(e, field, "the list named \"%s\" has the id %s", name, name_id);
            pk = 0;
            goto out;
        }
        if (by_id != 0) {
            pk = by_id;
            goto out;
        }
    } else if (by_name != 0) {
        memcpy(id, name_id, sizeof name_id);
        pk = by_name;
        goto out;
    } else {
        ids_new("cl", id);
    }
    struct sqlp pa[] = {P_INT(app_pk), P_TEXT(id), P_TEXT(name), P_TEXT(lname), P_INT(now)};
    if (sql_int(s, c, &Q_LIST_ADD, pa, 5, &pk, e) != 1)
        pk = -1;
out:
    free(lname);
    return pk;
}


static const struct sqlq Q_CAMPAIGN_UPDATE = {
    19, "UPDATE campaigns SET name = $3, lname = $4, status = $5, priority = $6,"
        " dialing_mode = $7, updated_at = $8, instance_updated_at = $9, dnc_list_pk = $10,"
        " doc = $11 WHERE app_pk = $1 AND campaign_pk = $2"};
static const struct sqlq Q_CAMPAIGN_LISTS_CLEAR = {
    20, "DELETE FROM campaign_lists WHERE campaign_pk = $1"};
static const struct sqlq Q_CAMPAIGN_SLOT = {
    21, "SELECT created_at, status, priority, dialing_mode FROM campaigns WHERE campaign_pk = $1"};

int sql_campaign_store(struct store_sql *s, struct conn *c, int64_t app_pk, struct campaign *it,
                       int64_t dnc_pk, const int64_t *list_pks, ssize_t nlists, struct apierr *e)
{
    char *lname = jsonu_lower(it->name);
    char *doc = jsonu_dump(it->doc, NULL);
    int ret = -1;
    struct sqlp dnc = dnc_pk > 0 ? P_INT(dnc_pk) : P_NULL;
    struct sqlp iua =
        it->instance_updated_at == CAMPAIGN_NO_TIME ? P_NULL : P_INT(it->instance_updated_at);
    struct lc_change ch[2] = {
        {it->created_at, lc_slot((int)it->status, it->priority, (int)it->mode), +1}};
    int nch = 1;
    if (it->pk == 0) {
        struct sqlp p[] = {
            P_INT(app_pk), P_TEXT(it->id), P_TEXT(campaign_type_name(it->type)),
            P_TEXT(it->name), P_TEXT(lname), P_INT(it->status), P_INT(it->priority),
            P_INT(it->mode), P_INT(it->created_at), P_INT(it->updated_at), iua, dnc, P_TEXT(doc),
        };
        if (sql_int(s, c, &Q_CAMPAIGN_ADD, p, 13, &it->pk, e) != 1)
            goto out;
    } else {
        /* The counts move only when the campaign changes slot. */
        struct sqlp po[] = {P_INT(it->pk)};
        struct sqlres *r = sql_query(s, c, &Q_CAMPAIGN_SLOT, po, 1, e);
        if (r == NULL)
            goto out;
        int rc = s->drv->next(r);
        if (rc == 1) {
            ch[1] = (struct lc_change){s->drv->col_int(r, 0),
                                       lc_slot((int)s->drv->col_int(r, 1), (int)s->drv->col_int(r, 2),
                                               (int)s->drv->col_int(r, 3)),
                                       -1};
            nch = ch[1].created_at == ch[0].created_at && ch[1].slot == ch[0].slot ? 0 : 2;
        }
        s->drv->done(r);
        if (rc != 1) {
            if (rc == 0)
                apierr_set(e, 500, "Internal error");
            else
                sql_fail(s, c, "campaign slot", e);
            goto out;
        }
        struct sqlp p[] = {
            P_INT(app_pk), P_INT(it->pk), P_TEXT(it->name), P_TEXT(lname), P_INT(it->status),
            P_INT(it->priority), P_INT(it->mode), P_INT(it->updated_at), iua, dnc, P_TEXT(doc),
        };
        if (sql_exec(s, c, &Q_CAMPAIGN_UPDATE, p, 11, e) != 0)
            goto out;
        struct sqlp pc[] = {P_INT(it->pk)};
        if (nlists >= 0 && sql_exec(s, c, &Q_CAMPAIGN_LISTS_CLEAR, pc, 1, e) != 0)
            goto out;
    }
    for (ssize_t i = 0; i < nlists; i++) {
        struct sqlp pl[] = {P_INT(it->pk), P_INT((int64_t)i), P_INT(list_pks[i])};
        if (sql_exec(s, c, &Q_CAMPAIGN_LIST_ADD, pl, 3, e) != 0)
            goto out;
    }
    if (nch > 0 && sql_counts_change(s, c, app_pk, campaign_type_name(it->type), ch, nch, e) != 0)
        goto out;
    ret = 0;
out:
    free(doc);
    free(lname);
    return ret;
}

static int op_campaign_export(struct store *base, int64_t app_pk, int type, json_t **out,
                              struct apierr *e)
{
    struct store_sql *s = (struct store_sql *)base;
    struct conn *c = sql_acquire(s);
    int rc = -1, ret = -1;
    json_t *arr = json_array();
    struct sqlp p[] = {P_INT(app_pk), P_TEXT(type < 0 ? "" : campaign_type_name((enum ctype)type))};
    if (sql_begin(s, c, 0, e) != 0)
        goto done;
    struct sqlres *r = sql_query(s, c, &Q_EXPORT, p, 2, e);
    if (r == NULL)
        goto done;
    while ((rc = s->drv->next(r)) == 1) {
        struct campaign item;
        campaign_init(&item);
        int bad = sql_read_campaign(s, c, r, &item, e);
        if (bad == 0)
            json_array_append_new(arr, campaign_render_export(&item));
        campaign_clear(&item);
        if (bad != 0) {
            s->drv->done(r);
            goto done;
        }
    }
    s->drv->done(r);
    if (rc < 0) {
        sql_fail(s, c, "export", e);
        goto done;
    }
    *out = arr;
    arr = NULL;
    ret = 0;
done:
    json_decref(arr);
    s->drv->rollback(c->db);
    sql_release(s, c);
    return ret;
}

static void op_close(struct store *base)
{
    struct store_sql *s = (struct store_sql *)base;
    for (int i = 0; i < s->n; i++) {
        struct conn *c = &s->conns[i];
        for (int j = 0; j < DOC_CACHE; j++) {
            free(c->docs[j].text);
            json_decref(c->docs[j].doc);
        }
        if (c->db != NULL)
            s->drv->close(c->db);
    }
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->conns);
    free(s->idle);
    free(s);
}

static const struct store_ops sql_ops = {
    .ping = op_ping,
    .client_get = op_client_get,
    .app_create = op_app_create,
    .app_find = op_app_find,
    .app_first_client = op_app_first_client,
    .campaign_list = sqlop_campaign_list,
    .tenant_version = sqlop_tenant_version,
    .import_begin = sqlop_import_begin,
    .import_add = sqlop_import_add,
    .import_end = sqlop_import_end,
    .campaign_export = op_campaign_export,
    .campaign_create = sqlop_campaign_create,
    .campaign_get = sqlop_campaign_get,
    .campaign_find = sqlop_campaign_find,
    .campaign_write = sqlop_campaign_write,
    .campaign_contacts = sqlop_campaign_contacts,
    .campaign_calls_completed = sqlop_campaign_calls_completed,
    .outcome_record = sqlop_outcome_record,
    .list_create = sqlop_list_create,
    .list_get = sqlop_list_get,
    .list_get_all = sqlop_list_get_all,
    .list_update = sqlop_list_update,
    .list_delete = sqlop_list_delete,
    .list_contacts = sqlop_list_contacts,
    .list_add_contacts = sqlop_list_add_contacts,
    .registry_add = sqlop_registry_add,
    .close = op_close,
};

struct store *store_sql_open(const struct sqldb_ops *drv, const char *target, int pool,
                             int migrate, struct apierr *e)
{
    struct store_sql *s = xcalloc(1, sizeof *s);
    s->base.ops = &sql_ops;
    s->drv = drv;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->conns = xcalloc((size_t)pool, sizeof *s->conns);
    s->idle = xcalloc((size_t)pool, sizeof *s->idle);
    s->n = pool;
    for (int i = 0; i < pool; i++) {
        s->conns[i].db = drv->open(target, migrate && i == 0, e);
        if (s->conns[i].db == NULL) {
            op_close(&s->base);
            return NULL;
        }
        s->idle[s->nidle++] = i;
    }
    if (migrate && sql_counts_backfill(s, &s->conns[0], e) != 0) {
        op_close(&s->base);
        return NULL;
    }
    return &s->base;
}
