/* diagnostic.c - fills the one-line error value described in diagnostic.h. */
#include "diagnostic.h"

#include <stdarg.h>
#include <stdio.h>

enum tdxabi_status diagnostic_fail(struct diagnostic *diagnostic, enum tdxabi_status status,
				   const char *format, ...)
{
	if (diagnostic) {
		va_list arguments;
		va_start(arguments, format);
		vsnprintf(diagnostic->text, sizeof(diagnostic->text), format, arguments);
		va_end(arguments);
	}
	return status;
}
