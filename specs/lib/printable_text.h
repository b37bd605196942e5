/* printable_text.h - keeps text that comes from files (ELF symbol names, spec
 * tables) printable: valid UTF-8 without control bytes, so one diagnostic is
 * one line and every report is valid JSON and XML. */
#ifndef TDXABI_PRINTABLE_TEXT_H
#define TDXABI_PRINTABLE_TEXT_H

#include <stddef.h>

/* Length of the valid UTF-8 character at text (1..4), 0 if invalid or cut
 * short by `available`. */
size_t utf8_character_length(const unsigned char *text, size_t available);
/* Copies text into out (size > 0), each control byte or invalid UTF-8 byte
 * replaced by '?', cut at a character boundary to fit. */
void printable_copy(char *out, size_t size, const char *text);

#endif
