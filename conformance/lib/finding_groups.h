/* finding_groups.h - the distinct findings of part of a report: violations
 * that are the same finding (violation_compare_finding) over its cases,
 * objects and build variants, each once, counted, in report order. */
#ifndef TDXABI_FINDING_GROUPS_H
#define TDXABI_FINDING_GROUPS_H

#include "check_result.h"

/* Results [first, end) of a report, those of one stub only unless stub is
 * NULL; `variants` is how many build variants the scope covers (0: as many
 * as its results hold), when the report holds only the results with findings. */
struct finding_scope {
	size_t first, end;
	const char *stub;
	size_t variants;
};

struct finding_group {
	const struct violation *violation; /* as its first case showed it */
	size_t result;                     /* that case's index in the report */
	size_t order;                      /* the violation's place in the scope */
	size_t cases;                      /* cases that showed it */
	size_t variants, scope_variants;   /* build variants that showed it, of the scope's */
};

/* Fills *groups (owned by the caller; free()) with *count groups. */
enum tdxabi_status finding_groups_collect(const struct check_report *report,
					  const struct finding_scope *scope,
					  struct finding_group **groups, size_t *count);

/* A finding's stable name, 16 hex digits: its rule, function, register and
 * the text of its source line (symbol+offset without one), so that it
 * survives lines moving and cases being renumbered. */
#define FINDING_FINGERPRINT_SIZE 17
void finding_fingerprint(const struct check_result *result, const struct violation *violation,
			 char text[FINDING_FINGERPRINT_SIZE]);

/* FNV-1a of text and its terminator, on from hash (TEXT_HASH_START to begin):
 * names hashed one after another never run together. */
#define TEXT_HASH_START 0xcbf29ce484222325ull
uint64_t text_hash(uint64_t hash, const char *text);

#endif
