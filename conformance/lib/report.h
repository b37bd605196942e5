/* report.h - writes a check report in the three formats of the CLI contract:
 * readable text (one line per stub x binding, grouped findings, a summary),
 * JSON (schema 1 of DESIGN.md) and JUnit XML. The CLI owns the stream. */
#ifndef TDXABI_REPORT_H
#define TDXABI_REPORT_H

#include <stdio.h>

#include "check_result.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_JUNIT };

bool report_format_parse(const char *text, enum report_format *format);
void report_write(FILE *stream, enum report_format format, const struct check_report *report);


#endif
