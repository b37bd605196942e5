/* linux_test_support.h - what the kernel-tree suites share: the extracted
 * trees (skipping, saying so, when absent), their release, scratch copies to
 * edit, and runs of the --linux check with lookups into their summary. */
#ifndef TDXABI_LINUX_TEST_SUPPORT_H
#define TDXABI_LINUX_TEST_SUPPORT_H

#include "linux_check.h"
#include "test_support.h"

#define TREES TDXABI_TEST_CACHE "/trees"
#define BUILDS TDXABI_TEST_CACHE "/builds"

/* CACHE/trees/name, or a cmocka skip naming how to install it. */
const char *tree_named_or_skip(const char *name, const char *how_to_install);
/* Debian's linux-source-VERSION, extracted. */
const char *tree_or_skip(const char *version);
/* "6.12.118", from the tree's own Makefile. */
const char *tree_release(const char *tree);
void shell(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* A fresh copy of source under CACHE/scratch/name (static storage). */
const char *scratch_copy(const char *source, const char *name);
/* Replaces the first occurrence of old, failing the test when absent. */
void replace_in_file(const char *path, const char *old, const char *new);

struct linux_run {
	struct check_report report;
	struct linux_summary *summary;
	enum tdxabi_status status;
	struct diagnostic diagnostic;
};

void run_linux_in(const struct catalog *catalog, const char *tree, const char *cache,
		  const struct spec_table *spec, struct linux_run *run);
void run_linux_under(const struct catalog *catalog, const char *tree,
		     const struct spec_table *spec, struct linux_run *run);
void run_linux(const struct catalog *catalog, const char *tree, struct linux_run *run);
void free_linux_run(struct linux_run *run);
const struct linux_function_summary *function(const struct linux_run *run, const char *name);
bool has_rule(const struct check_report *report, enum rule rule, const char *stub);

#endif
