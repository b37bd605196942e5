/* acceptance.h - findings a CI job has accepted: those recorded in a
 * baseline file (by fingerprint) and those --allow RULE[:function[:leaf]]
 * names. An accepted finding is still reported, marked, and does not fail
 * its case. Also writes a baseline of a report's findings. */
#ifndef TDXABI_ACCEPTANCE_H
#define TDXABI_ACCEPTANCE_H

#include <stdio.h>

#include "check_result.h"
#include "finding_groups.h"

struct allowed_finding {
	enum rule rule;
	char function[RESULT_NAME_SIZE]; /* "" any */
	char leaf[RESULT_NAME_SIZE];     /* "" any */
	char pattern[VIOLATION_TEXT_SIZE];
};

struct acceptance {
	char (*fingerprints)[FINDING_FINGERPRINT_SIZE];
	size_t fingerprint_count;
	char baseline_name[VIOLATION_PATH_SIZE];
	struct allowed_finding *allowed;
	size_t allowed_count;
};

/* Reads a baseline's text (lines "FINGERPRINT rule function ...", '#'
 * comments); a malformed line is an error naming name:line. */
enum tdxabi_status acceptance_read_baseline(struct acceptance *acceptance, const char *name,
					    const char *text, size_t size,
					    struct diagnostic *diagnostic);
/* Adds "RULE[:function[:leaf]]"; an unknown rule is an error. */
enum tdxabi_status acceptance_allow(struct acceptance *acceptance, const char *pattern,
				    struct diagnostic *diagnostic);
/* Marks every accepted violation; a failed case whose violations are all
 * accepted passes. */
void acceptance_apply(const struct acceptance *acceptance, struct check_report *report);
void acceptance_free(struct acceptance *acceptance);

/* One line per distinct finding of the report, as acceptance_read_baseline reads. */
void acceptance_write_baseline(FILE *stream, const struct check_report *report);

#endif
