/* report_json.h - the JSON report, schema 1 of DESIGN.md (report_json.c). */
#ifndef TDXABI_REPORT_JSON_H
#define TDXABI_REPORT_JSON_H

#include <stdio.h>

#include "check_result.h"
#include "report.h"

void report_write_json(FILE *stream, const struct check_report *report,
		       const struct report_options *options);

#endif
