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
#include "jsonio.h"
#include "lifecycle.h"
#include "report.h"
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
    "        in totalCallsCompleted; for a record the runner has tried, the\n"
    "        outcome (one of execution spec §4) of its latest attempt, under the\n"
    "        outcome callback's rules: the first outcome wins\n"
    "  sent --count N\n"
    "        add N delivered messages to an SMS campaign's totalMessagesSent\n"
    "  progress\n"
    "        print the latest run as one JSON object (execution spec §7):\n"
    "        records, ended, notYetTried, waitingRetry, inFlight, attempts,\n"
    "        byOutcome, startedAt and, once over, endedAt\n"
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

/* Frees what parse_admin keeps and prints usage (cli_usage): the exit
 * status. */
static int admin_usage(struct admin_opts *o, const char *usage, int status)
{
    json_decref(o->dispositions);
    o->dispositions = NULL;
    return cli_usage(usage, status);
}

/* The options of `campaign SUB` and `registry add` (argv[0] is SUB):
 * CLI_GO or an exit status (cli.h).  Frees o->dispositions unless CLI_GO. */
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
                return admin_usage(o, usage, 2);
            break;
        case O_COUNT:
            if (cli_parse_long(optarg, 1, CONTRACT_COUNT_MAX, &o->count) != 0)
                return admin_usage(o, usage, 2);
            break;
        case O_HELP: return admin_usage(o, usage, 0);
        default: return admin_usage(o, usage, 2);
        }
    }
    if (o->account == NULL || o->stream == NULL || optind != argc)
        return admin_usage(o, usage, 2);
    return CLI_GO;
}

struct admin_arg {
    enum lc_op op;
    long count;
    struct apierr *err; /* where admin_apply reports */
};

/* The apply() of store_write (store.h) for `campaign status` (a lifecycle
 * step) and `campaign sent` (adds to totalMessagesSent): 0, or -1 with the
 * reason on a->err. */
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

/* Checks that sub has the options it needs and turns what they ask into a
 * (op, count): CLI_GO, or the exit status 2 after saying what is wrong. */
static int admin_request(const char *sub, const struct admin_opts *o, struct admin_arg *a)
{
    int ok = o->campaign != NULL &&
             ((strcmp(sub, "status") == 0 && o->status != NULL) ||
              (strcmp(sub, "outcome") == 0 && o->phone != NULL && o->outcome != NULL) ||
              (strcmp(sub, "sent") == 0 && o->count > 0) || strcmp(sub, "progress") == 0);
    if (!ok)
        return cli_usage(campaign_usage, 2);
    *a = (struct admin_arg){LC_PAUSE, -1, NULL};
    if (strcmp(sub, "status") == 0) {
        if (strcmp(o->status, "Paused") == 0)
            a->op = LC_PAUSE;
        else if (strcmp(o->status, "Completed") == 0)
            a->op = LC_COMPLETE;
        else {
            fprintf(stderr, "campaignd campaign status: --status must be Paused or Completed\n");
            return 2;
        }
    }
    if (strcmp(sub, "sent") == 0)
        a->count = o->count;
    if (strcmp(sub, "outcome") == 0 && !campaign_phone_valid(o->phone)) {
        fprintf(stderr, "campaignd campaign outcome: --phone must be an E.164 number\n");
        return 2;
    }
    return CLI_GO;
}

/* `campaign outcome`: records the outcome fields of o on the contact. */
static int record_outcome(struct store *s, int64_t app_pk, const struct admin_opts *o,
                          struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    json_t *f = json_pack("{s:s}", "dialerOutcome", o->outcome);
    if (o->attempts >= 0)
        json_object_set_new(f, "numberOfAttemptsSoFar", json_integer(o->attempts));
    if (o->session != NULL)
        json_object_set_new(f, "botSessionId", json_string(o->session));
    if (json_array_size(o->dispositions) > 0)
        json_object_set(f, "agentDispositionCodes", o->dispositions);
    if (o->bot_status != NULL)
        json_object_set_new(f, "botOutboundStatus", json_string(o->bot_status));
    if (o->bot_detail != NULL)
        json_object_set_new(f, "botOutboundStatusDetail", json_string(o->bot_detail));
    /* A record a channel has tried: its latest attempt's outcome, under the
     * callback's rules (execution spec §6). */
    char att[IDS_MAX + 1];
    int rc = api_store(store_record_attempt(s, app_pk, o->campaign, o->phone, att, &se), &se, e);
    if (rc == 0 && att[0] != '\0') {
        json_object_set_new(f, "outcome", json_string(o->outcome));
        json_object_del(f, "dialerOutcome");
        json_object_del(f, "numberOfAttemptsSoFar");
        struct report r;
        if (report_parse(f, &r, e) != 0) {
            apierr_set(e, 400, "Request validation failed");
            rc = -1;
        } else {
            rc = api_store(
                store_attempt_report(s, att, r.outcome, r.detail, timefmt_now_ms(), &se), &se, e);
            report_clear(&r);
        }
    } else if (rc == 0) {
        struct store_outcome out = {o->phone, f};
        rc = api_store(store_outcome_record(s, app_pk, o->campaign, &out, &se), &se, e);
    }
    json_decref(f);
    return rc;
}

