/* main.c - campaignd: dispatches to the subcommands of contract.md §6. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xalloc.h"

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
    "\n"
    "Every command takes --db URL (a file path, sqlite:PATH or postgresql://...);\n"
    "the default is $CAMPAIGND_DB, else ./campaignd.db.\n"
    "'campaignd COMMAND --help' describes each command's options.\n";

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"serve", cli_serve},       {"app", cli_app},       {"token", cli_token},
    {"import", cli_import},     {"export", cli_export}, {"campaign", cli_campaign},
    {"registry", cli_registry}, {"client", cli_client},
};

int main(int argc, char **argv)
{
    xalloc_init();
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "campaignd: unknown command \"%s\"; see campaignd --help\n", cmd);
    return 2;
}
