/* cli_admin.c - `campaignd app create`, `campaignd token` and `campaignd client`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_store.h"
#include "auth.h"
#include "cli.h"
#include "timefmt.h"

#define TOKEN_TTL_MAX 31536000 /* seconds: a year */
#define GRACE_MAX 2592000      /* seconds: 30 days */
#define GRACE_DEFAULT 3600

static const char app_usage[] =
    "usage: campaignd app create --account ID [--stream st-...] [--name TEXT]\n"
    "                            [--scopes LIST] [--db URL]\n"
    "\n"
    "Creates the account if new, the app (stream) if new, and always a new API\n"
    "client, then prints {\"accountId\",\"streamId\",\"clientId\",\"clientSecret\"}.\n"
    "\n"
    "  --account ID    account id, 1.." CLI_STR(CONTRACT_ACCOUNT_MAX) " of A-Z a-z 0-9 - _ (required)\n"
    "  --stream ID     the app's streamId, st-<uuid>; generated when omitted\n"
    "  --name TEXT     the app's display name\n"
    "  --scopes LIST   comma-separated scopes of the client\n"
    "                  (default: campaign-management; '' grants none)\n"
    "  --db URL        the store (default $CAMPAIGND_DB, else ./campaignd.db)\n";

struct app_opts {
    const char *account, *stream, *name, *scopes, *db;
};

/* The options of `app create` (argv[0] is "create"): CLI_GO or an exit
 * status. */
static int parse_app(int argc, char **argv, struct app_opts *o)
{
    static const struct option opts[] = {
        {"account", required_argument, NULL, 'a'}, {"stream", required_argument, NULL, 's'},
        {"name", required_argument, NULL, 'n'},    {"scopes", required_argument, NULL, 'S'},
        {"db", required_argument, NULL, 'd'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct app_opts){NULL, NULL, "", SCOPE_CAMPAIGNS, NULL};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a': o->account = optarg; break;
        case 's': o->stream = optarg; break;
        case 'n': o->name = optarg; break;
        case 'S': o->scopes = optarg; break;
        case 'd': o->db = optarg; break;
        case 'h': return cli_usage(app_usage, 0);
        default: return cli_usage(app_usage, 2);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "campaignd app create: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    if (o->account == NULL || !cli_account_valid(o->account)) {
        fprintf(stderr, "campaignd app create: --account is required: 1..%d of A-Z a-z 0-9 - _\n",
                CONTRACT_ACCOUNT_MAX);
        return 2;
    }
    if (o->stream != NULL && !ids_valid("st", o->stream, strlen(o->stream))) {
        fprintf(stderr, "campaignd app create: --stream must look like st-<uuid>\n");
        return 2;
    }
    return CLI_GO;
}

int cli_app(int argc, char **argv)
{
    struct store_err se = STORE_ERR_INIT;
    struct app_opts o;
    int rc = cli_sub(argc, argv, app_usage);
    if (rc != CLI_GO)
        return rc;
    if (strcmp(argv[1], "create") != 0) {
        fprintf(stderr, "campaignd app: unknown subcommand \"%s\"\n%s", argv[1], app_usage);
        return 2;
    }
    if ((rc = parse_app(argc - 1, argv + 1, &o)) != CLI_GO)
        return rc;
    struct store *s = cli_open_store(cli_db_url(o.db), 1);
    if (s == NULL)
        return 1;
    struct apierr e;
    struct store_creds cr;
    apierr_init(&e);
    rc = api_store(store_app_create(s, o.account, o.stream, o.name, o.scopes, &cr, &se), &se, &e);
    if (rc == 0)
        printf("{\"accountId\":\"%s\",\"streamId\":\"%s\",\"clientId\":\"%s\",\"clientSecret\":\"%s\"}\n",
               cr.account_id, cr.stream_id, cr.client_id, cr.secret);
    return cli_done("app create", rc, &e, s);
}

static const char token_usage[] =
    "usage: campaignd token --client-id cs-... [--ttl SECONDS] [--db URL]\n"
    "\n"
    "Prints an HS256 JWT for the client, signed with its secret: claims appId\n"
    "(the client id), sub and iat, and exp when --ttl is given.\n"
    "\n"
    "  --client-id ID  the API client (required)\n"
    "  --ttl SECONDS   lifetime, 1.." CLI_STR(TOKEN_TTL_MAX) "; without it the token never expires\n"
    "  --db URL        the store (default $CAMPAIGND_DB, else ./campaignd.db)\n";

/* The options of `token` and `client revoke|rotate`: --client-id (into
 * *client, required), --db, and the number option num_name (--ttl or
 * --grace) within min..max into *num.  CLI_GO or an exit status. */
