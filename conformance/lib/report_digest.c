/* report_digest.c - report_digest_add() of report_digest.h. */
#include "report_digest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array_room.h"
#include "finding_groups.h"

static uint64_t leaf_key(const char *spec, const char *stub, const char *leaf)
{
	return text_hash(text_hash(text_hash(TEXT_HASH_START, spec), stub), leaf);
}

static void place(size_t *slots, size_t count, uint64_t key, size_t index)
{
	size_t slot = key % count;
	while (slots[slot])
		slot = (slot + 1) % count;
	slots[slot] = index + 1;
}

/* Slots for every leaf at twice the leaves' capacity. */
static bool rehash(struct report_digest *digest)
{
	size_t count = 2 * digest->leaf_capacity;
	size_t *slots = calloc(count, sizeof(*slots));
	if (!slots)
		return false;
	for (size_t index = 0; index < digest->leaf_count; index++) {
		const struct leaf_tally *tally = &digest->leaves[index];
		place(slots, count, leaf_key(tally->spec, tally->stub, tally->leaf), index);
	}
	free(digest->leaf_slots);
	digest->leaf_slots = slots;
	digest->slot_count = count;
	return true;
}

static struct leaf_tally *tally_of(struct report_digest *digest, const struct check_result *result)
{
	uint64_t key = leaf_key(result->spec, result->stub, result->leaf);
	for (size_t slot = digest->slot_count ? key % digest->slot_count : 0;
	     digest->slot_count && digest->leaf_slots[slot]; slot = (slot + 1) % digest->slot_count) {
		struct leaf_tally *tally = &digest->leaves[digest->leaf_slots[slot] - 1];
		if (strcmp(tally->leaf, result->leaf) == 0 && strcmp(tally->stub, result->stub) == 0 &&
		    strcmp(tally->spec, result->spec) == 0)
			return tally;
	}
	size_t capacity = digest->leaf_capacity;
	if (!array_make_room((void **)&digest->leaves, &digest->leaf_capacity, digest->leaf_count,
		  sizeof(*digest->leaves)))
		return NULL;
	struct leaf_tally *tally = &digest->leaves[digest->leaf_count++];
	memset(tally, 0, sizeof(*tally));
	snprintf(tally->spec, sizeof(tally->spec), "%s", result->spec);
	snprintf(tally->stub, sizeof(tally->stub), "%s", result->stub);
	snprintf(tally->leaf, sizeof(tally->leaf), "%s", result->leaf);
	tally->first_failure = SIZE_MAX;
	if (capacity == digest->leaf_capacity) {
		place(digest->leaf_slots, digest->slot_count, key, digest->leaf_count - 1);
	} else if (!rehash(digest)) { /* the capacity grew: the slots with it */
		digest->leaf_count--;
		return NULL;
	}
	return tally;
}

/* A copy of a result with findings, its violations its own. */
static enum tdxabi_status keep_findings(struct report_digest *digest,
					const struct check_result *result,
					struct diagnostic *diagnostic)
{
	struct check_result *kept = check_report_add(&digest->findings);
	struct violation *violations = malloc(result->violation_count * sizeof(*violations));
	if (!kept || !violations) {
		free(violations);
		if (kept)
			digest->findings.result_count--;
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	*kept = *result;
	memcpy(violations, result->violations, result->violation_count * sizeof(*violations));
	kept->violations = violations;
	return TDXABI_OK;
}

enum tdxabi_status report_digest_add(struct report_digest *digest, const struct check_report *report,
				     struct diagnostic *diagnostic)
{
	for (size_t first = 0; first < report->result_count;) {
		size_t end = check_report_group_end(report, first);
		if (!array_make_room((void **)&digest->stubs, &digest->stub_capacity, digest->stub_count,
			  sizeof(*digest->stubs)))
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		struct stub_line *line = &digest->stubs[digest->stub_count++];
		memset(line, 0, sizeof(*line));
		line->head = report->results[first];
		line->head.violations = NULL;
		line->head.violation_count = 0;
		line->findings_first = digest->findings.result_count;
		for (size_t index = first; index < end; index++) {
			const struct check_result *result = &report->results[index];
			struct leaf_tally *tally = tally_of(digest, result);
			if (!tally)
				return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
			if (result->violation_count) {
				enum tdxabi_status status = keep_findings(digest, result, diagnostic);
				if (status != TDXABI_OK)
					return status;
			}
			switch (result->verdict) {
			case VERDICT_PASS: line->pass++, tally->pass++, digest->totals.pass++; break;
			case VERDICT_FAIL:
				line->fail++, tally->fail++, digest->totals.fail++;
				if (tally->first_failure == SIZE_MAX && result->violation_count)
					tally->first_failure = digest->findings.result_count - 1;
				break;
			case VERDICT_SKIP:
				line->skip++, tally->skip++, digest->totals.skip++;
				if (!tally->skipped)
					snprintf(tally->first_skip_reason, sizeof(tally->first_skip_reason),
						 "%s", result->skip_reason);
				tally->skipped = true;
				break;
			}
			digest->seconds += result->seconds;
			digest->case_count++;
		}
		line->findings_end = digest->findings.result_count;
		first = end;
	}
	return TDXABI_OK;
}

void report_digest_free(struct report_digest *digest)
{
	check_report_free(&digest->findings);
	free(digest->stubs);
	free(digest->leaves);
	free(digest->leaf_slots);
	memset(digest, 0, sizeof(*digest));
}

size_t report_digest_variants(const struct report_digest *digest, const char *stub)
{
	size_t count = 0;
	for (size_t index = 0; index < digest->stub_count; index++) {
		const struct check_result *head = &digest->stubs[index].head;
		if (strcmp(head->stub, stub) != 0)
			continue;
		bool seen = false;
		for (size_t before = 0; before < index && !seen; before++)
			seen = strcmp(digest->stubs[before].head.stub, stub) == 0 &&
			       strcmp(digest->stubs[before].head.build_variant, head->build_variant) == 0;
		count += !seen;
	}
	return count;
}
