/* report_digest.h - what the end of a check run's reports needs, folded in
 * as each stub's results come: a line per stub (its names and counts), the
 * results with findings (copied), and a tally per leaf of each stub, so
 * that memory grows with the stubs, leaves and findings, not the cases. */
#ifndef TDXABI_REPORT_DIGEST_H
#define TDXABI_REPORT_DIGEST_H

#include <stddef.h>

#include "check_result.h"

/* One stub x build variant x binding x spec: the results of one run of it. */
struct stub_line {
	struct check_result head; /* its first result's names (no violations) */
	size_t pass, fail, skip;
	size_t findings_first, findings_end; /* its results in the digest's findings */
};

/* The cases of one leaf of one stub under one spec, whatever the fault,
 * variant, object or build variant. */
struct leaf_tally {
	char spec[RESULT_NAME_SIZE], stub[RESULT_NAME_SIZE], leaf[RESULT_NAME_SIZE];
	size_t pass, fail, skip;
	size_t first_failure; /* its first failing result in findings; SIZE_MAX: none */
	char first_skip_reason[VIOLATION_DETAIL_SIZE]; /* "" when none was skipped */
	bool skipped;
};

struct report_digest {
	struct check_report findings; /* the results with violations, in run order */
	struct stub_line *stubs;
	size_t stub_count, stub_capacity;
	struct leaf_tally *leaves; /* in the order they were first seen */
	size_t leaf_count, leaf_capacity;
	size_t *leaf_slots; /* open addressing over leaves: index + 1, 0 empty */
	size_t slot_count;
	size_t case_count;
	struct report_totals totals;
	double seconds; /* the cases' time */
};

/* Folds results (whole stub runs, as stub_check_run appends them) in. */
enum tdxabi_status report_digest_add(struct report_digest *digest, const struct check_report *report,
				     struct diagnostic *diagnostic);
void report_digest_free(struct report_digest *digest);
/* How many distinct build variants the digest's runs of a stub have. */
size_t report_digest_variants(const struct report_digest *digest, const char *stub);

#endif
