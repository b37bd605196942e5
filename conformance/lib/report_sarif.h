/* report_sarif.h - SARIF 2.1.0 (report_sarif.c), as code-scanning services
 * read it: one result per distinct finding of a function. */
#ifndef TDXABI_REPORT_SARIF_H
#define TDXABI_REPORT_SARIF_H

#include <stdio.h>

#include "check_result.h"
#include "report_digest.h"
#include "report.h"

void report_write_sarif(FILE *stream, const struct report_digest *digest,
			const struct report_options *options);

#endif
