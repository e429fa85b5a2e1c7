/* cli_campaign.c - `campaignd campaign …` and `campaignd registry add`: the
 * admin side of the lifecycle (family spec §7): pausing and completing a
 * run, recording per-contact outcomes, counting SMS deliveries, and
 * pre-registering experience flows and templates. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_store.h"
#include "cli.h"
#include "lifecycle.h"
#include "timefmt.h"

static const char campaign_usage[] =
    "usage: campaignd campaign COMMAND --account ID --stream st-... --campaign cd-... [--db URL]\n"
    "\n"
    "Admin changes that the API has no route for (family spec §7):\n"
    "  status --status Paused|Completed\n"
    "        pause an Active campaign, or complete an Active or Paused one\n"
    "  outcome --phone NUMBER --outcome TEXT [--attempts N] [--session ID]\n"
    "          [--disposition CODE]... [--bot-status TEXT] [--bot-detail TEXT]\n"
    "        record the outcome of one contact of the campaign's latest run;\n"
    "        it shows in the contacts view, and any outcome but Pending counts\n"
    "        in totalCallsCompleted\n"
    "  sent --count N\n"
    "        add N delivered messages to an SMS campaign's totalMessagesSent\n"
    "\n"
    "  --account ID    the account (required)\n"
    "  --stream ID     the app, st-<uuid> (required)\n"
    "  --campaign ID   the campaign, cd-<uuid> (required)\n"
    "  --db URL        the store (default $CAMPAIGND_DB, else ./campaignd.db)\n";

static const char registry_usage[] =
    "usage: campaignd registry add --account ID --stream st-... --kind flow|template\n"
    "                              --name NAME [--db URL]\n"
    "\n"
    "Registers an experience flow or SMS template name for the app (or finds it)\n"
    "and prints its id (cf-… or cmt-…).  Names match case-insensitively; the API\n"
    "registers unknown names on first use, so this is only needed to know an id\n"
    "in advance (family spec §3.4).\n";

struct admin_opts {
    const char *account, *stream, *campaign, *db, *status, *phone, *outcome, *session;
    const char *bot_status, *bot_detail, *kind, *name;
    long attempts, count;
    json_t *dispositions;
};

static int parse_admin(int argc, char **argv, const char *usage, struct admin_opts *o)
{
    enum { O_ACC = 1, O_STREAM, O_CAMP, O_DB, O_STATUS, O_PHONE, O_OUTCOME, O_ATTEMPTS,
           O_SESSION, O_DISP, O_BSTATUS, O_BDETAIL, O_COUNT, O_KIND, O_NAME, O_HELP };
    static const struct option opts[] = {
        {"account", required_argument, NULL, O_ACC},   {"stream", required_argument, NULL, O_STREAM},
        {"campaign", required_argument, NULL, O_CAMP}, {"db", required_argument, NULL, O_DB},
        {"status", required_argument, NULL, O_STATUS}, {"phone", required_argument, NULL, O_PHONE},
        {"outcome", required_argument, NULL, O_OUTCOME},
        {"attempts", required_argument, NULL, O_ATTEMPTS},
        {"session", required_argument, NULL, O_SESSION},
        {"disposition", required_argument, NULL, O_DISP},
        {"bot-status", required_argument, NULL, O_BSTATUS},
        {"bot-detail", required_argument, NULL, O_BDETAIL},
        {"count", required_argument, NULL, O_COUNT},   {"kind", required_argument, NULL, O_KIND},
        {"name", required_argument, NULL, O_NAME},     {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    memset(o, 0, sizeof *o);
    o->attempts = -1;
    o->count = -1;
    o->dispositions = json_array();
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_ACC: o->account = optarg; break;
        case O_STREAM: o->stream = optarg; break;
        case O_CAMP: o->campaign = optarg; break;
        case O_DB: o->db = optarg; break;
        case O_STATUS: o->status = optarg; break;
        case O_PHONE: o->phone = optarg; break;
        case O_OUTCOME: o->outcome = optarg; break;
        case O_SESSION: o->session = optarg; break;
        case O_BSTATUS: o->bot_status = optarg; break;
        case O_BDETAIL: o->bot_detail = optarg; break;
        case O_KIND: o->kind = optarg; break;
        case O_NAME: o->name = optarg; break;
        case O_DISP: json_array_append_new(o->dispositions, json_string(optarg)); break;
        case O_ATTEMPTS:
            if (cli_parse_long(optarg, 0, 1000, &o->attempts) != 0)
                goto bad;
            break;
        case O_COUNT:
            if (cli_parse_long(optarg, 1, CONTRACT_COUNT_MAX, &o->count) != 0)
                goto bad;
            break;
        case O_HELP: fputs(usage, stdout); return 1;
        default: goto bad;
        }
    }
    if (o->account == NULL || o->stream == NULL || optind != argc)
        goto bad;
    return 0;
bad:
    fputs(usage, stderr);
    return 2;
}

/* Opens the store and finds the tenant; prints why not. */
static struct store *open_tenant(const char *cmd, const struct admin_opts *o, int64_t *app_pk)
{
    struct store_err se = STORE_ERR_INIT;
    struct store *s = cli_open_store(cli_db_url(o->db), 1);
    if (s == NULL)
        return NULL;
    struct apierr e;
    apierr_init(&e);
    if (api_store(store_app_find(s, o->account, o->stream, app_pk, &se), &se, &e) != 0) {
        cli_fail(cmd, &e);
        store_close(s);
        s = NULL;
    }
    apierr_clear(&e);
    return s;
}

