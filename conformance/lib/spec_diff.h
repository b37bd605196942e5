/* spec_diff.h - what changes between two spec revisions: leaves,
 * sub-functions, status codes and fields added, removed or changed (callee-
 * saved registers named), and per binding the leaves it carried under the
 * first and cannot under the second, or new ones it cannot carry. */
#ifndef TDXABI_SPEC_DIFF_H
#define TDXABI_SPEC_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "binding.h"
#include "spec_table.h"

enum spec_change { SPEC_ADDED, SPEC_REMOVED, SPEC_CHANGED };

/* A leaf or sub-function: `from` is NULL when added, `to` when removed. */
struct spec_row_change {
	enum spec_change change;
	const struct spec_leaf *from_leaf, *to_leaf;       /* leaves ... */
	const struct spec_vmcall *from_vmcall, *to_vmcall; /* ... or sub-functions */
	register_set inputs_added, inputs_removed;
	register_set zero_inputs_added, zero_inputs_removed; /* inputs required to be 0 */
	register_set outputs_added, outputs_removed;       /* outputs on every path */
	register_set path_outputs_added, path_outputs_removed; /* outputs on some paths */
	register_set version_inputs_added, version_inputs_removed;   /* from version 1 on */
	register_set version_outputs_added, version_outputs_removed;
	bool versions_changed;
	bool name_changed;
	bool exits_changed;   /* exits: vmm given or dropped */
	bool td_changed;      /* exits: td, no-rbp-mod-keeps: or -zeroes: given, dropped or changed */
	bool returns_changed; /* returns: never given or dropped */
	bool flags_changed;   /* out-flags: bits added or dropped */
	bool clears_changed;  /* clears: given, dropped or widened */
	/* callee-saved in a calling convention of the judged bindings */
	register_set callee_saved;
};

struct spec_status_change {
	enum spec_change change;
	const struct spec_status *from, *to;
};

struct spec_status_field_change {
	enum spec_change change;
	const struct spec_status_field *from, *to;
};

/* A leaf one binding carries under one revision and not the other. */
struct spec_binding_loss {
	const struct binding *binding;
	const struct spec_leaf *leaf;
	unsigned version;              /* of the leaf */
	const struct spec_vmcall *vmcall;
	bool new_leaf;                 /* absent from the first revision (or that version) */
	bool unusable;                 /* the second revision lacks the leaf the binding issues */
	char reason[192];              /* which registers the binding lacks */
};

struct spec_diff {
	const struct spec_table *from, *to;
	struct spec_row_change *rows;
	size_t row_count;
	struct spec_status_change *statuses;
	size_t status_count;
	struct spec_status_field_change *status_fields;
	size_t status_field_count;
	struct spec_binding_loss *losses;
	size_t loss_count;
};

/* Compares two revisions; bindings[0..binding_count) are judged. */
enum tdxabi_status spec_diff_build(const struct spec_table *from, const struct spec_table *to,
				   const struct binding *const *bindings, size_t binding_count,
				   struct spec_diff *diff, struct diagnostic *diagnostic);
void spec_diff_free(struct spec_diff *diff);

/* Whether anything changed at all. */
bool spec_diff_empty(const struct spec_diff *diff);

void spec_diff_write_text(FILE *stream, const struct spec_diff *diff);
void spec_diff_write_json(FILE *stream, const struct spec_diff *diff);

#endif
