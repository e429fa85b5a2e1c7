/* cli_io.c - `campaignd import` and `campaignd export` (contract.md §6). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_store.h"
#include "cli.h"
#include "jstream.h"
#include "xalloc.h"

#define IMPORT_BATCH 1024   /* elements parsed before they go to the store */
#define IMPORT_PROBLEMS 100 /* problems listed before the rest are only counted */

/* Streams the array of s into the tenant: elements are parsed and checked
 * a batch at a time and handed to the store's import session, so memory
 * holds one batch whatever the file's size.  All or nothing: after the
 * first problem nothing more is stored, the rest is still checked (up to
 * IMPORT_PROBLEMS problems are listed) and the transaction rolled back. */
static long import_stream(struct store *st, int64_t app_pk, struct jstream *js, struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    struct store_import *im;
    if (api_store(store_import_begin(st, app_pk, &im, &se), &se, e) != 0)
        return -1;
    struct campaign *items = xcalloc(IMPORT_BATCH, sizeof *items);
    size_t n = 0, total = 0, problems = 0;
    int invalid = 0, conflicts = 0, failed = 0, end = 0;
    const char *fatal = NULL;
    while (!end && !failed) {
        const char *text;
        size_t len;
        long line;
        int r = jstream_next(js, &text, &len, &line);
        if (r < 0) {
            fatal = jstream_error(js);
            break;
        }
        end = r == 0;
        if (!end) {
            char where[32];
            snprintf(where, sizeof where, "[%zu]", total);
            json_error_t je;
            json_t *item = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
            campaign_init(&items[n]);
            if (item == NULL) {
                if (problems < IMPORT_PROBLEMS)
                    apierr_field(e, where, "is not valid JSON (%s at line %ld)", je.text,
                                 line + je.line - 1);
                problems++;
                invalid = 1;
            } else {
                struct apierr one;
                apierr_init(&one);
                if (campaign_from_item(item, where, &items[n], problems < IMPORT_PROBLEMS ? e : &one) != 0) {
                    problems++;
                    invalid = 1;
                }
                apierr_clear(&one);
            }
            json_decref(item);
            n++;
            total++;
        }
        if (n == IMPORT_BATCH || (end && n > 0)) {
            if (!invalid) {
                enum store_rc rc = store_import_add(im, items, n, total - n, &se);
                failed = rc != STORE_OK && rc != STORE_CONFLICT;
                conflicts |= rc == STORE_CONFLICT;
                api_store(rc, &se, e); /* the conflicts, at "[i].field" */
            }
            for (size_t i = 0; i < n; i++)
                campaign_clear(&items[i]);
            n = 0;
        }
    }
    for (size_t i = 0; i < n; i++)
        campaign_clear(&items[i]);
    free(items);
    if (problems > IMPORT_PROBLEMS)
        apierr_field(e, NULL, "and %zu more problems", problems - IMPORT_PROBLEMS);
    if (fatal != NULL || failed || invalid || conflicts) {
        store_import_end(im, 0, &se);
        store_err_clear(&se);
        if (fatal != NULL)
            apierr_reset(e, 400, "The file was rejected: %s; nothing was imported", fatal);
        else if (invalid && !failed)
            apierr_reset(e, 400, "The file was rejected; nothing was imported");
        else if (!failed)
            apierr_reset(e, 409,
                         "The file conflicts with stored campaigns or lists; nothing was imported");
        return -1;
    }
    return api_store(store_import_end(im, 1, &se), &se, e) == 0 ? (long)total : -1;
}

long cli_import_text(struct store *s, int64_t app_pk, const char *text, size_t len,
                     struct apierr *e)
{
    struct jstream *js = jstream_mem(text, len);
    long n = import_stream(s, app_pk, js, e);
    jstream_free(js);
    return n;
}

/* Options shared by import and export. */
struct tenant_opts {
    const char *account, *stream, *db, *type;
};

