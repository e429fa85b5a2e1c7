/* cli_serve.c - `campaignd serve`: options, the demo, signals, shutdown. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "log.h"
#include "runner.h"
#include "server.h"
#include "timefmt.h"
#include "xalloc.h"

/* The defaults, which serve_usage states through these same macros. */
#define INFLIGHT_SECONDS 10 /* for the requests in progress at a stop */
#define SERVE_DRAIN_S 5
#define SERVE_MAX_CONNS 16384 /* the most by default, open-file limit permitting */
#define FD_RESERVE 256        /* descriptors kept for the store, logs, files */
#define SERVE_LISTEN "127.0.0.1:8080"
#define SERVE_MAX_BODY 1048576
#define SERVE_MAX_HEADERS 16384
#define SERVE_MAX_URL 16384
#define SERVE_MAX_DEPTH 32
#define SERVE_MAX_CONTACTS 1000
#define SERVE_IDLE_S 30
#define SERVE_REQUEST_S 10
#define SERVE_LIST_CACHE_MB 64
#define SERVE_GRACE_S 900
#define SERVE_PACE 10
#define SERVE_INFLIGHT 100
#define SERVE_LEASE_S 30
#define SERVE_SIM_LATENCY_MS 200
#define SERVE_WEBHOOK_TIMEOUT_S 10
#define SERVE_TENANT_PACE 50