struct admin_arg {
    enum lc_op op;
    long count;
    struct apierr *err; /* where admin_apply reports */
};

static int admin_apply(struct campaign *c, void *arg, struct store_effect *fx)
{
    struct admin_arg *a = arg;
    struct apierr *e = a->err;
    (void)fx;
    if (a->count < 0) {
        struct lc_effect lc;
        return lifecycle_apply(c, a->op, NULL, timefmt_now_ms(), &lc, e);
    }
    if (c->type != CTYPE_SMS) {
        apierr_set(e, 400, "Campaign %s is a voice campaign: it sends no messages", c->name);
        return -1;
    }
    json_int_t sent = json_integer_value(json_object_get(c->doc, "totalMessagesSent"));
    json_object_set_new(c->doc, "totalMessagesSent", json_integer(sent + a->count));
    c->updated_at = c->instance_updated_at = timefmt_now_ms();
    return 0;
}

int cli_campaign(int argc, char **argv)
{
    struct store_err se = STORE_ERR_INIT;
    struct admin_opts o;
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(campaign_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    int rc = parse_admin(argc - 1, argv + 1, campaign_usage, &o);
    if (rc != 0) {
        json_decref(o.dispositions);
        return rc == 1 ? 0 : rc;
    }
    int ok = o.campaign != NULL &&
             ((strcmp(sub, "status") == 0 && o.status != NULL) ||
              (strcmp(sub, "outcome") == 0 && o.phone != NULL && o.outcome != NULL) ||
              (strcmp(sub, "sent") == 0 && o.count > 0));
    if (!ok) {
        fputs(campaign_usage, stderr);
        json_decref(o.dispositions);
        return 2;
    }
    struct admin_arg a = {LC_PAUSE, -1, NULL};
    if (strcmp(sub, "status") == 0) {
        if (strcmp(o.status, "Paused") == 0)
            a.op = LC_PAUSE;
        else if (strcmp(o.status, "Completed") == 0)
            a.op = LC_COMPLETE;
        else {
            fprintf(stderr, "campaignd campaign status: --status must be Paused or Completed\n");
            json_decref(o.dispositions);
            return 2;
        }
    }
    if (strcmp(sub, "sent") == 0)
        a.count = o.count;
    if (strcmp(sub, "outcome") == 0 && !campaign_phone_valid(o.phone)) {
        fprintf(stderr, "campaignd campaign outcome: --phone must be an E.164 number\n");
        json_decref(o.dispositions);
        return 2;
    }
    int64_t app_pk;
    struct store *s = open_tenant("campaign", &o, &app_pk);
    if (s == NULL) {
        json_decref(o.dispositions);
        return 1;
    }
    struct apierr e;
    apierr_init(&e);
    a.err = &e;
    if (strcmp(sub, "outcome") == 0) {
        json_t *f = json_pack("{s:s}", "dialerOutcome", o.outcome);
        if (o.attempts >= 0)
            json_object_set_new(f, "numberOfAttemptsSoFar", json_integer(o.attempts));
        if (o.session != NULL)
            json_object_set_new(f, "botSessionId", json_string(o.session));
        if (json_array_size(o.dispositions) > 0)
            json_object_set(f, "agentDispositionCodes", o.dispositions);
        if (o.bot_status != NULL)
            json_object_set_new(f, "botOutboundStatus", json_string(o.bot_status));
        if (o.bot_detail != NULL)
            json_object_set_new(f, "botOutboundStatusDetail", json_string(o.bot_detail));
        struct store_outcome out = {o.phone, f};
        rc = api_store(store_outcome_record(s, app_pk, o.campaign, &out, &se), &se, &e);
        json_decref(f);
    } else {
        struct store_write w = {admin_apply, NULL, &a};
        struct campaign cp;
        campaign_init(&cp);
        rc = api_store(store_campaign_write(s, app_pk, o.campaign, &w, &cp, &se), &se, &e);
        if (rc == 0)
            printf("%s %s\n", cp.id, campaign_status_name(cp.status));
        campaign_clear(&cp);
    }
    if (rc != 0)
        cli_fail("campaign", &e);
    apierr_clear(&e);
    json_decref(o.dispositions);
    store_close(s);
    return rc == 0 ? 0 : 1;
}

int cli_registry(int argc, char **argv)
{
    struct store_err se = STORE_ERR_INIT;
    struct admin_opts o;
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(registry_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    int rc = parse_admin(argc - 1, argv + 1, registry_usage, &o);
    json_decref(o.dispositions);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    if (strcmp(argv[1], "add") != 0 || o.kind == NULL || o.name == NULL ||
        (strcmp(o.kind, "flow") != 0 && strcmp(o.kind, "template") != 0) || o.name[0] == '\0' ||
        strlen(o.name) > 512) {
        fputs(registry_usage, stderr);
        return 2;
    }
    int64_t app_pk;
    struct store *s = open_tenant("registry", &o, &app_pk);
    if (s == NULL)
        return 1;
    struct apierr e;
    char id[IDS_MAX + 1];
    apierr_init(&e);
    rc = api_store(store_registry_add(s, app_pk, o.kind, o.name, id, &se), &se, &e);
    if (rc == 0)
        printf("%s\n", id);
    else
        cli_fail("registry", &e);
    apierr_clear(&e);
    store_close(s);
    return rc == 0 ? 0 : 1;
}
