/* linux_check.c - linux_check_run() and its text summary (see linux_check.h). */
#include "linux_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_access.h"
#include "file_contents.h"
#include "linux_detect.h"
#include "linux_environment.h"
#include "linux_tally.h"
#include "report_text.h"

static struct linux_function_summary *function_summary(struct linux_summary *summary,
						       const char *function)
{
	for (size_t index = 0; index < summary->function_count; index++)
		if (strcmp(summary->functions[index].function, function) == 0)
			return &summary->functions[index];
	return NULL;
}

/* Where a run's results go: the report, folded into the tally, then (with
 * a deliver callback) passed on, so that the report holds one stub run. */
struct linux_progress {
	const struct linux_check_request *request;
	struct check_report *report;
	struct linux_tally tally;
	size_t folded; /* the report's results before this are in the tally */
};

static enum tdxabi_status hand_on(struct linux_progress *progress, struct diagnostic *diagnostic)
{
	enum tdxabi_status status =
		linux_tally_add(&progress->tally, progress->report, progress->folded, diagnostic);
	progress->folded = progress->report->result_count;
	if (status == TDXABI_OK && progress->request->deliver) {
		status = progress->request->deliver(progress->request->deliver_context,
						    progress->report, diagnostic);
		progress->folded = 0; /* delivered: the report is empty */
	}
	return status;
}

/* Detects the binding of a function the first time it is met. One whose
 * binding cannot be decided is kept, with the reason, as a skip in the
 * report: the tree's other functions are still checked. */
static enum tdxabi_status add_function(struct linux_summary *summary,
				       const struct linux_check_request *request,
				       const char *object, const char *function, const char *source,
				       struct linux_progress *progress,
				       struct linux_function_summary **entry,
				       struct diagnostic *diagnostic)
{
	if ((*entry = function_summary(summary, function)))
		return TDXABI_OK;
	if (summary->function_count == LINUX_MAX_FUNCTIONS)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "more than %d TDX functions",
				       LINUX_MAX_FUNCTIONS);
	struct linux_function_summary *added = &summary->functions[summary->function_count];
	memset(added, 0, sizeof(*added));
	snprintf(added->function, sizeof(added->function), "%s", function);
	snprintf(added->source, sizeof(added->source), "%s", source);
	struct diagnostic undecided;
	enum tdxabi_status status = linux_detect_binding(request->catalog, &summary->build, function,
							 &added->binding, &undecided);
	if (status == TDXABI_OUT_OF_MEMORY)
		return diagnostic_fail(diagnostic, status, "%s", undecided.text);
	summary->function_count++;
	*entry = added;
	if (status == TDXABI_OK)
		return TDXABI_OK;
	snprintf(added->undecided, sizeof(added->undecided), "%s", undecided.text);
	struct check_result *result = check_report_add(progress->report);
	if (!result)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	snprintf(result->object, sizeof(result->object), "%s", object);
	snprintf(result->stub, sizeof(result->stub), "%s", function);
	result->verdict = VERDICT_SKIP;
	result->skip_kind = SKIP_BINDING_UNDECIDED;
	snprintf(result->skip_reason, sizeof(result->skip_reason), "binding-undecided: %s",
		 undecided.text);
	return hand_on(progress, diagnostic);
}

static void object_name(const struct built_object *object, char *name, size_t size)
{
	const char *stem = strrchr(object->source, '/');
	snprintf(name, size, "%.*s.o", (int)strcspn(stem + 1, "."), stem + 1);
}

static enum tdxabi_status load_object(const struct built_object *object,
				      struct object_image *image, struct diagnostic *diagnostic)
{
	uint8_t *bytes = NULL;
	size_t size = 0;
	memset(image, 0, sizeof(*image)); /* so that a failed read needs no object_image_free */
	enum tdxabi_status status = file_contents_read(object->path, &bytes, &size, diagnostic);
	char name[RESULT_NAME_SIZE];
	object_name(object, name, sizeof(name));
	if (status == TDXABI_OK)
		status = object_image_load(bytes, size, name, image, diagnostic);
	free(bytes);
	return status;
}

/* A name the tree's stubs use but nothing defined (an asm-offsets constant
 * that went missing, say) assembles into an undefined symbol instead of
 * failing: in what tdxabi built, only what the kernel links in may be
 * undefined. */