static const char serve_usage[] =
    "usage: campaignd serve [--listen HOST:PORT] [--demo] [--db URL] [options]\n"
    "\n"
    "Runs the API server until SIGTERM or SIGINT.  Then GET /healthz answers 503\n"
    "and responses say Connection: close, new connections are still served for\n"
    "--drain-s seconds, the connections already queued are accepted, the\n"
    "listening socket is closed, the requests in progress finish (up to\n"
    CLI_STR(INFLIGHT_SECONDS) " s), and the store is closed.\n"
    "\n"
    "  --listen HOST:PORT      address to listen on (default " SERVE_LISTEN ";\n"
    "                          port 0 picks a free port, printed on stderr)\n"
    "  --demo                  load the demo tenant with the documented sample\n"
    "                          campaigns (once) and print its credentials, a\n"
    "                          token and a ready-to-paste curl command\n"
    "  --db URL                the store (default $CAMPAIGND_DB, else ./campaignd.db)\n"
    "  --threads N             worker threads (default: the number of cores)\n"
    "  --db-pool N             database connections (default: one per thread)\n"
    "  --db-read URL           a read-only replica for Get All Campaigns only\n"
    "                          (default $CAMPAIGND_DB_READ; see the README for\n"
    "                          its consistency caveat)\n"
    "  --max-body BYTES        request body limit (default "
    CLI_STR(SERVE_MAX_BODY) "; 413 above)\n"
    "  --max-headers BYTES     request headers limit (default "
    CLI_STR(SERVE_MAX_HEADERS) "; 431 above)\n"
    "  --max-url BYTES         request URL limit (default "
    CLI_STR(SERVE_MAX_URL) "; 414 above)\n"
    "  --max-depth N           JSON nesting limit (default "
    CLI_STR(SERVE_MAX_DEPTH) "; 400 above)\n"
    "  --max-contacts N        contacts in one add-contacts request (default "
    CLI_STR(SERVE_MAX_CONTACTS) ")\n"
    "  --idle-timeout S        close idle keep-alive connections after S s (default "
    CLI_STR(SERVE_IDLE_S) ")\n"
    "  --rate-limit N          requests per second per API client, then 429 with\n"
    "                          Retry-After (default 0: off)\n"
    "  --rate-burst N          requests at once per API client (default: the rate)\n"
    "  --list-cache-mb N       memory for rendered Get All Campaigns pages, keyed\n"
    "                          by the tenant's write version (default "
    CLI_STR(SERVE_LIST_CACHE_MB) "; 0: off)\n"
    "  --request-timeout S     a request's headers and body must arrive within S s\n"
    "                          in all (then 408), and a response must be read\n"
    "                          within S s (default " CLI_STR(SERVE_REQUEST_S) ")\n"
    "  --max-conns N           connections at once (default: " CLI_STR(SERVE_MAX_CONNS)
    ", or less\n"
    "                          when the open-file limit cannot be raised); when\n"
    "                          full, the oldest idle one is closed for a new one,\n"
    "                          or the new one is answered 503\n"
    "  --max-conns-per-ip N    connections at once from one address, then 429\n"
    "                          (default 0: no limit)\n"
    "  --drain-s S             at a stop, keep serving new connections for S s\n"
    "                          (default " CLI_STR(SERVE_DRAIN_S) ")\n"
    "  --tls-cert FILE         serve HTTPS (TLS 1.2/1.3, AEAD ciphers only) with this\n"
    "                          PEM certificate chain ...\n"
    "  --tls-key FILE          ... and this PEM private key (both or neither)\n"
    "  --channel NAME          none (the default, except with --demo: campaigns never\n"
    "                          run by themselves),\n"
    "                          simulator (campaigns run; nothing is delivered to\n"
    "                          anyone: outcomes are drawn, see execution spec §5.1) or\n"
    "                          webhook (each attempt is a signed POST to --webhook-url)\n"
    "  --webhook-url URL       where the webhook channel posts attempts (http or https)\n"
    "  --webhook-secret SECRET whsec_<base64 key>: signs the attempts and verifies the\n"
    "                          outcome callbacks (Standard Webhooks); give it twice\n"
    "                          during a key rotation\n"
    "  --webhook-timeout S     one webhook request's time-out (default "
    CLI_STR(SERVE_WEBHOOK_TIMEOUT_S) ")\n"
    "  --attempt-timeout S     an accepted attempt with no outcome after S s of clock\n"
    "                          time ends as timeout (default: maxRingTime + 60 for\n"
    "                          voice, 300 for SMS)\n"
    "  --pace N                attempts started per clock second per campaign\n"
    "                          (default " CLI_STR(SERVE_PACE) "; 0: no limit)\n"
    "  --tenant-pace N         attempts started per clock second per tenant, across its\n"
    "                          campaigns, higher priority first (default "
    CLI_STR(SERVE_TENANT_PACE) "; 0: no limit)\n"
    "  --max-inflight N        attempts awaiting an outcome per campaign (default "
    CLI_STR(SERVE_INFLIGHT) ")\n"
    "  --lease-s S             an attempt sent but not accepted is sent again with\n"
    "                          the same id after S s (default " CLI_STR(SERVE_LEASE_S) ")\n"
    "  --sim-seed N            the simulator's seed (default 1)\n"
    "  --sim-voice LIST        the simulator's voice outcomes, outcome=percent,...\n"
    "                          summing to 100 (default completed=70,noAnswer=15,\n"
    "                          busy=10,failed=5)\n"
    "  --sim-sms LIST          the same for SMS (default completed=97,failed=3)\n"
    "  --sim-log FILE          the simulator appends one JSON line per attempt it\n"
    "                          acts on, and reads the file at start so that an\n"
    "                          attempt sent again after a restart is not acted on twice\n"
    "  --sim-latency-ms MS     the simulator answers MS ms of clock time after an\n"
    "                          attempt (default " CLI_STR(SERVE_SIM_LATENCY_MS) ")\n"
    "  --schedule-grace S      an occurrence missed while campaignd was down fires\n"
    "                          at start if at most S s late (default "
    CLI_STR(SERVE_GRACE_S) ")\n"
    "  --metrics-listen HOST:PORT\n"
    "                          serve GET /metrics (Prometheus text format) there; the\n"
    "                          API's listener never serves it (default: not served)\n"
    "  --log-file FILE         write the log there (appended) instead of stderr;\n"
    "                          SIGHUP opens the path again (for logrotate)\n"
    "  --no-access-log         do not write the access log (stderr by default)\n"
    "  --log-level LEVEL       error, warn, info (default) or debug\n";

static void print_demo(const struct store_creds *cr, uint16_t port)
{
    char *tok = auth_sign_token(cr->client_id, cr->secret, timefmt_now_ms() / 1000, 30 * 86400);
    printf("campaignd demo tenant\n"
           "  accountId:    %s\n  streamId:     %s\n  clientId:     %s\n  clientSecret: %s\n"
           "  token (30 days):\n"
           "TOKEN=%s\n\n"
           "List the documented SMS campaigns:\n\n"
           "curl --location 'http://127.0.0.1:%u/campaign/api/v2/public/%s/campaign/"
           "getAllCampaignDetails?accountId=%s' \\\n"
           "--header \"auth: $TOKEN\" \\\n"
           "--header 'accountid: %s' \\\n"
           "--header 'iid: %s' \\\n"
           "--header 'Content-Type: application/json' \\\n"
           "--data '{\n"
           "  \"limit\": 50,\n  \"skip\": 0,\n  \"page\": 1,\n"
           "  \"startDate\": \"2025-12-01T00:00:00.000Z\",\n"
           "  \"endDate\" : \"2025-12-08T00:00:00.000Z\",\n"
           "  \"type\" :\"sms\",\n"
           "  \"sortBy\": {\n    \"createdAt\": \"desc\"\n  },\n"
           "  \"filters\": {\n    \"status\": [\"Ready\", \"Stopped\"],\n    \"priority\": [5] \n  }\n"
           "}\n'\n\n",
           cr->account_id, cr->stream_id, cr->client_id, cr->secret, tok ? tok : "?",
           (unsigned)port, cr->stream_id, cr->account_id, cr->account_id, cr->stream_id);
    fflush(stdout);
    free(tok);
}

