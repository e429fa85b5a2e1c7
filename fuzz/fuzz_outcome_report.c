/* fuzz_outcome_report.c - the outcome callback (execution spec §6): its
 * signature headers and its body.  The input is split at its first two
 * newlines into a webhook-timestamp, a webhook-signature and the body:
 *   - whsig_verify reads the two headers as untrusted text; the body signed
 *     by whsig_sign must verify, and the same body with one byte changed
 *     must not;
 *   - the body goes through jsonio_parse_object (depth 32) and report_parse.
 *
 * Aborts when: verify accepts a signature it did not make (for the input's
 * own header) with a timestamp out of the window, or refuses its own;
 * report_parse's result, the report and the error list disagree; an
 * accepted report's outcome is not a §4 outcome, or is dnc; its detail holds
 * a key other than the four view fields, or a value not of their type and
 * size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "jsonio.h"
#include "outcome.h"
#include "report.h"
#include "text.h"
#include "whsig.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW_S INT64_C(1767225600) /* 2026-01-01T00:00:00Z */

static void check_signatures(const char *ts, const char *sig, const char *body, size_t len)
{
    struct whsig w = {0};
    if (whsig_add(&w, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") != 0)
        abort();
    enum whsig_rc rc = whsig_verify(&w, "msg-1", ts, sig, body, len, NOW_S, WHSIG_TOLERANCE_S);
    if (rc == WHSIG_OK) {
        /* only a decimal timestamp within the window can pass */
        char *end;
        long long t = strtoll(ts, &end, 10);
        if (*end != '\0' || t < NOW_S - WHSIG_TOLERANCE_S || t > NOW_S + WHSIG_TOLERANCE_S)
            abort();
    }
    char own[WHSIG_HEADER_MAX + 1];
    whsig_sign(&w, "msg-1", NOW_S, body, len, own);
    if (whsig_verify(&w, "msg-1", "1767225600", own, body, len, NOW_S, WHSIG_TOLERANCE_S) !=
        WHSIG_OK)
        abort();
    if (len > 0) {
        char *other = xmalloc(len);
        memcpy(other, body, len);
        other[len / 2] ^= 1;
        if (whsig_verify(&w, "msg-1", "1767225600", own, other, len, NOW_S, WHSIG_TOLERANCE_S) ==
            WHSIG_OK)
            abort();
        free(other);
    }
}

static void check_text(const json_t *v)
{
    if (!json_is_string(v) || text_utf8_len(json_string_value(v)) > CONTRACT_CONTACT_FIELD_MAX)
        abort();
}

static void check_report(const char *body, size_t len)
{
    struct apierr e;
    apierr_init(&e);
    json_t *obj = jsonio_parse_object(body, len, 32, &e);
    if (obj == NULL) {
        apierr_clear(&e);
        return;
    }
    struct report r;
    int rc = report_parse(obj, &r, &e);
    if (rc == 0) {
        if (json_array_size(e.errors) != 0 || r.outcome < 0 || r.outcome >= OUT_COUNT ||
            r.outcome == OUT_DNC || !json_is_object(r.detail))
            abort();
        const char *k;
        json_t *v;
        json_object_foreach(r.detail, k, v)
        {
            if (strcmp(k, "agentDispositionCodes") == 0) {
                if (!json_is_array(v) || json_array_size(v) > CONTRACT_DISPOSITIONS_MAX)
                    abort();
                size_t i;
                json_t *x;
                json_array_foreach(v, i, x) check_text(x);
            } else if (strcmp(k, "botSessionId") == 0 || strcmp(k, "botOutboundStatus") == 0 ||
                       strcmp(k, "botOutboundStatusDetail") == 0) {
                check_text(v);
            } else {
                abort();
            }
        }
        report_clear(&r);
    } else if (rc != -1 || json_array_size(e.errors) == 0 || r.detail != NULL) {
        abort();
    }
    json_decref(obj);
    apierr_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* ts \n sig \n body; missing parts are empty */
    char *copy = xmalloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *ts = copy, *sig = memchr(copy, '\n', size), *body;
    size_t len;
    if (sig == NULL) {
        sig = body = copy + size;
    } else {
        *sig++ = '\0';
        body = memchr(sig, '\n', size - (size_t)(sig - copy));
        if (body == NULL)
            body = copy + size;
        else
            *body++ = '\0';
    }
    len = size - (size_t)(body - copy);
    check_signatures(ts, sig, body, len);
    check_report(body, len);
    free(copy);
    return 0;
}