static enum tdxabi_status check_undefined(const struct built_object *object,
					  const struct object_image *image,
					  struct diagnostic *diagnostic)
{
	static const char *const provided[] = {"__x86_return_thunk", "__tdx_hypercall_failed"};
	for (size_t index = 0; index < image->undefined_count; index++) {
		const char *name = image->undefined[index].name;
		bool allowed = name[0] == '\0';
		for (size_t which = 0; which < sizeof(provided) / sizeof(provided[0]); which++)
			allowed |= strcmp(name, provided[which]) == 0;
		if (!allowed)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s (%s) uses %s, which nothing defines (an asm-offsets "
					       "constant or shim the build lacks?), in %s",
					       object->source, object->variant, name, object->path);
	}
	return TDXABI_OK;
}

/* The line table of a build names the tree's files relative to the tree
 * (kernel_build), as kbuild does: they are shown, and read, in the tree. */
static void source_in_tree(const void *context, const char *name, const char *directory,
			   char *shown, size_t size)
{
	const char *tree = context;
	if (name[0] == '/')
		snprintf(shown, size, "%s", name);
	else if (!file_access_join(shown, size, tree, name))
		snprintf(shown, size, "%s/%s", directory, name);
}

/* Whether `variant` is the object's own variant or one of those that built
 * to the same bytes. */
static bool object_holds_variant(const struct built_object *object, const char *variant)
{
	if (strcmp(object->variant, variant) == 0)
		return true;
	for (size_t index = 0; index < object->same_bytes_count; index++)
		if (strcmp(object->same_bytes_as[index], variant) == 0)
			return true;
	return false;
}

/* Checks every function of an object; one tdxabi built (not kbuild) may
 * use no name the kernel would not provide. */
static enum tdxabi_status check_object(const struct linux_check_request *request,
				       const struct built_object *object, bool built_here,
				       struct linux_progress *progress, struct linux_summary *summary,
				       struct diagnostic *diagnostic)
{
	if (request->build_variant && !object_holds_variant(object, request->build_variant))
		return TDXABI_OK;
	struct object_image image;
	enum tdxabi_status status = load_object(object, &image, diagnostic);
	if (status == TDXABI_OK && built_here)
		status = check_undefined(object, &image, diagnostic);
	for (size_t index = 0; status == TDXABI_OK && index < image.symbol_count; index++) {
		const struct image_symbol *symbol = &image.symbols[index];
		if (!symbol->defined || !symbol->global || !symbol->function || symbol->section < 0 ||
		    (request->function && strcmp(request->function, symbol->name) != 0))
			continue;
		struct linux_function_summary *entry;
		status = add_function(summary, request, image.file_name, symbol->name, object->source,
				      progress, &entry, diagnostic);
		if (status != TDXABI_OK)
			break;
		if (entry->undecided[0])
			continue;
		struct stub_target target = {.object_name = image.file_name,
					     .image = &image,
					     .symbol = symbol->name,
					     .binding = &entry->binding,
					     .build_variant = object->variant,
					     .map_source_path = source_in_tree,
					     .map_source_context = request->tree};
		enum tdx_instruction instruction;
		status = stub_check_instruction(&target, &instruction, diagnostic);
		if (status != TDXABI_OK ||
		    !case_matrix_reaches(&entry->binding, request->options->spec, instruction,
					 request->options->selection.leaf_name))
			continue; /* --leaf names a leaf this function cannot issue */
		entry->selected = true;
		status = stub_check_run(&target, request->options, progress->report, diagnostic);
		if (status == TDXABI_OK)
			status = hand_on(progress, diagnostic);
	}
	object_image_free(&image); /* a failed load leaves it empty */
	return status;
}

/* A function's leaves, faults and variants over all its runs. */
static void summarise(struct linux_function_summary *entry, const struct linux_tally *tally)
{
	const struct function_tally *function = linux_tally_function(tally, entry->function);
	if (!function)
		return;
	entry->leaves = function->leaves.count;
	entry->leaves_expressible = function->expressible.count;
	entry->leaves_passed = function->expressible.count - function->failed_leaves.count;
	entry->faults = function->faults.count;
	entry->faults_passed = function->faults.count - function->failed_faults.count;
	entry->variants = function->variants.count;
	entry->variants_failed = function->failed_variants.count;
}

