/* main.c - campaignd: dispatches to the subcommands of contract.md §6. */
#include <curl/curl.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <math.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "cli.h"
#include "timefmt.h"
#include "version.h"
#include "xalloc.h"

#ifndef CAMPAIGND_LIBJWT_VERSION
#define CAMPAIGND_LIBJWT_VERSION "unknown"
#endif

static const char usage[] =
    "usage: campaignd COMMAND [OPTIONS]\n"
    "\n"
    "Campaign Management v2 API server.\n"
    "\n"
    "commands:\n"
    "  serve [--listen HOST:PORT] [--demo]   run the server (default 127.0.0.1:8080)\n"
    "  app create --account ID [--stream st-...] [--name TEXT]\n"
    "                                        create an account/app and an API client\n"
    "  token --client-id cs-... [--ttl SECONDS]\n"
    "                                        print a signed HS256 JWT for a client\n"
    "  client revoke|rotate --client-id cs-... [--grace S]\n"
    "                                        revoke a client, or give it a new secret\n"
    "  import --account ID --stream st-... FILE   load campaigns (FILE '-' = stdin)\n"
    "  export --account ID --stream st-... [--type voice|sms]\n"
    "                                        print a tenant's campaigns\n"
    "  campaign status|outcome|sent ...      admin changes of a campaign's run\n"
    "  registry add ...                      register an experience flow or template\n"
    "  openapi                               print the OpenAPI 3.1 description (JSON)\n"
    "  --version                             print the version and the linked libraries'\n"
    "\n"
    "Every command takes --db URL (a file path, sqlite:PATH or postgresql://...);\n"
    "the default is $CAMPAIGND_DB, else ./campaignd.db.  Every command also takes\n"
    "--clock-start RFC3339 and --clock-rate R (1 to 100000): the process's clock\n"
    "starts at that instant (default: the system's time) and runs R times faster\n"
    "than real time (execution spec §1).\n"
    "'campaignd COMMAND --help' describes each command's options.\n";

/* campaignd openapi: the description GET /openapi.json serves. */
static int print_openapi(int argc, char **argv)
{
    if (argc > 1) {
        fputs("usage: campaignd openapi\n"
              "Prints the OpenAPI 3.1 description of the API (JSON), the same bytes\n"
              "as GET /openapi.json.\n",
              strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    const struct asset *a = asset_get("openapi.json");
    return fwrite(a->data, 1, a->len, stdout) == a->len && fflush(stdout) == 0 ? 0 : 1;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"serve", cli_serve},       {"app", cli_app},       {"token", cli_token},
    {"import", cli_import},     {"export", cli_export}, {"campaign", cli_campaign},
    {"registry", cli_registry}, {"client", cli_client},     {"openapi", print_openapi},
};

/* Takes --clock-start and --clock-rate (also as --opt=VALUE) out of argv,
 * wherever they are, and starts the clock: the new argc, or -1 after
 * printing why. */
static int clock_options(int argc, char **argv)
{
    int64_t start = TIMEFMT_CLOCK_SYSTEM;
    double rate = 1;
    int out = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        size_t n = strcspn(a, "=");
        int is_start = strncmp(a, "--clock-start", n) == 0 && n == 13;
        int is_rate = strncmp(a, "--clock-rate", n) == 0 && n == 12;
        if (!is_start && !is_rate) {
            argv[out++] = argv[i];
            continue;
        }
        v = a[n] == '=' ? a + n + 1 : i + 1 < argc ? argv[++i] : NULL;
        char *end = NULL;
        if (is_start && (v == NULL || timefmt_parse(v, strlen(v), &start) != 0)) {
            fprintf(stderr, "campaignd: --clock-start must be an RFC 3339 timestamp such as "
                            "2026-03-08T06:00:00Z\n");
            return -1;
        }
        if (is_rate && (v == NULL || (rate = strtod(v, &end), end == v || *end != '\0') ||
                        !isfinite(rate) || rate < 1 || rate > 100000)) {
            fprintf(stderr, "campaignd: --clock-rate must be a number from 1 to 100000\n");
            return -1;
        }
    }
    argv[out] = NULL;
    timefmt_clock_init(start, rate);
    return out;
}

/* campaignd --version: its version and those of the libraries it runs
 * with (libjwt has no version call: the one it was built against). */
static int print_version(void)
{
    int pq = PQlibVersion();
    printf("campaignd %s\n", CAMPAIGND_VERSION);
    printf("libmicrohttpd %s\n", MHD_get_version());
    printf("jansson %s\n", jansson_version_str());
    printf("libjwt %s (built against)\n", CAMPAIGND_LIBJWT_VERSION);
    printf("sqlite %s\n", sqlite3_libversion());
    printf("libpq %d.%d\n", pq / 10000, pq % 10000);
    printf("openssl %s\n", OpenSSL_version(OPENSSL_VERSION_STRING));
    printf("libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
    return 0;
}

int main(int argc, char **argv)
{
    xalloc_init();
    if ((argc = clock_options(argc, argv)) < 0)
        return 2;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
        return print_version();
    const char *cmd = argv[1];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "campaignd: unknown command \"%s\"; see campaignd --help\n", cmd);
    return 2;
}
