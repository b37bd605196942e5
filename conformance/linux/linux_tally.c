/* linux_tally.c - linux_tally.h: the sets and verdict counts folded in as
 * a --linux run's results pass. */
#include "linux_tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array_room.h"

static bool name_set_add(struct name_set *set, const char *name)
{
	for (size_t index = 0; index < set->count; index++)
		if (strcmp(set->names[index], name) == 0)
			return true;
	if (!array_make_room((void **)&set->names, &set->capacity, set->count, sizeof(*set->names)))
		return false;
	snprintf(set->names[set->count++], RESULT_NAME_SIZE, "%s", name);
	return true;
}

static bool only_cannot_express(const struct check_result *result)
{
	for (size_t index = 0; index < result->violation_count; index++)
		if (result->violations[index].rule != RULE_BINDING_CANNOT_EXPRESS)
			return false;
	return result->violation_count > 0;
}

const struct function_tally *linux_tally_function(const struct linux_tally *tally,
						  const char *function)
{
	for (size_t index = 0; index < tally->function_count; index++)
		if (strcmp(tally->functions[index].function, function) == 0)
			return &tally->functions[index];
	return NULL;
}

static struct function_tally *function_of(struct linux_tally *tally, const char *function)
{
	struct function_tally *found = (struct function_tally *)linux_tally_function(tally, function);
	if (found || !array_make_room((void **)&tally->functions, &tally->function_capacity,
			   tally->function_count, sizeof(*tally->functions)))
		return found;
	found = &tally->functions[tally->function_count++];
	memset(found, 0, sizeof(*found));
	snprintf(found->function, sizeof(found->function), "%s", function);
	return found;
}

static struct run_verdicts *run_of(struct linux_tally *tally, const struct check_result *result)
{
	for (size_t index = tally->run_count; index > 0; index--) {
		struct run_verdicts *run = &tally->runs[index - 1];
		if (strcmp(run->function, result->stub) == 0 &&
		    strcmp(run->object, result->object) == 0 &&
		    strcmp(run->build_variant, result->build_variant) == 0)
			return run;
	}
	if (!array_make_room((void **)&tally->runs, &tally->run_capacity, tally->run_count, sizeof(*tally->runs)))
		return NULL;
	struct run_verdicts *run = &tally->runs[tally->run_count++];
	memset(run, 0, sizeof(*run));
	snprintf(run->object, sizeof(run->object), "%s", result->object);
	snprintf(run->build_variant, sizeof(run->build_variant), "%s", result->build_variant);
	snprintf(run->function, sizeof(run->function), "%s", result->stub);
	return run;
}

static bool inexpressible_of(const struct check_result *result)
{
	return (result->verdict == VERDICT_SKIP && result->skip_kind == SKIP_CANNOT_EXPRESS) ||
	       (result->verdict == VERDICT_FAIL && only_cannot_express(result));
}

/* The leaf's first reason, as the binding's check gave it. */
static bool note_inexpressible(struct linux_tally *tally, const struct check_result *result)
{
	for (size_t index = 0; index < tally->inexpressible_count; index++)
		if (strcmp(tally->inexpressible[index].leaf, result->leaf) == 0)
			return true;
	if (!array_make_room((void **)&tally->inexpressible, &tally->inexpressible_capacity,
			     tally->inexpressible_count, sizeof(*tally->inexpressible)))
		return false;
	struct inexpressible_leaf *leaf = &tally->inexpressible[tally->inexpressible_count++];
	snprintf(leaf->leaf, sizeof(leaf->leaf), "%s", result->leaf);
	const char *reason = result->verdict == VERDICT_SKIP ? result->skip_reason
							     : result->violations[0].detail;
	const char *prefix = "binding-cannot-express: ";
	if (strncmp(reason, prefix, strlen(prefix)) == 0)
		reason += strlen(prefix);
	snprintf(leaf->reason, sizeof(leaf->reason), "%s", reason);
	return true;
}

bool linux_tally_carried(const struct linux_tally *tally, const char *leaf)
{
	for (size_t index = 0; index < tally->function_count; index++) {
		const struct name_set *set = &tally->functions[index].expressible;
		for (size_t which = 0; which < set->count; which++)
			if (strcmp(set->names[which], leaf) == 0)
				return true;
	}
	return false;
}

/* A leaf the binding cannot carry is a skip in a sweep, a failure when
 * --leaf names it; either way it is not one of the leaves expressed. */
static bool fold(struct function_tally *function, const struct check_result *result)
{
	bool inexpressible = inexpressible_of(result);
	bool failed = result->verdict == VERDICT_FAIL && !inexpressible;
	bool ran = result->verdict != VERDICT_SKIP && !inexpressible;
	return name_set_add(&function->leaves, result->leaf) &&
	       (inexpressible || name_set_add(&function->expressible, result->leaf)) &&
	       (!failed || name_set_add(&function->failed_leaves, result->leaf)) &&
	       (!ran || name_set_add(&function->faults, result->fault)) &&
	       (!failed || name_set_add(&function->failed_faults, result->fault)) &&
	       name_set_add(&function->variants, result->build_variant) &&
	       (result->verdict != VERDICT_FAIL ||
		name_set_add(&function->failed_variants, result->build_variant));
}

enum tdxabi_status linux_tally_add(struct linux_tally *tally, const struct check_report *report,
				   size_t first, struct diagnostic *diagnostic)
{
	for (size_t index = first; index < report->result_count; index++) {
		const struct check_result *result = &report->results[index];
		struct function_tally *function = function_of(tally, result->stub);
		struct run_verdicts *run = run_of(tally, result);
		if (!function || !run || !fold(function, result) ||
		    (inexpressible_of(result) && !note_inexpressible(tally, result)))
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		run->pass += result->verdict == VERDICT_PASS;
		run->fail += result->verdict == VERDICT_FAIL;
	}
	return TDXABI_OK;
}

void linux_tally_verdicts(const struct linux_tally *tally, const char *object,
			  const char *build_variant, const char *function, size_t *pass,
			  size_t *fail)
{
	*pass = *fail = 0;
	for (size_t index = 0; index < tally->run_count; index++) {
		const struct run_verdicts *run = &tally->runs[index];
		if (strcmp(run->object, object) == 0 && strcmp(run->build_variant, build_variant) == 0 &&
		    strcmp(run->function, function) == 0) {
			*pass += run->pass;
			*fail += run->fail;
		}
	}
}

void linux_tally_free(struct linux_tally *tally)
{
	for (size_t index = 0; index < tally->function_count; index++) {
		struct function_tally *function = &tally->functions[index];
		struct name_set *sets[] = {&function->leaves,      &function->expressible,
					   &function->failed_leaves, &function->faults,
					   &function->failed_faults, &function->variants,
					   &function->failed_variants};
		for (size_t which = 0; which < sizeof(sets) / sizeof(sets[0]); which++)
			free(sets[which]->names);
	}
	free(tally->functions);
	free(tally->runs);
	free(tally->inexpressible);
	memset(tally, 0, sizeof(*tally));
}
