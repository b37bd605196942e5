/* linux_check.h - `tdxabi check --linux DIR`: builds a tree's TDX stubs in
 * every variant, detects each function's binding, checks every function of
 * every distinct variant (and kbuild's own objects, matched to a variant) and
 * sums it up per function. */
#ifndef TDXABI_LINUX_CHECK_H
#define TDXABI_LINUX_CHECK_H

#include <stdio.h>

#include "binding.h"
#include "catalog.h"
#include "check_result.h"
#include "kernel_build.h"
#include "linux_tally.h"
#include "report.h"
#include "stub_check.h"

#define LINUX_MAX_FUNCTIONS 16

struct linux_function_summary {
	char function[BINDING_NAME_SIZE];
	char source[KERNEL_NAME_SIZE];
	struct binding binding; /* detected; shares the catalog binding's strings */
	size_t leaves, leaves_expressible, leaves_passed;
	size_t faults, faults_passed;
	size_t variants, variants_failed;
	bool selected; /* it can issue the leaf --leaf names (always, without --leaf) */
	/* why no binding could be decided (then it is not checked), or "" */
	char undecided[DIAGNOSTIC_TEXT_SIZE];
};

/* A function of an object kbuild built in the tree (`make .../seamcall.o`),
 * checked too and compared with the shim builds. */
struct linux_kbuild_function {
	char function[BINDING_NAME_SIZE];
	char object[KERNEL_NAME_SIZE];      /* "arch/x86/virt/vmx/tdx/seamcall.o" */
	char same_code_as[KERNEL_NAME_SIZE]; /* the shim variant with the same code, or "" */
	size_t pass, fail;                  /* its verdicts ... */
	size_t variant_pass, variant_fail;  /* ... and those of that variant */
};

struct linux_summary {
	char version[32];
	struct kernel_build build;
	struct linux_function_summary functions[LINUX_MAX_FUNCTIONS];
	size_t function_count;
	char leaf[RESULT_NAME_SIZE];           /* what --leaf names, or "" */
	char config_variant[KERNEL_NAME_SIZE]; /* what the tree's .config builds, or "" */
	char config_settings[192];
	struct built_object kbuild_objects[2];
	size_t kbuild_object_count;
	struct linux_kbuild_function kbuild[LINUX_MAX_FUNCTIONS];
	size_t kbuild_count;
	/* leaves of the spec no function of the tree can carry, each with why */
	char spec[RESULT_NAME_SIZE];
	struct inexpressible_leaf *uncarried; /* owned: linux_summary_free */
	size_t uncarried_count;
};

struct linux_check_request {
	const char *tree;
	const char *kbuild_output; /* make O=DIR: kbuild's objects and .config; NULL: the tree */
	const char *cache_root;
	const struct shim_file *shims;
	size_t shim_count;
	const struct catalog *catalog;
	const struct check_options *options;
	const char *function;      /* NULL, or the one function to check */
	const char *build_variant; /* NULL, or the one build variant to check */
	/* NULL: every result stays in the report; else each stub run's results
	 * are handed to it as they come, and it empties the report */
	enum tdxabi_status (*deliver)(void *context, struct check_report *report,
				      struct diagnostic *diagnostic);
	void *deliver_context;
};

enum tdxabi_status linux_check_run(const struct linux_check_request *request,
				   struct check_report *report, struct linux_summary *summary,
				   struct diagnostic *diagnostic);

void linux_summary_free(struct linux_summary *summary);

/* The per-function table, the variants built, then the findings. */
void linux_summary_write_text(FILE *stream, const struct linux_summary *summary,
			      const struct report_digest *digest, const struct report_options *options);

#endif