/* The runs demo: starts its campaigns and says how to watch them. */
static void demo_runs(struct store *s, uint16_t port)
{
    struct store_creds cr;
    struct apierr e;
    apierr_init(&e);
    if (demo_runs_start(s, &cr, &e) != 0) {
        cli_fail("serve --demo (runs)", &e);
        apierr_clear(&e);
        return;
    }
    char *tok = auth_sign_token(cr.client_id, cr.secret, timefmt_now_ms() / 1000, 30 * 86400);
    printf("Campaigns running on the simulator (nothing is delivered to anyone):\n"
           "\"Demo voice run\" and \"Demo SMS run\" of stream %s start a new run\n"
           "at every start of the demo, over 306 contacts in five time zones.\n\n"
           "RUNS_TOKEN=%s\n\n"
           "Watch the voice run's contacts fill in (dialerOutcome, numberOfAttemptsSoFar):\n\n"
           "curl -s 'http://127.0.0.1:%u/campaign/api/v2/public/%s/campaign/"
           "getAllCampaignDetails?accountId=%s' \\\n"
           "--header \"auth: $RUNS_TOKEN\" --header 'accountid: %s' --header 'iid: %s' \\\n"
           "--header 'Content-Type: application/json' --data '{\"type\": \"voice\"}'\n\n"
           "then, with its _id as CID:\n\n"
           "curl -s -X POST 'http://127.0.0.1:%u/campaign/api/v2/public/%s/campaign/"
           "'$CID'/status?view=contacts&accountId=%s' \\\n"
           "--header \"auth: $RUNS_TOKEN\" --header 'accountid: %s' --header 'iid: %s' \\\n"
           "--header 'Content-Type: application/json' --data '{\"limit\": 20}'\n\n"
           "or: ./campaignd campaign progress --account %s --stream %s --campaign $CID\n\n",
           cr.stream_id, tok ? tok : "?", (unsigned)port, cr.stream_id, cr.account_id,
           cr.account_id, cr.stream_id, (unsigned)port, cr.stream_id, cr.account_id,
           cr.account_id, cr.stream_id, cr.account_id, cr.stream_id);
    fflush(stdout);
    free(tok);
    apierr_clear(&e);
}

/* What serve runs with. */
struct serve_opts {
    struct server_config cfg;
    const char *db, *db_read;
    int demo, pool; /* pool 0: one connection per thread */
    int drain_s;
    const char *tls_cert, *tls_key; /* file paths */
    const char *sim_log;
    const char *log_file;
    struct sim_mix sim_voice, sim_sms;
    int has_sim_voice, has_sim_sms;
    int channel;                    /* 0 none, 1 simulator, 2 webhook */
    const char *webhook_url;
    struct whsig keys;              /* --webhook-secret */
    int webhook_timeout_s, attempt_timeout_s;
    int channel_given;              /* --channel was given (else --demo means simulator) */
    int grace_s, pace, tenant_pace, inflight, lease_s, sim_seed, sim_latency_ms;
    long nofile, nofile_was; /* the open-file limit now and before serve */
};

enum {
    O_LISTEN = 1, O_DEMO, O_DB, O_THREADS, O_BODY, O_HEADERS, O_URL, O_DEPTH, O_IDLE, O_REQ,
    O_NOLOG, O_LEVEL, O_HELP, O_CONTACTS, O_POOL, O_DBREAD, O_RATE, O_BURST, O_LCACHE,
    O_CONNS, O_CONNS_IP, O_DRAIN, O_TLS_CERT, O_TLS_KEY, O_CHANNEL, O_GRACE,
    O_PACE, O_INFLIGHT, O_LEASE, O_SIM_SEED, O_SIM_LATENCY, O_SIM_LOG, O_SIM_VOICE, O_SIM_SMS,
    O_WH_URL, O_WH_SECRET, O_WH_TIMEOUT, O_ATTEMPT_TIMEOUT, O_TENANT_PACE, O_METRICS, O_LOG_FILE
};

