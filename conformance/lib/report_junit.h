/* report_junit.h - JUnit XML (report_junit.c). */
#ifndef TDXABI_REPORT_JUNIT_H
#define TDXABI_REPORT_JUNIT_H

#include <stdio.h>

#include "check_result.h"
#include "report_digest.h"

/* The testsuites of each stub run in report, written as they come (to a
 * file of their own: the head of the document needs the totals). */
void report_junit_suites(FILE *stream, const struct check_report *report);
/* The document: the head with the digest's totals, then those suites. */
void report_junit_write(FILE *stream, const struct report_digest *digest, FILE *suites);

#endif