static int client_options(int argc, char **argv, const char *usage, const char *num_name,
                          long min, long max, const char **client, long *num, const char **db)
{
    const struct option opts[] = {
        {"client-id", required_argument, NULL, 'c'}, {num_name, required_argument, NULL, 'n'},
        {"db", required_argument, NULL, 'd'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': *client = optarg; break;
        case 'n':
            if (cli_parse_long(optarg, min, max, num) != 0) {
                fprintf(stderr, "campaignd: --%s must be %ld..%ld seconds\n", num_name, min, max);
                return 2;
            }
            break;
        case 'd': *db = optarg; break;
        case 'h': return cli_usage(usage, 0);
        default: return cli_usage(usage, 2);
        }
    }
    if (*client == NULL || optind < argc)
        return cli_usage(usage, 2);
    return CLI_GO;
}

int cli_token(int argc, char **argv)
{
    struct store_err se = STORE_ERR_INIT;
    const char *client = NULL, *db = NULL;
    long ttl = 0;
    int rc = client_options(argc, argv, token_usage, "ttl", 1, TOKEN_TTL_MAX, &client, &ttl, &db);
    if (rc != CLI_GO)
        return rc;
    struct store *s = cli_open_store(cli_db_url(db), 1);
    if (s == NULL)
        return 1;
    struct apierr e;
    struct store_client cl;
    apierr_init(&e);
    rc = api_store(store_client_get(s, client, &cl, &se), &se, &e);
    if (rc == 0) {
        char *tok = auth_sign_token(client, cl.secret, timefmt_now_ms() / 1000, ttl);
        if (tok != NULL) {
            printf("%s\n", tok);
        } else {
            rc = -1;
            apierr_set(&e, 500, "Cannot sign the token");
        }
        free(tok);
    }
    if (rc != 0 && e.status == 404)
        apierr_reset(&e, 404, "There is no client %s", client);
    return cli_done("token", rc, &e, s);
}

static const char client_usage[] =
    "usage: campaignd client revoke --client-id cs-... [--db URL]\n"
    "       campaignd client rotate --client-id cs-... [--grace S] [--db URL]\n"
    "\n"
    "revoke: the client's tokens are refused from now on, by every server on the\n"
    "store (within half a second).  Prints {\"clientId\",\"revoked\":true}.\n"
    "rotate: the client gets a new secret; tokens signed with the previous one\n"
    "are still accepted for --grace seconds (default " CLI_STR(GRACE_DEFAULT) ", 0.."
    CLI_STR(GRACE_MAX) ").\n"
    "Prints {\"clientId\",\"clientSecret\",\"previousSecretValidUntil\"}.\n"
    "\n"
    "  --client-id ID  the API client (required)\n"
    "  --grace S       rotate: seconds the previous secret stays valid\n"
    "  --db URL        the store (default $CAMPAIGND_DB, else ./campaignd.db)\n";

int cli_client(int argc, char **argv)
{
    int rc = cli_sub(argc, argv, client_usage);
    if (rc != CLI_GO)
        return rc;
    int rotate = strcmp(argv[1], "rotate") == 0;
    if (!rotate && strcmp(argv[1], "revoke") != 0) {
        fprintf(stderr, "campaignd client: unknown subcommand \"%s\"\n%s", argv[1], client_usage);
        return 2;
    }
    const char *client = NULL, *db = NULL;
    long grace = GRACE_DEFAULT;
    rc = client_options(argc - 1, argv + 1, client_usage, "grace", 0, GRACE_MAX, &client, &grace,
                        &db);
    if (rc != CLI_GO)
        return rc;
    struct store *s = cli_open_store(cli_db_url(db), 1);
    if (s == NULL)
        return 1;
    struct store_err se = STORE_ERR_INIT;
    struct apierr e;
    apierr_init(&e);
    char secret[STORE_SECRET_LEN + 1];
    int64_t until = timefmt_now_ms() + (int64_t)grace * 1000;
    rc = api_store(rotate ? store_client_rotate(s, client, until, secret, &se)
                          : store_client_revoke(s, client, &se),
                   &se, &e);
    if (rc == 0 && rotate) {
        char ts[TIMEFMT_LEN + 1];
        timefmt_format(until, ts);
        printf("{\"clientId\":\"%s\",\"clientSecret\":\"%s\",\"previousSecretValidUntil\":\"%s\"}\n",
               client, secret, ts);
    } else if (rc == 0) {
        printf("{\"clientId\":\"%s\",\"revoked\":true}\n", client);
    }
    if (rc != 0 && e.status == 404)
        apierr_reset(&e, 404, "There is no client %s (or it is revoked)", client);
    return cli_done(rotate ? "client rotate" : "client revoke", rc, &e, s);
}
