/* fuzz_webhook_answer.c - a gateway's answer to the webhook channel
 * (execution spec §5.2): the input's first two bytes are the HTTP status
 * (big-endian, taken modulo 700), the third the attempt's failed tries
 * (modulo WEBHOOK_TRIES) and, by its high bit, the campaign's type, then a Retry-After value up to
 * the first newline, then the body.  webhook_answer must classify it as the spec says.
 *
 * Aborts when: a 2xx is not accepted, or its outcome is not one the
 * campaign's type can report (or -1), or a detail comes without an outcome; a 408, 429,
 * 5xx or no answer is not a retry (before the sixth try) or channelError
 * (at it), or its delay is under the backoff of its try or over the
 * longest Retry-After; any other status is not channelError; the gateway's
 * health verdict disagrees with the class. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "log.h"
#include "outcome.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    log_set_level(LOG_ERROR);
    long status = (long)(((unsigned)data[0] << 8 | data[1]) % 700);
    int tries = (data[2] & 0x7f) % WEBHOOK_TRIES;
    enum ctype type = data[2] & 0x80 ? CTYPE_SMS : CTYPE_VOICE;
    const uint8_t *rest = data + 3;
    size_t n = size - 3;
    const uint8_t *nl = memchr(rest, '\n', n);
    size_t ra_len = nl ? (size_t)(nl - rest) : 0;
    char *ra = xmalloc(ra_len + 1);
    memcpy(ra, rest, ra_len);
    ra[ra_len] = '\0';
    const char *body = nl ? (const char *)nl + 1 : (const char *)rest;
    size_t len = nl ? n - ra_len - 1 : n;
    struct channel_result out;
    int bad =
        webhook_answer(status, body, len, nl ? ra : NULL, INT64_C(1767225600), tries, type, &out);
    int retryable =
        status == 0 || status == 408 || status == 429 || (status >= 500 && status < 600);
    if (status >= 200 && status < 300) {
        if (bad || out.kind != CH_ACCEPTED || out.outcome < -1 || out.outcome >= OUT_COUNT ||
            (out.outcome >= 0 && !outcome_reportable((enum outcome)out.outcome, type)) ||
            (out.outcome < 0 && out.detail != NULL) ||
            (out.outcome >= 0 && !json_is_object(out.detail)))
            abort();
    } else if (retryable) {
        if (!bad)
            abort();
        if (tries + 1 >= WEBHOOK_TRIES ? out.kind != CH_REJECTED : out.kind != CH_RETRY)
            abort();
        if (out.kind == CH_RETRY &&
            (out.at < (INT64_C(1000) << tries) ||
             out.at > (INT64_C(1000) << tries) + WEBHOOK_RETRY_AFTER_MAX * INT64_C(1000)))
            abort();
    } else if (bad || out.kind != CH_REJECTED) {
        abort();
    }
    json_decref(out.detail);
    free(ra);
    return 0;
}
