/* linux_tally.h - what a --linux run keeps of each stub run's results as
 * they pass on to the reports: per function, the leaves, faults and build
 * variants it ran and failed; per object x build variant x function, its
 * verdicts (the kbuild comparison reads them). */
#ifndef TDXABI_LINUX_TALLY_H
#define TDXABI_LINUX_TALLY_H

#include <stdbool.h>
#include <stddef.h>

#include "check_result.h"

/* Distinct names, in the order first met. */
struct name_set {
	char (*names)[RESULT_NAME_SIZE];
	size_t count, capacity;
};

struct function_tally {
	char function[RESULT_NAME_SIZE];
	struct name_set leaves, expressible, failed_leaves;
	struct name_set faults, failed_faults;
	struct name_set variants, failed_variants;
};

struct run_verdicts {
	char object[RESULT_NAME_SIZE], build_variant[RESULT_NAME_SIZE], function[RESULT_NAME_SIZE];
	size_t pass, fail;
};

/* A leaf some function's binding could not carry, and why (its first). */
struct inexpressible_leaf {
	char leaf[RESULT_NAME_SIZE];
	char reason[VIOLATION_DETAIL_SIZE];
};

struct linux_tally {
	struct function_tally *functions;
	struct inexpressible_leaf *inexpressible;
	size_t inexpressible_count, inexpressible_capacity;
	size_t function_count, function_capacity;
	struct run_verdicts *runs;
	size_t run_count, run_capacity;
};

/* Folds in the results [first, report->result_count). */
enum tdxabi_status linux_tally_add(struct linux_tally *tally, const struct check_report *report,
				   size_t first, struct diagnostic *diagnostic);
/* NULL when the function had no result. */
const struct function_tally *linux_tally_function(const struct linux_tally *tally,
						  const char *function);
/* The verdicts of a function in one object and build variant (0 and 0: none). */
void linux_tally_verdicts(const struct linux_tally *tally, const char *object,
			  const char *build_variant, const char *function, size_t *pass,
			  size_t *fail);
/* Whether some function's binding carried the leaf in some case. */
bool linux_tally_carried(const struct linux_tally *tally, const char *leaf);
void linux_tally_free(struct linux_tally *tally);

#endif
