/* file_contents.c - file_contents_read() of file_contents.h, through the one
 * bounded reader of file_access.h. */
#include "file_contents.h"

#include "file_access.h"

enum tdxabi_status file_contents_read(const char *path, uint8_t **bytes, size_t *size,
				      struct diagnostic *diagnostic)
{
	char *text = NULL;
	enum tdxabi_status status = file_access_read(path, FILE_CONTENTS_LIMIT, &text, size, diagnostic);
	if (status == TDXABI_OK)
		*bytes = (uint8_t *)text;
	return status;
}