/* Which shim variant holds the same code as each function kbuild built: of
 * every variant with the same code (each distinct object, and the variants
 * that built to the same bytes as it), the one .config predicts if it is
 * among them, else the first. */
static enum tdxabi_status compare_kbuild(const struct built_object *kbuild,
					 struct linux_summary *summary,
					 const struct linux_tally *tally,
					 struct diagnostic *diagnostic)
{
	struct object_image image;
	enum tdxabi_status status = load_object(kbuild, &image, diagnostic);
	char kbuild_name[RESULT_NAME_SIZE];
	object_name(kbuild, kbuild_name, sizeof(kbuild_name));
	size_t first = summary->kbuild_count;
	const struct image_symbol *symbols[LINUX_MAX_FUNCTIONS];
	for (size_t index = 0; status == TDXABI_OK && index < image.symbol_count; index++) {
		const struct image_symbol *symbol = &image.symbols[index];
		const struct linux_function_summary *checked = function_summary(summary, symbol->name);
		if (!symbol->defined || !symbol->global || !symbol->function || symbol->section < 0 ||
		    summary->kbuild_count == LINUX_MAX_FUNCTIONS || !checked || !checked->selected)
			continue;
		symbols[summary->kbuild_count] = symbol;
		struct linux_kbuild_function *entry = &summary->kbuild[summary->kbuild_count++];
		memset(entry, 0, sizeof(*entry));
		snprintf(entry->function, sizeof(entry->function), "%s", symbol->name);
		snprintf(entry->object, sizeof(entry->object), "%s", kbuild->source);
		memcpy(entry->object + strlen(entry->object) - 1, "o", 2); /* .S -> .o */
		linux_tally_verdicts(tally, kbuild_name, kbuild->variant, symbol->name, &entry->pass,
				     &entry->fail);
	}
	/* each shim build of the same source, loaded once, against every function */
	bool predicted[LINUX_MAX_FUNCTIONS] = {false};
	for (size_t which = 0; which < summary->build.object_count && status == TDXABI_OK; which++) {
		const struct built_object *shim = &summary->build.objects[which];
		if (strcmp(shim->source, kbuild->source) != 0)
			continue;
		struct object_image shim_image;
		if ((status = load_object(shim, &shim_image, diagnostic)) != TDXABI_OK)
			break;
		char shim_name[RESULT_NAME_SIZE];
		object_name(shim, shim_name, sizeof(shim_name));
		for (size_t index = first; index < summary->kbuild_count; index++) {
			struct linux_kbuild_function *entry = &summary->kbuild[index];
			const struct image_symbol *other =
				object_image_find_symbol(&shim_image, entry->function);
			uint64_t difference;
			if (predicted[index] || !other ||
			    !linux_same_function(&image, symbols[index], &shim_image, other,
						 &difference))
				continue;
			predicted[index] = summary->config_variant[0] &&
					   object_holds_variant(shim, summary->config_variant);
			if (predicted[index] || !entry->same_code_as[0]) {
				snprintf(entry->same_code_as, sizeof(entry->same_code_as), "%s",
					 predicted[index] ? summary->config_variant : shim->variant);
				linux_tally_verdicts(tally, shim_name, shim->variant, entry->function,
						     &entry->variant_pass, &entry->variant_fail);
			}
		}
		object_image_free(&shim_image);
	}
	object_image_free(&image);
	return status;
}

/* Objects `make [O=DIR] arch/x86/.../seamcall.o` left in the kbuild output
 * directory (the tree, or O=DIR), if any, and the .config they were built
 * with. */
