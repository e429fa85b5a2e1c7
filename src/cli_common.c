/* cli_common.c - helpers shared by the subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_store.h"
#include "cli.h"

int cli_usage(const char *usage, int status)
{
    fputs(usage, status == 0 ? stdout : stderr);
    return status;
}

int cli_sub(int argc, char **argv, const char *usage)
{
    if (argc < 2)
        return cli_usage(usage, 2);
    if (strcmp(argv[1], "--help") == 0)
        return cli_usage(usage, 0);
    return CLI_GO;
}

const char *cli_db_url(const char *flag)
{
    if (flag != NULL)
        return flag;
    const char *env = getenv("CAMPAIGND_DB");
    return env && *env ? env : "./campaignd.db";
}

int cli_fail(const char *cmd, const struct apierr *e)
{
    fprintf(stderr, "campaignd %s: %s", cmd, e->message ? e->message : "failed");
    size_t i;
    json_t *x;
    const char *sep = ": ";
    json_array_foreach(e->errors, i, x) {
        const char *field = json_string_value(json_object_get(x, "field"));
        const char *msg = json_string_value(json_object_get(x, "msg"));
        if (field != NULL)
            fprintf(stderr, "%s%s %s", sep, field, msg ? msg : "");
        else if (msg != NULL && strcmp(msg, apierr_message(e)) != 0)
            fprintf(stderr, "%s%s", sep, msg);
        sep = "; ";
    }
    fputc('\n', stderr);
    return 1;
}

/* cli_open_store and cli_open_replica: the store, or NULL after printing
 * why. */
static struct store *open_store(const char *url, int pool, int replica)
{
    struct store_err se = STORE_ERR_INIT;
    struct store *s = replica ? store_open_replica(url, pool, &se) : store_open(url, pool, &se);
    if (s == NULL) {
        struct apierr e;
        apierr_init(&e);
        api_store_error(&se, &e);
        cli_fail("store", &e);
        apierr_clear(&e);
    }
    return s;
}

struct store *cli_open_store(const char *url, int pool)
{
    return open_store(url, pool, 0);
}

struct store *cli_open_replica(const char *url, int pool)
{
    return open_store(url, pool, 1);
}

struct store *cli_open_tenant(const char *cmd, const char *db, const char *account,
                              const char *stream, int64_t *app_pk)
{
    struct store_err se = STORE_ERR_INIT;
    struct store *s = cli_open_store(cli_db_url(db), 1);
    if (s == NULL)
        return NULL;
    struct apierr e;
    apierr_init(&e);
    if (api_store(store_app_find(s, account, stream, app_pk, &se), &se, &e) != 0) {
        cli_fail(cmd, &e);
        store_close(s);
        s = NULL;
    }
    apierr_clear(&e);
    return s;
}

int cli_done(const char *cmd, int rc, struct apierr *e, struct store *s)
{
    if (rc != 0)
        cli_fail(cmd, e);
    apierr_clear(e);
    store_close(s);
    return rc == 0 ? 0 : 1;
}

int cli_parse_long(const char *s, long min, long max, long *out)
{
    if (s == NULL || *s == '\0')
        return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int cli_account_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CONTRACT_ACCOUNT_MAX)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return 0;
    return 1;
}
