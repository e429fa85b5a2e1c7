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

/* An import in progress: the batch items[0..n) and what was found so far. */
struct import_run {
    struct store_import *im;
    struct campaign *items;
    size_t n, total, problems;
    int invalid, conflicts, failed;
};

/* Parses and checks element [total] (text[0..len), starting on line) into
 * the batch.  Its problems are listed on e while fewer than IMPORT_PROBLEMS
 * are, and counted either way. */
static void add_element(struct import_run *ir, const char *text, size_t len, long line,
                        struct apierr *e)
{
    char where[32];
    snprintf(where, sizeof where, "[%zu]", ir->total);
    json_error_t je;
    json_t *item = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    struct campaign *c = &ir->items[ir->n++];
    int listed = ir->problems < IMPORT_PROBLEMS, bad = 1;
    campaign_init(c);
    if (item == NULL) {
        if (listed)
            apierr_field(e, where, "is not valid JSON (%s at line %ld)", je.text,
                         line + je.line - 1);
    } else {
        struct apierr one;
        apierr_init(&one);
        bad = campaign_from_item(item, where, c, listed ? e : &one) != 0;
        apierr_clear(&one);
    }
    json_decref(item);
    ir->total++;
    if (bad) {
        ir->problems++;
        ir->invalid = 1;
    }
}

/* Hands the batch to the store unless the file is already rejected, then
 * empties it. */
static void flush_batch(struct import_run *ir, struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    if (!ir->invalid) {
        enum store_rc rc = store_import_add(ir->im, ir->items, ir->n, ir->total - ir->n, &se);
        ir->failed = rc != STORE_OK && rc != STORE_CONFLICT;
        ir->conflicts |= rc == STORE_CONFLICT;
        api_store(rc, &se, e); /* the conflicts, at "[i].field" */
    }
    for (size_t i = 0; i < ir->n; i++)
        campaign_clear(&ir->items[i]);
    ir->n = 0;
}

/* Ends the import: commits when nothing was wrong (the number imported),
 * else rolls back and says why on e (-1).  fatal: why the file could not be
 * read to its end, or NULL. */
static long import_end(struct import_run *ir, const char *fatal, struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    if (ir->problems > IMPORT_PROBLEMS)
        apierr_field(e, NULL, "and %zu more problems", ir->problems - IMPORT_PROBLEMS);
    if (fatal == NULL && !ir->failed && !ir->invalid && !ir->conflicts)
        return api_store(store_import_end(ir->im, 1, &se), &se, e) == 0 ? (long)ir->total : -1;
    store_import_end(ir->im, 0, &se);
    store_err_clear(&se);
    if (fatal != NULL)
        apierr_reset(e, 400, "The file was rejected: %s; nothing was imported", fatal);
    else if (ir->invalid && !ir->failed)
        apierr_reset(e, 400, "The file was rejected; nothing was imported");
    else if (!ir->failed)
        apierr_reset(e, 409,
                     "The file conflicts with stored campaigns or lists; nothing was imported");
    return -1;
}

/* Streams the array of js into the tenant: elements are parsed and checked
 * a batch at a time and handed to the store's import session, so memory
 * holds one batch whatever the file's size.  All or nothing: after the
 * first problem nothing more is stored, the rest is still checked (up to
 * IMPORT_PROBLEMS problems are listed) and the transaction rolled back.
 * Returns the number imported, or -1 with e. */
static long import_stream(struct store *st, int64_t app_pk, struct jstream *js, struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    struct import_run ir = {0};
    if (api_store(store_import_begin(st, app_pk, &ir.im, &se), &se, e) != 0)
        return -1;
    ir.items = xcalloc(IMPORT_BATCH, sizeof *ir.items);
    const char *fatal = NULL;
    int end = 0;
    while (!end && !ir.failed) {
        const char *text;
        size_t len;
        long line;
        int r = jstream_next(js, &text, &len, &line);
        if (r < 0) {
            fatal = jstream_error(js);
            break;
        }
        end = r == 0;
        if (!end)
            add_element(&ir, text, len, line, e);
        if (ir.n == IMPORT_BATCH || (end && ir.n > 0))
            flush_batch(&ir, e);
    }
    for (size_t i = 0; i < ir.n; i++)
        campaign_clear(&ir.items[i]);
    free(ir.items);
    return import_end(&ir, fatal, e);
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

/* CLI_GO or an exit status (cli.h). */
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
                return cli_usage(usage, 2);
            o->type = optarg;
            break;
        case 'h': return cli_usage(usage, 0);
        default: return cli_usage(usage, 2);
        }
    }
    if (o->account == NULL || o->stream == NULL)
        return cli_usage(usage, 2);
    return CLI_GO;
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
    if (rc != CLI_GO)
        return rc;
    if (optind != argc - 1)
        return cli_usage(import_usage, 2);
    const char *path = argv[optind];
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "campaignd import: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    int64_t app_pk;
    struct store *s = cli_open_tenant("import", o.db, o.account, o.stream, &app_pk);
    if (s == NULL) {
        if (f != stdin)
            fclose(f);
        return 1;
    }
    struct apierr e;
    apierr_init(&e);
    struct jstream *js = jstream_file(f);
    long n = import_stream(s, app_pk, js, &e);
    jstream_free(js);
    if (f != stdin)
        fclose(f);
    if (n >= 0)
        fprintf(stderr, "campaignd import: %ld campaigns imported\n", n);
    return cli_done("import", n >= 0 ? 0 : -1, &e, s);
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
    if (rc != CLI_GO)
        return rc;
    int type = -1;
    if (optind != argc || (o.type != NULL && (type = campaign_type_parse(o.type)) < 0))
        return cli_usage(export_usage, 2);
    int64_t app_pk;
    struct store *s = cli_open_tenant("export", o.db, o.account, o.stream, &app_pk);
    if (s == NULL)
        return 1;
    struct apierr e;
    json_t *arr = NULL;
    apierr_init(&e);
    rc = api_store(store_campaign_export(s, app_pk, type, &arr, &se), &se, &e);
    if (rc == 0) {
        char *text = json_dumps(arr, JSON_INDENT(2));
        printf("%s\n", text);
        free(text);
    }
    json_decref(arr);
    return cli_done("export", rc, &e, s);
}
