/* json_text.h - writing text as a JSON string, whatever bytes it holds (a
 * name cut short in a fixed-size field, a byte from a hostile file). */
#ifndef TDXABI_JSON_TEXT_H
#define TDXABI_JSON_TEXT_H

#include <stdio.h>

void json_write_string(FILE *stream, const char *text);

#endif
