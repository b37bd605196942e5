/* report_junit.h - JUnit XML (report_junit.c). */
#ifndef TDXABI_REPORT_JUNIT_H
#define TDXABI_REPORT_JUNIT_H

#include <stdio.h>

#include "check_result.h"

void report_write_junit(FILE *stream, const struct check_report *report);

#endif