static int parse_tenant_opts(int argc, char **argv, const char *usage, int with_type,
                             struct tenant_opts *o)
{
    static const struct option opts[] = {
        {"account", required_argument, NULL, 'a'}, {"stream", required_argument, NULL, 's'},
        {"db", required_argument, NULL, 'd'},      {"type", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    memset(o, 0, sizeof *o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a': o->account = optarg; break;
        case 's': o->stream = optarg; break;
        case 'd': o->db = optarg; break;
        case 't':
            if (!with_type)
                goto bad;
            o->type = optarg;
            break;
        case 'h': fputs(usage, stdout); return 1;
        default: goto bad;
        }
    }
    if (o->account == NULL || o->stream == NULL)
        goto bad;
    return 0;
bad:
    fputs(usage, stderr);
    return 2;
}

/* Resolves the tenant or prints why not. */
static int open_tenant(const char *cmd, const struct tenant_opts *o, struct store **s,
                       int64_t *app_pk)
{
    struct store_err se = STORE_ERR_INIT;
    *s = cli_open_store(cli_db_url(o->db), 1);
    if (*s == NULL)
        return -1;
    struct apierr e;
    apierr_init(&e);
    int rc = api_store(store_app_find(*s, o->account, o->stream, app_pk, &se), &se, &e);
    if (rc != 0) {
        cli_fail(cmd, &e);
        store_close(*s);
        *s = NULL;
    }
    apierr_clear(&e);
    return rc;
}

static const char import_usage[] =
    "usage: campaignd import --account ID --stream st-... [--db URL] FILE\n"
    "\n"
    "Loads campaigns into the app: FILE ('-' for stdin) is a JSON array of Get All\n"
    "Campaigns result items, each with \"type\": \"voice\" or \"sms\".  Only type and\n"
    "name are required.  All or nothing: one invalid element rejects the file,\n"
    "naming the element's index and field, and nothing is stored.\n"
    "\n"
    "  --account ID    the account (required)\n"
    "  --stream ID     the app, st-<uuid> (required; create it with 'app create')\n"
    "  --db URL        the store (default $CAMPAIGND_DB, else ./campaignd.db)\n";

int cli_import(int argc, char **argv)
{
    struct tenant_opts o;
    int rc = parse_tenant_opts(argc, argv, import_usage, 0, &o);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    if (optind != argc - 1) {
        fputs(import_usage, stderr);
        return 2;
    }
    const char *path = argv[optind];
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "campaignd import: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    struct store *s;
    int64_t app_pk;
    if (open_tenant("import", &o, &s, &app_pk) != 0) {
        if (f != stdin)
            fclose(f);
        return 1;
    }
    struct apierr e;
    apierr_init(&e);
    struct jstream *js = jstream_file(f);
    long n = import_stream(s, app_pk, js, &e);
    jstream_free(js);
    if (n >= 0)
        fprintf(stderr, "campaignd import: %ld campaigns imported\n", n);
    else
        cli_fail("import", &e);
    apierr_clear(&e);
    if (f != stdin)
        fclose(f);
    store_close(s);
    return n >= 0 ? 0 : 1;
}

static const char export_usage[] =
    "usage: campaignd export --account ID --stream st-... [--type voice|sms] [--db URL]\n"
    "\n"
    "Prints the app's campaigns as a JSON array in the import format, oldest first.\n"
    "\n"
    "  --account ID    the account (required)\n"
    "  --stream ID     the app, st-<uuid> (required)\n"
    "  --type T        only voice or only sms campaigns\n"
    "  --db URL        the store (default $CAMPAIGND_DB, else ./campaignd.db)\n";

int cli_export(int argc, char **argv)
{
    struct store_err se = STORE_ERR_INIT;
    struct tenant_opts o;
    int rc = parse_tenant_opts(argc, argv, export_usage, 1, &o);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    int type = -1;
    if (optind != argc || (o.type != NULL && (type = campaign_type_parse(o.type)) < 0)) {
        fputs(export_usage, stderr);
        return 2;
    }
    struct store *s;
    int64_t app_pk;
    if (open_tenant("export", &o, &s, &app_pk) != 0)
        return 1;
    struct apierr e;
    json_t *arr = NULL;
    apierr_init(&e);
    rc = api_store(store_campaign_export(s, app_pk, type, &arr, &se), &se, &e);
    if (rc == 0) {
        char *text = json_dumps(arr, JSON_INDENT(2));
        printf("%s\n", text);
        free(text);
    } else {
        cli_fail("export", &e);
    }
    json_decref(arr);
    apierr_clear(&e);
    store_close(s);
    return rc == 0 ? 0 : 1;
}
