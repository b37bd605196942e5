/* report.h - writes a check report in the formats of the CLI contract:
 * readable text, JSON (schema of DESIGN.md), JUnit XML, SARIF 2.1.0 and
 * KTAP, and how a report looks (colour, quiet, the trace command of a
 * failing case). The CLI owns the stream. */
#ifndef TDXABI_REPORT_H
#define TDXABI_REPORT_H

#include <stdio.h>

#include "check_result.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_JUNIT, REPORT_SARIF, REPORT_KTAP };

/* Writes the command that traces the case of result ("" when none can). */
typedef void (*trace_command_writer)(const void *context, const struct check_result *result,
				      char *text, size_t size);

struct report_options {
	bool colour;                        /* text: ANSI colours */
	bool quiet;                         /* text: failures and the summary only */
	trace_command_writer trace_command; /* NULL: no trace command is shown */
	const void *trace_context;
	const char *tool_version; /* SARIF's driver version; NULL: none */
};

bool report_format_parse(const char *text, enum report_format *format);
void report_write(FILE *stream, enum report_format format, const struct check_report *report,
		  const struct report_options *options);

#endif
