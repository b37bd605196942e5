/* finding_groups.c - finding_groups.h: the scope's violations sorted by
 * finding, each run of equal ones counted into one group, the groups put
 * back in report order. */
#include "finding_groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COUNTED_VARIANTS 64

static int by_finding(const void *left, const void *right)
{
	const struct finding_group *a = left, *b = right;
	int by_key = violation_compare_finding(a->violation, b->violation);
	if (by_key)
		return by_key;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int by_order(const void *left, const void *right)
{
	const struct finding_group *a = left, *b = right;
	return a->order < b->order ? -1 : a->order > b->order;
}

static bool in_scope(const struct check_report *report, const struct finding_scope *scope,
		     size_t index)
{
	return !scope->stub || strcmp(report->results[index].stub, scope->stub) == 0;
}

/* How many distinct build variants the results of entries [first, end) hold. */
static size_t count_variants(const struct check_report *report, const struct finding_group *entries,
			     size_t first, size_t end)
{
	const char *seen[MAX_COUNTED_VARIANTS];
	size_t count = 0;
	for (size_t index = first; index < end; index++) {
		const char *variant = report->results[entries[index].result].build_variant;
		bool known = false;
		for (size_t which = 0; which < count && !known; which++)
			known = strcmp(seen[which], variant) == 0;
		if (!known && count < MAX_COUNTED_VARIANTS)
			seen[count++] = variant;
	}
	return count;
}

enum tdxabi_status finding_groups_collect(const struct check_report *report,
					  const struct finding_scope *scope,
					  struct finding_group **groups, size_t *count)
{
	size_t total = 0, results = 0;
	for (size_t index = scope->first; index < scope->end; index++)
		if (in_scope(report, scope, index)) {
			total += report->results[index].violation_count;
			results++;
		}
	/* [0, total): the violations; [total, total + results): one entry per
	 * result, to count the scope's build variants */
	struct finding_group *entries = calloc(total + results + 1, sizeof(*entries));
	*groups = NULL;
	*count = 0;
	if (!entries)
		return TDXABI_OUT_OF_MEMORY;
	size_t used = 0, heads = total;
	for (size_t index = scope->first; index < scope->end; index++) {
		if (!in_scope(report, scope, index))
			continue;
		const struct check_result *result = &report->results[index];
		entries[heads++].result = index;
		for (size_t which = 0; which < result->violation_count; which++, used++) {
			entries[used].violation = &result->violations[which];
			entries[used].result = index;
			entries[used].order = used;
		}
	}
	size_t scope_variants = scope->variants ? scope->variants
						: count_variants(report, entries, total, total + results);
	qsort(entries, total, sizeof(*entries), by_finding);
	/* each run's first entry stands for it, counted and moved to the front */
	size_t kept = 0;
	for (size_t first = 0; first < total;) {
		size_t end = first + 1, cases = 1;
		for (; end < total &&
		       violation_compare_finding(entries[first].violation, entries[end].violation) == 0;
		     end++)
			cases += entries[end].result != entries[end - 1].result;
		entries[first].cases = cases;
		entries[first].variants = count_variants(report, entries, first, end);
		entries[first].scope_variants = scope_variants;
		entries[kept++] = entries[first];
		first = end;
	}
	qsort(entries, kept, sizeof(*entries), by_order);
	*groups = entries;
	*count = kept;
	return TDXABI_OK;
}

void finding_fingerprint(const struct check_result *result, const struct violation *violation,
			 char text[FINDING_FINGERPRINT_SIZE])
{
	char number[32];
	uint64_t hash = text_hash(TEXT_HASH_START, rule_id(violation->rule));
	hash = text_hash(hash, result->stub);
	snprintf(number, sizeof(number), "%d:%llx", violation->tdx_register,
		 (unsigned long long)violation->discriminator);
	hash = text_hash(hash, number);
	hash = text_hash(hash, violation->source_line ? violation->source_text
			 : violation->has_rip	 ? violation->location
						 : "");
	snprintf(text, FINDING_FINGERPRINT_SIZE, "%016llx", (unsigned long long)hash);
}

uint64_t text_hash(uint64_t hash, const char *text)
{
	for (const char *cursor = text;; cursor++) {
		hash = (hash ^ (unsigned char)*cursor) * 0x100000001b3ull;
		if (!*cursor)
			return hash;
	}
}
