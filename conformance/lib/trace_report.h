/* trace_report.h - writes one case run traced (`tdxabi trace`): every
 * instruction with its address, source line, disassembly and what it
 * changed, how the call ended and what the checks found. */
#ifndef TDXABI_TRACE_REPORT_H
#define TDXABI_TRACE_REPORT_H

#include <stdio.h>

#include "report.h"
#include "stub_check.h"

enum tdxabi_status trace_report_write(FILE *stream, const struct traced_case *traced,
				      const struct report_options *options,
				      struct diagnostic *diagnostic);

#endif