static void find_kbuild_objects(const char *kbuild_output, struct linux_summary *summary)
{
	static const char *const sources[] = {KERNEL_TDCALL, KERNEL_SEAMCALL};
	char path[KERNEL_PATH_SIZE], *config = NULL;
	size_t size;
	if (file_access_join(path, sizeof(path), kbuild_output, ".config") && file_access_is_regular(path) &&
	    file_access_read(path, 1u << 22, &config, &size, NULL) == TDXABI_OK)
		kernel_build_configured_variant(config, summary->config_variant,
						sizeof(summary->config_variant),
						summary->config_settings,
						sizeof(summary->config_settings));
	free(config);
	for (size_t index = 0; index < 2; index++) {
		char object[KERNEL_NAME_SIZE];
		snprintf(object, sizeof(object), "%s", sources[index]);
		memcpy(object + strlen(object) - 1, "o", 2);
		if (!file_access_join(path, sizeof(path), kbuild_output, object) ||
		    !file_access_is_regular(path))
			continue;
		struct built_object *found = &summary->kbuild_objects[summary->kbuild_object_count++];
		memset(found, 0, sizeof(*found));
		snprintf(found->source, sizeof(found->source), "%s", sources[index]);
		snprintf(found->variant, sizeof(found->variant), "kbuild");
		snprintf(found->path, sizeof(found->path), "%s", path);
	}
}

/* When a TDX header declares __tdx_hypercall, the build must define it: in
 * tdcall.S, or cut out of tdx-shared.c (a definition that could not be found
 * there would otherwise leave the function silently unchecked). */
static enum tdxabi_status require_hypercall(const struct kernel_tree *tree,
					    struct linux_summary *summary,
					    struct diagnostic *diagnostic)
{
	char signature[256];
	const struct kernel_header *header =
		linux_declaring_header(&summary->build, "__tdx_hypercall", signature, sizeof(signature));
	if (!header || function_summary(summary, "__tdx_hypercall"))
		return TDXABI_OK;
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
			       "%s: %s declares __tdx_hypercall, but neither %s defines it nor can "
			       "tdxabi find its definition in %s",
			       tree->root, header->path, KERNEL_TDCALL, KERNEL_TDX_SHARED_C);
}

/* A tree none of whose functions has a binding is refused, with the first
 * reason: nothing of it could be checked. */
static enum tdxabi_status require_a_binding(const struct linux_summary *summary,
					    struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < summary->function_count; index++)
		if (!summary->functions[index].undecided[0])
			return TDXABI_OK;
	if (summary->function_count == 0)
		return TDXABI_OK;
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s",
			       summary->functions[0].undecided);
}

enum tdxabi_status linux_check_run(const struct linux_check_request *request,
				   struct check_report *report, struct linux_summary *summary,
				   struct diagnostic *diagnostic)
{
	memset(summary, 0, sizeof(*summary));
	struct linux_progress progress = {.request = request, .report = report};
	struct kernel_tree tree;
	enum tdxabi_status status = kernel_tree_open(request->tree, &tree, diagnostic);
	if (status != TDXABI_OK)
		return status;
	snprintf(summary->version, sizeof(summary->version), "%s", tree.version);
	const char *leaf = request->options->selection.leaf_name;
	snprintf(summary->leaf, sizeof(summary->leaf), "%s", leaf ? leaf : "");
	status = kernel_build_run(&tree, request->shims, request->shim_count, request->cache_root,
				  &summary->build, diagnostic);
	for (size_t index = 0; status == TDXABI_OK && index < summary->build.object_count; index++)
		status = check_object(request, &summary->build.objects[index], true, &progress,
				      summary, diagnostic);
	if (status == TDXABI_OK)
		status = require_a_binding(summary, diagnostic);
	/* (a run for one function cannot tell: the others are not looked at) */
	if (status == TDXABI_OK && tree.has_tdcall && !request->function)
		status = require_hypercall(&tree, summary, diagnostic);
	if (status == TDXABI_OK && request->kbuild_output && !file_access_is_directory(request->kbuild_output))
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "--kbuild-output %s: not a directory",
					 request->kbuild_output);
	find_kbuild_objects(request->kbuild_output ? request->kbuild_output : tree.root, summary);
	for (size_t index = 0; status == TDXABI_OK && index < summary->kbuild_object_count; index++)
		status = check_object(request, &summary->kbuild_objects[index], false, &progress,
				      summary, diagnostic);
	for (size_t index = 0; status == TDXABI_OK && index < summary->kbuild_object_count; index++)
		status = compare_kbuild(&summary->kbuild_objects[index], summary, &progress.tally,
					diagnostic);
	size_t selected = 0;
	for (size_t index = 0; status == TDXABI_OK && index < summary->function_count; index++) {
		if (summary->functions[index].undecided[0])
			continue;
		summarise(&summary->functions[index], &progress.tally);
		selected += summary->functions[index].selected;
	}
	bool variant_built = !request->build_variant;
	for (size_t index = 0; !variant_built && index < summary->build.object_count; index++)
		variant_built = object_holds_variant(&summary->build.objects[index],
						     request->build_variant);
	for (size_t index = 0; !variant_built && index < summary->kbuild_object_count; index++)
		variant_built = object_holds_variant(&summary->kbuild_objects[index],
						     request->build_variant);
	if (status == TDXABI_OK && !variant_built)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: no build variant '%s' (the variants are named in the "
					 "text report's 'same bytes' lines and JSON's build_variant)",
					 request->tree, request->build_variant);
	if (status == TDXABI_OK && request->function && summary->function_count == 0)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: no TDX function '%s' in the tree's stubs", request->tree,
					 request->function);
	if (status == TDXABI_OK && selected == 0)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: no TDX function of the tree can issue %s", request->tree,
					 summary->leaf);
	snprintf(summary->spec, sizeof(summary->spec), "%s", request->options->spec->revision);
	/* (a run for one function cannot tell: the others are not looked at) */
	for (size_t index = 0; status == TDXABI_OK && !request->function &&
			       index < progress.tally.inexpressible_count;
	     index++) {
		const struct inexpressible_leaf *uncarried = &progress.tally.inexpressible[index];
		if (linux_tally_carried(&progress.tally, uncarried->leaf))
			continue;
		struct inexpressible_leaf *grown = realloc(
			summary->uncarried, (summary->uncarried_count + 1) * sizeof(*grown));
		if (!grown) {
			status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
			break;
		}
		summary->uncarried = grown;
		summary->uncarried[summary->uncarried_count++] = *uncarried;
	}
	linux_tally_free(&progress.tally);
	kernel_build_free(&summary->build);
	kernel_tree_free(&tree);
	return status;
}

