/* fuzz_jwt.c - tokens: bytes as a NUL-terminated token -> auth_peek_app_id
 * and auth_verify_token with a fixed secret and a fixed now (contract §1).
 * The seed corpus holds tokens signed with FUZZ_SECRET. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SECRET "fuzz-secret-3b1f6a0c9e7d4258"
#define FUZZ_NOW 1765185441 /* 2025-12-08T09:17:21Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        xalloc_init();
        ready = 1;
    }
    char *tok = xmalloc(size + 1);
    memcpy(tok, data, size);
    tok[size] = '\0';

    char id[AUTH_TOKEN_MAX + 1];
    int peek = auth_peek_app_id(tok, id, sizeof id);
    if (peek == 0 && strlen(id) >= sizeof id)
        abort();
    int ok = auth_verify_token(tok, FUZZ_SECRET, FUZZ_NOW);
    if (ok != 0 && ok != -1)
        abort();
    if (ok == 0) {
        /* A valid token names its client, and is valid for this key only. */
        if (peek != 0)
            abort();
        if (auth_verify_token(tok, FUZZ_SECRET "x", FUZZ_NOW) == 0 ||
            auth_verify_token(tok, "", FUZZ_NOW) == 0)
            abort();
        if (auth_verify_token(tok, FUZZ_SECRET, FUZZ_NOW) != 0)
            abort(); /* deterministic */
    }
    free(tok);
    return 0;
}
