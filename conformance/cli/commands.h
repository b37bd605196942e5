/* commands.h - the tdxabi commands. Each returns the process exit code: 0
 * all passed, 1 a violation, 2 bad usage or bad input (after printing one
 * line through cli_output.h). */
#ifndef TDXABI_COMMANDS_H
#define TDXABI_COMMANDS_H

#include <stdint.h>

#include "catalog.h"
#include "check_result.h"
#include "cli_output.h"
#include "report.h"
#include "stub_check.h"

/* A report to write: --format/--output, or one --report FORMAT=FILE. */
struct report_request {
	enum report_format format;
	const char *path; /* NULL: standard output */
};
#define MAX_REPORTS 8
#define MAX_ALLOWS 32

struct check_arguments {
	bool trace; /* `tdxabi trace`: the selected cases run traced and are listed */
	const char *object;
	const char *symbol;
	const char *binding;
	const char *linux_tree;
	const char *cache;
	const char *shims;
	const char *kbuild_output; /* make O=DIR: where kbuild's objects and .config are */
	const char *spec;
	const char *leaf;
	const char *faults;
	const char *td_configs; /* --td-config LIST */
	const char *output;
	const char *variant;       /* --variant NAME: only cases of that variant */
	const char *build_variant; /* --build-variant NAME: with --linux, only that build */
	uint64_t seed;
	uint64_t seeds;   /* --seeds N: draws per case */
	uint64_t budget;
	uint64_t jobs;    /* -j N: worker processes (0: none, in the tool itself) */
	double case_seconds; /* --timeout SECONDS */
	bool quiet;
	/* reports[0] is --format and --output; the rest --report FORMAT=FILE */
	struct report_request reports[MAX_REPORTS];
	size_t report_count;
	const char *baseline;       /* --baseline FILE: its findings are accepted */
	const char *write_baseline; /* --write-baseline FILE: records the findings */
	const char *allows[MAX_ALLOWS]; /* --allow RULE[:function[:leaf]] */
	size_t allow_count;
};

/* Ends a check run: writes --write-baseline, accepts what --baseline and
 * --allow accept, writes every requested report; `text` writes the text
 * format (NULL: the generic one). Returns the exit code: 1 a failure, 0
 * none; with --format ktap, 4 when every case was skipped, as kselftest. */
typedef void (*text_report_writer)(FILE *stream, const void *context,
				   const struct check_report *report,
				   const struct report_options *options);
int conclude_check(const struct check_arguments *arguments, struct check_report *report,
		   text_report_writer text, const void *text_context);
/* The `tdxabi trace` command that reproduces a result of a check run with
 * these arguments (context: the struct check_arguments). */
void trace_command_write(const void *context, const struct check_result *result, char *text,
			 size_t size);

int command_check(int argc, char **argv);
int command_trace(int argc, char **argv);
int command_audit(int argc, char **argv);
int command_bench(int argc, char **argv);

/* Where `tdxabi trace` lists its cases, and how many it listed. */
struct trace_output {
	FILE *stream;
	const char *path; /* NULL: standard output */
	size_t count;
};
/* Ends a trace run: says why, when nothing was listed, a case was not run;
 * closes the stream; returns the exit code. */
int trace_finish(const struct check_report *report, struct trace_output *output);

/* `check --linux` and `trace --linux`: checks a tree, writes its reports
 * (or ends the trace), returns the exit code. */
int check_linux_tree(const struct check_arguments *arguments, const struct catalog *catalog,
		     const struct check_options *options, struct trace_output *trace);
int command_list(int argc, char **argv);
int command_spec_lint(int argc, char **argv);
int command_spec_diff(int argc, char **argv);

#endif
