/* audit_report.h - `tdxabi audit`'s report of the static audit of one or
 * more functions: text (the graph, the register sets, the stack, each TDX
 * instruction, then objtool-style findings), JSON, and SARIF through the
 * check report's writer. */
#ifndef TDXABI_AUDIT_REPORT_H
#define TDXABI_AUDIT_REPORT_H

#include <stdio.h>

#include "finding_source.h"
#include "report.h"
#include "static_audit.h"

struct audited_function {
	char object[RESULT_NAME_SIZE];
	char binding[RESULT_NAME_SIZE];
	char fixups[32];                             /* "__ex_table", or "" when the environment has none */
	struct audit_result result;                  /* findings with their source lines */
	struct source_location tdx_lines[AUDIT_MAX_TDX]; /* line 0: unknown */
};

/* The findings of each function as a check report (one failing or passing
 * result per function, leaf "static"): what SARIF and the text's finding
 * lines are written from. */
enum tdxabi_status audit_report_as_check(const struct audited_function *functions, size_t count,
					 struct check_report *report, struct diagnostic *diagnostic);
void audit_report_write(FILE *stream, enum report_format format,
			const struct audited_function *functions, size_t count,
			const struct report_options *options);

#endif