static const struct option serve_options[] = {
    {"listen", required_argument, NULL, O_LISTEN},
    {"demo", no_argument, NULL, O_DEMO},
    {"db", required_argument, NULL, O_DB},
    {"threads", required_argument, NULL, O_THREADS},
    {"db-pool", required_argument, NULL, O_POOL},
    {"db-read", required_argument, NULL, O_DBREAD},
    {"rate-limit", required_argument, NULL, O_RATE},
    {"rate-burst", required_argument, NULL, O_BURST},
    {"list-cache-mb", required_argument, NULL, O_LCACHE},
    {"max-body", required_argument, NULL, O_BODY},
    {"max-headers", required_argument, NULL, O_HEADERS},
    {"max-url", required_argument, NULL, O_URL},
    {"max-depth", required_argument, NULL, O_DEPTH},
    {"max-contacts", required_argument, NULL, O_CONTACTS},
    {"idle-timeout", required_argument, NULL, O_IDLE},
    {"request-timeout", required_argument, NULL, O_REQ},
    {"max-conns", required_argument, NULL, O_CONNS},
    {"max-conns-per-ip", required_argument, NULL, O_CONNS_IP},
    {"drain-s", required_argument, NULL, O_DRAIN},
    {"tls-cert", required_argument, NULL, O_TLS_CERT},
    {"tls-key", required_argument, NULL, O_TLS_KEY},
    {"channel", required_argument, NULL, O_CHANNEL},
    {"schedule-grace", required_argument, NULL, O_GRACE},
    {"pace", required_argument, NULL, O_PACE},
    {"max-inflight", required_argument, NULL, O_INFLIGHT},
    {"tenant-pace", required_argument, NULL, O_TENANT_PACE},
    {"lease-s", required_argument, NULL, O_LEASE},
    {"sim-seed", required_argument, NULL, O_SIM_SEED},
    {"sim-latency-ms", required_argument, NULL, O_SIM_LATENCY},
    {"sim-log", required_argument, NULL, O_SIM_LOG},
    {"sim-voice", required_argument, NULL, O_SIM_VOICE},
    {"sim-sms", required_argument, NULL, O_SIM_SMS},
    {"webhook-url", required_argument, NULL, O_WH_URL},
    {"webhook-secret", required_argument, NULL, O_WH_SECRET},
    {"webhook-timeout", required_argument, NULL, O_WH_TIMEOUT},
    {"attempt-timeout", required_argument, NULL, O_ATTEMPT_TIMEOUT},
    {"metrics-listen", required_argument, NULL, O_METRICS},
    {"log-file", required_argument, NULL, O_LOG_FILE},
    {"no-access-log", no_argument, NULL, O_NOLOG},
    {"log-level", required_argument, NULL, O_LEVEL},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

/* The ranges of the integer options. */
static const struct {
    int id;
    long min, max;
} serve_ranges[] = {
    {O_THREADS, 1, 256},        {O_POOL, 1, 1024},     {O_RATE, 0, 1000000},
    {O_BURST, 1, 1000000},      {O_LCACHE, 0, 65536},  {O_BODY, 1, 1L << 30},
    {O_HEADERS, 256, 1L << 20}, {O_URL, 64, 1L << 20}, {O_DEPTH, 2, 1000},
    {O_CONTACTS, 1, 1000000},   {O_IDLE, 1, 86400},    {O_REQ, 1, 3600},
    {O_CONNS, 1, 1 << 20},      {O_CONNS_IP, 0, 1 << 20}, {O_DRAIN, 0, 3600},
    {O_GRACE, 0, 31 * 86400},   {O_PACE, 0, 1000000},  {O_INFLIGHT, 0, 1000000},
    {O_LEASE, 1, 86400},        {O_SIM_SEED, 0, 2147483647}, {O_SIM_LATENCY, 0, 3600000},
    {O_WH_TIMEOUT, 1, 300},     {O_ATTEMPT_TIMEOUT, 1, 7 * 86400}, {O_TENANT_PACE, 0, 1000000},
};

/* The defaults that serve_usage describes. */
static void serve_defaults(struct serve_opts *o)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (struct serve_opts){
        .cfg = {
            .listen = SERVE_LISTEN,
            .threads = ncpu > 0 ? (int)ncpu : 2,
            .limits = {.max_body = SERVE_MAX_BODY, .max_headers = SERVE_MAX_HEADERS,
                       .max_url = SERVE_MAX_URL, .max_depth = SERVE_MAX_DEPTH,
                       .max_contacts = SERVE_MAX_CONTACTS},
            .idle_timeout_s = SERVE_IDLE_S,
            .request_timeout_s = SERVE_REQUEST_S,
            .list_cache_bytes = (size_t)SERVE_LIST_CACHE_MB << 20,
        },
        .db_read = getenv("CAMPAIGND_DB_READ"),
        .drain_s = SERVE_DRAIN_S,
        .grace_s = SERVE_GRACE_S,
        .pace = SERVE_PACE,
        .tenant_pace = SERVE_TENANT_PACE,
        .inflight = SERVE_INFLIGHT,
        .lease_s = SERVE_LEASE_S,
        .sim_seed = 1,
        .sim_latency_ms = SERVE_SIM_LATENCY_MS,
        .webhook_timeout_s = SERVE_WEBHOOK_TIMEOUT_S,
    };
}