static bool has_findings(const struct check_report *report, const char *function)
{
	for (size_t index = 0; index < report->result_count; index++)
		if (report->results[index].violation_count &&
		    strcmp(report->results[index].stub, function) == 0)
			return true;
	return false;
}

/* The tree, the per-function table, the variants built, kbuild's objects. */
static void write_overview(FILE *stream, const struct linux_summary *summary)
{
	fprintf(stream, "Linux %s: %zu TDX functions, built in %zu variants (%s%s)\n", summary->version,
		summary->function_count, summary->build.variant_count, summary->build.directory,
		summary->build.reused ? ", reused" : "");
	if (summary->build.standins.count) {
		fprintf(stream, "empty stand-ins for headers the tree includes and the shims lack:");
		for (size_t index = 0; index < summary->build.standins.count; index++)
			fprintf(stream, " %s", summary->build.standins.names[index]);
		fputc('\n', stream);
	}
	fprintf(stream, "%-22s %-32s %-17s %-13s %-13s %s\n", "function", "binding",
		"leaves expressed", "leaves passed", "faults passed", "variants");
	size_t unselected = 0;
	for (size_t index = 0; index < summary->function_count; index++) {
		const struct linux_function_summary *entry = &summary->functions[index];
		char expressed[32], passed[32], faults[32], variants[32];
		if (entry->undecided[0])
			continue;
		if (!entry->selected) {
			unselected++;
			continue;
		}
		snprintf(expressed, sizeof(expressed), "%zu/%zu", entry->leaves_expressible, entry->leaves);
		snprintf(passed, sizeof(passed), "%zu/%zu", entry->leaves_passed, entry->leaves_expressible);
		snprintf(faults, sizeof(faults), "%zu/%zu", entry->faults_passed, entry->faults);
		snprintf(variants, sizeof(variants), "%zu/%zu pass", entry->variants - entry->variants_failed,
			 entry->variants);
		fprintf(stream, "%-22s %-32s %-17s %-13s %-13s %s\n", entry->function,
			entry->binding.name, expressed, passed, faults, variants);
	}
	for (size_t index = 0; index < summary->function_count; index++)
		if (summary->functions[index].undecided[0])
			fprintf(stream, "NOT CHECKED %s: %s\n", summary->functions[index].function,
				summary->functions[index].undecided);
	if (unselected) {
		fprintf(stream, "not checked, they cannot issue %s:", summary->leaf);
		for (size_t index = 0; index < summary->function_count; index++)
			if (!summary->functions[index].selected)
				fprintf(stream, " %s", summary->functions[index].function);
		fputc('\n', stream);
	}
	for (size_t index = 0; index < summary->build.object_count; index++) {
		const struct built_object *object = &summary->build.objects[index];
		if (!object->same_bytes_count)
			continue;
		fprintf(stream, "  %s [%s]: same bytes as", object->source, object->variant);
		for (size_t which = 0; which < object->same_bytes_count; which++)
			fprintf(stream, "%s %s", which ? "," : "", object->same_bytes_as[which]);
		fputc('\n', stream);
	}
	if (summary->uncarried_count)
		fprintf(stream, "leaves of %s no function of the tree can carry:\n", summary->spec);
	for (size_t index = 0; index < summary->uncarried_count; index++)
		fprintf(stream, "  %s: %s\n", summary->uncarried[index].leaf,
			summary->uncarried[index].reason);
	if (summary->kbuild_count && summary->config_variant[0])
		fprintf(stream, "kbuild objects: the tree's .config (%s) builds [%s]\n",
			summary->config_settings, summary->config_variant);
	for (size_t index = 0; index < summary->kbuild_count; index++) {
		const struct linux_kbuild_function *entry = &summary->kbuild[index];
		bool same_verdicts = entry->pass == entry->variant_pass && entry->fail == entry->variant_fail;
		bool predicted = strcmp(entry->same_code_as, summary->config_variant) == 0;
		if (entry->same_code_as[0])
			fprintf(stream, "  kbuild %s %s: same code as [%s]%s; verdicts %zu pass %zu fail, %s\n",
				entry->object, entry->function, entry->same_code_as,
				!summary->config_variant[0] ? ""
				: predicted		    ? ", as .config predicts"
							    : ", NOT what .config predicts",
				entry->pass, entry->fail,
				same_verdicts ? "the same as that variant" : "DIFFERENT from that variant");
		else
			fprintf(stream, "  kbuild %s %s: no shim variant has the same code; verdicts %zu "
				"pass %zu fail\n",
				entry->object, entry->function, entry->pass, entry->fail);
	}
}

