/* report_text.h - the readable report (report_text.c). */
#ifndef TDXABI_REPORT_TEXT_H
#define TDXABI_REPORT_TEXT_H

#include <stdio.h>

#include "check_result.h"

void report_write_text(FILE *stream, const struct check_report *report);
/* The distinct findings of results [first, end), objtool-style. */
void report_write_findings(FILE *stream, const struct check_report *report, size_t first,
			   size_t end);

#endif
