/* cli_serve.c - `campaignd serve`: options, the demo, signals, shutdown. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "log.h"
#include "server.h"

#define DRAIN_SECONDS 10

static const char serve_usage[] =
    "usage: campaignd serve [--listen HOST:PORT] [--demo] [--db URL] [options]\n"
    "\n"
    "Runs the API server until SIGTERM or SIGINT, then stops accepting, finishes\n"
    "the requests in flight (up to 10 s) and closes the store.\n"
    "\n"
    "  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080;\n"
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
    "  --max-body BYTES        request body limit (default 1048576; 413 above)\n"
    "  --max-headers BYTES     request headers limit (default 16384; 431 above)\n"
    "  --max-url BYTES         request URL limit (default 16384; 414 above)\n"
    "  --max-depth N           JSON nesting limit (default 32; 400 above)\n"
    "  --max-contacts N        contacts in one add-contacts request (default 1000)\n"
    "  --idle-timeout S        close idle keep-alive connections after S s (default 30)\n"
    "  --rate-limit N          requests per second per API client, then 429 with\n"
    "                          Retry-After (default 0: off)\n"
    "  --rate-burst N          requests at once per API client (default: the rate)\n"
    "  --list-cache-mb N       memory for rendered Get All Campaigns pages, keyed\n"
    "                          by the tenant's write version (default 64; 0: off)\n"
    "  --request-timeout S     a request must arrive within S s (default 10)\n"
    "  --no-access-log         do not write the access log (stderr by default)\n"
    "  --log-level LEVEL       error, warn, info (default) or debug\n";

static void print_demo(const struct store_creds *cr, uint16_t port)
{
    char *tok = auth_sign_token(cr->client_id, cr->secret, (int64_t)time(NULL), 30 * 86400);
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

static int opt_long(const char *name, const char *v, long min, long max, long *out)
{
    if (cli_parse_long(v, min, max, out) == 0)
        return 0;
    fprintf(stderr, "campaignd serve: --%s must be an integer from %ld to %ld\n", name, min, max);
    return -1;
}

int cli_serve(int argc, char **argv)
{
    enum { O_LISTEN = 1, O_DEMO, O_DB, O_THREADS, O_BODY, O_HEADERS, O_URL, O_DEPTH, O_IDLE,
           O_REQ, O_NOLOG, O_LEVEL, O_HELP, O_CONTACTS, O_POOL, O_DBREAD, O_RATE, O_BURST, O_LCACHE };
    static const struct option opts[] = {
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
        {"no-access-log", no_argument, NULL, O_NOLOG},
        {"log-level", required_argument, NULL, O_LEVEL},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    struct server_config cfg = {
        .listen = "127.0.0.1:8080",
        .threads = ncpu > 0 ? (int)ncpu : 2,
        .limits = {.max_body = 1048576, .max_headers = 16384, .max_url = 16384, .max_depth = 32,
                   .max_contacts = 1000},
        .idle_timeout_s = 30,
        .request_timeout_s = 10,
        .list_cache_bytes = (size_t)64 << 20,
    };
    const char *db = NULL, *db_read = getenv("CAMPAIGND_DB_READ");
    int demo = 0, c, pool = 0;
    long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_LISTEN: cfg.listen = optarg; break;
        case O_DEMO: demo = 1; break;
        case O_LCACHE:
            if (opt_long("list-cache-mb", optarg, 0, 65536, &v)) return 2;
            cfg.list_cache_bytes = (size_t)v << 20;
            break;
        case O_DB: db = optarg; break;
        case O_THREADS:
            if (opt_long("threads", optarg, 1, 256, &v)) return 2;
            cfg.threads = (int)v;
            break;
        case O_BODY:
            if (opt_long("max-body", optarg, 1, 1L << 30, &v)) return 2;
            cfg.limits.max_body = (size_t)v;
            break;
        case O_HEADERS:
            if (opt_long("max-headers", optarg, 256, 1L << 20, &v)) return 2;
            cfg.limits.max_headers = (size_t)v;
            break;
        case O_URL:
            if (opt_long("max-url", optarg, 64, 1L << 20, &v)) return 2;
            cfg.limits.max_url = (size_t)v;
            break;
        case O_DEPTH:
            if (opt_long("max-depth", optarg, 2, 1000, &v)) return 2;
            cfg.limits.max_depth = (size_t)v;
            break;
        case O_POOL:
            if (opt_long("db-pool", optarg, 1, 1024, &v)) return 2;
            pool = (int)v;
            break;
        case O_DBREAD: db_read = optarg; break;
        case O_RATE:
            if (opt_long("rate-limit", optarg, 0, 1000000, &v)) return 2;
            cfg.rate_limit = (double)v;
            break;
        case O_BURST:
            if (opt_long("rate-burst", optarg, 1, 1000000, &v)) return 2;
            cfg.rate_burst = (double)v;
            break;
        case O_CONTACTS:
            if (opt_long("max-contacts", optarg, 1, 1000000, &v)) return 2;
            cfg.limits.max_contacts = (size_t)v;
            break;
        case O_IDLE:
            if (opt_long("idle-timeout", optarg, 1, 86400, &v)) return 2;
            cfg.idle_timeout_s = (int)v;
            break;
        case O_REQ:
            if (opt_long("request-timeout", optarg, 1, 3600, &v)) return 2;
            cfg.request_timeout_s = (int)v;
            break;
        case O_NOLOG: log_set_access(NULL); break;
        case O_LEVEL:
            if (strcmp(optarg, "error") == 0) log_set_level(LOG_ERROR);
            else if (strcmp(optarg, "warn") == 0) log_set_level(LOG_WARN);
            else if (strcmp(optarg, "info") == 0) log_set_level(LOG_INFO);
            else if (strcmp(optarg, "debug") == 0) log_set_level(LOG_DEBUG);
            else {
                fprintf(stderr, "campaignd serve: --log-level must be error, warn, info or debug\n");
                return 2;
            }
            break;
        case O_HELP: fputs(serve_usage, stdout); return 0;
        default: fputs(serve_usage, stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "campaignd serve: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }

    /* Signals are taken synchronously by this thread only: block them before
     * any worker thread exists, so every thread inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    const char *url = cli_db_url(db);
    if (pool == 0)
        pool = cfg.threads;
    struct store *s = cli_open_store(url, pool), *rs = NULL;
    if (s == NULL)
        return 1;
    if (db_read != NULL && *db_read != '\0' && (rs = cli_open_replica(db_read, pool)) == NULL) {
        store_close(s);
        return 1;
    }
    struct apierr e;
    apierr_init(&e);
    struct store_creds creds;
    int rc = 1;
    struct server *srv = NULL;
    if (demo && demo_ensure(s, &creds, &e) != 0) {
        cli_fail("serve --demo", &e);
        goto out;
    }
    srv = server_start(&cfg, s, rs, &e);
    if (srv == NULL) {
        cli_fail("serve", &e);
        goto out;
    }
    if (demo)
        print_demo(&creds, server_port(srv));
    char shown[256];
    store_url_redact(url, shown, sizeof shown);
    log_info("campaignd listening on %s (port %u), store %s, %d threads", cfg.listen,
             (unsigned)server_port(srv), shown, cfg.threads);
    int sig = 0;
    sigwait(&stop, &sig);
    log_info("signal %d: stopping; finishing requests in flight", sig);
    server_stop(srv, DRAIN_SECONDS);
    auth_cache_clear();
    log_info("stopped");
    rc = 0;
out:
    apierr_clear(&e);
    store_close(rs);
    store_close(s);
    return rc;
}