void linux_summary_free(struct linux_summary *summary)
{
	free(summary->uncarried);
	summary->uncarried = NULL;
	summary->uncarried_count = 0;
}

void linux_summary_write_text(FILE *stream, const struct linux_summary *summary,
			      const struct report_digest *digest, const struct report_options *options)
{
	const struct check_report *findings = &digest->findings;
	if (!options->quiet)
		write_overview(stream, summary);
	/* each failing function: its failing variants, then its findings over all of them */
	for (size_t index = 0; index < summary->function_count; index++) {
		const struct linux_function_summary *entry = &summary->functions[index];
		if (!entry->variants_failed && !has_findings(findings, entry->function))
			continue;
		bool every = entry->variants_failed == entry->variants;
		if (entry->variants_failed)
			fprintf(stream, "FAIL %s (%s) in %s%zu of %zu variants%s", entry->function,
				entry->binding.name, every ? "all " : "", entry->variants_failed,
				entry->variants, every ? "" : ":");
		else
			fprintf(stream, "PASS %s (%s): its findings are accepted", entry->function,
				entry->binding.name);
		for (size_t line = 0; entry->variants_failed && !every && line < digest->stub_count;
		     line++) {
			const struct stub_line *run = &digest->stubs[line];
			if (run->fail && strcmp(run->head.stub, entry->function) == 0)
				fprintf(stream, " [%s]", run->head.build_variant);
		}
		fputc('\n', stream);
		struct finding_scope scope = {0, findings->result_count, entry->function,
					      report_digest_variants(digest, entry->function)};
		report_write_findings(stream, findings, &scope, options);
	}
	fprintf(stream, "summary: %zu functions, %zu cases: %zu pass, %zu fail, %zu skip\n",
		summary->function_count, digest->case_count, digest->totals.pass,
		digest->totals.fail, digest->totals.skip);
}
