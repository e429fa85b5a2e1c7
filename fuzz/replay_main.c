/* replay_main.c - runs fuzz inputs through a libFuzzer target without
 * libFuzzer, so that the sanitized test build replays the corpus:
 *
 *   build/san/replay_fuzz_NAME DIR_OR_FILE...
 *
 * Every regular file of each directory (in name order, not recursive), and
 * every file named directly, goes through LLVMFuzzerTestOneInput once, from a
 * heap buffer of exactly its size so that ASan sees any over-read.  Prints how
 * many inputs ran.  Exits 1 when an argument is missing, unreadable, or a
 * directory without files; a crash in the target aborts as under libFuzzer. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_FILE_MAX (64u << 20) /* no corpus file comes near this */

/* Runs one file; returns 0, or -1 when it cannot be read. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    if (buf == NULL)
        abort();
    for (;;) {
        if (len == cap) {
            if (cap >= REPLAY_FILE_MAX) {
                fprintf(stderr, "replay: %s: larger than %u bytes\n", path, REPLAY_FILE_MAX);
                free(buf);
                fclose(f);
                return -1;
            }
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (nb == NULL)
                abort();
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "replay: %s: read error\n", path);
        free(buf);
        return -1;
    }
    /* An exactly sized copy: bytes past the input are not addressable. */
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL)
        abort();
    if (len > 0)
        memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Runs every regular file of dir; returns the count, or -1 on error. */
static long run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        size_t plen = strlen(dir) + 1 + strlen(de->d_name) + 1;
        char *path = malloc(plen);
        if (path == NULL)
            abort();
        snprintf(path, plen, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (nn == NULL)
                abort();
            names = nn;
        }
        names[n++] = path;
    }
    closedir(d);
    long ran = 0;
    if (n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (ran >= 0 && run_file(names[i]) == 0)
            ran++;
        else
            ran = -1;
        free(names[i]);
    }
    free(names);
    if (ran == 0) {
        fprintf(stderr, "replay: %s: no input files\n", dir);
        return -1;
    }
    return ran;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    long total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        long n;
        if (S_ISDIR(st.st_mode))
            n = run_dir(argv[i]);
        else
            n = run_file(argv[i]) == 0 ? 1 : -1;
        if (n < 0)
            return 1;
        total += n;
    }
    printf("replay: %ld inputs ran\n", total);
    return 0;
}
