/* cli_io.c - `campaignd import` and `campaignd export` (contract.md §6). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xalloc.h"

#define IMPORT_FILE_MAX (256u << 20) /* 256 MiB */

long cli_import_text(struct store *s, int64_t app_pk, const char *text, size_t len,
                     struct apierr *e)
{
    json_error_t je;
    json_t *arr = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    long ret = -1;
    if (arr == NULL) {
        apierr_set(e, 400, "The file is not valid JSON (%s at line %d, column %d)", je.text,
                   je.line, je.column);
        return -1;
    }
    if (!json_is_array(arr)) {
        apierr_set(e, 400, "The file must hold a JSON array of campaigns");
        json_decref(arr);
        return -1;
    }
    size_t n = json_array_size(arr);
    struct campaign *items = xcalloc(n, sizeof *items);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char where[32];
        snprintf(where, sizeof where, "[%zu]", i);
        campaign_init(&items[i]);
        if (campaign_from_item(json_array_get(arr, i), where, &items[i], e) != 0)
            bad = 1;
    }
    if (bad)
        apierr_set(e, 400, "The file was rejected; nothing was imported");
    else if (store_campaign_import(s, app_pk, items, n, e) == 0)
        ret = (long)n;
    for (size_t i = 0; i < n; i++)
        campaign_clear(&items[i]);
    free(items);
    json_decref(arr);
    return ret;
}

/* Reads all of path ("-" = stdin) up to IMPORT_FILE_MAX. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = xmalloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            if (cap >= IMPORT_FILE_MAX) {
                free(buf);
                buf = NULL;
                break;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    if (buf != NULL && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
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
    *s = cli_open_store(cli_db_url(o->db), 1);
    if (*s == NULL)
        return -1;
    struct apierr e;
    apierr_init(&e);
    int rc = store_app_find(*s, o->account, o->stream, app_pk, &e);
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
    size_t len = 0;
    char *text = read_all(path, &len);
    if (text == NULL) {
        fprintf(stderr, "campaignd import: cannot read %s\n", path);
        return 1;
    }
    struct store *s;
    int64_t app_pk;
    if (open_tenant("import", &o, &s, &app_pk) != 0) {
        free(text);
        return 1;
    }
    struct apierr e;
    apierr_init(&e);
    long n = cli_import_text(s, app_pk, text, len, &e);
    if (n >= 0)
        fprintf(stderr, "campaignd import: %ld campaigns imported\n", n);
    else
        cli_fail("import", &e);
    apierr_clear(&e);
    free(text);
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
    rc = store_campaign_export(s, app_pk, type, &arr, &e);
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