/* Stores the value v, already in its range, of integer option id. */
static void set_number(struct serve_opts *o, int id, long v)
{
    switch (id) {
    case O_THREADS: o->cfg.threads = (int)v; break;
    case O_POOL: o->pool = (int)v; break;
    case O_RATE: o->cfg.rate_limit = (double)v; break;
    case O_BURST: o->cfg.rate_burst = (double)v; break;
    case O_LCACHE: o->cfg.list_cache_bytes = (size_t)v << 20; break;
    case O_BODY: o->cfg.limits.max_body = (size_t)v; break;
    case O_HEADERS: o->cfg.limits.max_headers = (size_t)v; break;
    case O_URL: o->cfg.limits.max_url = (size_t)v; break;
    case O_DEPTH: o->cfg.limits.max_depth = (size_t)v; break;
    case O_CONTACTS: o->cfg.limits.max_contacts = (size_t)v; break;
    case O_IDLE: o->cfg.idle_timeout_s = (int)v; break;
    case O_REQ: o->cfg.request_timeout_s = (int)v; break;
    case O_CONNS: o->cfg.max_conns = (int)v; break;
    case O_CONNS_IP: o->cfg.max_conns_per_ip = (int)v; break;
    case O_DRAIN: o->drain_s = (int)v; break;
    case O_GRACE: o->grace_s = (int)v; break;
    case O_PACE: o->pace = (int)v; break;
    case O_TENANT_PACE: o->tenant_pace = (int)v; break;
    case O_INFLIGHT: o->inflight = (int)v; break;
    case O_LEASE: o->lease_s = (int)v; break;
    case O_SIM_SEED: o->sim_seed = (int)v; break;
    case O_SIM_LATENCY: o->sim_latency_ms = (int)v; break;
    case O_WH_TIMEOUT: o->webhook_timeout_s = (int)v; break;
    case O_ATTEMPT_TIMEOUT: o->attempt_timeout_s = (int)v; break;
    }
}

/* Integer option id given as --name v: CLI_GO once stored, else the exit
 * status 2 after saying why. */
static int number_option(struct serve_opts *o, int id, const char *name, const char *v)
{
    for (size_t i = 0; i < sizeof serve_ranges / sizeof serve_ranges[0]; i++) {
        if (serve_ranges[i].id != id)
            continue;
        long n, min = serve_ranges[i].min, max = serve_ranges[i].max;
        if (cli_parse_long(v, min, max, &n) != 0) {
            fprintf(stderr, "campaignd serve: --%s must be an integer from %ld to %ld\n", name,
                    min, max);
            return 2;
        }
        set_number(o, id, n);
        return CLI_GO;
    }
    return cli_usage(serve_usage, 2);
}

/* --log-level v: CLI_GO, or the exit status 2 after saying why. */
static int log_level_option(const char *v)
{
    if (strcmp(v, "error") == 0)
        log_set_level(LOG_ERROR);
    else if (strcmp(v, "warn") == 0)
        log_set_level(LOG_WARN);
    else if (strcmp(v, "info") == 0)
        log_set_level(LOG_INFO);
    else if (strcmp(v, "debug") == 0)
        log_set_level(LOG_DEBUG);
    else {
        fprintf(stderr, "campaignd serve: --log-level must be error, warn, info or debug\n");
        return 2;
    }
    return CLI_GO;
}

/* --sim-voice / --sim-sms v: CLI_GO, or the exit status 2 after saying why. */
static int sim_option(struct serve_opts *o, enum ctype t, const char *v)
{
    char err[200];
    struct sim_mix *m = t == CTYPE_SMS ? &o->sim_sms : &o->sim_voice;
    if (sim_mix_parse(v, t, m, err, sizeof err) != 0) {
        fprintf(stderr, "campaignd serve: %s\n", err);
        return 2;
    }
    *(t == CTYPE_SMS ? &o->has_sim_sms : &o->has_sim_voice) = 1;
    return CLI_GO;
}

