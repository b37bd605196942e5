/* json_text.c - JSON string output shared by the JSON reports: escapes,
 * and U+FFFD for any byte that is not UTF-8. */
#include "json_text.h"

#include <string.h>

#include "printable_text.h"

/* A JSON string: escapes, and U+FFFD for any byte that is not UTF-8 (a
 * name cut short in a fixed-size field, a byte from a hostile file). */
void json_write_string(FILE *stream, const char *text)
{
	fputc('"', stream);
	const unsigned char *cursor = (const unsigned char *)text;
	size_t remaining = strlen(text);
	while (remaining > 0) {
		size_t length = utf8_character_length(cursor, remaining);
		if (length == 0) {
			fputs("\\ufffd", stream);
			length = 1;
		} else if (*cursor == '"' || *cursor == '\\') {
			fprintf(stream, "\\%c", *cursor);
		} else if (*cursor == '\n' || *cursor == '\t') {
			fputs(*cursor == '\n' ? "\\n" : "\\t", stream);
		} else if (*cursor < 0x20 || *cursor == 0x7F) {
			fprintf(stream, "\\u%04x", *cursor);
		} else {
			fwrite(cursor, 1, length, stream);
		}
		cursor += length;
		remaining -= length;
	}
	fputc('"', stream);
}
