/* report_json.h - the JSON report, schema 1 of DESIGN.md (report_json.c). */
#ifndef TDXABI_REPORT_JSON_H
#define TDXABI_REPORT_JSON_H

#include <stdio.h>

#include "check_result.h"
#include "report.h"

/* Written as the run goes: the head, each stub's results as they come
 * (*written counts those before), the summary. */
void report_json_begin(FILE *stream);
void report_json_results(FILE *stream, const struct check_report *report,
			 const struct report_options *options, size_t *written);
void report_json_end(FILE *stream, struct report_totals totals);

#endif