/* --channel v: CLI_GO, or the exit status 2 after saying why. */
static int channel_option(struct serve_opts *o, const char *v)
{
    static const char *const names[] = {"none", "simulator", "webhook"};
    for (int i = 0; i < 3; i++)
        if (strcmp(v, names[i]) == 0) {
            o->channel = i;
            o->channel_given = 1;
            return CLI_GO;
        }
    fprintf(stderr, "campaignd serve: --channel must be none, simulator or webhook\n");
    return 2;
}

/* --webhook-secret v: CLI_GO, or the exit status 2 after saying why. */
static int secret_option(struct serve_opts *o, const char *v)
{
    if (whsig_add(&o->keys, v) == 0)
        return CLI_GO;
    fprintf(stderr, "campaignd serve: --webhook-secret must be whsec_ and the base64 of 1 to %d "
                    "bytes, given at most %d times\n",
            WHSIG_KEY_MAX, WHSIG_KEYS);
    return 2;
}

/* The webhook options, once all are read: CLI_GO or 2 after saying why. */
static int check_webhook(const struct serve_opts *o)
{
    const char *u = o->webhook_url;
    if (o->channel != 2) {
        if (u == NULL && o->keys.n == 0)
            return CLI_GO;
        fprintf(stderr, "campaignd serve: --webhook-url and --webhook-secret need --channel "
                        "webhook\n");
        return 2;
    }
    if (u == NULL || o->keys.n == 0) {
        fprintf(stderr, "campaignd serve: --channel webhook needs --webhook-url and "
                        "--webhook-secret\n");
        return 2;
    }
    if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0) {
        fprintf(stderr, "campaignd serve: --webhook-url must be an http:// or https:// URL\n");
        return 2;
    }
    return CLI_GO;
}

/* Option id (serve_options[index]; index -1 when getopt refused the
 * option, saying why) with its argument v: CLI_GO or an exit status
 * (cli.h). */
static int serve_option(struct serve_opts *o, int id, int index, const char *v)
{
    switch (id) {
    case O_LISTEN: o->cfg.listen = v; return CLI_GO;
    case O_METRICS: o->cfg.metrics_listen = v; return CLI_GO;
    case O_LOG_FILE:
        if (log_open_file(v) != 0) {
            fprintf(stderr, "campaignd serve: cannot open --log-file %s: %s\n", v,
                    strerror(errno));
            return 1;
        }
        o->log_file = v;
        return CLI_GO;
    case O_DEMO: o->demo = 1; return CLI_GO;
    case O_DB: o->db = v; return CLI_GO;
    case O_DBREAD: o->db_read = v; return CLI_GO;
    case O_TLS_CERT: o->tls_cert = v; return CLI_GO;
    case O_TLS_KEY: o->tls_key = v; return CLI_GO;
    case O_NOLOG: log_access_off(); return CLI_GO;
    case O_LEVEL: return log_level_option(v);
    case O_CHANNEL: return channel_option(o, v);
    case O_SIM_LOG: o->sim_log = v; return CLI_GO;
    case O_WH_URL: o->webhook_url = v; return CLI_GO;
    case O_WH_SECRET: return secret_option(o, v);
    case O_SIM_VOICE: return sim_option(o, CTYPE_VOICE, v);
    case O_SIM_SMS: return sim_option(o, CTYPE_SMS, v);
    case O_HELP: return cli_usage(serve_usage, 0);
    }
    if (index < 0)
        return cli_usage(serve_usage, 2);
    return number_option(o, id, serve_options[index].name, v);
}

