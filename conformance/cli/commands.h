/* commands.h - the tdxabi commands. Each returns the process exit code: 0
 * all passed, 1 a violation, 2 bad usage or bad input (after printing one
 * line through cli_output.h). */
#ifndef TDXABI_COMMANDS_H
#define TDXABI_COMMANDS_H

#include <stdint.h>

#include "acceptance.h"
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
#define MAX_REPORTS REPORT_SESSION_MAX_OUTPUTS
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

/* A check run's reports: the streams --format/--output and each --report
 * name, what --baseline and --allow accept, the session that writes them as
 * each stub's results come. */
struct check_reporting {
	struct report_output outputs[MAX_REPORTS];
	const char *paths[MAX_REPORTS];
	char temporary[MAX_REPORTS][4096]; /* written under this name, renamed at the end ("": direct) */
	char targets[MAX_REPORTS][4096];   /* ... to this one (through a symbolic link, its target) */
	size_t count;
	struct acceptance acceptance;
	struct report_session session;
	bool session_open;
};
/* Reads the baseline and --allow, opens the streams; 0 or the exit code. */
int reporting_open(const struct check_arguments *arguments, struct check_reporting *reporting);
/* Accepts what is accepted, writes the results on, and empties the report
 * (context: the struct check_reporting; linux_check_request's deliver). */
enum tdxabi_status reporting_deliver(void *context, struct check_report *report,
				     struct diagnostic *diagnostic);
/* Ends every report (text: `text`, when given, in place of the generic one),
 * writes --write-baseline, closes the streams. Returns the exit code: 1 a
 * failure, 0 none; with --format ktap, 4 when every case was skipped. */
int reporting_finish(const struct check_arguments *arguments, struct check_reporting *reporting,
		     digest_text_writer text, const void *text_context);
/* After a failure: closes the streams and removes the files written. */
void reporting_abandon(struct check_reporting *reporting);
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
		     const struct check_options *options, struct trace_output *trace,
		     struct check_reporting *reporting);
int command_list(int argc, char **argv);
int command_spec_lint(int argc, char **argv);
int command_spec_diff(int argc, char **argv);

#endif
