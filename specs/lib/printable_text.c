/* printable_text.c - UTF-8 validation and printable copies (see printable_text.h). */
#include "printable_text.h"

#include <stdbool.h>
#include <string.h>

size_t utf8_character_length(const unsigned char *text, size_t available)
{
	if (available == 0)
		return 0;
	unsigned char lead = text[0];
	size_t length;
	unsigned minimum;
	if (lead < 0x80)
		return 1;
	if (lead >= 0xC2 && lead <= 0xDF) {
		length = 2;
		minimum = 0x80;
	} else if (lead >= 0xE0 && lead <= 0xEF) {
		length = 3;
		minimum = 0x800;
	} else if (lead >= 0xF0 && lead <= 0xF4) {
		length = 4;
		minimum = 0x10000;
	} else {
		return 0;
	}
	if (available < length)
		return 0;
	unsigned code = lead & (0x7F >> length);
	for (size_t index = 1; index < length; index++) {
		if ((text[index] & 0xC0) != 0x80)
			return 0;
		code = code << 6 | (text[index] & 0x3F);
	}
	if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
		return 0;
	return length;
}

void printable_copy(char *out, size_t size, const char *text)
{
	const unsigned char *cursor = (const unsigned char *)text;
	size_t remaining = strlen(text), used = 0;
	while (remaining > 0) {
		size_t length = utf8_character_length(cursor, remaining);
		bool printable = length > 1 || (length == 1 && *cursor >= 0x20 && *cursor != 0x7F);
		size_t produced = printable ? length : 1;
		if (used + produced >= size)
			break;
		if (printable)
			memcpy(out + used, cursor, length);
		else
			out[used] = '?';
		used += produced;
		cursor += length ? length : 1;
		remaining -= length ? length : 1;
	}
	out[used] = '\0';
}
