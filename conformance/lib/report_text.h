/* report_text.h - the readable report (report_text.c). */
#ifndef TDXABI_REPORT_TEXT_H
#define TDXABI_REPORT_TEXT_H

#include <stdio.h>

#include "check_result.h"
#include "report_digest.h"
#include "finding_groups.h"
#include "report.h"

void report_write_text(FILE *stream, const struct report_digest *digest,
		       const struct report_options *options);

/* The distinct findings of a scope, objtool-style, each once with how many
 * cases and build variants showed it. */
void report_write_findings(FILE *stream, const struct check_report *report,
			   const struct finding_scope *scope, const struct report_options *options);

#endif