/* `campaign progress`: prints the latest run. */
static int print_progress(struct store *s, int64_t app_pk, const char *id, struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    struct campaign cp;
    json_t *o = NULL;
    campaign_init(&cp);
    int rc = api_store(store_campaign_get(s, app_pk, id, &cp, &se), &se, e);
    if (rc == 0)
        rc = api_store(store_run_progress(s, app_pk, &cp, &o, &se), &se, e);
    if (rc == 0) {
        char *text = jsonio_dump(o, NULL);
        printf("%s\n", text);
        free(text);
    }
    json_decref(o);
    campaign_clear(&cp);
    return rc;
}

/* `campaign status` and `campaign sent`: makes the change a asks, then
 * prints the campaign's id and status. */
static int change_campaign(struct store *s, int64_t app_pk, const char *id, struct admin_arg *a,
                           struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    struct store_write w = {admin_apply, NULL, a};
    struct campaign cp;
    campaign_init(&cp);
    a->err = e;
    int rc = api_store(store_campaign_write(s, app_pk, id, &w, &cp, &se), &se, e);
    if (rc == 0)
        printf("%s %s\n", cp.id, campaign_status_name(cp.status));
    campaign_clear(&cp);
    return rc;
}

int cli_campaign(int argc, char **argv)
{
    struct admin_opts o;
    struct admin_arg a;
    int rc = cli_sub(argc, argv, campaign_usage);
    if (rc != CLI_GO)
        return rc;
    const char *sub = argv[1];
    if ((rc = parse_admin(argc - 1, argv + 1, campaign_usage, &o)) != CLI_GO)
        return rc;
    int64_t app_pk;
    struct store *s = NULL;
    if ((rc = admin_request(sub, &o, &a)) == CLI_GO &&
        (s = cli_open_tenant("campaign", o.db, o.account, o.stream, &app_pk)) == NULL)
        rc = 1;
    if (rc != CLI_GO) {
        json_decref(o.dispositions);
        return rc;
    }
    struct apierr e;
    apierr_init(&e);
    if (strcmp(sub, "outcome") == 0)
        rc = record_outcome(s, app_pk, &o, &e);
    else if (strcmp(sub, "progress") == 0)
        rc = print_progress(s, app_pk, o.campaign, &e);
    else
        rc = change_campaign(s, app_pk, o.campaign, &a, &e);
    json_decref(o.dispositions);
    return cli_done("campaign", rc, &e, s);
}

int cli_registry(int argc, char **argv)
{
    struct store_err se = STORE_ERR_INIT;
    struct admin_opts o;
    int rc = cli_sub(argc, argv, registry_usage);
    if (rc != CLI_GO)
        return rc;
    if ((rc = parse_admin(argc - 1, argv + 1, registry_usage, &o)) != CLI_GO)
        return rc;
    json_decref(o.dispositions);
    if (strcmp(argv[1], "add") != 0 || o.kind == NULL || o.name == NULL ||
        (strcmp(o.kind, "flow") != 0 && strcmp(o.kind, "template") != 0) || o.name[0] == '\0' ||
        strlen(o.name) > 512)
        return cli_usage(registry_usage, 2);
    int64_t app_pk;
    struct store *s = cli_open_tenant("registry", o.db, o.account, o.stream, &app_pk);
    if (s == NULL)
        return 1;
    struct apierr e;
    char id[IDS_MAX + 1];
    apierr_init(&e);
    rc = api_store(store_registry_add(s, app_pk, o.kind, o.name, id, &se), &se, &e);
    if (rc == 0)
        printf("%s\n", id);
    return cli_done("registry", rc, &e, s);
}
