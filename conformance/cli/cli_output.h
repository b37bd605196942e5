/* cli_output.h - what the commands print through: exit codes, the one-line
 * error, the report stream. Only the CLI prints and chooses exit codes. */
#ifndef TDXABI_CLI_OUTPUT_H
#define TDXABI_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* 4: kselftest's skip, for --format ktap when every case was skipped */
enum exit_code { EXIT_PASS = 0, EXIT_VIOLATION = 1, EXIT_BAD_INPUT = 2, EXIT_KSELFTEST_SKIP = 4 };

/* Prints "tdxabi: error: <text>" to stderr and returns EXIT_BAD_INPUT. */
int cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Opens --output (or standard output) for a report; NULL after printing an error. */
FILE *open_report_stream(const char *output);
/* Closes it, returning the exit code for a report with `failures` failures. */
int close_report_stream(FILE *stream, const char *output, size_t failures);

struct option;
/* The long name of an option getopt_long returned ("?" if none). */
const char *cli_option_name(const struct option *options, int option);
/* A flag that takes one value given twice is an error, never last-one-wins:
 * records the option in given[128] and returns EXIT_BAD_INPUT (after the
 * line) on its second time, unless `repeatable` lists it. */
int cli_refuse_repeated(const struct option *options, int option, bool given[128],
			const char *repeatable);

#endif
