/* text.h - plain text helpers over NUL-terminated UTF-8 strings (jansson's
 * strings are valid UTF-8); no JSON, no server types. */
#ifndef CAMPAIGND_TEXT_H
#define CAMPAIGND_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Number of Unicode code points in the UTF-8 string s. */
size_t text_utf8_len(const char *s);

/* Replaces, in place, every byte of s that is not part of a well-formed
 * UTF-8 sequence (overlong forms, surrogates and code points past U+10FFFF
 * included) with '?', so that s can become a JSON string.  Returns how many
 * bytes it replaced. */
size_t text_utf8_repair(char *s);

/* Whether s is well-formed UTF-8 (as text_utf8_repair judges it). */
bool text_utf8_valid(const char *s);

/* Whether code point cp is Unicode white space (White_Space=yes). */
bool text_is_space(uint32_t cp);

/* ASCII-lowered copy of s (A-Z -> a-z, all else unchanged); caller frees.
 * Names are compared case-insensitively in this form (family spec §1.2). */
char *text_lower(const char *s);

#endif