/* CLI_GO or an exit status (cli.h). */
static int parse_serve(int argc, char **argv, struct serve_opts *o)
{
    serve_defaults(o);
    optind = 1;
    for (;;) {
        int index = -1, c = getopt_long(argc, argv, "", serve_options, &index);
        if (c == -1)
            break;
        int rc = serve_option(o, c, index, optarg);
        if (rc != CLI_GO)
            return rc;
    }
    if (optind < argc) {
        fprintf(stderr, "campaignd serve: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    if ((o->tls_cert == NULL) != (o->tls_key == NULL)) {
        fprintf(stderr, "campaignd serve: --tls-cert and --tls-key go together\n");
        return 2;
    }
    /* The demo shows campaigns running unless told otherwise. */
    if (o->demo && !o->channel_given)
        o->channel = 1;
    o->cfg.limits.runs = o->channel != 0;
    if (o->channel == 2)
        o->cfg.callback_keys = &o->keys;
    return check_webhook(o);
}

/* Signals are taken synchronously by this thread only (sigwait on *stop):
 * they are blocked before any worker thread exists, so every thread
 * inherits the mask. */
static void block_signals(sigset_t *stop)
{
    sigemptyset(stop);
    sigaddset(stop, SIGTERM);
    sigaddset(stop, SIGINT);
    sigaddset(stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, stop, NULL);
    signal(SIGPIPE, SIG_IGN);
}

#define PEM_MAX (1 << 20)

/* The whole of a small file (a PEM), NUL-terminated, or NULL after saying
 * why on stderr.  Caller frees. */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "campaignd serve: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = xmalloc(PEM_MAX + 1);
    size_t n = fread(buf, 1, PEM_MAX + 1, f);
    int err = ferror(f);
    fclose(f);
    if (err || n == 0 || n > PEM_MAX) {
        fprintf(stderr, "campaignd serve: cannot read %s: %s\n", path,
                err ? "read error" : n == 0 ? "empty file" : "larger than 1 MiB");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* Raises the open-file limit as far as the connection limit needs and the
 * hard limit allows, and fits the connection limit (given or the default)
 * under it (serve logs both). */
static void size_conns(struct serve_opts *o)
{
    int want = o->cfg.max_conns > 0 ? o->cfg.max_conns : SERVE_MAX_CONNS;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        rl.rlim_cur = rl.rlim_max = 1024;
    rlim_t was = rl.rlim_cur, need = (rlim_t)want + FD_RESERVE + 4 * (rlim_t)o->pool;
    if (rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            rl.rlim_cur = was;
    }
    long room = (long)rl.rlim_cur - FD_RESERVE - 4L * o->pool;
    if (room < 16)
        room = 16;
    if (want > room) {
        log_warn("--max-conns %d does not fit the open-file limit %ld; using %ld", want,
                 (long)rl.rlim_cur, room);
        want = (int)room;
    }
    o->cfg.max_conns = want;
    o->nofile = (long)rl.rlim_cur;
    o->nofile_was = (long)was;
}

/* Says which channel runs campaigns, and starts the runner over ch (NULL
 * for none).  The runner gets a store of its own (*own, one connection):
 * the parsed campaign docs a connection caches are handed out by
 * reference (store_int.h), and the runner's must not be shared with the
 * request threads. */
static struct runner *start_runner(const struct serve_opts *o, const char *url,
                                   struct channel *ch, struct runner_metrics *rm,
                                   struct store **own)
{
    *own = NULL;
    if (ch == NULL) {
        log_info("channel: none: campaigns will not run (schedules never fire, runs never "
                 "progress); start with --channel simulator to run them");
        return NULL;
    }
    int64_t lease_ms = (int64_t)o->lease_s * 1000;
    if (o->channel == 2) {
        /* An attempt's lease must outlast the requests of the pass that
         * sends it (two batches at most), in clock time. */
        int64_t need = (int64_t)((2.0 * o->webhook_timeout_s + 5) * 1000 * timefmt_clock_rate());
        if (lease_ms < need)
            lease_ms = need;
        log_info("channel: webhook: attempts are posted to %s (%d key%s, time-out %d s); "
                 "pace %d/s per campaign, %d/s per tenant, %d in flight, lease %lld ms, "
                 "schedule grace %d s",
                 o->webhook_url, o->keys.n, o->keys.n > 1 ? "s" : "", o->webhook_timeout_s,
                 o->pace, o->tenant_pace, o->inflight, (long long)lease_ms, o->grace_s);
    } else {
        log_info("channel: simulator: nothing is delivered to anyone; outcomes are drawn (seed "
                 "%d, %d ms); pace %d/s per campaign, %d/s per tenant, %d in flight, schedule "
                 "grace %d s",
                 o->sim_seed, o->sim_latency_ms, o->pace, o->tenant_pace, o->inflight, o->grace_s);
    }
    struct runner_config rc = {(int64_t)o->grace_s * 1000, o->pace, o->tenant_pace, o->inflight,
                               lease_ms, rm};
    if ((*own = cli_open_store(url, 1)) == NULL) {
        ch->close(ch);
        log_error("runner: no store of its own; campaigns will not run");
        return NULL;
    }
    return runner_start(*own, ch, &rc);
}

/* The channel o asks for (not none), or NULL after saying why. */
static struct channel *open_channel(const struct serve_opts *o)
{
    struct channel *ch;
    if (o->channel == 2) {
        struct webhook_config wc = {o->webhook_url, o->keys, (int64_t)o->webhook_timeout_s * 1000,
                                    (int64_t)o->attempt_timeout_s * 1000, (uint64_t)o->sim_seed};
        if ((ch = channel_webhook_open(&wc)) == NULL)
            fprintf(stderr, "campaignd serve: the webhook channel cannot start\n");
        return ch;
    }
    ch = channel_sim_open((uint64_t)o->sim_seed, o->sim_latency_ms, o->sim_log,
                          o->has_sim_voice ? &o->sim_voice : NULL,
                          o->has_sim_sms ? &o->sim_sms : NULL);
    if (ch == NULL)
        fprintf(stderr, "campaignd serve: cannot open --sim-log %s\n", o->sim_log);
    return ch;
}

/* Runs the server on s (and the replica rs, or NULL) until a signal of
 * stop, then drains it: the exit status. */
static int serve(const struct serve_opts *o, const char *url, struct store *s, struct store *rs,
                 const sigset_t *stop)
{
    struct apierr e;
    struct store_creds creds;
    struct server *srv = NULL;
    struct channel *ch = NULL;
    int rc = 1;
    /* The runner counts here, and the server reports it: it outlives both. */
    struct runner_metrics rm;
    runner_metrics_init(&rm);
    struct server_config cfg = o->cfg;
    if (o->channel != 0)
        cfg.runner_metrics = &rm;
    apierr_init(&e);
    if (o->channel != 0 && (ch = open_channel(o)) == NULL) {
        rc = 1; /* open_channel said why */
    } else if (o->demo && demo_ensure(s, &creds, &e) != 0) {
        cli_fail("serve --demo", &e);
    } else if ((srv = server_start(&cfg, s, rs, &e)) == NULL) {
        cli_fail("serve", &e);
    } else {
        if (o->demo)
            print_demo(&creds, server_port(srv));
        if (o->demo && ch != NULL)
            demo_runs(s, server_port(srv));
        char shown[256];
        store_url_redact(url, shown, sizeof shown);
        log_info("campaignd listening on %s (port %u), store %s, %d threads, %d connections "
                 "(open-file limit %ld, was %ld)",
                 o->cfg.listen, (unsigned)server_port(srv), shown, o->cfg.threads,
                 o->cfg.max_conns, o->nofile, o->nofile_was);
        if (o->cfg.metrics_listen != NULL)
            log_info("metrics: GET /metrics on %s (port %u)", o->cfg.metrics_listen,
                     (unsigned)server_metrics_port(srv));
        struct store *run_store;
        struct runner *run = start_runner(o, url, ch, &rm, &run_store);
        ch = NULL; /* the runner's now */
        /* systemd (Type=notify): ready once the API, the metrics and the
         * runner are up; a no-op without NOTIFY_SOCKET. */
        sd_notifyf(0, "READY=1\nSTATUS=serving on port %u", (unsigned)server_port(srv));
        int sig = 0;
        while (sigwait(stop, &sig) == 0 && sig == SIGHUP) {
            /* logrotate moved the log file: open its path again. */
            if (o->log_file == NULL)
                log_info("SIGHUP: there is no --log-file to reopen");
            else if (log_reopen() != 0)
                log_error("SIGHUP: cannot reopen %s: %s", o->log_file, strerror(errno));
            else
                log_info("SIGHUP: %s reopened", o->log_file);
        }
        sd_notify(0, "STOPPING=1");
        log_info("signal %d: stopping; serving new connections for %d s more", sig,
                 o->drain_s);
        runner_stop(run);
        store_close(run_store);
        server_stop(srv, o->drain_s, INFLIGHT_SECONDS);
        auth_cache_clear();
        log_info("stopped");
        rc = 0;
    }
    if (ch != NULL)
        ch->close(ch);
    apierr_clear(&e);
    return rc;
}

/* Opens the stores and serves: the exit status. */
static int open_and_serve(struct serve_opts *o, const sigset_t *stop)
{
    const char *url = cli_db_url(o->db);
    struct store *s = cli_open_store(url, o->pool), *rs = NULL;
    if (s == NULL)
        return 1;
    if (o->db_read != NULL && *o->db_read != '\0' &&
        (rs = cli_open_replica(o->db_read, o->pool)) == NULL) {
        store_close(s);
        return 1;
    }
    int rc = serve(o, url, s, rs, stop);
    store_close(rs);
    store_close(s);
    return rc;
}

int cli_serve(int argc, char **argv)
{
    struct serve_opts o;
    int rc = parse_serve(argc, argv, &o);
    if (rc != CLI_GO)
        return rc;
    sigset_t stop;
    block_signals(&stop);
    if (o.pool == 0)
        o.pool = o.cfg.threads;
    size_conns(&o);
    char *cert = NULL, *key = NULL;
    if (o.tls_cert != NULL &&
        ((cert = read_pem(o.tls_cert)) == NULL || (key = read_pem(o.tls_key)) == NULL)) {
        free(cert);
        return 1;
    }
    o.cfg.tls_cert_pem = cert;
    o.cfg.tls_key_pem = key;
    rc = open_and_serve(&o, &stop);
    free(cert);
    free(key);
    return rc;
}
