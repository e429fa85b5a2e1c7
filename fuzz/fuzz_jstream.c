/* fuzz_jstream.c - the streaming reader of import files (jstream.h) on
 * arbitrary bytes, from memory and through a FILE.  Whenever jansson reads
 * the whole input as an array, the stream must give exactly its elements,
 * each equal to jansson's; whatever the input, it must never read out of
 * bounds and always end.  Aborts otherwise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(struct jstream *s, json_t *whole)
{
    const char *e;
    size_t n, count = 0;
    long line;
    int rc;
    while ((rc = jstream_next(s, &e, &n, &line)) == 1) {
        if (line < 1)
            abort();
        if (whole != NULL) {
            json_t *one = json_loadb(e, n, JSON_DECODE_ANY, NULL);
            if (one == NULL || !json_equal(one, json_array_get(whole, count)))
                abort();
            json_decref(one);
        }
        count++;
    }
    if (whole != NULL && (rc != 0 || count != json_array_size(whole)))
        abort();
    if (rc < 0 && jstream_error(s)[0] == '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *whole = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!json_is_array(whole)) {
        json_decref(whole);
        whole = NULL;
    }
    struct jstream *s = jstream_mem((const char *)data, size);
    run(s, whole);
    jstream_free(s);
    if (size > 0) {
        FILE *f = fmemopen((void *)(uintptr_t)data, size, "rb");
        if (f != NULL) {
            s = jstream_file(f);
            run(s, whole);
            jstream_free(s);
            fclose(f);
        }
    }
    json_decref(whole);
    return 0;
}
