/* test_text.c - the plain text helpers (text.h): code points counted,
 * Unicode white space (White_Space=yes, exactly), ASCII lowering. */
#include "testutil.h"
#include <jansson.h>
#include <stdio.h>

#include "text.h"

static void test_utf8_len(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
    } cases[] = {
        {"", 0},
        {"a", 1},
        {"abc", 3},
        {"a\u20acb", 3},         /* a€b */
        {"\xc3\xa9", 1},         /* é, 2 bytes */
        {"\xe2\x80\xa8", 1},     /* U+2028, 3 bytes */
        {"\xf0\x9f\x98\x80", 1}, /* U+1F600, 4 bytes */
        {"\xf4\x8f\xbf\xbf", 1}, /* U+10FFFF */
        /* The first and last code point of each UTF-8 length. */
        {"\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80", 6},
        {"\ufeffx", 2},          /* a BOM is a code point */
        {"\t\n ", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (text_utf8_len(cases[i].s) != cases[i].n)
            fail_msg("case %zu: %zu code points, expected %zu", i, text_utf8_len(cases[i].s),
                     cases[i].n);
    /* Long strings: 1000 × each width. */
    static const char *const units[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
    for (size_t i = 0; i < 4; i++) {
        char *s = rep(units[i], 1000);
        assert_int_equal(strlen(s), 1000 * (i + 1));
        assert_int_equal(text_utf8_len(s), 1000);
        free(s);
    }
}

/* Unicode's White_Space property (PropList.txt): 25 code points. */
static void test_utf8_repair(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        size_t fixed;
    } cases[] = {
        {"", "", 0},
        {"plain ascii", "plain ascii", 0},
        {"Zo\xc3\xab \xf0\x9f\x98\x80", "Zo\xc3\xab \xf0\x9f\x98\x80", 0}, /* ë, U+1F600 */
        {"getAllContact\xccist", "getAllContact?ist", 1},  /* a lead byte without its tail */
        {"\xc0\xaf", "??", 2},                             /* overlong '/' */
        {"\xe0\x80\xaf", "???", 3},                       /* overlong, three bytes */
        {"\xed\xa0\x80", "???", 3},                       /* a surrogate, U+D800 */
        {"\xf4\x90\x80\x80", "????", 4},                 /* past U+10FFFF */
        {"\xf5\x80", "??", 2},                             /* no such lead byte */
        {"\xe2\x82", "??", 2},                             /* cut short at the end */
        {"\x80" "abc", "?abc", 1},                           /* a lone continuation */
        {"\xef\xbf\xbf\xf4\x8f\xbf\xbf", "\xef\xbf\xbf\xf4\x8f\xbf\xbf", 0}, /* U+FFFF, U+10FFFF */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        assert_int_equal(text_utf8_repair(buf), cases[i].fixed);
        assert_string_equal(buf, cases[i].out);
        json_t *j = json_string(buf); /* jansson takes every repaired string */
        assert_non_null(j);
        json_decref(j);
    }
}

static void test_is_space(void **state)
{
    (void)state;
    static const uint32_t space[] = {
        0x09,   0x0a,   0x0b,   0x0c,   0x0d,   0x20,   0x85,   0xa0,   0x1680,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
        0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
    };
    size_t n = sizeof space / sizeof space[0];
    for (size_t i = 0; i < n; i++)
        if (!text_is_space(space[i]))
            fail_msg("U+%04X is white space", (unsigned)space[i]);
    /* And nothing else in the whole code space: not the information
     * separators 0x1c-0x1f, ZERO WIDTH SPACE, MONGOLIAN VOWEL SEPARATOR
     * (no longer White_Space since Unicode 6.3), the BOM, NUL. */
    size_t count = 0;
    for (uint32_t cp = 0; cp <= 0x10ffff; cp++)
        count += text_is_space(cp);
    assert_int_equal(count, n);
    static const uint32_t not_space[] = {
        0x00,   0x08,   0x0e,   0x1c,   0x1f,   0x21,   0x84,   0x86,     0x9f,      0xa1,
        0x180e, 0x200b, 0x2060, 0xfeff, 0x1fff, 0x2030, 0x3001, 0x110000, UINT32_MAX};
    for (size_t i = 0; i < sizeof not_space / sizeof not_space[0]; i++)
        if (text_is_space(not_space[i]))
            fail_msg("U+%04X is not white space", (unsigned)not_space[i]);
}

static void test_lower(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"", ""},
        {"abc", "abc"},
        {"ABC", "abc"},
        {"Billing Reminder Voice Campaign123", "billing reminder voice campaign123"},
        {"AZ@[`{az", "az@[`{az"},
        {"\xc3\x89t\xc3\xa9 \xc3\x80", "\xc3\x89t\xc3\xa9 \xc3\x80"}, /* non-ASCII unchanged */
        {"\xc3\x89T\xc3\xa9", "\xc3\x89t\xc3\xa9"},
        {"\xef\xbc\xa1", "\xef\xbc\xa1"}, /* FULLWIDTH A unchanged */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *l = text_lower(cases[i][0]);
        assert_string_equal(l, cases[i][1]);
        assert_ptr_not_equal(l, cases[i][0]);
        free(l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_len),
        cmocka_unit_test(test_utf8_repair),
        cmocka_unit_test(test_is_space),
        cmocka_unit_test(test_lower),
    };
    return unit_run(tests);
}
