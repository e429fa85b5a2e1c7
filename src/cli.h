/* cli.h - the subcommands of contract.md §6.  Each takes argc/argv starting
 * at the subcommand's own name and returns the process exit status. */
#ifndef CAMPAIGND_CLI_H
#define CAMPAIGND_CLI_H

#include "apierr.h"
#include "contract.h"
#include "store.h"

int cli_serve(int argc, char **argv);
int cli_app(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_client(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_campaign(int argc, char **argv);
int cli_registry(int argc, char **argv);

/* Shared helpers (cli_common.c). */

/* A macro's value as a string literal, for usage texts: CLI_STR(CONTRACT_ACCOUNT_MAX). */
#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)

/* What an option parser returns when the command should run; otherwise it
 * returns the process exit status: 0 after --help, 2 after a usage error,
 * the usage printed either way (cli_usage). */
#define CLI_GO (-1)
/* Prints usage on stdout for status 0 (--help), else on stderr; returns
 * status. */
int cli_usage(const char *usage, int status);
/* For `campaignd CMD SUB ...`: CLI_GO when argv[1] names a subcommand, else
 * the exit status after printing usage (2 when SUB is missing, 0 for
 * --help). */
int cli_sub(int argc, char **argv, const char *usage);

/* --db, else $CAMPAIGND_DB, else ./campaignd.db */
const char *cli_db_url(const char *flag);
/* Opens the store (a replica: without migrating) or prints the error; NULL
 * on failure. */
struct store *cli_open_store(const char *url, int pool);
struct store *cli_open_replica(const char *url, int pool);
/* Opens the store of --db (cli_db_url(db)) and finds the tenant (account,
 * stream): the store with *app_pk set, or NULL after printing why
 * ("campaignd <cmd>: ..."). */
struct store *cli_open_tenant(const char *cmd, const char *db, const char *account,
                              const char *stream, int64_t *app_pk);
/* Ends a command that opened s: unless rc is 0 prints e (cli_fail), then
 * clears e and closes s.  Returns the exit status: 0 when rc is 0, else 1. */
int cli_done(const char *cmd, int rc, struct apierr *e, struct store *s);
/* Prints "campaignd <cmd>: <message>[: field: msg; ...]" on stderr; returns 1. */
int cli_fail(const char *cmd, const struct apierr *e);
/* Parses a decimal in [min, max] into *out: 0, or -1 (out untouched). */
int cli_parse_long(const char *s, long min, long max, long *out);
/* Whether s is an account id: 1..CONTRACT_ACCOUNT_MAX of [A-Za-z0-9_-]. */
int cli_account_valid(const char *s);

/* The demo tenant (demo.c): creates it and loads the documented samples the
 * first time, reuses it afterwards.  Fills creds; returns 0 or -1 with e. */
int demo_ensure(struct store *s, struct store_creds *creds, struct apierr *e);
/* The runs demo (demo.c): creates its app, lists, contacts and campaigns
 * the first time, then starts a new run of each of its campaigns that is
 * not running.  Fills creds with its client; 0, or -1 with e. */
int demo_runs_start(struct store *s, struct store_creds *creds, struct apierr *e);
/* Loads a JSON array of import elements into (account, stream); all or
 * nothing.  Returns the number imported, or -1 with e (cli_io.c). */
long cli_import_text(struct store *s, int64_t app_pk, const char *text, size_t len,
                     struct apierr *e);

#endif
