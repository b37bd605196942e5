/* report_ktap.h - KTAP version 1 (report_ktap.c), as kselftest and KUnit
 * runners read it: spec revision -> function -> leaf. */
#ifndef TDXABI_REPORT_KTAP_H
#define TDXABI_REPORT_KTAP_H

#include <stdio.h>

#include "check_result.h"
#include "report_digest.h"

void report_write_ktap(FILE *stream, const struct report_digest *digest);

#endif
